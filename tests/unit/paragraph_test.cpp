// Paragraph layout with the default style's fonts: justified lines fill the measure,
// ragged ones do not, hyphens and dashes fall where they should.
#include "layout/paragraph.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio::layout {
namespace {

PrintStyle default_style() {
    return parse_print_style(test::slurp(test::source_dir() / "styles/default/print.yaml"), "print.yaml");
}

doc::Inlines text(const std::string& s) { return {doc::Inline{doc::Text{s}}}; }

const std::string kParagraph =
    "Characteristically, international organisations communicate through representatives whose "
    "responsibilities include negotiating agreements, interpreting regulations and understanding the "
    "unpredictable consequences of extraordinarily complicated circumstances, which is why the typesetter "
    "must sometimes stretch a line beyond what it would like.";

std::string line_text(const Line& l) {
    std::string out;
    for (const GlyphRun& r : l.runs) out += r.text;
    return out;
}

TEST(Paragraph, JustifiedLinesFillTheMeasureExactly) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    for (double width : {120.0, 160.0, 240.0, 324.0}) {
        ParagraphOptions o;
        o.width = width;
        o.size = 10.5;
        o.leading = 14;
        o.lang = "en";
        const std::vector<Line> lines = set_paragraph(text(kParagraph), o, ctx);
        ASSERT_GE(lines.size(), 2u);
        for (std::size_t i = 0; i + 1 < lines.size(); ++i)
            EXPECT_NEAR(lines[i].width, width, 0.01) << "width " << width << ", line " << i << ": " << line_text(lines[i]);
        EXPECT_LT(lines.back().width, width);
        for (const Line& l : lines) EXPECT_FALSE(l.overfull);
    }
}

TEST(Paragraph, RaggedLinesKeepNaturalSpaces) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.width = 160;
    o.align = Align::Ragged;
    o.hyphenate = false;
    o.lang = "en";
    const std::vector<Line> lines = set_paragraph(text(kParagraph), o, ctx);
    ASSERT_GE(lines.size(), 3u);
    int short_lines = 0;
    for (const Line& l : lines) {
        EXPECT_LE(l.width, 160.01);
        EXPECT_FALSE(l.hyphenated);
        short_lines += l.width < 159;
    }
    EXPECT_GE(short_lines, 2);
}

TEST(Paragraph, HyphenatedLinesEndWithAHyphenAndNoLineStartsWithADash) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.width = 120;
    o.lang = "en";
    const std::vector<Line> lines =
        set_paragraph(text(kParagraph + " The dash — set with spaces — stays with the word before it."), o, ctx);
    int hyphenated = 0;
    for (const Line& l : lines) {
        const std::string t = line_text(l);
        if (l.hyphenated) {
            ++hyphenated;
            EXPECT_EQ(t.back(), '-') << t;
        }
        EXPECT_NE(t.rfind("\u2014", 0), 0u) << "a line starts with a dash: " << t;
    }
    EXPECT_GE(hyphenated, 1);
}

}  // namespace
}  // namespace folio::layout
