#include "markdown/site_markup.hpp"

#include "core/text.hpp"
#include "markdown/fenced_code.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

namespace folio::markdown {

namespace {

// A shortcode's or tag's arguments: positional ones and key=value ones, quoted with
// "…" or `…` or bare.
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> named;

    std::string get(const std::string& key, std::size_t position = 99) const {
        if (auto it = named.find(key); it != named.end()) return it->second;
        return position < positional.size() ? positional[position] : std::string();
    }
};

Args parse_args(std::string_view s) {
    Args out;
    std::size_t i = 0;
    auto space = [&] {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    };
    auto value = [&]() {
        std::string v;
        if (i < s.size() && (s[i] == '"' || s[i] == '`' || s[i] == '\'')) {
            const char q = s[i++];
            while (i < s.size() && s[i] != q) {
                if (s[i] == '\\' && q == '"' && i + 1 < s.size()) ++i;
                v += s[i++];
            }
            ++i;
            return v;
        }
        while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') v += s[i++];
        return v;
    };
    while (true) {
        space();
        if (i >= s.size()) break;
        const std::size_t start = i;
        std::size_t eq = start;
        while (eq < s.size() && (std::isalnum(static_cast<unsigned char>(s[eq])) || s[eq] == '_' || s[eq] == '-')) ++eq;
        if (eq > start && eq < s.size() && s[eq] == '=') {
            const std::string key(s.substr(start, eq - start));
            i = eq + 1;
            out.named[key] = value();
        } else {
            out.positional.push_back(value());
        }
    }
    return out;
}

std::size_t count_newlines(std::string_view s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

std::string title_attribute(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

std::string link_text(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '[' || c == ']' || c == '\\') out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

// A link to what a shortcode embeds (a video, a gist), with its title or its address.
std::string embed_link(const std::string& address, const std::string& title, const char* kind) {
    return "[" + link_text(title.empty() ? std::string(kind) + ": " + address : title) + "](<" + address + ">)";
}

class Expander {
public:
    Expander(std::string_view text, const std::string& file, int first_line, const SiteMarkupOptions& options,
             Diagnostics& diagnostics)
        : m_text(text), m_file(file), m_line(first_line), m_options(options), m_diagnostics(diagnostics) {}

    std::string run() {
        m_out.reserve(m_text.size());
        while (m_pos < m_text.size()) {
            const std::size_t next = next_markup();
            copy_to(next);
            if (next >= m_text.size()) break;
            const std::string_view rest = m_text.substr(next);
            if (rest.substr(0, 3) == "{{<" || rest.substr(0, 3) == "{{%") {
                hugo();
            } else if (rest.substr(0, 3) == "{{#") {
                // "\{{#include}}" is mdBook's way of writing the markup itself.
                if (next > 0 && m_text[next - 1] == '\\')
                    literal(3);
                else
                    mdbook();
            } else if (rest.substr(0, 2) == "{%") {
                liquid_tag();
            } else {
                liquid_output();
            }
        }
        return std::move(m_out);
    }

private:
    std::size_t next_markup() const {
        std::size_t at = m_pos;
        while (true) {
            at = m_text.find('{', at);
            if (at == std::string_view::npos || at + 1 >= m_text.size()) return m_text.size();
            const char c = m_text[at + 1];
            if (c == '{' && at + 2 < m_text.size()) {
                const char d = m_text[at + 2];
                if (d == '<' || d == '%') return at;
                if (d == '#') return at;
                if (m_options.liquid) return at;
            }
            if (c == '%' && m_options.liquid) return at;
            ++at;
        }
    }

    void copy_to(std::size_t end) {
        const std::string_view piece = m_text.substr(m_pos, end - m_pos);
        m_line += static_cast<int>(count_newlines(piece));
        if (m_text.substr(end, 3) == "{{#" && !piece.empty() && piece.back() == '\\')
            m_out.append(piece.substr(0, piece.size() - 1));  // the escape goes, the markup stays
        else
            m_out.append(piece);
        m_pos = end;
    }

    SourceLocation here() const {
        const std::size_t line_start = m_out.rfind('\n');
        const int column = static_cast<int>(m_out.size() - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
        return {m_file, m_line, column};
    }

    // Replaces m_text[m_pos, end) with `replacement`, keeping the line count.
    void replace(std::size_t end, std::string replacement) {
        const std::string_view consumed = m_text.substr(m_pos, end - m_pos);
        const std::size_t lines = count_newlines(consumed);
        const std::size_t have = count_newlines(replacement);
        if (lines > have) replacement.append(lines - have, '\n');
        m_line += static_cast<int>(lines);
        m_out += replacement;
        m_pos = end;
    }

    void literal(std::size_t length) {
        m_out.append(m_text.substr(m_pos, length));
        m_line += static_cast<int>(count_newlines(m_text.substr(m_pos, length)));
        m_pos += length;
    }

    bool at_line_start() const { return m_out.empty() || m_out.back() == '\n'; }

    void warn_once(const std::string& key, const std::string& message, const std::string& hint) {
        if (!m_warned.insert(key).second) return;
        m_diagnostics.warn_change(here(), message, hint, message);
    }

    // ---- Hugo ----------------------------------------------------------------------

    void hugo() {
        const bool percent = m_text[m_pos + 2] == '%';
        const std::string close = percent ? "%}}" : ">}}";
        // An escaped call, {{</* name */>}}, is the call written as text.
        if (m_text.substr(m_pos + 3, 2) == "/*") {
            const std::size_t end = m_text.find("*/" + close, m_pos);
            if (end != std::string_view::npos) {
                const std::string inner(m_text.substr(m_pos + 5, end - m_pos - 5));
                replace(end + 2 + close.size(), std::string(m_text.substr(m_pos, 3)) + inner + close);
                return;
            }
        }
        const std::size_t end = m_text.find(close, m_pos + 3);
        if (end == std::string_view::npos || end - m_pos > 4096) return literal(3);
        std::string_view inside = text::trim(m_text.substr(m_pos + 3, end - m_pos - 3));
        const bool closing = !inside.empty() && inside.front() == '/';
        if (closing) inside = text::trim(inside.substr(1));
        std::size_t name_end = 0;
        while (name_end < inside.size() && inside[name_end] != ' ' && inside[name_end] != '\t' && inside[name_end] != '\n')
            ++name_end;
        const std::string name(inside.substr(0, name_end));
        const Args args = parse_args(inside.substr(name_end));
        const std::size_t after = end + close.size();
        if (closing) {
            // The end of a paired shortcode: of a code block, or of content kept as it is.
            replace(after, name != "highlight" ? "" : at_line_start() ? "```" : "\n```");
            return;
        }
        if (name == "ref" || name == "relref") return replace(after, args.get("path", 0));
        if (name == "figure") {
            const std::string src = args.get("src");
            const std::string caption = args.get("caption").empty() ? args.get("title") : args.get("caption");
            std::string alt = args.get("alt");
            if (alt.empty()) alt = caption;
            std::string md = "![" + link_text(alt) + "](<" + src + ">";
            if (!caption.empty()) md += " \"" + title_attribute(caption) + "\"";
            md += ")";
            if (!args.get("link").empty()) md = "[" + md + "](<" + args.get("link") + ">)";
            return replace(after, md);
        }
        if (name == "youtube") {
            const std::string id = args.get("id", 0);
            return replace(after, embed_link("https://www.youtube.com/watch?v=" + id, args.get("title"), "Video"));
        }
        if (name == "vimeo") {
            const std::string id = args.get("id", 0);
            return replace(after, embed_link("https://vimeo.com/" + id, args.get("title"), "Video"));
        }
        if (name == "gist") {
            const std::string address = "https://gist.github.com/" + args.get("user", 0) + "/" + args.get("id", 1);
            return replace(after, embed_link(address, "", "Gist"));
        }
        if (name == "tweet" || name == "x") {
            const std::string user = args.get("user"), id = args.get("id", 0);
            const std::string address = user.empty() ? "https://twitter.com/i/status/" + id
                                                      : "https://twitter.com/" + user + "/status/" + id;
            return replace(after, embed_link(address, "", "Post"));
        }
        if (name == "instagram") {
            return replace(after, embed_link("https://www.instagram.com/p/" + args.get("id", 0) + "/", "", "Photo"));
        }
        if (name == "highlight") {
            std::string fence = "```" + args.get("lang", 0);
            if (!at_line_start()) fence.insert(0, "\n");
            // The code starts on the next line; a newline right after the tag is the fence's own.
            return replace(after, fence);
        }
        warn_once("hugo|" + name, "Hugo shortcode '" + name + "' is not understood: its tags are dropped, its content kept",
                  "write its content in Markdown, or leave it out");
        replace(after, "");
    }

    // ---- mdBook --------------------------------------------------------------------

    void mdbook() {
        const std::size_t end = m_text.find("}}", m_pos + 3);
        if (end == std::string_view::npos || end - m_pos > 1024) return literal(3);
        const std::string_view inside = text::trim(m_text.substr(m_pos + 3, end - m_pos - 3));
        const std::size_t space = inside.find_first_of(" \t");
        const std::string command(inside.substr(0, space));
        const std::string argument(space == std::string_view::npos ? "" : text::trim(inside.substr(space)));
        const std::size_t after = end + 2;
        if (command == "title") return replace(after, "");
        if (command != "include" && command != "rustdoc_include" && command != "playground" && command != "playpen") {
            warn_once("mdbook|" + command, "mdBook's {{#" + command + "}} is not understood and is left out",
                      "write its content in Markdown");
            return replace(after, "");
        }
        const SourceLocation where = here();
        // path, path:from:to, path:from:, path::to, path:anchor
        std::string path = argument;
        std::string selector;
        if (const std::size_t colon = argument.find(':'); colon != std::string::npos) {
            path = argument.substr(0, colon);
            selector = argument.substr(colon + 1);
        }
        if (!m_options.read_include) {
            warn_once("mdbook-include", "mdBook's {{#" + command + "}} cannot be read here and is left out", "");
            return replace(after, "");
        }
        std::string content;
        try {
            content = select_lines(m_options.read_include(path, where), selector);
        } catch (const Error& e) {
            m_diagnostics.warn_change(e.where(), "{{#" + command + " " + argument + "}}: " + e.message() + "; it is left out",
                               e.hint());
            return replace(after, "");
        }
        while (!content.empty() && content.back() == '\n') content.pop_back();
        if (command == "playground" || command == "playpen") {
            const std::string ext = path.substr(path.rfind('.') == std::string::npos ? path.size() : path.rfind('.') + 1);
            content = "```" + std::string(ext == "rs" ? "rust" : ext) + "\n" + content + "\n```";
        }
        // The file's lines come in; the lines after them are counted on from the tag's.
        m_line += static_cast<int>(count_newlines(m_text.substr(m_pos, after - m_pos)));
        m_out += content;
        m_pos = after;
    }

    // Lines from:to (1-based, inclusive; either may be empty), or those between
    // "ANCHOR: name" and "ANCHOR_END: name", whose own lines go.
    static std::string select_lines(const std::string& file, const std::string& selector) {
        std::vector<std::string_view> lines;
        std::string_view all(file);
        while (!all.empty()) {
            const std::size_t nl = all.find('\n');
            lines.push_back(all.substr(0, nl));
            all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
        }
        std::size_t from = 1, to = lines.size();
        // A range is digits, a colon, digits (either side may be empty); anything else
        // names an anchor, as mdBook reads it.
        const std::size_t colon = selector.find(':');
        const std::string a = selector.substr(0, colon);
        const std::string b = colon == std::string::npos ? a : selector.substr(colon + 1);
        const auto digits = [](const std::string& s) {
            return s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
        };
        const bool numeric = !selector.empty() && digits(a) && digits(b);
        std::string out;
        if (selector.empty() || numeric) {
            if (numeric) {
                if (!a.empty()) from = std::stoul(a);
                if (!b.empty()) to = std::stoul(b);
                else if (colon == std::string::npos) to = from;
            }
            for (std::size_t i = std::max<std::size_t>(from, 1); i <= to && i <= lines.size(); ++i)
                out.append(lines[i - 1]).append("\n");
            return out;
        }
        bool inside = false;
        for (std::string_view l : lines) {
            if (l.find("ANCHOR_END: " + selector) != std::string_view::npos) {
                inside = false;
                continue;
            }
            if (l.find("ANCHOR: " + selector) != std::string_view::npos) {
                inside = true;
                continue;
            }
            if (inside && l.find("ANCHOR") == std::string_view::npos) out.append(l).append("\n");
        }
        return out;
    }

    // ---- Jekyll's Liquid -------------------------------------------------------------

    void liquid_tag() {
        const std::size_t end = m_text.find("%}", m_pos + 2);
        if (end == std::string_view::npos || end - m_pos > 4096) return literal(2);
        std::string_view inside = m_text.substr(m_pos + 2, end - m_pos - 2);
        if (!inside.empty() && inside.front() == '-') inside.remove_prefix(1);
        if (!inside.empty() && inside.back() == '-') inside.remove_suffix(1);
        inside = text::trim(inside);
        const std::size_t space = inside.find_first_of(" \t\n");
        const std::string tag(inside.substr(0, space));
        const Args args = parse_args(space == std::string_view::npos ? std::string_view() : inside.substr(space));
        const std::size_t after = end + 2;
        if (tag == "raw" || tag == "comment") {
            // Up to the end tag: copied as written (raw) or left out (comment).
            const std::string end_tag = "end" + tag;
            std::size_t close = after;
            std::size_t close_end = std::string_view::npos;
            while ((close = m_text.find("{%", close)) != std::string_view::npos) {
                const std::size_t e = m_text.find("%}", close);
                if (e == std::string_view::npos) break;
                std::string_view t = m_text.substr(close + 2, e - close - 2);
                if (!t.empty() && t.front() == '-') t.remove_prefix(1);
                if (!t.empty() && t.back() == '-') t.remove_suffix(1);
                if (text::trim(t) == end_tag) {
                    close_end = e + 2;
                    break;
                }
                close = e;
            }
            if (close_end == std::string_view::npos) return replace(after, "");
            const std::string body = tag == "raw" ? std::string(m_text.substr(after, close - after)) : std::string();
            return replace(close_end, body);
        }
        if (tag == "highlight") {
            std::string fence = "```" + (args.positional.empty() ? std::string() : args.positional[0]);
            if (!at_line_start()) fence.insert(0, "\n");
            return replace(after, fence);
        }
        if (tag == "endhighlight") return replace(after, at_line_start() ? "```" : "\n```");
        if (tag == "post_url" || tag == "link") return replace(after, args.positional.empty() ? "" : args.positional[0]);
        warn_once("liquid|" + tag, "Liquid tag '{% " + tag + " %}' is not understood and is left out",
                  "write what it would have put here in Markdown");
        replace(after, "");
    }

    void liquid_output() {
        const std::size_t end = m_text.find("}}", m_pos + 2);
        if (end == std::string_view::npos || end - m_pos > 1024) return literal(2);
        std::string_view inside = m_text.substr(m_pos + 2, end - m_pos - 2);
        if (!inside.empty() && inside.front() == '-') inside.remove_prefix(1);
        if (!inside.empty() && inside.back() == '-') inside.remove_suffix(1);
        inside = text::trim(inside);
        const std::size_t after = end + 2;
        // The site's own address: links and pictures become site-relative.
        if (inside == "site.baseurl" || inside == "site.url" || inside == "site.github.url") return replace(after, "");
        // {{ "/path" | relative_url }}, {{ '/path' | absolute_url }}, {{ "/x" | prepend: site.baseurl }}
        if (!inside.empty() && (inside.front() == '"' || inside.front() == '\'')) {
            const char q = inside.front();
            const std::size_t close = inside.find(q, 1);
            if (close != std::string_view::npos) {
                const std::string_view filters = text::trim(inside.substr(close + 1));
                if (filters.empty() || filters.find("relative_url") != std::string_view::npos ||
                    filters.find("absolute_url") != std::string_view::npos ||
                    filters.find("site.baseurl") != std::string_view::npos)
                    return replace(after, std::string(inside.substr(1, close - 1)));
            }
        }
        const std::string shown(inside.substr(0, 40));
        warn_once("liquid-output|" + shown, "Liquid output '{{ " + shown + " }}' is not understood and is left out",
                  "write what it would have put here");
        replace(after, "");
    }

    std::string_view m_text;
    const std::string& m_file;
    int m_line;
    const SiteMarkupOptions& m_options;
    Diagnostics& m_diagnostics;
    std::string m_out;
    std::size_t m_pos = 0;
    std::set<std::string> m_warned;
};

}  // namespace

// kramdown's attribute lists on lines of their own ("{: .note}", "{:toc}" after
// "* TOC", "{::options … /}"): they style the block before them, or ask kramdown for
// a contents, and are no text of the post. Emptied, so that lines keep their
// numbers; the list item "TOC" that "{:toc}" turns into the post's contents goes
// too (the book has its own). Not inside fenced code, where they are shown.
namespace {
std::string without_kramdown_attributes(std::string_view text) {
    std::string out(text);
    FencedCode fenced;
    std::size_t previous_line = std::string::npos;
    for (std::size_t start = 0; start < out.size();) {
        const std::size_t end = std::min(out.find('\n', start), out.size());
        const std::string_view line = std::string_view(out).substr(start, end - start);
        const std::string_view trimmed = text::trim(line);
        if (!fenced.code(line) && trimmed.size() >= 3 && trimmed.starts_with("{:") && trimmed.back() == '}') {
            const std::string inside(text::trim(trimmed.substr(2, trimmed.size() - 3)));
            std::size_t line_start = start, line_end = end;
            if (previous_line != std::string::npos) {
                const std::size_t previous_end = out.find('\n', previous_line);
                const std::string_view before =
                    text::trim(std::string_view(out).substr(previous_line, previous_end - previous_line));
                if (inside == "toc" && (before == "* TOC" || before == "- TOC" || before == "1. TOC" || before == "+ TOC")) {
                    std::fill(out.begin() + static_cast<std::ptrdiff_t>(previous_line),
                              out.begin() + static_cast<std::ptrdiff_t>(previous_end), ' ');
                } else if (before.starts_with('#') && inside.starts_with('#')) {
                    // "## Setting up" then "{: #setup}": the heading's id, as "{#setup}" names it.
                    const std::string attributes = " {" + inside + "}";
                    out.insert(previous_end, attributes);
                    line_start += attributes.size(), line_end += attributes.size();
                }
            }
            std::fill(out.begin() + static_cast<std::ptrdiff_t>(line_start),
                      out.begin() + static_cast<std::ptrdiff_t>(line_end), ' ');
            start = line_end + 1;  // a blank line now: the line before stays the one before
            continue;
        }
        if (!trimmed.empty()) previous_line = start;
        start = end + 1;
    }
    return out;
}
}  // namespace

// Pelican names the site's own files by a placeholder before their path.
std::string pelican_paths(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    static constexpr std::string_view kPlaceholders[] = {"{static}", "{filename}", "{attach}", "|static|",
                                                         "|filename|", "|attach|"};
    for (std::size_t i = 0; i < text.size();) {
        bool replaced = false;
        if (text[i] == '{' || text[i] == '|')
            for (std::string_view p : kPlaceholders)
                if (text.substr(i, p.size()) == p) {
                    i += p.size();
                    if (i >= text.size() || text[i] != '/') out += '/';
                    replaced = true;
                    break;
                }
        if (!replaced) out += text[i++];
    }
    return out;
}

bool has_site_markup(std::string_view text, const SiteMarkupOptions& options) {
    if (text.find("{{") != std::string_view::npos) return true;
    if (options.pelican && (text.find("{static}") != std::string_view::npos ||
                            text.find("{filename}") != std::string_view::npos ||
                            text.find("{attach}") != std::string_view::npos || text.find("|static|") != std::string_view::npos ||
                            text.find("|filename|") != std::string_view::npos))
        return true;
    return options.liquid && (text.find("{%") != std::string_view::npos || text.find("{:") != std::string_view::npos);
}

std::string expand_site_markup(std::string_view text, const std::string& file, int first_line,
                               const SiteMarkupOptions& options, Diagnostics& diagnostics) {
    if (options.pelican) {
        const std::string paths = pelican_paths(text);
        return Expander(paths, file, first_line, options, diagnostics).run();
    }
    if (options.liquid && text.find("{:") != std::string_view::npos) {
        const std::string plain = without_kramdown_attributes(text);
        return Expander(plain, file, first_line, options, diagnostics).run();
    }
    return Expander(text, file, first_line, options, diagnostics).run();
}

}  // namespace folio::markdown
