#include "markdown/html_tokens.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace folio::markdown::html {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The names authors and exporters write; the full list (2,231 names) is not worth
// carrying for text that is mostly UTF-8 already. Sorted for binary search.
constexpr std::array<std::pair<std::string_view, char32_t>, 52> kNamed = {{
    {"NewLine", 0x0A}, {"Tab", 0x09},     {"amp", 0x26},     {"apos", 0x27},   {"bdquo", 0x201E}, {"bull", 0x2022},
    {"cent", 0xA2},    {"colon", 0x3A},   {"copy", 0xA9},    {"deg", 0xB0},    {"divide", 0xF7},  {"eacute", 0xE9},
    {"egrave", 0xE8},  {"emsp", 0x2003},  {"ensp", 0x2002},  {"euro", 0x20AC}, {"frac12", 0xBD},  {"gt", 0x3E},
    {"hellip", 0x2026}, {"iexcl", 0xA1},  {"iquest", 0xBF},  {"laquo", 0xAB},  {"ldquo", 0x201C}, {"lrm", 0x200E},
    {"lsaquo", 0x2039}, {"lsquo", 0x2018}, {"lt", 0x3C},     {"mdash", 0x2014}, {"middot", 0xB7}, {"minus", 0x2212},
    {"nbsp", 0xA0},    {"ndash", 0x2013}, {"para", 0xB6},    {"pound", 0xA3},  {"quot", 0x22},    {"raquo", 0xBB},
    {"rdquo", 0x201D}, {"reg", 0xAE},     {"rlm", 0x200F},   {"rsaquo", 0x203A}, {"rsquo", 0x2019}, {"sbquo", 0x201A},
    {"sect", 0xA7},    {"shy", 0xAD},     {"thinsp", 0x2009}, {"times", 0xD7}, {"trade", 0x2122}, {"uuml", 0xFC},
    {"yen", 0xA5},     {"zwj", 0x200D},   {"zwnj", 0x200C},  {"zwsp", 0x200B},
}};
static_assert(std::is_sorted(kNamed.begin(), kNamed.end(), [](const auto& a, const auto& b) { return a.first < b.first; }));

constexpr std::size_t kLongestName = 8;

char32_t checked(unsigned long cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
    return static_cast<char32_t>(cp);
}

// Reads a reference at s[i] == '&'; on success appends it and returns the index after it.
std::size_t decode_one(std::string_view s, std::size_t i, std::string& out) {
    std::size_t j = i + 1;
    if (j < s.size() && s[j] == '#') {
        ++j;
        const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
        if (hex) ++j;
        const std::size_t digits_from = j;
        unsigned long cp = 0;
        // Digits past the eighth cannot make a character: read them, keep the value out of range.
        for (; j < s.size() && (hex ? is_hex(s[j]) : is_digit(s[j])); ++j) {
            if (cp <= 0x10FFFF) {
                const char c = s[j];
                const unsigned d = is_digit(c) ? unsigned(c - '0') : unsigned(lower(c) - 'a' + 10);
                cp = cp * (hex ? 16 : 10) + d;
            }
        }
        if (j == digits_from) return i;  // "&#" alone is text
        if (j < s.size() && s[j] == ';') ++j;
        text::append_utf8(out, checked(cp));
        return j;
    }
    std::size_t end = j;
    while (end < s.size() && end - j <= kLongestName && (is_alpha(s[end]) || is_digit(s[end]))) ++end;
    if (end == j || end >= s.size() || s[end] != ';') return i;
    const std::string_view name = s.substr(j, end - j);
    auto it = std::lower_bound(kNamed.begin(), kNamed.end(), name,
                               [](const auto& entry, std::string_view n) { return entry.first < n; });
    if (it == kNamed.end() || it->first != name) return i;
    text::append_utf8(out, it->second);
    return end + 1;
}

class Tokenizer {
public:
    explicit Tokenizer(std::string_view in) : m_in(in) {}

    std::vector<Token> run() {
        while (m_pos < m_in.size()) {
            const std::size_t lt = m_in.find('<', m_pos);
            if (lt != m_pos) {
                text(m_pos, lt == std::string_view::npos ? m_in.size() : lt);
                if (lt == std::string_view::npos) break;
            }
            markup();
        }
        return std::move(m_out);
    }

private:
    void text(std::size_t from, std::size_t to) {
        m_pos = to;
        if (from >= to) return;
        const std::string decoded = decode_entities(m_in.substr(from, to - from));
        if (!m_out.empty() && m_out.back().kind == TokenKind::Text) {
            m_out.back().text += decoded;
            m_out.back().end = to;
            return;
        }
        Token t;
        t.kind = TokenKind::Text;
        t.text = decoded;
        t.offset = from;
        t.end = to;
        m_out.push_back(std::move(t));
    }

    bool at(std::size_t i, std::string_view s, bool ci = false) const {
        if (i + s.size() > m_in.size()) return false;
        for (std::size_t k = 0; k < s.size(); ++k)
            if ((ci ? lower(m_in[i + k]) : m_in[i + k]) != s[k]) return false;
        return true;
    }

    // Skips past `end` from m_pos, or to the end of the input.
    void skip_past(std::string_view end) {
        const std::size_t at = m_in.find(end, m_pos);
        m_pos = at == std::string_view::npos ? m_in.size() : at + end.size();
    }

    // m_pos is at '<'.
    void markup() {
        const std::size_t start = m_pos;
        const std::size_t next = start + 1;
        if (at(next, "!--")) {  // a comment; "<!-->" and "<!--->" end at once, as in HTML
            m_pos = start + 4;
            if (at(m_pos, ">")) { ++m_pos; return; }
            if (at(m_pos, "->")) { m_pos += 2; return; }
            skip_past("-->");
            return;
        }
        if (at(next, "![CDATA[")) {  // dropped whole: only foreign content (SVG, MathML) has CDATA
            m_pos = start + 9;
            skip_past("]]>");
            return;
        }
        if (at(next, "!") || at(next, "?")) {  // <!DOCTYPE …>, other declarations, <?xml …?>
            m_pos = next + 1;
            skip_past(">");
            return;
        }
        if (at(next, "/")) {
            if (next + 1 < m_in.size() && is_alpha(m_in[next + 1])) {
                tag(start, TokenKind::EndTag);
            } else if (at(next + 1, ">")) {
                m_pos = next + 2;  // "</>" is nothing
            } else if (next + 1 >= m_in.size()) {
                text(start, m_in.size());
            } else {
                m_pos = next + 1;  // "</ …>" is a bogus comment
                skip_past(">");
            }
            return;
        }
        if (next < m_in.size() && is_alpha(m_in[next])) {
            tag(start, TokenKind::StartTag);
            return;
        }
        text(start, next);  // "<" then a space, a digit, '=' …: just text
    }

    // m_pos at '<' or "</", followed by a letter.
    void tag(std::size_t start, TokenKind kind) {
        Token t;
        t.kind = kind;
        t.offset = start;
        std::size_t i = start + (kind == TokenKind::EndTag ? 2 : 1);
        while (i < m_in.size() && !is_space(m_in[i]) && m_in[i] != '/' && m_in[i] != '>') t.name += lower(m_in[i++]);
        // Attributes (also read, then ignored, on an end tag).
        while (true) {
            while (i < m_in.size() && (is_space(m_in[i]) || m_in[i] == '/')) {
                t.self_closing = m_in[i] == '/' && i + 1 < m_in.size() && m_in[i + 1] == '>';
                ++i;
            }
            if (i >= m_in.size()) {  // the input ends inside the tag: no token
                m_pos = m_in.size();
                return;
            }
            if (m_in[i] == '>') {
                ++i;
                break;
            }
            t.self_closing = false;
            Attribute a;
            // An attribute name may start with '=' (HTML: "unexpected equals sign").
            do a.name += lower(m_in[i++]);
            while (i < m_in.size() && !is_space(m_in[i]) && m_in[i] != '/' && m_in[i] != '>' && m_in[i] != '=');
            std::size_t j = i;
            while (j < m_in.size() && is_space(m_in[j])) ++j;
            if (j < m_in.size() && m_in[j] == '=') {
                ++j;
                while (j < m_in.size() && is_space(m_in[j])) ++j;
                if (j < m_in.size() && (m_in[j] == '"' || m_in[j] == '\'')) {
                    const std::size_t close = m_in.find(m_in[j], j + 1);
                    if (close == std::string_view::npos) {  // an unclosed quote runs to the end: no token
                        m_pos = m_in.size();
                        return;
                    }
                    a.value = decode_entities(m_in.substr(j + 1, close - j - 1));
                    i = close + 1;
                } else {
                    std::size_t end = j;
                    while (end < m_in.size() && !is_space(m_in[end]) && m_in[end] != '>') ++end;
                    a.value = decode_entities(m_in.substr(j, end - j));
                    i = end;
                }
            }
            if (kind == TokenKind::StartTag) t.attributes.push_back(std::move(a));
        }
        m_pos = i;
        t.end = i;
        // "<iframe … />" is read as closed (folio links to the frame; what follows is
        // the article's text), though HTML reads on to "</iframe>".
        const bool raw = kind == TokenKind::StartTag && is_raw_text_element(t.name) &&
                         !(t.self_closing && t.name == "iframe");
        const std::string name = t.name;
        m_out.push_back(std::move(t));
        if (raw) raw_text(name);
    }

    // After <script> and the like: everything up to "</name" (then space, '/' or
    // '>') is text, with no tags in it.
    void raw_text(const std::string& name) {
        const std::size_t from = m_pos;
        std::size_t i = m_pos;
        while (true) {
            const std::size_t lt = m_in.find("</", i);
            if (lt == std::string_view::npos) {
                raw_text_token(from, m_in.size());
                m_pos = m_in.size();
                return;
            }
            const std::size_t after = lt + 2 + name.size();
            if (at(lt + 2, name, /*ci=*/true) &&
                (after >= m_in.size() || is_space(m_in[after]) || m_in[after] == '/' || m_in[after] == '>')) {
                raw_text_token(from, lt);
                m_pos = lt;
                return;  // the end tag is read as any other
            }
            i = lt + 2;
        }
    }

    void raw_text_token(std::size_t from, std::size_t to) {
        if (from >= to) return;
        Token t;
        t.kind = TokenKind::Text;
        t.text = std::string(m_in.substr(from, to - from));
        t.offset = from;
        t.end = to;
        m_out.push_back(std::move(t));
    }

    std::string_view m_in;
    std::size_t m_pos = 0;
    std::vector<Token> m_out;
};

}  // namespace

const Attribute* Token::attribute(std::string_view n) const {
    for (const Attribute& a : attributes)
        if (a.name == n) return &a;
    return nullptr;
}

namespace {

bool is_svg_start(const Token& t) { return t.kind == TokenKind::StartTag && t.name == "svg"; }

// Each whole <svg> element becomes one Svg token. One pass with a stack of the
// open svg start tags: "</svg>" closes the nearest, as in HTML's foreign content.
// Linear: every token is pushed and popped at most once, and copied once.
void gather_svg(std::vector<Token>& tokens, std::string_view in) {
    if (std::none_of(tokens.begin(), tokens.end(), is_svg_start)) return;
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> match(tokens.size(), kNone), open;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (is_svg_start(t)) {
            if (t.self_closing) match[i] = i;  // <svg/>: foreign elements may close themselves
            else open.push_back(i);
        } else if (t.kind == TokenKind::EndTag && t.name == "svg" && !open.empty()) {
            match[open.back()] = i;
            open.pop_back();
        }
    }
    std::vector<Token> out;
    out.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!is_svg_start(tokens[i]) || match[i] == kNone) {
            out.push_back(std::move(tokens[i]));
            continue;
        }
        Token svg;
        svg.kind = TokenKind::Svg;
        svg.name = "svg";
        svg.offset = tokens[i].offset;
        svg.end = tokens[match[i]].end;
        svg.text = std::string(in.substr(svg.offset, svg.end - svg.offset));
        svg.attributes = std::move(tokens[i].attributes);
        out.push_back(std::move(svg));
        i = match[i];
    }
    tokens = std::move(out);
}

}  // namespace

std::vector<Token> tokenize(std::string_view html) {
    std::vector<Token> tokens = Tokenizer(html).run();
    gather_svg(tokens, html);
    return tokens;
}

std::string decode_entities(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t amp = s.find('&', i);
        if (amp == std::string_view::npos) {
            out.append(s.substr(i));
            break;
        }
        out.append(s.substr(i, amp - i));
        const std::size_t after = decode_one(s, amp, out);
        if (after == amp) {
            out += '&';
            i = amp + 1;
        } else {
            i = after;
        }
    }
    return out;
}

std::string svg_title(std::string_view markup) {
    const std::vector<Token> tokens = Tokenizer(markup).run();  // its own tags, not one Svg token
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (tokens[i].kind != TokenKind::StartTag || tokens[i].name != "title") continue;
        if (tokens[i + 1].kind != TokenKind::Text) return "";
        // Raw text in the tokenizer; in SVG, a title's references are decoded.
        const std::string text = decode_entities(tokens[i + 1].text);
        std::string out;
        bool space = false;
        for (char c : text) {
            if (is_space(c)) {
                space = !out.empty();
                continue;
            }
            if (space) out += ' ';
            space = false;
            out += c;
        }
        return out;
    }
    return "";
}

bool is_raw_text_element(std::string_view name) {
    for (std::string_view raw : {"script", "style", "iframe", "noscript", "noembed", "noframes", "xmp", "textarea", "title"})
        if (name == raw) return true;
    return false;
}

}  // namespace folio::markdown::html
