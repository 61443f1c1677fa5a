// break_lines(): Knuth & Plass (1981), "Breaking Paragraphs into Lines", as TeX does
// it (The TeXbook ch. 14, tex.web §813–§890). Pure: items in, break positions out;
// measuring, shaping and hyphenation happen before, and no font is seen here.
#pragma once

#include <limits>
#include <optional>
#include <vector>

namespace folio::layout {

inline constexpr double kInfinity = 10000;      // a penalty this high forbids a break, -kInfinity forces one
inline constexpr double kFil = 1e9;             // stretch of \parfillskip: "infinite" but finite for arithmetic

struct Item {
    enum class Type { Box, Glue, Penalty };
    Type type;
    double width = 0;
    double stretch = 0;   // glue only
    double shrink = 0;    // glue only
    double penalty = 0;   // penalty only
    bool flagged = false; // penalty only: a hyphenation break (TeX's \hyphenpenalty breaks)
    // Margin protrusion (pdfTeX's \lpcode/\rpcode): how far a line may reach into the
    // margin past its ends, so that punctuation hangs and the edge looks straight.
    // Box: its first character's share when the box starts a line. Glue or penalty:
    // the share of the character that ends a line broken here.
    double hang_left = 0;
    double hang_right = 0;

    static Item box(double w) { return {Type::Box, w}; }
    static Item glue(double w, double y, double z) { return {Type::Glue, w, y, z}; }
    static Item penalty_item(double w, double p, bool f) { return {Type::Penalty, w, 0, 0, p, f}; }
};

// TeX's parameters, named as TeX names them, with plain TeX's values.
struct BreakParams {
    double tolerance = 200;               // \tolerance (\pretolerance = 100 for the first pass)
    double line_penalty = 10;             // \linepenalty
    double adj_demerits = 10000;          // \adjdemerits: adjacent lines of fitness classes two apart
    double double_hyphen_demerits = 10000;// \doublehyphendemerits
    double final_hyphen_demerits = 5000;  // \finalhyphendemerits
    double emergency_stretch = 0;         // \emergencystretch: added stretch per line in the last pass
    // Not TeX: at most this many lines in a row may end with a hyphen (0: no limit).
    // TeX only discourages a second one (\doublehyphendemerits); book typography
    // asks for no more than two, so the breaker treats a third as infeasible.
    int max_consecutive_hyphens = 2;
    // Not TeX (which has only \parfillskip): demerits for a paragraph's last line, or
    // a line before a forced break, that fills less than `short_last_line` of the
    // measure: a lone short word under a paragraph reads as a gap.
    double short_last_line_demerits = 3000;
    double short_last_line = 0.2;
};

struct Break {
    std::size_t position;  // index of the glue or penalty item where the line ends
    double ratio;          // adjustment ratio r of the line that ends here (<0 shrink, >0 stretch)
    bool flagged;          // the line ends at a flagged (hyphen) penalty
};

// Returns the breaks of the paragraph with the fewest total demerits, or std::nullopt
// when no set of breaks keeps every line's badness within params.tolerance.
// `line_widths[i]` is the width of line i; the last entry serves for all later lines.
// The items must end with a forced break (penalty -kInfinity), as TeX's paragraphs do.
// A box's stretch and shrink are what font expansion lets it widen or narrow (pdfTeX's
// \pdfadjustspacing): counted with the glue's in a line's adjustment ratio.
std::optional<std::vector<Break>> break_lines(const std::vector<Item>& items, const std::vector<double>& line_widths,
                                              const BreakParams& params);

// TeX's badness of a line stretched or shrunk by ratio r: 100 r³, capped at 10000.
double badness(double ratio);

}  // namespace folio::layout
