#include "layout/print_rules.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace folio::layout {

namespace {
constexpr double kInch = 72;
constexpr double kMinimumMargin = 0.5 * kInch;  // content from the outside, top and bottom edges
constexpr double kImagePpi = 300;               // KDP's least resolution at placed size
constexpr double kMinimumText = 7;              // KDP's smallest text, points
constexpr double kThinnestRule = 0.75;          // KDP's thinnest line, points

// The page count a layout of `set` pages comes to once padded: even, and ending
// on a blank page (one blank when odd, two when even).
int padded(int set) { return set + (set % 2 == 1 ? 1 : 2); }

// The next folio after `label`, when it is a number ("12" -> "13"); else "".
std::string next_label(const std::string& label) {
    if (label.empty() || !std::all_of(label.begin(), label.end(), [](unsigned char c) { return std::isdigit(c); }))
        return "";
    return std::to_string(std::stoi(label) + 1);
}
}  // namespace

double kdp_gutter(int pages) {
    if (pages <= 150) return 0.375 * kInch;
    if (pages <= 300) return 0.5 * kInch;
    if (pages <= 500) return 0.625 * kInch;
    if (pages <= 700) return 0.75 * kInch;
    return 0.875 * kInch;
}

double print_inner_margin(const PrintStyle& style, int pages) {
    return std::max(style.inner + kdp_gutter(pages) - kdp_gutter(0), kdp_gutter(pages));
}

namespace {

// `consume`, with `hand_over`: the same book, whose articles are handed over and
// released as they are set when the first pass is sure to be the last
// (typeset_positions_consuming).
Pages set_for_print(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
                    Detail detail, ParagraphMemo* memo, doc::Book* consume = nullptr,
                    const ArticleHandOver* hand_over = nullptr) {
    PrintStyle s = style;
    s.outer = std::max(s.outer, kMinimumMargin);
    // The running head and the folio sit in the top and bottom margins: those grow
    // until the head's ascenders and the folio's descenders keep 0.5 in from the trim.
    s.top = std::max(s.top, kMinimumMargin + PrintStyle::kHeadRaise * s.leading + s.size);
    s.bottom = std::max(s.bottom, kMinimumMargin + PrintStyle::kFolioDrop * s.leading + 0.3 * s.size);
    s.image_ppi = std::max(s.image_ppi, kImagePpi);
    s.min_image_width = std::max(s.min_image_width, 1 * kInch);  // a picture a reader can see
    s.min_text_size = std::max(s.min_text_size, kMinimumText);
    s.page_references = true;  // paper has no links: "see the harbour (p. 12)"
    // A wider gutter only adds pages, so the steps climb and the loop ends; five
    // passes would cross every step.
    s.inner = print_inner_margin(style, 0);
    // Every article opens a page of its own (Setter::article), so the book has at
    // least as many pages as articles. When that many already take the widest
    // gutter, the first pass at any narrower one would set the whole book only to
    // count its pages and land there: the loop starts there, and ends at the same
    // pass. (A 1,000-article book was set twice.)
    std::size_t articles = 0;
    for (const doc::Chapter& c : book.chapters) articles += c.articles.size();
    constexpr int kMorePagesThanAnyStep = 1'000'000;
    const int at_least = static_cast<int>(std::min<std::size_t>(articles, kMorePagesThanAnyStep));
    if (print_inner_margin(style, padded(at_least)) == print_inner_margin(style, kMorePagesThanAnyStep))
        s.inner = std::max(s.inner, print_inner_margin(style, padded(at_least)));
    Pages pages;
    LayoutStats local;
    // At the widest gutter, no count of pages asks for another pass.
    const bool one_pass = s.inner >= print_inner_margin(style, kMorePagesThanAnyStep);
    for (int pass = 0; pass < 6; ++pass) {
        Diagnostics quiet;  // warnings are the first pass's: the same text gives the same ones
        Diagnostics& report = pass == 0 ? diagnostics : quiet;
        if (detail == Detail::Marks)
            pages = typeset(book, s, report, stats ? &local : nullptr, memo);
        else if (consume && hand_over && one_pass)
            pages = typeset_positions_consuming(*consume, s, report, memo, *hand_over);
        else
            pages = typeset_positions(book, s, report, memo);
        const double wanted = print_inner_margin(style, padded(static_cast<int>(pages.pages.size())));
        if (wanted <= s.inner) break;
        s.inner = wanted;
    }
    for (Page& p : pages.pages) {
        for (Rule& r : p.rules) r.thickness = std::max(r.thickness, kThinnestRule);
        if (p.turned)
            for (Rule& r : p.turned->rules) r.thickness = std::max(r.thickness, kThinnestRule);
    }
    const int blanks = padded(static_cast<int>(pages.pages.size())) - static_cast<int>(pages.pages.size());
    for (int i = 0; i < blanks; ++i) {
        Page blank;
        blank.label = next_label(pages.pages.empty() ? "" : pages.pages.back().label);
        pages.pages.push_back(std::move(blank));
    }
    local.pages = static_cast<int>(pages.pages.size());
    if (stats) *stats = local;
    return pages;
}

}  // namespace

Pages typeset_for_print(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
                        ParagraphMemo* memo) {
    return set_for_print(book, style, diagnostics, stats, Detail::Marks, memo);
}

Pages print_page_positions(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                           ParagraphMemo* memo) {
    return set_for_print(book, style, diagnostics, nullptr, Detail::Positions, memo);
}

Pages print_page_positions_consuming(doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                                     ParagraphMemo* memo, const ArticleHandOver& hand_over) {
    return set_for_print(book, style, diagnostics, nullptr, Detail::Positions, memo, &book, &hand_over);
}

}  // namespace folio::layout
