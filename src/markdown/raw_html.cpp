#include "markdown/raw_html.hpp"

#include "markdown/parse_markdown.hpp"

#include <algorithm>
#include <initializer_list>

namespace folio::markdown::html {

namespace {

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Never kept, content and all, and reported: they run code, style the page, or
// embed another document (svg and math may carry script and links of their own).
bool is_dangerous(std::string_view n) {
    return one_of(n, {"script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math",
                      "applet", "frame", "frameset"});
}

// Never shown by a browser either: dropped with their content, without a word.
bool is_hidden(std::string_view n) { return one_of(n, {"title", "noembed", "noframes"}); }

bool is_void(std::string_view n) {
    return one_of(n, {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                      "source", "track", "wbr"});
}

// Blocks with no counterpart in the model: their start and end end a paragraph.
bool is_block_break(std::string_view n) {
    return one_of(n, {"address", "article", "aside", "body", "caption", "center", "dd", "details", "dl", "dt",
                      "fieldset", "figcaption", "figure", "footer", "head", "header", "hgroup", "html", "legend", "main",
                      "nav", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr"});
}

bool is_container(std::string_view n) { return one_of(n, {"div", "blockquote", "ul", "ol", "li"}); }

int heading_level(std::string_view n) {
    return n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6' ? n[1] - '0' : 0;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// HTML's white space collapsing; a run with a newline stays a newline (a soft break).
std::string collapse_space(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (!is_space(s[i])) {
            out += s[i++];
            continue;
        }
        bool newline = false;
        for (; i < s.size() && is_space(s[i]); ++i) newline = newline || s[i] == '\n';
        out += newline ? '\n' : ' ';
    }
    return out;
}

bool all_space(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

void add(doc::Inlines& list, doc::Inline in) {
    if (auto* text = std::get_if<doc::Text>(&in.value)) {
        if (text->text.empty()) return;
        if (!list.empty())
            if (auto* last = std::get_if<doc::Text>(&list.back().value)) {
                last->text += text->text;
                return;
            }
    }
    list.push_back(std::move(in));
}

// The characters of inlines, for <code> and <pre>.
void flatten(const doc::Inlines& list, std::string& out, bool pre) {
    for (const doc::Inline& in : list) {
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, doc::Text> || std::is_same_v<T, doc::Code>) {
                    out += v.text;
                } else if constexpr (std::is_same_v<T, doc::LineBreak>) {
                    out += pre ? '\n' : ' ';
                } else if constexpr (std::is_same_v<T, doc::Image>) {
                    out += v.alt;
                } else if constexpr (std::is_same_v<T, doc::NoteRef>) {
                } else {
                    flatten(v.content, out, pre);
                }
            },
            in.value);
    }
}

// The content of an inline that has some (emphasis, links…), or nullptr.
doc::Inlines* content_of(doc::Inline& in) {
    return std::visit(
        [](auto& v) -> doc::Inlines* {
            if constexpr (requires { v.content; }) return &v.content;
            else return nullptr;
        },
        in.value);
}

// White space at the start and end of a block's text, also inside the elements
// there ("<p><b>bold\n</b></p>"). A loop, not recursion: the depth is the input's.
void trim_edges(doc::Inlines& list) {
    for (doc::Inlines* l = &list; l && !l->empty();) {
        auto* t = std::get_if<doc::Text>(&l->front().value);
        if (!t) {
            l = content_of(l->front());
            continue;
        }
        t->text.erase(0, std::find_if_not(t->text.begin(), t->text.end(), is_space) - t->text.begin());
        if (!t->text.empty()) break;
        l->erase(l->begin());
    }
    for (doc::Inlines* l = &list; l && !l->empty();) {
        auto* t = std::get_if<doc::Text>(&l->back().value);
        if (!t) {
            l = content_of(l->back());
            continue;
        }
        while (!t->text.empty() && is_space(t->text.back())) t->text.pop_back();
        if (!t->text.empty()) break;
        l->pop_back();
    }
}

// A URL as a diagnostic shows it: short, one line, whole characters.
std::string shown(std::string_view url) {
    std::string out;
    for (std::size_t i = 0; i < url.size() && out.size() < 60; ++i) {
        const unsigned char c = static_cast<unsigned char>(url[i]);
        out += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
    }
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();  // a cut character
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    if (out.size() < url.size()) out += "…";
    return out;
}

}  // namespace

// ---- warnings ------------------------------------------------------------------------

void Reporter::dropped_element(const std::string& name, Where where) {
    m_diagnostics.warn({m_file, where.line, where.column}, "<" + name + "> is dropped with its content",
                       "raw HTML keeps text and its markup; scripts, styles, frames, forms and embedded objects "
                       "never reach the book");
}

void Reporter::unclosed_drop(const std::string& name, Where where) {
    m_diagnostics.warn({m_file, where.line, where.column},
                       "<" + name + "> is never closed: the Markdown after it, to the end of its part of the article, "
                                    "is dropped too",
                       "close it with </" + name + ">, or remove it");
}

void Reporter::attributes(const Token& tag, Where where) {
    std::vector<std::string> handlers;
    bool style = false;
    for (const Attribute& a : tag.attributes) {
        if (a.name.size() > 2 && a.name.compare(0, 2, "on") == 0) {
            if (std::find(handlers.begin(), handlers.end(), a.name) == handlers.end() && handlers.size() < 4)
                handlers.push_back(a.name);
        } else if (a.name == "style") {
            style = true;
        }
    }
    if (!handlers.empty()) {
        std::string names;
        for (const std::string& h : handlers) names += (names.empty() ? "'" : ", '") + h + "'";
        m_diagnostics.warn({m_file, where.line, where.column},
                           std::string(handlers.size() > 1 ? "event attributes " : "event attribute ") + names + " on <" +
                               tag.name + (handlers.size() > 1 ? "> are dropped" : "> is dropped"),
                           "raw HTML may not run code");
    }
    if (style && m_styles++ == 0) m_first_style = where;
}

void Reporter::unsafe_url(const std::string& what, const std::string& url, Where where) {
    const bool link = what == "link";
    m_diagnostics.warn({m_file, where.line, where.column},
                       what + " '" + shown(url) + "' uses an unsafe scheme and is dropped",
                       link ? "links may use http, https or mailto; the link's text is kept"
                            : "put the image in the book folder and give its path; its alt text is kept");
}

void Reporter::language(const std::string& lang, Where where) {
    m_diagnostics.warn({m_file, where.line, where.column}, "'" + shown(lang) + "' is not a language tag",
                       "use a BCP 47 tag such as en, sr-Latn or sq; the passage is kept without it");
}

std::string Reporter::language_of(const Token& tag, Where where) {
    const Attribute* lang = tag.attribute("lang");
    if (!lang || lang->value.empty()) return "";
    if (is_language_tag(lang->value)) return lang->value;
    language(lang->value, where);
    return "";
}

void Reporter::flush() {
    if (m_styles == 0) return;
    m_diagnostics.warn({m_file, m_first_style.line, m_first_style.column},
                       m_styles == 1 ? std::string("a style attribute is dropped")
                                     : "style attributes are dropped (" + std::to_string(m_styles) +
                                           " places in this article)",
                       "the book's style sets the look; raw HTML keeps its elements, not their styling");
    m_styles = 0;
}

std::optional<std::string> safe_url(std::string_view written, bool allow_mailto) {
    std::string url;
    url.reserve(written.size());
    for (char c : written)
        if (c != '\t' && c != '\n' && c != '\r') url += c;
    const auto c0_or_space = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
    const std::size_t from = std::find_if_not(url.begin(), url.end(), c0_or_space) - url.begin();
    url.erase(0, from);
    while (!url.empty() && c0_or_space(url.back())) url.pop_back();
    // A scheme as the book loader sees one: letters, digits, '+', '-', '.' before the first ':'.
    const std::size_t colon = url.find(':');
    if (colon == std::string::npos || colon == 0) return url;
    for (std::size_t i = 0; i < colon; ++i) {
        const char c = url[i];
        const bool scheme_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                 c == '+' || c == '-' || c == '.';
        if (!scheme_char) return url;  // "a/b:c" is a path
    }
    const std::string scheme = text::to_lower_ascii(std::string_view(url).substr(0, colon));
    if (scheme == "http" || scheme == "https" || (allow_mailto && scheme == "mailto")) return url;
    return std::nullopt;
}

// ---- inline content ------------------------------------------------------------------

struct InlineBuilder::Frame {
    enum class Kind { Root, Emphasis, Strong, Strikeout, Code, Link, Span, Content, Drop };
    Kind kind = Kind::Root;
    std::string name;
    doc::Inlines content{};
    std::string url{}, title{}, lang{};  // Link, Span
    Where where{};
    int nested = 0;  // Drop: open elements of the same name inside it
};

InlineBuilder::InlineBuilder(Reporter& reporter, int depth, bool in_link)
    : m_reporter(reporter), m_depth(depth), m_in_link(in_link), m_frames(std::make_unique<std::vector<Frame>>()) {
    m_frames->emplace_back();
}

InlineBuilder::~InlineBuilder() = default;

std::vector<InlineBuilder::Frame>& InlineBuilder::frames() { return *m_frames; }

bool InlineBuilder::dropping() const { return m_frames->back().kind == Frame::Kind::Drop; }

bool InlineBuilder::in_link() const {
    if (m_in_link) return true;
    return std::any_of(m_frames->begin(), m_frames->end(), [](const Frame& f) { return f.kind == Frame::Kind::Link; });
}

int InlineBuilder::depth() const { return m_depth + static_cast<int>(m_frames->size()) - 1; }

void InlineBuilder::text(std::string_view s) {
    if (dropping() || s.empty()) return;
    add(frames().back().content, doc::Inline{doc::Text{std::string(s)}});
    m_after_space = is_space(s.back());
}

void InlineBuilder::html_text(std::string_view s) {
    std::string collapsed = collapse_space(s);
    if (m_after_space && !collapsed.empty() && is_space(collapsed.front())) collapsed.erase(0, 1);
    text(collapsed);
}

void InlineBuilder::append(doc::Inline in) {
    if (dropping()) return;
    m_after_space = std::holds_alternative<doc::LineBreak>(in.value);
    add(frames().back().content, std::move(in));
}

void InlineBuilder::push(Frame f) { frames().push_back(std::move(f)); }

void InlineBuilder::pop() {
    Frame f = std::move(frames().back());
    frames().pop_back();
    doc::Inlines& parent = frames().back().content;
    using Kind = Frame::Kind;
    if (f.kind == Kind::Drop) return;
    if (f.kind == Kind::Content) {
        for (doc::Inline& in : f.content) add(parent, std::move(in));
        return;
    }
    if (f.content.empty()) return;  // <b></b>, <a href="…"></a>: nothing to show
    switch (f.kind) {
        case Kind::Emphasis: add(parent, doc::Inline{doc::Emphasis{std::move(f.content)}}); break;
        case Kind::Strong: add(parent, doc::Inline{doc::Strong{std::move(f.content)}}); break;
        case Kind::Strikeout: add(parent, doc::Inline{doc::Strikeout{std::move(f.content)}}); break;
        case Kind::Code: {
            std::string code;
            flatten(f.content, code, false);
            add(parent, doc::Inline{doc::Code{std::move(code)}});
            break;
        }
        case Kind::Link: {
            doc::Link link{std::move(f.url), std::move(f.title), std::move(f.content), std::nullopt};
            link.line = f.where.line;
            link.column = f.where.column;
            add(parent, doc::Inline{std::move(link)});
            break;
        }
        case Kind::Span: add(parent, doc::Inline{doc::Span{std::move(f.lang), std::move(f.content)}}); break;
        default: break;
    }
}

void InlineBuilder::tag(const Token& t, Where where) {
    using Kind = Frame::Kind;
    if (dropping()) {  // only the element's own end tag counts
        Frame& f = frames().back();
        if (t.name != f.name) return;
        if (t.kind == TokenKind::StartTag && !t.self_closing) ++f.nested;
        else if (t.kind == TokenKind::EndTag && f.nested-- == 0) pop();
        return;
    }
    const std::string& n = t.name;
    if (t.kind == TokenKind::EndTag) {
        // The nearest open element of that name closes, and those opened inside it;
        // a stray end tag closes nothing.
        for (std::size_t k = frames().size() - 1; k > 0; --k) {
            if (frames()[k].name != n) continue;
            while (frames().size() > k) pop();
            return;
        }
        return;
    }
    if (is_dangerous(n) || is_hidden(n)) {
        if (is_dangerous(n)) m_reporter.dropped_element(n, where);
        if (!is_void(n) && !(t.self_closing && !is_raw_text_element(n))) push(Frame{.kind = Kind::Drop, .name = n, .where = where});
        return;
    }
    m_reporter.attributes(t, where);
    if (n == "br") {
        append(doc::Inline{doc::LineBreak{}});
        return;
    }
    if (n == "img") {
        const Attribute* src = t.attribute("src");
        const Attribute* alt = t.attribute("alt");
        const Attribute* title = t.attribute("title");
        const std::string alt_text = alt ? collapse_space(alt->value) : std::string();
        std::optional<std::string> url;
        if (src) {
            url = safe_url(src->value, false);
            if (!url) m_reporter.unsafe_url("image", src->value, where);
        }
        if (url && !url->empty()) {
            doc::Image image{*url, alt_text, title ? title->value : std::string()};
            image.line = where.line;
            image.column = where.column;
            append(doc::Inline{std::move(image)});
        } else {
            text(alt_text);
        }
        return;
    }
    if (is_void(n) || t.self_closing) return;
    if (depth() >= kMaxDepth) return;  // too deep: the element gives its content only
    Frame f{.kind = Kind::Content, .name = n, .where = where};
    if (one_of(n, {"em", "i", "cite", "dfn", "var"})) {
        f.kind = Kind::Emphasis;
    } else if (one_of(n, {"strong", "b"})) {
        f.kind = Kind::Strong;
    } else if (one_of(n, {"s", "strike", "del"})) {
        f.kind = Kind::Strikeout;
    } else if (one_of(n, {"code", "kbd", "samp", "tt"})) {
        f.kind = Kind::Code;
    } else if (n == "a") {
        const Attribute* href = t.attribute("href");
        if (href && !in_link()) {  // a link inside a link gives its text
            if (auto url = safe_url(href->value, true)) {
                if (!url->empty()) {
                    f.kind = Kind::Link;
                    f.url = std::move(*url);
                    if (const Attribute* title = t.attribute("title")) f.title = title->value;
                }
            } else {
                m_reporter.unsafe_url("link", href->value, where);
            }
        }
    } else if (n == "span") {
        f.lang = m_reporter.language_of(t, where);
        if (!f.lang.empty()) f.kind = Kind::Span;
    }
    push(std::move(f));
}

doc::Inlines InlineBuilder::finish() {
    while (frames().size() > 1) pop();
    doc::Inlines out = std::move(frames().front().content);
    frames().front().content.clear();
    return out;
}

// ---- blocks --------------------------------------------------------------------------

struct BlockBuilder::Container {
    enum class Kind { Root, Div, Content, Quote, List, Item, Drop };
    Kind kind = Kind::Root;
    std::string name;
    int line = 0;
    doc::Blocks blocks{};
    std::string lang{};               // Div
    bool ordered = false;             // List
    int start = 1;
    std::vector<doc::Blocks> items{};
    Where where{};                    // Drop
    int nested = 0;
    bool swallowed = false;           // Drop: a Markdown block was skipped
};

struct BlockBuilder::Leaf {
    enum Kind { Paragraph, Heading, Pre };
    Kind kind;
    int level;
    int line;
    InlineBuilder inlines;
};

BlockBuilder::BlockBuilder(Reporter& reporter, int depth, Slug slug)
    : m_reporter(reporter), m_depth(depth), m_slug(std::move(slug)), m_stack(std::make_unique<std::vector<Container>>()) {
    m_stack->emplace_back();
}

BlockBuilder::~BlockBuilder() = default;

BlockBuilder::Container& BlockBuilder::top() { return m_stack->back(); }
const BlockBuilder::Container& BlockBuilder::top() const { return m_stack->back(); }

bool BlockBuilder::dropping() const { return m_stack->back().kind == Container::Kind::Drop; }

int BlockBuilder::depth() const { return m_depth + static_cast<int>(m_stack->size()) - 1; }

void BlockBuilder::skipped() { top().swallowed = true; }

void BlockBuilder::push(Container c) { m_stack->push_back(std::move(c)); }

void BlockBuilder::block(doc::Block b) {
    close_leaf();
    if (dropping()) return;
    if (top().kind == Container::Kind::List) push(Container{.kind = Container::Kind::Item, .name = "li", .line = b.line});
    top().blocks.push_back(std::move(b));
}

void BlockBuilder::pop() {
    using Kind = Container::Kind;
    Container c = std::move(m_stack->back());
    m_stack->pop_back();
    switch (c.kind) {
        case Kind::Drop:
            if (c.swallowed) m_reporter.unclosed_drop(c.name, c.where);
            return;
        case Kind::Div:
            if (!c.blocks.empty()) block(doc::Block{doc::Div{std::move(c.lang), {}, std::move(c.blocks)}, c.line});
            return;
        case Kind::Quote:
            if (!c.blocks.empty()) block(doc::Block{doc::BlockQuote{std::move(c.blocks)}, c.line});
            return;
        case Kind::List: {
            if (c.items.empty()) return;
            doc::List list{c.ordered, c.start, true, std::move(c.items)};
            // Tight unless an item holds two paragraphs, which tight lists run together.
            for (const doc::Blocks& item : list.items)
                if (std::count_if(item.begin(), item.end(), [](const doc::Block& b) {
                        return std::holds_alternative<doc::Paragraph>(b.value);
                    }) > 1)
                    list.tight = false;
            block(doc::Block{std::move(list), c.line});
            return;
        }
        case Kind::Item:
            if (top().kind == Kind::List) {
                top().items.push_back(std::move(c.blocks));
                return;
            }
            break;
        default: break;
    }
    for (doc::Block& b : c.blocks) block(std::move(b));  // Content, and an item outside a list
}

void BlockBuilder::open_leaf(int kind, int level, int line) {
    m_leaf.reset(new Leaf{static_cast<Leaf::Kind>(kind), level, line, InlineBuilder(m_reporter, depth() + 1, false)});
}

void BlockBuilder::ensure_leaf(int line) {
    if (!m_leaf) open_leaf(Leaf::Paragraph, 0, line);
}

void BlockBuilder::close_leaf() {
    if (!m_leaf) return;
    std::unique_ptr<Leaf> leaf = std::move(m_leaf);
    doc::Inlines content = leaf->inlines.finish();
    switch (leaf->kind) {
        case Leaf::Paragraph:
            trim_edges(content);
            if (!content.empty()) block(doc::Block{doc::Paragraph{std::move(content)}, leaf->line});
            break;
        case Leaf::Heading: {
            trim_edges(content);
            if (content.empty()) break;
            doc::Heading h{leaf->level, std::move(content), {}};
            h.id = m_slug(doc::plain_text(h.content));
            block(doc::Block{std::move(h), leaf->line});
            break;
        }
        case Leaf::Pre: {
            std::string code;
            flatten(content, code, true);
            if (!code.empty() && code.front() == '\n') code.erase(0, 1);  // HTML drops the newline after <pre>
            if (code.empty()) break;
            if (code.back() != '\n') code += '\n';
            block(doc::Block{doc::CodeBlock{"", std::move(code)}, leaf->line});
            break;
        }
    }
}

void BlockBuilder::html(const std::vector<Token>& tokens, const Locate& locate) {
    for (const Token& t : tokens) token(t, locate(t.offset));
    close_leaf();  // p, h1-h6, pre and inline elements end with their HTML block
}

void BlockBuilder::token(const Token& t, Where where) {
    if (dropping()) {  // only the element's own end tag counts
        Container& c = top();
        if (t.kind == TokenKind::Text || t.name != c.name) return;
        if (t.kind == TokenKind::StartTag && !t.self_closing) ++c.nested;
        else if (t.kind == TokenKind::EndTag && c.nested-- == 0) m_stack->pop_back();
        return;
    }
    if (m_leaf && m_leaf->inlines.dropping()) {
        if (t.kind != TokenKind::Text) m_leaf->inlines.tag(t, where);
        return;
    }
    if (t.kind == TokenKind::Text) {
        if (m_leaf && m_leaf->kind == Leaf::Pre) {
            m_leaf->inlines.text(t.text);
            return;
        }
        if (!m_leaf && all_space(t.text)) return;
        ensure_leaf(where.line);
        m_leaf->inlines.html_text(t.text);
        return;
    }
    if (t.kind == TokenKind::StartTag)
        start(t, where);
    else
        end(t, where);
}

void BlockBuilder::start(const Token& t, Where where) {
    using Kind = Container::Kind;
    const std::string& n = t.name;
    const int level = heading_level(n);
    const bool block_tag = n == "p" || level || n == "pre" || n == "hr" || is_container(n) || is_block_break(n);
    const bool ends_pre = is_container(n) || n == "p" || level || n == "pre";
    if (m_leaf && (!block_tag || (m_leaf->kind == Leaf::Pre && !ends_pre))) {
        m_leaf->inlines.tag(t, where);  // inline markup, or anything but a block inside <pre>
        return;
    }
    if (is_dangerous(n) || is_hidden(n)) {
        if (is_dangerous(n)) m_reporter.dropped_element(n, where);
        if (!is_void(n) && !(t.self_closing && !is_raw_text_element(n)))
            push(Container{.kind = Kind::Drop, .name = n, .line = where.line, .where = where});
        return;
    }
    if (!block_tag) {
        if (n == "br") return m_reporter.attributes(t, where);  // a line break between blocks is nothing
        ensure_leaf(where.line);
        m_leaf->inlines.tag(t, where);
        return;
    }
    m_reporter.attributes(t, where);
    close_leaf();
    if (n == "p") return open_leaf(Leaf::Paragraph, 0, where.line);
    if (level) return open_leaf(Leaf::Heading, level, where.line);
    if (n == "pre") return open_leaf(Leaf::Pre, 0, where.line);
    if (n == "hr") return block(doc::Block{doc::ThematicBreak{}, where.line});
    if (!is_container(n)) return;  // a block break
    if (n == "li" && top().kind == Kind::Item) pop();  // an item ends where the next begins
    if (depth() >= kMaxDepth) return;  // too deep: the element gives its content only
    Container c{.kind = Kind::Content, .name = n, .line = where.line};
    if (n == "div") {
        c.lang = m_reporter.language_of(t, where);
        if (!c.lang.empty()) c.kind = Kind::Div;
    } else if (n == "blockquote") {
        c.kind = Kind::Quote;
    } else if (n == "ul" || n == "ol") {
        c.kind = Kind::List;
        c.ordered = n == "ol";
        if (c.ordered)
            if (const Attribute* start = t.attribute("start")) {
                // Markdown's ordered lists start from 0 to 999999999; so do these.
                const std::string& v = start->value;
                if (!v.empty() && v.size() <= 9 && std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
                    c.start = std::stoi(v);
            }
    } else if (n == "li" && top().kind == Kind::List) {
        c.kind = Kind::Item;
    }
    push(std::move(c));
}

void BlockBuilder::end(const Token& t, Where where) {
    const std::string& n = t.name;
    if (m_leaf) {
        const bool ends_leaf = (m_leaf->kind == Leaf::Paragraph && n == "p") ||
                               (m_leaf->kind == Leaf::Heading && heading_level(n)) ||
                               (m_leaf->kind == Leaf::Pre && n == "pre");
        if (ends_leaf) return close_leaf();
        if (!is_container(n) && !is_block_break(n) && n != "p" && !heading_level(n) && n != "pre")
            return m_leaf->inlines.tag(t, where);
        close_leaf();
    }
    if (!is_container(n)) return;
    for (std::size_t k = m_stack->size() - 1; k > 0; --k) {
        if ((*m_stack)[k].name != n) continue;
        while (m_stack->size() > k) pop();
        return;
    }
}

doc::Blocks BlockBuilder::finish() {
    close_leaf();
    while (m_stack->size() > 1) pop();
    doc::Blocks out = std::move(m_stack->front().blocks);
    m_stack->front().blocks.clear();
    return out;
}

}  // namespace folio::markdown::html
