// Raw HTML mapped onto the document model, for books with `html: keep`. Knows no
// cmark: parse_markdown.cpp feeds it cmark's converted nodes and the tokens of
// the raw HTML between them (html_tokens.hpp), in source order.
//
// What is kept is rebuilt as doc nodes, never copied as bytes, so each writer
// renders it as it renders Markdown: the EPUB's XHTML is well-formed by
// construction and the PDF shows the same words.
//
//   em i cite dfn var -> Emphasis     strong b -> Strong     s strike del -> Strikeout
//   code kbd samp tt  -> Code         br -> LineBreak        img -> Image (src, alt, title)
//   a href (http, https, mailto, or a relative path)         -> Link
//   span lang -> Span, div lang -> Div (other span and div: their content)
//   in an HTML block: p, h1-h6, pre, blockquote, ul/ol/li, hr -> those blocks
//   script style iframe object embed form noscript template svg math
//                     -> dropped with their content, with a warning
//   any other element -> its content; comments, declarations -> nothing
// Attributes other than href, src, alt, title, lang and start are not read; event
// handlers (on…) and style are reported, javascript:, vbscript:, data: and other
// schemes in href or src drop the link or image (its text stays), with a warning.
//
// Bounded: at most kMaxDepth elements are open in one builder (deeper ones give
// their content only), and each token costs O(kMaxDepth) at most.
#pragma once

#include "core/diagnostics.hpp"
#include "doc/model.hpp"
#include "markdown/html_tokens.hpp"

#include <functional>
#include <memory>
#include <string>

namespace folio::markdown::html {

constexpr int kMaxDepth = 32;

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
    void tag(const Token& t, Where where);
    bool dropping() const;          // inside <script>…: what comes is skipped
    bool in_link() const;
    int depth() const;              // elements open, with those around
    // Closes what is still open, in order, and returns the content.
    doc::Inlines finish();

private:
    struct Frame;
    void push(Frame f);
    void pop();
    std::vector<Frame>& frames();
    Reporter& m_reporter;
    int m_depth;
    bool m_in_link;
    bool m_after_space = true;  // the content so far ends in white space, or is empty
    std::unique_ptr<std::vector<Frame>> m_frames;  // [0] is the root
};

// A list of blocks: converted cmark blocks, and HTML blocks' tokens. Containers
// (div, blockquote, ul/ol/li, and the dropped elements) may enclose Markdown
// blocks, as CommonMark's HTML blocks allow ("<div>", blank line, Markdown, blank
// line, "</div>"); p, h1-h6, pre and inline elements end with their HTML block.
class BlockBuilder {
public:
    using Slug = std::function<std::string(const std::string&)>;  // heading text -> unique id
    using Locate = std::function<Where(std::size_t offset)>;       // offsets rise from call to call

    BlockBuilder(Reporter& reporter, int depth, Slug slug);
    ~BlockBuilder();
    BlockBuilder(const BlockBuilder&) = delete;
    BlockBuilder& operator=(const BlockBuilder&) = delete;

    void html(const std::vector<Token>& tokens, const Locate& locate);
    void block(doc::Block b);
    bool dropping() const;  // inside <iframe>…: the next cmark blocks are skipped
    void skipped();         // a cmark block was skipped
    int depth() const;      // containers open, with those around
    doc::Blocks finish();

private:
    struct Container;
    struct Leaf;
    void token(const Token& t, Where where);
    void start(const Token& t, Where where);
    void end(const Token& t, Where where);
    void open_leaf(int kind, int level, int line);
    void ensure_leaf(int line);
    void close_leaf();
    void push(Container c);
    void pop();
    Container& top();
    const Container& top() const;
    Reporter& m_reporter;
    int m_depth;
    Slug m_slug;
    std::unique_ptr<std::vector<Container>> m_stack;  // [0] is the root
    std::unique_ptr<Leaf> m_leaf;
};

}  // namespace folio::markdown::html
