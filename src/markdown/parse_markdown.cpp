#include "markdown/parse_markdown.hpp"

#include "markdown/fenced_code.hpp"
#include "markdown/html_tokens.hpp"
#include "markdown/raw_html.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <vector>

namespace folio::markdown {

namespace {

struct ParserDeleter {
    void operator()(cmark_parser* p) const noexcept { cmark_parser_free(p); }
};
struct NodeDeleter {
    void operator()(cmark_node* n) const noexcept { cmark_node_free(n); }
};
using ParserPtr = std::unique_ptr<cmark_parser, ParserDeleter>;
using NodePtr = std::unique_ptr<cmark_node, NodeDeleter>;

std::string literal(cmark_node* n) {
    const char* s = cmark_node_get_literal(n);
    return s ? s : "";
}

std::string type_name(cmark_node* n) {
    const char* s = cmark_node_get_type_string(n);
    return s ? s : "";
}

// Matches `<tag lang="xx">` (single or double quotes, optional spaces) and returns xx.
std::optional<std::string> open_tag_lang(std::string_view html, std::string_view tag) {
    html = text::trim(html);
    if (html.size() < tag.size() + 2 || html.front() != '<' || html.back() != '>') return std::nullopt;
    html = html.substr(1, html.size() - 2);
    if (!text::starts_with_ci(html, tag)) return std::nullopt;
    html.remove_prefix(tag.size());
    if (html.empty() || (html.front() != ' ' && html.front() != '\t' && html.front() != '\n')) return std::nullopt;
    html = text::trim(html);
    if (!text::starts_with_ci(html, "lang")) return std::nullopt;
    html.remove_prefix(4);
    html = text::trim(html);
    if (html.empty() || html.front() != '=') return std::nullopt;
    html.remove_prefix(1);
    html = text::trim(html);
    if (html.size() < 2 || (html.front() != '"' && html.front() != '\'')) return std::nullopt;
    const char quote = html.front();
    const std::size_t end = html.find(quote, 1);
    if (end == std::string_view::npos || !text::trim(html.substr(end + 1)).empty()) return std::nullopt;
    return std::string(html.substr(1, end - 1));
}

bool is_close_tag(std::string_view html, std::string_view tag) {
    html = text::trim(html);
    if (html.size() < tag.size() + 3 || html.substr(0, 2) != "</" || html.back() != '>') return false;
    return text::to_lower_ascii(text::trim(html.substr(2, html.size() - 3))) == tag;
}

// Byte offsets in a node's literal -> places in the file. Offsets must rise from
// call to call: each byte is counted once.
class LiteralPlaces {
public:
    LiteralPlaces(std::string_view literal, int line, int column)
        : m_text(literal), m_line(line), m_column(std::max(column, 1)) {}

    html::Where operator()(std::size_t offset) {
        offset = std::min(offset, m_text.size());
        for (; m_pos < offset; ++m_pos) {
            if (m_text[m_pos] == '\n') {
                ++m_line;
                m_line_start = m_pos + 1;
            }
        }
        // Lines after the first start where the first did (the container's indent).
        const int col = m_column + static_cast<int>(offset - m_line_start);
        return {m_line, m_line == 0 ? 0 : col};
    }

private:
    std::string_view m_text;
    int m_line;
    int m_column;
    std::size_t m_pos = 0;
    std::size_t m_line_start = 0;
};

// Sets a value for a scope and puts the old one back.
template <class T> class Scoped {
public:
    Scoped(T& ref, T value) : m_ref(ref), m_old(ref) { m_ref = value; }
    ~Scoped() { m_ref = m_old; }
    Scoped(const Scoped&) = delete;
    Scoped& operator=(const Scoped&) = delete;

private:
    T& m_ref;
    T m_old;
};

// How deep quotes, lists and <div lang> groups may nest in one another, and
// emphasis, links, images and <span lang> in one another. Every stage after this one
// walks the model recursively (links, XHTML, layout, and the model's own
// destructors), so an article of 10,000 nested quotes (two bytes a level) would
// overflow the stack; and no reader can follow more than a few levels. Content
// deeper than this is kept, at the deepest level allowed, with a warning.
constexpr int kMaxBlockDepth = 32;
constexpr int kMaxInlineDepth = 32;

bool is_block_container(cmark_node* n) {
    const cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM;
}

bool is_inline_container(cmark_node* n) {
    const cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE ||
           type_name(n) == "strikethrough";
}

// The descendants of `n` in document order that `is_container` does not open, found
// without recursion (the point is to survive any depth).
template <class IsContainer> std::vector<cmark_node*> leaves(cmark_node* n, IsContainer is_container) {
    std::vector<cmark_node*> out, stack;
    for (cmark_node* c = cmark_node_last_child(n); c; c = cmark_node_previous(c)) stack.push_back(c);
    while (!stack.empty()) {
        cmark_node* x = stack.back();
        stack.pop_back();
        if (!is_container(x)) {
            out.push_back(x);
            continue;
        }
        for (cmark_node* c = cmark_node_last_child(x); c; c = cmark_node_previous(c)) stack.push_back(c);
    }
    return out;
}

// Counts a level of nesting for as long as it lives.
class Level {
public:
    explicit Level(int& depth) : m_depth(depth) { ++m_depth; }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;
    ~Level() { --m_depth; }

private:
    int& m_depth;
};

class Converter {
public:
    Converter(const std::string& file, int line_offset, Diagnostics& diagnostics, const Options& options,
              std::string_view source)
        : m_file(file), m_line_offset(line_offset), m_diagnostics(diagnostics), m_options(options),
          m_html(file, diagnostics), m_may_hold_html(source.find('<') != std::string_view::npos), m_source(source) {}

    Parsed convert(cmark_node* document) {
        Parsed out;
        std::vector<cmark_node*> blocks;
        for (cmark_node* n = cmark_node_first_child(document); n; n = cmark_node_next(n)) {
            if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) {
                doc::Footnote note;
                note.content = convert_blocks(n);
                out.notes.push_back(std::move(note));
            } else {
                blocks.push_back(n);
            }
        }
        out.body = convert_block_list(blocks);
        m_html.flush();
        if (m_flattened_line >= 0)
            m_diagnostics.warn_change({m_file, m_flattened_line, m_flattened_column},
                               "quotes, lists or emphasis nested more than " + std::to_string(kMaxBlockDepth) +
                                   " levels deep are set at that depth",
                               "nest less: readers cannot follow so many levels");
        if (m_dropped_html > 1)
            m_diagnostics.warn_change({m_file, m_first_html_line, 0},
                               "raw HTML is not passed through (" + std::to_string(m_dropped_html) +
                                   " places in this article)",
                               "write Markdown instead; only <span lang=\"…\"> and <div lang=\"…\"> are kept");
        else if (m_dropped_html == 1)
            m_diagnostics.warn_change({m_file, m_first_html_line, 0}, "raw HTML is not passed through",
                               "write Markdown instead; only <span lang=\"…\"> and <div lang=\"…\"> are kept");
        return out;
    }

private:
    int line_of(cmark_node* n) const {
        const int l = cmark_node_get_start_line(n);
        return l > 0 ? l + m_line_offset : 0;
    }

    void flattened(cmark_node* n) {
        if (m_flattened_line >= 0) return;
        m_flattened_line = line_of(n) > 0 ? line_of(n) : m_last_line;
        m_flattened_column = line_of(n) > 0 ? cmark_node_get_start_column(n) : 0;
    }

    void drop_html(cmark_node* n) {
        if (m_dropped_html++ == 0) m_first_html_line = line_of(n);
    }

    doc::Blocks convert_blocks(cmark_node* parent) {
        std::vector<cmark_node*> children;
        for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) children.push_back(n);
        return convert_block_list(children);
    }

    // Blocks with <div lang> … </div> groups folded into doc::Div.
    doc::Blocks convert_block_list(const std::vector<cmark_node*>& nodes) {
        if (keep_html()) return convert_blocks_keeping_html(nodes);
        std::size_t i = 0;
        return convert_until_close(nodes, i, /*inside_div=*/false);
    }

    doc::Blocks convert_until_close(const std::vector<cmark_node*>& nodes, std::size_t& i, bool inside_div) {
        doc::Blocks out;
        out.reserve(nodes.size() - i);
        while (i < nodes.size()) {
            cmark_node* n = nodes[i++];
            if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
                const std::string html = literal(n);
                if (auto lang = open_tag_lang(html, "div")) {
                    const int line = line_of(n);
                    check_lang(*lang, line);
                    if (m_block_depth >= kMaxBlockDepth) {  // its blocks stay at this level
                        flattened(n);
                        ++m_skipped_divs;
                        continue;
                    }
                    Level level(m_block_depth);
                    doc::Div div{*lang, convert_until_close(nodes, i, true)};
                    out.push_back(doc::Block{std::move(div), line});
                    continue;
                }
                if (is_close_tag(html, "div") && m_skipped_divs > 0) {
                    --m_skipped_divs;
                    continue;
                }
                if (is_close_tag(html, "div") && inside_div) return out;
                drop_html(n);
                continue;
            }
            if (is_block_container(n) && m_block_depth >= kMaxBlockDepth) {
                // Too deep: the quote's or list's blocks, in order, at this level.
                flattened(n);
                m_last_line = line_of(n);
                const std::vector<cmark_node*> inner = leaves(n, is_block_container);
                std::size_t j = 0;
                for (doc::Block& b : convert_until_close(inner, j, false)) out.push_back(std::move(b));
                continue;
            }
            convert_block(n, out);
        }
        return out;
    }

    // Appends what `n` becomes: one block, none, or (a paragraph holding WordPress's
    // [caption] shortcode with text after it) two.
    void convert_block(cmark_node* n, doc::Blocks& out) {
        const int line = line_of(n);
        if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
            m_last_line = line;
            doc::Inlines content = convert_inlines(n);
            // A paragraph of raw HTML that gave nothing (a script, a player without
            // an address) but the line breaks around it.
            if (std::all_of(content.begin(), content.end(), [](const doc::Inline& in) {
                    const auto* t = doc::get_if<doc::Text>(&in.value);
                    return t && text::trim(t->text).empty();
                }))
                return;
            if (std::optional<doc::Blocks> blocks = html::caption_shortcode(content, line)) {
                for (doc::Block& b : *blocks) out.push_back(std::move(b));
                return;
            }
            out.push_back(paragraph(std::move(content), line));
            return;
        }
        if (auto block = convert_other_block(n)) out.push_back(std::move(*block));
    }

    static doc::Block paragraph(doc::Inlines content, int line) {
        // A picture alone in its paragraph, with a title: the title is its caption.
        if (content.size() == 1)
            if (const auto* image = doc::get_if<doc::Image>(&content.front().value);
                image && !text::trim(image->title).empty()) {
                doc::Inlines caption{doc::Inline{doc::Text{image->title}}};
                doc::Blocks pictures;
                pictures.push_back(doc::Block{doc::Paragraph{std::move(content)}, line});
                return doc::Block{doc::Figure{std::move(pictures), std::move(caption)}, line};
            }
        return doc::Block{doc::Paragraph{std::move(content)}, line};
    }

    std::optional<doc::Block> convert_other_block(cmark_node* n) {
        const int line = line_of(n);
        m_last_line = line;
        switch (cmark_node_get_type(n)) {
            case CMARK_NODE_HEADING: {
                doc::Heading h{cmark_node_get_heading_level(n), convert_inlines(n), {}};
                // An empty heading ("#" alone) titles nothing: readers and screen readers
                // would meet a blank heading, and the contents a blank entry.
                if (text::trim(doc::plain_text(h.content)).empty()) {
                    m_diagnostics.warn_change({m_file, line, cmark_node_get_start_column(n)},
                                       "an empty heading is left out", "write its title after the '#'",
                                       "an empty heading");
                    return std::nullopt;
                }
                const std::optional<std::string> given = take_heading_attributes(h.content);
                h.id = unique_slug(given ? *given : text::heading_slug(doc::plain_text(h.content)));
                return doc::Block{std::move(h), line};
            }
            case CMARK_NODE_CODE_BLOCK: {
                const char* info = cmark_node_get_fence_info(n);
                return doc::Block{doc::CodeBlock{info ? info : "", literal(n)}, line};
            }
            case CMARK_NODE_BLOCK_QUOTE: {
                Level level(m_block_depth);
                return doc::Block{doc::BlockQuote{convert_blocks(n)}, line};
            }
            case CMARK_NODE_LIST: {
                Level level(m_block_depth);
                doc::List list;
                list.ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
                list.start = list.ordered ? cmark_node_get_list_start(n) : 1;
                list.tight = cmark_node_get_list_tight(n) != 0;
                for (cmark_node* item = cmark_node_first_child(n); item; item = cmark_node_next(item))
                    list.items.push_back(convert_blocks(item));
                return doc::Block{std::move(list), line};
            }
            case CMARK_NODE_THEMATIC_BREAK:
                return doc::Block{doc::ThematicBreak{}, line};
            default:
                break;
        }
        if (type_name(n) == "table") return doc::Block{convert_table(n), line};
        return std::nullopt;  // nothing else carries content a reader would miss
    }

    doc::Table convert_table(cmark_node* table) {
        doc::Table out;
        const uint16_t columns = cmark_gfm_extensions_get_table_columns(table);
        const uint8_t* aligns = cmark_gfm_extensions_get_table_alignments(table);
        for (uint16_t c = 0; c < columns; ++c) {
            const char a = aligns ? static_cast<char>(aligns[c]) : 0;
            out.aligns.push_back(a == 'l'   ? doc::Align::Left
                                 : a == 'c' ? doc::Align::Center
                                 : a == 'r' ? doc::Align::Right
                                            : doc::Align::Default);
        }
        for (cmark_node* row = cmark_node_first_child(table); row; row = cmark_node_next(row)) {
            warn_of_dropped_cells(row, columns);
            std::vector<doc::Inlines> cells;
            for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell))
                cells.push_back(convert_inlines(cell));
            cells.resize(columns);
            if (type_name(row) == "table_header")
                out.header = std::move(cells);
            else
                out.rows.push_back(std::move(cells));
        }
        return out;
    }

    // GitHub's tables ignore the cells of a row beyond its header's (GFM spec 0.29
    // §4.10: "the excess is ignored"), words and all; a '|' inside a code span ends a
    // cell there too, unless written "\|". Counted here from the row's line as
    // cmark-gfm splits it: at every '|' that no backslash escapes.
    void warn_of_dropped_cells(cmark_node* row, std::size_t columns) {
        const int line = cmark_node_get_start_line(row);
        if (m_line_starts.empty()) {  // found once per article, not once per row
            m_line_starts.push_back(0);
            for (std::size_t i = m_source.find('\n'); i != std::string_view::npos; i = m_source.find('\n', i + 1))
                m_line_starts.push_back(i + 1);
        }
        if (line <= 0 || static_cast<std::size_t>(line) > m_line_starts.size()) return;
        const std::size_t start = m_line_starts[static_cast<std::size_t>(line - 1)];
        std::string_view text = m_source.substr(start, m_source.find('\n', start) - start);
        const int column = cmark_node_get_start_column(row);
        if (column > 1) text.remove_prefix(std::min<std::size_t>(static_cast<std::size_t>(column - 1), text.size()));
        std::vector<std::size_t> pipes;  // offsets of the unescaped '|'
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\\') ++i;
            else if (text[i] == '|') pipes.push_back(i);
        }
        const std::size_t first = text.find_first_not_of(" \t");
        const std::size_t last = text.find_last_not_of(" \t\r");
        std::size_t cells = pipes.size() + 1;
        if (!pipes.empty() && pipes.front() == first) --cells;  // a leading '|' opens the first cell
        if (!pipes.empty() && pipes.back() == last) --cells;    // a trailing one closes the last
        if (cells <= columns) return;
        m_diagnostics.warn_change({m_file, line + m_line_offset, column},
                                  "this table row has " + std::to_string(cells) + " cells and its header " +
                                      std::to_string(columns) +
                                      (cells - columns == 1 ? ": the last is left out"
                                                            : ": the last " + std::to_string(cells - columns) +
                                                                  " are left out"),
                                  "a '|' inside a cell, even in `code`, ends the cell: write it as \\|",
                                  "a table row with more cells than its header");
    }

    doc::Inlines convert_inlines(cmark_node* parent) {
        if (keep_html()) return convert_inlines_keeping_html(parent);
        std::vector<cmark_node*> children;
        for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) children.push_back(n);
        std::size_t i = 0;
        return convert_inline_list(children, i, false);
    }

    // Inlines with <span lang> … </span> folded into doc::Span.
    doc::Inlines convert_inline_list(const std::vector<cmark_node*>& nodes, std::size_t& i, bool inside_span) {
        doc::Inlines out;
        out.reserve(nodes.size() - i);
        while (i < nodes.size()) {
            cmark_node* n = nodes[i++];
            if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE) {
                const std::string html = literal(n);
                if (auto lang = open_tag_lang(html, "span")) {
                    check_lang(*lang, line_of(n));
                    if (m_inline_depth >= kMaxInlineDepth) {  // its text stays at this level
                        flattened(n);
                        ++m_skipped_spans;
                        continue;
                    }
                    Level level(m_inline_depth);
                    out.push_back(doc::Inline{doc::Span{*lang, convert_inline_list(nodes, i, true)}});
                    continue;
                }
                if (is_close_tag(html, "span") && m_skipped_spans > 0) {
                    --m_skipped_spans;
                    continue;
                }
                if (is_close_tag(html, "span") && inside_span) return out;
                drop_html(n);
                continue;
            }
            if (is_inline_container(n) && m_inline_depth >= kMaxInlineDepth) {
                // Too deep: the text inside, without its emphasis, links or image.
                flattened(n);
                const std::vector<cmark_node*> inner = leaves(n, is_inline_container);
                std::size_t j = 0;
                for (doc::Inline& in : convert_inline_list(inner, j, inside_span)) append_inline(out, std::move(in));
                continue;
            }
            if (auto in = convert_inline(n)) append_inline(out, std::move(*in));
        }
        out.shrink_to_fit();
        return out;
    }

    static void append_inline(doc::Inlines& out, doc::Inline in) {
        // Text, soft breaks and the characters cmark splits off ("[", "!"…) make
        // one run of text: a third of the inlines of a long book.
        auto* text = doc::get_if<doc::Text>(&in.value);
        auto* last = out.empty() ? nullptr : doc::get_if<doc::Text>(&out.back().value);
        if (text && last)
            last->text += text->text;
        else
            out.push_back(std::move(in));
    }

    std::optional<doc::Inline> convert_inline(cmark_node* n) {
        switch (cmark_node_get_type(n)) {
            case CMARK_NODE_TEXT: return doc::Inline{doc::Text{literal(n)}};
            case CMARK_NODE_CODE: return doc::Inline{doc::Code{literal(n)}};
            case CMARK_NODE_SOFTBREAK: return doc::Inline{doc::Text{"\n"}};
            case CMARK_NODE_LINEBREAK: return doc::Inline{doc::LineBreak{}};
            case CMARK_NODE_EMPH: {
                Level level(m_inline_depth);
                return doc::Inline{doc::Emphasis{convert_inlines(n)}};
            }
            case CMARK_NODE_STRONG: {
                Level level(m_inline_depth);
                return doc::Inline{doc::Strong{convert_inlines(n)}};
            }
            case CMARK_NODE_LINK: {
                Level level(m_inline_depth);
                const char* url = cmark_node_get_url(n);
                const char* title = cmark_node_get_title(n);
                Scoped in_link(m_in_link, true);  // raw <a> inside gives its text
                doc::Link link{url ? url : "", title ? title : "", convert_inlines(n), std::nullopt};
                link.line = line_of(n);
                link.column = cmark_node_get_start_column(n);
                if (link.line == 0) link.line = m_last_line;  // autolinks carry no position
                // A link needs a name a reader can see or hear (WCAG 2.4.4). One with no
                // content shows its address, as an autolink does; one holding only
                // pictures without alt text (warned about where pictures are checked)
                // gets its address as its title, which screen readers read.
                if (!link.url.empty() && text::trim(doc::plain_text(link.content)).empty()) {
                    if (link.content.empty()) {
                        m_diagnostics.warn_change({m_file, link.line, link.column},
                                           "a link with no text shows its address '" + link.url + "'",
                                           "write the link's text between the brackets: [the text](…)",
                                           "a link with no text");
                        link.content.push_back(doc::Inline{doc::Text{link.url}});
                    } else if (link.title.empty()) {
                        link.title = link.url;
                    }
                }
                return doc::Inline{std::move(link)};
            }
            case CMARK_NODE_IMAGE: {
                Level level(m_inline_depth);
                const char* url = cmark_node_get_url(n);
                const char* title = cmark_node_get_title(n);
                doc::Image image{url ? url : "", doc::plain_text(convert_inlines(n)), title ? title : ""};
                image.line = line_of(n);
                image.column = cmark_node_get_start_column(n);
                return doc::Inline{std::move(image)};
            }
            case CMARK_NODE_FOOTNOTE_REFERENCE: {
                // cmark-gfm numbers references by their note's order, and moves the
                // referenced definitions, in that order, to the end of the document.
                const int number = std::atoi(literal(n).c_str());
                return doc::Inline{doc::NoteRef{number}};
            }
            default:
                break;
        }
        if (type_name(n) == "strikethrough") {
            Level level(m_inline_depth);
            return doc::Inline{doc::Strikeout{convert_inlines(n)}};
        }
        return std::nullopt;
    }

    // ---- html: keep ----------------------------------------------------------------

    // A text with no '<' has no raw HTML: the plain path gives the same blocks, and
    // costs less than the HTML mapping's builders (most articles of a long book).
    bool keep_html() const { return m_options.raw_html == RawHtml::Keep && m_may_hold_html; }

    html::Where where_of(cmark_node* n) const {
        const int line = line_of(n);
        return line ? html::Where{line, cmark_node_get_start_column(n)} : html::Where{m_last_line, 0};
    }

    // Blocks, with the raw HTML blocks among them read (raw_html.hpp).
    doc::Blocks convert_blocks_keeping_html(const std::vector<cmark_node*>& nodes) {
        html::BlockBuilder builder(m_html, m_block_depth,
                                   [this](const std::string& text) { return unique_slug(text::heading_slug(text)); });
        doc::Blocks converted;
        // The nodes still to read, last first: a quote or list nested too deep puts
        // its blocks here in its place, as convert_until_close sets them.
        std::vector<cmark_node*> pending(nodes.rbegin(), nodes.rend());
        while (!pending.empty()) {
            cmark_node* n = pending.back();
            pending.pop_back();
            if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
                const std::string html = literal(n);
                const html::Where at = where_of(n);
                m_last_line = at.line;
                LiteralPlaces places(html, at.line, at.column);
                builder.html(html::tokenize(html), [&](std::size_t offset) { return places(offset); });
                continue;
            }
            if (builder.dropping()) {
                builder.skipped();
                continue;
            }
            if (is_block_container(n) && builder.depth() >= kMaxBlockDepth) {
                flattened(n);
                m_last_line = line_of(n);
                const std::vector<cmark_node*> inner = leaves(n, is_block_container);
                pending.insert(pending.end(), inner.rbegin(), inner.rend());
                continue;
            }
            Scoped depth(m_block_depth, builder.depth());
            converted.clear();
            convert_block(n, converted);
            for (doc::Block& b : converted) builder.block(std::move(b));
        }
        return builder.finish();
    }

    // An inline <svg> whose end tag is in a later node: cmark cuts it into a node
    // per tag and text nodes between, so its markup is gathered node by node, each
    // tag's bytes as written, the text between escaped again.
    struct SvgCapture {
        std::string markup;
        int open = 0;  // <svg> elements open in it
        html::Token start;
        html::Where where;
    };

    // Markup for what cmark made of the text inside an inline <svg> (a text node,
    // or emphasis and the like, which Markdown found in it: their characters).
    static void svg_markup(cmark_node* n, std::string& out) {
        const auto escape = [&](const std::string& s) {
            for (char c : s) {
                if (c == '&') out += "&amp;";
                else if (c == '<') out += "&lt;";
                else if (c == '>') out += "&gt;";
                else out += c;
            }
        };
        const auto one = [&](cmark_node* x) {
            switch (cmark_node_get_type(x)) {
                case CMARK_NODE_TEXT: escape(literal(x)); break;
                case CMARK_NODE_CODE: escape("`" + literal(x) + "`"); break;
                case CMARK_NODE_HTML_INLINE: out += literal(x); break;
                case CMARK_NODE_SOFTBREAK:
                case CMARK_NODE_LINEBREAK: out += '\n'; break;
                default: break;
            }
        };
        if (!cmark_node_first_child(n)) return one(n);
        for (cmark_node* x : leaves(n, [](cmark_node* c) { return cmark_node_first_child(c) != nullptr; })) one(x);
    }

    // Inlines, with the raw HTML among them read.
    doc::Inlines convert_inlines_keeping_html(cmark_node* parent) {
        html::InlineBuilder builder(m_html, m_inline_depth, m_in_link);
        SvgCapture svg;
        // The nodes still to read, last first: emphasis, a link or an image nested too
        // deep puts what it holds here in its place, as convert_inline_list does.
        std::vector<cmark_node*> pending;
        for (cmark_node* n = cmark_node_last_child(parent); n; n = cmark_node_previous(n)) pending.push_back(n);
        while (!pending.empty()) {
            cmark_node* n = pending.back();
            pending.pop_back();
            if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE) {
                const std::string html = literal(n);
                const html::Where at = where_of(n);
                LiteralPlaces places(html, at.line, at.column);
                const std::vector<html::Token> tokens = html::tokenize(html);
                std::size_t i = 0;
                if (svg.open > 0) {  // does the gathered <svg> end here?
                    for (; i < tokens.size() && svg.open > 0; ++i) {
                        const html::Token& t = tokens[i];
                        if (t.kind == html::TokenKind::StartTag && t.name == "svg" && !t.self_closing) ++svg.open;
                        if (t.kind == html::TokenKind::EndTag && t.name == "svg" && --svg.open == 0) {
                            svg.markup.append(html, 0, t.end);
                            html::Token whole = std::move(svg.start);
                            whole.kind = html::TokenKind::Svg;
                            whole.text = std::move(svg.markup);
                            builder.tag(whole, svg.where);
                            svg = SvgCapture{};
                        }
                    }
                    if (svg.open > 0) {
                        svg.markup += html;
                        continue;
                    }
                }
                for (; i < tokens.size(); ++i) {
                    const html::Token& t = tokens[i];
                    if (t.kind == html::TokenKind::Text) {
                        builder.text(t.text);
                    } else if (t.kind == html::TokenKind::StartTag && t.name == "svg" && !t.self_closing &&
                               !builder.dropping()) {
                        // Not closed in this node: gather it to its end tag. The tokens
                        // after it here are inside it; an <svg> among them not closed
                        // here either is one more to close.
                        svg.open = 1;
                        for (std::size_t j = i + 1; j < tokens.size(); ++j)
                            if (tokens[j].kind == html::TokenKind::StartTag && tokens[j].name == "svg" &&
                                !tokens[j].self_closing)
                                ++svg.open;
                        svg.markup = html.substr(t.offset);
                        svg.start = t;
                        svg.where = places(t.offset);
                        break;
                    } else {
                        builder.tag(t, places(t.offset));
                    }
                }
                continue;
            }
            if (svg.open > 0) {
                svg_markup(n, svg.markup);
                continue;
            }
            if (builder.dropping()) continue;  // inside <script>…</script>
            if (is_inline_container(n) && builder.depth() >= kMaxInlineDepth) {
                flattened(n);
                const std::vector<cmark_node*> inner = leaves(n, is_inline_container);
                pending.insert(pending.end(), inner.rbegin(), inner.rend());
                continue;
            }
            Scoped depth(m_inline_depth, builder.depth());
            Scoped in_link(m_in_link, builder.in_link());
            if (cmark_node_get_type(n) == CMARK_NODE_LINK && m_in_link) {
                for (doc::Inline& in : convert_inlines(n)) builder.append(std::move(in));  // no link in a link
                continue;
            }
            if (auto in = convert_inline(n)) builder.append(std::move(*in));
        }
        if (svg.open > 0) m_html.unclosed_svg(svg.where);  // dropped, with what followed it
        return builder.finish();
    }

    void check_lang(const std::string& lang, int line) {
        if (!is_language_tag(lang))
            m_diagnostics.warn({m_file, line, 0}, "'" + lang + "' is not a language tag",
                               "use a BCP 47 tag such as en, sr-Latn or sq");
    }

    // Hugo (Goldmark's attributes) and Jekyll (kramdown) let a heading name its own
    // id: "## Setting up {#setup}", "{#setup .wide}", kramdown's "{: #setup}". The
    // braces are taken off the heading's text and the id returned (as a slug when it
    // holds characters an id may not), so that links to "#setup" find it. Braces
    // holding anything else are the heading's text.
    static std::optional<std::string> take_heading_attributes(doc::Inlines& content) {
        if (content.empty()) return std::nullopt;
        auto* last = doc::get_if<doc::Text>(&content.back().value);
        if (!last) return std::nullopt;
        std::string& t = last->text;
        const std::size_t end = t.find_last_not_of(" \t");
        if (end == std::string::npos || t[end] != '}') return std::nullopt;
        const std::size_t open = t.rfind('{', end);
        if (open == std::string::npos) return std::nullopt;
        std::string_view inside = std::string_view(t).substr(open + 1, end - open - 1);
        if (!inside.empty() && inside.front() == ':') inside.remove_prefix(1);  // kramdown's "{: …}"
        std::optional<std::string> id;
        for (std::size_t at = 0; at < inside.size();) {
            const std::size_t start = inside.find_first_not_of(" \t", at);
            if (start == std::string_view::npos) break;
            const std::size_t stop = std::min(inside.find_first_of(" \t", start), inside.size());
            const std::string_view token = inside.substr(start, stop - start);
            at = stop;
            if (token.size() > 1 && token.front() == '#' && !id) {
                id = std::string(token.substr(1));
            } else if (!(token.size() > 1 && token.front() == '.') && token.find('=') == std::string_view::npos) {
                return std::nullopt;  // not attributes: the heading's own words
            }
        }
        if (!id) return std::nullopt;
        const bool plain = std::all_of(id->begin(), id->end(), [](unsigned char c) {
            return std::isalnum(c) || c == '-' || c == '_' || c == '.';
        });
        if (!plain || !std::isalpha(static_cast<unsigned char>(id->front()))) *id = text::heading_slug(*id);
        t.erase(open);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
        if (t.empty()) content.pop_back();
        return id->empty() ? std::nullopt : id;
    }

    std::string unique_slug(std::string slug) {
        if (slug.empty()) slug = "section";
        std::string candidate = slug;
        // Numbers already tried for this slug stay taken: start after them, or
        // an article with thousands of "Notes" headings takes minutes.
        int& k = m_slug_next[slug];
        while (!m_slugs.insert(candidate).second) candidate = slug + "-" + std::to_string(++k);
        return candidate;
    }

    const std::string& m_file;
    int m_line_offset;
    Diagnostics& m_diagnostics;
    const Options& m_options;
    html::Reporter m_html;
    bool m_may_hold_html;  // the text has a '<' somewhere
    std::string_view m_source;  // the Markdown cmark read, for what its tree no longer holds
    std::vector<std::size_t> m_line_starts;  // of m_source, when first needed
    bool m_in_link = false;
    std::set<std::string> m_slugs;
    std::unordered_map<std::string, int> m_slug_next;  // slug -> the last number tried after it
    int m_dropped_html = 0;
    int m_first_html_line = 0;
    int m_last_line = 0;  // line of the block being converted
    // Containers open around the block or inline being converted: quotes, list items
    // and divs (emphasis, links, images and spans), and under html: keep the HTML
    // elements too, so that Markdown and HTML share one cap.
    int m_block_depth = 0;
    int m_inline_depth = 0;
    int m_skipped_divs = 0;  // <div lang> openers past kMaxBlockDepth, whose </div> is skipped too
    int m_skipped_spans = 0;
    int m_flattened_line = -1;  // where nesting first went past the limits
    int m_flattened_column = 0;
};

void register_extensions_once() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

// The footnote definitions of `markdown` that the parsed document no longer holds.
// cmark-gfm frees a definition that no call names, and its text with it: said here,
// at the definition, so that no word leaves the book unannounced. A definition is a
// line "[^label]: …" indented by at most three spaces outside a fenced code block
// (one nested in a list or a quote is not looked for).
void warn_of_uncalled_notes(std::string_view markdown, cmark_node* document, const std::string& file, int line_offset,
                            Diagnostics& diagnostics) {
    std::set<int> kept;  // the lines the surviving definitions start on
    for (cmark_node* n = cmark_node_first_child(document); n; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) kept.insert(cmark_node_get_start_line(n));
    FencedCode fenced;
    int line = 0;
    for (std::size_t start = 0; start < markdown.size();) {
        const std::size_t end = std::min(markdown.find('\n', start), markdown.size());
        const std::string_view text = markdown.substr(start, end - start);
        start = end + 1;
        ++line;
        if (fenced.code(text)) continue;
        const std::size_t indent = std::min(text.find_first_not_of(' '), text.size());
        if (indent > 3) continue;
        const std::string_view rest = text.substr(indent);
        if (!rest.starts_with("[^")) continue;
        const std::size_t close = rest.find("]:");
        if (close == std::string_view::npos || close < 3) continue;
        const std::string_view label = rest.substr(2, close - 2);
        if (label.find_first_of(" \t]") != std::string_view::npos || kept.count(line)) continue;
        diagnostics.warn_change({file, line + line_offset, static_cast<int>(indent) + 1},
                                "footnote '[^" + std::string(label) + "]' is never called: its text is left out",
                                "call it with [^" + std::string(label) + "] where it belongs, or delete it",
                                "a footnote never called");
    }
}

}  // namespace

bool is_language_tag(std::string_view tag) {
    // language (2–3 letters, or 4–8 reserved/registered), then subtags of 1–8 alphanumerics.
    std::size_t start = 0;
    bool first = true;
    while (true) {
        const std::size_t end = tag.find('-', start);
        const std::string_view part = tag.substr(start, end == std::string_view::npos ? end : end - start);
        if (part.empty() || part.size() > 8) return false;
        for (char c : part) {
            const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            const bool digit = c >= '0' && c <= '9';
            if (first ? !alpha : !(alpha || digit)) return false;
        }
        if (first && part.size() < 2) return false;
        first = false;
        if (end == std::string_view::npos) return true;
        start = end + 1;
    }
}

Parsed parse_markdown(std::string_view markdown, const std::string& file, int first_line, Diagnostics& diagnostics,
                      const Options& options) {
    register_extensions_once();
    ParserPtr parser(cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES));
    for (const char* name : {"table", "strikethrough", "autolink"})
        if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser.get(), ext);
    std::string expanded;
    if (has_site_markup(markdown, options.site_markup)) {
        expanded = expand_site_markup(markdown, file, first_line, options.site_markup, diagnostics);
        markdown = expanded;
    }
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    NodePtr document;
    {
        // cmark-gfm adds the extensions' special characters ('~' for strikethrough…)
        // to one global table while it parses inlines, and takes them out again
        // afterwards (github/cmark-gfm#176, still open): two parsers finishing at
        // once drop each other's strikethrough and autolinks. Inline parsing runs
        // one article at a time; reading the files and building the model stay
        // parallel.
        static std::mutex inline_parsing;
        std::lock_guard lock(inline_parsing);
        document.reset(cmark_parser_finish(parser.get()));
    }
    if (markdown.find("[^") != std::string_view::npos)
        warn_of_uncalled_notes(markdown, document.get(), file, first_line - 1, diagnostics);
    Converter converter(file, first_line - 1, diagnostics, options, markdown);
    Parsed parsed = converter.convert(document.get());
    doc::fit_to_size(parsed.body);
    for (doc::Footnote& note : parsed.notes) doc::fit_to_size(note.content);
    return parsed;
}

}  // namespace folio::markdown
