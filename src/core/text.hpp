// Small text utilities shared by every stage: UTF-8 checks, slugs, trimming, dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace folio::text {

// Where the first invalid UTF-8 sequence starts, as a 1-based line and a 1-based
// column counted in characters; std::nullopt when the text is valid UTF-8.
struct Position {
    int line;
    int column;
};
std::optional<Position> find_invalid_utf8(std::string_view s);

// Replace the characters that XML 1.0 forbids (C0 controls but tab, LF and CR;
// U+FFFE, U+FFFF) with U+FFFD. Assumes valid UTF-8.
std::string xml_safe(std::string_view s);

// A string as a JSON string literal, quotes included (RFC 8259 §7: quote, backslash
// and control characters escaped; UTF-8 passes through).
std::string json_string(std::string_view s);

// `s` with every CRLF and lone CR made an LF. Lines and columns stay where they were:
// CommonMark and YAML both end lines at any of the three.
std::string lf_line_ends(std::string_view s);

// UTF-8 <-> code points (assumes valid UTF-8; invalid bytes become U+FFFD).
std::u32string to_u32(std::string_view s);
std::string to_utf8(std::u32string_view s);
void append_utf8(std::string& out, char32_t c);
// The code point `s` starts with (U+FFFD when it starts with no valid sequence, 0
// when empty).
char32_t first_code_point(std::string_view s);

// Lowercase for Latin (Basic, Latin-1, Extended-A), Greek and Cyrillic, the scripts of
// our books; other characters are returned unchanged.
char32_t to_lower(char32_t c);
// Letters of those scripts, and everything from U+3040 on (CJK and beyond).
bool is_letter(char32_t c);

std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);  // ASCII case-insensitive

// GitHub's heading anchors: lowercase (ASCII and Latin/Cyrillic/Greek letters),
// keep letters, digits, '-' and '_', spaces to '-', drop other punctuation.
std::string heading_slug(std::string_view heading_text);

// An ASCII-only, file-name-safe slug ("Fieldnotes: Ğood day" -> "fieldnotes-good-day" after
// dropping what is not ASCII); may be empty.
std::string ascii_slug(std::string_view s, std::size_t max_length = 40);

std::string join(const std::vector<std::string>& parts, std::string_view separator);


// A calendar date as YAML and EPUB want it.
struct Date {
    int year = 0, month = 0, day = 0;
    std::string iso() const;  // YYYY-MM-DD
    friend auto operator<=>(const Date&, const Date&) = default;
};
std::optional<Date> parse_date(std::string_view s);  // strict YYYY-MM-DD, checks the day exists

// A date as authors' tools write it, and the instant it names. `date` is the
// calendar date in the zone written ("2021-03-04T23:30:00-05:00" is March 4th);
// `instant` is that moment in seconds since the epoch, for sorting (a date alone is
// its midnight UTC, a time without a zone is taken as UTC).
struct Timestamp {
    Date date;
    std::int64_t instant = 0;
};

// Accepts ISO 8601 and its relatives: 2020-11-10, 2024-4-9, 2020-11-10T12:00:00Z,
// 2021-03-04T10:20:30.5+01:00, Jekyll's "2019-05-06 07:08:09 +0200", 2019/05/06;
// English month names ("May 3, 2019", "3 May 2019"); day/month/year when only one
// reading exists (25/12/2019, 12/25/2019). Otherwise nothing, and `why` (when given)
// says what is wrong: "ambiguous: 05/06/2019 is May 6th or June 5th", "no such day".
std::optional<Timestamp> parse_timestamp(std::string_view s, std::string* why = nullptr);

// Seconds since the epoch -> "YYYY-MM-DDThh:mm:ssZ".
std::string iso_timestamp(std::int64_t epoch_seconds);
std::int64_t epoch_of(const Date& d);  // midnight UTC

}  // namespace folio::text
