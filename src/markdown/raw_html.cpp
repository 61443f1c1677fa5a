#include "markdown/raw_html.hpp"

#include "markdown/parse_markdown.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace folio::markdown::html {

namespace {

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Never kept, content and all, and reported: they run code, style the page, or
// embed another document (math may carry script and links of its own). An <svg>
// here is one never closed: a whole one is an Svg token, kept as a picture.
bool is_dangerous(std::string_view n) {
    return one_of(n, {"script", "style", "object", "embed", "form", "noscript", "template", "svg", "math", "applet",
                      "frame", "frameset"});
}

// Never shown by a browser either: dropped with their content, without a word.
bool is_hidden(std::string_view n) { return one_of(n, {"title", "noembed", "noframes"}); }

bool is_void(std::string_view n) {
    return one_of(n, {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                      "source", "track", "wbr"});
}

// Players and frames: a book cannot hold them, so they become links to their address.
bool is_embed(std::string_view n) { return one_of(n, {"iframe", "video", "audio"}); }

// Blocks with no counterpart in the model: their start and end end a paragraph.
bool is_block_break(std::string_view n) {
    return one_of(n, {"address", "article", "aside", "body", "center", "dd", "details", "dl", "dt", "fieldset",
                      "footer", "head", "header", "hgroup", "html", "legend", "main", "nav", "section"});
}

bool is_table_part(std::string_view n) {
    return one_of(n, {"table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "colgroup", "col"});
}

bool is_container(std::string_view n) {
    return one_of(n, {"div", "blockquote", "ul", "ol", "li", "figure", "figcaption", "summary"});
}

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
    if (auto* text = doc::get_if<doc::Text>(&in.value)) {
        if (text->text.empty()) return;
        if (!list.empty())
            if (auto* last = doc::get_if<doc::Text>(&list.back().value)) {
                last->text += text->text;
                return;
            }
    }
    list.push_back(std::move(in));
}

// The characters of inlines, for <code> and <pre>.
void flatten(const doc::Inlines& list, std::string& out, bool pre) {
    for (const doc::Inline& in : list) {
        doc::visit(
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
    return doc::visit(
        [](auto& v) -> doc::Inlines* {
            if constexpr (requires { v.content; })
                return &v.content;
            else
                return nullptr;
        },
        in.value);
}

// White space at the start and end of a block's text, also inside the elements
// there ("<p><b>bold\n</b></p>"). A loop, not recursion: the depth is the input's.
void trim_edges(doc::Inlines& list) {
    for (doc::Inlines* l = &list; l && !l->empty();) {
        auto* t = doc::get_if<doc::Text>(&l->front().value);
        if (!t) {
            l = content_of(l->front());
            continue;
        }
        t->text.erase(0, std::find_if_not(t->text.begin(), t->text.end(), is_space) - t->text.begin());
        if (!t->text.empty()) break;
        l->erase(l->begin());
    }
    for (doc::Inlines* l = &list; l && !l->empty();) {
        auto* t = doc::get_if<doc::Text>(&l->back().value);
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

// A non-negative number attribute as HTML reads one (leading digits, after spaces),
// or `fallback` when it has none; large values saturate.
int number_attribute(const Token& t, std::string_view name, int fallback) {
    const Attribute* a = t.attribute(name);
    if (!a) return fallback;
    std::size_t i = 0;
    while (i < a->value.size() && is_space(a->value[i])) ++i;
    if (i >= a->value.size() || a->value[i] < '0' || a->value[i] > '9') return fallback;
    long n = 0;
    for (; i < a->value.size() && a->value[i] >= '0' && a->value[i] <= '9'; ++i) n = std::min(n * 10 + (a->value[i] - '0'), 1'000'000L);
    return static_cast<int>(n);
}

doc::Align align_word(std::string_view v) {
    const std::string w = text::to_lower_ascii(text::trim(v));
    if (w == "left" || w == "start") return doc::Align::Left;
    if (w == "center" || w == "middle") return doc::Align::Center;
    if (w == "right" || w == "end") return doc::Align::Right;
    return doc::Align::Default;
}

// A cell's or column's alignment: align="…", WordPress's data-align="…" or class
// "has-text-align-…", or text-align in its style attribute.
doc::Align align_of(const Token& t) {
    if (const Attribute* a = t.attribute("align")) return align_word(a->value);
    if (const Attribute* a = t.attribute("data-align")) return align_word(a->value);
    if (const Attribute* cls = t.attribute("class")) {
        constexpr std::string_view kClass = "has-text-align-";
        if (const std::size_t at = cls->value.find(kClass); at != std::string::npos) {
            const std::size_t from = at + kClass.size();
            const std::size_t end = cls->value.find_first_of(" \t\n", from);
            return align_word(std::string_view(cls->value).substr(from, end == std::string::npos ? end : end - from));
        }
    }
    const Attribute* style = t.attribute("style");
    if (!style) return doc::Align::Default;
    const std::string css = text::to_lower_ascii(style->value);
    const std::size_t at = css.find("text-align");
    if (at == std::string::npos) return doc::Align::Default;
    const std::size_t colon = css.find(':', at);
    if (colon == std::string::npos) return doc::Align::Default;
    const std::size_t end = css.find_first_of(";!", colon);
    return align_word(std::string_view(css).substr(colon + 1, end == std::string::npos ? end : end - colon - 1));
}

// The first address of a srcset ("a.webp 1x, b.webp 2x" -> "a.webp").
std::string first_srcset_url(std::string_view srcset) {
    std::size_t i = 0;
    while (i < srcset.size() && (is_space(srcset[i]) || srcset[i] == ',')) ++i;
    std::size_t end = i;
    while (end < srcset.size() && !is_space(srcset[end])) ++end;
    std::string url(srcset.substr(i, end - i));
    while (!url.empty() && url.back() == ',') url.pop_back();
    return url;
}

// A picture folio reads: by its type when the <source> gives one, else by the
// extension of its address.
bool readable_picture(std::string_view url, std::string_view type) {
    if (!text::trim(type).empty()) {
        const std::string t = text::to_lower_ascii(text::trim(type.substr(0, type.find(';'))));
        return one_of(t, {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"});
    }
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    const std::size_t slash = path.rfind('/');
    if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
    const std::size_t dot = path.rfind('.');
    if (dot == std::string_view::npos) return false;
    const std::string ext = text::to_lower_ascii(path.substr(dot + 1));
    return one_of(ext, {"png", "jpg", "jpeg", "gif", "webp", "svg"});
}

// A whole paragraph that is one web address, as WordPress leaves an embed it could
// not render ("<div class=\"wp-block-embed__wrapper\">https://…</div>").
bool is_web_address(std::string_view s) {
    if (!text::starts_with_ci(s, "http://") && !text::starts_with_ci(s, "https://")) return false;
    const std::size_t rest = s[4] == ':' ? 7 : 8;
    return s.size() > rest && std::none_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

void add_all(doc::Inlines& list, doc::Inlines&& more) {
    for (doc::Inline& in : more) add(list, std::move(in));
}

// Blocks as the inlines of one table cell or caption: each paragraph, heading,
// list item, code line and table row on a line of its own, nothing dropped.
// Recursive, but over a depth the builders already cap.
class Flattener {
public:
    explicit Flattener(doc::Inlines& out) : m_out(out) {}
    bool saw_table() const { return m_table; }

    void blocks(doc::Blocks&& list) {
        for (doc::Block& b : list) block(std::move(b));
    }

private:
    void line() {  // what comes next starts a new line
        if (!m_out.empty() && !m_line_start) m_break = true;
    }

    void put(doc::Inline in) {
        if (m_break) {
            m_out.push_back(doc::Inline{doc::LineBreak{}});
            m_break = false;
        }
        m_line_start = doc::holds_alternative<doc::LineBreak>(in.value);
        add(m_out, std::move(in));
    }

    void inlines(doc::Inlines&& list) {
        for (doc::Inline& in : list) put(std::move(in));
    }

    void row(std::vector<doc::Inlines>& cells) {
        if (std::all_of(cells.begin(), cells.end(), [](const doc::Inlines& c) { return c.empty(); })) return;
        line();
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (c > 0) put(doc::Inline{doc::Text{" | "}});
            inlines(std::move(cells[c]));
        }
    }

    void block(doc::Block&& b) {
        std::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, doc::Paragraph>) {
                    line();
                    inlines(std::move(v.content));
                } else if constexpr (std::is_same_v<T, doc::Heading>) {
                    line();
                    if (!v.content.empty()) put(doc::Inline{doc::Strong{std::move(v.content)}});
                } else if constexpr (std::is_same_v<T, doc::CodeBlock>) {
                    line();
                    std::string_view code = v.text;
                    if (!code.empty() && code.back() == '\n') code.remove_suffix(1);
                    for (std::size_t from = 0, k = 0; from <= code.size(); ++k) {
                        const std::size_t nl = std::min(code.find('\n', from), code.size());
                        if (k > 0) put(doc::Inline{doc::LineBreak{}});
                        if (nl > from) put(doc::Inline{doc::Code{std::string(code.substr(from, nl - from))}});
                        from = nl + 1;
                    }
                } else if constexpr (std::is_same_v<T, doc::BlockQuote> || std::is_same_v<T, doc::Div>) {
                    blocks(std::move(v.content));
                } else if constexpr (std::is_same_v<T, doc::List>) {
                    int number = v.start;
                    for (doc::Blocks& item : v.items) {
                        line();
                        put(doc::Inline{doc::Text{v.ordered ? std::to_string(number++) + ". " : "\u2022 "}});
                        m_line_start = true;  // the item's first paragraph follows its marker
                        blocks(std::move(item));
                    }
                } else if constexpr (std::is_same_v<T, doc::ThematicBreak>) {
                    line();
                } else if constexpr (std::is_same_v<T, doc::Table>) {
                    m_table = true;
                    row(v.header);
                    for (auto& r : v.rows) row(r);
                } else if constexpr (std::is_same_v<T, doc::Figure>) {
                    blocks(std::move(v.content));
                    if (!v.caption.empty()) {
                        line();
                        inlines(std::move(v.caption));
                    }
                }
            },
            b.value);
    }

    doc::Inlines& m_out;
    bool m_line_start = true;
    bool m_break = false;
    bool m_table = false;
};

doc::Inlines flatten_blocks(doc::Blocks&& blocks, bool* saw_table = nullptr) {
    doc::Inlines out;
    Flattener f(out);
    f.blocks(std::move(blocks));
    if (saw_table) *saw_table = f.saw_table();
    return out;
}

// A cell that is bold text and nothing else (white space around it aside).
bool only_strong(const doc::Inlines& cell) {
    int strong = 0;
    for (const doc::Inline& in : cell) {
        if (doc::holds_alternative<doc::Strong>(in.value))
            ++strong;
        else if (const auto* t = doc::get_if<doc::Text>(&in.value); !t || !all_space(t->text))
            return false;
    }
    return strong == 1;
}

doc::Inlines unwrap_strong(doc::Inlines cell) {
    for (doc::Inline& in : cell)
        if (auto* strong = doc::get_if<doc::Strong>(&in.value)) return std::move(strong->content);
    return cell;
}

void append_line(doc::Inlines& to, doc::Inlines&& more) {
    if (more.empty()) return;
    if (!to.empty()) to.push_back(doc::Inline{doc::LineBreak{}});
    add_all(to, std::move(more));
}

}  // namespace

// ---- warnings ------------------------------------------------------------------------

void Reporter::dropped_element(const std::string& name, Where where) {
    m_diagnostics.warn_change({m_file, where.line, where.column}, "<" + name + "> is dropped with its content",
                       "raw HTML keeps text and its markup; scripts, styles, forms, MathML and embedded objects "
                       "never reach the book");
}

void Reporter::embed_without_address(const std::string& name, const std::string& src, Where where) {
    m_diagnostics.warn_change({m_file, where.line, where.column},
                       "<" + name + "> " + (text::trim(src).empty() ? std::string("has no address")
                                                                  : "'" + shown(src) + "' is no web address") +
                           ": it is dropped",
                       "a book cannot play or frame it, so folio links to an embed's http or https address; give "
                       "one, or link to it in the text");
}

void Reporter::nested_table(Where where) {
    m_diagnostics.warn_change({m_file, where.line, where.column}, "a table inside a table cell is set as text in that cell",
                       "its rows become lines and its cells are parted by ' | '; put the inner table after the outer "
                       "one to keep it a table");
}

void Reporter::table_cut(Where where) {
    m_diagnostics.warn_change({m_file, where.line, where.column},
                       "a table wider than " + std::to_string(kMaxTableColumns) + " columns, or whose colspan and "
                           "rowspan would add more than " + std::to_string(kMaxSpanCells) + " empty cells, is cut",
                       "cells past the last column are joined into it and spans past the limit are not expanded; no "
                       "text is lost, but columns may no longer line up");
}

void Reporter::unclosed_table(Where where) {
    m_diagnostics.warn_change({m_file, where.line, where.column},
                       "<table> is never closed: the Markdown after it, to the end of its part of the article, is in "
                       "its last cell",
                       "close it with </table>");
}

void Reporter::unclosed_svg(Where where) {
    m_diagnostics.warn_change({m_file, where.line, where.column},
                       "<svg> is never closed in its paragraph or HTML block: it is dropped with what follows it there",
                       "close it with </svg>; a blank line inside an <svg> ends the HTML block it is in");
}

void Reporter::unclosed_drop(const std::string& name, Where where) {
    m_diagnostics.warn_change({m_file, where.line, where.column},
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
        m_diagnostics.warn_change({m_file, where.line, where.column},
                           std::string(handlers.size() > 1 ? "event attributes " : "event attribute ") + names + " on <" +
                               tag.name + (handlers.size() > 1 ? "> are dropped" : "> is dropped"),
                           "raw HTML may not run code");
    }
    if (style && m_styles++ == 0) m_first_style = where;
}

void Reporter::unsafe_url(const std::string& what, const std::string& url, Where where) {
    const bool link = what == "link";
    m_diagnostics.warn_change({m_file, where.line, where.column},
                       what + " '" + shown(url) + "' uses an unsafe scheme and is dropped",
                       link ? "links may use http, https or mailto; the link's text is kept"
                            : "put the image in the book folder and give its path; its alt text is kept");
}

void Reporter::language(const std::string& lang, Where where) {
    m_diagnostics.warn({m_file, where.line, where.column}, "'" + shown(lang) + "' is not a language tag",
                       "use a BCP 47 tag such as en, sr-Latn or sq; the passage is kept without it");
}

// A `dir` of "rtl" or "ltr" (any case), else none: "auto" is what folio does
// without one.
static std::string direction_of(const Token& tag) {
    const Attribute* dir = tag.attribute("dir");
    if (!dir) return "";
    std::string d = dir->value;
    for (char& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return d == "rtl" || d == "ltr" ? d : "";
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

std::optional<EmbedAddress> embed_address(std::string_view src) {
    std::optional<std::string> safe = safe_url(src, false);
    if (!safe || safe->empty()) return std::nullopt;
    std::string url = std::move(*safe);
    if (url.rfind("//", 0) == 0) url = "https:" + url;  // protocol-relative, as old exports write them
    const std::size_t colon = url.find(':');
    if (colon == std::string::npos || url.compare(colon + 1, 2, "//") != 0) return std::nullopt;  // a path: nothing on the web
    const std::string scheme = text::to_lower_ascii(std::string_view(url).substr(0, colon));
    if (scheme != "http" && scheme != "https") return std::nullopt;
    const std::size_t host_from = colon + 3;
    const std::size_t host_end = std::min(url.find_first_of("/?#", host_from), url.size());
    std::string host = text::to_lower_ascii(std::string_view(url).substr(host_from, host_end - host_from));
    if (const std::size_t at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);  // user:password@
    if (!host.empty() && host.front() != '[')
        if (const std::size_t port = host.find(':'); port != std::string::npos) host.erase(port);
    if (host.empty()) return std::nullopt;
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    const std::string_view path = std::string_view(url).substr(host_end);
    // The video's id after a player's path: letters, digits, '-' and '_' (YouTube), digits (Vimeo).
    auto id_after = [&](std::string_view prefix, bool digits_only) {
        std::string id;
        if (path.substr(0, prefix.size()) != prefix) return id;
        for (char c : path.substr(prefix.size())) {
            const bool digit = c >= '0' && c <= '9';
            const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
            if (!digit && (digits_only || !word)) break;
            id += c;
        }
        return id;
    };
    if (host == "youtube.com" || host == "m.youtube.com" || host == "youtube-nocookie.com") {
        const std::string id = id_after("/embed/", false);
        if (!id.empty() && id != "videoseries") return EmbedAddress{"https://www.youtube.com/watch?v=" + id, "youtube.com"};
    }
    if (host == "player.vimeo.com") {
        const std::string id = id_after("/video/", true);
        if (!id.empty()) return EmbedAddress{"https://vimeo.com/" + id, "vimeo.com"};
    }
    return EmbedAddress{std::move(url), std::move(host)};
}

namespace {

// Where "[/caption]" is in a text, ASCII case ignored, from `from` on.
std::size_t find_caption_end(std::string_view s, std::size_t from) {
    constexpr std::string_view kEnd = "[/caption]";
    for (std::size_t i = s.find('[', from); i != std::string_view::npos; i = s.find('[', i + 1))
        if (text::starts_with_ci(s.substr(i), kEnd)) return i;
    return std::string_view::npos;
}

// A picture of the shortcode: an image, or a link around nothing but images.
bool is_picture(const doc::Inline& in) {
    if (doc::holds_alternative<doc::Image>(in.value)) return true;
    const auto* link = doc::get_if<doc::Link>(&in.value);
    if (!link) return false;
    bool any = false;
    for (const doc::Inline& c : link->content) {
        if (doc::holds_alternative<doc::Image>(c.value))
            any = true;
        else if (const auto* t = doc::get_if<doc::Text>(&c.value); !t || !all_space(t->text))
            return false;
    }
    return any;
}

}  // namespace

std::optional<doc::Blocks> caption_shortcode(doc::Inlines& content, int line) {
    if (content.empty()) return std::nullopt;
    const auto* first = doc::get_if<doc::Text>(&content.front().value);
    if (!first) return std::nullopt;
    const std::string& s = first->text;
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i])) ++i;
    constexpr std::string_view kStart = "[caption";
    if (!text::starts_with_ci(std::string_view(s).substr(i), kStart)) return std::nullopt;
    i += kStart.size();
    if (i < s.size() && s[i] != ']' && !is_space(s[i])) return std::nullopt;  // "[captions]" is text
    // The opening tag's ']', outside its quoted attribute values.
    char quote = 0;
    for (; i < s.size(); ++i) {
        if (quote) {
            if (s[i] == quote) quote = 0;
        } else if (s[i] == '"' || s[i] == '\'') {
            quote = s[i];
        } else if (s[i] == ']') {
            break;
        }
    }
    if (i >= s.size()) return std::nullopt;
    const std::size_t body_from = i + 1;
    // "[/caption]": in this text or a later one at the paragraph's top level.
    std::size_t end_inline = 0, end_at = find_caption_end(s, body_from);
    for (std::size_t k = 1; end_at == std::string_view::npos && k < content.size(); ++k)
        if (const auto* t = doc::get_if<doc::Text>(&content[k].value)) {
            end_at = find_caption_end(t->text, 0);
            end_inline = k;
        }
    if (end_at == std::string_view::npos) return std::nullopt;

    doc::Inlines body, after;
    if (end_inline == 0) {
        add(body, doc::Inline{doc::Text{s.substr(body_from, end_at - body_from)}});
        add(after, doc::Inline{doc::Text{s.substr(end_at + 10)}});
    } else {
        add(body, doc::Inline{doc::Text{s.substr(body_from)}});
        for (std::size_t k = 1; k < end_inline; ++k) add(body, std::move(content[k]));
        const std::string& last = doc::get<doc::Text>(content[end_inline].value).text;
        add(body, doc::Inline{doc::Text{last.substr(0, end_at)}});
        add(after, doc::Inline{doc::Text{last.substr(end_at + 10)}});
    }
    for (std::size_t k = end_inline + 1; k < content.size(); ++k) add(after, std::move(content[k]));

    // The pictures first (white space and line breaks between them), the caption after.
    doc::Inlines pictures, caption;
    std::size_t k = 0;
    for (; k < body.size(); ++k) {
        const doc::Inline& in = body[k];
        if (is_picture(in)) pictures.push_back(std::move(body[k]));
        else if (const auto* t = doc::get_if<doc::Text>(&in.value);
                 !(t && all_space(t->text)) && !doc::holds_alternative<doc::LineBreak>(in.value))
            break;
    }
    for (; k < body.size(); ++k) add(caption, std::move(body[k]));
    trim_edges(caption);
    trim_edges(after);

    doc::Blocks out;
    if (!pictures.empty()) {
        doc::Blocks figure;
        figure.push_back(doc::Block{doc::Paragraph{std::move(pictures)}, line});
        out.push_back(doc::Block{doc::Figure{std::move(figure), std::move(caption)}, line});
    } else if (!caption.empty()) {
        out.push_back(doc::Block{doc::Paragraph{std::move(caption)}, line});
    }
    if (!after.empty()) out.push_back(doc::Block{doc::Paragraph{std::move(after)}, line});
    return out;
}

// ---- inline content ------------------------------------------------------------------

struct InlineBuilder::Frame {
    enum class Kind {
        Root, Emphasis, Strong, Strikeout, Code, Link, Span, Superscript, Subscript, Quote, Picture, Embed, Content, Drop
    };
    Kind kind = Kind::Root;
    std::string name;
    doc::Inlines content{};
    // Link, Span; Picture: the <source> chosen; Embed: its address and title.
    std::string url{}, title{}, lang{}, dir{};
    Where where{};
    int nested = 0;           // Drop, Embed: open elements of the same name inside it
    bool has_image = false;   // Picture: its <img> was read
};

InlineBuilder::InlineBuilder(Reporter& reporter, int depth, bool in_link)
    : m_reporter(reporter), m_depth(depth), m_in_link(in_link), m_frames(std::make_unique<std::vector<Frame>>()) {
    m_frames->emplace_back();
}

InlineBuilder::~InlineBuilder() = default;

std::vector<InlineBuilder::Frame>& InlineBuilder::frames() { return *m_frames; }

bool InlineBuilder::dropping() const {
    const Frame::Kind k = m_frames->back().kind;
    return k == Frame::Kind::Drop || k == Frame::Kind::Embed;
}

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
    m_after_space = doc::holds_alternative<doc::LineBreak>(in.value);
    add(frames().back().content, std::move(in));
}

void InlineBuilder::push(Frame f) { frames().push_back(std::move(f)); }

void InlineBuilder::pop() {
    Frame f = std::move(frames().back());
    frames().pop_back();
    doc::Inlines& parent = frames().back().content;
    using Kind = Frame::Kind;
    if (f.kind == Kind::Drop) return;
    if (f.kind == Kind::Embed) return embed(f, parent);
    if (f.kind == Kind::Picture && !f.has_image && !f.url.empty()) {  // sources, and no <img>
        doc::Image image{std::move(f.url), "", ""};
        image.line = f.where.line;
        image.column = f.where.column;
        add(parent, doc::Inline{std::move(image)});
    }
    if (f.kind == Kind::Content || f.kind == Kind::Picture) {
        for (doc::Inline& in : f.content) add(parent, std::move(in));
        return;
    }
    if (f.content.empty()) return;  // <b></b>, <a href="…"></a>: nothing to show
    switch (f.kind) {
        case Kind::Emphasis: add(parent, doc::Inline{doc::Emphasis{std::move(f.content)}}); break;
        case Kind::Strong: add(parent, doc::Inline{doc::Strong{std::move(f.content)}}); break;
        case Kind::Strikeout: add(parent, doc::Inline{doc::Strikeout{std::move(f.content)}}); break;
        case Kind::Superscript: add(parent, doc::Inline{doc::Superscript{std::move(f.content)}}); break;
        case Kind::Subscript: add(parent, doc::Inline{doc::Subscript{std::move(f.content)}}); break;
        case Kind::Code: {
            std::string code;
            flatten(f.content, code, false);
            add(parent, doc::Inline{doc::Code{std::move(code)}});
            break;
        }
        case Kind::Quote: {
            // English marks, double outside and single inside: the article's language
            // is not known here, and these are right for most books folio makes.
            const bool inner = std::count_if(frames().begin(), frames().end(),
                                             [](const Frame& o) { return o.kind == Kind::Quote; }) % 2 == 1;
            add(parent, doc::Inline{doc::Text{inner ? "\u2018" : "\u201C"}});
            for (doc::Inline& in : f.content) add(parent, std::move(in));
            add(parent, doc::Inline{doc::Text{inner ? "\u2019" : "\u201D"}});
            break;
        }
        case Kind::Link: {
            doc::Link link{std::move(f.url), std::move(f.title), std::move(f.content), std::nullopt};
            link.line = f.where.line;
            link.column = f.where.column;
            add(parent, doc::Inline{std::move(link)});
            break;
        }
        case Kind::Span:
            add(parent, doc::Inline{doc::Span{std::move(f.lang), std::move(f.content), std::move(f.dir)}});
            break;
        default: break;
    }
}

// A player or frame: a link to where it can be watched or read.
void InlineBuilder::embed(Frame& f, doc::Inlines& parent) {
    const std::optional<EmbedAddress> address = embed_address(f.url);
    if (!address) return m_reporter.embed_without_address(f.name, f.url, f.where);
    std::string label = f.title;
    if (label.empty()) {
        const bool video = f.name == "video" || address->host == "youtube.com" || address->host == "vimeo.com";
        label = (f.name == "audio" ? "Audio: " : video ? "Video: " : "Embedded content: ") + address->host;
    }
    doc::Inlines text{doc::Inline{doc::Text{std::move(label)}}};
    m_after_space = false;
    if (in_link()) return add_all(parent, std::move(text));  // no link in a link: its words
    doc::Link link{address->url, "", std::move(text), std::nullopt};
    link.line = f.where.line;
    link.column = f.where.column;
    add(parent, doc::Inline{std::move(link)});
}

// <source> in a <picture>: the first whose picture folio reads is the one shown.
void InlineBuilder::source(const Token& t, Where where) {
    Frame& picture = frames().back();
    if (picture.kind != Frame::Kind::Picture || !picture.url.empty()) return;
    const Attribute* srcset = t.attribute("srcset");
    if (!srcset) return;
    const std::string first = first_srcset_url(srcset->value);
    const Attribute* type = t.attribute("type");
    if (first.empty() || !readable_picture(first, type ? std::string_view(type->value) : std::string_view())) return;
    const std::optional<std::string> url = safe_url(first, false);
    if (!url) return m_reporter.unsafe_url("image", first, where);
    picture.url = *url;
}

void InlineBuilder::image(const Token& t, Where where) {
    const Attribute* src = t.attribute("src");
    // Lazy loading (lazysizes, Jetpack, a3 Lazy Load, WP Rocket) keeps the picture in
    // data-src, data-lazy-src or data-original until the page scrolls to it, with a
    // placeholder in src (a one-pixel data: GIF) or none: the reader saw the picture.
    if (!src || src->value.empty() || text::starts_with_ci(src->value, "data:"))
        for (const char* lazy : {"data-src", "data-lazy-src", "data-original"})
            if (const Attribute* a = t.attribute(lazy); a && !a->value.empty() && !text::starts_with_ci(a->value, "data:")) {
                src = a;
                break;
            }
    const Attribute* alt = t.attribute("alt");
    const Attribute* title = t.attribute("title");
    const std::string alt_text = alt ? collapse_space(alt->value) : std::string();
    Frame* picture = frames().back().kind == Frame::Kind::Picture ? &frames().back() : nullptr;
    std::optional<std::string> url;
    if (picture && !picture->url.empty()) {
        url = picture->url;  // the <source> chosen, over the <img> that browsers without it show
    } else if (src && text::starts_with_ci(text::trim(src->value), "data:image/")) {
        url = std::string(text::trim(src->value));  // a picture pasted into the page: the book loader reads it
    } else if (src) {
        url = safe_url(src->value, false);
        if (!url) m_reporter.unsafe_url("image", src->value, where);
    }
    if (picture) picture->has_image = true;
    if (url && !url->empty()) {
        doc::Image image{*url, alt_text, title ? title->value : std::string()};
        image.line = where.line;
        image.column = where.column;
        append(doc::Inline{std::move(image)});
    } else {
        text(alt_text);
    }
}

void InlineBuilder::tag(const Token& t, Where where) {
    using Kind = Frame::Kind;
    Frame& top = frames().back();
    if (top.kind == Kind::Embed) {  // what a player shows without video is skipped; its <source> is read
        if (t.kind == TokenKind::StartTag && t.name == "source") {
            if (const Attribute* src = t.attribute("src"); src && top.url.empty()) top.url = src->value;
            return;
        }
        if (t.name != top.name) return;
        if (t.kind == TokenKind::StartTag && !t.self_closing) ++top.nested;
        else if (t.kind == TokenKind::EndTag && top.nested-- == 0) pop();
        return;
    }
    if (dropping()) {  // only the element's own end tag counts
        if (t.name != top.name) return;
        if (t.kind == TokenKind::StartTag && !t.self_closing) ++top.nested;
        else if (t.kind == TokenKind::EndTag && top.nested-- == 0) pop();
        return;
    }
    const std::string& n = t.name;
    if (t.kind == TokenKind::Svg) {  // a whole <svg>: a picture, made a file of its own by the book loader
        std::string alt = svg_title(t.text);
        if (const Attribute* label = t.attribute("aria-label"); alt.empty() && label)
            alt = std::string(text::trim(collapse_space(label->value)));
        doc::Image image{"", std::move(alt), ""};
        image.svg = t.text;
        image.line = where.line;
        image.column = where.column;
        append(doc::Inline{std::move(image)});
        return;
    }
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
        if (n == "svg") m_reporter.unclosed_svg(where);
        else if (is_dangerous(n)) m_reporter.dropped_element(n, where);
        if (!is_void(n) && !(t.self_closing && !is_raw_text_element(n))) push(Frame{.kind = Kind::Drop, .name = n, .where = where});
        return;
    }
    m_reporter.attributes(t, where);
    if (n == "br") {
        append(doc::Inline{doc::LineBreak{}});
        return;
    }
    if (n == "img") return image(t, where);
    if (n == "source") return source(t, where);
    if (is_embed(n)) {
        Frame f{.kind = Kind::Embed, .name = n, .where = where};
        if (const Attribute* src = t.attribute("src")) f.url = src->value;
        if (const Attribute* title = t.attribute("title")) f.title = std::string(text::trim(collapse_space(title->value)));
        // <video … /> and <iframe … /> are not closed in HTML (what follows is their
        // fallback content, which browsers hide); read them as closed, so that the
        // text after them is kept.
        if (t.self_closing) return embed(f, top.content);
        push(std::move(f));  // even past the depth cap: it holds nothing but its sources
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
    } else if (n == "sup") {
        f.kind = Kind::Superscript;
    } else if (n == "sub") {
        f.kind = Kind::Subscript;
    } else if (n == "q") {
        f.kind = Kind::Quote;
    } else if (n == "picture") {
        f.kind = Kind::Picture;
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
        f.dir = direction_of(t);
        if (!f.lang.empty() || !f.dir.empty()) f.kind = Kind::Span;
    }
    push(std::move(f));
}

doc::Inlines InlineBuilder::finish() {
    while (frames().size() > 1) pop();
    doc::Inlines out = std::move(frames().front().content);
    frames().front().content.clear();
    return out;
}

// ---- tables --------------------------------------------------------------------------

// One HTML table as it is read: rows of cells, spans expanded as they come.
class TableState {
public:
    enum class Section { Head, Body, Foot };

    doc::Inlines caption;
    doc::Blocks fostered;  // text and blocks between its rows: they go before it
    bool cut = false;      // past kMaxTableColumns or kMaxSpanCells

    void new_section(Section s) {
        end_row();
        m_section = s;
        m_pending.clear();  // spans end with their row group, as in HTML
    }

    void start_row() {
        end_row();
        m_rows.push_back(Row{{}, m_section, true});
        m_open = true;
        m_covered.assign(m_pending.size(), 0);
        for (std::size_t c = 0; c < m_pending.size(); ++c)
            if (m_pending[c] > 0) {
                m_covered[c] = 1;
                --m_pending[c];
            }
    }

    void end_row() {
        if (!m_open) return;
        m_open = false;
        Row& r = m_rows.back();
        // Columns covered from above after the row's last cell: empty cells up to them.
        std::size_t last = 0;
        for (std::size_t c = r.cells.size(); c < m_covered.size(); ++c)
            if (m_covered[c]) last = c + 1;
        while (r.cells.size() < last && pad(r)) {}
        if (r.cells.empty()) m_rows.pop_back();  // <tr></tr>: nothing to show
    }

    void col(int span, doc::Align align) {
        for (int k = 0; k < std::clamp(span, 1, kMaxTableColumns) && m_col_aligns.size() < std::size_t(kMaxTableColumns); ++k)
            m_col_aligns.push_back(align);
    }

    void add_cell(doc::Inlines content, int colspan, int rowspan, bool th, doc::Align align) {
        if (!m_open) start_row();
        Row& r = m_rows.back();
        while (r.cells.size() < m_covered.size() && m_covered[r.cells.size()] && pad(r)) {}
        const std::size_t col = r.cells.size();
        if (col >= std::size_t(kMaxTableColumns)) {  // too wide: its content joins the last cell
            cut = true;
            append_line(r.cells.back(), std::move(content));
            return;
        }
        r.cells.push_back(std::move(content));
        if (!th) r.all_th = false;
        std::vector<doc::Align>& aligns = th ? m_th_aligns : m_td_aligns;
        if (align != doc::Align::Default) {
            if (aligns.size() <= col) aligns.resize(col + 1, doc::Align::Default);
            if (aligns[col] == doc::Align::Default) aligns[col] = align;
        }
        const std::size_t room = std::size_t(kMaxTableColumns) - col;
        if (std::size_t(std::max(colspan, 1)) > room) cut = true;
        const std::size_t want = std::min(std::size_t(std::max(colspan, 1)), room);
        while (r.cells.size() < col + want && pad(r)) {}
        const std::size_t span = r.cells.size() - col;
        // rowspan="0": to the end of the row group.
        const int below = rowspan == 0 ? 65534 : std::min(rowspan, 65534) - 1;
        if (below <= 0 || m_spent) return;
        if (m_pending.size() < col + span) m_pending.resize(col + span, 0);
        for (std::size_t c = col; c < col + span; ++c) m_pending[c] = std::max(m_pending[c], below);
    }

    // The table, or nothing when it has no cell. The header is the first row of
    // <thead>, else a first row of <th> only, else a first row of bold cells only
    // (with more rows after it); <tfoot> rows go last.
    std::optional<doc::Table> finish() {
        end_row();
        if (m_rows.empty()) return std::nullopt;
        doc::Table t;
        std::size_t header = m_rows.size();
        for (std::size_t i = 0; i < m_rows.size() && header == m_rows.size(); ++i)
            if (m_rows[i].section == Section::Head) header = i;
        if (header == m_rows.size() && m_rows[0].all_th && m_rows[0].section != Section::Foot) header = 0;
        // WordPress's table block has no header section: authors bold the first row.
        if (header == m_rows.size() && m_rows.size() > 1 && m_rows[0].section == Section::Body &&
            std::all_of(m_rows[0].cells.begin(), m_rows[0].cells.end(), [](const doc::Inlines& c) { return only_strong(c); })) {
            header = 0;
            for (doc::Inlines& cell : m_rows[0].cells) cell = unwrap_strong(std::move(cell));
        }
        std::size_t width = 1;
        for (const Row& r : m_rows) width = std::max(width, r.cells.size());
        if (header < m_rows.size()) t.header = std::move(m_rows[header].cells);
        for (Section pass : {Section::Head, Section::Foot})
            for (std::size_t i = 0; i < m_rows.size(); ++i)
                if (i != header && (m_rows[i].section == Section::Foot) == (pass == Section::Foot))
                    t.rows.push_back(std::move(m_rows[i].cells));
        t.aligns.resize(width, doc::Align::Default);
        for (std::size_t c = 0; c < width; ++c) {
            for (const std::vector<doc::Align>* from : {&m_td_aligns, &m_col_aligns, &m_th_aligns})
                if (c < from->size() && (*from)[c] != doc::Align::Default) {
                    t.aligns[c] = (*from)[c];
                    break;
                }
        }
        return t;
    }

private:
    struct Row {
        std::vector<doc::Inlines> cells;
        Section section;
        bool all_th;
    };

    // An empty cell that a span covers; false once the table has spent its budget.
    bool pad(Row& r) {
        if (m_added >= kMaxSpanCells) {
            cut = true;
            m_spent = true;
            m_pending.clear();
            m_covered.clear();
            return false;
        }
        r.cells.emplace_back();
        ++m_added;
        return true;
    }

    std::vector<Row> m_rows;
    bool m_open = false;
    Section m_section = Section::Body;
    std::vector<int> m_pending;   // per column: rows below still covered by a rowspan
    std::vector<char> m_covered;  // per column: covered in the open row
    std::vector<doc::Align> m_td_aligns, m_th_aligns, m_col_aligns;
    std::size_t m_added = 0;
    bool m_spent = false;
};

// ---- blocks --------------------------------------------------------------------------

struct BlockBuilder::Container {
    enum class Kind { Root, Div, Content, Quote, List, Item, Drop, Table, Cell, Caption, Figure, Summary };
    Kind kind = Kind::Root;
    std::string name;
    int line = 0;
    doc::Blocks blocks{};
    std::string lang{}, dir{};        // Div
    bool ordered = false;             // List
    int start = 1;
    std::vector<doc::Blocks> items{};
    Where where{};                    // Drop, Table, Cell
    int nested = 0;
    bool swallowed = false;           // Drop: a Markdown block was skipped; Table: one was taken in
    std::unique_ptr<TableState> table{};  // Table
    int colspan = 1, rowspan = 1;     // Cell
    bool th = false;
    doc::Align align = doc::Align::Default;
    Where inner_table{};              // Cell: where a table inside it starts
    doc::Inlines caption{};           // Figure
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

void BlockBuilder::pop_to(std::size_t k) {
    while (m_stack->size() > k + 1) pop();
}

std::size_t BlockBuilder::nearest_table() const {
    for (std::size_t k = m_stack->size() - 1; k > 0; --k)
        if ((*m_stack)[k].kind == Container::Kind::Table) return k;
    return 0;
}

void BlockBuilder::block(doc::Block b) {
    // A Markdown block inside a table: in a cell (GitHub's README style), or, when the
    // table is never closed, what follows it; finish() says so in that case.
    if (!dropping())
        for (Container& c : *m_stack)
            if (c.kind == Container::Kind::Table) c.swallowed = true;
    add_block(std::move(b));
}

void BlockBuilder::add_block(doc::Block b) {
    close_leaf();
    if (dropping()) return;
    if (top().kind == Container::Kind::Table) {  // between rows: before the table, as browsers put it
        top().table->fostered.push_back(std::move(b));
        return;
    }
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
            if (!c.blocks.empty())
                add_block(doc::Block{doc::Div{std::move(c.lang), std::move(c.blocks), std::move(c.dir)}, c.line});
            return;
        case Kind::Quote:
            if (!c.blocks.empty()) add_block(doc::Block{doc::BlockQuote{std::move(c.blocks)}, c.line});
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
            add_block(doc::Block{std::move(list), c.line});
            return;
        }
        case Kind::Item:
            if (top().kind == Kind::List) {
                top().items.push_back(std::move(c.blocks));
                return;
            }
            break;
        case Kind::Table: {
            TableState& t = *c.table;
            for (doc::Block& b : t.fostered) add_block(std::move(b));
            std::optional<doc::Table> table = t.finish();
            if (t.cut) m_reporter.table_cut(c.where);
            if (!table) {
                if (!t.caption.empty()) add_block(doc::Block{doc::Paragraph{std::move(t.caption)}, c.line});
                return;
            }
            doc::Block b{std::move(*table), c.line};
            if (t.caption.empty()) return add_block(std::move(b));
            doc::Blocks content;
            content.push_back(std::move(b));
            add_block(doc::Block{doc::Figure{std::move(content), std::move(t.caption)}, c.line});
            return;
        }
        case Kind::Cell: {
            bool nested = false;
            doc::Inlines content = flatten_blocks(std::move(c.blocks), &nested);
            if (nested) m_reporter.nested_table(c.inner_table.line ? c.inner_table : c.where);
            if (top().kind == Kind::Table) {  // always: cells are opened on their table
                top().table->add_cell(std::move(content), c.colspan, c.rowspan, c.th, c.align);
                return;
            }
            if (!content.empty()) add_block(doc::Block{doc::Paragraph{std::move(content)}, c.line});
            return;
        }
        case Kind::Caption: {
            doc::Inlines text = flatten_blocks(std::move(c.blocks));
            if (c.name == "caption" && top().kind == Kind::Table) return append_line(top().table->caption, std::move(text));
            // <figcaption>: the caption of the figure around it (through wrapping divs).
            for (std::size_t k = m_stack->size() - 1; k > 0; --k) {
                Container& around = (*m_stack)[k];
                if (around.kind == Kind::Figure) return append_line(around.caption, std::move(text));
                if (around.kind != Kind::Content && around.kind != Kind::Div) break;
            }
            if (!text.empty()) add_block(doc::Block{doc::Paragraph{std::move(text)}, c.line});
            return;
        }
        case Kind::Figure:
            if (c.blocks.empty()) {
                if (!c.caption.empty()) add_block(doc::Block{doc::Paragraph{std::move(c.caption)}, c.line});
                return;
            }
            add_block(doc::Block{doc::Figure{std::move(c.blocks), std::move(c.caption)}, c.line});
            return;
        case Kind::Summary: {
            // <details> is shown open: its summary, in strong text, then its content.
            doc::Inlines text = flatten_blocks(std::move(c.blocks));
            if (text.empty()) return;
            doc::Inlines strong{doc::Inline{doc::Strong{std::move(text)}}};
            add_block(doc::Block{doc::Paragraph{std::move(strong)}, c.line});
            return;
        }
        default: break;
    }
    for (doc::Block& b : c.blocks) add_block(std::move(b));  // Content, and an item outside a list
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
        case Leaf::Paragraph: {
            trim_edges(content);
            if (content.empty()) break;
            if (std::optional<doc::Blocks> blocks = caption_shortcode(content, leaf->line)) {
                for (doc::Block& b : *blocks) add_block(std::move(b));
                break;
            }
            if (content.size() == 1)
                if (const auto* t = doc::get_if<doc::Text>(&content.front().value); t && is_web_address(t->text)) {
                    doc::Link link{t->text, "", {doc::Inline{doc::Text{t->text}}}, std::nullopt};
                    link.line = leaf->line;
                    content.front() = doc::Inline{std::move(link)};
                }
            add_block(doc::Block{doc::Paragraph{std::move(content)}, leaf->line});
            break;
        }
        case Leaf::Heading: {
            trim_edges(content);
            if (content.empty()) break;
            doc::Heading h{leaf->level, std::move(content), {}};
            h.id = m_slug(doc::plain_text(h.content));
            add_block(doc::Block{std::move(h), leaf->line});
            break;
        }
        case Leaf::Pre: {
            std::string code;
            flatten(content, code, true);
            if (!code.empty() && code.front() == '\n') code.erase(0, 1);  // HTML drops the newline after <pre>
            if (code.empty()) break;
            if (code.back() != '\n') code += '\n';
            add_block(doc::Block{doc::CodeBlock{"", std::move(code)}, leaf->line});
            break;
        }
    }
}

void BlockBuilder::html(const std::vector<Token>& tokens, const Locate& locate) {
    for (const Token& t : tokens) token(t, locate(t.offset));
    close_leaf();  // p, h1-h6, pre and inline elements end with their HTML block
    // So does an <svg> never closed (dropped, with a warning): Markdown is never
    // inside one, and the blocks after it are kept.
    if (dropping() && top().name == "svg") m_stack->pop_back();
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
    if (t.kind == TokenKind::Svg) {  // a picture, inline
        ensure_leaf(where.line);
        m_leaf->inlines.tag(t, where);
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
    const bool structure = is_container(n) || is_table_part(n);
    const bool block_tag = n == "p" || level || n == "pre" || n == "hr" || structure || is_block_break(n);
    const bool ends_pre = structure || n == "p" || level || n == "pre";
    if (m_leaf && (!block_tag || (m_leaf->kind == Leaf::Pre && !ends_pre))) {
        m_leaf->inlines.tag(t, where);  // inline markup, or anything but a block inside <pre>
        return;
    }
    if (is_dangerous(n) || is_hidden(n)) {
        if (n == "svg") m_reporter.unclosed_svg(where);
        else if (is_dangerous(n)) m_reporter.dropped_element(n, where);
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
    if (n == "hr") return add_block(doc::Block{doc::ThematicBreak{}, where.line});
    if (is_table_part(n)) return table_start(t, where);
    if (!is_container(n)) return;  // a block break
    if (n == "li" && top().kind == Kind::Item) pop();  // an item ends where the next begins
    if (depth() >= kMaxDepth) return;  // too deep: the element gives its content only
    Container c{.kind = Kind::Content, .name = n, .line = where.line, .where = where};
    if (n == "div") {
        c.lang = m_reporter.language_of(t, where);
        c.dir = direction_of(t);
        if (!c.lang.empty() || !c.dir.empty()) c.kind = Kind::Div;
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
    } else if (n == "figure") {
        c.kind = Kind::Figure;
    } else if (n == "figcaption") {
        c.kind = Kind::Caption;
    } else if (n == "summary") {
        c.kind = Kind::Summary;
    }
    push(std::move(c));
}

// A table's parts. Like a browser: a row or cell start tag closes the cell open in
// the nearest table, and whatever is open inside it; outside a table they are
// nothing.
void BlockBuilder::table_start(const Token& t, Where where) {
    using Kind = Container::Kind;
    using Section = TableState::Section;
    const std::string& n = t.name;
    if (n == "table") {
        for (std::size_t k = m_stack->size() - 1; k > 0; --k) {  // in a cell: where the warning will point
            Container& around = (*m_stack)[k];
            if (around.kind == Kind::Cell && around.inner_table.line == 0) around.inner_table = where;
            if (around.kind == Kind::Cell || around.kind == Kind::Table) break;
        }
        if (depth() >= kMaxDepth) return;  // too deep: its rows and cells go to the table around it
        Container c{.kind = Kind::Table, .name = n, .line = where.line, .where = where};
        c.table = std::make_unique<TableState>();
        return push(std::move(c));
    }
    const std::size_t k = nearest_table();
    if (k == 0) return;
    pop_to(k);
    TableState& table = *top().table;
    if (n == "tr") return table.start_row();
    if (n == "thead") return table.new_section(Section::Head);
    if (n == "tbody") return table.new_section(Section::Body);
    if (n == "tfoot") return table.new_section(Section::Foot);
    if (n == "col") return table.col(number_attribute(t, "span", 1), align_of(t));
    if (n == "colgroup") return;
    if (depth() >= kMaxDepth) return;  // too deep: the content goes before the table
    Container c{.kind = n == "caption" ? Kind::Caption : Kind::Cell, .name = n, .line = where.line, .where = where};
    c.colspan = number_attribute(t, "colspan", 1);
    c.rowspan = number_attribute(t, "rowspan", 1);
    c.th = n == "th";
    c.align = align_of(t);
    push(std::move(c));
}

void BlockBuilder::table_end(const Token& t) {
    using Kind = Container::Kind;
    using Section = TableState::Section;
    const std::string& n = t.name;
    const std::size_t k = nearest_table();
    if (k == 0) return;  // a stray end tag
    const bool above = m_stack->size() > k + 1;
    if (n == "table") {
        pop_to(k);
        return pop();
    }
    if ((n == "td" || n == "th") && !(above && (*m_stack)[k + 1].kind == Kind::Cell)) return;
    if (n == "caption" && !(above && (*m_stack)[k + 1].kind == Kind::Caption)) return;
    if (n == "col" || n == "colgroup") return;
    pop_to(k);
    if (n == "tr" || n == "tbody") top().table->end_row();
    if (n == "thead" || n == "tfoot") top().table->new_section(Section::Body);
}

void BlockBuilder::end(const Token& t, Where where) {
    using Kind = Container::Kind;
    const std::string& n = t.name;
    if (m_leaf) {
        const bool ends_leaf = (m_leaf->kind == Leaf::Paragraph && n == "p") ||
                               (m_leaf->kind == Leaf::Heading && heading_level(n)) ||
                               (m_leaf->kind == Leaf::Pre && n == "pre");
        if (ends_leaf) return close_leaf();
        if (!is_container(n) && !is_table_part(n) && !is_block_break(n) && n != "p" && !heading_level(n) && n != "pre")
            return m_leaf->inlines.tag(t, where);
        close_leaf();
    }
    if (is_table_part(n)) return table_end(t);
    if (!is_container(n)) return;
    for (std::size_t k = m_stack->size() - 1; k > 0; --k) {
        const Container& c = (*m_stack)[k];
        if (c.name == n) {
            pop_to(k);
            return pop();
        }
        // A table, its cells and its caption end only with their own end tags.
        if (c.kind == Kind::Table || c.kind == Kind::Cell || (c.kind == Kind::Caption && c.name == "caption")) return;
    }
}

doc::Blocks BlockBuilder::finish() {
    close_leaf();
    // Tables still open took in what followed them: said once, for the outermost.
    for (std::size_t k = 1; k < m_stack->size(); ++k)
        if ((*m_stack)[k].kind == Container::Kind::Table && (*m_stack)[k].swallowed) {
            m_reporter.unclosed_table((*m_stack)[k].where);
            break;
        }
    while (m_stack->size() > 1) pop();
    doc::Blocks out = std::move(m_stack->front().blocks);
    m_stack->front().blocks.clear();
    return out;
}

}  // namespace folio::markdown::html
