// The page model: what the typesetter produces and the PDF writer translates.
// Coordinates are PDF points from the page's top-left corner, y growing downward;
// a glyph run's y is its baseline.
#pragma once

#include "core/error.hpp"
#include "doc/page_list.hpp"
#include "layout/fonts.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace folio::layout {

// The logical structure of what the pages show, for a tagged PDF (PDF 1.7 §14.7–14.8,
// PDF/UA-1): an element of the book's tree, named by its standard structure type
// ("Document", "Part", "Sect", "H2", "P", "LI", "TH", "Figure", "Note", ...), held by
// what it shows. Elements are shared and never change once made; the writer numbers
// them in the order the pages first show them, which is the order of reading. A mark
// with no element is an artifact: a running head, a folio, a rule, a table's head
// set again on the page it continues on.
// A long book has hundreds of thousands of elements (the 1,000-article book: some
// 140,000 a setting, read back from the cache after an edit); with a std::string
// for each field, mostly empty, one took 208 bytes. Its fields are 8 bytes each.

// What an empty name or text reads as.
const std::string& no_text();

// A name of a small set (a structure type, a language, a header's scope), held once
// for the process: names of one spelling are one pointer.
class ElementName {
public:
    ElementName() = default;
    ElementName(std::string_view s);  // NOLINT: a name converts as a string does
    ElementName(const char* s) : ElementName(std::string_view(s)) {}
    ElementName(const std::string& s) : ElementName(std::string_view(s)) {}
    operator const std::string&() const { return str(); }                      // NOLINT: read as a string
    operator std::string_view() const { return str(); }                        // NOLINT: read as a string
    const std::string& str() const { return m_name ? *m_name : no_text(); }
    bool empty() const { return m_name == nullptr; }
    friend bool operator==(const ElementName& a, const ElementName& b) { return a.m_name == b.m_name; }
    friend bool operator==(const ElementName& a, const char* b) { return a.str() == b; }
    friend bool operator==(const ElementName& a, const std::string& b) { return a.str() == b; }
    friend std::string operator+(const char* a, const ElementName& b) { return a + b.str(); }
    friend std::string operator+(const ElementName& a, const char* b) { return a.str() + b; }
    friend std::ostream& operator<<(std::ostream& o, const ElementName& n) { return o << n.str(); }

private:
    const std::string* m_name = nullptr;  // null: empty
};

// Text most elements lack (a Figure's alternative text, an ID, an ActualText): on
// the heap when there is some.
class ElementText {
public:
    ElementText() = default;
    ElementText(std::string s) { *this = std::move(s); }  // NOLINT: a text converts as a string does
    ElementText(const char* s) : ElementText(std::string(s)) {}
    ElementText(const ElementText& o) : m_text(o.m_text ? std::make_unique<std::string>(*o.m_text) : nullptr) {}
    ElementText(ElementText&&) noexcept = default;
    ElementText& operator=(const ElementText& o) {
        if (this != &o) m_text = o.m_text ? std::make_unique<std::string>(*o.m_text) : nullptr;
        return *this;
    }
    ElementText& operator=(ElementText&&) noexcept = default;
    ElementText& operator=(std::string s) {
        m_text = s.empty() ? nullptr : std::make_unique<std::string>(std::move(s));
        return *this;
    }
    operator const std::string&() const { return str(); }                      // NOLINT: read as a string
    operator std::string_view() const { return str(); }                        // NOLINT: read as a string
    const std::string& str() const { return m_text ? *m_text : no_text(); }
    bool empty() const { return m_text == nullptr; }
    friend bool operator==(const ElementText& a, const char* b) { return a.str() == b; }
    friend bool operator==(const ElementText& a, const std::string& b) { return a.str() == b; }
    friend std::ostream& operator<<(std::ostream& o, const ElementText& t) { return o << t.str(); }

private:
    std::unique_ptr<std::string> m_text;
};

struct Element;
using ElementRef = std::shared_ptr<const Element>;
struct Element {
    ElementName type;
    ElementRef parent;  // null: the document's root
    ElementName lang;   // BCP 47, where the text's language is known; the writer keeps what differs from the parent's
    ElementText alt;    // a Figure's alternative text
    ElementName scope;  // a TH's: "Column" or "Row"
    ElementText id;     // a destination it is the target of (a note's "a03-fn1")
    // What it reads as, instead of what it shows (PDF 1.7 §14.9.4): a word hyphenated
    // over two lines is a Span of its two pieces that reads as the whole word.
    ElementText actual_text;
};

// A new element, still open to its other fields (alt, scope, id) until it is held
// as an ElementRef.
inline std::shared_ptr<Element> make_element(ElementName type, ElementRef parent, ElementName lang = {}) {
    auto e = std::make_shared<Element>();
    e->type = type;
    e->parent = std::move(parent);
    e->lang = lang;
    return e;
}

// A Span of `parent` that reads as `text` instead of what its content shows: a word
// hyphenated over two lines, right-to-left words in logical order, a cluster whose
// glyphs cannot give their text back.
inline ElementRef make_span_reading_as(ElementRef parent, std::string text) {
    auto e = make_element("Span", std::move(parent));
    e->actual_text = std::move(text);
    return e;
}

// Kept to 8 bytes: a long book holds millions of them. Glyph ids fit 16 bits in
// OpenType. Vertical mark offsets are not kept: the fonts we set with compose the
// letters of our languages, and the writer places glyphs on the baseline.
struct PlacedGlyph {
    std::uint16_t gid;
    std::uint16_t text_length : 15;  // bytes of the run's text this glyph stands for (0: rest of a cluster)
    // A word space follows: the space is white, not a glyph; a tagged PDF writes one
    // there (PDF 1.7 §14.8.2.5) so that its text reads as words. A line's last glyph
    // has one unless the line ends in a hyphen.
    std::uint16_t space_after : 1;
    float x;                         // from the run's x
};

static_assert(sizeof(PlacedGlyph) == 8, "a long book holds millions of glyphs");

// Items of a run (its glyphs, its text's bytes): an array of its own, or a view of
// the cache's record they were read back from, which stays mapped while the pages
// hold it (Pages::lasting). A view is copied into an array of its own before
// anything in it changes (any access that could change it). 16 bytes: a run's
// items fit 32 bits (write_line writes their count so).
template <class T>
class ViewedArray {
    static_assert(std::is_trivially_copyable_v<T>, "copied as bytes");

public:
    ViewedArray() = default;
    ViewedArray(const ViewedArray& o) {
        if (o.viewed()) {
            m_data = o.m_data;
            m_size = o.m_size;
        } else {
            copy_in(o.m_data, o.m_size);
        }
    }
    ViewedArray(ViewedArray&& o) noexcept
        : m_data(std::exchange(o.m_data, nullptr)),
          m_size(std::exchange(o.m_size, 0)),
          m_capacity(std::exchange(o.m_capacity, 0)) {}
    ViewedArray& operator=(ViewedArray o) noexcept {
        std::swap(m_data, o.m_data);
        std::swap(m_size, o.m_size);
        std::swap(m_capacity, o.m_capacity);
        return *this;
    }
    ~ViewedArray() { release(); }

    bool viewed() const { return m_capacity == 0 && m_size > 0; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const T* data() const { return m_data; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }

    void reserve(std::size_t n) {
        if (n > m_capacity || viewed()) grow(std::max<std::size_t>(n, m_size));
    }
    // Cut to `n` (a view stays a view), or grown by zeros.
    void resize(std::size_t n) {
        if (n > m_size) {
            reserve(n);
            std::memset(static_cast<void*>(m_data + m_size), 0, (n - m_size) * sizeof(T));
        }
        m_size = static_cast<std::uint32_t>(n);
        if (n == 0 && m_capacity == 0) m_data = nullptr;
    }
    // No spare capacity (an array grown by appending holds up to twice what it uses).
    void shrink_to_fit() {
        if (m_capacity > m_size) {
            if (m_size == 0) {
                release();
                m_data = nullptr;
            } else {
                grow(m_size);
            }
        }
    }

protected:
    // A view of `n` items at `data` (aligned for T), which must outlive every copy.
    void set_view(const T* data, std::size_t n) {
        release();
        m_data = n > 0 ? const_cast<T*>(data) : nullptr;  // never written through while a view
        m_size = static_cast<std::uint32_t>(n);
    }
    // Room for `n` more, doubling, as appending one at a time wants.
    void room_for(std::size_t n) {
        if (std::size_t{m_size} + n > m_capacity || viewed())
            grow(std::max({std::size_t{m_size} + n, std::size_t{8}, 2 * std::size_t{m_capacity}}));
    }
    T* own() {
        if (viewed()) grow(m_size);
        return m_data;
    }
    // Removes `n` items at `at`: a view cut at its start stays a view, else the
    // items after the cut are moved down in an array of its own.
    void cut(std::size_t at, std::size_t n) {
        if (at >= m_size) return;
        const std::size_t rest = m_size - at;
        n = std::min(n, rest);
        if (viewed() && at == 0) {
            m_data += n;
            m_size -= static_cast<std::uint32_t>(n);
            return;
        }
        T* d = own() + at;
        std::copy(d + n, d + rest, d);
        m_size -= static_cast<std::uint32_t>(n);
    }
    void copy_in(const void* from, std::size_t n) {
        m_size = 0;
        if (n == 0) return;
        reserve(n);
        std::memcpy(static_cast<void*>(m_data), from, n * sizeof(T));
        m_size = static_cast<std::uint32_t>(n);
    }
    T* m_data = nullptr;
    std::uint32_t m_size = 0;

private:
    void grow(std::size_t capacity) {
        auto* fresh = static_cast<T*>(::operator new(capacity * sizeof(T)));
        if (m_size > 0) std::memcpy(static_cast<void*>(fresh), m_data, m_size * sizeof(T));
        release();
        m_data = fresh;
        m_capacity = static_cast<std::uint32_t>(capacity);
    }
    void release() {
        if (m_capacity > 0) ::operator delete(m_data);
        m_capacity = 0;
    }
    std::uint32_t m_capacity = 0;  // 0 with items: a view
};

// A run's glyphs. A build after an edit reads back millions of glyphs (the
// 1,000-article book: 9 million a setting, 73 MB); copied, they were a third of the
// memory the settings took, and taking fresh memory was most of their time.
class GlyphArray : public ViewedArray<PlacedGlyph> {
public:
    GlyphArray() = default;
    GlyphArray(const PlacedGlyph* first, const PlacedGlyph* last) {
        copy_in(first, static_cast<std::size_t>(last - first));
    }

    // A view of `n` glyphs at `data` (aligned for PlacedGlyph), which must outlive
    // every copy of the view.
    static GlyphArray view_of(const PlacedGlyph* data, std::size_t n) {
        GlyphArray a;
        a.set_view(data, n);
        return a;
    }
    // `n` glyphs as bytes (of any alignment), copied into an array of its own.
    void assign_bytes(const void* bytes, std::size_t n) { copy_in(bytes, n); }

    using ViewedArray::begin;
    using ViewedArray::data;
    using ViewedArray::end;
    const PlacedGlyph& operator[](std::size_t i) const { return m_data[i]; }
    const PlacedGlyph& front() const { return m_data[0]; }
    const PlacedGlyph& back() const { return m_data[m_size - 1]; }
    // Changing access: a view becomes an array of its own first.
    PlacedGlyph* data() { return own(); }
    PlacedGlyph* begin() { return own(); }
    PlacedGlyph* end() { return own() + m_size; }
    PlacedGlyph& operator[](std::size_t i) { return own()[i]; }
    PlacedGlyph& front() { return own()[0]; }
    PlacedGlyph& back() { return own()[m_size - 1]; }

    void push_back(const PlacedGlyph& g) {
        room_for(1);
        m_data[m_size++] = g;
    }
    // Removes [first, last); the glyphs after it are its own (the caller may change them).
    PlacedGlyph* erase(const PlacedGlyph* first, const PlacedGlyph* last) {
        const auto at = static_cast<std::size_t>(first - m_data);
        own();
        cut(at, static_cast<std::size_t>(last - first));
        return m_data + at;
    }
};

// A run's text. Read back as strings, a setting's run texts were 300,000
// allocations and 9 MB of fresh memory after an edit of the 1,000-article book.
class RunText : public ViewedArray<char> {
public:
    RunText() = default;
    RunText(std::string_view s) { copy_in(s.data(), s.size()); }  // NOLINT: a text converts as a string does
    RunText(const char* s) : RunText(std::string_view(s)) {}
    RunText(const std::string& s) : RunText(std::string_view(s)) {}

    // A view of `s`, whose bytes must outlive every copy of the view.
    static RunText view_of(std::string_view s) {
        RunText t;
        t.set_view(s.data(), s.size());
        return t;
    }

    operator std::string_view() const { return {m_data, m_size}; }  // NOLINT: read as a string_view
    std::string_view view() const { return {m_data, m_size}; }
    std::string str() const { return std::string(view()); }
    char operator[](std::size_t i) const { return m_data[i]; }
    char front() const { return m_data[0]; }
    char back() const { return m_data[m_size - 1]; }
    std::string_view substr(std::size_t at, std::size_t n = std::string_view::npos) const {
        return view().substr(at, n);
    }
    int compare(std::size_t at, std::size_t n, std::string_view s) const { return view().compare(at, n, s); }
    std::size_t find(std::string_view s, std::size_t at = 0) const { return view().find(s, at); }
    std::size_t find(char c, std::size_t at = 0) const { return view().find(c, at); }
    std::size_t rfind(std::string_view s, std::size_t at = std::string_view::npos) const { return view().rfind(s, at); }
    std::size_t find_first_not_of(std::string_view s, std::size_t at = 0) const {
        return view().find_first_not_of(s, at);
    }
    bool starts_with(std::string_view s) const { return view().starts_with(s); }
    bool ends_with(std::string_view s) const { return view().ends_with(s); }
    friend bool operator==(const RunText& a, std::string_view b) { return a.view() == b; }
    friend std::string operator+(const RunText& a, const RunText& b) { return a.str().append(b.view()); }
    friend std::string operator+(const RunText& a, const char* b) { return a.str().append(b); }
    friend std::string operator+(const char* a, const RunText& b) { return std::string(a).append(b.view()); }
    friend std::string operator+(const RunText& a, const std::string& b) { return a.str().append(b); }
    friend std::string operator+(const std::string& a, const RunText& b) { return std::string(a).append(b.view()); }
    friend std::ostream& operator<<(std::ostream& o, const RunText& t) { return o << t.view(); }

    void append(std::string_view s) {
        if (s.empty()) return;
        room_for(s.size());
        std::memcpy(m_data + m_size, s.data(), s.size());
        m_size += static_cast<std::uint32_t>(s.size());
    }
    RunText& operator+=(std::string_view s) {
        append(s);
        return *this;
    }
    void push_back(char c) { append(std::string_view(&c, 1)); }
    void clear() { resize(0); }
    // Removes `n` bytes at `at` (a view is cut in place only at its start).
    void erase(std::size_t at, std::size_t n) { cut(at, n); }
};

struct GlyphRun {
    FontId font;
    double size;
    double x, y;
    GlyphArray glyphs;
    RunText text;  // the characters of the glyphs, in order (for ToUnicode and text extraction)
    // Horizontal scale of the glyphs (font expansion of a justified line): 1.013 sets
    // them 1.3 % wider than designed. The glyphs' x already include it.
    double hscale = 1;
    ElementRef element = {};  // null: not tagged (yet), an artifact
    bool artifact = false;    // an artifact even inside an element (a code line's continuation mark)

    void add(std::uint32_t gid, double gx, std::string_view chars) {
        glyphs.push_back({static_cast<std::uint16_t>(gid), static_cast<std::uint16_t>(chars.size() & 0x7FFF), 0,
                          static_cast<float>(gx)});
        text.append(chars);
    }
};

struct Rule {
    double x, y, width, thickness;  // y: the rule's centre line
};

// A picture as placed: a block, one of a row, or a box in a line of text.
struct PlacedImage {
    std::string resource;        // doc::Resource path
    double x, y, width, height;  // y: top edge
    double ppi = 0;              // pixels to the inch as placed, the fewer across or down; 0: a vector picture
    SourceLocation where = {};   // the article and the place in it that shows the picture
    std::string alt = {};        // its alternative text (doc::Image::alt)
    ElementRef element = {};     // its Figure (null: an artifact)
};

// A clickable area: a web address, or a named destination in the document.
struct LinkArea {
    double x, y, width, height;  // y: top edge
    std::string uri;
    std::string destination;
    ElementRef element = {};  // the element whose text it covers: its Link element is that one's child
};

// A place links and bookmarks can point to.
struct Anchor {
    std::string name;  // "a03", "a03-intro"
    double y;          // top of the line it marks
};

// Where a note is called from, for the note's way back: "a03-fnref2" for the note
// "a03-fn2" (the EPUB's names for the same two places).
inline std::string note_call_anchor(const std::string& note) {
    const std::size_t fn = note.rfind("-fn");
    return fn == std::string::npos ? note + "-ref" : note.substr(0, fn) + "-fnref" + note.substr(fn + 3);
}

// What prints, in one frame's coordinates: text, rules and pictures.
struct Marks {
    std::vector<GlyphRun> runs;
    std::vector<Rule> rules;
    std::vector<PlacedImage> images;
};

// A page: its marks upright, and perhaps some turned.
struct Page : Marks {
    std::string label;  // the folio as printed: "iii", "12"
    std::vector<LinkArea> links;  // areas of the page as it stands, turned content's too
    std::vector<Anchor> anchors;
    // What the page shows turned a quarter turn anticlockwise: a table too wide for
    // the measure, read with the book turned clockwise. Its coordinates are those of
    // the page so turned (as wide as the page is high): x from the page's foot, y
    // from its left edge. None on most pages.
    std::unique_ptr<Marks> turned;
    // For the EPUB's page list (doc/page_list.hpp): whether the page prints its
    // folio; where its first line begins in the book's text (none: its first line
    // is text the typesetter made, or it begins with a picture); and the first
    // destination on the page when that line was placed.
    bool folio = false;
    doc::TextPosition first_text;
    std::string top_anchor;
};

struct OutlineEntry {
    std::string title;
    std::string destination;
    int level;  // 0: chapters (parts), 1: articles; front and back matter at 0
};

// Page-label ranges for the PDF: from page index `start`, numbered in `style`.
struct LabelRange {
    std::size_t start;
    enum class Style { Roman, Arabic } style;
    int first;
};

struct Pages {
    double width = 0, height = 0;
    std::shared_ptr<const FontSet> fonts;
    // What the runs' glyphs that are views lie in (GlyphArray): the cache's files
    // their records were read back from, mapped while the pages are.
    std::vector<std::shared_ptr<const void>> lasting;
    std::vector<Page> pages;
    std::vector<OutlineEntry> outline;
    std::vector<LabelRange> labels;
};

// A text dump with fixed 4-decimal numbers: what golden tests compare.
std::string dump(const Pages& pages);

}  // namespace folio::layout
