#include "layout/scripts.hpp"

#include <fribidi.h>
#include <linebreak.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace folio::layout {

namespace {

// The text is valid UTF-8 (checked on load). Each character with the offset of its
// first byte.
struct Decoded {
    std::vector<FriBidiChar> chars;
    std::vector<std::uint32_t> offsets;
};

Decoded decode(std::string_view s) {
    Decoded d;
    d.chars.reserve(s.size());
    d.offsets.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c0 = static_cast<unsigned char>(s[i]);
        const std::size_t n = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c0 : n == 2 ? c0 & 0x1F : n == 3 ? c0 & 0x0F : c0 & 0x07;
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        d.chars.push_back(cp);
        d.offsets.push_back(static_cast<std::uint32_t>(i));
        i += n;
    }
    return d;
}

}  // namespace

bool needs_script_analysis(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        // Eight ASCII bytes at a time: most paragraphs of most books are all ASCII.
        while (i + 8 <= utf8.size()) {
            std::uint64_t eight;
            std::memcpy(&eight, utf8.data() + i, 8);
            if (eight & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= utf8.size()) break;
        const auto c0 = static_cast<unsigned char>(utf8[i]);
        if (c0 < 0xD6) continue;  // ASCII, a continuation byte, or below U+0580
        const std::size_t n = c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
        if (i + n > utf8.size()) break;
        char32_t cp = n == 2 ? c0 & 0x1F : n == 3 ? c0 & 0x0F : c0 & 0x07;
        for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        i += n - 1;
        // Latin and Greek extended, punctuation, symbols, Latin ligatures, variation
        // selectors and specials are set as Latin text is.
        if ((cp >= 0x1D00 && cp <= 0x2E7F) || (cp >= 0xFB00 && cp <= 0xFB06) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
            (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF))
            continue;
        if (cp >= 0x0590) return true;
    }
    return false;
}

std::vector<std::uint8_t> bidi_levels(std::string_view utf8, BaseDirection base, bool& rtl) {
    const Decoded d = decode(utf8);
    const auto n = static_cast<FriBidiStrIndex>(d.chars.size());
    std::vector<FriBidiCharType> types(d.chars.size());
    std::vector<FriBidiBracketType> brackets(d.chars.size());
    std::vector<FriBidiLevel> levels(d.chars.size());
    fribidi_get_bidi_types(d.chars.data(), n, types.data());
    fribidi_get_bracket_types(d.chars.data(), n, types.data(), brackets.data());
    FriBidiParType dir = base == BaseDirection::RightToLeft  ? FRIBIDI_PAR_RTL
                         : base == BaseDirection::LeftToRight ? FRIBIDI_PAR_LTR
                                                              : FRIBIDI_PAR_ON;
    std::vector<std::uint8_t> out(utf8.size(), 0);
    if (n == 0 || fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &dir, levels.data()) == 0) {
        rtl = base == BaseDirection::RightToLeft;  // FriBidi failed (out of memory): one level
        std::fill(out.begin(), out.end(), rtl ? 1 : 0);
        return out;
    }
    rtl = FRIBIDI_IS_RTL(dir);
    for (std::size_t k = 0; k < d.chars.size(); ++k) {
        const std::size_t end = k + 1 < d.offsets.size() ? d.offsets[k + 1] : utf8.size();
        std::fill(out.begin() + d.offsets[k], out.begin() + static_cast<std::ptrdiff_t>(end),
                  static_cast<std::uint8_t>(levels[k]));
    }
    return out;
}

std::vector<std::size_t> visual_order(std::span<const std::uint8_t> levels, const std::vector<bool>& white, bool rtl) {
    const auto n = static_cast<FriBidiStrIndex>(levels.size());
    // Each piece stands for one character of its type: resolved levels need no types
    // but white space's, which L1 resets at the line's end.
    std::vector<FriBidiCharType> types(levels.size());
    std::vector<FriBidiLevel> lv(levels.size());
    std::vector<FriBidiStrIndex> map(levels.size());
    for (std::size_t i = 0; i < levels.size(); ++i) {
        types[i] = white[i] ? FRIBIDI_TYPE_WS : FRIBIDI_TYPE_ON;
        lv[i] = static_cast<FriBidiLevel>(levels[i]);
        map[i] = static_cast<FriBidiStrIndex>(i);
    }
    std::vector<std::size_t> out(levels.size());
    if (n > 0 &&
        fribidi_reorder_line(0, types.data(), n, 0, rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR, lv.data(), nullptr,
                             map.data()) == 0)
        for (std::size_t i = 0; i < out.size(); ++i) map[i] = static_cast<FriBidiStrIndex>(i);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::size_t>(map[i]);
    return out;
}

// The blocks of the scripts written without spaces between words, and their
// full-width punctuation: Hangul Jamo; CJK radicals to Yi (punctuation, kana,
// Bopomofo, ideographs); Hangul; compatibility ideographs; vertical, compatibility
// and small forms; half- and full-width forms; the supplementary ideographs.
// (Which characters break where is libunibreak's; this only says which scripts
// folio lets it break, so that Latin words keep their own rules.)
bool is_cjk(char32_t c) {
    return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xA960 && c <= 0xA97F) ||
           (c >= 0xAC00 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE10 && c <= 0xFE1F) ||
           (c >= 0xFE30 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

std::vector<std::uint32_t> cjk_break_opportunities(std::string_view utf8, const std::string& lang) {
    std::vector<std::uint32_t> out;
    const Decoded d = decode(utf8);
    if (std::none_of(d.chars.begin(), d.chars.end(), [](FriBidiChar c) { return is_cjk(c); })) return out;
    static std::once_flag once;
    std::call_once(once, init_linebreak);
    // libunibreak knows language-specific rules by tag prefix ("zh", "ja", "ko").
    std::vector<char> brks(d.chars.size());
    set_linebreaks_utf32(reinterpret_cast<const utf32_t*>(d.chars.data()), d.chars.size(),
                         lang.empty() ? nullptr : lang.c_str(), brks.data());
    for (std::size_t k = 0; k + 1 < d.chars.size(); ++k)
        if (brks[k] == LINEBREAK_ALLOWBREAK && (is_cjk(d.chars[k]) || is_cjk(d.chars[k + 1])))
            out.push_back(d.offsets[k + 1]);
    return out;
}

}  // namespace folio::layout
