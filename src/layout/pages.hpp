// The page model: what the typesetter produces and the PDF writer translates.
// Coordinates are PDF points from the page's top-left corner, y growing downward;
// a glyph run's y is its baseline.
#pragma once

#include "core/error.hpp"
#include "doc/page_list.hpp"
#include "layout/fonts.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace folio::layout {

// The logical structure of what the pages show, for a tagged PDF (PDF 1.7 §14.7–14.8,
// PDF/UA-1): an element of the book's tree, named by its standard structure type
// ("Document", "Part", "Sect", "H2", "P", "LI", "TH", "Figure", "Note", ...), held by
// what it shows. Elements are shared and never change once made; the writer numbers
// them in the order the pages first show them, which is the order of reading. A mark
// with no element is an artifact: a running head, a folio, a rule, a table's head
// set again on the page it continues on.
struct Element;
using ElementRef = std::shared_ptr<const Element>;
struct Element {
    std::string type;
    ElementRef parent;  // null: the document's root
    std::string lang;   // BCP 47, where the text's language is known; the writer keeps what differs from the parent's
    std::string alt;    // a Figure's alternative text
    std::string scope;  // a TH's: "Column" or "Row"
    std::string id;     // a destination it is the target of (a note's "a03-fn1")
    // What it reads as, instead of what it shows (PDF 1.7 §14.9.4): a word hyphenated
    // over two lines is a Span of its two pieces that reads as the whole word.
    std::string actual_text;
};

// A new element, still open to its other fields (alt, scope, id) until it is held
// as an ElementRef.
inline std::shared_ptr<Element> make_element(std::string type, ElementRef parent, std::string lang = {}) {
    auto e = std::make_shared<Element>();
    e->type = std::move(type);
    e->parent = std::move(parent);
    e->lang = std::move(lang);
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

struct GlyphRun {
    FontId font;
    double size;
    double x, y;
    std::vector<PlacedGlyph> glyphs;
    std::string text;  // the characters of the glyphs, in order (for ToUnicode and text extraction)
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
    std::vector<Page> pages;
    std::vector<OutlineEntry> outline;
    std::vector<LabelRange> labels;
};

// A text dump with fixed 4-decimal numbers: what golden tests compare.
std::string dump(const Pages& pages);

}  // namespace folio::layout
