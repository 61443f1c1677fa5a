#include "epub/xhtml.hpp"

#include "core/text.hpp"
#include "doc/direction.hpp"

#include <algorithm>

namespace folio::epub {

using tinyxml2::XMLElement;

std::string Locator::href(const doc::InternalTarget& target) const {
    auto it = article_file.find(target.article_id);
    std::string out = it == article_file.end() ? std::string() : it->second;
    if (!target.anchor.empty()) out += "#" + target.anchor;
    return out;
}

namespace {

bool is_block_element(std::string_view n) {
    static constexpr std::string_view kBlocks[] = {"p",   "h1", "h2",     "h3",         "h4",    "h5",    "h6",
                                                   "li",  "td", "th",     "pre",        "div",   "blockquote",
                                                   "figure", "figcaption", "aside", "section", "table", "tr",
                                                   "ul",  "ol", "dl",     "dt",         "dd",    "hr",    "br"};
    return std::find(std::begin(kBlocks), std::end(kBlocks), n) != std::end(kBlocks);
}

void count(const tinyxml2::XMLNode* node, doc::Census& c, doc::WordCounter& words) {
    for (const tinyxml2::XMLNode* n = node->FirstChild(); n; n = n->NextSibling()) {
        if (const tinyxml2::XMLText* t = n->ToText()) {
            words.text(t->Value());
            continue;
        }
        const XMLElement* e = n->ToElement();
        if (!e) continue;
        const std::string_view name = e->Name();
        const char* type = e->Attribute("epub:type");
        const char* cls = e->Attribute("class");
        if (name == "h1" || (name == "p" && cls && std::string_view(cls) == "byline")) continue;  // title and byline
        if (name == "a" && ((type && std::string_view(type) == "noteref") ||
                            (cls && std::string_view(cls) == "note-number")))
            continue;  // a note's call and its number
        if (name == "img") ++c.pictures;
        if (name == "table") ++c.tables;
        if (name == "pre") ++c.code_blocks;
        if (name == "aside" && type && std::string_view(type) == "footnote") ++c.footnotes;
        if (name == "a")
            if (const char* href = e->Attribute("href")) {
                const std::string_view h = href;
                ++(h.rfind("http:", 0) == 0 || h.rfind("https:", 0) == 0 || h.rfind("mailto:", 0) == 0
                       ? c.links_external
                       : c.links_internal);
            }
        const bool block = is_block_element(name);
        if (block) words.space();
        count(e, c, words);
        if (block) words.space();
    }
}

}  // namespace

doc::Census census_of(const XMLElement* section) {
    doc::Census c;
    doc::WordCounter words;
    count(section, c, words);
    c.words = words.words();
    return c;
}

void set_lang(XMLElement* element, std::string_view lang) {
    const std::string l(lang);
    element->SetAttribute("xml:lang", l.c_str());
    element->SetAttribute("lang", l.c_str());
    if (doc::is_rtl_language(l)) element->SetAttribute("dir", "rtl");
}

namespace {

// Text of `node` outside elements with a direction of their own (which dir="auto"
// does not look into either) that holds right-to-left letters.
bool text_has_rtl(const tinyxml2::XMLNode* node) {
    for (const tinyxml2::XMLNode* n = node->FirstChild(); n; n = n->NextSibling()) {
        if (const tinyxml2::XMLText* t = n->ToText(); t && doc::has_rtl_characters(t->Value())) return true;
        if (const tinyxml2::XMLElement* e = n->ToElement(); e && !e->Attribute("dir") && text_has_rtl(e)) return true;
    }
    return false;
}

bool direction_set(const tinyxml2::XMLElement* e) {
    for (; e; e = e->Parent() ? e->Parent()->ToElement() : nullptr)
        if (e->Attribute("dir")) return true;
    return false;
}

}  // namespace

void mark_direction(XMLElement* block) {
    if (!block->Attribute("lang") && !direction_set(block) && text_has_rtl(block)) block->SetAttribute("dir", "auto");
}

XhtmlDocument::XhtmlDocument(std::string_view title, std::string_view lang, std::string_view body_type) {
    XMLElement* html = m_doc.NewElement("html");
    m_doc.InsertEndChild(html);
    html->SetAttribute("xmlns", "http://www.w3.org/1999/xhtml");
    html->SetAttribute("xmlns:epub", "http://www.idpf.org/2007/ops");
    set_lang(html, lang);
    text(html, "\n");
    XMLElement* head = block(html, "head");
    text(head, "\n");
    XMLElement* meta = block(head, "meta");
    meta->SetAttribute("charset", "utf-8");
    XMLElement* t = block(head, "title");
    text(t, title);
    XMLElement* link = block(head, "link");
    link->SetAttribute("rel", "stylesheet");
    link->SetAttribute("type", "text/css");
    link->SetAttribute("href", "../css/epub.css");
    m_body = block(html, "body");
    if (!body_type.empty()) m_body->SetAttribute("epub:type", std::string(body_type).c_str());
    text(m_body, "\n");
}

XMLElement* XhtmlDocument::block(XMLElement* parent, const char* name) {
    XMLElement* e = m_doc.NewElement(name);
    parent->InsertEndChild(e);
    parent->InsertEndChild(m_doc.NewText("\n"));
    return e;
}

XMLElement* XhtmlDocument::inline_child(XMLElement* parent, const char* name) {
    XMLElement* e = m_doc.NewElement(name);
    parent->InsertEndChild(e);
    return e;
}

void XhtmlDocument::text(XMLElement* parent, std::string_view s) {
    parent->InsertEndChild(m_doc.NewText(text::xml_safe(s).c_str()));
}

std::string XhtmlDocument::str() const {
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    m_doc.RootElement()->Accept(&printer);
    constexpr std::string_view head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n";
    const auto printed = static_cast<std::size_t>(printer.CStrSize() - 1);
    std::string out;
    out.reserve(head.size() + printed + 1);  // held till the zip is written: no room to spare
    out.append(head).append(printer.CStr(), printed) += '\n';
    return out;
}

// ---- the renderer --------------------------------------------------------------------

Renderer::Renderer(XhtmlDocument& doc, const Locator& locator, std::string prefix)
    : m_doc(doc), m_locator(locator), m_prefix(std::move(prefix)) {}

void Renderer::blocks(XMLElement* parent, const doc::Blocks& list) {
    for (const doc::Block& b : list) block(parent, b);
}

namespace {

const doc::Image* sole_image(const doc::Paragraph& p) {
    if (p.content.size() != 1) return nullptr;
    return doc::get_if<doc::Image>(&p.content.front().value);
}

// A paragraph of pictures and the white space between them only: a row of photos.
bool only_images(const doc::Inlines& list) {
    bool any = false;
    for (const doc::Inline& in : list) {
        if (doc::holds_alternative<doc::Image>(in.value)) {
            any = true;
        } else if (const auto* t = doc::get_if<doc::Text>(&in.value)) {
            if (!text::trim(t->text).empty()) return false;
        } else if (!doc::holds_alternative<doc::LineBreak>(in.value)) {
            return false;
        }
    }
    return any;
}

const char* align_class(doc::Align a) {
    switch (a) {
        case doc::Align::Left: return "left";
        case doc::Align::Center: return "center";
        case doc::Align::Right: return "right";
        case doc::Align::Default: break;
    }
    return nullptr;
}

// A class name from a code fence's info string: "c++ {.numbered}" -> "language-c".
std::string language_class(std::string_view info) {
    info = text::trim(info);
    const std::size_t end = info.find_first_of(" \t{");
    const std::string slug = text::ascii_slug(info.substr(0, end), 30);
    return slug.empty() ? std::string() : "language-" + slug;
}

}  // namespace

void Renderer::block(XMLElement* parent, const doc::Block& b) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, doc::Paragraph>) {
                if (const doc::Image* img = sole_image(v)) {
                    XMLElement* figure = m_doc.block(parent, "figure");
                    figure->SetAttribute("class", "image");
                    image(figure, *img);
                    if (!img->title.empty()) {
                        XMLElement* caption = m_doc.inline_child(figure, "figcaption");
                        m_doc.text(caption, img->title);
                    }
                    return;
                }
                XMLElement* p = m_doc.block(parent, "p");
                inlines(p, v.content);
                mark_direction(p);
            } else if constexpr (std::is_same_v<T, doc::Heading>) {
                const std::string tag = "h" + std::to_string(std::clamp(v.level, 1, 6));
                XMLElement* h = m_doc.block(parent, tag.c_str());
                if (!v.id.empty()) h->SetAttribute("id", v.id.c_str());
                inlines(h, v.content);
                mark_direction(h);
            } else if constexpr (std::is_same_v<T, doc::CodeBlock>) {
                XMLElement* pre = m_doc.block(parent, "pre");
                XMLElement* code = m_doc.inline_child(pre, "code");
                if (const std::string cls = language_class(v.info); !cls.empty())
                    code->SetAttribute("class", cls.c_str());
                std::string_view body = v.text;
                if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
                text(code, v.text, body);
            } else if constexpr (std::is_same_v<T, doc::BlockQuote>) {
                XMLElement* q = m_doc.block(parent, "blockquote");
                m_doc.text(q, "\n");
                blocks(q, v.content);
            } else if constexpr (std::is_same_v<T, doc::List>) {
                list(parent, v);
            } else if constexpr (std::is_same_v<T, doc::ThematicBreak>) {
                m_doc.block(parent, "hr");
            } else if constexpr (std::is_same_v<T, doc::Table>) {
                table(parent, v);
            } else if constexpr (std::is_same_v<T, doc::Div>) {
                XMLElement* div = m_doc.block(parent, "div");
                if (!v.lang.empty()) set_lang(div, v.lang);
                if (!v.dir.empty()) div->SetAttribute("dir", v.dir.c_str());
                m_doc.text(div, "\n");
                blocks(div, v.content);
            } else if constexpr (std::is_same_v<T, doc::Figure>) {
                figure(parent, v);
            }
        },
        b.value);
}

void Renderer::figure(XMLElement* parent, const doc::Figure& f) {
    XMLElement* figure = m_doc.block(parent, "figure");
    figure->SetAttribute("class", "image");
    for (const doc::Block& b : f.content) {
        // Its pictures stand in the figure itself, side by side when there are several.
        const auto* p = std::get_if<doc::Paragraph>(&b.value);
        if (p && only_images(p->content)) {
            inlines(figure, p->content);
        } else {
            m_doc.text(figure, "\n");
            block(figure, b);
        }
    }
    if (!f.caption.empty()) inlines(m_doc.block(figure, "figcaption"), f.caption);
}

void Renderer::list(XMLElement* parent, const doc::List& l) {
    XMLElement* list = m_doc.block(parent, l.ordered ? "ol" : "ul");
    if (l.ordered && l.start != 1) list->SetAttribute("start", l.start);
    m_doc.text(list, "\n");
    for (const doc::Blocks& item : l.items) {
        XMLElement* li = m_doc.block(list, "li");
        // In a tight list a single paragraph is the item's text, as in HTML renderers.
        if (l.tight) {
            for (const doc::Block& b : item) {
                if (const auto* p = std::get_if<doc::Paragraph>(&b.value); p && !sole_image(*p)) {
                    inlines(li, p->content);
                    mark_direction(li);
                } else {
                    m_doc.text(li, "\n");
                    block(li, b);
                }
            }
        } else {
            m_doc.text(li, "\n");
            blocks(li, item);
        }
    }
}

void Renderer::table(XMLElement* parent, const doc::Table& t) {
    XMLElement* table = m_doc.block(parent, "table");
    m_doc.text(table, "\n");
    auto row = [&](XMLElement* section, const std::vector<doc::Inlines>& cells, const char* cell_tag) {
        XMLElement* tr = m_doc.block(section, "tr");
        for (std::size_t c = 0; c < cells.size(); ++c) {
            // An empty header cell (a table written with a blank header row) heads no
            // column: a <th> would be announced as an empty header.
            const bool header = std::string_view(cell_tag) == "th" && !text::trim(doc::plain_text(cells[c])).empty();
            XMLElement* cell = m_doc.inline_child(tr, header ? "th" : "td");
            if (c < t.aligns.size())
                if (const char* cls = align_class(t.aligns[c])) cell->SetAttribute("class", cls);
            if (header) cell->SetAttribute("scope", "col");
            inlines(cell, cells[c]);
        }
    };
    if (!t.header.empty()) {
        XMLElement* thead = m_doc.block(table, "thead");
        row(thead, t.header, "th");
    }
    XMLElement* tbody = m_doc.block(table, "tbody");
    m_doc.text(tbody, "\n");
    for (const auto& r : t.rows) row(tbody, r, "td");
}

void Renderer::image(XMLElement* parent, const doc::Image& img) {
    XMLElement* e = m_doc.inline_child(parent, "img");
    auto it = m_locator.image_href.find(img.src);
    e->SetAttribute("src", it == m_locator.image_href.end() ? img.src.c_str() : it->second.c_str());
    e->SetAttribute("alt", text::xml_safe(img.alt).c_str());
    if (!img.title.empty()) e->SetAttribute("title", text::xml_safe(img.title).c_str());
}

std::string page_id(std::string_view label) { return "page-" + std::string(label); }

void page_break(XhtmlDocument& doc, XMLElement* parent, std::string_view label) {
    XMLElement* span = doc.inline_child(parent, "span");
    span->SetAttribute("epub:type", "pagebreak");
    span->SetAttribute("role", "doc-pagebreak");
    span->SetAttribute("id", page_id(label).c_str());
    span->SetAttribute("aria-label", std::string(label).c_str());
}

std::string page_break_markup(std::string_view label) {
    XhtmlDocument doc({}, {}, {});
    page_break(doc, doc.body(), label);
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    doc.body()->FirstChildElement()->Accept(&printer);
    return std::string(printer.CStr(), static_cast<std::size_t>(printer.CStrSize() - 1));
}

void page_break_placeholder(XhtmlDocument& doc, XMLElement* parent, std::string_view place) {
    // NewComment prints its text between "<!--" and "-->": the control character
    // after the opening is the placeholder's own.
    const std::string text = std::string(kPlaceholderOpen.substr(4)) + std::string(place);
    parent->InsertEndChild(doc.xml().NewComment(text.c_str()));
}

void Renderer::text(XMLElement* parent, const std::string& source, std::string_view shown) {
    const auto it = m_marks ? m_marks->find(&source) : PageMarks::const_iterator{};
    if (!m_marks || it == m_marks->end()) {
        m_doc.text(parent, shown);
        return;
    }
    std::size_t from = 0;
    for (const auto& [offset, label] : it->second) {
        const std::size_t at = std::min<std::size_t>(offset, shown.size());
        if (at > from) m_doc.text(parent, shown.substr(from, at - from));
        if (m_placeholders)
            page_break_placeholder(m_doc, parent, label);
        else
            page_break(m_doc, parent, label);
        from = std::max(from, at);
    }
    if (from < shown.size()) m_doc.text(parent, shown.substr(from));
}

void Renderer::inlines(XMLElement* parent, const doc::Inlines& list) {
    for (const doc::Inline& in : list) {
        doc::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, doc::Text>) {
                    text(parent, v.text, v.text);
                } else if constexpr (std::is_same_v<T, doc::Emphasis>) {
                    inlines(m_doc.inline_child(parent, "em"), v.content);
                } else if constexpr (std::is_same_v<T, doc::Strong>) {
                    inlines(m_doc.inline_child(parent, "strong"), v.content);
                } else if constexpr (std::is_same_v<T, doc::Strikeout>) {
                    inlines(m_doc.inline_child(parent, "del"), v.content);
                } else if constexpr (std::is_same_v<T, doc::Code>) {
                    text(m_doc.inline_child(parent, "code"), v.text, v.text);
                } else if constexpr (std::is_same_v<T, doc::LineBreak>) {
                    m_doc.inline_child(parent, "br");
                    m_doc.text(parent, "\n");
                } else if constexpr (std::is_same_v<T, doc::Link>) {
                    XMLElement* a = m_doc.inline_child(parent, "a");
                    const std::string href = v.internal ? m_locator.href(*v.internal) : v.url;
                    a->SetAttribute("href", text::xml_safe(href).c_str());
                    if (!v.title.empty()) a->SetAttribute("title", text::xml_safe(v.title).c_str());
                    inlines(a, v.content);
                } else if constexpr (std::is_same_v<T, doc::Image>) {
                    image(parent, v);
                } else if constexpr (std::is_same_v<T, doc::NoteRef>) {
                    // <sup> outside the <a>: older iBooks broke pop-ups with it inside.
                    const int k = ++m_ref_count[v.number];
                    XMLElement* sup = m_doc.inline_child(parent, "sup");
                    XMLElement* a = m_doc.inline_child(sup, "a");
                    std::string ref_id = m_prefix + "-fnref" + std::to_string(v.number);
                    if (k > 1) ref_id += "-" + std::to_string(k);
                    a->SetAttribute("id", ref_id.c_str());
                    a->SetAttribute("href", ("#" + note_id(v.number)).c_str());
                    a->SetAttribute("epub:type", "noteref");
                    a->SetAttribute("role", "doc-noteref");
                    m_doc.text(a, std::to_string(v.number));
                } else if constexpr (std::is_same_v<T, doc::Span>) {
                    XMLElement* span = m_doc.inline_child(parent, "span");
                    if (!v.lang.empty()) set_lang(span, v.lang);
                    if (!v.dir.empty()) span->SetAttribute("dir", v.dir.c_str());
                    inlines(span, v.content);
                } else if constexpr (std::is_same_v<T, doc::Superscript>) {
                    inlines(m_doc.inline_child(parent, "sup"), v.content);
                } else if constexpr (std::is_same_v<T, doc::Subscript>) {
                    inlines(m_doc.inline_child(parent, "sub"), v.content);
                }
            },
            in.value);
    }
}

void Renderer::footnotes(XMLElement* parent, const std::vector<doc::Footnote>& notes, std::string_view label) {
    if (notes.empty()) return;
    XMLElement* section = m_doc.block(parent, "section");
    section->SetAttribute("class", "footnotes");
    section->SetAttribute("aria-label", text::xml_safe(label).c_str());
    m_doc.text(section, "\n");
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const int n = static_cast<int>(i) + 1;
        XMLElement* aside = m_doc.block(section, "aside");
        aside->SetAttribute("id", note_id(n).c_str());
        aside->SetAttribute("epub:type", "footnote");
        aside->SetAttribute("role", "doc-footnote");
        m_doc.text(aside, "\n");
        // The back-link comes first, inside the note's first paragraph: Kindle runs
        // notes together otherwise (pandoc #4491).
        const doc::Blocks& content = notes[i].content;
        const auto* lead = content.empty() ? nullptr : std::get_if<doc::Paragraph>(&content.front().value);
        XMLElement* first = m_doc.block(aside, "p");
        XMLElement* back = m_doc.inline_child(first, "a");
        back->SetAttribute("href", ("#" + m_prefix + "-fnref" + std::to_string(n)).c_str());
        back->SetAttribute("role", "doc-backlink");
        back->SetAttribute("class", "note-number");
        m_doc.text(back, std::to_string(n));
        std::size_t rest = 0;
        if (lead) {
            m_doc.text(first, " ");
            inlines(first, lead->content);
            rest = 1;
        }
        for (std::size_t k = rest; k < content.size(); ++k) block(aside, content[k]);
    }
}

}  // namespace folio::epub
