// folio-bench-gen: writes a deterministic synthetic book folder for the speed
// benchmark (tests/bench/run.sh).
//
//   folio-bench-gen OUT_DIR N_ARTICLES
//
// Output:
//   OUT_DIR/book.yaml                      manifest, 10 parts (fewer if N < 10)
//   OUT_DIR/articles/partK/aNNNN.md        N articles, ~12 KB of Markdown each
//
// The same arguments always give the same bytes, on every platform: the only
// source of randomness is a fixed-seed splitmix64 generator used with integer
// arithmetic only (no <random> distributions, no floating point, no hashing
// order).  Article i does not depend on N, so the 100-article book is the
// first 100 articles of the 1000-article book (only the part split differs).
//
// The text is pseudo-prose: words built from syllables (some with accented
// letters: é, č, ž, ë, ü, ñ, ő, ...) mixed with English function words, in
// sentences with capitals, commas and full stops, plus the usual Markdown
// inline and block constructs.  It is meant to exercise parsing, HTML/XHTML
// output and, later, hyphenation and justification in a typesetter.
//
// Non-ASCII text is written with \x escapes so that the source compiles the
// same way whatever the compiler's source character set.  Random draws are
// never made twice in one expression (the evaluation order of operands is
// unspecified, and GCC and Clang differ).

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Random numbers

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    // splitmix64 (Steele, Lea, Flood 2014; public domain reference code).
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // Uniform integer in [0, n), n >= 1 (multiply-shift, integer only).
    std::size_t below(std::size_t n) {
        return static_cast<std::size_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
    }

    // Uniform integer in [lo, hi].
    int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }

    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }

    template <class T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

private:
    std::uint64_t state_;
};

constexpr std::uint64_t kVocabularySeed = 0xF011'0B00'C0DE'5EEDULL;
constexpr std::uint64_t kArticleSeed = 0xB00C'F011'0A27'1C1EULL;

// ---------------------------------------------------------------------------
// Letters with diacritics: lower case, upper case, ASCII fold.

struct Accent {
    std::string_view lower, upper, ascii;
};

constexpr Accent kAccents[] = {
    {"\xC3\xA9", "\xC3\x89", "e"},  // é É
    {"\xC3\xA8", "\xC3\x88", "e"},  // è È
    {"\xC3\xAB", "\xC3\x8B", "e"},  // ë Ë
    {"\xC3\xA1", "\xC3\x81", "a"},  // á Á
    {"\xC3\xAD", "\xC3\x8D", "i"},  // í Í
    {"\xC3\xB3", "\xC3\x93", "o"},  // ó Ó
    {"\xC3\xB6", "\xC3\x96", "o"},  // ö Ö
    {"\xC5\x91", "\xC5\x90", "o"},  // ő Ő
    {"\xC3\xBC", "\xC3\x9C", "u"},  // ü Ü
    {"\xC3\xB1", "\xC3\x91", "n"},  // ñ Ñ
    {"\xC4\x8D", "\xC4\x8C", "c"},  // č Č
    {"\xC5\xBE", "\xC5\xBD", "z"},  // ž Ž
    {"\xC5\xA1", "\xC5\xA0", "s"},  // š Š
};

constexpr std::string_view kEmDash = "\xE2\x80\x94";      // —
constexpr std::string_view kOpenQuote = "\xE2\x80\x9C";   // “
constexpr std::string_view kCloseQuote = "\xE2\x80\x9D";  // ”

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string capitalize(std::string s) {
    if (s.empty()) return s;
    if (s[0] >= 'a' && s[0] <= 'z') {
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
        return s;
    }
    for (const Accent& a : kAccents) {
        if (std::string_view(s).substr(0, a.lower.size()) == a.lower) {
            return std::string(a.upper) + s.substr(a.lower.size());
        }
    }
    return s;
}

// Lower-case ASCII slug of a word, for URLs.
std::string ascii_fold(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            ++i;
            continue;
        }
        bool matched = false;
        for (const Accent& a : kAccents) {
            if (s.substr(i, a.lower.size()) == a.lower || s.substr(i, a.upper.size()) == a.upper) {
                out += a.ascii;
                i += a.lower.size();
                matched = true;
                break;
            }
        }
        if (!matched) ++i;  // drop anything else
    }
    return out;
}

// ---------------------------------------------------------------------------
// Vocabulary

const std::vector<std::string> kOnsetsStart = {
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
    "b", "d", "k", "l", "m", "n", "p", "r", "s", "t", "v",
    "br", "cr", "dr", "fr", "gr", "pr", "tr", "bl", "cl", "fl", "gl", "pl", "sl",
    "st", "sp", "sk", "sh", "ch", "th", "qu", "str", "sch",
    "\xC4\x8D",       // č
    "\xC5\xBE",       // ž
    "\xC5\xA1",       // š
    "\xC3\xB1",       // ñ
    "\xC5\xA1t",      // št
    "\xC4\x8Dr",      // čr
};

const std::vector<std::string> kOnsetsInner = {
    "b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
    "d", "l", "m", "n", "r", "s", "t",
    "ll", "nn", "ss", "tt", "th", "ch", "sh",
    "\xC4\x8D",  // č
    "\xC5\xBE",  // ž
    "\xC3\xB1",  // ñ
};

// About one syllable in seven gets a diacritic.
const std::vector<std::string> kNuclei = {
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "i", "o", "u", "a", "e", "o",
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "i", "o", "u", "a", "e", "o",
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "i", "o", "u", "a", "e", "o",
    "ea", "ou", "ai", "ie", "au", "y", "ee", "oo", "ia", "io", "ei",
    "\xC3\xA9",  // é
    "\xC3\xA9",  // é
    "\xC3\xAB",  // ë
    "\xC3\xBC",  // ü
    "\xC5\x91",  // ő
    "\xC3\xA1",  // á
    "\xC3\xB3",  // ó
    "\xC3\xAD",  // í
    "\xC3\xA8",  // è
    "\xC3\xB6",  // ö
};

const std::vector<std::string> kCodas = {
    "n", "r", "s", "l", "m", "t", "nd", "rn", "st", "rk", "nt", "ck", "x", "ng", "ls", "rd",
    "\xC5\xBE",  // ž
    "\xC5\xA1",  // š
};

const std::vector<std::string> kFunctionWords = {
    "the", "the", "the", "the", "of", "of", "of", "and", "and", "and", "to", "to", "in", "in",
    "a", "a", "is", "that", "for", "it", "as", "was", "with", "on", "by", "at", "from", "this",
    "which", "or", "be", "are", "not", "but", "an", "its", "their", "were", "into", "than",
    "over", "under", "between", "after", "before", "while", "where", "when", "through", "also",
    "more", "most", "some", "each", "other", "many", "only", "such", "both", "every", "without",
    "because", "although", "perhaps", "never", "always", "often", "then", "there", "these",
    "those", "they", "we", "our", "his", "her", "one", "two", "three", "about", "against",
    "during", "within", "toward", "upon", "whose", "should", "would", "could", "might", "must",
};

const std::vector<std::string> kCodeTokens = {
    "std::vector", "--quiet", "init()", "book.yaml", "0x7f", "read_all", "make", "NULL",
    "utf8_len()", "size_t", "--format=epub", "README.md", "argv[1]", "x += 1", "git log",
    "main()", "nullptr", "mmap", "O(n)", "404", "<p>", "&amp;", "parse_front_matter",
    "toc.xhtml", "mimetype", "stdout", "malloc", "std::string_view", "-O2", "$HOME",
};

constexpr std::size_t kVocabularySize = 5000;

std::vector<std::string> build_vocabulary() {
    Rng rng(kVocabularySeed);
    std::vector<std::string> words;
    std::unordered_set<std::string> seen;  // membership only; order never used
    words.reserve(kVocabularySize);
    while (words.size() < kVocabularySize) {
        // 1..5 syllables, mostly 2-3.
        int r = rng.range(0, 99);
        int syllables = r < 18 ? 1 : r < 52 ? 2 : r < 80 ? 3 : r < 94 ? 4 : 5;
        std::string w;
        bool prev_coda = true;  // word start behaves like "after a consonant"
        for (int s = 0; s < syllables; ++s) {
            bool last = s + 1 == syllables;
            if (s == 0) {
                if (rng.chance(85)) w += rng.pick(kOnsetsStart);
            } else if (!prev_coda || rng.chance(75)) {
                w += rng.pick(kOnsetsInner);
            }
            w += rng.pick(kNuclei);
            prev_coda = rng.chance(last ? 45 : 25);
            if (prev_coda) w += rng.pick(kCodas);
        }
        if (utf8_length(w) < 2) continue;
        if (seen.insert(w).second) words.push_back(std::move(w));
    }
    // Frequent words (low indices) are short, as in natural language.
    std::stable_sort(words.begin(), words.end(), [](const std::string& a, const std::string& b) {
        return utf8_length(a) < utf8_length(b);
    });
    return words;
}

// ---------------------------------------------------------------------------
// Text

class Writer {
public:
    Writer(const std::vector<std::string>& vocab, std::uint64_t seed) : vocab_(vocab), rng_(seed) {}

    Rng& rng() { return rng_; }

    // Content word, Zipf-like: index = a*b/n favours the short, frequent words.
    std::string content_word() {
        std::size_t n = vocab_.size();
        const std::uint64_t a = rng_.below(n);
        const std::uint64_t b = rng_.below(n);
        const std::size_t idx = static_cast<std::size_t>(a * b / n);
        return vocab_[idx];
    }

    std::string name() {
        std::string first = capitalize(content_word());
        std::string last = capitalize(content_word());
        return first + " " + last;
    }

    // Title-case phrase of n words; function words stay lower case inside.
    std::string title_phrase(int n) {
        std::string out;
        for (int i = 0; i < n; ++i) {
            bool function = i > 0 && i + 1 < n && rng_.chance(30);
            std::string w = function ? rng_.pick(kFunctionWords) : capitalize(content_word());
            if (i > 0) out += ' ';
            out += w;
        }
        return out;
    }

    std::string url() {
        std::string u = "https://example.org/";
        static const std::vector<std::string> sections = {"wiki", "notes", "topics", "archive", "posts"};
        u += rng_.pick(sections);
        u += '/';
        u += ascii_fold(content_word());
        if (rng_.chance(50)) {
            u += '-';
            u += ascii_fold(content_word());
        }
        if (rng_.chance(20)) u += "#section-" + std::to_string(rng_.range(1, 9));
        return u;
    }

    // One sentence of lo..hi words (bell-shaped), with inline markup.
    std::string sentence(int lo, int hi, bool markup = true) {
        const int n1 = rng_.range(lo, hi);
        const int n2 = rng_.range(lo, hi);
        const int n = (n1 + n2 + 1) / 2;
        std::vector<std::string> w(static_cast<std::size_t>(n));
        std::vector<bool> content(w.size(), false);
        for (std::size_t i = 0; i < w.size(); ++i) {
            do {
                content[i] = !rng_.chance(38);
                w[i] = content[i] ? content_word() : rng_.pick(kFunctionWords);
            } while (i > 0 && w[i] == w[i - 1]);  // no "the the"
        }
        for (std::size_t i = 1; i < w.size(); ++i)
            if (content[i] && rng_.chance(3)) w[i] = capitalize(w[i]);  // proper nouns
        if (n > 4 && rng_.chance(6)) {
            std::size_t i = 1 + rng_.below(w.size() - 1);
            w[i] = rng_.chance(50) ? std::to_string(rng_.range(1820, 2024)) : std::to_string(rng_.range(2, 99));
        }
        w[0] = capitalize(w[0]);

        std::vector<std::string> pre(w.size()), post(w.size());
        std::vector<bool> used(w.size(), false);
        auto span = [&](int min_len, int max_len, std::string_view open, std::string_view close,
                        bool allow_first) -> bool {
            int len = std::min(rng_.range(min_len, max_len), n);
            int first = allow_first ? 0 : 1;
            if (n - len < first) return false;
            int start = rng_.range(first, n - len);
            for (int i = start; i < start + len; ++i)
                if (used[static_cast<std::size_t>(i)]) return false;
            for (int i = start; i < start + len; ++i) used[static_cast<std::size_t>(i)] = true;
            pre[static_cast<std::size_t>(start)] += open;
            post[static_cast<std::size_t>(start + len - 1)] =
                std::string(close) + post[static_cast<std::size_t>(start + len - 1)];
            return true;
        };
        if (markup) {
            if (rng_.chance(16)) span(1, 3, "*", "*", true);
            if (rng_.chance(8)) span(1, 3, "**", "**", true);
            if (rng_.chance(9)) {
                std::string close = "](" + url() + ")";
                span(1, 4, "[", close, true);
            }
            if (rng_.chance(3)) span(2, 5, kOpenQuote, kCloseQuote, false);
            if (n > 3 && rng_.chance(6)) {
                std::size_t i = 1 + rng_.below(w.size() - 1);
                if (!used[i]) {
                    used[i] = true;
                    w[i] = "`" + rng_.pick(kCodeTokens) + "`";
                }
            }
        }

        std::string out;
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (i > 0) out += ' ';
            out += pre[i];
            out += w[i];
            out += post[i];
            if (i + 1 < w.size() && i > 0) {
                if (rng_.chance(7)) {
                    out += ',';
                } else if (rng_.chance(2)) {
                    out += ' ';
                    out += kEmDash;
                } else if (rng_.chance(1)) {
                    out += ';';
                }
            }
        }
        int end = rng_.range(0, 99);
        out += end < 90 ? '.' : end < 97 ? '?' : '!';
        return out;
    }

    std::string paragraph_text(int lo, int hi) {
        int n = rng_.range(lo, hi);
        std::string out;
        for (int i = 0; i < n; ++i) {
            if (i > 0) out += ' ';
            out += sentence(4, 26);
        }
        return out;
    }

private:
    const std::vector<std::string>& vocab_;
    Rng rng_;
};

// Appends text wrapped at `width` columns.  Never breaks before a token that
// starts with a digit (a line "1987. ..." could be read as a list item).
void wrap(std::string& out, std::string_view text, std::string_view first_prefix,
          std::string_view cont_prefix, std::size_t width = 78) {
    out += first_prefix;
    std::size_t col = utf8_length(first_prefix);
    bool line_empty = true;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = text.find(' ', i);
        if (j == std::string_view::npos) j = text.size();
        std::string_view token = text.substr(i, j - i);
        i = j + 1;
        if (token.empty()) continue;
        std::size_t len = utf8_length(token);
        bool digit = token[0] >= '0' && token[0] <= '9';
        if (!line_empty && col + 1 + len > width && !digit) {
            out += '\n';
            out += cont_prefix;
            col = utf8_length(cont_prefix);
            line_empty = true;
        }
        if (!line_empty) {
            out += ' ';
            ++col;
        }
        out += token;
        col += len;
        line_empty = false;
    }
    out += '\n';
}

std::string pad(long value, int width) {
    std::string s = std::to_string(value);
    if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
    return s;
}

std::string article(const std::vector<std::string>& vocab, long index, int number_width) {
    Writer wr(vocab, kArticleSeed ^ (static_cast<std::uint64_t>(index) * 0xD1B54A32D192ED03ULL));
    Rng& rng = wr.rng();

    std::string out;
    out.reserve(16 * 1024);

    // Front matter.  The title is always double-quoted (it may contain a
    // colon); the other values are plain scalars with no YAML specials.
    std::string title = wr.title_phrase(rng.range(2, 6));
    if (rng.chance(15)) title += ": " + wr.title_phrase(rng.range(2, 4));
    out += "---\n";
    out += "title: \"" + title + "\"\n";
    out += "author: " + wr.name() + "\n";
    const int year = rng.range(2005, 2024);
    const int month = rng.range(1, 12);
    const int day = rng.range(1, 28);
    out += "date: " + std::to_string(year) + "-" + pad(month, 2) + "-" + pad(day, 2) + "\n";
    out += "source: https://example.org/posts/" + pad(index, number_width) + "\n";
    out += "---\n\n";

    const std::size_t body_start = out.size();
    const std::size_t target = static_cast<std::size_t>(rng.range(9500, 13300));
    const bool second_note = rng.chance(40);
    auto body_size = [&] { return out.size() - body_start; };

    auto paragraph = [&](std::string_view note = {}) {
        std::string text = wr.paragraph_text(3, 7);
        text += note;
        wrap(out, text, "", "");
        out += '\n';
    };

    auto bullet_list = [&](bool ordered) {
        int items = rng.range(3, 6);
        bool nested_done = false;
        for (int i = 1; i <= items; ++i) {
            std::string marker = ordered ? std::to_string(i) + ". " : "- ";
            std::string indent(marker.size(), ' ');
            std::string text = wr.sentence(3, 14);
            if (rng.chance(25)) text += " " + wr.sentence(4, 14);
            wrap(out, text, marker, indent);
            if (!nested_done && i > 1 && rng.chance(35)) {
                nested_done = true;
                bool sub_ordered = !ordered && rng.chance(30);
                int sub = rng.range(2, 3);
                for (int k = 1; k <= sub; ++k) {
                    std::string sub_marker = indent + (sub_ordered ? std::to_string(k) + ". " : "- ");
                    wrap(out, wr.sentence(3, 10), sub_marker, std::string(sub_marker.size(), ' '));
                }
            }
        }
        out += '\n';
    };

    auto block_quote = [&] {
        int paras = rng.range(1, 2);
        for (int p = 0; p < paras; ++p) {
            if (p > 0) out += ">\n";
            wrap(out, wr.paragraph_text(2, 4), "> ", "> ");
        }
        if (rng.chance(35)) {
            out += ">\n";
            out += "> ";
            out += kEmDash;
            out += ' ';
            out += wr.name();
            out += '\n';
        }
        out += '\n';
    };

    // Lead: the first footnote is always referenced here.
    paragraph("[^1]");
    if (rng.chance(50)) paragraph();

    int special = rng.range(0, 2);  // rotates bullet list / ordered list / quote
    for (int section = 0;; ++section) {
        out += "## " + wr.title_phrase(rng.range(2, 6)) + "\n\n";
        paragraph(section == 1 && second_note ? "[^2]" : "");
        if (body_size() >= target && section >= 2) break;
        if (rng.chance(50)) paragraph();
        if (section < 3 || rng.chance(60)) {
            switch (special++ % 3) {
                case 0: bullet_list(false); break;
                case 1: bullet_list(true); break;
                default: block_quote(); break;
            }
        }
        if (body_size() >= target && section >= 2) break;
        paragraph();
        if (rng.chance(45)) {
            out += "### " + wr.title_phrase(rng.range(2, 5)) + "\n\n";
            paragraph();
            if (rng.chance(50)) paragraph();
        }
        if (body_size() >= target && section >= 2) break;
    }

    // Footnote definitions.
    std::string note = wr.sentence(5, 16);
    if (rng.chance(40)) {
        std::string word = wr.content_word();
        std::string link = wr.url();
        note += " See [the " + word + " archive](" + link + ").";
    }
    wrap(out, note, "[^1]: ", "    ");
    if (second_note) {
        out += '\n';
        wrap(out, wr.sentence(5, 16, false), "[^2]: ", "    ");
    }
    return out;
}

const char* const kPartNames[] = {"one", "two", "three", "four", "five",
                                  "six", "seven", "eight", "nine", "ten"};

void write_file(const fs::path& path, const std::string& data) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot open " + path.string() + " for writing");
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!f) throw std::runtime_error("cannot write " + path.string());
}

int usage() {
    std::cerr << "usage: folio-bench-gen OUT_DIR N_ARTICLES\n"
                 "Writes a deterministic synthetic book folder (book.yaml + articles/partK/aNNNN.md).\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return usage();
    const fs::path out_dir = argv[1];
    char* end = nullptr;
    const long n = std::strtol(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || n < 1 || n > 1'000'000) {
        std::cerr << "folio-bench-gen: N_ARTICLES must be an integer in 1..1000000\n";
        return usage();
    }

    try {
        const std::vector<std::string> vocab = build_vocabulary();
        const int number_width = std::max(4, static_cast<int>(std::to_string(n).size()));
        const long parts = std::min(10L, n);

        std::string manifest;
        manifest += "title: Synthetic Book of " + std::to_string(n) + " Articles\n";
        manifest += "author: [folio benchmark]\n";
        manifest += "language: en\n";
        manifest += "rights: \"Generated text, CC0 1.0\"\n";
        manifest += "defaults:\n";
        manifest += "  site: Synthetic Site\n";
        manifest += "  license: CC0 1.0 Universal\n";
        manifest += "chapters:\n";

        for (long k = 0; k < parts; ++k) {
            const std::string dir_name = "part" + std::to_string(k + 1);
            const fs::path dir = out_dir / "articles" / dir_name;
            fs::create_directories(dir);
            const long first = k * n / parts;
            const long last = (k + 1) * n / parts;  // exclusive
            for (long i = first; i < last; ++i) {
                const std::string number = pad(i + 1, number_width);
                write_file(dir / ("a" + number + ".md"), article(vocab, i + 1, number_width));
            }
            manifest += "  - title: Part " + std::string(kPartNames[k]) + "\n";
            manifest += "    articles: articles/" + dir_name + "/*.md\n";
        }
        // Written last: a complete book.yaml means a complete book.
        write_file(out_dir / "book.yaml", manifest);
    } catch (const std::exception& e) {
        std::cerr << "folio-bench-gen: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
