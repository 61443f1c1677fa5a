#include "core/text.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace folio::text {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid.
// Rejects overlong forms, surrogates and code points above U+10FFFF (RFC 3629).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    std::size_t n;
    char32_t min;
    if ((c & 0xE0) == 0xC0) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

void append_utf8_impl(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t lower(char32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;                 // Latin-1
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x178) {
        // Latin Extended-A alternates upper/lower, with an offset change at U+0139..U+0148
        // and U+0179..U+017E.
        const bool odd_block = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (odd_block ? (c % 2 == 1) : (c % 2 == 0)) return c + 1;
        return c;
    }
    if (c >= 0x410 && c <= 0x42F) return c + 32;   // Cyrillic А..Я
    if (c >= 0x400 && c <= 0x40F) return c + 80;   // Ѐ..Џ (Serbian Ђ Ј Љ Њ Ћ Џ)
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;  // Greek
    return c;
}

bool is_letter_or_digit(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return is_letter(c);
}

}  // namespace

bool is_letter(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c == 0xD7 || c == 0xF7) return false;
    if (c >= 0xC0 && c <= 0x24F) return true;   // Latin-1 letters, Latin Extended-A/B
    if (c >= 0x370 && c <= 0x3FF) return true;  // Greek
    if (c >= 0x400 && c <= 0x52F) return true;  // Cyrillic
    if (c >= 0x1E00 && c <= 0x1EFF) return true;
    if (c >= 0x3040) return true;               // CJK and beyond: keep, as GitHub does
    return false;
}

namespace {

// Latin letters with diacritics -> ASCII base letters, for file-name slugs.
const char* ascii_fold(char32_t c) {
    switch (c) {
        case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE4: case 0xE5: case 0x101: case 0x103: case 0x105: return "a";
        case 0xE7: case 0x107: case 0x109: case 0x10D: return "c";
        case 0x111: case 0x10F: return "d";
        case 0xE8: case 0xE9: case 0xEA: case 0xEB: case 0x113: case 0x117: case 0x119: case 0x11B: return "e";
        case 0xEC: case 0xED: case 0xEE: case 0xEF: case 0x12B: case 0x131: return "i";
        case 0xF1: case 0x144: case 0x148: return "n";
        case 0xF2: case 0xF3: case 0xF4: case 0xF5: case 0xF6: case 0xF8: case 0x151: return "o";
        case 0x159: return "r";
        case 0x15B: case 0x161: case 0x15F: return "s";
        case 0xDF: return "ss";
        case 0x165: return "t";
        case 0xF9: case 0xFA: case 0xFB: case 0xFC: case 0x16B: case 0x16F: case 0x171: return "u";
        case 0xFD: case 0xFF: return "y";
        case 0x17A: case 0x17C: case 0x17E: return "z";
        case 0x11F: return "g";
        case 0x142: return "l";
        default: return nullptr;
    }
}

}  // namespace

char32_t to_lower(char32_t c) { return lower(c); }

void append_utf8(std::string& out, char32_t c) { append_utf8_impl(out, c); }

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        std::size_t n = decode(s, i, cp);
        if (n == 0) n = 1, cp = 0xFFFD;
        out += cp;
        i += n;
    }
    return out;
}

char32_t first_code_point(std::string_view s) {
    if (s.empty()) return 0;
    char32_t cp;
    return decode(s, 0, cp) ? cp : 0xFFFD;
}

std::string to_utf8(std::u32string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) append_utf8_impl(out, c);
    return out;
}

std::optional<Position> find_invalid_utf8(std::string_view s) {
    // Validate first, eight ASCII bytes at a time (a book is mostly ASCII), and count
    // lines and columns only up to a bad byte, if there is one.
    std::size_t bad = s.size();
    for (std::size_t i = 0; i < s.size();) {
        if (i + 8 <= s.size()) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        char32_t cp;
        const std::size_t n = decode(s, i, cp);
        if (n == 0) {
            bad = i;
            break;
        }
        i += n;
    }
    if (bad == s.size()) return std::nullopt;
    int line = 1, column = 1;
    for (std::size_t i = 0; i < bad;) {
        char32_t cp;
        i += decode(s, i, cp);
        if (cp == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return Position{line, column};
}

namespace {
// Whether `s` (valid UTF-8) holds a character XML forbids: a C0 control other than
// tab, LF and CR, or U+FFFE / U+FFFF (EF BF BE, EF BF BF). A byte scan, no decoding.
bool has_xml_forbidden(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE)
            return true;
    }
    return false;
}
}  // namespace

std::string xml_safe(std::string_view s) {
    if (!has_xml_forbidden(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        std::size_t n = decode(s, i, cp);
        if (n == 0) {  // should not happen: inputs are checked on load
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        const bool bad = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
                         cp == 0xFFFF;
        if (bad) {
            out += "\xEF\xBF\xBD";
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::string lf_line_ends(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\r') {
            out += s[i];
        } else if (i + 1 >= s.size() || s[i + 1] != '\n') {
            out += '\n';
        }
    }
    return out;
}

std::string_view trim(std::string_view s) {
    const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && ws(s.front())) s.remove_prefix(1);
    while (!s.empty() && ws(s.back())) s.remove_suffix(1);
    return s;
}

std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && to_lower_ascii(s.substr(0, prefix.size())) == to_lower_ascii(prefix);
}

std::string heading_slug(std::string_view heading_text) {
    std::string out;
    for (std::size_t i = 0; i < heading_text.size();) {
        char32_t cp;
        std::size_t n = decode(heading_text, i, cp);
        if (n == 0) {
            ++i;
            continue;
        }
        i += n;
        if (cp == ' ' || cp == '-') {
            out += '-';
        } else if (cp == '_') {
            out += '_';
        } else if (is_letter_or_digit(cp)) {
            append_utf8_impl(out, lower(cp));
        }
    }
    return out;
}

std::string ascii_slug(std::string_view s, std::size_t max_length) {
    std::string out;
    bool dash = false;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        std::size_t n = decode(s, i, cp);
        if (n == 0) n = 1, cp = '?';
        i += n;
        const char32_t c = lower(cp);
        std::string piece;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            piece = static_cast<char>(c);
        } else if (const char* folded = ascii_fold(c)) {
            piece = folded;
        }
        if (piece.empty()) {
            dash = !out.empty();
            continue;
        }
        if (dash) out += '-';
        dash = false;
        if (out.size() + piece.size() > max_length) break;
        out += piece;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += separator;
        out += parts[i];
    }
    return out;
}

std::string Date::iso() const {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::optional<Date> parse_date(std::string_view s) {
    s = trim(s);
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto num = [&](std::size_t from, std::size_t len) {
        int v = 0;
        for (std::size_t k = from; k < from + len; ++k) {
            if (s[k] < '0' || s[k] > '9') return -1;
            v = v * 10 + (s[k] - '0');
        }
        return v;
    };
    Date d{num(0, 4), num(5, 2), num(8, 2)};
    if (d.year < 1 || d.month < 1 || d.day < 1) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{static_cast<unsigned>(d.month)},
                                          std::chrono::day{static_cast<unsigned>(d.day)}};
    if (!ymd.ok()) return std::nullopt;  // 2023-02-29, 2024-13-01
    return d;
}

namespace {

// A small cursor over the text of a date.
struct DateScanner {
    std::string_view s;
    std::size_t i = 0;

    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++i;
        return true;
    }
    void spaces() {
        while (!done() && (s[i] == ' ' || s[i] == '\t')) ++i;
    }
    // Up to `max` digits, at least `min`; -1 when there are fewer.
    int digits(std::size_t min, std::size_t max, std::size_t* count = nullptr) {
        std::size_t n = 0;
        int v = 0;
        while (n < max && !done() && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0'), ++n;
        if (count) *count = n;
        return n < min ? -1 : v;
    }
    std::string word() {
        std::string w;
        while (!done() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) w += static_cast<char>(s[i++] | 0x20);
        return w;
    }
};

int month_named(const std::string& w) {
    static constexpr const char* kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                              "july",    "august",   "september", "october", "november", "december"};
    if (w.size() < 3) return 0;
    for (int m = 0; m < 12; ++m)
        if (std::string_view(kMonths[m]).substr(0, w.size()) == w) return m + 1;
    return 0;
}

bool day_exists(const Date& d) {
    if (d.year < 1 || d.month < 1 || d.day < 1) return false;
    const std::chrono::year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{static_cast<unsigned>(d.month)},
                                          std::chrono::day{static_cast<unsigned>(d.day)}};
    return ymd.ok();
}

// hh:mm[:ss[.fraction]] and a zone, after the date; the seconds from midnight and
// the zone's offset east of UTC, in seconds. False when something else follows.
bool scan_time(DateScanner& in, int& seconds, int& offset) {
    seconds = offset = 0;
    const std::size_t start = in.i;
    if (in.eat('T') || in.eat('t') || in.peek() == ' ' || in.peek() == '\t') {
        in.spaces();
        if (in.done()) return true;
        const int h = in.digits(1, 2);
        if (h < 0 || !in.eat(':')) {
            in.i = start;
        } else {
            const int m = in.digits(2, 2);
            int sec = 0;
            if (m < 0) return false;
            if (in.eat(':')) {
                sec = in.digits(2, 2);
                if (sec < 0) return false;
                if (in.eat('.') || in.eat(',')) {
                    std::size_t n = 0;
                    in.digits(0, 12, &n);
                    if (n == 0) return false;
                }
            }
            if (h > 24 || m > 59 || sec > 60) return false;
            seconds = h * 3600 + m * 60 + sec;
        }
    }
    in.spaces();
    if (in.done()) return true;
    if (in.eat('Z') || in.eat('z')) {
    } else if (in.peek() == '+' || in.peek() == '-') {
        const int sign = in.peek() == '-' ? -1 : 1;
        ++in.i;
        const int h = in.digits(2, 2);
        if (h < 0 || h > 14) return false;
        in.eat(':');
        int m = 0;
        if (!in.done() && in.peek() >= '0' && in.peek() <= '9') {
            m = in.digits(2, 2);
            if (m < 0 || m > 59) return false;
        }
        offset = sign * (h * 3600 + m * 60);
    } else {
        const std::string w = in.word();
        if (w != "utc" && w != "gmt") return false;
    }
    // A zone's name may follow its offset, as Go's time format writes it: "-0500 EST".
    in.spaces();
    if (!in.done()) {
        in.eat('(');
        in.word();
        in.eat(')');
    }
    in.spaces();
    return in.done();
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* why) {
    const std::string_view s = trim(text);
    auto failed = [&](std::string reason) -> std::optional<Timestamp> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    DateScanner in{s};
    Date d;
    std::size_t n1 = 0;
    const int first = in.digits(1, 4, &n1);
    if (first >= 0 && n1 == 4 && (in.peek() == '-' || in.peek() == '/')) {
        // Year first: 2024-04-09, 2024-4-9, 2024/04/09.
        const char sep = s[in.i++];
        d.year = first;
        d.month = in.digits(1, 2);
        if (d.month < 0 || !in.eat(sep)) return failed("not a date");
        d.day = in.digits(1, 2);
        if (d.day < 0) return failed("not a date");
    } else if (first >= 0 && n1 <= 2 && (in.peek() == '/' || in.peek() == '.' || in.peek() == '-')) {
        // Day and month in some order, then the year: read only when one order makes a date.
        const char sep = s[in.i++];
        const int second = in.digits(1, 2);
        std::size_t ny = 0;
        if (second < 0 || !in.eat(sep)) return failed("not a date");
        const int year = in.digits(4, 4, &ny);
        if (year < 0) return failed("not a date");
        const bool dm = day_exists({year, second, first}), md = day_exists({year, first, second});
        if (dm && md && first != second)
            return failed("ambiguous: " + std::string(s.substr(0, in.i)) + " is day " + std::to_string(first) +
                          " of month " + std::to_string(second) + " or day " + std::to_string(second) + " of month " +
                          std::to_string(first));
        if (!dm && !md) return failed("no such day");
        d = dm ? Date{year, second, first} : Date{year, first, second};
    } else {
        // Words: "May 3, 2019", "3 May 2019", "Mar 3 2019".
        in.i = 0;
        int day = in.digits(1, 2);
        in.spaces();
        const int month = month_named(in.word());
        if (month == 0) return failed("not a date");
        in.eat('.');
        in.spaces();
        if (day < 0) {
            day = in.digits(1, 2);
            in.eat(',');
            in.spaces();
        }
        const int year = in.digits(4, 4);
        if (day < 0) return failed("no day");
        if (year < 0) return failed("no year");
        d = {year, month, day};
    }
    if (!day_exists(d)) return failed("no such day");
    int seconds = 0, offset = 0;
    if (!scan_time(in, seconds, offset)) return failed("not a date and time");
    return Timestamp{d, epoch_of(d) + seconds - offset};
}

std::int64_t epoch_of(const Date& d) {
    using namespace std::chrono;
    const sys_days day{year{d.year} / month{static_cast<unsigned>(d.month)} / static_cast<unsigned>(d.day)};
    return duration_cast<seconds>(day.time_since_epoch()).count();
}

std::string iso_timestamp(std::int64_t t) {
    using namespace std::chrono;
    const sys_seconds when{seconds{t}};
    const sys_days day = floor<days>(when);
    const year_month_day ymd{day};
    const hh_mm_ss hms{when - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
            out += esc;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace folio::text
