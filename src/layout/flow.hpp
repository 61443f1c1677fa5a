// The flow: what the setter makes of a book and the paginator places, top to bottom.
// Lines, vertical space, page starts and rows of pictures, each with its keeps and
// anchors; the notes an article calls for are held apart, by anchor.
#pragma once

#include "layout/paragraph.hpp"

#include <memory>
#include <string>
#include <vector>

namespace folio::layout {

// What a NewPage item says about the page it starts.
struct PageStart {
    bool recto = false;         // begin on a right-hand page
    bool opener = false;        // that page has no running head
    bool front = false;         // a front-matter page (roman folio)
    bool display = false;       // half-title, title, copyright: counted, but no folio printed
    std::string article_title;  // the running heads from here on
    std::string chapter_title;
};

// Pictures set as a block: one, or a row of them side by side.
struct PictureRow {
    std::vector<PlacedImage> images;  // x from the text block's left, y from the row's top
    std::vector<LinkArea> links;      // the same: a linked picture's area
};

// A table too wide for the measure even in its smallest type, set across pages of
// its own, turned: each page's lines, top to bottom in the turned frame, whose
// measure is the text block's height and whose depth is its width.
struct TurnedPages {
    std::vector<std::vector<Line>> pages;
};

// Most items are lines, by the hundred thousand in a long book: what only page
// starts and pictures need is held apart.
struct FlowItem {
    enum class Kind { Line, Skip, NewPage, Image, Turned };
    Kind kind = Kind::Line;
    Line line;
    double amount = 0;                    // Skip: vertical space; Image: height
    std::unique_ptr<PageStart> page;      // NewPage
    std::unique_ptr<PictureRow> row;      // Image
    std::unique_ptr<TurnedPages> turned;  // Turned
    // A table's row: the table's head (its rules and header row), set again at the
    // top of a page the table continues on.
    std::shared_ptr<const std::vector<Line>> table_head;
    std::vector<std::string> anchors;     // destinations at this item
    bool keep_with_next = false;       // no page break between this item and the next
    bool last_of_paragraph = false;    // for widow counting
    bool first_of_paragraph = false;
    bool justified = false;
    bool credit = false;               // part of the credit block after an article
    bool stays_at_top = false;         // a skip kept at the top of a page (TeX's \vspace*): a display page's sink
};

using Flow = std::vector<FlowItem>;

struct Footnote {
    std::vector<Line> lines;
    std::string anchor;
};

}  // namespace folio::layout
