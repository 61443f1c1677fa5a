#include "layout/typeset.hpp"

#include "core/parallel.hpp"
#include "core/text.hpp"
#include "doc/labels.hpp"
#include "doc/matter.hpp"
#include "layout/paragraph.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace folio::layout {

namespace {

// ---- the flow: what pagination places, top to bottom ---------------------------------

// What a NewPage item says about the page it starts.
struct PageStart {
    bool recto = false;         // begin on a right-hand page
    bool opener = false;        // that page has no running head
    bool front = false;         // a front-matter page (roman folio)
    bool display = false;       // half-title, title, copyright: counted, but no folio printed
    std::string article_title;  // the running heads from here on
    std::string chapter_title;
};

// Pictures set as a block: one, or a row of them side by side.
struct PictureRow {
    std::vector<PlacedImage> images;  // x from the text block's left, y from the row's top
    std::vector<LinkArea> links;      // the same: a linked picture's area
};

// Most items are lines, by the hundred thousand in a long book: what only page
// starts and pictures need is held apart.
struct FlowItem {
    enum class Kind { Line, Skip, NewPage, Image };
    Kind kind = Kind::Line;
    Line line;
    double amount = 0;                    // Skip: vertical space; Image: height
    std::unique_ptr<PageStart> page;      // NewPage
    std::unique_ptr<PictureRow> row;      // Image
    std::vector<std::string> anchors;     // destinations at this item
    bool keep_with_next = false;       // no page break between this item and the next
    bool last_of_paragraph = false;    // for widow counting
    bool first_of_paragraph = false;
    bool justified = false;
};

using Flow = std::vector<FlowItem>;

struct Footnote {
    std::vector<Line> lines;
    std::string anchor;
};

class Setter {
public:
    Setter(const doc::Book& book, const PrintStyle& style, FontContext& ctx) : m_book(book), m_style(style), m_ctx(ctx) {}

    // Page labels of destinations, from the previous pass ("" on the first).
    std::map<std::string, std::string> page_of;
    bool uses_page_numbers = false;  // something set so far printed a page from page_of
    doc::Census census;              // what this setter set of its article's own content
    bool counting = false;           // count it (for --stats): words are counted letter by letter
    std::map<std::string, Footnote> footnotes;  // by anchor "a03-fn1"

    Flow front_matter() {
        Flow f;
        new_page(f, true, true, true, true);  // the half-title
        skip(f, m_style.text_height() / 3);
        lines(f, center(m_book.title, Face::Regular, m_style.heading_sizes[0]));
        new_page(f, true, true, true, true);  // the title page
        skip(f, m_style.text_height() / 6);
        lines(f, center(m_book.title, Face::Bold, m_style.heading_sizes[0] * 1.3));
        if (!m_book.subtitle.empty()) {
            skip(f, m_style.leading / 2);
            lines(f, center(m_book.subtitle, Face::Italic, m_style.heading_sizes[1]));
        }
        if (!m_book.authors.empty()) {
            skip(f, m_style.leading * 3);
            lines(f, center(text::join_names(m_book.authors), Face::Regular, m_style.heading_sizes[1]));
        }
        if (!m_book.publisher.empty()) {
            skip(f, m_style.leading * 8);
            lines(f, center(m_book.publisher, Face::Regular, m_style.size));
        }
        new_page(f, false, true, true, true);  // the copyright page, on the title's verso
        ParagraphOptions o = base_options(m_book.language, {});
        o.align = Align::Ragged;
        o.hyphenate = false;
        o.size = m_style.size * 0.9;
        o.leading = m_style.leading * 0.9;
        const doc::Blocks page = doc::copyright_page(m_book);
        for (const doc::Block& b : std::get<doc::Div>(page.front().value).content) {
            lines(f, set_paragraph(std::get<doc::Paragraph>(b.value).content, o, m_ctx), true);
            skip(f, o.leading / 2);
        }
        contents(f);
        return f;
    }

    void contents(Flow& f) {
        new_page(f, true, true, true);
        f.back().anchors.push_back("contents");
        heading_line(f, "Contents", m_style.heading_sizes[0], {});
        skip(f, m_style.leading);
        for (const doc::Chapter& c : m_book.chapters) {
            if (!c.title.empty()) {
                skip(f, m_style.leading / 2);
                contents_entry(f, c.title, c.id, Face::Bold, 0, {});
                f.back().keep_with_next = true;
            }
            for (const doc::Article& a : c.articles)
                contents_entry(f, a.title, a.id, Face::Regular, c.title.empty() ? 0 : m_style.size * 1.5, a.lang);
        }
        skip(f, m_style.leading / 2);
        contents_entry(f, "Credits", "credits", Face::Regular, 0, {});
    }

    Flow chapter_opener(const doc::Chapter& c) {
        Flow f;
        new_page(f, true, true, false);
        f.back().page->chapter_title = c.title;
        f.back().page->article_title = c.title;
        f.back().anchors.push_back(c.id);
        skip(f, m_style.text_height() / 3);
        for (Line& l : center(c.title, Face::Bold, m_style.heading_sizes[0] * 1.2)) line(f, std::move(l));
        return f;
    }

    // An article's flow is independent of every other's: set in parallel.
    Flow article(const doc::Article& a, const std::string& chapter_title) {
        Flow f;
        new_page(f, false, true, false);
        f.back().page->article_title = a.title;
        f.back().page->chapter_title = chapter_title.empty() ? a.title : chapter_title;
        f.back().anchors.push_back(a.id);
        skip(f, m_style.leading * 2);
        const std::string& lang = doc::language_of(m_book, a);
        ParagraphOptions title = base_options(lang, a);
        title.face = Face::Bold;
        title.size = m_style.heading_sizes[0];
        title.leading = title.size * 1.25;
        title.align = Align::Ragged;
        title.hyphenate = false;
        lines(f, set_paragraph({doc::Inline{doc::Text{a.title}}}, title, m_ctx), true);
        f.back().keep_with_next = true;
        if (!a.authors.empty() || a.date) {
            std::string byline = text::join_names(a.authors);
            if (a.date) byline += (byline.empty() ? "" : " \u00B7 ") + a.date->iso();
            ParagraphOptions o = base_options(m_book.language, a);
            o.face = Face::Italic;
            o.align = Align::Ragged;
            o.hyphenate = false;
            skip(f, m_style.leading / 4);
            lines(f, set_paragraph({doc::Inline{doc::Text{byline}}}, o, m_ctx), true);
        }
        skip(f, m_style.leading * 1.5);
        m_after_heading = true;
        ParagraphOptions body = base_options(lang, a);
        if (counting) body.census = &census;
        blocks(f, a.body, body, 0);
        for (std::size_t i = 0; i < a.notes.size(); ++i) set_footnote(a, static_cast<int>(i) + 1);
        credit(f, a);
        f.shrink_to_fit();  // kept until the book is paginated
        return f;
    }

    Flow credits_page() {
        Flow f;
        new_page(f, true, true, false);
        f.back().page->article_title = "Credits";
        f.back().page->chapter_title = "Credits";
        f.back().anchors.push_back("credits");
        skip(f, m_style.leading * 2);
        heading_line(f, "Credits", m_style.heading_sizes[0], {});
        skip(f, m_style.leading * 1.5);
        for (const doc::Block& entry : doc::credits_page(m_book)) {
            const auto& div = std::get<doc::Div>(entry.value);
            ParagraphOptions o = base_options(m_book.language, {});
            o.align = Align::Ragged;
            o.hyphenate = false;  // credits extract verbatim: no break inside a word
            o.keep_words_whole = true;
            for (std::size_t i = 0; i < div.content.size(); ++i) {
                lines(f, set_paragraph(std::get<doc::Paragraph>(div.content[i].value).content, o, m_ctx), true);
                if (i + 1 < div.content.size()) f.back().keep_with_next = true;
            }
            skip(f, m_style.leading / 2);
        }
        return f;
    }

private:
    ParagraphOptions base_options(const std::string& lang, const doc::Article& a) {
        ParagraphOptions o;
        o.width = m_style.text_width();
        o.size = m_style.size;
        o.leading = m_style.leading;
        o.min_size = m_style.min_text_size;
        o.lang = lang;
        o.note_prefix = a.id;
        o.where = {m_book.root.empty() ? a.path : (m_book.root / a.path).lexically_normal().generic_string()};
        o.destination = [](const doc::InternalTarget& t) { return t.anchor.empty() ? t.article_id : t.anchor; };
        o.picture = [&book = m_book](const std::string& path) { return book.resource(path); };
        if (m_style.page_references)
            o.page_reference = [this](const doc::InternalTarget& t) {
                uses_page_numbers = true;
                // Until the book has been laid out once, three digits hold the place.
                auto it = page_of.find(t.anchor.empty() ? t.article_id : t.anchor);
                return doc::page_reference(m_book.language, it == page_of.end() ? "000" : it->second);
            };
        return o;
    }

    std::vector<Line> center(const std::string& s, Face face, double size) {
        ParagraphOptions o = base_options(m_book.language, {});
        o.face = face;
        o.size = size;
        o.leading = size * 1.3;
        o.align = Align::Center;
        o.hyphenate = false;
        return set_paragraph({doc::Inline{doc::Text{s}}}, o, m_ctx);
    }

    void heading_line(Flow& f, const std::string& s, double size, const std::string& anchor) {
        ParagraphOptions o = base_options(m_book.language, {});
        o.face = Face::Bold;
        o.size = size;
        o.leading = size * 1.25;
        o.align = Align::Ragged;
        o.hyphenate = false;
        lines(f, set_paragraph({doc::Inline{doc::Text{s}}}, o, m_ctx), true);
        if (!anchor.empty()) f.back().anchors.push_back(anchor);
    }

    void contents_entry(Flow& f, const std::string& title, const std::string& dest, Face face, double indent,
                        const std::string& lang) {
        ParagraphOptions o = base_options(lang.empty() ? m_book.language : lang, {});
        o.face = face;
        o.left = indent;
        o.width = m_style.text_width() - indent - m_style.size * 3;
        o.align = Align::Ragged;
        o.hyphenate = false;
        std::vector<Line> ls = set_paragraph({doc::Inline{doc::Text{title}}}, o, m_ctx);
        if (ls.empty()) return;
        // The page number, right-aligned on the entry's last line.
        auto it = page_of.find(dest);
        const std::string number = it == page_of.end() ? "0" : it->second;
        ParagraphOptions n = o;
        n.face = Face::Regular;
        n.left = 0;
        n.width = m_style.text_width();
        std::vector<Line> num = set_paragraph({doc::Inline{doc::Text{number}}}, n, m_ctx);
        if (!num.empty() && !num[0].runs.empty()) {
            GlyphRun run = num[0].runs[0];
            run.x = m_style.text_width() - num[0].width;
            ls.back().runs.push_back(run);
        }
        for (Line& l : ls) {
            l.links.push_back({indent, -o.size * 0.8, m_style.text_width() - indent, o.size * 1.05, {}, dest});
            FlowItem item;
            item.line = std::move(l);
            item.keep_with_next = true;
            f.push_back(std::move(item));
        }
        f.back().keep_with_next = false;
    }

    void new_page(Flow& f, bool recto, bool opener, bool front, bool display = false) {
        FlowItem item;
        item.kind = FlowItem::Kind::NewPage;
        item.page = std::make_unique<PageStart>(PageStart{recto, opener, front, display, {}, {}});
        f.push_back(std::move(item));
        m_after_heading = true;
    }

    void skip(Flow& f, double amount) {
        FlowItem item;
        item.kind = FlowItem::Kind::Skip;
        item.amount = amount;
        if (!f.empty() && f.back().keep_with_next) item.keep_with_next = true;
        f.push_back(std::move(item));
    }

    void line(Flow& f, Line l) {
        FlowItem item;
        item.line = std::move(l);
        f.push_back(std::move(item));
    }

    // A paragraph's lines, with keeps: no orphan (first line alone at a page's foot),
    // no widow (last line alone at a page's head); `whole` keeps every line together.
    void lines(Flow& f, std::vector<Line> ls, bool whole = false, bool justified = false) {
        const std::size_t n = ls.size();
        for (std::size_t i = 0; i < n; ++i) {
            FlowItem item;
            item.line = std::move(ls[i]);
            item.first_of_paragraph = i == 0;
            item.last_of_paragraph = i + 1 == n;
            item.justified = justified && i + 1 < n;
            item.keep_with_next = whole ? i + 1 < n : (n >= 2 && (i == 0 || i + 2 == n));
            f.push_back(std::move(item));
        }
    }

    void blocks(Flow& f, const doc::Blocks& list, ParagraphOptions o, int depth) {
        for (const doc::Block& b : list) block(f, b, o, depth);
    }

    void block(Flow& f, const doc::Block& b, ParagraphOptions o, int depth) {
        if (b.line > 0) o.where.line = b.line;  // a warning about what it holds names its line
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, doc::Paragraph>) {
                    std::vector<RowPicture> pictures;
                    if (only_pictures(v.content, o, {}, {}, pictures) && !pictures.empty()) {
                        picture_block(f, pictures, o);
                        return;
                    }
                    ParagraphOptions p = o;
                    p.indent = m_after_heading ? 0 : m_style.size * 1.5;
                    lines(f, set_paragraph(v.content, p, m_ctx), false, o.align == Align::Justify);
                    m_after_heading = false;
                } else if constexpr (std::is_same_v<T, doc::Heading>) {
                    const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(v.level - 1, 0)),
                                                                m_style.heading_sizes.size() - 1);
                    ParagraphOptions h = o;
                    h.face = Face::Bold;
                    h.size = m_style.heading_sizes[k];
                    h.leading = std::max(m_style.leading, h.size * 1.25);
                    h.align = Align::Ragged;
                    h.hyphenate = false;
                    skip(f, m_style.leading);
                    f.back().keep_with_next = false;
                    lines(f, set_paragraph(v.content, h, m_ctx), true);
                    f.back().anchors.push_back(v.id);
                    f.back().keep_with_next = true;
                    skip(f, m_style.leading / 3);
                    m_after_heading = true;
                } else if constexpr (std::is_same_v<T, doc::CodeBlock>) {
                    ParagraphOptions c = o;
                    c.size = m_style.size * 0.85;
                    c.leading = m_style.leading * 0.9;
                    skip(f, m_style.leading / 2);
                    std::vector<Line> ls = set_code(v.text, c, m_ctx);
                    lines(f, std::move(ls), ls.size() <= 6);
                    skip(f, m_style.leading / 2);
                    m_after_heading = true;
                } else if constexpr (std::is_same_v<T, doc::BlockQuote>) {
                    ParagraphOptions q = o;
                    if (may_indent(o, m_style.size * 3)) {
                        q.left += m_style.size * 1.5;
                        q.width -= m_style.size * 3;
                    }
                    skip(f, m_style.leading / 3);
                    m_after_heading = true;
                    blocks(f, v.content, q, depth + 1);
                    skip(f, m_style.leading / 3);
                    m_after_heading = true;
                } else if constexpr (std::is_same_v<T, doc::List>) {
                    list(f, v, o, depth);
                } else if constexpr (std::is_same_v<T, doc::ThematicBreak>) {
                    skip(f, m_style.leading / 2);
                    Line l;
                    l.height = m_style.leading;
                    l.rules.push_back({o.left + o.width / 2 - o.width / 8, -m_style.size * 0.3, o.width / 4, 0.5});
                    line(f, std::move(l));
                    skip(f, m_style.leading / 2);
                    m_after_heading = true;
                } else if constexpr (std::is_same_v<T, doc::Table>) {
                    table(f, v, o);
                } else if constexpr (std::is_same_v<T, doc::Div>) {
                    ParagraphOptions d = o;
                    if (!v.lang.empty()) d.lang = v.lang;
                    blocks(f, v.content, d, depth);
                } else if constexpr (std::is_same_v<T, doc::Figure>) {
                    figure(f, v, o, depth);
                }
            },
            b.value);
    }

    // A figure's content, then its caption centred beneath in a smaller italic,
    // on the same page as what it describes.
    void figure(Flow& f, const doc::Figure& fig, const ParagraphOptions& o, int depth) {
        blocks(f, fig.content, o, depth);
        if (fig.caption.empty()) return;
        for (auto it = f.rbegin(); it != f.rend(); ++it) {
            it->keep_with_next = true;
            if (it->kind != FlowItem::Kind::Skip) break;
        }
        ParagraphOptions c = o;
        c.face = Face::Italic;
        c.size = std::max(m_style.note_size, m_style.min_text_size);
        c.leading = m_style.note_leading;
        c.align = Align::Center;
        c.hyphenate = false;
        lines(f, set_paragraph(fig.caption, c, m_ctx), true);
        skip(f, m_style.leading / 2);
        m_after_heading = true;
    }

    // Quotes and lists indent while half the text width is left: ten levels of
    // quotes would otherwise leave a measure of less than nothing (the Markdown stage
    // allows 32), and no line could be set in it.
    bool may_indent(const ParagraphOptions& o, double by) const {
        return o.width - by >= m_style.text_width() / 2;
    }

    void list(Flow& f, const doc::List& l, ParagraphOptions o, int depth) {
        const double indent = m_style.size * 1.6;
        int number = l.start;
        skip(f, l.tight ? m_style.leading / 4 : m_style.leading / 2);
        for (const doc::Blocks& item : l.items) {
            ParagraphOptions in = o;
            if (may_indent(o, indent)) {
                in.left += indent;
                in.width -= indent;
            }
            const std::size_t first = f.size();
            m_after_heading = true;
            blocks(f, item, in, depth + 1);
            // The marker hangs in the indent, on the item's first line.
            const std::string marker = l.ordered ? std::to_string(number++) + "." : (depth % 2 ? "\u2013" : "\u2022");
            ParagraphOptions m = o;
            m.census = nullptr;  // a list's marker is no word of the text
            m.align = Align::Ragged;
            m.hyphenate = false;
            std::vector<Line> ml = set_paragraph({doc::Inline{doc::Text{marker}}}, m, m_ctx);
            for (std::size_t i = first; i < f.size(); ++i) {
                if (f[i].kind != FlowItem::Kind::Line || f[i].line.runs.empty() || ml.empty()) continue;
                // The marker ends half an em before the item's text.
                for (GlyphRun r : ml[0].runs) {
                    r.x += o.left + indent - m_style.size * 0.5 - ml[0].width;
                    f[i].line.runs.insert(f[i].line.runs.begin(), r);
                }
                break;
            }
            if (!l.tight) skip(f, m_style.leading / 3);
        }
        skip(f, l.tight ? m_style.leading / 4 : m_style.leading / 6);
        m_after_heading = true;
    }

    void table(Flow& f, const doc::Table& t, const ParagraphOptions& o) {
        if (o.census) ++o.census->tables;
        const std::size_t cols = std::max<std::size_t>(1, t.aligns.size());
        const double gap = m_style.size;
        const double col_width = (o.width - gap * static_cast<double>(cols - 1)) / static_cast<double>(cols);
        auto row = [&](const std::vector<doc::Inlines>& cells, Face face) {
            std::vector<std::vector<Line>> set(cols);
            std::size_t height = 0;
            for (std::size_t c = 0; c < cols && c < cells.size(); ++c) {
                ParagraphOptions p = o;
                p.face = face;
                p.size = m_style.size * 0.9;
                p.left = 0;
                p.width = col_width;
                p.align = Align::Ragged;
                p.hyphenate = false;
                set[c] = set_paragraph(cells[c], p, m_ctx);
                // Right and centre alignment move the cell's lines within the column.
                for (Line& l : set[c]) {
                    const double right = l.width;
                    double shift = 0;
                    if (t.aligns[c] == doc::Align::Right) shift = std::max(0.0, col_width - right);
                    if (t.aligns[c] == doc::Align::Center) shift = std::max(0.0, (col_width - right) / 2);
                    for (GlyphRun& r : l.runs) r.x += o.left + static_cast<double>(c) * (col_width + gap) + shift;
                    for (LinkArea& a : l.links) a.x += o.left + static_cast<double>(c) * (col_width + gap) + shift;
                    for (PlacedImage& im : l.images) im.x += o.left + static_cast<double>(c) * (col_width + gap) + shift;
                }
                height = std::max(height, set[c].size());
            }
            std::vector<Line> out(std::max<std::size_t>(height, 1));
            for (Line& l : out) l.height = m_style.leading * 0.95;
            for (std::size_t c = 0; c < cols; ++c)
                for (std::size_t k = 0; k < set[c].size(); ++k) {
                    for (GlyphRun& r : set[c][k].runs) out[k].runs.push_back(std::move(r));
                    for (LinkArea& a : set[c][k].links) out[k].links.push_back(std::move(a));
                    for (PlacedImage& im : set[c][k].images) out[k].images.push_back(std::move(im));
                }
            return out;
        };
        skip(f, m_style.leading / 2);
        auto rule = [&](Flow& fl) {
            if (fl.empty() || fl.back().kind != FlowItem::Kind::Line) return;
            fl.back().line.rules.push_back({o.left, m_style.size * 0.35, o.width, 0.4});
        };
        if (!t.header.empty()) {
            Line top;
            top.height = m_style.leading * 0.5;
            top.rules.push_back({o.left, 0, o.width, 0.6});
            line(f, std::move(top));
            f.back().keep_with_next = true;
            lines(f, row(t.header, Face::Bold), true);
            rule(f);
            f.back().keep_with_next = true;
        }
        for (const auto& r : t.rows) lines(f, row(r, Face::Regular), true);
        rule(f);
        skip(f, m_style.leading / 2);
        m_after_heading = true;
    }

    // A picture of a paragraph of pictures, and the link around it, if any.
    struct RowPicture {
        const doc::Image* image;
        const doc::Resource* resource;
        std::string uri, destination;
    };

    // Collects the pictures of `list` into `out`; false when it holds anything but
    // pictures, white space, line breaks and links around pictures, or a picture the
    // book has no file for (its alt text is then set as text).
    bool only_pictures(const doc::Inlines& list, const ParagraphOptions& o, const std::string& uri,
                       const std::string& destination, std::vector<RowPicture>& out) const {
        for (const doc::Inline& in : list) {
            if (const auto* img = std::get_if<doc::Image>(&in.value)) {
                const doc::Resource* r = m_book.resource(img->src);
                if (!r || r->width <= 0 || r->height <= 0) return false;
                out.push_back({img, r, uri, destination});
            } else if (const auto* t = std::get_if<doc::Text>(&in.value)) {
                if (!text::trim(t->text).empty()) return false;
            } else if (const auto* link = std::get_if<doc::Link>(&in.value)) {
                const bool internal = link->internal.has_value();
                if (!only_pictures(link->content, o, internal ? std::string() : link->url,
                                   internal && o.destination ? o.destination(*link->internal) : std::string(), out))
                    return false;
            } else if (!std::holds_alternative<doc::LineBreak>(in.value)) {
                return false;
            }
        }
        return true;
    }

    static double aspect(const doc::Resource& r) { return static_cast<double>(r.width) / r.height; }

    // The height a picture takes set alone: at the style's image_ppi, or at the
    // higher resolution its file states; an SVG at its own size (96 CSS pixels to the
    // inch). No wider than the measure, no narrower than min_image_width (a small
    // picture then prints below that resolution, and the preflight says so), no
    // taller than 45 % of the page's text.
    double block_height(const doc::Resource& r, const ParagraphOptions& o) const {
        const double natural = r.vector() ? r.width * 0.75 : r.width * 72.0 / std::max(m_style.image_ppi, r.ppi);
        const double width = std::min(o.width, std::max(natural, m_style.min_image_width));
        return std::min(width / aspect(r), m_style.text_height() * 0.45);
    }

    // A paragraph of pictures: one picture is a block, centred; several are a row,
    // scaled to one height so that the row fills at most the measure and none is
    // taller than it would be alone. When fitting the row to the measure would make
    // them narrower than a quarter of it each (four or more large pictures), or one
    // of them narrower than an eighth, they are stacked, each a block of its own.
    void picture_block(Flow& f, const std::vector<RowPicture>& pictures, const ParagraphOptions& o) {
        const double gap = m_style.size;
        double aspects = 0, height = 1e9, narrowest = 1e9;
        for (const RowPicture& p : pictures) {
            aspects += aspect(*p.resource);
            height = std::min(height, block_height(*p.resource, o));
            narrowest = std::min(narrowest, aspect(*p.resource));
        }
        const double room = o.width - gap * static_cast<double>(pictures.size() - 1);
        const double fit = room / aspects;
        const bool squeezed = pictures.size() > 1 && fit < height;
        if (squeezed && (room / static_cast<double>(pictures.size()) < o.width / 4 || narrowest * fit < o.width / 8)) {
            for (const RowPicture& p : pictures) picture_block(f, {p}, o);
            return;
        }
        height = std::min(height, fit);
        auto row = std::make_unique<PictureRow>();
        const double total = aspects * height + gap * static_cast<double>(pictures.size() - 1);
        double x = o.left + std::max(0.0, (o.width - total) / 2);
        for (const RowPicture& p : pictures) {
            const double width = aspect(*p.resource) * height;
            row->images.push_back({p.resource->path, x, 0, width, height, placed_ppi(*p.resource, width, height),
                                   {o.where.file, p.image->line, p.image->column}});
            if (!p.uri.empty() || !p.destination.empty()) row->links.push_back({x, 0, width, height, p.uri, p.destination});
            x += width + gap;
        }
        skip(f, m_style.leading / 2);
        FlowItem item;
        item.kind = FlowItem::Kind::Image;
        item.amount = height;
        item.row = std::move(row);
        f.push_back(std::move(item));
        skip(f, m_style.leading / 2);
        m_after_heading = true;
    }

    void set_footnote(const doc::Article& a, int n) {
        ParagraphOptions o = base_options(doc::language_of(m_book, a), a);
        o.size = m_style.note_size;
        o.leading = m_style.note_leading;
        if (counting) o.census = &census;
        ++census.footnotes;
        const std::string anchor = a.id + "-fn" + std::to_string(n);
        Footnote note;
        note.anchor = anchor;
        const doc::Blocks& content = a.notes[static_cast<std::size_t>(n - 1)].content;
        for (std::size_t i = 0; i < content.size(); ++i) {
            doc::Inlines inl;
            if (const auto* p = std::get_if<doc::Paragraph>(&content[i].value)) inl = p->content;
            else continue;
            if (i == 0) inl.insert(inl.begin(), doc::Inline{doc::Text{std::to_string(n) + "\u2002"}});
            ParagraphOptions p = o;
            p.indent = i == 0 ? 0 : o.size;
            for (Line& l : set_paragraph(inl, p, m_ctx)) note.lines.push_back(std::move(l));
        }
        footnotes[anchor] = std::move(note);
    }

    void credit(Flow& f, const doc::Article& a) {
        const doc::Blocks block = doc::credit_block(a);
        if (block.empty()) return;
        skip(f, m_style.leading);
        f.back().keep_with_next = false;
        Line rule;
        rule.height = m_style.leading * 0.6;
        rule.rules.push_back({0, 0, m_style.text_width() / 3, 0.5});
        line(f, std::move(rule));
        f.back().keep_with_next = true;
        f.back().anchors.push_back(a.id + "-credit");
        ParagraphOptions o = base_options(m_book.language, a);
        o.size = m_style.size * 0.9;
        o.leading = m_style.leading * 0.9;
        o.align = Align::Ragged;
        o.hyphenate = false;  // a credit extracts verbatim: no hyphen, no URL broken at a '/'
        o.keep_words_whole = true;
        const auto& div = std::get<doc::Div>(block.front().value);
        for (std::size_t i = 0; i < div.content.size(); ++i) {
            lines(f, set_paragraph(std::get<doc::Paragraph>(div.content[i].value).content, o, m_ctx), true);
            if (i + 1 < div.content.size()) f.back().keep_with_next = true;
        }
    }

    const doc::Book& m_book;
    const PrintStyle& m_style;
    FontContext& m_ctx;
    bool m_after_heading = true;
};

// ---- paginate ------------------------------------------------------------------------

class Paginator {
public:
    Paginator(const PrintStyle& style, const std::map<std::string, Footnote>& notes, FontContext& ctx,
              const doc::Book& book)
        : m_style(style), m_notes(notes), m_ctx(ctx), m_book(book) {}

    // `dry`: find where pages break and which page each anchor lands on, without
    // building the pages' contents (the passes that settle the contents' numbers).
    Pages run(const std::vector<FlowItem*>& flow, LayoutStats* stats, bool dry) {
        m_stats = stats;
        m_dry = dry;
        // Chunks: items bound by keep_with_next go to a page together.
        std::size_t i = 0;
        while (i < flow.size()) {
            if (flow[i]->kind == FlowItem::Kind::NewPage) {
                start_page(*flow[i]);
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j + 1 < flow.size() && flow[j]->keep_with_next && flow[j + 1]->kind != FlowItem::Kind::NewPage) ++j;
            place_chunk(flow, i, j + 1);
            i = j + 1;
        }
        finish_page();
        while (!m_carried.empty()) {  // notes continued past the last text
            new_physical_page(false);
            finish_page();
        }
        Pages out;
        out.width = m_style.page_width;
        out.height = m_style.page_height;
        out.pages = std::move(m_pages);
        out.labels = std::move(m_labels);
        return out;
    }

private:
    double room() const { return m_style.text_height() - m_y - foot_height(); }
    double foot_height() const {
        double h = 0;
        for (const Line& l : m_foot) h += l.height;
        return m_foot.empty() ? 0 : h + m_style.note_leading * 0.8;
    }

    // The notes that flow[from, to) call for the first time, in order.
    std::vector<const Footnote*> notes_of(const std::vector<FlowItem*>& flow, std::size_t from,
                                          std::size_t to) const {
        std::vector<const Footnote*> out;
        for (std::size_t k = from; k < to; ++k) {
            if (flow[k]->kind != FlowItem::Kind::Line) continue;
            for (const LinkArea& l : flow[k]->line.links) {
                auto it = m_notes.find(l.destination);
                if (it == m_notes.end() || m_placed_notes.count(l.destination)) continue;
                if (std::find(out.begin(), out.end(), &it->second) != out.end()) continue;
                out.push_back(&it->second);
            }
        }
        return out;
    }

    double notes_height(const std::vector<const Footnote*>& notes) const {
        double h = 0;
        for (const Footnote* n : notes)
            for (const Line& l : n->lines) h += l.height;
        if (h > 0 && m_foot.empty()) h += m_style.note_leading * 0.8;  // the rule above the notes
        return h;
    }

    void place_chunk(const std::vector<FlowItem*>& flow, std::size_t from, std::size_t to) {
        // Skips at the top of a page vanish, as TeX's glue does at a page break.
        while (from < to && flow[from]->kind == FlowItem::Kind::Skip && m_y == 0) ++from;
        if (from == to) return;
        double h = 0;
        for (std::size_t k = from; k < to; ++k) h += height_of(*flow[k]);
        if (h + notes_height(notes_of(flow, from, to)) > room() && m_y > 0) {
            finish_page();
            new_physical_page(false);
            while (from < to && flow[from]->kind == FlowItem::Kind::Skip) ++from;
        }
        // A chunk larger than a page is placed line by line, breaking where it must.
        for (std::size_t k = from; k < to; ++k) {
            const std::vector<const Footnote*> notes = notes_of(flow, k, k + 1);
            // The line and at least the first line of its notes must share the page.
            const double need = height_of(*flow[k]) + (notes.empty() ? 0 : notes.front()->lines.front().height +
                                                                              (m_foot.empty() ? m_style.note_leading : 0));
            if (need > room() && m_y > 0) {
                finish_page();
                new_physical_page(false);
                if (flow[k]->kind == FlowItem::Kind::Skip) continue;
            }
            place(*flow[k]);
            // Notes: as much as fits here, the rest continued at the foot of the next page.
            for (const Footnote* n : notes) {
                m_foot_anchors.push_back({n->anchor, m_foot.size()});
                for (std::size_t q = 0; q < n->lines.size(); ++q) {
                    const bool fits = m_carried.empty() && (n->lines[q].height <= room() || q == 0);
                    (fits ? m_foot : m_carried).push_back(n->lines[q]);
                }
                m_placed_notes.insert(n->anchor);
            }
        }
    }

    double height_of(const FlowItem& it) const {
        switch (it.kind) {
            case FlowItem::Kind::Line: return it.line.height;
            case FlowItem::Kind::Skip: return it.amount;
            case FlowItem::Kind::Image: return it.amount;
            case FlowItem::Kind::NewPage: return 0;
        }
        return 0;
    }

    double left_margin() const {
        // Mirrored margins: the inner margin is on the left of a recto.
        return m_pages.size() % 2 == 1 ? m_style.inner : m_style.outer;
    }

    // In the final pass the flow is consumed: its glyph runs move into the pages.
    void place(FlowItem& it) {
        Page& page = m_pages.back();
        const double x0 = left_margin();
        const double top = m_style.top + m_y;
        for (const std::string& a : it.anchors) page.anchors.push_back({a, top});
        if (m_dry) {
            if (it.kind == FlowItem::Kind::Line) count(it);
        } else if (it.kind == FlowItem::Kind::Line) {
            const double baseline = top + it.line.height * 0.78;
            for (GlyphRun& r : it.line.runs) {
                r.x += x0;
                r.y += baseline;
                page.runs.push_back(std::move(r));
            }
            for (Rule r : it.line.rules) {
                r.x += x0;
                r.y += baseline;
                page.rules.push_back(r);
            }
            for (LinkArea l : it.line.links) {
                l.x += x0;
                l.y += baseline;
                page.links.push_back(std::move(l));
            }
            for (PlacedImage im : it.line.images) {
                im.x += x0;
                im.y += baseline;
                page.images.push_back(std::move(im));
            }
            count(it);
        } else if (it.kind == FlowItem::Kind::Image) {
            for (PlacedImage im : it.row->images) {
                im.x += x0;
                im.y += top;
                page.images.push_back(std::move(im));
            }
            for (LinkArea l : it.row->links) {
                l.x += x0;
                l.y += top;
                page.links.push_back(std::move(l));
            }
        }
        m_y += height_of(it);
        m_page_has_text = true;
    }

    void count(const FlowItem& it) {
        if (!m_stats) return;
        const Line& l = it.line;
        if (l.runs.empty()) return;
        ++m_stats->lines;
        if (l.overfull) ++m_stats->overfull_lines;
        if (l.hyphenated) {
            ++m_stats->hyphenated_lines;
            ++m_run_of_hyphens;
            m_stats->max_consecutive_hyphens = std::max(m_stats->max_consecutive_hyphens, m_run_of_hyphens);
        } else {
            m_run_of_hyphens = 0;
        }
        if (it.justified) {
            m_ratio_sum += std::abs(l.ratio);
            ++m_ratio_count;
            m_stats->mean_ratio = m_ratio_sum / m_ratio_count;
            m_stats->worst_ratio = std::max(m_stats->worst_ratio, std::abs(l.ratio));
        }
        // A widow: a paragraph's last line first on a page; an orphan: its first line
        // last on a page (checked when the page ends).
        if (it.last_of_paragraph && !it.first_of_paragraph && m_first_line_of_page) ++m_stats->widows;
        m_first_line_of_page = false;
        m_last_placed = &it;
    }

    void start_page(const FlowItem& item) {
        finish_page();
        const PageStart& np = *item.page;
        const bool front = np.front;
        if (!front && !m_body_started) {
            // The body starts on a recto numbered 1 (after a blank roman verso if need be).
            if (m_pages.size() % 2 == 1) new_physical_page(true);
            finish_page();
            m_body_started = true;
            m_labels.push_back({m_pages.size(), LabelRange::Style::Arabic, 1});
            m_number = 0;
        }
        if (np.recto && m_pages.size() % 2 == 1) {
            new_physical_page(true);  // a blank verso
            finish_page();
        }
        if (!np.article_title.empty()) m_article = np.article_title;
        if (!np.chapter_title.empty()) m_chapter = np.chapter_title;
        new_physical_page(false);
        m_opener = np.opener;
        m_display = np.display;
        for (const std::string& a : item.anchors) m_pages.back().anchors.push_back({a, m_style.top});
    }

    void new_physical_page(bool blank) {
        if (m_pages.empty()) m_labels.push_back({0, LabelRange::Style::Roman, 1});
        m_pages.emplace_back();
        ++m_number;
        m_pages.back().label = m_body_started ? std::to_string(m_number) : roman(m_number);
        m_y = 0;
        m_blank = blank;
        m_opener = false;
        m_display = false;
        m_page_has_text = false;
        m_first_line_of_page = true;
        m_open = true;
        // Notes continued from the previous page come first in this page's foot, as
        // many lines as the page holds; a note longer than that goes on further.
        std::size_t taken = 0;
        while (taken < m_carried.size() &&
               foot_height() + m_carried[taken].height + (m_foot.empty() ? m_style.note_leading * 0.8 : 0) <=
                   m_style.text_height())
            m_foot.push_back(std::move(m_carried[taken++]));
        m_carried.erase(m_carried.begin(), m_carried.begin() + static_cast<std::ptrdiff_t>(taken));
    }

    void finish_page() {
        if (!m_open) return;
        m_open = false;
        Page& page = m_pages.back();
        if (m_stats && m_last_placed && m_last_placed->first_of_paragraph && !m_last_placed->last_of_paragraph)
            ++m_stats->orphans;
        m_last_placed = nullptr;
        if (m_dry) {
            for (const auto& [name, index] : m_foot_anchors) page.anchors.push_back({name, 0});
            m_foot.clear();
            m_foot_anchors.clear();
            return;
        }
        // Footnotes, from the foot up, under a short rule.
        if (!m_foot.empty()) {
            const double x0 = left_margin();
            double y = m_style.page_height - m_style.bottom - foot_height() + m_style.note_leading * 0.8;
            page.rules.push_back({x0, y - m_style.note_leading * 0.55, m_style.text_width() / 4, 0.4});
            for (std::size_t i = 0; i < m_foot.size(); ++i) {
                const Line& l = m_foot[i];
                for (const auto& [name, index] : m_foot_anchors)
                    if (index == i) page.anchors.push_back({name, y});
                const double baseline = y + l.height * 0.78;
                for (GlyphRun r : l.runs) {
                    r.x += x0;
                    r.y += baseline;
                    page.runs.push_back(std::move(r));
                }
                for (LinkArea a : l.links) {
                    a.x += x0;
                    a.y += baseline;
                    page.links.push_back(std::move(a));
                }
                for (PlacedImage im : l.images) {
                    im.x += x0;
                    im.y += baseline;
                    page.images.push_back(std::move(im));
                }
                y += l.height;
            }
            m_foot.clear();
            m_foot_anchors.clear();
        }
        if (m_blank) return;
        // Running head and folio; none on openers.
        const bool recto = (m_pages.size() - 1) % 2 == 0;
        const double x0 = left_margin();
        if (!m_opener && m_page_has_text) {
            const RunningHead kind = recto ? m_style.recto : m_style.verso;
            std::string head = kind == RunningHead::Book      ? m_book.title
                               : kind == RunningHead::Chapter ? m_chapter
                               : kind == RunningHead::Article ? m_article
                                                              : std::string();
            if (!head.empty()) {
                for (GlyphRun r : centered(head, Face::Italic, m_style.size * 0.85)) {
                    r.x += x0;
                    r.y = m_style.top - m_style.leading * PrintStyle::kHeadRaise;
                    page.runs.push_back(std::move(r));
                }
            }
        }
        if (m_page_has_text && !m_display) {
            for (GlyphRun r : centered(page.label, Face::Regular, m_style.size * 0.9)) {
                r.x += x0;
                r.y = m_style.page_height - m_style.bottom + m_style.leading * PrintStyle::kFolioDrop;
                page.runs.push_back(std::move(r));
            }
        }
    }

    // Running heads and folios repeat: each is set once.
    std::vector<GlyphRun> centered(const std::string& s, Face face, double size) {
        const std::string key = std::to_string(static_cast<int>(face)) + "|" + std::to_string(size) + "|" + s;
        auto cached = m_centered.find(key);
        if (cached != m_centered.end()) return cached->second;
        ParagraphOptions o;
        o.width = m_style.text_width();
        o.size = size;
        o.leading = size;
        o.face = face;
        o.align = Align::Center;
        o.hyphenate = false;
        o.lang = m_book.language;
        std::vector<Line> ls = set_paragraph({doc::Inline{doc::Text{s}}}, o, m_ctx);
        return m_centered[key] = ls.empty() ? std::vector<GlyphRun>{} : ls.front().runs;
    }

    static std::string roman(int n) {
        static const std::pair<int, const char*> table[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                            {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                            {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                            {1, "i"}};
        std::string out;
        for (const auto& [v, s] : table)
            while (n >= v) out += s, n -= v;
        return out;
    }

    const PrintStyle& m_style;
    const std::map<std::string, Footnote>& m_notes;
    FontContext& m_ctx;
    const doc::Book& m_book;
    LayoutStats* m_stats = nullptr;
    bool m_dry = false;
    std::map<std::string, std::vector<GlyphRun>> m_centered;
    std::vector<Page> m_pages;
    std::vector<LabelRange> m_labels;
    std::vector<Line> m_foot, m_carried;
    std::vector<std::pair<std::string, std::size_t>> m_foot_anchors;  // note anchor, index of its first line in m_foot
    std::set<std::string> m_placed_notes;
    std::string m_article, m_chapter;
    double m_y = 0;
    int m_number = 0;
    bool m_body_started = false, m_blank = false, m_opener = false, m_display = false, m_page_has_text = false,
         m_open = false;
    bool m_first_line_of_page = true;
    const FlowItem* m_last_placed = nullptr;
    int m_run_of_hyphens = 0;
    double m_ratio_sum = 0;
    int m_ratio_count = 0;
};

}  // namespace

namespace {
Pages typeset_book(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
                   doc::Book* consume);
}  // namespace

Pages typeset(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats) {
    return typeset_book(book, style, diagnostics, stats, nullptr);
}

Pages typeset_consuming(doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats) {
    return typeset_book(book, style, diagnostics, stats, &book);
}

namespace {
Pages typeset_book(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
                   doc::Book* consume) {
    FontContext ctx(style);
    ctx.diagnostics = &diagnostics;
    Setter setter(book, style, ctx);

    // Articles are independent: set them in parallel, once.
    std::vector<std::pair<const doc::Article*, std::string>> articles;
    for (const doc::Chapter& c : book.chapters)
        for (const doc::Article& a : c.articles) articles.emplace_back(&a, c.title);
    std::vector<doc::Article*> owned;  // the same articles, to release, when consuming
    if (consume)
        for (doc::Chapter& c : consume->chapters)
            for (doc::Article& a : c.articles) owned.push_back(&a);
    std::vector<Flow> article_flows(articles.size());
    std::vector<char> cites_pages(articles.size(), 0);  // its text prints page numbers (print cross-references)
    std::vector<doc::Census> set(articles.size());       // what each article's setting set
    std::mutex notes_mutex;
    // An article citing pages is set again, with the pages the last pass found.
    const bool keep_text = style.page_references;
    parallel_for(articles.size(), [&](std::size_t i) {
        Setter local(book, style, ctx);
        local.counting = stats != nullptr;
        article_flows[i] = local.article(*articles[i].first, articles[i].second);
        cites_pages[i] = local.uses_page_numbers;
        set[i] = local.census;
        if (consume && !keep_text) {  // each article is touched by this thread only
            doc::Article& a = *owned[i];
            doc::Blocks().swap(a.body);
            std::vector<doc::Footnote>().swap(a.notes);
        }
        std::lock_guard lock(notes_mutex);
        for (auto& [k, v] : local.footnotes) setter.footnotes[k] = std::move(v);
    });

    // Everything but the contents is set once; only the contents change from pass to pass.
    std::vector<Flow> openers;
    for (const doc::Chapter& c : book.chapters) openers.push_back(c.title.empty() ? Flow{} : setter.chapter_opener(c));
    Flow credits;  // set each pass: in print, its entries give their articles' pages
    auto order = [&](Flow& front) {
        std::vector<FlowItem*> out;
        for (FlowItem& it : front) out.push_back(&it);
        std::size_t k = 0;
        for (std::size_t c = 0; c < book.chapters.size(); ++c) {
            for (FlowItem& it : openers[c]) out.push_back(&it);
            for (std::size_t j = 0; j < book.chapters[c].articles.size(); ++j, ++k)
                for (FlowItem& it : article_flows[k]) out.push_back(&it);
        }
        for (FlowItem& it : credits) out.push_back(&it);
        return out;
    };

    // Lay out until every destination stays on its page: the contents print those
    // numbers, and a longer contents can move everything after it.
    std::map<std::string, std::string> previous;
    for (int pass = 0; pass < 5; ++pass) {
        setter.page_of = previous;
        Flow front = setter.front_matter();
        credits = setter.credits_page();
        Paginator dry(style, setter.footnotes, ctx, book);
        const Pages trial = dry.run(order(front), nullptr, /*dry=*/true);
        std::map<std::string, std::string> now;
        for (const Page& p : trial.pages)
            for (const Anchor& a : p.anchors) now.emplace(a.name, p.label);
        if (now == previous) break;
        previous = std::move(now);
        parallel_for(articles.size(), [&](std::size_t i) {
            if (!cites_pages[i]) return;
            Setter local(book, style, ctx);
            local.counting = stats != nullptr;
            local.page_of = previous;
            article_flows[i] = local.article(*articles[i].first, articles[i].second);
            set[i] = local.census;
            std::lock_guard lock(notes_mutex);
            for (auto& [k, v] : local.footnotes) setter.footnotes[k] = std::move(v);
        });
    }
    setter.page_of = previous;
    Flow front = setter.front_matter();
    credits = setter.credits_page();
    LayoutStats local_stats;
    Paginator paginator(style, setter.footnotes, ctx, book);
    Pages pages = paginator.run(order(front), &local_stats, /*dry=*/false);
    local_stats.pages = static_cast<int>(pages.pages.size());
    for (const doc::Census& c : set) local_stats.content += c;
    for (const Page& p : pages.pages) local_stats.content.pictures += static_cast<long>(p.images.size());
    if (stats) *stats = local_stats;
    pages.fonts = ctx.fonts;
    pages.outline.push_back({"Contents", "contents", 0});
    for (const doc::Chapter& c : book.chapters) {
        const int level = c.title.empty() ? 0 : 1;
        if (!c.title.empty()) pages.outline.push_back({c.title, c.id, 0});
        for (const doc::Article& a : c.articles) pages.outline.push_back({a.title, a.id, level});
    }
    pages.outline.push_back({"Credits", "credits", 0});
    return pages;  // the flows, now empty shells, are freed here
}
}  // namespace

}  // namespace folio::layout
