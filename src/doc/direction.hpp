// Writing direction as the document model knows it: which languages are written
// right to left, and whether text holds characters of those scripts. Both writers
// ask: the EPUB marks such elements with `dir`, the typesetter sets them right to
// left (the bidi algorithm itself is layout's: layout/scripts.hpp).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace folio::doc {

// Whether a BCP 47 tag names a language written right to left (he, yi, ar, fa, ur,
// ps, sd, ug, dv, ckb, syr…), or any language in a right-to-left script (-Arab,
// -Hebr, -Syrc, -Thaa, -Nkoo, -Adlm).
inline bool is_rtl_language(std::string_view lang) {
    std::string tag(lang);
    for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string primary = tag.substr(0, tag.find_first_of("-_"));
    static constexpr std::string_view kRtl[] = {"he", "iw", "yi", "ji", "ar", "fa", "ur", "ps", "sd",
                                                "ug", "dv", "ckb", "syr", "arc", "prs", "pnb"};
    for (std::string_view l : kRtl)
        if (primary == l) return true;
    for (std::string_view script : {"-arab", "-hebr", "-syrc", "-thaa", "-nkoo", "-adlm"}) {
        const std::size_t at = tag.find(script);
        if (at != std::string::npos && (at + script.size() == tag.size() || tag[at + script.size()] == '-')) return true;
    }
    return false;
}

// Whether UTF-8 `text` holds a letter of a right-to-left script: Hebrew, Arabic,
// Syriac, Thaana, NKo and their supplements and presentation forms (U+0590–U+08FF,
// U+FB1D–U+FDFF, U+FE70–U+FEFF, U+10800–U+10FFF, U+1E800–U+1EFFF).
inline bool has_rtl_characters(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c0 = static_cast<unsigned char>(text[i]);
        if (c0 < 0xD6) continue;  // below U+0580 (or a continuation byte)
        const std::size_t n = c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
        if (i + n > text.size()) break;
        char32_t cp = n == 2 ? c0 & 0x1F : n == 3 ? c0 & 0x0F : c0 & 0x07;
        for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF) ||
            (cp >= 0x10800 && cp <= 0x10FFF) || (cp >= 0x1E800 && cp <= 0x1EFFF))
            return true;
        i += n - 1;
    }
    return false;
}

}  // namespace folio::doc
