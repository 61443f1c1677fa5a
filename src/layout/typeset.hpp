// typeset(): doc::Book -> layout::Pages. Sets every block into lines, then paginates:
// mirrored margins, running heads, folios, front matter with roman folios, chapters
// opening on a recto, keeps (no widows or orphans, headings with what follows,
// credits whole), footnotes at the foot of their page, and a contents whose page
// numbers come from laying the book out again until they stop changing.
#pragma once

#include "core/diagnostics.hpp"
#include "doc/census.hpp"
#include "doc/model.hpp"
#include "layout/pages.hpp"
#include "layout/paragraph.hpp"
#include "layout/style.hpp"

#include <functional>
#include <vector>

namespace folio::layout {

// A fault of the setting at its place, for the preview's notes (folio serve): a
// loose or overfull line, a run of hyphens, a widow, an orphan, a word hyphenated
// over the turn of a leaf.
struct LayoutNote {
    int page = 0;      // from 1, in the pages set
    std::string what;  // "loose line: “the words it begins with…”"
};

// What a reader would count as faults of the setting, for `folio build --stats`.
struct LayoutStats {
    int lines = 0;
    int hyphenated_lines = 0;
    int max_consecutive_hyphens = 0;
    int overfull_lines = 0;
    int widows = 0;
    int orphans = 0;
    double mean_ratio = 0;   // over justified lines that are not a paragraph's last
    double worst_ratio = 0;  // the largest |r|
    int pages = 0;
    // Page bottoms: of the pages whose text runs on overleaf, how many end on the
    // last grid line; and pages whose only text is an article's credit (none, by design).
    int pages_running_on = 0;
    int flush_pages = 0;
    int credit_only_pages = 0;
    // Pages whose last line ends in a hyphen, the word finished overleaf (TeX's
    // \brokenpenalty), and of them the rectos, where the reader must turn the leaf.
    int hyphenated_page_ends = 0;
    int hyphenated_recto_ends = 0;
    // What the pages hold of the articles: pictures placed, tables, code blocks and
    // notes set, links, words (`folio build --stats`, beside the sources' count).
    doc::Census content;
    std::vector<LayoutNote> notes;  // each fault counted above, where it is, in page order
};

// `memo`, when given, keeps the paragraphs set and gives back those set before
// (ParagraphMemo, layout/paragraph.hpp): the pages are the same either way.
Pages typeset(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats = nullptr,
              ParagraphMemo* memo = nullptr);

// The same for a build that needs nothing more of the articles' text: each article's
// body and notes are released as soon as they are set, which lowers the peak memory
// of a long book. Titles, credits and images stay.
Pages typeset_consuming(doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                        LayoutStats* stats = nullptr, ParagraphMemo* memo = nullptr);

// How much of each page the typesetter keeps: what it prints (Marks), or only where
// it begins (Positions: each page's label, folio, first text position and anchors,
// with no runs, rules or pictures). The page breaks are the same.
enum class Detail { Marks, Positions };

// The pages as typeset() breaks them, at Detail::Positions: what each line prints
// is dropped as soon as its article is set (pagination needs its height, its flags
// and its links, not its letters), and the pages are never drawn.
Pages typeset_positions(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                        ParagraphMemo* memo = nullptr);

// Given each article as it is set, in reading order from 0, on the thread that set
// it: where each of its lines begins (Line::first_word). What the hand-over leaves
// in them is what the pages report (Page::first_text): it may rename them.
using ArticleHandOver = std::function<void(std::size_t article, const std::vector<doc::TextPosition*>& first_words)>;

// typeset_positions() for a build whose only other reader of the articles' text
// takes it as it is set (the EPUB, for its page list): when this setting is sure to
// be the only one, each article is handed over as soon as it is set, and its body
// and notes are then released; otherwise no article is handed over, and the text stays.
Pages typeset_positions_consuming(doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                                  ParagraphMemo* memo, const ArticleHandOver& hand_over);

}  // namespace folio::layout
