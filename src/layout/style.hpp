// The print settings of a style (styles/<name>/print.yaml): page, margins, fonts
// by file, sizes. All lengths in PDF points (1/72 in).
#pragma once

#include "core/diagnostics.hpp"
#include "core/error.hpp"
#include "core/key_bytes.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace folio::layout {

enum class RunningHead { None, Book, Chapter, Article };

// Bleed of the print interior: none (the default: nothing reaches the page's
// edge), KDP's (top, bottom and outer edge) or all four sides, 0.125 in each.
enum class Bleed { None, Kdp, All };
// The paper changes only the preflight (KDP prints fewer pages on cream).
enum class Paper { White, Cream };

struct PrintStyle {
    double page_width = 432, page_height = 648;  // 6 × 9 in
    double inner = 63, outer = 45, top = 54, bottom = 63;
    std::string regular, italic, bold, bold_italic, mono;
    std::vector<std::string> fallback;
    std::map<std::string, SourceLocation> font_where;  // font file -> where the settings name it
    double size = 10.5, leading = 14;
    std::vector<double> heading_sizes{17, 13, 11.5, 10.5};
    double note_size = 8.5, note_leading = 11;
    RunningHead verso = RunningHead::Book, recto = RunningHead::Article;
    Bleed bleed = Bleed::None;
    Paper paper = Paper::White;
    double image_ppi = 150;      // a picture is placed at this resolution, or narrower to fit the measure
    double min_image_width = 0;  // and never narrower than this, points
    double min_text_size = 0;    // the smallest text set (superscripts are raised to it); 0: none
    bool page_references = false;  // print: an internal link is followed by the page it leads to

    // Where the running head's baseline sits above the text block, and the folio's
    // below it, in leadings.
    static constexpr double kHeadRaise = 1.2, kFolioDrop = 1.8;

    double text_width() const { return page_width - inner - outer; }
    double text_height() const { return page_height - top - bottom; }
    // The depth of a full page of body text: the text height rounded down to whole
    // lines, so that the last line of every full page sits on the same grid line.
    double grid_depth() const { return std::floor(text_height() / leading + 1e-6) * leading; }
};

// One print setting as text: "trim" (6x9in, a5 …), "bleed" (none, kdp, all) or
// "paper" (white, cream), from print.yaml or book.yaml's `print:`. Throws a
// folio::Error located at `at`.
void apply_print_setting(PrintStyle& style, const std::string& key, const std::string& value, const SourceLocation& at);

// Parses print.yaml; `file` names it in errors (located, with hints). A key given
// twice is an error, an unknown one a warning with the nearest known key.
PrintStyle parse_print_style(const std::string& yaml, const std::string& file, Diagnostics& diagnostics);

// The bytes a memo's key is hashed from (core/key_bytes.hpp): every setting of the
// style, as its numbers' bits and its texts.
void style_material(KeyBytes& out, const PrintStyle& style);

// "0.75in", "19mm", "2cm", "54pt" -> points; throws std::invalid_argument.
double parse_length(const std::string& text);

}  // namespace folio::layout
