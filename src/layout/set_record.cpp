// The record's bytes: little-endian fixed-width numbers, strings as a length and
// their bytes, lists as a count and their items. The structure elements the lines
// point to (a span in another language, a word read as a whole) come first, each
// with the index of its parent among those before it, so that lines sharing an
// element share it again when read.
#include "layout/set_record.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>

namespace folio::layout {

namespace {

static_assert(std::endian::native == std::endian::little, "records are written as the machine holds numbers");
// Every field of what a line holds is written below: a field added to one of these
// must be written and read too (and the sizes here updated), or a recalled line
// would lack it.
static_assert(sizeof(Line) == 144 && sizeof(GlyphRun) == 120 && sizeof(Rule) == 32 && sizeof(LinkArea) == 112 &&
                  sizeof(PlacedImage) == 160 && sizeof(Element) == 208,
              "a line's fields changed: write and read them in the record (and bump the cache's format)");

class Writer {
public:
    std::string out;

    template <class T>
    void number(T v) {
        static_assert(std::is_trivially_copyable_v<T>);
        out.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void text(std::string_view s) {
        number(static_cast<std::uint32_t>(s.size()));
        out.append(s);
    }
    void where(const SourceLocation& w) {
        text(w.file);
        number(static_cast<std::int32_t>(w.line));
        number(static_cast<std::int32_t>(w.column));
    }
};

class Reader {
public:
    explicit Reader(std::string_view in) : m_in(in) {}
    bool ok() const { return m_ok; }
    bool done() const { return m_ok && m_at == m_in.size(); }

    template <class T>
    T number() {
        T v{};
        if (!take(sizeof v)) return v;
        std::memcpy(&v, m_in.data() + m_at - sizeof v, sizeof v);
        return v;
    }
    // A count of items of at least `least` bytes each: never more than the bytes left
    // could hold, so that a wrong count cannot make a huge allocation.
    std::size_t count(std::size_t least) {
        const auto n = number<std::uint32_t>();
        if (n > (m_in.size() - m_at) / least) m_ok = false;
        return m_ok ? n : 0;
    }
    std::string text() {
        const std::size_t n = count(1);
        if (!take(n)) return {};
        return std::string(m_in.substr(m_at - n, n));
    }
    SourceLocation where() {
        SourceLocation w;
        w.file = text();
        w.line = number<std::int32_t>();
        w.column = number<std::int32_t>();
        return w;
    }
    void fail() { m_ok = false; }
    std::string_view bytes(std::size_t n) {
        if (!take(n)) return {};
        return m_in.substr(m_at - n, n);
    }

private:
    bool take(std::size_t n) {
        if (!m_ok || n > m_in.size() - m_at) {
            m_ok = false;
            return false;
        }
        m_at += n;
        return true;
    }
    std::string_view m_in;
    std::size_t m_at = 0;
    bool m_ok = true;
};

// The elements the lines point to, numbered parents first.
class ElementTable {
public:
    std::int32_t index(const ElementRef& e) {
        if (!e) return -1;
        if (const auto it = m_index.find(e.get()); it != m_index.end()) return it->second;
        const std::int32_t parent = index(e->parent);
        const auto i = static_cast<std::int32_t>(m_order.size());
        m_order.push_back({e.get(), parent});
        m_index.emplace(e.get(), i);
        return i;
    }
    void write(Writer& w) const {
        w.number(static_cast<std::uint32_t>(m_order.size()));
        for (const auto& [e, parent] : m_order) {
            w.text(e->type);
            w.number(parent);
            w.text(e->lang);
            w.text(e->alt);
            w.text(e->scope);
            w.text(e->id);
            w.text(e->actual_text);
        }
    }

private:
    std::map<const Element*, std::int32_t> m_index;
    std::vector<std::pair<const Element*, std::int32_t>> m_order;
};

}  // namespace

std::optional<std::string> write_record(const SetRecord& record, std::span<const std::string* const> sources) {
    ElementTable elements;
    Writer body;
    std::size_t size = 64;
    for (const Line& l : record.lines) {
        size += 96;
        for (const GlyphRun& r : l.runs) size += 64 + r.text.size() + r.glyphs.size() * sizeof(PlacedGlyph);
    }
    body.out.reserve(size);
    body.number(static_cast<std::int64_t>(record.words));
    body.number(static_cast<std::uint32_t>(record.warnings.size()));
    for (const GivenWarning& g : record.warnings) {
        body.text(g.key);
        body.text(g.message);
        body.text(g.hint);
    }
    body.number(static_cast<std::uint32_t>(record.lines.size()));
    for (const Line& l : record.lines) {
        body.number(static_cast<std::uint32_t>(l.runs.size()));
        for (const GlyphRun& r : l.runs) {
            body.number(static_cast<std::int32_t>(r.font));
            body.number(r.size);
            body.number(r.x);
            body.number(r.y);
            body.number(r.hscale);
            body.number(elements.index(r.element));
            body.number(static_cast<std::uint8_t>(r.artifact));
            body.text(r.text);
            body.number(static_cast<std::uint32_t>(r.glyphs.size()));
            if (!r.glyphs.empty())
                body.out.append(reinterpret_cast<const char*>(r.glyphs.data()), r.glyphs.size() * sizeof(PlacedGlyph));
        }
        body.number(static_cast<std::uint32_t>(l.rules.size()));
        for (const Rule& r : l.rules) {
            body.number(r.x);
            body.number(r.y);
            body.number(r.width);
            body.number(r.thickness);
        }
        body.number(static_cast<std::uint32_t>(l.links.size()));
        for (const LinkArea& a : l.links) {
            body.number(a.x);
            body.number(a.y);
            body.number(a.width);
            body.number(a.height);
            body.text(a.uri);
            body.text(a.destination);
            body.number(elements.index(a.element));
        }
        body.number(static_cast<std::uint32_t>(l.images.size()));
        for (const PlacedImage& im : l.images) {
            body.text(im.resource);
            body.number(im.x);
            body.number(im.y);
            body.number(im.width);
            body.number(im.height);
            body.number(im.ppi);
            body.where(im.where);
            body.text(im.alt);
            body.number(elements.index(im.element));
        }
        body.number(l.height);
        body.number(l.width);
        body.number(l.ratio);
        body.number(static_cast<std::uint8_t>(l.hyphenated | l.hyphen_added << 1 | l.overfull << 2));
        std::int32_t source = -1;
        if (l.first_word.text) {
            const auto it = std::find(sources.begin(), sources.end(), l.first_word.text);
            if (it == sources.end()) return std::nullopt;
            source = static_cast<std::int32_t>(it - sources.begin());
        }
        body.number(source);
        body.number(l.first_word.offset);
    }
    Writer head;
    elements.write(head);
    head.out += body.out;
    return std::move(head.out);
}

std::optional<SetRecord> read_record(std::string_view bytes, const RecordBounds& bounds) {
    Reader in(bytes);
    std::vector<ElementRef> elements(in.count(7 * 4));
    for (std::size_t i = 0; i < elements.size() && in.ok(); ++i) {
        auto e = std::make_shared<Element>();
        e->type = in.text();
        const auto parent = in.number<std::int32_t>();
        if (parent >= static_cast<std::int32_t>(i) || parent < -1) return std::nullopt;
        if (parent >= 0) e->parent = elements[static_cast<std::size_t>(parent)];
        e->lang = in.text();
        e->alt = in.text();
        e->scope = in.text();
        e->id = in.text();
        e->actual_text = in.text();
        elements[i] = std::move(e);
    }
    bool bad = false;
    const auto element = [&](std::int32_t i) -> ElementRef {
        if (i == -1) return nullptr;
        if (i < 0 || static_cast<std::size_t>(i) >= elements.size()) {
            bad = true;
            return nullptr;
        }
        return elements[static_cast<std::size_t>(i)];
    };
    SetRecord record;
    record.words = in.number<std::int64_t>();
    record.warnings.resize(in.count(3 * 4));
    for (GivenWarning& g : record.warnings) {
        g.key = in.text();
        g.message = in.text();
        g.hint = in.text();
    }
    record.lines.resize(in.count(4 * 4));
    for (Line& l : record.lines) {
        l.runs.resize(in.count(4 + 5 * 8));
        for (GlyphRun& r : l.runs) {
            r.font = in.number<std::int32_t>();
            r.size = in.number<double>();
            r.x = in.number<double>();
            r.y = in.number<double>();
            r.hscale = in.number<double>();
            r.element = element(in.number<std::int32_t>());
            r.artifact = in.number<std::uint8_t>() != 0;
            r.text = in.text();
            const std::size_t n = in.count(sizeof(PlacedGlyph));
            const std::string_view glyphs = in.bytes(n * sizeof(PlacedGlyph));
            if (!in.ok()) return std::nullopt;
            r.glyphs.resize(n);
            if (n > 0) std::memcpy(r.glyphs.data(), glyphs.data(), glyphs.size());  // (no glyphs: no pointer)
            // Every glyph is its font's, and the text the glyphs stand for is there.
            if (r.font < 0 || static_cast<std::size_t>(r.font) >= bounds.fonts->size()) return std::nullopt;
            const std::size_t glyph_count = (*bounds.fonts)[r.font].glyph_count();
            std::size_t text = 0;
            for (const PlacedGlyph& g : r.glyphs) {
                if (g.gid >= glyph_count) return std::nullopt;
                text += g.text_length;
            }
            if (text > r.text.size()) return std::nullopt;
        }
        l.rules.resize(in.count(4 * 8));
        for (Rule& r : l.rules) {
            r.x = in.number<double>();
            r.y = in.number<double>();
            r.width = in.number<double>();
            r.thickness = in.number<double>();
        }
        l.links.resize(in.count(4 * 8 + 3 * 4));
        for (LinkArea& a : l.links) {
            a.x = in.number<double>();
            a.y = in.number<double>();
            a.width = in.number<double>();
            a.height = in.number<double>();
            a.uri = in.text();
            a.destination = in.text();
            a.element = element(in.number<std::int32_t>());
        }
        l.images.resize(in.count(5 * 8 + 6 * 4));
        for (PlacedImage& im : l.images) {
            im.resource = in.text();
            im.x = in.number<double>();
            im.y = in.number<double>();
            im.width = in.number<double>();
            im.height = in.number<double>();
            im.ppi = in.number<double>();
            im.where = in.where();
            im.alt = in.text();
            im.element = element(in.number<std::int32_t>());
            if (std::find(bounds.pictures.begin(), bounds.pictures.end(), im.resource) == bounds.pictures.end())
                return std::nullopt;
        }
        l.height = in.number<double>();
        l.width = in.number<double>();
        l.ratio = in.number<double>();
        const auto flags = in.number<std::uint8_t>();
        l.hyphenated = flags & 1;
        l.hyphen_added = flags & 2;
        l.overfull = flags & 4;
        const auto source = in.number<std::int32_t>();
        const auto offset = in.number<std::uint32_t>();
        if (source >= 0) {
            if (static_cast<std::size_t>(source) >= bounds.sources.size()) return std::nullopt;
            const std::string* text = bounds.sources[static_cast<std::size_t>(source)];
            if (!text || offset > text->size()) return std::nullopt;
            l.first_word = {text, offset};
        } else if (source != -1) {
            return std::nullopt;
        }
        if (!in.ok()) return std::nullopt;
    }
    if (bad || !in.done()) return std::nullopt;
    return record;
}

}  // namespace folio::layout
