// The print edition's page list, as the EPUB needs it: for each page of the print
// edition that prints a folio, its label and where its text begins (EPUB 3.3
// §D.4.3 page-list; EPUB Accessibility 1.1 §5 "page source"). Plain data: the
// typesetter finds it, `build` hands it over, the EPUB writer marks it. Neither
// writer includes the other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace folio::doc {

// A place in the book's text, before a word: the text of a doc::Text or doc::Code
// inline, or of a doc::CodeBlock, of the loaded book (by address), and a byte
// offset in it where the word starts. The address identifies the node only while
// the doc::Book that the typesetter set lives and is unchanged: the EPUB writer
// compares it with the addresses of the book it renders, which is the same object
// (build hands both the same book), and never dereferences it. A position in text
// the typesetter made itself (a title, a list marker, the contents) matches nothing
// the EPUB renders, and is treated as no position.
struct TextPosition {
    const std::string* text = nullptr;
    std::uint32_t offset = 0;

    friend bool operator==(const TextPosition&, const TextPosition&) = default;
};

struct PageListEntry {
    std::string label;                  // the folio as printed: "iii", "12"
    std::optional<TextPosition> text;   // where the page's first line begins
    // The first destination at the top of the page (an article's, a chapter
    // opener's, "contents", "credits"): where the page begins when its first line
    // is text the typesetter made itself (an article's title). Empty: none.
    std::string top_anchor;
};

// Pages in print order. Pages that print no folio (blank pages, the half-title,
// title and copyright pages) are not listed: they hold no text to mark, and a
// reader who looks for a page number finds none printed on them.
struct PageList {
    std::string source;  // what names the print edition (dc:source): its ISBN, else the book's identifier
    std::vector<PageListEntry> entries;
};

}  // namespace folio::doc
