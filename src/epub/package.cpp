#include "epub/package.hpp"

#include "core/error.hpp"
#include "core/key_bytes.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "doc/fingerprint.hpp"
#include "doc/matter.hpp"
#include "epub/write_epub.hpp"
#include "epub/xhtml.hpp"
#include "pictures/picture.hpp"

#include <tinyxml2.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <set>
#include <type_traits>
#include <unordered_map>

namespace folio::epub {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

namespace {

constexpr const char* kContentDir = "EPUB/";
// What a placeholder for the markers at a section's top names (top_marks), before
// the section's destination; a placeholder in the text names a number.
constexpr std::string_view kTopOf = "top:";

// A spine document: its manifest id, file (relative to EPUB/), and its zip entry.
struct Page {
    std::string id;
    std::string file;  // "text/a03.xhtml"
    Entry entry;       // "EPUB/text/a03.xhtml", and the XHTML (deflated already, once released)
};

// XML written by tinyxml2, with the declaration our readers expect.
std::string print_xml(const XMLDocument& doc) {
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    doc.RootElement()->Accept(&printer);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out.append(printer.CStr(), static_cast<std::size_t>(printer.CStrSize() - 1));
    out += '\n';
    return out;
}

XMLElement* child(XMLDocument& doc, XMLElement* parent, const char* name, std::string_view text = {}) {
    XMLElement* e = doc.NewElement(name);
    parent->InsertEndChild(e);
    if (!text.empty()) e->InsertEndChild(doc.NewText(text::xml_safe(text).c_str()));
    parent->InsertEndChild(doc.NewText("\n"));
    return e;
}

void attr(XMLElement* e, const char* name, std::string_view value) {
    e->SetAttribute(name, text::xml_safe(value).c_str());
}

// The file name's extension for a picture's kind, which the loader read from its bytes.
std::string extension_of(const doc::Resource& r) { return doc::file_extension(r.format); }

bool every_image_has_alt(const doc::Inlines& inlines) {
    for (const doc::Inline& in : inlines) {
        bool ok = doc::visit(
            [](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, doc::Image>) {
                    return !text::trim(v.alt).empty();
                } else if constexpr (requires { v.content; }) {
                    return every_image_has_alt(v.content);
                } else {
                    return true;
                }
            },
            in.value);
        if (!ok) return false;
    }
    return true;
}

bool every_image_has_alt(const doc::Blocks& blocks) {
    bool ok = true;
    doc::for_each_inlines(blocks, [&](const doc::Inlines& list) { ok = ok && every_image_has_alt(list); });
    return ok;
}

// Whether a table has a header a screen reader can announce: a header row with a
// cell that is not blank (a blank one is written as <td>, see table()).
bool has_header(const doc::Table& t) {
    return std::any_of(t.header.begin(), t.header.end(),
                       [](const doc::Inlines& cell) { return !text::trim(doc::plain_text(cell)).empty(); });
}

// An article's page written ahead of the page list (PackageAhead): with
// placeholders for its page breaks, and what it holds.
struct Ahead {
    // Its address names the article in the page list's positions, in place of the
    // article's text, released since (doc::TextPosition names a text by address).
    std::string token;
    std::string xhtml;
    doc::Census census;
    bool written = false;
};

class PackageBuilder {
public:
    // With `consume` (the same book, held mutable), each article's body and notes
    // are released once its page is written.
    PackageBuilder(const doc::Book& book, const PackageOptions& options, doc::Book* consume = nullptr)
        : m_book(book), m_options(options), m_consume(consume) {}

    // What every page needs before any is written: the pictures' and articles' file
    // names, and what the metadata says of the whole text, read before the
    // articles' text may be released.
    void prepare() {
        m_prepared = true;
        name_resources();
        for (const doc::Chapter& c : m_book.chapters)
            for (const doc::Article& a : c.articles) {
                m_locator.article_file[a.id] = a.id + ".xhtml";
                m_articles.push_back(&a);
            }
        m_all_images_described = all_images_described();
        m_tables = tables();
        m_ahead.resize(m_articles.size());
    }

    // Writes article i's page (reading order) ahead of the page list (PackageAhead).
    void write_ahead(std::size_t i, const std::vector<doc::TextPosition*>& first_words) {
        Ahead& ahead = m_ahead.at(i);
        // Every place a page may begin, by text, as marks named by their number.
        PageMarks places;
        for (const doc::TextPosition* p : first_words)
            if (p->text) places[p->text].emplace_back(p->offset, std::string());
        std::uint32_t count = 0;
        for (auto& [text, list] : places) {
            std::sort(list.begin(), list.end());
            list.erase(std::unique(list.begin(), list.end()), list.end());
            for (auto& [offset, name] : list) name = std::to_string(count++);
        }
        ahead.xhtml = article_xhtml(*m_articles[i], m_options.census ? &ahead.census : nullptr, &places);
        ahead.written = true;
        // Each position is renamed by its place's number, in the article's token. A
        // place of text the page does not show (a title, a list marker: set by the
        // typesetter itself) becomes none, as plan_page_list() would find it.
        std::vector<char> shown(count, 0);
        for (std::size_t at = ahead.xhtml.find(kPlaceholderOpen); at != std::string::npos;
             at = ahead.xhtml.find(kPlaceholderOpen, at + 1)) {
            const char* digits = ahead.xhtml.data() + at + kPlaceholderOpen.size();
            if (std::isdigit(static_cast<unsigned char>(*digits))) shown.at(std::strtoul(digits, nullptr, 10)) = 1;
        }
        for (doc::TextPosition* p : first_words) {
            if (!p->text) continue;
            const auto& list = places.at(p->text);
            const auto it = std::lower_bound(list.begin(), list.end(), std::pair{p->offset, std::string()});
            const auto place = static_cast<std::uint32_t>(std::stoul(it->second));
            *p = shown[place] ? doc::TextPosition{&ahead.token, place} : doc::TextPosition{};
        }
    }

    std::vector<Entry> build() {
        if (!m_prepared) prepare();
        plan_page_list();

        if (!m_book.cover.empty()) cover_page();
        title_page();
        copyright_page();
        contents_page();
        m_first_body_page = m_pages.size();
        // Article pages are independent: render them on every core, into their places.
        std::vector<std::pair<std::size_t, const doc::Article*>> articles;
        for (const doc::Chapter& c : m_book.chapters) {
            if (!c.title.empty()) chapter_opener(c);
            for (const doc::Article& a : c.articles) {
                articles.emplace_back(m_pages.size(), &a);
                new_page(a.id, {});
            }
        }
        credits_page();
        // The same articles, to release, when consuming.
        const std::vector<doc::Article*> owned =
            m_consume ? m_consume->articles_in_order() : std::vector<doc::Article*>{};
        std::vector<doc::Census> census(articles.size());
        if (m_options.deflated) m_page_context = page_context();
        parallel_for(articles.size(), [&](std::size_t i) {
            Entry& entry = m_pages[articles[i].first].entry;
            if (Ahead& ahead = m_ahead[i]; ahead.written) {
                entry.bytes = with_page_breaks(std::exchange(ahead.xhtml, {}), ahead, *articles[i].second);
                census[i] = ahead.census;
                deflate_entry(entry, m_options.deflated);
                return;
            }
            if (remembered_page(entry, *articles[i].second, census[i])) {
                if (m_consume) owned[i]->release_text();
                return;
            }
            entry.bytes = article_xhtml(*articles[i].second, m_options.census ? &census[i] : nullptr);
            if (m_consume) {
                owned[i]->release_text();  // each article is touched by this thread only
                deflate_entry(entry, m_options.deflated);  // held till the zip is written: a fifth of the size
            }
        });
        if (m_options.census)
            for (const doc::Census& c : census) *m_options.census += c;

        std::vector<Entry> entries;
        entries.push_back({"mimetype", "application/epub+zip", Compression::Store});
        entries.push_back({"META-INF/container.xml", container(), Compression::Deflate});
        entries.push_back({std::string(kContentDir) + "package.opf", opf(), Compression::Deflate});
        entries.push_back({std::string(kContentDir) + "nav.xhtml", nav(), Compression::Deflate});
        entries.push_back({std::string(kContentDir) + "toc.ncx", ncx(), Compression::Deflate});
        entries.push_back({std::string(kContentDir) + "css/epub.css", m_options.css, Compression::Deflate});
        for (Page& p : m_pages) entries.push_back(std::move(p.entry));
        for (const doc::Resource& r : m_book.resources) {
            // PNG, JPEG, GIF and WebP are compressed already: deflating them again gains
            // nothing. An SVG is text.
            entries.push_back({kContentDir + m_resource_file.at(r.path), r.bytes,
                               r.vector() ? Compression::Deflate : Compression::Store});
            if (auto it = m_fallback_file.find(r.path); it != m_fallback_file.end())
                entries.push_back({kContentDir + it->second, pictures::encode_png(pictures::decode(r)), Compression::Store});
        }
        return entries;
    }

private:
    // Images get ASCII names under images/ (EPUB file names should avoid spaces and
    // non-ASCII characters: PKG-010, PKG-012).
    void name_resources() {
        std::set<std::string> used;
        for (std::size_t i = 0; i < m_book.resources.size(); ++i) {
            const doc::Resource& r = m_book.resources[i];
            std::string stem = text::ascii_slug(std::filesystem::path(r.path).stem().string(), 40);
            if (stem.empty()) stem = "image";
            std::string name = stem + extension_of(r);
            for (int k = 2; !used.insert(name).second; ++k) name = stem + "-" + std::to_string(k) + extension_of(r);
            m_resource_file[r.path] = "images/" + name;
            m_resource_id[r.path] = "img" + std::to_string(i + 1);
            m_locator.image_href[r.path] = "../images/" + name;
            // WebP is a core media type from EPUB 3.3 on; for the readers of 3.2 (and
            // epubcheck 4.2), a WebP needs a fallback in the manifest: the same
            // pixels as a PNG.
            if (r.format == doc::PictureFormat::WebP) {
                std::string png = stem + ".png";
                for (int k = 2; !used.insert(png).second; ++k) png = stem + "-" + std::to_string(k) + ".png";
                m_fallback_file[r.path] = "images/" + png;
            }
        }
    }

    void add_page(std::string id, const XhtmlDocument& doc) { new_page(std::move(id), doc.str()); }
    void new_page(std::string id, std::string xhtml) {
        std::string file = document_of(id);
        Entry entry{kContentDir + file, std::move(xhtml)};
        m_pages.push_back({std::move(id), std::move(file), std::move(entry)});
    }

    // Where reading starts: the first chapter opener or article.
    std::string first_body_file() const { return m_pages.at(m_first_body_page).file; }

    void cover_page() {
        XhtmlDocument doc(m_labels.cover, m_book.language, "frontmatter");
        XMLElement* section = doc.block(doc.body(), "section");
        section->SetAttribute("class", "cover");
        attr(section, "aria-label", m_labels.cover);
        // epub:type cover pairs with the role doc-cover, which belongs on the image.
        XMLElement* img = doc.inline_child(section, "img");
        attr(img, "src", m_locator.image_href.at(m_book.cover));
        attr(img, "alt", doc::fill_label(m_labels.cover_alt, {{"title", m_book.title}}));
        img->SetAttribute("epub:type", "cover");
        img->SetAttribute("role", "doc-cover");
        add_page("cover", doc);
    }

    void title_page() {
        XhtmlDocument doc(m_book.title, m_book.language, "frontmatter");
        XMLElement* section = doc.block(doc.body(), "section");
        section->SetAttribute("epub:type", "titlepage");
        section->SetAttribute("class", "titlepage");
        doc.text(section, "\n");
        // The book title is the page's heading, for readers that navigate by heading.
        XMLElement* h1 = doc.block(section, "h1");
        h1->SetAttribute("class", "book-title");
        const doc::TitlePage page = doc::title_page(m_book);
        doc.text(h1, page.title);
        Renderer r(doc, m_locator, "titlepage");
        paragraph_in_div(doc, r, section, "book-subtitle", page.subtitle);
        paragraph_in_div(doc, r, section, "book-author", page.authors);
        paragraph_in_div(doc, r, section, "book-publisher", page.publisher);
        add_page("titlepage", doc);
    }

    // <div class="…"><p>text</p></div>, the way the title page sets each of its lines;
    // nothing when the text is empty.
    static void paragraph_in_div(XhtmlDocument& doc, Renderer& r, XMLElement* parent, const char* style,
                                 const std::string& text) {
        if (text.empty()) return;
        XMLElement* div = doc.block(parent, "div");
        div->SetAttribute("class", style);
        doc.text(div, "\n");
        r.inlines(doc.block(div, "p"), {doc::Inline{doc::Text{text}}});
    }

    void copyright_page() {
        XhtmlDocument doc(m_labels.copyright, m_book.language, "frontmatter");
        XMLElement* section = doc.block(doc.body(), "section");
        section->SetAttribute("epub:type", "copyright-page");
        attr(section, "aria-label", m_labels.copyright);
        doc.text(section, "\n");
        Renderer r(doc, m_locator, "copyright");
        XMLElement* notice = doc.block(section, "div");
        notice->SetAttribute("class", "copyright");
        doc.text(notice, "\n");
        for (const doc::Inlines& statement : doc::copyright_page(m_book).statements)
            r.inlines(doc.block(notice, "p"), statement);
        add_page("copyright", doc);
    }

    // The contents as a page of the book, for readers that show the spine only.
    void contents_page() {
        XhtmlDocument doc(m_labels.contents, m_book.language, "frontmatter");
        XMLElement* nav = doc.block(doc.body(), "nav");
        nav->SetAttribute("role", "doc-toc");
        nav->SetAttribute("aria-labelledby", "contents-title");
        nav->SetAttribute("class", "contents");
        doc.text(nav, "\n");
        top_marks(doc, nav, "contents");
        XMLElement* h1 = doc.block(nav, "h1");
        h1->SetAttribute("id", "contents-title");
        doc.text(h1, m_labels.contents);
        toc_list(doc.xml(), nav, /*in_text_dir=*/true);
        add_page("contents", doc);
    }

    void chapter_opener(const doc::Chapter& c) {
        XhtmlDocument doc(c.title, m_book.language, "bodymatter");
        XMLElement* section = doc.block(doc.body(), "section");
        section->SetAttribute("epub:type", "part");
        section->SetAttribute("role", "doc-part");
        section->SetAttribute("id", c.id.c_str());
        section->SetAttribute("class", "part");
        doc.text(section, "\n");
        top_marks(doc, section, c.id);
        XMLElement* h1 = doc.block(section, "h1");
        doc.text(h1, c.title);
        add_page(c.id, doc);
    }

    // `ahead`, when given: the places a print page may begin, marked by placeholders
    // (write_ahead), and the sections' tops too, instead of the page list's marks.
    // `census`, when given, gets what the page holds (it reads every word again).
    std::string article_xhtml(const doc::Article& a, doc::Census* census, const PageMarks* ahead = nullptr) const {
        XhtmlDocument doc(a.title, doc::language_of(m_book, a), "bodymatter");
        XMLElement* section = doc.block(doc.body(), "section");
        section->SetAttribute("epub:type", "chapter");
        section->SetAttribute("role", "doc-chapter");
        section->SetAttribute("id", a.id.c_str());
        section->SetAttribute("aria-labelledby", (a.id + "-title").c_str());
        doc.text(section, "\n");
        top_marks(doc, section, a.id, ahead);
        XMLElement* h1 = doc.block(section, "h1");
        h1->SetAttribute("id", (a.id + "-title").c_str());
        doc.text(h1, a.title);
        if (!a.authors.empty() || a.date) {
            XMLElement* byline = doc.block(section, "p");
            byline->SetAttribute("class", "byline");
            std::string line = doc::join_names(a.authors, m_labels);
            if (a.date) line += (line.empty() ? "" : " \u00B7 ") + a.date->iso();
            // folio's words ("A and B") in the book's language, as the PDF sets them.
            if (!a.lang.empty() && a.authors.size() > 1) set_lang(byline, m_book.language);
            doc.text(byline, line);
        }
        Renderer r(doc, m_locator, a.id);
        if (ahead)
            r.set_page_marks(ahead, /*placeholders=*/true);
        else if (!m_text_marks.empty())
            r.set_page_marks(&m_text_marks);
        r.blocks(section, a.body);
        r.footnotes(section, a.notes, m_labels.notes);
        r.set_page_marks(nullptr);
        if (census) *census = census_of(section);
        credit_section(doc, doc.body(), r, a, ahead);
        return doc.str();
    }

    // What an article's page shows besides the article: the book's language and
    // words, where the other pages and the pictures are.
    std::string page_context() const {
        std::string out = "epub article page\n";
        KeyBytes k{out};
        k.text(m_book.language);
        doc::labels_material(k, m_labels);
        for (const auto* files : {&m_locator.article_file, &m_locator.image_href}) {
            k.number(static_cast<std::uint64_t>(files->size()));
            for (const auto& [from, to] : *files) {
                k.text(from);
                k.text(to);
            }
        }
        return out;
    }

    // An article's page from the memo (PackageOptions::deflated), deflated as the
    // zip stores it, with its census (kept whether or not this build asks, so that
    // a build with --stats finds what one without kept): kept under what the page
    // shows (the article, its print page breaks, page_context()) instead of its
    // bytes, so that the page of an article unchanged since the build before is
    // neither written nor deflated again.
    bool remembered_page(Entry& entry, const doc::Article& a, doc::Census& census) const {
        if (m_page_context.empty() || entry.compression != Compression::Deflate) return false;
        thread_local std::string material;  // reused: one an article
        material = m_page_context;
        KeyBytes k{material};
        const auto labels = [&](const std::vector<std::string>* list) {
            k.number(static_cast<std::uint64_t>(list ? list->size() : 0));
            if (list)
                for (const std::string& label : *list) k.text(label);
        };
        for (const std::string& section : {a.id, a.id + "-credit"}) {
            const auto it = m_top_marks.find(section);
            labels(it == m_top_marks.end() ? nullptr : &it->second);
        }
        doc::article_material(k, a, [&](const std::string& text) {
            const auto it = m_text_marks.find(&text);
            k.number(static_cast<std::uint64_t>(it == m_text_marks.end() ? 0 : it->second.size()));
            if (it != m_text_marks.end())
                for (const auto& [offset, label] : it->second) {
                    k.number(offset);
                    k.text(label);
                }
        });
        // Kept: the size and CRC-32 of the page, its census, the page deflated.
        static_assert(std::is_trivially_copyable_v<doc::Census>);
        constexpr std::size_t kHead = sizeof(std::uint64_t) + sizeof(std::uint32_t) + sizeof(doc::Census);
        const std::string kept = m_options.deflated->remembered(material, [&] {
            doc::Census counted;
            Entry page{entry.path, article_xhtml(a, &counted)};
            deflate_entry(page);  // as the zip stores it
            std::string value(reinterpret_cast<const char*>(&page.deflated->size), sizeof page.deflated->size);
            value.append(reinterpret_cast<const char*>(&page.deflated->crc), sizeof page.deflated->crc);
            value.append(reinterpret_cast<const char*>(&counted), sizeof counted);
            return value + page.bytes;
        });
        if (kept.size() < kHead) return false;  // not what was kept: written as ever
        Entry::Inflated inflated;
        std::memcpy(&inflated.size, kept.data(), sizeof inflated.size);
        std::memcpy(&inflated.crc, kept.data() + sizeof inflated.size, sizeof inflated.crc);
        std::memcpy(&census, kept.data() + sizeof inflated.size + sizeof inflated.crc, sizeof census);
        entry.bytes = kept.substr(kHead);
        entry.deflated = inflated;
        return true;
    }

    // An article's page written ahead, its placeholders replaced by the markers of
    // the pages that begin there, or by nothing.
    std::string with_page_breaks(std::string xhtml, const Ahead& ahead, const doc::Article& a) const {
        const auto marks = m_text_marks.find(&ahead.token);
        const auto labels_of = [&](std::string_view place) {
            std::vector<std::string> labels;
            if (place.starts_with(kTopOf)) {
                if (const auto it = m_top_marks.find(std::string(place.substr(kTopOf.size()))); it != m_top_marks.end())
                    labels = it->second;
            } else if (marks != m_text_marks.end()) {
                const auto number = static_cast<std::uint32_t>(std::stoul(std::string(place)));
                for (const auto& [at, label] : marks->second)
                    if (at == number) labels.push_back(label);
            }
            return labels;
        };
        std::string out;
        out.reserve(xhtml.size() + 256);
        std::size_t from = 0;
        for (std::size_t at; (at = xhtml.find(kPlaceholderOpen, from)) != std::string::npos;) {
            const std::size_t begin = at + kPlaceholderOpen.size();
            const std::size_t end = xhtml.find(kPlaceholderClose, begin);
            if (end == std::string::npos)
                throw Error("internal error: a page-break placeholder is not closed in '" + document_of(a.id) + "'");
            out.append(xhtml, from, at - from);
            for (const std::string& label : labels_of(std::string_view(xhtml).substr(begin, end - begin)))
                out += page_break_markup(label);
            from = end + kPlaceholderClose.size();
        }
        out.append(xhtml, from);
        return out;
    }

    void credit_section(XhtmlDocument& doc, XMLElement* parent, Renderer& r, const doc::Article& a,
                        const PageMarks* ahead = nullptr) const {
        const doc::CreditBlock credit = doc::credit_block(m_book, a);
        if (credit.empty()) return;
        XMLElement* section = doc.block(parent, "section");
        section->SetAttribute("epub:type", "credit");
        section->SetAttribute("role", "doc-credit");
        section->SetAttribute("class", "credit");
        attr(section, "aria-label", m_labels.credit);
        section->SetAttribute("id", (a.id + "-credit").c_str());
        // The credit is in the book's language, even when the article is not.
        if (!a.lang.empty()) set_lang(section, m_book.language);
        doc.text(section, "\n");
        top_marks(doc, section, a.id + "-credit", ahead);
        for (const doc::Inlines& line : credit.lines) r.inlines(doc.block(section, "p"), line);
    }

    void credits_page() {
        XhtmlDocument doc(m_labels.credits, m_book.language, "backmatter");
        XMLElement* section = doc.block(doc.body(), "section");
        section->SetAttribute("epub:type", "credits");
        section->SetAttribute("role", "doc-credits");
        section->SetAttribute("aria-labelledby", "credits-title");
        section->SetAttribute("class", "credits");
        doc.text(section, "\n");
        top_marks(doc, section, "credits");
        XMLElement* h1 = doc.block(section, "h1");
        h1->SetAttribute("id", "credits-title");
        doc.text(h1, m_labels.credits);
        Renderer r(doc, m_locator, "credits");
        for (doc::CreditsEntry& entry : doc::credits_page(m_book)) {
            XMLElement* div = doc.block(section, "div");
            div->SetAttribute("class", "credit-entry");
            doc.text(div, "\n");
            doc::Inline link{doc::Link{{}, {}, std::move(entry.title), doc::InternalTarget{entry.article_id, {}}}};
            const doc::Inlines title{doc::Inline{doc::Strong{{std::move(link)}}}};
            r.inlines(doc.block(div, "p"), title);
            for (const doc::Inlines& line : entry.credit.lines) r.inlines(doc.block(div, "p"), line);
        }
        add_page("credits", doc);
    }

    // ---- the print edition's page list ----

    bool has_page_list() const { return !m_page_targets.empty(); }

    // Where each page of the print edition begins in the package. A page whose first
    // line is a word of an article's text is marked before that word (a word
    // hyphenated over the page turn: before the word), inside its paragraph; a page
    // whose first line is text folio composed itself (an article's title, a credit,
    // the contents, the credits page) is marked at the top of the section the page
    // begins with. A page that begins neither way (a page of the contents or the
    // credits run on, a page that begins with a picture) has no marker of its own:
    // the page list sends the reader to the last marker before it, whose text runs
    // on onto that page.
    void plan_page_list() {
        if (!m_options.page_list || m_options.page_list->entries.empty()) return;
        // The article whose text each page begins in, found by walking the articles'
        // texts for the few addresses the pages name (a map of every text of a long
        // book, by address, would be as large as the text itself).
        std::unordered_map<const std::string*, const std::string*> article_of;  // text -> article id
        for (const doc::PageListEntry& e : m_options.page_list->entries)
            if (e.text) article_of.emplace(e.text->text, nullptr);
        // An article written ahead is named by its token (write_ahead), its text gone.
        for (std::size_t i = 0; i < m_ahead.size(); ++i)
            if (const auto it = article_of.find(&m_ahead[i].token); it != article_of.end() && m_ahead[i].written)
                it->second = &m_articles[i]->id;
        for (std::size_t i = 0; i < m_articles.size(); ++i)
            if (!m_ahead[i].written) {
                const doc::Article& a = *m_articles[i];
                const auto found = [&](const std::string& text) {
                    if (const auto it = article_of.find(&text); it != article_of.end() && !it->second)
                        it->second = &a.id;
                };
                auto add_inlines = [&](const doc::Inlines& list, auto&& self) -> void {
                    for (const doc::Inline& in : list)
                        doc::visit(
                            [&](const auto& v) {
                                using T = std::decay_t<decltype(v)>;
                                if constexpr (std::is_same_v<T, doc::Text> || std::is_same_v<T, doc::Code>)
                                    found(v.text);
                                else if constexpr (requires { v.content; })
                                    self(v.content, self);
                            },
                            in.value);
                };
                auto add_blocks = [&](const doc::Blocks& blocks) {
                    doc::for_each_inlines(blocks, [&](const doc::Inlines& list) { add_inlines(list, add_inlines); });
                    doc::for_each_block(blocks, [&](const doc::Block& b) {
                        if (const auto* code = std::get_if<doc::CodeBlock>(&b.value)) found(code->text);
                    });
                };
                add_blocks(a.body);
                for (const doc::Footnote& n : a.notes) add_blocks(n.content);
            }
        // The sections a page may begin with, by their destination, and their files.
        std::map<std::string, std::string> section_file{{"contents", "contents.xhtml"}, {"credits", "credits.xhtml"}};
        for (const doc::Chapter& c : m_book.chapters) {
            if (!c.title.empty()) section_file[c.id] = c.id + ".xhtml";
            for (const doc::Article& a : c.articles) {
                section_file[a.id] = a.id + ".xhtml";
                section_file[a.id + "-credit"] = a.id + ".xhtml";
            }
        }
        std::string last;  // the href of the last marker so far
        std::vector<std::size_t> unmarked_first;  // pages before the first marker
        for (const doc::PageListEntry& e : m_options.page_list->entries) {
            PageTarget t{e.label, {}, !e.label.empty() && !std::isdigit(static_cast<unsigned char>(e.label[0]))};
            const std::string* article = e.text ? article_of.at(e.text->text) : nullptr;
            if (article) {
                m_text_marks[e.text->text].emplace_back(e.text->offset, e.label);
                t.href = "text/" + *article + ".xhtml#" + page_id(e.label);
            } else if (auto s = section_file.find(e.top_anchor); s != section_file.end()) {
                m_top_marks[e.top_anchor].push_back(e.label);
                t.href = "text/" + s->second + "#" + page_id(e.label);
            }
            if (t.href.empty()) {
                t.href = last;
                if (last.empty()) unmarked_first.push_back(m_page_targets.size());
            } else {
                last = t.href;
                for (std::size_t i : unmarked_first) m_page_targets[i].href = t.href;
                unmarked_first.clear();
            }
            m_page_targets.push_back(std::move(t));
        }
        if (!unmarked_first.empty()) m_page_targets.clear();  // nothing marked at all: no list
        for (auto& [text, marks] : m_text_marks)
            std::stable_sort(marks.begin(), marks.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    }

    // The markers of the pages that begin with the section `anchor` names; with
    // `ahead` (write_ahead), a placeholder for them.
    void top_marks(XhtmlDocument& doc, XMLElement* parent, const std::string& anchor,
                   const PageMarks* ahead = nullptr) const {
        if (ahead) {
            page_break_placeholder(doc, parent, std::string(kTopOf) + anchor);
            return;
        }
        const auto it = m_top_marks.find(anchor);
        if (it == m_top_marks.end()) return;
        for (const std::string& label : it->second) page_break(doc, parent, label);
    }

    // <ol> of chapters and articles. Hrefs are relative to EPUB/ (nav) or EPUB/text/.
    void toc_list(XMLDocument& doc, XMLElement* parent, bool in_text_dir) const {
        const std::string dir = in_text_dir ? "" : "text/";
        XMLElement* ol = child(doc, parent, "ol");
        ol->InsertEndChild(doc.NewText("\n"));
        auto item = [&](XMLElement* list, const std::string& href, const std::string& label,
                        const std::string& lang = {}) {
            XMLElement* li = child(doc, list, "li");
            XMLElement* a = doc.NewElement("a");
            li->InsertEndChild(a);
            attr(a, "href", dir + href);
            if (!lang.empty()) set_lang(a, lang);  // a title in another language (WCAG 3.1.2)
            a->InsertEndChild(doc.NewText(text::xml_safe(label).c_str()));
            return li;
        };
        for (const doc::Chapter& c : m_book.chapters) {
            XMLElement* list = ol;
            if (!c.title.empty()) {
                XMLElement* li = item(ol, c.id + ".xhtml", c.title);
                li->InsertEndChild(doc.NewText("\n"));
                list = child(doc, li, "ol");
                list->InsertEndChild(doc.NewText("\n"));
            }
            for (const doc::Article& a : c.articles) item(list, a.id + ".xhtml", a.title, a.lang);
        }
        item(ol, "credits.xhtml", m_labels.credits);
    }

    std::string container() const {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
               "<rootfiles>\n"
               "<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
               "</rootfiles>\n"
               "</container>\n";
    }

    bool has_images() const { return !m_book.resources.empty(); }

    // {tables in the book, tables with a header}.
    std::pair<int, int> tables() const {
        int all = 0, headed = 0;
        m_book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            doc::for_each_block(a.body, [&](const doc::Block& b) {
                if (const auto* t = std::get_if<doc::Table>(&b.value)) {
                    ++all;
                    if (has_header(*t)) ++headed;
                }
            });
        });
        return {all, headed};
    }

    bool all_images_described() const {
        bool ok = true;
        m_book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            ok = ok && every_image_has_alt(a.body);
            for (const doc::Footnote& n : a.notes) ok = ok && every_image_has_alt(n.content);
        });
        return ok;
    }

    std::string opf() const {
        XMLDocument doc;
        XMLElement* package = doc.NewElement("package");
        doc.InsertEndChild(package);
        package->SetAttribute("xmlns", "http://www.idpf.org/2007/opf");
        package->SetAttribute("version", "3.0");
        package->SetAttribute("unique-identifier", "uid");
        attr(package, "xml:lang", m_book.language);
        bool creative_commons = false;
        m_book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            creative_commons = creative_commons || doc::has_creative_commons_url(a.credit.licence);
        });
        if (creative_commons) package->SetAttribute("prefix", "cc: http://creativecommons.org/ns#");
        package->InsertEndChild(doc.NewText("\n"));

        XMLElement* md = child(doc, package, "metadata");
        md->SetAttribute("xmlns:dc", "http://purl.org/dc/elements/1.1/");
        md->InsertEndChild(doc.NewText("\n"));
        attr(child(doc, md, "dc:identifier", m_book.identifier), "id", "uid");
        attr(child(doc, md, "dc:title", m_book.title), "id", "title");
        meta(doc, md, "title-type", "main", "#title");
        if (!m_book.subtitle.empty()) {
            attr(child(doc, md, "dc:title", m_book.subtitle), "id", "subtitle");
            meta(doc, md, "title-type", "subtitle", "#subtitle");
        }
        for (std::size_t i = 0; i < m_book.authors.size(); ++i)
            attr(child(doc, md, "dc:creator", m_book.authors[i]), "id", "creator" + std::to_string(i + 1));
        child(doc, md, "dc:language", m_book.language);
        if (m_book.date) child(doc, md, "dc:date", m_book.date->iso());
        if (!m_book.publisher.empty()) child(doc, md, "dc:publisher", m_book.publisher);
        child(doc, md, "dc:rights", doc::rights_statement(m_book));
        if (!m_book.isbn.empty() || has_page_list()) {
            // The print edition this EPUB reproduces, and whose pages its page list
            // follows (EPUB Accessibility Techniques 1.1 §4.1, the page source): its
            // ISBN, else the book's identifier, which the print edition shares.
            const std::string source = m_options.page_list && !m_options.page_list->source.empty()
                                           ? m_options.page_list->source
                                           : "urn:isbn:" + m_book.isbn;
            attr(child(doc, md, "dc:source", source), "id", "print-source");
            if (has_page_list()) meta(doc, md, "source-of", "pagination", "#print-source");
        }
        meta(doc, md, "dcterms:modified", text::iso_timestamp(m_options.modified));
        if (!m_book.cover.empty()) {
            XMLElement* cover = child(doc, md, "meta");
            cover->SetAttribute("name", "cover");
            attr(cover, "content", m_resource_id.at(m_book.cover));
        }
        XMLElement* gen = child(doc, md, "meta");
        gen->SetAttribute("name", "generator");
        attr(gen, "content", m_options.generator);

        accessibility(doc, md);
        provenance(doc, md);

        XMLElement* manifest = child(doc, package, "manifest");
        manifest->InsertEndChild(doc.NewText("\n"));
        auto item = [&](const std::string& id, const std::string& href, const char* type, const char* props) {
            XMLElement* it = child(doc, manifest, "item");
            attr(it, "id", id);
            attr(it, "href", href);
            it->SetAttribute("media-type", type);
            if (props) it->SetAttribute("properties", props);
        };
        item("nav", "nav.xhtml", "application/xhtml+xml", "nav");
        item("ncx", "toc.ncx", "application/x-dtbncx+xml", nullptr);
        item("css", "css/epub.css", "text/css", nullptr);
        for (const Page& p : m_pages) item(p.id, p.file, "application/xhtml+xml", nullptr);
        for (const doc::Resource& r : m_book.resources) {
            const std::string& id = m_resource_id.at(r.path);
            auto fallback = m_fallback_file.find(r.path);
            // A cover in a format that needs a fallback is declared by its fallback.
            const bool cover = r.path == m_book.cover;
            item(id, m_resource_file.at(r.path), r.media_type.c_str(),
                 cover && fallback == m_fallback_file.end() ? "cover-image" : nullptr);
            if (fallback == m_fallback_file.end()) continue;
            manifest->LastChildElement("item")->SetAttribute("fallback", (id + "-png").c_str());
            item(id + "-png", fallback->second, "image/png", cover ? "cover-image" : nullptr);
        }

        XMLElement* spine = child(doc, package, "spine");
        spine->SetAttribute("toc", "ncx");
        spine->InsertEndChild(doc.NewText("\n"));
        for (const Page& p : m_pages) {
            attr(child(doc, spine, "itemref"), "idref", p.id);
        }

        // EPUB 2's landmarks, still read by older readers.
        XMLElement* guide = child(doc, package, "guide");
        guide->InsertEndChild(doc.NewText("\n"));
        auto reference = [&](const char* type, const std::string& title, const std::string& href) {
            XMLElement* r = child(doc, guide, "reference");
            r->SetAttribute("type", type);
            attr(r, "title", title);
            attr(r, "href", href);
        };
        if (!m_book.cover.empty()) reference("cover", m_labels.cover, "text/cover.xhtml");
        reference("title-page", m_labels.title_page, "text/titlepage.xhtml");
        reference("toc", m_labels.contents, "text/contents.xhtml");
        reference("text", m_labels.beginning, first_body_file());
        return print_xml(doc);
    }

    static XMLElement* meta(XMLDocument& doc, XMLElement* md, const char* property, std::string_view value,
                            std::string_view refines = {}) {
        XMLElement* m = child(doc, md, "meta", value);
        if (!refines.empty()) attr(m, "refines", refines);
        m->SetAttribute("property", property);
        return m;
    }

    // EPUB Accessibility 1.1 §2: what the content really offers, derived from it.
    void accessibility(XMLDocument& doc, XMLElement* md) const {
        const bool images = has_images();
        const bool described = m_all_images_described;
        meta(doc, md, "schema:accessMode", "textual");
        if (images) meta(doc, md, "schema:accessMode", "visual");
        if (!images || described) meta(doc, md, "schema:accessModeSufficient", "textual");
        if (images) meta(doc, md, "schema:accessModeSufficient", "textual,visual");
        for (const char* f : {"structuralNavigation", "tableOfContents", "readingOrder"})
            meta(doc, md, "schema:accessibilityFeature", f);
        if (images && described) meta(doc, md, "schema:accessibilityFeature", "alternativeText");
        // The print edition's page list. (schema:accessibilityFeature pageBreakSource
        // is left out: Debian's epubcheck 4.2.6 reports it as OPF-027, an unknown
        // property value; dc:source with source-of says the same.)
        if (has_page_list())
            for (const char* f : {"printPageNumbers", "pageBreakMarkers", "pageNavigation"})
                meta(doc, md, "schema:accessibilityFeature", f);
        meta(doc, md, "schema:accessibilityHazard", "none");
        std::string summary =
            "This publication has a navigable table of contents, headings in a logical order, a defined reading "
            "order and language marked for the book and for passages in other languages.";
        if (has_page_list())
            summary += " It lists the pages of the print edition (" + m_options.page_list->source +
                       ") and marks where each of them begins.";
        if (images)
            summary += described ? " Every image has a text description."
                                 : " Some images have no text description.";
        const auto [tables, headed] = m_tables;
        if (tables > 0)
            summary += headed == tables ? " Every table has header cells." : " Some tables have no header cells.";
        // The claim of EPUB Accessibility 1.1 §2.3 is made only where folio knows it
        // holds: every image described and every table headed (the rest of WCAG AA
        // that a book's content can break — contrast, structure, language — folio's
        // own pages and style keep). Who certifies it is the publisher's to say.
        const bool conforms = (!images || described) && headed == tables;
        if (conforms) {
            meta(doc, md, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
            if (!m_book.certified_by.empty()) meta(doc, md, "a11y:certifiedBy", m_book.certified_by);
        }
        summary += conforms ? " It meets EPUB Accessibility 1.1 at WCAG 2.1 Level AA."
                            : " For that reason it does not claim conformance with EPUB Accessibility 1.1.";
        meta(doc, md, "schema:accessibilitySummary", summary);
    }

    // Each article's credit, as data: creator, source, licence and the credit line,
    // refining the article's manifest item.
    void provenance(XMLDocument& doc, XMLElement* md) const {
        m_book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            const std::string ref = "#" + a.id;
            meta(doc, md, "dcterms:title", a.title, ref);
            for (const std::string& author : a.authors) meta(doc, md, "dcterms:creator", author, ref);
            if (!a.credit.site.empty()) meta(doc, md, "dcterms:publisher", a.credit.site, ref);
            if (a.date) meta(doc, md, "dcterms:date", a.date->iso(), ref);
            if (!a.credit.source.empty()) meta(doc, md, "dcterms:source", a.credit.source, ref);
            if (!a.credit.license.empty()) meta(doc, md, "dcterms:license", a.credit.license, ref);
            if (!a.credit.license_url.empty() && a.credit.license_url != a.credit.license)
                meta(doc, md, "dcterms:license", a.credit.license_url, ref);
            if (!a.credit.text.empty())
                meta(doc, md, "dcterms:bibliographicCitation", a.credit.statement(), ref);  // the licence line too
            // A Creative Commons licence as the CC namespace names it, by its legal code
            // (the package declares the cc: prefix when any article has one).
            if (doc::has_creative_commons_url(a.credit.licence)) {
                XMLElement* link = child(doc, md, "link");
                attr(link, "rel", "cc:license");
                attr(link, "href", a.credit.licence.url);
                attr(link, "refines", ref);
            }
            if (!a.lang.empty()) meta(doc, md, "dcterms:language", a.lang, ref);
            if (!a.summary.empty()) meta(doc, md, "dcterms:abstract", a.summary, ref);
        });
    }

    std::string nav() const {
        XhtmlDocument doc(m_labels.contents, m_book.language, "");
        XMLDocument& x = doc.xml();
        // nav.xhtml sits in EPUB/, beside css/: its stylesheet link must not climb.
        doc.xml().RootElement()->FirstChildElement("head")->FirstChildElement("link")->SetAttribute("href",
                                                                                                    "css/epub.css");
        XMLElement* toc = doc.block(doc.body(), "nav");
        toc->SetAttribute("epub:type", "toc");
        toc->SetAttribute("role", "doc-toc");
        toc->SetAttribute("id", "toc");
        toc->SetAttribute("aria-labelledby", "toc-title");
        doc.text(toc, "\n");
        XMLElement* h1 = doc.block(toc, "h1");
        h1->SetAttribute("id", "toc-title");
        doc.text(h1, m_labels.contents);
        toc_list(x, toc, /*in_text_dir=*/false);

        XMLElement* landmarks = doc.block(doc.body(), "nav");
        landmarks->SetAttribute("epub:type", "landmarks");
        landmarks->SetAttribute("id", "landmarks");
        attr(landmarks, "aria-label", m_labels.landmarks);
        landmarks->SetAttribute("hidden", "");
        doc.text(landmarks, "\n");
        XMLElement* ol = doc.block(landmarks, "ol");
        doc.text(ol, "\n");
        auto mark = [&](const char* type, const std::string& href, const std::string& label) {
            XMLElement* li = doc.block(ol, "li");
            XMLElement* a = doc.inline_child(li, "a");
            a->SetAttribute("epub:type", type);
            attr(a, "href", href);
            doc.text(a, label);
        };
        if (!m_book.cover.empty()) mark("cover", "text/cover.xhtml", m_labels.cover);
        mark("titlepage", "text/titlepage.xhtml", m_labels.title_page);
        mark("toc", "text/contents.xhtml", m_labels.contents);
        mark("bodymatter", first_body_file(), m_labels.beginning);
        mark("credits", "text/credits.xhtml", m_labels.credits);

        if (has_page_list()) {
            XMLElement* pages = doc.block(doc.body(), "nav");
            pages->SetAttribute("epub:type", "page-list");
            pages->SetAttribute("id", "page-list");
            attr(pages, "aria-label", m_labels.pages);
            pages->SetAttribute("hidden", "");
            doc.text(pages, "\n");
            XMLElement* list = doc.block(pages, "ol");
            doc.text(list, "\n");
            for (const PageTarget& t : m_page_targets) {
                XMLElement* a = doc.inline_child(doc.block(list, "li"), "a");
                attr(a, "href", t.href);
                doc.text(a, t.label);
            }
        }
        return doc.str();
    }

    // The NCX's playOrder: every place a navPoint or pageTarget points to, numbered
    // in reading order (NCX 2005-1: targets of one place share their number, as a
    // page with no marker of its own shares the one before it): by the file's place
    // in the spine, a file's top before the page markers in it, in page order.
    std::map<std::string, int> play_order() const {
        std::map<std::string, std::size_t> spine;  // "text/a01.xhtml" -> its place
        for (std::size_t i = 0; i < m_pages.size(); ++i) spine.emplace(m_pages[i].file, i);
        std::map<std::string, std::pair<std::size_t, std::size_t>> place;  // src -> (file, place in it)
        for (const doc::Chapter& c : m_book.chapters) {
            if (!c.title.empty()) place.emplace("text/" + c.id + ".xhtml", std::pair{spine.at("text/" + c.id + ".xhtml"), 0});
            for (const doc::Article& a : c.articles)
                place.emplace("text/" + a.id + ".xhtml", std::pair{spine.at("text/" + a.id + ".xhtml"), 0});
        }
        place.emplace("text/credits.xhtml", std::pair{spine.at("text/credits.xhtml"), 0});
        std::size_t k = 0;
        for (const PageTarget& t : m_page_targets)
            place.emplace(t.href, std::pair{spine.at(t.href.substr(0, t.href.find('#'))), ++k});
        std::vector<std::pair<std::pair<std::size_t, std::size_t>, std::string>> sorted;
        for (const auto& [src, at] : place) sorted.emplace_back(at, src);
        std::sort(sorted.begin(), sorted.end());
        std::map<std::string, int> out;
        for (std::size_t i = 0; i < sorted.size(); ++i) out[sorted[i].second] = static_cast<int>(i + 1);
        return out;
    }

    // The EPUB 2 table of contents (NCX), for old readers; two levels, as Kindle reads.
    std::string ncx() const {
        XMLDocument doc;
        XMLElement* root = doc.NewElement("ncx");
        doc.InsertEndChild(root);
        root->SetAttribute("xmlns", "http://www.daisy.org/z3986/2005/ncx/");
        root->SetAttribute("version", "2005-1");
        attr(root, "xml:lang", m_book.language);
        root->InsertEndChild(doc.NewText("\n"));
        XMLElement* head = child(doc, root, "head");
        head->InsertEndChild(doc.NewText("\n"));
        bool nested = false;
        for (const doc::Chapter& c : m_book.chapters) nested = nested || !c.title.empty();
        auto head_meta = [&](const char* name, const std::string& content) {
            XMLElement* m = child(doc, head, "meta");
            m->SetAttribute("name", name);
            attr(m, "content", content);
        };
        head_meta("dtb:uid", m_book.identifier);
        head_meta("dtb:depth", nested ? "2" : "1");
        int max_page = 0;
        for (const PageTarget& t : m_page_targets)
            if (!t.front) max_page = std::max(max_page, std::atoi(t.label.c_str()));
        head_meta("dtb:totalPageCount", std::to_string(m_page_targets.size()));
        head_meta("dtb:maxPageNumber", std::to_string(max_page));
        XMLElement* title = child(doc, root, "docTitle");
        XMLElement* t = doc.NewElement("text");
        title->InsertEndChild(t);
        t->InsertEndChild(doc.NewText(text::xml_safe(m_book.title).c_str()));
        XMLElement* map = child(doc, root, "navMap");
        map->InsertEndChild(doc.NewText("\n"));
        const std::map<std::string, int> play_order = this->play_order();
        auto point = [&](XMLElement* parent, const std::string& id, const std::string& label, const std::string& src) {
            XMLElement* p = child(doc, parent, "navPoint");
            attr(p, "id", "np-" + id);
            p->SetAttribute("playOrder", play_order.at(src));
            XMLElement* nl = doc.NewElement("navLabel");
            p->InsertEndChild(nl);
            XMLElement* text_el = doc.NewElement("text");
            nl->InsertEndChild(text_el);
            text_el->InsertEndChild(doc.NewText(text::xml_safe(label).c_str()));
            XMLElement* content = doc.NewElement("content");
            p->InsertEndChild(content);
            attr(content, "src", src);
            return p;
        };
        for (const doc::Chapter& c : m_book.chapters) {
            XMLElement* parent = map;
            if (!c.title.empty()) parent = point(map, c.id, c.title, document_of(c.id));
            for (const doc::Article& a : c.articles) point(parent, a.id, a.title, document_of(a.id));
        }
        point(map, "credits", m_labels.credits, "text/credits.xhtml");
        if (has_page_list()) {
            XMLElement* list = child(doc, root, "pageList");
            list->InsertEndChild(doc.NewText("\n"));
            auto label = [&](XMLElement* parent, const std::string& s) {
                XMLElement* nl = doc.NewElement("navLabel");
                parent->InsertEndChild(nl);
                XMLElement* text_el = doc.NewElement("text");
                nl->InsertEndChild(text_el);
                text_el->InsertEndChild(doc.NewText(text::xml_safe(s).c_str()));
            };
            label(list, m_labels.pages);
            for (std::size_t i = 0; i < m_page_targets.size(); ++i) {
                const PageTarget& page = m_page_targets[i];
                XMLElement* target = child(doc, list, "pageTarget");
                attr(target, "id", "pt-" + std::to_string(i + 1));
                // NCX 2005-1: a roman folio is a "front" page, with no number value.
                target->SetAttribute("type", page.front ? "front" : "normal");
                if (!page.front) attr(target, "value", page.label);
                target->SetAttribute("playOrder", play_order.at(page.href));
                label(target, page.label);
                XMLElement* content = doc.NewElement("content");
                target->InsertEndChild(content);
                attr(content, "src", page.href);
            }
        }
        return print_xml(doc);
    }

    const doc::Book& m_book;
    const doc::Labels& m_labels = m_book.labels;  // every word the package writes itself
    const PackageOptions& m_options;
    doc::Book* m_consume = nullptr;
    bool m_prepared = false;
    std::vector<const doc::Article*> m_articles;  // in reading order
    std::vector<Ahead> m_ahead;  // by article; sized once (prepare), as the tokens' addresses must hold
    bool m_all_images_described = true;
    std::pair<int, int> m_tables;  // tables(), before any text is released
    Locator m_locator;
    std::vector<Page> m_pages;
    std::size_t m_first_body_page = 0;
    struct PageTarget {
        std::string label;
        std::string href;  // from EPUB/: "text/a03.xhtml#page-12"
        bool front;        // a roman folio
    };
    std::vector<PageTarget> m_page_targets;                     // in print order
    PageMarks m_text_marks;                                     // pages that begin in an article's text
    std::string m_page_context;  // page_context(), when article pages go through the memo
    std::map<std::string, std::vector<std::string>> m_top_marks;  // section -> labels of pages it begins
    std::map<std::string, std::string> m_resource_file;  // resource path -> "images/x.png"
    std::map<std::string, std::string> m_resource_id;    // resource path -> "img1"
    std::map<std::string, std::string> m_fallback_file;  // a WebP's path -> "images/x.png", its PNG stand-in
};

}  // namespace

std::string document_of(const std::string& id) { return "text/" + id + ".xhtml"; }

std::vector<Entry> build_package(const doc::Book& book, const PackageOptions& options) {
    return PackageBuilder(book, options).build();
}

std::vector<Entry> build_package_consuming(doc::Book& book, const PackageOptions& options) {
    return PackageBuilder(book, options, &book).build();
}

struct PackageAhead::Builder : PackageBuilder {
    using PackageBuilder::PackageBuilder;
};

PackageAhead::PackageAhead(doc::Book& book, const PackageOptions& options)
    : m_options(options), m_builder(std::make_unique<Builder>(book, m_options, &book)) {
    m_options.page_list = nullptr;
    m_builder->prepare();
}

PackageAhead::~PackageAhead() = default;

void PackageAhead::write_article(std::size_t i, const std::vector<doc::TextPosition*>& first_words) {
    m_builder->write_ahead(i, first_words);
}

std::vector<Entry> PackageAhead::finish(const doc::PageList* page_list) {
    m_options.page_list = page_list;
    return m_builder->build();
}

}  // namespace folio::epub
