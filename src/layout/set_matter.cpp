// The pages folio writes itself (half-title, title, copyright, contents, chapter
// openers, credits), an article's head and the credit after it.
#include "doc/labels.hpp"
#include "doc/matter.hpp"
#include "layout/setter.hpp"

namespace folio::layout {

Flow Setter::front_matter() {
    Flow f;
    Within in(*this, root);
    const doc::TitlePage title = doc::title_page(m_book);
    // Display lines tagged `type` in the book's language.
    auto shown = [&](std::vector<Line> ls, const char* type) { return tagged(std::move(ls), element(type, m_book.language)); };
    new_page(f, true, true, true, true);  // the half-title
    sink(f, m_style.text_height() / 3);
    lines(f, shown(center(title.title, Face::Regular, m_style.heading_sizes[0]), "P"));
    new_page(f, true, true, true, true);  // the title page
    sink(f, m_style.text_height() / 6);
    lines(f, shown(center(title.title, Face::Bold, m_style.heading_sizes[0] * 1.3), "H1"));
    if (!title.subtitle.empty()) {
        skip(f, m_style.leading / 2);
        lines(f, shown(center(title.subtitle, Face::Italic, m_style.heading_sizes[1]), "P"));
    }
    if (!title.authors.empty()) {
        skip(f, m_style.leading * 3);
        lines(f, shown(center(title.authors, Face::Regular, m_style.heading_sizes[1]), "P"));
    }
    if (!title.publisher.empty()) {
        skip(f, m_style.leading * 8);
        lines(f, shown(center(title.publisher, Face::Regular, m_style.size), "P"));
    }
    new_page(f, false, true, true, true);  // the copyright page, on the title's verso
    ParagraphOptions o = base_options(m_book.language, {});
    o.align = Align::Ragged;
    o.hyphenate = false;
    o.size = m_style.size * 0.9;
    o.leading = m_style.leading * 0.9;
    // The notice stands at the foot of its page, as books set it.
    Flow notice;
    for (const doc::Inlines& statement : doc::copyright_page(m_book).statements) {
        if (!notice.empty()) skip(notice, o.leading / 2);
        lines(notice, shown(set_paragraph(statement, o, m_ctx), "P"), true);
    }
    double depth = 0;
    for (const FlowItem& it : notice) depth += it.kind == FlowItem::Kind::Skip ? it.amount : it.line.height;
    // (a hair less than the page holds, so that rounding never pushes a line over)
    if (depth < m_style.grid_depth()) sink(f, m_style.grid_depth() - depth - 0.01);
    for (FlowItem& it : notice) f.push_back(std::move(it));
    contents(f);
    return f;
}

void Setter::contents(Flow& f) {
    new_page(f, true, true, true);
    // The running head of a second page of contents, as the credits page has its own.
    f.back().page->article_title = m_book.labels.contents;
    f.back().page->chapter_title = m_book.labels.contents;
    f.back().anchors.push_back("contents");
    heading_line(f, m_book.labels.contents, m_style.heading_sizes[0], {});
    skip(f, m_style.leading);
    Within in(*this, element("TOC", m_book.language));
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
    contents_entry(f, m_book.labels.credits, "credits", Face::Regular, 0, {});
}

Flow Setter::chapter_opener(const doc::Chapter& c) {
    Flow f;
    new_page(f, true, true, false);
    f.back().page->chapter_title = c.title;
    f.back().page->article_title = c.title;
    f.back().anchors.push_back(c.id);
    sink(f, m_style.text_height() / 3);
    std::vector<Line> ls = center(c.title, Face::Bold, m_style.heading_sizes[0] * 1.2);
    tag(ls, make_element("H1", part ? part : root, m_book.language));
    for (Line& l : ls) line(f, std::move(l));
    return f;
}

Flow Setter::article(const doc::Article& a, const std::string& chapter_title) {
    Flow f;
    new_page(f, false, true, false);
    f.back().page->article_title = a.title;
    f.back().page->chapter_title = chapter_title.empty() ? a.title : chapter_title;
    f.back().anchors.push_back(a.id);
    skip(f, m_style.leading * 2);
    const std::string& lang = doc::language_of(m_book, a);
    Within in(*this, make_element("Sect", part ? part : root, lang));
    m_level = 2;
    ParagraphOptions title = base_options(lang, a);
    title.face = Face::Bold;
    title.size = m_style.heading_sizes[0];
    title.leading = title.size * 1.25;
    title.align = Align::Ragged;
    lines(f, tagged(display({doc::Inline{doc::Text{a.title}}}, title), element("H2", lang)), true);
    f.back().keep_with_next = true;
    if (!a.authors.empty() || a.date) {
        std::string byline = doc::join_names(a.authors, m_book.labels);
        if (a.date) byline += (byline.empty() ? "" : " \u00B7 ") + a.date->iso();
        ParagraphOptions o = base_options(m_book.language, a);
        o.face = Face::Italic;
        o.align = Align::Ragged;
        o.hyphenate = false;
        skip(f, m_style.leading / 4);
        lines(f, tagged(set_paragraph({doc::Inline{doc::Text{byline}}}, o, m_ctx), element("P", o.lang)), true);
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

Flow Setter::credits_page() {
    Flow f;
    new_page(f, true, true, false);
    f.back().page->article_title = m_book.labels.credits;
    f.back().page->chapter_title = m_book.labels.credits;
    f.back().anchors.push_back("credits");
    Within in(*this, make_element("Sect", root, m_book.language));
    skip(f, m_style.leading * 2);
    heading_line(f, m_book.labels.credits, m_style.heading_sizes[0], {});
    skip(f, m_style.leading * 1.5);
    ParagraphOptions o = base_options(m_book.language, {});
    o.align = Align::Ragged;
    o.hyphenate = false;  // credits extract verbatim: no break inside a word
    o.keep_words_whole = true;
    for (doc::CreditsEntry& entry : doc::credits_page(m_book)) {
        // The title, bold and linked to the article, kept with the credit under it.
        doc::Inline link{doc::Link{{}, {}, std::move(entry.title), doc::InternalTarget{entry.article_id, {}}}};
        const doc::Inlines title{doc::Inline{doc::Strong{{std::move(link)}}}};
        lines(f, tagged(set_paragraph(title, o, m_ctx), element("P", o.lang)), true);
        for (const doc::Inlines& line : entry.credit.lines) {
            f.back().keep_with_next = true;
            lines(f, tagged(set_paragraph(line, o, m_ctx), element("P", o.lang)), true);
        }
        skip(f, m_style.leading / 2);
    }
    return f;
}

std::string Setter::source_file(const doc::Article& a) const {
    return m_book.root.empty() ? a.path : (m_book.root / a.path).lexically_normal().generic_string();
}

ParagraphOptions Setter::base_options(const std::string& lang, const doc::Article& a) {
    ParagraphOptions o;
    o.width = m_style.text_width();
    o.size = m_style.size;
    o.leading = m_style.leading;
    o.min_size = m_style.min_text_size;
    o.lang = lang;
    o.note_prefix = a.id;
    o.where = {source_file(a)};
    o.destination = [](const doc::InternalTarget& t) { return t.anchor.empty() ? t.article_id : t.anchor; };
    o.picture = [&book = m_book](const std::string& path) { return book.resource(path); };
    o.web_addresses = m_style.page_references;  // paper: the same reason
    if (m_style.page_references)
        o.page_reference = [this](const doc::InternalTarget& t) {
            uses_page_numbers = true;
            // Until the book has been laid out once, three digits hold the place.
            auto it = page_of.find(t.anchor.empty() ? t.article_id : t.anchor);
            return doc::page_reference(m_book.labels, it == page_of.end() ? "000" : it->second);
        };
    return o;
}

std::vector<Line> Setter::center(const std::string& s, Face face, double size) {
    ParagraphOptions o = base_options(m_book.language, {});
    o.face = face;
    o.size = size;
    o.leading = size * 1.3;
    o.align = Align::Center;
    return display({doc::Inline{doc::Text{s}}}, o);
}

void Setter::heading_line(Flow& f, const std::string& s, double size, const std::string& anchor) {
    ParagraphOptions o = base_options(m_book.language, {});
    o.face = Face::Bold;
    o.size = size;
    o.leading = size * 1.25;
    o.align = Align::Ragged;
    o.hyphenate = false;
    lines(f, tagged(set_paragraph({doc::Inline{doc::Text{s}}}, o, m_ctx), element("H1", o.lang)), true);
    if (!anchor.empty()) f.back().anchors.push_back(anchor);
}

void Setter::contents_entry(Flow& f, const std::string& title, const std::string& dest, Face face, double indent,
                    const std::string& lang) {
    // An entry that wraps hangs: its second line is indented an em under its first.
    const double hang = m_style.size;
    ParagraphOptions o = base_options(lang.empty() ? m_book.language : lang, {});
    o.face = face;
    o.left = indent + hang;
    o.width = m_style.text_width() - indent - hang - m_style.size * 3;
    o.align = Align::Ragged;
    o.hyphenate = false;
    std::vector<Line> ls = set_paragraph({doc::Inline{doc::Text{title}}}, o, m_ctx);
    if (ls.empty()) return;
    const ElementRef entry = element("TOCI", o.lang);
    for (GlyphRun& r : ls.front().runs) r.x -= hang;
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
        l.links.push_back({indent, -o.size * 0.8, m_style.text_width() - indent, o.size * 1.05, {}, dest, entry});
        for (GlyphRun& r : l.runs) r.element = entry;
        FlowItem item;
        item.line = std::move(l);
        item.keep_with_next = true;
        f.push_back(std::move(item));
    }
    f.back().keep_with_next = false;
}

void Setter::credit(Flow& f, const doc::Article& a) {
    const doc::CreditBlock block = doc::credit_block(m_book, a);
    if (block.empty()) return;
    // A credit never stands alone on a page: the article's last two lines (its last
    // picture, or the last lines of its table or code) go over with it.
    int taken = 0;
    for (auto it = f.rbegin(); it != f.rend() && it->kind != FlowItem::Kind::NewPage; ++it) {
        it->keep_with_next = true;
        if (it->kind == FlowItem::Kind::Image || (it->kind == FlowItem::Kind::Line && ++taken == 2)) break;
    }
    const std::size_t first = f.size();
    skip(f, m_style.leading);
    f.back().keep_with_next = true;
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
    o.hyphenate = false;  // a credit extracts verbatim: no hyphen added, words whole
    o.keep_words_whole = true;
    for (std::size_t i = 0; i < block.lines.size(); ++i) {
        lines(f, tagged(set_paragraph(block.lines[i], o, m_ctx), element("P", o.lang)), true);
        if (i + 1 < block.lines.size()) f.back().keep_with_next = true;
    }
    for (std::size_t i = first; i < f.size(); ++i) f[i].credit = true;
}

}  // namespace folio::layout
