// What a book's articles hold, counted the same way wherever it is counted: in the
// sources as loaded, and in what each writer put out (the EPUB's pages, the PDFs'
// pages). `folio build --stats` prints them side by side, so that nothing is lost
// without a number saying so.
#pragma once

#include "doc/model.hpp"

#include <string>

namespace folio::doc {

struct Census {
    long pictures = 0;        // pictures shown (placed, or in the EPUB an <img>)
    long pictures_lost = 0;   // sources only: pictures named but not shown (missing, remote), their alt text set instead
    long tables = 0;
    long code_blocks = 0;
    long footnotes = 0;
    long links_internal = 0;  // to an article of the book
    long links_external = 0;  // to the web or mail
    long links_dropped = 0;   // sources only: links that named nothing, their text kept
    long words = 0;           // of the articles' text (headings, body, notes, code), not titles or credits

    Census& operator+=(const Census& o);
    friend bool operator==(const Census&, const Census&) = default;
};

// Counts words as the outputs are read: runs of characters between white space,
// across inline markup ("**bo**ld" is one word). Feed text piece by piece; a
// block's end is white space.
class WordCounter {
public:
    void text(std::string_view s);
    void space() { m_in_word = false; }
    long words() const { return m_words; }

private:
    long m_words = 0;
    bool m_in_word = false;
};

// The articles of `book` as the model holds them: pictures, tables, code blocks,
// footnotes, links, words (alt text is no word; a note's call is no word).
Census count_content(const Book& book);
Census count_content(const Article& article);

// Whether the article's text (body or notes) links to a place in the book: what
// print sets as a page reference ("see the harbour (p. 12)").
bool links_within_book(const Article& article);

}  // namespace folio::doc
