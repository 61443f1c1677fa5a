// The rules of print-on-demand services that change the layout of a print interior
// (DESIGN.md §2): the gutter grows with the page count, by KDP's steps, since a
// thicker book's binding swallows more of the inner margin; the outside, top and
// bottom margins are at least 0.5 in; the page count is even and the last page
// blank (IngramSpark), with never more than two blank pages in a row; pictures are
// placed at 300 ppi at most, no text is under 7 pt and no rule under 0.75 pt (KDP).
#pragma once

#include "core/diagnostics.hpp"
#include "doc/model.hpp"
#include "layout/pages.hpp"
#include "layout/style.hpp"
#include "layout/typeset.hpp"

namespace folio::layout {

// KDP's minimum inside margin for a page count, in points: 24-150 pages 0.375 in,
// 151-300 0.5 in, 301-500 0.625 in, 501-700 0.75 in, 701-828 (and more) 0.875 in.
double kdp_gutter(int pages);

// The style's inner margin is for the thinnest book: a thicker one gets the extra
// gutter KDP asks of its page count over the first step (0.125 in a step).
double print_inner_margin(const PrintStyle& style, int pages);

// Sets the book for a press: laid out again while the page count moves the gutter
// into another step, then blank pages added so that the count is even and the last
// page blank. The stats are those of the final layout, blank pages counted.
Pages typeset_for_print(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                        LayoutStats* stats = nullptr, ParagraphMemo* memo = nullptr);

// Where each page of the print edition begins, and nothing it prints: the pages of
// typeset_for_print with their labels, folios, first positions and anchors, but no
// marks (layout/typeset.hpp, Detail::Positions). For the EPUB's page list when no
// print PDF is written: a long book's glyphs are never all held at once.
Pages print_page_positions(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                           ParagraphMemo* memo = nullptr);

// The same, handing each article over as it is set and releasing its text, when
// the first setting is sure to be the last (the widest gutter from the start): as
// typeset_positions_consuming() does, which says what the hand-over is given.
Pages print_page_positions_consuming(doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                                     ParagraphMemo* memo, const ArticleHandOver& hand_over);

}  // namespace folio::layout
