#include "layout/fonts.hpp"

#include "core/error.hpp"

#include <hb-ot.h>

#include <array>

namespace folio::layout {

std::pair<std::string, unsigned> font_file_and_face(const std::string& path) {
    const std::size_t hash = path.rfind('#');
    if (hash == std::string::npos || hash + 1 == path.size() ||
        path.find_first_not_of("0123456789", hash + 1) != std::string::npos)
        return {path, 0};
    return {path.substr(0, hash), static_cast<unsigned>(std::stoul(path.substr(hash + 1)))};
}

Font::Font(const std::string& path) : m_path(path) {
    const auto [file, index] = font_file_and_face(path);
    m_blob = hb_blob_create_from_file_or_fail(file.c_str());
    if (!m_blob) throw Error("cannot read font file", {file}, "install the font, or name another file in the style");
    if (const unsigned faces = hb_face_count(m_blob); index > 0 && index >= faces) {
        hb_blob_destroy(m_blob);
        throw Error("the font collection has no face " + std::to_string(index) + " (it has " + std::to_string(faces) + ")",
                    {file}, "name a face from 0 up: file.ttc#0");
    }
    m_face = hb_face_create(m_blob, index);
    if (hb_face_get_glyph_count(m_face) == 0) {
        hb_face_destroy(m_face);
        hb_blob_destroy(m_blob);
        throw Error("not a font file (no glyphs)", {path}, "name a TrueType or OpenType font in the style");
    }
    m_font = hb_font_create(m_face);
    m_upem = hb_face_get_upem(m_face);
    hb_font_set_scale(m_font, static_cast<int>(m_upem), static_cast<int>(m_upem));
    // Every advance read once: the typesetter and the PDF writer ask for them by the million.
    m_advances.resize(hb_face_get_glyph_count(m_face));
    std::vector<hb_codepoint_t> gids(m_advances.size());
    for (std::size_t g = 0; g < gids.size(); ++g) gids[g] = static_cast<hb_codepoint_t>(g);
    hb_font_get_glyph_h_advances(m_font, static_cast<unsigned>(gids.size()), gids.data(), sizeof(hb_codepoint_t),
                                 m_advances.data(), sizeof(hb_position_t));
    m_nominal.resize(kLow + (kPunctuationEnd - kPunctuation));
    auto read_nominal = [&](char32_t from, char32_t to, std::uint16_t* into) {
        for (char32_t c = from; c < to; ++c) {
            hb_codepoint_t g = 0;
            into[c - from] = hb_font_get_nominal_glyph(m_font, c, &g) && g <= 0xFFFF ? static_cast<std::uint16_t>(g) : 0;
        }
    };
    read_nominal(0, kLow, m_nominal.data());
    read_nominal(kPunctuation, kPunctuationEnd, m_nominal.data() + kLow);
    hb_font_extents_t ext;
    if (hb_font_get_h_extents(m_font, &ext)) {
        m_ascender = ext.ascender;
        m_descender = ext.descender;
    }
    hb_position_t v;
    if (hb_ot_metrics_get_position(m_font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v)) m_cap_height = v;
    if (hb_ot_metrics_get_position(m_font, HB_OT_METRICS_TAG_X_HEIGHT, &v)) m_x_height = v;
    // The PostScript name, for the PDF's BaseFont.
    unsigned len = 128;
    char buf[128];
    if (hb_ot_name_get_utf8(m_face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, buf) > 0)
        m_name.assign(buf, len);
    if (m_name.empty()) m_name = "Font";
    for (char& c : m_name)
        if (c == ' ' || c == '/' || c == '(' || c == ')' || c == '[' || c == ']' || c == '<' || c == '>' || c == '%')
            c = '-';
}

Font::~Font() {
    hb_font_destroy(m_font);
    hb_face_destroy(m_face);
    hb_blob_destroy(m_blob);
}

bool Font::has_glyph(char32_t c) const {
    if (const std::uint16_t* g = nominal(c)) return *g != 0;
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(m_font, c, &g) != 0;
}

std::uint32_t Font::glyph(char32_t c) const {
    if (const std::uint16_t* g = nominal(c)) return *g;
    hb_codepoint_t g = 0;
    return hb_font_get_nominal_glyph(m_font, c, &g) ? g : 0;
}

int Font::advance(std::uint32_t gid) const { return gid < m_advances.size() ? m_advances[gid] : 0; }

std::pair<int, int> Font::ink(std::uint32_t gid) const {
    hb_glyph_extents_t e{};
    if (!hb_font_get_glyph_extents(m_font, gid, &e)) return {0, 0};
    return {e.y_bearing, e.y_bearing + e.height};  // HarfBuzz's height runs downward (negative)
}

std::pair<int, int> Font::side_bearings(std::uint32_t gid) const {
    hb_glyph_extents_t e{};
    if (!hb_font_get_glyph_extents(m_font, gid, &e) || e.width <= 0) return {0, 0};
    return {e.x_bearing, advance(gid) - e.x_bearing - e.width};
}

FontId FontSet::add(const std::string& path) {
    const FontId id = add_lazy(path);
    (*this)[id];  // read now: an error names the file while the style is being read
    return id;
}

FontId FontSet::add_lazy(const std::string& path, std::optional<SourceLocation> where) {
    for (std::size_t i = 0; i < m_slots.size(); ++i)
        if (m_slots[i]->path == path) return static_cast<FontId>(i);
    m_slots.push_back(std::make_unique<Slot>());
    m_slots.back()->path = path;
    m_slots.back()->where = std::move(where);
    return static_cast<FontId>(m_slots.size() - 1);
}

const Font& FontSet::operator[](FontId id) const {
    Slot& slot = *m_slots[static_cast<std::size_t>(id)];  // ids come from add: asked per character
    if (const Font* f = slot.font.load(std::memory_order_acquire)) return *f;
    std::lock_guard lock(slot.loading);
    if (!slot.owned) {
        try {
            slot.owned = std::make_unique<Font>(slot.path);
        } catch (const Error& e) {  // tried again next time
            if (!slot.where) throw;
            throw Error("font '" + slot.path + "': " + e.message(), *slot.where, e.hint());
        }
    }
    slot.font.store(slot.owned.get(), std::memory_order_release);
    return *slot.owned;
}

namespace {

// HarfBuzz's plan for a face and a run's properties (direction, script, language):
// hb_shape() finds it on every call, keying it first (which searches the font's
// feature variations) and then walking the face's list of plans; a word is shaped
// in a microsecond or two, and that search was a tenth of it. Each thread keeps the
// few plans its words use, by the font's serial number (never reused, unlike its
// address), each holding a reference that keeps it alive after the font closes.
class PlansOfThisThread {
public:
    PlansOfThisThread() = default;
    PlansOfThisThread(const PlansOfThisThread&) = delete;
    PlansOfThisThread& operator=(const PlansOfThisThread&) = delete;
    ~PlansOfThisThread() {
        for (Kept& k : m_kept)
            if (k.plan) hb_shape_plan_destroy(k.plan);
    }

    hb_shape_plan_t* plan(std::uint64_t serial, hb_face_t* face, const hb_segment_properties_t& props) {
        for (Kept& k : m_kept)
            if (k.plan && k.serial == serial && hb_segment_properties_equal(&k.props, &props)) return k.plan;
        Kept& k = m_kept[m_next++ % m_kept.size()];  // round: the oldest goes
        if (k.plan) hb_shape_plan_destroy(k.plan);
        k = {serial, props, hb_shape_plan_create_cached(face, &props, nullptr, 0, nullptr)};
        return k.plan;
    }

private:
    struct Kept {
        std::uint64_t serial = 0;
        hb_segment_properties_t props{};
        hb_shape_plan_t* plan = nullptr;
    };
    std::array<Kept, 16> m_kept{};
    std::size_t m_next = 0;
};

}  // namespace

std::vector<ShapedGlyph> shape(const Font& font, std::string_view text, std::string_view language, bool right_to_left) {
    // One buffer per thread, reused: words are shaped one at a time, by the million.
    struct Buffer {
        hb_buffer_t* b = hb_buffer_create();
        ~Buffer() { hb_buffer_destroy(b); }
    };
    thread_local Buffer buffer;
    thread_local PlansOfThisThread plans;
    hb_buffer_t* buf = buffer.b;
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf8(buf, text.data(), static_cast<int>(text.size()), 0, static_cast<int>(text.size()));
    hb_buffer_set_direction(buf, right_to_left ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    if (!language.empty())
        hb_buffer_set_language(buf, hb_language_from_string(language.data(), static_cast<int>(language.size())));
    hb_buffer_guess_segment_properties(buf);
    hb_segment_properties_t props;
    hb_buffer_get_segment_properties(buf, &props);
    hb_shape_plan_execute(plans.plan(font.serial(), font.face(), props), font.hb(), buf, nullptr, 0);
    unsigned n = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
    std::vector<ShapedGlyph> out;
    out.reserve(n);
    for (unsigned i = 0; i < n; ++i)
        out.push_back({info[i].codepoint, info[i].cluster, pos[i].x_advance, pos[i].x_offset, pos[i].y_offset});
    return out;
}

}  // namespace folio::layout
