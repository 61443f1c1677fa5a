// Fonts are files that the style names (no guessing, no fontconfig). HarfBuzz opens
// them, shapes text with them (kerning, ligatures) and gives their metrics.
#pragma once

#include "core/error.hpp"

#include <hb.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace folio::layout {

using FontId = int;

// One font file, open for shaping. Owns its HarfBuzz blob, face and font.
// A font in a collection (.ttc, .otc) is named "file.ttc#N", N its face index
// (0 when the path names the collection alone).
class Font {
public:
    explicit Font(const std::string& path);  // throws folio::Error naming the file
    Font(const Font&) = delete;
    Font& operator=(const Font&) = delete;
    ~Font();

    const std::string& path() const { return m_path; }
    const std::string& postscript_name() const { return m_name; }
    hb_font_t* hb() const { return m_font; }
    hb_face_t* face() const { return m_face; }
    // A number no other font of this process has had, even at the same address.
    std::uint64_t serial() const { return m_serial; }
    unsigned units_per_em() const { return m_upem; }
    // In font units.
    int ascender() const { return m_ascender; }
    int descender() const { return m_descender; }  // negative
    int cap_height() const { return m_cap_height; }
    int x_height() const { return m_x_height; }
    int italic_angle() const { return m_italic_angle; }
    bool has_glyph(char32_t c) const;
    std::uint32_t glyph(char32_t c) const;  // 0 (.notdef) when missing
    int advance(std::uint32_t gid) const;   // font units
    // The glyph's ink from its baseline, font units, up positive: {top, bottom}.
    std::pair<int, int> ink(std::uint32_t gid) const;
    // The white beside the glyph's ink within its advance, font units: {left, right}
    // ({0, 0} for a blank glyph).
    std::pair<int, int> side_bearings(std::uint32_t gid) const;
    std::size_t glyph_count() const { return m_advances.size(); }

private:
    // The glyph of each character the typesetter asks about most (Latin, Greek,
    // Cyrillic, Hebrew, Arabic, general punctuation), read once: every character of
    // a book is looked up to choose its font. 0 where the font has none.
    static constexpr char32_t kLow = 0x800, kPunctuation = 0x2000, kPunctuationEnd = 0x2070;
    std::vector<std::uint16_t> m_nominal;  // [0, kLow) then [kPunctuation, kPunctuationEnd)
    const std::uint16_t* nominal(char32_t c) const {
        if (c < kLow) return &m_nominal[c];
        if (c >= kPunctuation && c < kPunctuationEnd) return &m_nominal[kLow + (c - kPunctuation)];
        return nullptr;
    }

    static inline std::atomic<std::uint64_t> s_fonts{0};
    const std::uint64_t m_serial = ++s_fonts;
    std::string m_path, m_name;
    hb_blob_t* m_blob = nullptr;
    hb_face_t* m_face = nullptr;
    hb_font_t* m_font = nullptr;
    unsigned m_upem = 1000;
    std::vector<hb_position_t> m_advances;  // by glyph id, in font units
    int m_ascender = 800, m_descender = -200, m_cap_height = 700, m_x_height = 500, m_italic_angle = 0;
};

// "file.ttc#2" -> {"file.ttc", 2}; a path without '#' and a face index: {path, 0}.
std::pair<std::string, unsigned> font_file_and_face(const std::string& path);

// Every font a book uses, by id; ids are stable for the life of the set. Fonts are
// added before the set is shared between threads; a font added with add_lazy is
// opened the first time someone asks for it (from any thread), so that a long
// fallback list costs nothing until a character needs it.
class FontSet {
public:
    FontSet() = default;
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    FontId add(const std::string& path);       // loads a file once; returns its id; throws
    // Its id; the file is read on first use. An error then is located at `where`
    // (where the style names the font), when given.
    FontId add_lazy(const std::string& path, std::optional<SourceLocation> where = std::nullopt);
    // Throws folio::Error when a lazily added font cannot be read.
    const Font& operator[](FontId id) const;
    const std::string& path(FontId id) const { return m_slots.at(static_cast<std::size_t>(id))->path; }
    bool loaded(FontId id) const { return m_slots.at(static_cast<std::size_t>(id))->font.load() != nullptr; }
    std::size_t size() const { return m_slots.size(); }

private:
    struct Slot {
        std::string path;
        std::optional<SourceLocation> where;
        std::atomic<const Font*> font{nullptr};  // set once, then never changed
        std::unique_ptr<Font> owned;
        std::mutex loading;
    };
    std::vector<std::unique_ptr<Slot>> m_slots;
};

struct ShapedGlyph {
    std::uint32_t gid;
    std::uint32_t cluster;  // byte offset of the glyph's cluster in the shaped text
    int x_advance;          // font units
    int x_offset, y_offset;

    friend bool operator==(const ShapedGlyph&, const ShapedGlyph&) = default;
};

// Shapes `text` (UTF-8) with the font's kerning and standard ligatures, for
// `language` (BCP 47; selects localized forms such as Serbian's), the script
// guessed from the text. Left to right, or right to left (Hebrew, Arabic: a run at
// an odd bidi level), when the glyphs come in visual order, left to right, with
// clusters descending.
std::vector<ShapedGlyph> shape(const Font& font, std::string_view text, std::string_view language,
                               bool right_to_left = false);

}  // namespace folio::layout
