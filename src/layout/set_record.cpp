// The record's bytes: little-endian fixed-width numbers, strings as a length and
// their bytes, lists as a count and their items. The structure elements the lines
// point to (a span in another language, a word read as a whole) come first, each
// with the index of its parent among those before it, so that lines sharing an
// element share it again when read. (An article's record holds them last, after
// where they begin: its body, a hundred kilobytes, is then written once.)
#include "layout/set_record.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <map>
#include <unordered_map>

namespace folio::layout {

namespace {

static_assert(std::endian::native == std::endian::little, "records are written as the machine holds numbers");
// Every field of what a line holds is written below: a field added to one of these
// must be written and read too (and the sizes here updated), or a recalled line
// would lack it.
static_assert(
    sizeof(FlowItem) == 232 && sizeof(PageStart) == 72 && sizeof(PictureRow) == 48 && sizeof(TurnedPages) == 24 &&
        sizeof(Footnote) == 56 && sizeof(doc::Census) == 72,
    "a flow item's fields changed: write and read them in the article's record (and bump the cache's format)");
static_assert(sizeof(Line) == 144 && sizeof(GlyphRun) == 96 && sizeof(Rule) == 32 && sizeof(LinkArea) == 112 &&
                  sizeof(PlacedImage) == 160 && sizeof(Element) == 64,
              "a line's fields changed: write and read them in the record (and bump the cache's format)");

// Numbers are copied in at a cursor, the buffer grown by doubling and cut to what
// was written at the end: an article's record is some hundred thousand small numbers,
// and std::string::append checked and grew at each (half the time of writing it).
class Writer {
public:
    explicit Writer(std::size_t expected = 256) : m_out(expected, '\0') {}

    template <class T>
    void number(T v) {
        static_assert(std::is_trivially_copyable_v<T>);
        std::memcpy(room(sizeof v), &v, sizeof v);
    }
    void bytes(const void* data, std::size_t n) {
        if (n > 0) std::memcpy(room(n), data, n);
    }
    void text(std::string_view s) {
        number(static_cast<std::uint32_t>(s.size()));
        bytes(s.data(), s.size());
    }
    void where(const SourceLocation& w) {
        text(w.file);
        number(static_cast<std::int32_t>(w.line));
        number(static_cast<std::int32_t>(w.column));
    }
    // Zeros up to a multiple of `a` bytes from the start: glyphs are written so
    // aligned, to be read back as views of the record (GlyphArray).
    void align(std::size_t a) {
        const std::size_t pad = (a - m_at % a) % a;
        if (pad > 0) std::memset(room(pad), 0, pad);
    }
    std::size_t size() const { return m_at; }
    // Overwrites what was written at `at` (a size reserved before it was known).
    template <class T>
    void number_at(std::size_t at, T v) {
        std::memcpy(m_out.data() + at, &v, sizeof v);
    }
    std::string finish() && {
        m_out.resize(m_at);
        return std::move(m_out);
    }

private:
    char* room(std::size_t n) {
        if (n > m_out.size() - m_at) m_out.resize(std::max(2 * m_out.size(), m_at + n));
        char* at = m_out.data() + m_at;
        m_at += n;
        return at;
    }
    std::string m_out;
    std::size_t m_at = 0;
};

class Reader {
public:
    // `base`: where `in` begins in the record, which the writer aligned from its
    // start. `lasting`: the bytes outlive what is read from them (a mapped cache's
    // record, kept mapped by the pages), so glyphs may be read as views of them.
    explicit Reader(std::string_view in, std::size_t base = 0, bool lasting = false)
        : m_in(in), m_base(base), m_lasting(lasting) {}
    bool ok() const { return m_ok; }
    bool lasting() const { return m_lasting; }
    // Past the writer's zeros to a multiple of `a` bytes from the record's start.
    void align(std::size_t a) { take((a - (m_base + m_at) % a) % a); }
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
    std::string text() { return std::string(view()); }
    // A text as a view of the bytes read.
    std::string_view view() {
        const std::size_t n = count(1);
        if (!take(n)) return {};
        return m_in.substr(m_at - n, n);
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
    std::size_t m_base;
    bool m_lasting;
    std::size_t m_at = 0;
    bool m_ok = true;
};

// The elements the lines point to, numbered parents first. An element of `outer`
// (the document's root, a chapter's Part: made by whoever sets around the record)
// is not written but named by its place among them, -2 - k, for the reader to
// give its own in that place.
class ElementTable {
public:
    explicit ElementTable(std::span<const ElementRef> outer = {}) : m_outer(outer) {}

    std::int32_t index(const ElementRef& e) {
        if (!e) return -1;
        if (e.get() == m_last) return m_last_index;  // a line's runs share their element, mostly
        const std::int32_t i = find_or_add(e);
        m_last = e.get();
        m_last_index = i;
        return i;
    }
    std::int32_t find_or_add(const ElementRef& e) {
        if (!e) return -1;
        for (std::size_t k = 0; k < m_outer.size(); ++k)
            if (m_outer[k] && m_outer[k].get() == e.get()) return -2 - static_cast<std::int32_t>(k);
        if (const auto it = m_index.find(e.get()); it != m_index.end()) return it->second;
        const std::int32_t parent = find_or_add(e->parent);
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
    std::span<const ElementRef> m_outer;
    const Element* m_last = nullptr;
    std::int32_t m_last_index = -1;
    std::unordered_map<const Element*, std::int32_t> m_index;
    std::vector<std::pair<const Element*, std::int32_t>> m_order;
};

// The elements as the table wrote them, each parent given (`outer`'s in their places).
std::optional<std::vector<ElementRef>> read_elements(Reader& in, std::span<const ElementRef> outer) {
    std::vector<ElementRef> elements(in.count(7 * 4));
    for (std::size_t i = 0; i < elements.size() && in.ok(); ++i) {
        auto e = std::make_shared<Element>();
        e->type = in.view();
        const auto parent = in.number<std::int32_t>();
        if (parent >= static_cast<std::int32_t>(i)) return std::nullopt;
        if (parent >= 0) {
            e->parent = elements[static_cast<std::size_t>(parent)];
        } else if (parent < -1) {
            const auto k = static_cast<std::size_t>(-2 - static_cast<std::int64_t>(parent));
            if (k >= outer.size()) return std::nullopt;
            e->parent = outer[k];
        }
        e->lang = in.view();
        e->alt = in.text();
        e->scope = in.view();
        e->id = in.text();
        e->actual_text = in.text();
        elements[i] = std::move(e);
    }
    if (!in.ok()) return std::nullopt;
    return elements;
}

// An element index read back: -1 none, -2 - k outer's k, else one of `elements`.
class ElementsRead {
public:
    ElementsRead(const std::vector<ElementRef>& elements, std::span<const ElementRef> outer)
        : m_elements(elements), m_outer(outer) {}
    bool bad = false;
    ElementRef operator()(std::int32_t i) {
        if (i == -1) return nullptr;
        if (i < -1) {
            const auto k = static_cast<std::size_t>(-2 - static_cast<std::int64_t>(i));
            if (k < m_outer.size()) return m_outer[k];
        } else if (static_cast<std::size_t>(i) < m_elements.size()) {
            return m_elements[static_cast<std::size_t>(i)];
        }
        bad = true;
        return nullptr;
    }

private:
    const std::vector<ElementRef>& m_elements;
    std::span<const ElementRef> m_outer;
};

void write_links(Writer& body, ElementTable& elements, const std::vector<LinkArea>& links) {
    body.number(static_cast<std::uint32_t>(links.size()));
    for (const LinkArea& a : links) {
        body.number(a.x);
        body.number(a.y);
        body.number(a.width);
        body.number(a.height);
        body.text(a.uri);
        body.text(a.destination);
        body.number(elements.index(a.element));
    }
}

void write_images(Writer& body, ElementTable& elements, const std::vector<PlacedImage>& images) {
    body.number(static_cast<std::uint32_t>(images.size()));
    for (const PlacedImage& im : images) {
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
}

// Where each text is among a record's sources: a paragraph's few by looking, an
// article's hundreds by a table.
class SourceIndex {
public:
    explicit SourceIndex(std::span<const std::string* const> sources) : m_sources(sources) {
        if (sources.size() <= 16) return;
        m_index.reserve(sources.size());
        for (std::size_t i = 0; i < sources.size(); ++i) m_index.emplace(sources[i], static_cast<std::int32_t>(i));
    }
    // -1 when it is none of them.
    std::int32_t of(const std::string* text) const {
        if (!m_index.empty()) {
            const auto it = m_index.find(text);
            return it == m_index.end() ? -1 : it->second;
        }
        const auto it = std::find(m_sources.begin(), m_sources.end(), text);
        return it == m_sources.end() ? -1 : static_cast<std::int32_t>(it - m_sources.begin());
    }

private:
    std::span<const std::string* const> m_sources;
    std::unordered_map<const std::string*, std::int32_t> m_index;  // the first place of each
};

// A line's fields. Its first word is written as an index into `sources` (-1: none);
// `unknown_source`: a text not among them is written as none instead of failing.
bool write_line(Writer& body, ElementTable& elements, const Line& l, const SourceIndex& sources,
                bool unknown_source = false) {
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
        body.align(alignof(PlacedGlyph));
        if (!r.glyphs.empty()) body.bytes(r.glyphs.data(), r.glyphs.size() * sizeof(PlacedGlyph));
    }
    body.number(static_cast<std::uint32_t>(l.rules.size()));
    for (const Rule& r : l.rules) {
        body.number(r.x);
        body.number(r.y);
        body.number(r.width);
        body.number(r.thickness);
    }
    write_links(body, elements, l.links);
    write_images(body, elements, l.images);
    body.number(l.height);
    body.number(l.width);
    body.number(l.ratio);
    body.number(static_cast<std::uint8_t>(l.hyphenated | l.hyphen_added << 1 | l.overfull << 2));
    std::int32_t source = -1;
    if (l.first_word.text) {
        source = sources.of(l.first_word.text);
        if (source == -1 && !unknown_source) return false;
    }
    body.number(source);
    body.number(source == -1 && unknown_source ? 0u : l.first_word.offset);
    return true;
}

bool read_links(Reader& in, ElementsRead& element, std::vector<LinkArea>& links) {
    links.resize(in.count(4 * 8 + 3 * 4));
    for (LinkArea& a : links) {
        a.x = in.number<double>();
        a.y = in.number<double>();
        a.width = in.number<double>();
        a.height = in.number<double>();
        a.uri = in.text();
        a.destination = in.text();
        a.element = element(in.number<std::int32_t>());
    }
    return in.ok();
}

bool read_images(Reader& in, ElementsRead& element, std::vector<PlacedImage>& images,
                 const std::function<bool(const std::string&)>& shown) {
    images.resize(in.count(5 * 8 + 6 * 4));
    for (PlacedImage& im : images) {
        im.resource = in.text();
        im.x = in.number<double>();
        im.y = in.number<double>();
        im.width = in.number<double>();
        im.height = in.number<double>();
        im.ppi = in.number<double>();
        im.where = in.where();
        im.alt = in.text();
        im.element = element(in.number<std::int32_t>());
        if (!shown(im.resource)) return false;
    }
    return in.ok();
}

// A line as write_line wrote it, within the bounds.
bool read_line(Reader& in, ElementsRead& element, Line& l, std::span<const std::string* const> sources,
               const FontSet& fonts, const std::function<bool(const std::string&)>& shown) {
    l.runs.resize(in.count(4 + 5 * 8));
    for (GlyphRun& r : l.runs) {
        r.font = in.number<std::int32_t>();
        r.size = in.number<double>();
        r.x = in.number<double>();
        r.y = in.number<double>();
        r.hscale = in.number<double>();
        r.element = element(in.number<std::int32_t>());
        r.artifact = in.number<std::uint8_t>() != 0;
        // Its text and glyphs: views where the record stays (see Reader::lasting), else copies.
        const std::string_view chars = in.view();
        r.text = in.lasting() ? RunText::view_of(chars) : RunText(chars);
        const std::size_t n = in.count(sizeof(PlacedGlyph));
        in.align(alignof(PlacedGlyph));
        const std::string_view glyphs = in.bytes(n * sizeof(PlacedGlyph));
        if (!in.ok()) return false;
        // The glyphs aligned besides (the cache's files place every record so).
        if (in.lasting() && n > 0 && reinterpret_cast<std::uintptr_t>(glyphs.data()) % alignof(PlacedGlyph) == 0)
            r.glyphs = GlyphArray::view_of(reinterpret_cast<const PlacedGlyph*>(glyphs.data()), n);
        else
            r.glyphs.assign_bytes(glyphs.data(), n);
        // Every glyph is its font's, and the text the glyphs stand for is there.
        if (r.font < 0 || static_cast<std::size_t>(r.font) >= fonts.size()) return false;
        const std::size_t glyph_count = fonts[r.font].glyph_count();
        std::size_t text = 0;
        for (const PlacedGlyph& g : std::as_const(r.glyphs)) {  // const: a view stays one
            if (g.gid >= glyph_count) return false;
            text += g.text_length;
        }
        if (text > r.text.size()) return false;
    }
    l.rules.resize(in.count(4 * 8));
    for (Rule& r : l.rules) {
        r.x = in.number<double>();
        r.y = in.number<double>();
        r.width = in.number<double>();
        r.thickness = in.number<double>();
    }
    if (!read_links(in, element, l.links) || !read_images(in, element, l.images, shown)) return false;
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
        if (static_cast<std::size_t>(source) >= sources.size()) return false;
        const std::string* text = sources[static_cast<std::size_t>(source)];
        if (!text || offset > text->size()) return false;
        l.first_word = {text, offset};
    } else if (source != -1) {
        return false;
    }
    return in.ok();
}

}  // namespace

std::optional<std::string> write_record(const SetRecord& record, std::span<const std::string* const> sources) {
    ElementTable elements;
    std::size_t size = 64;
    for (const Line& l : record.lines) {
        size += 96;
        for (const GlyphRun& r : l.runs) size += 64 + r.text.size() + r.glyphs.size() * sizeof(PlacedGlyph);
    }
    Writer body(size);
    body.number(static_cast<std::int64_t>(record.words));
    body.number(static_cast<std::uint32_t>(record.warnings.size()));
    for (const GivenWarning& g : record.warnings) {
        body.text(g.key);
        body.text(g.message);
        body.text(g.hint);
    }
    body.number(static_cast<std::uint32_t>(record.lines.size()));
    const SourceIndex index(sources);
    for (const Line& l : record.lines)
        if (!write_line(body, elements, l, index)) return std::nullopt;
    std::string out = std::move(body).finish();
    Writer head(64 + out.size());
    elements.write(head);
    head.align(alignof(PlacedGlyph));  // the body's places as aligned as they were written
    head.bytes(out.data(), out.size());
    return std::move(head).finish();
}

std::optional<SetRecord> read_record(std::string_view bytes, const RecordBounds& bounds) {
    Reader in(bytes, 0, bounds.lasting);
    const std::optional<std::vector<ElementRef>> elements = read_elements(in, {});
    if (!elements) return std::nullopt;
    in.align(alignof(PlacedGlyph));
    ElementsRead element(*elements, {});
    const auto shown = [&](const std::string& resource) {
        return std::find(bounds.pictures.begin(), bounds.pictures.end(), resource) != bounds.pictures.end();
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
    for (Line& l : record.lines)
        if (!read_line(in, element, l, bounds.sources, *bounds.fonts, shown)) return std::nullopt;
    if (element.bad || !in.done()) return std::nullopt;
    return record;
}

std::optional<std::string> write_article_record(const Flow& flow, const std::map<std::string, Footnote>& notes,
                                                const doc::Census& census,
                                                std::span<const GivenWarningAt> warnings,
                                                std::span<const std::string* const> sources,
                                                std::span<const ElementRef> outer) {
    ElementTable elements(outer);
    const SourceIndex index(sources);
    // Where the elements begin, then the body, then the elements: the reader needs
    // them first, and written after, the body is not copied behind them.
    std::size_t size = 256;
    for (const FlowItem& it : flow) {
        size += 160;
        for (const GlyphRun& r : it.line.runs) size += 48 + r.text.size() + r.glyphs.size() * sizeof(PlacedGlyph);
    }
    Writer body(size);
    body.number(std::uint32_t{0});
    const auto lines = [&](const std::vector<Line>& list) {
        body.number(static_cast<std::uint32_t>(list.size()));
        for (const Line& l : list) write_line(body, elements, l, index, /*unknown_source=*/true);
    };
    body.bytes(&census, sizeof census);
    body.number(static_cast<std::uint32_t>(warnings.size()));
    for (const GivenWarningAt& g : warnings) {
        body.text(g.key);
        body.where(g.where);
        body.text(g.message);
        body.text(g.hint);
    }
    // A table's head, shared by the items of its rows: written at its first item,
    // named by its number after.
    std::map<const std::vector<Line>*, std::int32_t> heads;
    body.number(static_cast<std::uint32_t>(flow.size()));
    for (const FlowItem& it : flow) {
        body.number(static_cast<std::uint8_t>(it.kind));
        body.number(static_cast<std::uint8_t>(it.keep_with_next | it.last_of_paragraph << 1 |
                                              it.first_of_paragraph << 2 | it.justified << 3 | it.credit << 4 |
                                              it.stays_at_top << 5));
        body.number(it.amount);
        write_line(body, elements, it.line, index, /*unknown_source=*/true);
        body.number(static_cast<std::uint8_t>(it.page != nullptr));
        if (it.page) {
            const PageStart& p = *it.page;
            body.number(static_cast<std::uint8_t>(p.recto | p.opener << 1 | p.front << 2 | p.display << 3));
            body.text(p.article_title);
            body.text(p.chapter_title);
        }
        body.number(static_cast<std::uint8_t>(it.row != nullptr));
        if (it.row) {
            write_images(body, elements, it.row->images);
            write_links(body, elements, it.row->links);
        }
        body.number(static_cast<std::uint8_t>(it.turned != nullptr));
        if (it.turned) {
            body.number(static_cast<std::uint32_t>(it.turned->pages.size()));
            for (const std::vector<Line>& page : it.turned->pages) lines(page);
        }
        std::int32_t head = -1;
        bool first = false;
        if (it.table_head) {
            const auto [at, fresh] = heads.emplace(it.table_head.get(), static_cast<std::int32_t>(heads.size()));
            head = at->second;
            first = fresh;
        }
        body.number(head);
        if (first) lines(*it.table_head);
        body.number(static_cast<std::uint32_t>(it.anchors.size()));
        for (const std::string& a : it.anchors) body.text(a);
    }
    body.number(static_cast<std::uint32_t>(notes.size()));
    for (const auto& [name, note] : notes) {
        body.text(name);
        body.text(note.anchor);
        lines(note.lines);
    }
    body.number_at(0, static_cast<std::uint32_t>(body.size()));
    elements.write(body);
    return std::move(body).finish();
}

std::optional<ArticleRecord> read_article_record(std::string_view bytes, const ArticleBounds& bounds) {
    std::uint32_t at = 0;
    if (bytes.size() < sizeof at) return std::nullopt;
    std::memcpy(&at, bytes.data(), sizeof at);
    if (at < sizeof at || at > bytes.size()) return std::nullopt;
    Reader table(bytes.substr(at));
    const std::optional<std::vector<ElementRef>> elements = read_elements(table, bounds.outer);
    if (!elements || !table.done()) return std::nullopt;
    Reader in(bytes.substr(sizeof at, at - sizeof at), sizeof at, bounds.lasting);
    ElementsRead element(*elements, bounds.outer);
    const auto shown = [&](const std::string& resource) { return bounds.shown && bounds.shown(resource); };
    const auto lines = [&](std::vector<Line>& list) {
        list.resize(in.count(4 * 4));
        for (Line& l : list)
            if (!read_line(in, element, l, bounds.sources, *bounds.fonts, shown)) return false;
        return in.ok();
    };
    ArticleRecord record;
    const std::string_view census = in.bytes(sizeof record.census);
    if (!in.ok()) return std::nullopt;
    std::memcpy(&record.census, census.data(), sizeof record.census);
    record.warnings.resize(in.count(4 * 4 + 2 * 4));
    for (GivenWarningAt& g : record.warnings) {
        g.key = in.text();
        g.where = in.where();
        g.message = in.text();
        g.hint = in.text();
    }
    std::vector<std::shared_ptr<const std::vector<Line>>> heads;
    record.flow.resize(in.count(1 + 1 + 8 + 4 * 4 + 3 + 4 + 4));
    for (FlowItem& it : record.flow) {
        const auto kind = in.number<std::uint8_t>();
        if (kind > static_cast<std::uint8_t>(FlowItem::Kind::Turned)) return std::nullopt;
        it.kind = static_cast<FlowItem::Kind>(kind);
        const auto flags = in.number<std::uint8_t>();
        it.keep_with_next = flags & 1;
        it.last_of_paragraph = flags & 2;
        it.first_of_paragraph = flags & 4;
        it.justified = flags & 8;
        it.credit = flags & 16;
        it.stays_at_top = flags & 32;
        it.amount = in.number<double>();
        if (!read_line(in, element, it.line, bounds.sources, *bounds.fonts, shown)) return std::nullopt;
        if (in.number<std::uint8_t>()) {
            auto p = std::make_unique<PageStart>();
            const auto page_flags = in.number<std::uint8_t>();
            p->recto = page_flags & 1;
            p->opener = page_flags & 2;
            p->front = page_flags & 4;
            p->display = page_flags & 8;
            p->article_title = in.text();
            p->chapter_title = in.text();
            it.page = std::move(p);
        }
        if (in.number<std::uint8_t>()) {
            auto row = std::make_unique<PictureRow>();
            if (!read_images(in, element, row->images, shown) || !read_links(in, element, row->links))
                return std::nullopt;
            it.row = std::move(row);
        }
        if (in.number<std::uint8_t>()) {
            auto turned = std::make_unique<TurnedPages>();
            turned->pages.resize(in.count(4));
            for (std::vector<Line>& page : turned->pages)
                if (!lines(page)) return std::nullopt;
            it.turned = std::move(turned);
        }
        const auto head = in.number<std::int32_t>();
        if (head == static_cast<std::int32_t>(heads.size())) {
            auto list = std::make_shared<std::vector<Line>>();
            if (!lines(*list)) return std::nullopt;
            heads.push_back(std::move(list));
        } else if (head < -1 || head > static_cast<std::int32_t>(heads.size())) {
            return std::nullopt;
        }
        if (head >= 0) it.table_head = heads[static_cast<std::size_t>(head)];
        it.anchors.resize(in.count(4));
        for (std::string& a : it.anchors) a = in.text();
        if (!in.ok()) return std::nullopt;
    }
    const std::size_t notes = in.count(3 * 4);
    for (std::size_t i = 0; i < notes && in.ok(); ++i) {
        std::string name = in.text();
        Footnote note;
        note.anchor = in.text();
        if (!lines(note.lines)) return std::nullopt;
        record.notes.emplace(std::move(name), std::move(note));
    }
    if (element.bad || !in.done()) return std::nullopt;
    return record;
}

}  // namespace folio::layout
