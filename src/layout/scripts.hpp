// Scripts that are not set left to right in spaced words: the Unicode
// Bidirectional Algorithm (UAX #9, through GNU FriBidi) for Hebrew and Arabic, and
// line-break opportunities (UAX #14, through libunibreak) for unspaced CJK text.
// Paragraph layout asks for them only when needs_script_analysis() says the text
// has a character where these scripts start: Latin, Greek and Cyrillic text never
// pays for them.
#pragma once

#include "doc/direction.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace folio::layout {

using doc::is_rtl_language;

// Whether `utf8` holds a character of a script from Hebrew on (U+0590 and up),
// leaving out what Latin text uses there: Latin and Greek extended letters,
// punctuation and symbols (U+1D00–U+2E7F), the Latin ligatures ﬀ–ﬆ, variation
// selectors and specials. ASCII bytes are skipped without decoding.
bool needs_script_analysis(std::string_view utf8);

// The resolved embedding levels of a paragraph (UAX #9 rules P2–I2), one per byte
// of `utf8` (a character's bytes share its level): even left to right, odd right
// to left. `base`: the paragraph's direction when its language decides it; Auto
// takes the direction of its first strong character (P2, P3), left to right when
// it has none. `rtl` is set to the direction resolved.
enum class BaseDirection { Auto, LeftToRight, RightToLeft };
std::vector<std::uint8_t> bidi_levels(std::string_view utf8, BaseDirection base, bool& rtl);

// One line's pieces (boxes and spaces) in logical order, each with its level and
// whether it is white space (for rule L1: white space at the line's end takes the
// paragraph's level): returns the pieces' indices in visual order, left to right
// (rules L1 part 4 and L2, FriBidi's fribidi_reorder_line).
std::vector<std::size_t> visual_order(std::span<const std::uint8_t> levels, const std::vector<bool>& white, bool rtl);

// Where `utf8` (one word: no spaces) may break between characters by UAX #14, for
// the scripts set without spaces between words (Chinese, Japanese, Korean, and
// full-width forms): byte offsets after which a line may end, ascending. Only
// opportunities with such a character on either side are returned, so a Latin
// word keeps folio's own rules (hyphens, dashes, addresses). The rules keep
// closing punctuation such as 。、」 with the character before it, and opening
// punctuation such as 「 with the one after it (kinsoku).
std::vector<std::uint32_t> cjk_break_opportunities(std::string_view utf8, const std::string& lang);

// Whether `c` is a character of the scripts cjk_break_opportunities breaks.
bool is_cjk(char32_t c);

}  // namespace folio::layout
