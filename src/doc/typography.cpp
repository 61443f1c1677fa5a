#include "doc/typography.hpp"

#include "core/parallel.hpp"
#include "core/text.hpp"
#include "doc/matter.hpp"

#include <algorithm>
#include <array>

namespace folio::doc {

namespace {

// ---- the marks of each language ------------------------------------------------------

struct Marks {
    std::string_view open, close;                      // the outer quotation
    std::string_view inner_open, inner_close;          // a quotation inside it
};

constexpr Marks kEnglish{"\u201C", "\u201D", "\u2018", "\u2019"};       // “…” ‘…’
constexpr Marks kLowNine{"\u201E", "\u201C", "\u201A", "\u2018"};       // „…“ ‚…‘
constexpr Marks kGuillemets{"\u00AB", "\u00BB", "\u201C", "\u201D"};    // «…» “…”
// French sets a no-break space inside the guillemets; the narrow one (U+202F) keeps
// each guillemet with its word and does not stretch in a justified line.
constexpr Marks kFrench{"\u00AB\u202F", "\u202F\u00BB", "\u201C", "\u201D"};

const Marks& marks_for(std::string_view lang) {
    std::string primary(lang.substr(0, lang.find_first_of("-_")));
    for (char& c : primary) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    // Serbian (either script), Croatian, Bosnian, Montenegrin and Serbo-Croatian
    // share their marks; so does German.
    if (primary == "sr" || primary == "hr" || primary == "bs" || primary == "cnr" || primary == "sh" ||
        primary == "de")
        return kLowNine;
    if (primary == "sq" || primary == "es" || primary == "it") return kGuillemets;  // Albanian: see the header
    if (primary == "fr") return kFrench;
    return kEnglish;
}

bool is_english(std::string_view lang) {
    return lang.size() >= 2 && (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 'n' || lang[1] == 'N') &&
           (lang.size() == 2 || lang[2] == '-' || lang[2] == '_');
}

// ---- characters around a mark ---------------------------------------------------------

// What a straight quote sees on either side. The start and end of the text count as
// space; an inline that is not text (code, a picture, a note call) as a letter.
enum class Side { Space, Opening, Dash, Letter, Digit, Other };

constexpr char kObject = '\x01';  // stands in the flat text for an inline that is not text

Side side_of(char32_t c) {
    if (c < 0x80) {
        if (c == 0 || c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return Side::Space;
        if (c == '(' || c == '[' || c == '{') return Side::Opening;
        if (c >= '0' && c <= '9') return Side::Digit;
        if (c == static_cast<unsigned char>(kObject)) return Side::Letter;
        return text::is_letter(c) ? Side::Letter : Side::Other;
    }
    if (c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000) return Side::Space;
    // Opening quotation marks as languages use them, and Spanish's ¿ ¡.
    if (c == 0x201C || c == 0x2018 || c == 0x201E || c == 0x201A || c == 0xAB || c == 0x2039 || c == 0xBF || c == 0xA1)
        return Side::Opening;
    if (c == 0x2013 || c == 0x2014) return Side::Dash;
    return text::is_letter(c) ? Side::Letter : Side::Other;
}

char32_t decode_at(std::string_view s, std::size_t i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) return b;
    const int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
    char32_t c = b & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return c;
}

char32_t before(std::string_view s, std::size_t i) {
    if (i == 0) return 0;
    std::size_t j = i - 1;
    while (j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
    return decode_at(s, j);
}

char32_t after(std::string_view s, std::size_t i) { return i < s.size() ? decode_at(s, i) : 0; }

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// English words that open with an apostrophe where a letter was left out: 'tis, 'em…
bool english_elision(std::string_view s, std::size_t from) {
    static constexpr std::array<std::string_view, 8> kWords = {"tis", "twas", "twere", "twill", "em", "cause", "til", "bout"};
    std::size_t end = from;
    while (end < s.size() && end - from <= 5 && is_ascii_letter(s[end])) ++end;
    if (side_of(after(s, end)) == Side::Letter) return false;  // a longer word, or more letters not ASCII
    std::string word(s.substr(from, end - from));
    for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

// ---- one paragraph --------------------------------------------------------------------

struct Options {
    bool quotes = true;
    bool dashes = true;
};

// A paragraph's text as one string, its inlines' texts in order, so that quotes are
// matched across them; each Text is a segment written back once converted.
class Flat {
public:
    void add_text(std::string& target, const Marks& marks, std::string_view lang) {
        m_segments.push_back({&target, m_text.size(), m_text.size() + target.size(), &marks, is_english(lang)});
        m_text += target;
        m_worth_it = m_worth_it || may_change(target);
    }
    void add_object() { m_text += kObject; }
    void add_space() { m_text += ' '; }

    void convert(const Options& options);

private:
    struct Segment {
        std::string* target;
        std::size_t begin, end;
        const Marks* marks;
        bool english;
    };
    enum class Role { Open, Close, Apostrophe, AsTyped };
    struct Quote {
        std::size_t at;
        char typed;  // '"' or '\''
        Role role;
        const Marks* marks;
        int partner = -1;  // the index of the quote that opens or closes it
        int depth = 0;
    };
    struct Replacement {
        std::size_t at, length;
        std::string_view with;
    };

    // Whether `s` holds a straight quote, "--" or "...": most paragraphs have none,
    // and are left without building anything more. Asked of every text of a book:
    // most bytes are none of the four, told by one look in a table.
    static bool may_change(std::string_view s) {
        static constexpr auto kMarks = [] {
            std::array<bool, 256> t{};
            for (const unsigned char c : {'"', '\'', '-', '.'}) t[c] = true;
            return t;
        }();
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (!kMarks[static_cast<unsigned char>(c)]) continue;
            if (c == '"' || c == '\'' || (c == '-' && i + 1 < s.size() && s[i + 1] == '-') ||
                (c == '.' && i + 2 < s.size() && s[i + 1] == '.' && s[i + 2] == '.'))
                return true;
        }
        return false;
    }
    int owner(std::size_t at) const;  // the segment holding byte `at`, or -1 for a stand-in
    bool locked(std::size_t at) const;  // inside a web address
    void find_dashes();
    void find_quotes();
    void pair_quotes();
    void set_depths();
    void write_back();

    std::string m_text;
    std::vector<Segment> m_segments;  // in order of `begin`
    bool m_worth_it = false;
    std::vector<TextRange> m_addresses;  // in order
    std::vector<Quote> m_quotes;
    std::vector<Replacement> m_replacements;
};

int Flat::owner(std::size_t at) const {
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), at,
                               [](std::size_t x, const Segment& seg) { return x < seg.begin; });
    if (it == m_segments.begin()) return -1;
    --it;
    return at < it->end ? static_cast<int>(it - m_segments.begin()) : -1;
}

bool Flat::locked(std::size_t at) const {
    auto it = std::upper_bound(m_addresses.begin(), m_addresses.end(), at,
                               [](std::size_t x, const TextRange& r) { return x < r.begin; });
    return it != m_addresses.begin() && at < std::prev(it)->end;
}

// -- and --- and ... as whole runs; longer runs, --option and arrows stay as typed.
void Flat::find_dashes() {
    const std::string& s = m_text;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c != '-' && c != '.') continue;
        std::size_t end = i;
        while (end < s.size() && s[end] == c) ++end;
        const std::size_t run = end - i;
        // In one text, not in a web address (which no run of one character leaves).
        const int in = owner(i);
        const bool plain = in >= 0 && owner(end - 1) == in && !locked(i) && !locked(end - 1);
        const std::size_t at = i;
        i = end - 1;
        if (!plain) continue;
        if (c == '.' && run == 3) m_replacements.push_back({at, 3, "\u2026"});
        if (c == '-' && (run == 2 || run == 3)) {
            const bool arrow = (at > 0 && s[at - 1] == '<') || (end < s.size() && s[end] == '>');
            const bool option = side_of(before(s, at)) == Side::Space && side_of(after(s, end)) == Side::Letter;
            if (!arrow && !option) m_replacements.push_back({at, run, run == 2 ? "\u2013" : "\u2014"});
        }
    }
}

void Flat::find_quotes() {
    const std::string& s = m_text;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c != '"' && c != '\'') continue;
        const int in = owner(i);
        if (in < 0 || locked(i)) continue;
        const Segment& segment = m_segments[static_cast<std::size_t>(in)];
        // A straight quote just before this one was decided already: an opening one
        // is opening punctuation ("'Hi,' she said"), any other a closing one.
        Side prev = side_of(before(s, i));
        if (!m_quotes.empty() && m_quotes.back().at + 1 == i)
            prev = m_quotes.back().role == Role::Open ? Side::Opening : Side::Other;
        const Side next = side_of(after(s, i + 1));
        const bool opens_here = prev == Side::Space || prev == Side::Opening;
        Role role;
        if (c == '"') {
            if (opens_here)
                role = next == Side::Space ? Role::AsTyped : Role::Open;
            else if (prev == Side::Dash)
                role = next == Side::Space || next == Side::Other ? Role::Close : Role::Open;
            else
                role = Role::Close;
        } else if ((prev == Side::Letter || prev == Side::Digit) && next == Side::Letter) {
            role = Role::Apostrophe;  // don't, l'homme, rock'n'roll
        } else if (opens_here || prev == Side::Dash) {
            const bool n_between = (i + 2 < s.size()) && (s[i + 1] == 'n' || s[i + 1] == 'N') && s[i + 2] == '\'' &&
                                   side_of(after(s, i + 3)) != Side::Letter;  // rock 'n' roll
            if (next == Side::Space)
                role = Role::AsTyped;
            else if (next == Side::Digit || n_between || (segment.english && english_elision(s, i + 1)))
                role = Role::Apostrophe;  // '90s
            else
                role = Role::Open;
        } else {
            role = Role::Close;  // becomes an apostrophe when it has nothing to close: the students'
        }
        m_quotes.push_back({i, c, role, segment.marks});
    }
}

// Each closing quote closes the innermost open quotation typed with the same mark;
// quotations opened with the other mark inside it are abandoned. A single quote that
// opens or closes nothing is an apostrophe; a double one stays a mark (a quotation
// may run on over paragraphs, each opening with a mark). One stack per mark keeps
// this linear: each opening quote is pushed and popped once.
void Flat::pair_quotes() {
    std::vector<int> open_double, open_single;
    const auto abandon = [&](int q) {
        if (m_quotes[static_cast<std::size_t>(q)].typed == '\'') m_quotes[static_cast<std::size_t>(q)].role = Role::Apostrophe;
    };
    for (int q = 0; q < static_cast<int>(m_quotes.size()); ++q) {
        Quote& quote = m_quotes[static_cast<std::size_t>(q)];
        std::vector<int>& same = quote.typed == '"' ? open_double : open_single;
        std::vector<int>& other = quote.typed == '"' ? open_single : open_double;
        if (quote.role == Role::Open) {
            same.push_back(q);
        } else if (quote.role == Role::Close) {
            if (same.empty()) {
                if (quote.typed == '\'') quote.role = Role::Apostrophe;
                continue;
            }
            const int opener = same.back();
            same.pop_back();
            for (; !other.empty() && other.back() > opener; other.pop_back()) abandon(other.back());
            quote.partner = opener;
            m_quotes[static_cast<std::size_t>(opener)].partner = q;
        }
    }
    for (int q : open_single) abandon(q);
}

// The depth of each quotation: 0 for the outer one, 1 inside it, and so on.
void Flat::set_depths() {
    int depth = 0;
    for (Quote& q : m_quotes) {
        if (q.role == Role::Open) {
            q.depth = depth++;
        } else if (q.role == Role::Close && q.partner >= 0) {
            q.depth = depth = m_quotes[static_cast<std::size_t>(q.partner)].depth;
        } else if (q.role == Role::Close) {
            q.depth = std::max(0, depth - 1);  // closes a quotation opened before this paragraph
        }
    }
    for (const Quote& q : m_quotes) {
        const bool outer = q.depth % 2 == 0;
        switch (q.role) {
            case Role::Open: m_replacements.push_back({q.at, 1, outer ? q.marks->open : q.marks->inner_open}); break;
            case Role::Close: m_replacements.push_back({q.at, 1, outer ? q.marks->close : q.marks->inner_close}); break;
            case Role::Apostrophe: m_replacements.push_back({q.at, 1, "\u2019"}); break;
            case Role::AsTyped: break;
        }
    }
}

void Flat::write_back() {
    std::sort(m_replacements.begin(), m_replacements.end(),
              [](const Replacement& a, const Replacement& b) { return a.at < b.at; });
    std::size_t r = 0;
    for (const Segment& segment : m_segments) {
        while (r < m_replacements.size() && m_replacements[r].at < segment.begin) ++r;
        if (r == m_replacements.size() || m_replacements[r].at >= segment.end) continue;
        std::string out;
        out.reserve(segment.end - segment.begin + 8);
        std::size_t from = segment.begin;
        for (; r < m_replacements.size() && m_replacements[r].at < segment.end; ++r) {
            const Replacement& rep = m_replacements[r];
            out.append(m_text, from, rep.at - from);
            out += rep.with;
            from = rep.at + rep.length;
        }
        out.append(m_text, from, segment.end - from);
        *segment.target = std::move(out);
    }
}

void Flat::convert(const Options& options) {
    if (!m_worth_it) return;
    m_addresses = find_web_addresses(m_text);
    if (options.dashes) find_dashes();
    if (options.quotes) {
        find_quotes();
        pair_quotes();
        set_depths();
    }
    if (!m_replacements.empty()) write_back();
}

std::string convert_string(std::string_view text, std::string_view lang, const Options& options) {
    std::string out(text);
    Flat flat;
    flat.add_text(out, marks_for(lang), lang);
    flat.convert(options);
    return out;
}

// ---- the book -------------------------------------------------------------------------

// A link whose text is its own address (an autolink): the text is the address.
bool shows_its_address(const Link& link) {
    const std::string shown = plain_text(link.content);
    if (shown.empty() || shown.size() > link.url.size()) return false;
    if (shown == link.url) return true;
    const std::string_view scheme = std::string_view(link.url).substr(0, link.url.size() - shown.size());
    return link.url.compare(scheme.size(), std::string::npos, shown) == 0 &&
           (scheme == "mailto:" || scheme == "http://" || scheme == "https://");
}

std::string_view inner(std::string_view lang, const std::string& own) { return own.empty() ? lang : own; }

void collect(Inlines& inlines, std::string_view lang, Flat& flat) {
    for (Inline& in : inlines) {
        doc::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Text>) {
                    flat.add_text(v.text, marks_for(lang), lang);
                } else if constexpr (std::is_same_v<T, Code> || std::is_same_v<T, NoteRef>) {
                    flat.add_object();
                } else if constexpr (std::is_same_v<T, LineBreak>) {
                    flat.add_space();
                } else if constexpr (std::is_same_v<T, Image>) {
                    v.alt = typographic_text(v.alt, lang);  // read aloud
                    v.title = typographic_text(v.title, lang);
                    flat.add_object();
                } else if constexpr (std::is_same_v<T, Link>) {
                    v.title = typographic_text(v.title, lang);
                    if (shows_its_address(v))
                        flat.add_object();
                    else
                        collect(v.content, lang, flat);
                } else if constexpr (std::is_same_v<T, Span>) {
                    collect(v.content, inner(lang, v.lang), flat);
                } else {
                    collect(v.content, lang, flat);  // emphasis, strong, struck, raised, lowered
                }
            },
            in.value);
    }
}

void paragraph(Inlines& inlines, std::string_view lang) {
    Flat flat;
    collect(inlines, lang, flat);
    flat.convert({});
}

void blocks(Blocks& list, std::string_view lang) {
    for (Block& b : list) {
        std::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Paragraph> || std::is_same_v<T, Heading>) {
                    paragraph(v.content, lang);
                } else if constexpr (std::is_same_v<T, BlockQuote>) {
                    blocks(v.content, lang);
                } else if constexpr (std::is_same_v<T, List>) {
                    for (Blocks& item : v.items) blocks(item, lang);
                } else if constexpr (std::is_same_v<T, Table>) {
                    for (Inlines& cell : v.header) paragraph(cell, lang);
                    for (auto& row : v.rows)
                        for (Inlines& cell : row) paragraph(cell, lang);
                } else if constexpr (std::is_same_v<T, Div>) {
                    blocks(v.content, inner(lang, v.lang));
                } else if constexpr (std::is_same_v<T, Figure>) {
                    blocks(v.content, lang);
                    paragraph(v.caption, lang);
                }
                // Code blocks and thematic breaks: nothing to set.
            },
            b.value);
    }
}

}  // namespace

std::string typographic_text(std::string_view text, std::string_view lang) {
    return convert_string(text, lang, {true, true});
}

std::string typographic_quotes(std::string_view text, std::string_view lang) {
    return convert_string(text, lang, {true, false});
}

std::string typographic_dashes(std::string_view text) { return convert_string(text, "en", {false, true}); }

void apply_typography(Book& book) {
    if (book.typography == Typography::Plain) return;
    const std::string& lang = book.language;
    book.title = typographic_text(book.title, lang);
    book.subtitle = typographic_text(book.subtitle, lang);
    for (std::string& name : book.authors) name = typographic_quotes(name, lang);
    book.publisher = typographic_quotes(book.publisher, lang);
    book.rights = typographic_quotes(book.rights, lang);
    std::vector<Article*> articles;
    for (Chapter& c : book.chapters) {
        c.title = typographic_text(c.title, lang);
        for (Article& a : c.articles) articles.push_back(&a);
    }
    // Articles are independent: each is set on its own core.
    parallel_for(articles.size(), [&](std::size_t i) {
        Article& a = *articles[i];
        const std::string& own = language_of(book, a);
        a.title = typographic_text(a.title, own);
        a.summary = typographic_text(a.summary, own);
        for (std::string& name : a.authors) name = typographic_quotes(name, own);
        blocks(a.body, own);
        for (Footnote& note : a.notes) blocks(note.content, own);
    });
}

}  // namespace folio::doc
