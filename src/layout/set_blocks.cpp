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

void Setter::figure(Flow& f, const doc::Figure& fig, const ParagraphOptions& o, int depth) {
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

bool Setter::may_indent(const ParagraphOptions& o, double by) const {
    return o.width - by >= m_style.text_width() / 2;
}

void Setter::list(Flow& f, const doc::List& l, ParagraphOptions o, int depth) {
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

void Setter::table(Flow& f, const doc::Table& t, const ParagraphOptions& o) {
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

bool Setter::only_pictures(const doc::Inlines& list, const ParagraphOptions& o, const std::string& uri,
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

double Setter::block_height(const doc::Resource& r, const ParagraphOptions& o) const {
    const double natural = r.vector() ? r.width * 0.75 : r.width * 72.0 / std::max(m_style.image_ppi, r.ppi);
    const double width = std::min(o.width, std::max(natural, m_style.min_image_width));
    return std::min(width / aspect(r), m_style.text_height() * 0.45);
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

}  // namespace folio::layout
