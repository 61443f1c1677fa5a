// The blocks of an article's body, set into the flow: paragraphs, headings, code,
// quotes, lists, tables, figures, rows of pictures, and the article's notes.
#include "core/text.hpp"
#include "layout/setter.hpp"

#include <algorithm>

namespace folio::layout {

void Setter::new_page(Flow& f, bool recto, bool opener, bool front, bool display) {
    FlowItem item;
    item.kind = FlowItem::Kind::NewPage;
    item.page = std::make_unique<PageStart>(PageStart{recto, opener, front, display, {}, {}});
    f.push_back(std::move(item));
    m_after_heading = true;
}

void Setter::skip(Flow& f, double amount) {
    FlowItem item;
    item.kind = FlowItem::Kind::Skip;
    item.amount = amount;
    if (!f.empty() && f.back().keep_with_next) item.keep_with_next = true;
    f.push_back(std::move(item));
}

void Setter::sink(Flow& f, double amount) {
    skip(f, amount);
    f.back().stays_at_top = true;
}

std::vector<Line> Setter::display(const doc::Inlines& text, ParagraphOptions o) {
    o.hyphenate = false;
    std::vector<Line> ls = set_paragraph(text, o, m_ctx);
    if (ls.size() < 2) return ls;
    const double full = o.width;
    double lo = full / 2, hi = full;
    for (int i = 0; i < 10; ++i) {
        o.width = (lo + hi) / 2;
        (set_paragraph(text, o, m_ctx).size() <= ls.size() ? hi : lo) = o.width;
    }
    o.width = hi;
    ls = set_paragraph(text, o, m_ctx);
    if (o.align == Align::Center) {  // centred on the full measure, not the narrower one
        const double dx = (full - hi) / 2;
        for (Line& l : ls) l.shift(dx);
    }
    return ls;
}

void Setter::line(Flow& f, Line l) {
    FlowItem item;
    item.line = std::move(l);
    f.push_back(std::move(item));
}

void Setter::lines(Flow& f, std::vector<Line> ls, bool whole, bool justified) {
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

namespace {

// Splits `r` before glyph `k` (0 < k < size): `r` keeps the glyphs before, the run
// returned has the rest, at the same places.
GlyphRun split_run(GlyphRun& r, std::size_t k) {
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < k; ++i) bytes += r.glyphs[i].text_length;
    GlyphRun rest{r.font, r.size, r.x, r.y, {r.glyphs.begin() + static_cast<std::ptrdiff_t>(k), r.glyphs.end()},
                  r.text.substr(bytes), r.hscale};
    rest.element = r.element;
    rest.artifact = r.artifact;
    const float dx = rest.glyphs.front().x;
    for (PlacedGlyph& g : rest.glyphs) g.x -= dx;
    rest.x += dx;
    r.glyphs.resize(k);
    r.text.resize(bytes);
    return rest;
}

// A word broken by a hyphen the typesetter added, at the end of `line` and the start
// of `next`: its two pieces become runs of their own, tagged a Span (of `parent`, or
// of the span in another language both pieces are in) that reads as the whole word
// (ActualText), the hyphen left out. Only the pieces in the runs either side of the
// break (a word whose font or language changes there reads as shown).
void join_hyphenated(Line& line, Line& next, const ElementRef& parent) {
    if (!line.hyphen_added || line.runs.empty() || next.runs.empty()) return;
    if (line.runs.back().glyphs.size() < 2 || next.runs.front().glyphs.empty()) return;
    const ElementRef& held = line.runs.back().element;  // null, or a span in another language
    if (held && !held->actual_text.empty()) return;  // already a piece of the word before (a line of one word)
    if (held != next.runs.front().element) return;
    const ElementRef within = held ? held : parent;
    // The piece before the break: after the line's last word space; after it: up to the first.
    const GlyphArray& before = line.runs.back().glyphs;
    const GlyphArray& after = next.runs.front().glyphs;
    std::size_t from = before.size() - 1;
    while (from > 0 && !before[from - 1].space_after) --from;
    std::size_t to = 0;
    while (to < after.size() && !after[to].space_after) ++to;
    to = std::min(to + 1, after.size());
    if (from + 1 >= line.runs.back().glyphs.size() || line.runs.back().text.empty() ||
        line.runs.back().text.back() != '-')
        return;
    if (from > 0) line.runs.push_back(split_run(line.runs.back(), from));
    if (to < next.runs.front().glyphs.size()) next.runs.insert(next.runs.begin() + 1, split_run(next.runs.front(), to));
    GlyphRun& a = line.runs.back();
    GlyphRun& b = next.runs.front();
    // The rest's trailing word space is in the span: it reads as one too.
    const ElementRef span = make_span_reading_as(within, std::string(a.text.substr(0, a.text.size() - 1)) +
                                                             b.text.str() + (b.glyphs.back().space_after ? " " : ""));
    a.element = span;
    b.element = span;
}

}  // namespace

void Setter::tag(std::vector<Line>& ls, const ElementRef& e) {
    // Spans in another language (set_paragraph marks them with a Span of no parent):
    // Spans of `e`, each with its Lang.
    std::vector<std::pair<const Element*, ElementRef>> spans;
    auto span_of_e = [&](const ElementRef& mark) -> ElementRef {
        auto it = std::find_if(spans.begin(), spans.end(), [&](const auto& p) { return p.first == mark.get(); });
        if (it != spans.end()) return it->second;
        spans.emplace_back(mark.get(), make_element("Span", e, mark->lang));
        return spans.back().second;
    };
    for (Line& l : ls)
        for (GlyphRun& r : l.runs) {
            if (!r.element) continue;
            if (!r.element->actual_text.empty() && (!r.element->parent || !r.element->parent->parent)) {
                // Right-to-left words read in logical order (set_paragraph): in `e`,
                // or in its span in another language.
                auto span = std::make_shared<Element>(*r.element);
                span->parent = r.element->parent ? span_of_e(r.element->parent) : e;
                r.element = std::move(span);
                continue;
            }
            if (r.element->parent || r.element->type != "Span") continue;
            r.element = span_of_e(r.element);
        }
    for (std::size_t i = 0; i + 1 < ls.size(); ++i) join_hyphenated(ls[i], ls[i + 1], e);
    for (Line& l : ls) {
        for (GlyphRun& r : l.runs)
            if (!r.element) r.element = e;
        for (LinkArea& a : l.links)
            if (!a.element) a.element = e;
        for (PlacedImage& im : l.images) {
            if (im.element) continue;
            auto figure = make_element("Figure", e);
            figure->alt = im.alt;
            im.element = std::move(figure);
        }
    }
}

void Setter::blocks(Flow& f, const doc::Blocks& list, ParagraphOptions o, int depth) {
    for (const doc::Block& b : list) block(f, b, o, depth);
}

void Setter::block(Flow& f, const doc::Block& b, ParagraphOptions o, int depth) {
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
                std::vector<Line> ls = set_paragraph(v.content, p, m_ctx);
                tag(ls, element("P", o.lang));
                lines(f, std::move(ls), false, o.align == Align::Justify);
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
                // Levels below the article's title (H2), never skipping one: a reader
                // of the tags goes down the outline a level at a time (PDF/UA-1 §7.4.2).
                m_level = std::clamp(std::min(m_level + 1, 2 + v.level), 3, 6);
                std::vector<Line> ls = set_paragraph(v.content, h, m_ctx);
                tag(ls, element("H" + std::to_string(m_level), o.lang));
                lines(f, std::move(ls), true);
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
                tag(ls, element("Code", o.lang));
                const bool whole = ls.size() <= 6;
                lines(f, std::move(ls), whole);
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
                {
                    Within in(*this, element("BlockQuote", o.lang));
                    blocks(f, v.content, q, depth + 1);
                }
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
                if (!v.dir.empty()) d.dir = v.dir;
                // A passage in another language: a Div that says so (its Lang).
                Within in(*this, d.lang != o.lang ? element("Div", d.lang) : m_within);
                blocks(f, v.content, d, depth);
            } else if constexpr (std::is_same_v<T, doc::Figure>) {
                figure(f, v, o, depth);
            }
        },
        b.value);
}

namespace {

// The alternative texts of the pictures in `list`, joined by spaces.
void alt_of(const doc::Inlines& list, std::string& out) {
    for (const doc::Inline& in : list) {
        if (const auto* img = doc::get_if<doc::Image>(&in.value)) {
            if (!img->alt.empty()) out += (out.empty() ? "" : " ") + img->alt;
        } else if (const auto* link = doc::get_if<doc::Link>(&in.value)) {
            alt_of(link->content, out);
        }
    }
}

// Whether `list` shows a picture anywhere, and the alternative texts of its pictures.
bool pictures_of(const doc::Blocks& list, std::string& alt) {
    bool any = false;
    for (const doc::Block& b : list)
        if (const auto* p = std::get_if<doc::Paragraph>(&b.value)) {
            const std::size_t before = alt.size();
            alt_of(p->content, alt);
            for (const doc::Inline& in : p->content)
                any =
                    any || doc::holds_alternative<doc::Image>(in.value) || doc::holds_alternative<doc::Link>(in.value);
            any = any || alt.size() != before;
        }
    return any;
}

}  // namespace

void Setter::figure(Flow& f, const doc::Figure& fig, const ParagraphOptions& o, int depth) {
    // A figure of pictures is a Figure whose Alt is their alt text (its pictures are
    // that Figure's, not figures of their own); a figure of anything else (code, a
    // quote) a Div with its caption.
    std::string alt;
    const bool pictures = pictures_of(fig.content, alt);
    auto e = make_element(pictures ? "Figure" : "Div", m_within, o.lang);
    e->alt = pictures ? std::string(alt.empty() ? text::trim(doc::plain_text(fig.caption)) : alt) : std::string();
    Within in(*this, e);
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
    std::vector<Line> ls = set_paragraph(fig.caption, c, m_ctx);
    tag(ls, element("Caption", o.lang));
    lines(f, std::move(ls), true);
    skip(f, m_style.leading / 2);
    // The paragraph after a figure keeps its indent, as after a picture.
}

bool Setter::may_indent(const ParagraphOptions& o, double by) const {
    return o.width - by >= m_style.text_width() / 2;
}

void Setter::list(Flow& f, const doc::List& l, ParagraphOptions o, int depth) {
    const double indent = m_style.size * 1.6;
    int number = l.start;
    skip(f, l.tight ? m_style.leading / 4 : m_style.leading / 2);
    const ElementRef list_element = element("L", o.lang);
    for (const doc::Blocks& item : l.items) {
        const ElementRef li = make_element("LI", list_element, o.lang);
        const ElementRef label = make_element("Lbl", li, o.lang);  // before the body: read first
        Within scope(*this, make_element("LBody", li, o.lang));
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
                r.element = label;
                f[i].line.runs.insert(f[i].line.runs.begin(), r);
            }
            break;
        }
        if (!l.tight) skip(f, m_style.leading / 3);
    }
    skip(f, l.tight ? m_style.leading / 4 : m_style.leading / 6);
    m_after_heading = true;
}

namespace {

// The columns of a table: as many as its widest row.
std::size_t column_count(const doc::Table& t) {
    std::size_t n = std::max(t.aligns.size(), t.header.size());
    for (const auto& r : t.rows) n = std::max(n, r.size());
    return std::max<std::size_t>(n, 1);
}

doc::Align align_of(const doc::Table& t, std::size_t column) {
    return column < t.aligns.size() ? t.aligns[column] : doc::Align::Default;
}

}  // namespace

double Setter::TableFit::width() const {
    double w = gap * static_cast<double>(widths.empty() ? 0 : widths.size() - 1);
    for (double c : widths) w += c;
    return w;
}

std::optional<Setter::TableFit> Setter::fit_table(const doc::Table& t, const std::vector<std::size_t>& columns,
                                                  const ParagraphOptions& o, double measure) const {
    // The type steps down from the table's usual 90 % of the text's size, never
    // below the style's smallest text. At each size words are kept whole if they
    // can be, else hyphenated; at the smallest, long tokens may be cut.
    std::vector<double> sizes;
    for (double step : {0.9, 0.8, 0.72}) {
        const double size = std::max(m_style.size * step, m_style.min_text_size);
        if (sizes.empty() || size < sizes.back() - 1e-9) sizes.push_back(size);
    }
    struct Attempt {
        double size;
        bool hyphenate, break_words;
    };
    std::vector<Attempt> attempts;
    for (double size : sizes) attempts.push_back({size, false, false}), attempts.push_back({size, true, false});
    attempts.push_back({sizes.back(), true, true});
    const std::size_t n = columns.size();
    for (const Attempt& attempt : attempts) {
        // Plain names, not a structured binding: the lambda below captures them,
        // which C++17 (and clang, which builds the fuzz targets) does not allow of bindings.
        const double size = attempt.size;
        const bool hyphenate = attempt.hyphenate, break_words = attempt.break_words;
        TableFit fit{size, break_words, {}, size};
        const double room = measure - fit.gap * static_cast<double>(n - 1);
        if (room <= 0) continue;
        std::vector<ContentWidths> column(n);
        auto measure_cells = [&](const std::vector<doc::Inlines>& cells, Face face) {
            for (std::size_t k = 0; k < n; ++k) {
                if (columns[k] >= cells.size()) continue;
                ParagraphOptions p = o;
                p.face = face;
                p.size = size;
                // Only a long token is cut (an address, a checksum): one wider than a
                // column's share of the room and than eight ems. Figures and words
                // stay whole; a table of many columns is turned instead. What is wide
                // depends on the widths being found: a cell is cut again to its
                // column's width when it is set.
                p.width = break_words ? std::max(room / static_cast<double>(n), 8 * size) : room;
                p.indent = 0;
                p.align = Align::Ragged;
                p.hyphenate = hyphenate;
                p.break_wide_words = break_words;
                const ContentWidths w = content_widths(cells[columns[k]], p, m_ctx);
                column[k].min = std::max(column[k].min, w.min);
                column[k].max = std::max(column[k].max, w.max);
            }
        };
        measure_cells(t.header, Face::Bold);
        for (const auto& r : t.rows) measure_cells(r, Face::Regular);
        double min_sum = 0, max_sum = 0;
        for (const ContentWidths& c : column) min_sum += c.min, max_sum += c.max;
        if (max_sum <= room) {
            // Every cell on one line: the table keeps its natural width, set against the
            // measure's left edge as the text is, its rules no longer than it. Spread
            // wider, its columns would stand apart and the eye lose the rows.
            for (const ContentWidths& c : column) fit.widths.push_back(c.max);
            return fit;
        }
        if (min_sum > room) continue;
        // A column whose cells all fit on one line in an equal share of the room is
        // set so (figures, names, short words: a number broken over two lines is
        // misread), if the others still have their minimum.
        std::vector<bool> narrow(n, false);
        double fixed = 0, rest_min = 0, rest_max = 0;
        for (std::size_t k = 0; k < n; ++k) {
            narrow[k] = column[k].max <= room / static_cast<double>(n);
            if (narrow[k]) fixed += column[k].max;
            else rest_min += column[k].min, rest_max += column[k].max;
        }
        if (fixed + rest_min > room) narrow.assign(n, false), fixed = 0, rest_min = min_sum, rest_max = max_sum;
        // The others have their minimum and a share of what is left in proportion to
        // how much more each would take to set its widest cell on one line.
        const double left = room - fixed - rest_min, wanted = rest_max - rest_min;
        for (std::size_t k = 0; k < n; ++k) {
            const ContentWidths& c = column[k];
            fit.widths.push_back(narrow[k] ? c.max : c.min + (wanted > 0 ? left * (c.max - c.min) / wanted : 0));
        }
        return fit;
    }
    return std::nullopt;
}

std::vector<Line> Setter::table_row(const doc::Table& t, const std::vector<doc::Inlines>& cells,
                                    const std::vector<std::size_t>& columns, const TableFit& fit, Face face,
                                    const ParagraphOptions& o, const ElementRef& row, const char* cell) {
    const double leading = m_style.leading * 0.95 * fit.size / (m_style.size * 0.9);
    std::vector<std::vector<Line>> set(columns.size());
    std::size_t height = 0;
    double x = o.left;
    for (std::size_t k = 0; k < columns.size(); ++k) {
        const std::size_t c = columns[k];
        const double width = fit.widths[k];
        if (c < cells.size()) {
            ParagraphOptions p = o;
            p.face = face;
            p.size = fit.size;
            p.leading = leading;
            p.indent = 0;
            p.left = 0;
            p.width = width;
            p.align = Align::Ragged;
            p.hyphenate = true;
            p.break_wide_words = fit.break_words;
            set[k] = set_paragraph(cells[c], p, m_ctx);
            if (row) {
                auto e = make_element(cell, row, o.lang);
                if (e->type == "TH") e->scope = "Column";  // a header row heads the columns under it
                tag(set[k], e);
            }
        }
        // Right and centre alignment move the cell's lines within the column.
        for (Line& l : set[k]) {
            double shift = 0;
            if (align_of(t, c) == doc::Align::Right) shift = std::max(0.0, width - l.width);
            if (align_of(t, c) == doc::Align::Center) shift = std::max(0.0, (width - l.width) / 2);
            l.shift(x + shift);
        }
        height = std::max(height, set[k].size());
        x += width + fit.gap;
    }
    std::vector<Line> out(std::max<std::size_t>(height, 1));
    for (Line& l : out) l.height = leading;
    for (std::size_t k = 0; k < columns.size(); ++k)
        for (std::size_t i = 0; i < set[k].size(); ++i) {
            Line& into = out[i];
            into.hyphenated = into.hyphenated || set[k][i].hyphenated;
            into.overfull = into.overfull || set[k][i].overfull;
            into.width = std::max(into.width, set[k][i].width);
            for (GlyphRun& r : set[k][i].runs) into.runs.push_back(std::move(r));
            for (LinkArea& a : set[k][i].links) into.links.push_back(std::move(a));
            for (PlacedImage& im : set[k][i].images) into.images.push_back(std::move(im));
        }
    return out;
}

std::vector<Line> Setter::table_head(const doc::Table& t, const std::vector<std::size_t>& columns,
                                     const TableFit& fit, const ParagraphOptions& o, const ElementRef& table) {
    std::vector<Line> head;
    if (t.header.empty()) return head;
    const ElementRef row = table ? make_element("TR", make_element("THead", table, o.lang), o.lang) : nullptr;
    Line top;
    top.height = m_style.leading * 0.5;
    top.rules.push_back({o.left, 0, fit.width(), 0.6});
    head.push_back(std::move(top));
    for (Line& l : table_row(t, t.header, columns, fit, Face::Bold, o, row, "TH")) head.push_back(std::move(l));
    head.back().rules.push_back({o.left, fit.size * 0.4, fit.width(), 0.4});
    return head;
}

void Setter::table(Flow& f, const doc::Table& t, const ParagraphOptions& o) {
    if (o.census) ++o.census->tables;
    std::vector<std::size_t> columns(column_count(t));
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c] = c;
    const std::optional<TableFit> fit = fit_table(t, columns, o, o.width);
    if (!fit) {
        turned_table(f, t, o);
        m_after_heading = true;
        return;
    }
    skip(f, m_style.leading / 2);
    const ElementRef table_element = element("Table", o.lang);
    const ElementRef body = make_element("TBody", table_element, o.lang);
    std::shared_ptr<const std::vector<Line>> head;
    if (!t.header.empty()) {
        std::vector<Line> lines_of_head = table_head(t, columns, *fit, o, table_element);
        head = std::make_shared<const std::vector<Line>>(lines_of_head);
        lines(f, std::move(lines_of_head), true);
        f.back().keep_with_next = true;  // never a head alone at a page's foot
    }
    // Each row whole on a page; a page the table runs onto begins with its head.
    for (const auto& r : t.rows) {
        const std::size_t first = f.size();
        lines(f, table_row(t, r, columns, *fit, Face::Regular, o, make_element("TR", body, o.lang)), true);
        for (std::size_t i = first; i < f.size(); ++i) f[i].table_head = head;
    }
    if (!f.empty() && f.back().kind == FlowItem::Kind::Line)
        f.back().line.rules.push_back({o.left, fit->size * 0.4, fit->width(), 0.4});
    skip(f, m_style.leading / 2);
    m_after_heading = true;
}

void Setter::turned_table(Flow& f, const doc::Table& t, const ParagraphOptions& o) {
    // The turned frame: as wide as the text block is high, as deep as it is wide.
    const double measure = m_style.text_height(), depth = m_style.text_width();
    ParagraphOptions turned = o;
    turned.left = 0;
    turned.width = measure;
    const std::size_t n = column_count(t);
    const ElementRef table_element = element("Table", o.lang);
    const ElementRef body = make_element("TBody", table_element, o.lang);
    // Groups of columns, each as many as fit at the smallest size with long words
    // cut; the first column (what names each row) begins every group when it takes
    // no more than a third of the measure.
    std::vector<std::vector<std::size_t>> groups;
    {
        std::vector<std::size_t> all(n);
        for (std::size_t c = 0; c < n; ++c) all[c] = c;
        if (fit_table(t, all, turned, measure)) {
            groups.push_back(all);
        } else {
            std::vector<double> min(n, 0);
            const double size = std::max(m_style.size * 0.72, m_style.min_text_size);
            auto measure_cells = [&](const std::vector<doc::Inlines>& cells, Face face) {
                for (std::size_t c = 0; c < n && c < cells.size(); ++c) {
                    ParagraphOptions p = turned;
                    p.face = face;
                    p.size = size;
                    p.align = Align::Ragged;
                    p.hyphenate = true;
                    p.break_wide_words = true;
                    min[c] = std::max(min[c], content_widths(cells[c], p, m_ctx).min);
                }
            };
            measure_cells(t.header, Face::Bold);
            for (const auto& r : t.rows) measure_cells(r, Face::Regular);
            const bool stub = n > 1 && min[0] + size <= measure / 3;
            std::vector<std::size_t> group;
            double used = 0;
            auto open_group = [&] {
                group.clear();
                used = 0;
                if (stub) group.push_back(0), used = min[0];
            };
            const std::size_t stub_count = stub ? 1 : 0;
            open_group();
            for (std::size_t c = stub_count; c < n; ++c) {
                if (group.size() > stub_count && used + size + min[c] > measure) {
                    groups.push_back(group);
                    open_group();
                }
                used += (group.empty() ? 0 : size) + min[c];
                group.push_back(c);
            }
            if (group.size() > stub_count) groups.push_back(group);
        }
    }
    // Pages of their own: each row whole where it can be, each page beginning with
    // the head of the group it continues.
    auto pages = std::make_unique<TurnedPages>();
    double y = 0;
    for (const std::vector<std::size_t>& group : groups) {
        std::optional<TableFit> fit = fit_table(t, group, turned, measure);
        if (!fit) {
            // A column alone wider than the turned measure even with its words cut:
            // at least it is set at its least, over its measure, not over another.
            fit = TableFit{std::max(m_style.size * 0.72, m_style.min_text_size), true, {}, 0};
            fit->gap = fit->size;
            fit->widths.assign(group.size(), (measure - fit->gap * static_cast<double>(group.size() - 1)) /
                                                 static_cast<double>(group.size()));
        }
        const std::vector<Line> head = table_head(t, group, *fit, turned, table_element);
        double head_height = 0;
        for (const Line& l : head) head_height += l.height;
        bool head_on_page = false;
        auto new_page = [&] {
            pages->pages.emplace_back();
            y = 0;
            head_on_page = false;
        };
        auto put = [&](Line l) {
            y += l.height;
            pages->pages.back().push_back(std::move(l));
        };
        auto put_head = [&] {
            if (y > 0) {  // a group after another on the same page: a line's space between
                Line space;
                space.height = m_style.leading;
                put(std::move(space));
            }
            for (const Line& l : head) put(l);
            head_on_page = true;
        };
        for (const auto& r : t.rows) {
            std::vector<Line> row =
                table_row(t, r, group, *fit, Face::Regular, turned, make_element("TR", body, o.lang));
            double height = 0;
            for (const Line& l : row) height += l.height;
            const double before = head_on_page ? 0 : head_height + (y > 0 ? m_style.leading : 0);
            if (pages->pages.empty() || (y > 0 && y + before + height > depth)) new_page();
            if (!head_on_page) put_head();
            for (Line& l : row) {
                // A row deeper than a page goes on line by line.
                if (y + l.height > depth && y > head_height) {
                    new_page();
                    put_head();
                }
                put(std::move(l));
            }
        }
        if (pages->pages.empty()) new_page();
        if (!head_on_page) put_head();
        if (!pages->pages.back().empty())
            pages->pages.back().back().rules.push_back({0, fit->size * 0.4, fit->width(), 0.4});
    }
    FlowItem item;
    item.kind = FlowItem::Kind::Turned;
    item.turned = std::move(pages);
    f.push_back(std::move(item));
}

bool Setter::only_pictures(const doc::Inlines& list, const ParagraphOptions& o, const std::string& uri,
                   const std::string& destination, std::vector<RowPicture>& out) const {
    for (const doc::Inline& in : list) {
        if (const auto* img = doc::get_if<doc::Image>(&in.value)) {
            const doc::Resource* r = m_book.resource(img->src);
            if (!r || r->width <= 0 || r->height <= 0) return false;
            out.push_back({img, r, uri, destination});
        } else if (const auto* t = doc::get_if<doc::Text>(&in.value)) {
            if (!text::trim(t->text).empty()) return false;
        } else if (const auto* link = doc::get_if<doc::Link>(&in.value)) {
            const bool internal = link->internal.has_value();
            if (!only_pictures(link->content, o, internal ? std::string() : link->url,
                               internal && o.destination ? o.destination(*link->internal) : std::string(), out))
                return false;
        } else if (!doc::holds_alternative<doc::LineBreak>(in.value)) {
            return false;
        }
    }
    return true;
}

double Setter::block_height(const doc::Resource& r, const ParagraphOptions& o) const {
    const double natural = r.vector() ? r.width * 0.75 : r.width * 72.0 / std::max(m_style.image_ppi, r.ppi);
    const double width = std::min(o.width, std::max(natural, m_style.min_image_width));
    // At its natural size unless taller than a page leaves room for: a picture that
    // does not fit the rest of a page goes over (paginate.cpp) rather than shrink.
    // The room kept is for its caption (up to three lines) and the spaces around it.
    return std::min(width / aspect(r), m_style.text_height() - 4 * m_style.leading);
}

void Setter::picture_block(Flow& f, const std::vector<RowPicture>& pictures, const ParagraphOptions& o) {
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
        // The picture of a Figure is that Figure's; any other a Figure of its own.
        ElementRef figure = m_within;
        if (!figure || figure->type != "Figure" || pictures.size() > 1) {
            auto e = make_element("Figure", m_within, o.lang);
            e->alt = p.image->alt;
            figure = std::move(e);
        }
        row->images.push_back({p.resource->path, x, 0, width, height, placed_ppi(*p.resource, width, height),
                               {o.where.file, p.image->line, p.image->column}, p.image->alt, figure});
        if (!p.uri.empty() || !p.destination.empty())
            row->links.push_back({x, 0, width, height, p.uri, p.destination, figure->parent});
        x += width + gap;
    }
    skip(f, m_style.leading / 2);
    FlowItem item;
    item.kind = FlowItem::Kind::Image;
    item.amount = height;
    item.row = std::move(row);
    f.push_back(std::move(item));
    skip(f, m_style.leading / 2);
    // The paragraph after a picture keeps its indent: the picture may go over to the
    // next page (paginate.cpp) and the paragraph then follows the text before it,
    // where only an indent shows where it begins (LaTeX indents after a float too).
}

namespace {

// The number that begins a note's first line, a link back to where the note is
// called (as the EPUB's note has one): over the glyphs before its en space.
void link_back(std::vector<Line>& ls, const std::string& note) {
    if (ls.empty() || ls.front().runs.empty()) return;
    const GlyphRun& r = ls.front().runs.front();
    std::size_t at = 0, k = 0;
    while (k < r.glyphs.size() && r.text.compare(at, 3, "\u2002") != 0) at += r.glyphs[k++].text_length;
    if (k == 0 || k == r.glyphs.size()) return;
    const double x0 = r.x + r.glyphs.front().x, x1 = r.x + r.glyphs[k].x;
    const double top = -r.size * 0.8;
    ls.front().links.push_back({x0, top, x1 - x0, r.size * 0.25 - top, {}, note_call_anchor(note)});
}

}  // namespace

void Setter::set_footnote(const doc::Article& a, int n) {
    ParagraphOptions o = base_options(doc::language_of(m_book, a), a);
    o.size = m_style.note_size;
    o.leading = m_style.note_leading;
    if (counting) o.census = &census;
    ++census.footnotes;
    const std::string anchor = a.id + "-fn" + std::to_string(n);
    Footnote note;
    note.anchor = anchor;
    const doc::Blocks& content = a.notes[static_cast<std::size_t>(n - 1)].content;
    auto e = make_element("Note", m_within, o.lang);
    e->id = anchor;  // the note's call links here
    const ElementRef note_element = e;
    for (std::size_t i = 0; i < content.size(); ++i) {
        doc::Inlines inl;
        if (const auto* p = std::get_if<doc::Paragraph>(&content[i].value)) inl = p->content;
        else continue;
        if (i == 0) inl.insert(inl.begin(), doc::Inline{doc::Text{std::to_string(n) + "\u2002"}});
        ParagraphOptions p = o;
        p.indent = i == 0 ? 0 : o.size;
        std::vector<Line> ls = set_paragraph(inl, p, m_ctx);
        if (i == 0) link_back(ls, anchor);
        tag(ls, make_element("P", note_element, o.lang));
        for (Line& l : ls) note.lines.push_back(std::move(l));
    }
    footnotes[anchor] = std::move(note);
}

}  // namespace folio::layout
