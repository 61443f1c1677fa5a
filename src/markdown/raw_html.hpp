// Raw HTML mapped onto the document model, under `html: keep` (the default). Knows
// no cmark: parse_markdown.cpp feeds it cmark's converted nodes and the tokens of
// the raw HTML between them (html_tokens.hpp), in source order.
//
// What is kept is rebuilt as doc nodes, never copied as bytes, so each writer
// renders it as it renders Markdown: the EPUB's XHTML is well-formed by
// construction and the PDF shows the same words. The rule is that of part 5:
// every picture, table, code block and word reaches the book, or a warning says
// where and why not.
//
//   em i cite dfn var -> Emphasis     strong b -> Strong     s strike del -> Strikeout
//   code kbd samp tt  -> Code         br -> LineBreak        sup / sub -> Superscript / Subscript
//   q -> its text in quotation marks (“ ”, ‘ ’ inside)      img -> Image (src, alt, title)
//   picture -> an Image: the first <source srcset> of a type folio reads, else its <img>
//   svg (whole) -> an Image holding the markup (Image::svg), alt from <title> or aria-label
//   video audio iframe -> a Link to the embed's web address (YouTube and Vimeo players
//                       -> their watch pages), its text the title or "Video: host"
//   a href (http, https, mailto, or a relative path)         -> Link
//   span lang -> Span, div lang -> Div (other span and div: their content)
//   in an HTML block: p, h1-h6, pre, blockquote, ul/ol/li, hr -> those blocks;
//     table (caption, thead/tbody/tfoot, tr, th/td, col) -> Table (see TableState);
//     figure + figcaption -> Figure; details -> its content, summary -> a paragraph
//     in strong text; a paragraph that is only a web address -> a link to it
//   script style object embed form noscript template math, an svg never closed
//                     -> dropped with their content, with a warning
//   any other element (u, mark, ins, small, abbr, font…) -> its content;
//   comments, declarations -> nothing
// Attributes other than href, src, srcset, type, alt, title, aria-label, lang,
// start, colspan, rowspan, span, align and style's text-align are not read; event
// handlers (on…) and style are reported, javascript:, vbscript:, data: and other
// schemes in href or src drop the link or image (its text stays), with a warning.
//
// Bounded: at most kMaxDepth elements are open in one builder (deeper ones give
// their content only), and each token costs O(kMaxDepth) at most; tables are cut
// at kMaxTableColumns columns and kMaxSpanCells cells added by spans.
#pragma once

#include "core/diagnostics.hpp"
#include "doc/model.hpp"
#include "markdown/html_tokens.hpp"

#include <functional>
#include <memory>
#include <string>

namespace folio::markdown::html {

constexpr int kMaxDepth = 32;
// HTML's own cap on colspan; also the widest table kept (later cells join the last).
constexpr int kMaxTableColumns = 1000;
// Empty cells that colspan and rowspan may add to one table: past this, spans are
// no longer expanded (their content stays, in one cell).
constexpr std::size_t kMaxSpanCells = 100'000;

// Where a token was written in the article's file.
struct Where {
    int line = 0;
    int column = 0;
};

// The warnings of one article's raw HTML. Dropped elements, event handlers and
// unsafe links are reported where they are; style attributes, which exporters put
// everywhere, once with a count (flush()).
class Reporter {
public:
    Reporter(const std::string& file, Diagnostics& diagnostics) : m_file(file), m_diagnostics(diagnostics) {}
    Reporter(const Reporter&) = delete;
    Reporter& operator=(const Reporter&) = delete;

    void dropped_element(const std::string& name, Where where);
    void unclosed_drop(const std::string& name, Where where);
    void attributes(const Token& tag, Where where);  // on…, style
    void unsafe_url(const std::string& what, const std::string& url, Where where);
    void embed_without_address(const std::string& name, const std::string& src, Where where);
    void nested_table(Where where);
    void table_cut(Where where);
    void unclosed_table(Where where);
    void unclosed_svg(Where where);
    void language(const std::string& lang, Where where);
    // The tag's lang attribute if it is a language tag; "" if absent, or (warned) invalid.
    std::string language_of(const Token& tag, Where where);
    void flush();

private:
    const std::string& m_file;
    Diagnostics& m_diagnostics;
    int m_styles = 0;
    Where m_first_style;
};

// An href or src as written (entities decoded) -> the URL to keep, or nothing when
// its scheme is not allowed. Removes what URL parsers ignore first (WHATWG URL:
// leading and trailing C0 controls and spaces, tabs and newlines anywhere), so
// that "java&#x09;script:" is seen as javascript:. Relative paths are kept: the
// book loader resolves or drops them.
std::optional<std::string> safe_url(std::string_view written, bool allow_mailto);

// Where an embed (<iframe>, <video>, <audio>, or its <source>) can be reached on
// the web: an http or https address ("//host/…" taken as https), with YouTube's
// and Vimeo's player addresses turned into their watch pages
// (youtube.com/embed/ID and youtube-nocookie.com/embed/ID ->
// https://www.youtube.com/watch?v=ID; player.vimeo.com/video/ID ->
// https://vimeo.com/ID). `host` is the host to name it by, without "www.".
struct EmbedAddress {
    std::string url;
    std::string host;
};
std::optional<EmbedAddress> embed_address(std::string_view src);

// WordPress's caption shortcode, which exports leave as text around the picture:
// "[caption id=… align=… width=…]<img …/> Caption text[/caption]". When `content`
// (a paragraph's inlines) starts with one, returns what it becomes: a Figure of its
// pictures with the rest as caption (a paragraph of the caption when it has no
// picture), then a paragraph of what follows "[/caption]", if anything.
std::optional<doc::Blocks> caption_shortcode(doc::Inlines& content, int line);

// Inline content: text, converted cmark inlines, and tags, in order.
class InlineBuilder {
public:
    // `depth`: elements already open around this content (the cap is shared);
    // `in_link`: inside a link, where <a> gives its content only.
    InlineBuilder(Reporter& reporter, int depth, bool in_link);
    ~InlineBuilder();
    InlineBuilder(const InlineBuilder&) = delete;
    InlineBuilder& operator=(const InlineBuilder&) = delete;

    void text(std::string_view s);  // characters, already decoded
    // Text of an HTML block: white space collapses as HTML collapses it, also
    // across the elements around it ("a <script>…</script> b" -> "a b").
    void html_text(std::string_view s);
    void append(doc::Inline in);    // a converted cmark inline
    void tag(const Token& t, Where where);  // also an Svg token: an inline picture
    bool dropping() const;          // inside <script>… or <video>…: what comes is skipped
    bool in_link() const;
    int depth() const;              // elements open, with those around
    // Closes what is still open, in order, and returns the content.
    doc::Inlines finish();

private:
    struct Frame;
    void push(Frame f);
    void pop();
    void embed(Frame& f, doc::Inlines& parent);
    void source(const Token& t, Where where);
    void image(const Token& t, Where where);
    std::vector<Frame>& frames();
    Reporter& m_reporter;
    int m_depth;
    bool m_in_link;
    bool m_after_space = true;  // the content so far ends in white space, or is empty
    std::unique_ptr<std::vector<Frame>> m_frames;  // [0] is the root
};

// A list of blocks: converted cmark blocks, and HTML blocks' tokens. Containers
// (div, blockquote, ul/ol/li, table cells, figure, figcaption, summary, and the
// dropped elements) may enclose Markdown blocks, as CommonMark's HTML blocks allow
// ("<td>", blank line, Markdown, blank line, "</td>"); p, h1-h6, pre and inline
// elements end with their HTML block.
//
// Tables: a cell's content is inlines, its paragraphs, list items and lines on
// lines of their own (a table inside a cell: its rows as lines, its cells apart
// by " | ", with a warning). colspan and rowspan are expanded: the content in the
// first cell, empty cells over the rest of the span, so that columns stay aligned.
// The header is the first row of <thead>, or a first row of <th> cells, or a
// first row of bold cells (WordPress); <tfoot> rows come last. A <caption> (or WordPress's <figure class="wp-block-table">
// <figcaption>) makes the table a Figure with that caption, so that both writers
// keep caption and table together, rather than a paragraph that a page break could
// part from it. Text and Markdown blocks between a table's rows go before the
// table, as browsers put them.
class BlockBuilder {
public:
    using Slug = std::function<std::string(const std::string&)>;  // heading text -> unique id
    using Locate = std::function<Where(std::size_t offset)>;       // offsets rise from call to call

    BlockBuilder(Reporter& reporter, int depth, Slug slug);
    ~BlockBuilder();
    BlockBuilder(const BlockBuilder&) = delete;
    BlockBuilder& operator=(const BlockBuilder&) = delete;

    void html(const std::vector<Token>& tokens, const Locate& locate);
    void block(doc::Block b);  // a converted cmark block
    bool dropping() const;  // inside <object>…: the next cmark blocks are skipped
    void skipped();         // a cmark block was skipped
    int depth() const;      // containers open, with those around
    doc::Blocks finish();

private:
    struct Container;
    struct Leaf;
    void token(const Token& t, Where where);
    void start(const Token& t, Where where);
    void end(const Token& t, Where where);
    void add_block(doc::Block b);
    void open_leaf(int kind, int level, int line);
    void ensure_leaf(int line);
    void close_leaf();
    void push(Container c);
    void pop();
    void pop_to(std::size_t k);                     // pops the containers above index k
    std::size_t nearest_table() const;              // index of the innermost open table, 0 if none
    void table_start(const Token& t, Where where);
    void table_end(const Token& t);
    Container& top();
    const Container& top() const;
    Reporter& m_reporter;
    int m_depth;
    Slug m_slug;
    std::unique_ptr<std::vector<Container>> m_stack;  // [0] is the root
    std::unique_ptr<Leaf> m_leaf;
};

}  // namespace folio::markdown::html
