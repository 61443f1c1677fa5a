// Scripts in paragraph layout: bidi levels and visual order (FriBidi), CJK line
// break opportunities (libunibreak), and what they do to set lines. The fonts for
// Hebrew, Arabic and CJK are named here (fonts-noto-core, fonts-noto-cjk), not taken
// from the default style.
#include "layout/paragraph.hpp"
#include "layout/scripts.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace folio::layout {
namespace {

PrintStyle scripts_style() {
    Diagnostics d;
    PrintStyle s = parse_print_style(test::slurp(test::source_dir() / "styles/default/print.yaml"), "print.yaml", d);
    s.fallback = {"/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",
                  "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"};
    return s;
}

doc::Inlines text(const std::string& s) { return {doc::Inline{doc::Text{s}}}; }

ParagraphOptions body(double width, const std::string& lang) {
    ParagraphOptions o;
    o.width = width;
    o.size = 10.5;
    o.leading = 14;
    o.lang = lang;
    return o;
}

// Each character a line shows, in the order its glyphs stand (left to right), with
// the x of its glyph.
struct Shown {
    std::string ch;
    double x;
};
std::vector<Shown> shown(const Line& l) {
    std::vector<Shown> out;
    for (const GlyphRun& r : l.runs) {
        std::size_t at = 0;
        for (const PlacedGlyph& g : r.glyphs) {
            std::string_view chars = std::string_view(r.text).substr(at, g.text_length);
            at += g.text_length;
            for (std::size_t i = 0; i < chars.size();) {
                const auto c0 = static_cast<unsigned char>(chars[i]);
                const std::size_t n = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
                out.push_back({std::string(chars.substr(i, n)), r.x + g.x});
                i += n;
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Shown& a, const Shown& b) { return a.x < b.x; });
    return out;
}

double x_of(const Line& l, const std::string& ch) {
    for (const Shown& s : shown(l))
        if (s.ch == ch) return s.x;
    ADD_FAILURE() << "no '" << ch << "' in the line";
    return 0;
}

std::string line_text(const Line& l) {
    std::string out;
    for (const Shown& s : shown(l)) out += s.ch;
    return out;
}

TEST(Scripts, OnlyTextFromHebrewOnNeedsAnalysis) {
    EXPECT_FALSE(needs_script_analysis("plain ASCII"));
    EXPECT_FALSE(needs_script_analysis("\u0106evap\u010Di\u0107i, \u0436\u0438\u0432\u043E, \u03B1\u03B2\u03B3 \u2014 \u201Cquoted\u201D"));
    EXPECT_FALSE(needs_script_analysis("Vi\u1EC7t, \u1F00, \uFB01ne \u2026 \u20AC5 \u2192 \u00BD"));
    EXPECT_TRUE(needs_script_analysis("a \u05E9\u05DC\u05D5\u05DD b"));
    EXPECT_TRUE(needs_script_analysis("\u4E2D"));
}

TEST(Scripts, RightToLeftLanguagesByTagAndScript) {
    for (const char* l : {"he", "he-IL", "ar", "AR-eg", "fa", "ur", "yi", "az-Arab", "pa-Arab-PK"})
        EXPECT_TRUE(is_rtl_language(l)) << l;
    for (const char* l : {"", "en", "sr-Latn", "hr", "zh-Hans", "ja", "arn", "pa", "heb-x"})
        EXPECT_FALSE(is_rtl_language(l)) << l;
}

TEST(Scripts, BidiLevelsPerByteAndBaseDirection) {
    const std::string s = "ab \u05D0\u05D1 cd";  // a Hebrew word (2 bytes a letter) inside English
    bool rtl = true;
    const std::vector<std::uint8_t> levels = bidi_levels(s, BaseDirection::Auto, rtl);
    EXPECT_FALSE(rtl);
    ASSERT_EQ(levels.size(), s.size());
    EXPECT_EQ(levels[0], 0);
    EXPECT_EQ(levels[3], 1);
    EXPECT_EQ(levels[6], 1);
    EXPECT_EQ(levels[8], 0);
    bidi_levels("\u05D0\u05D1 ab", BaseDirection::Auto, rtl);
    EXPECT_TRUE(rtl);  // the first strong character decides
    bidi_levels("ab", BaseDirection::RightToLeft, rtl);
    EXPECT_TRUE(rtl);  // the language decides
}

TEST(Scripts, VisualOrderReversesRightToLeftRuns) {
    const std::vector<std::uint8_t> levels = {0, 0, 1, 1, 1, 0};
    const std::vector<bool> white = {false, true, false, true, false, true};
    EXPECT_EQ(visual_order(levels, white, false), (std::vector<std::size_t>{0, 1, 4, 3, 2, 5}));
    // A right-to-left line: left to right reads from its logical end; its trailing
    // space (L1) goes to the paragraph's level, at the left.
    const std::vector<std::uint8_t> rtl = {1, 1, 2, 1, 1, 0};
    EXPECT_EQ(visual_order(rtl, white, true), (std::vector<std::size_t>{5, 4, 3, 2, 1, 0}));
}

TEST(Scripts, CjkBreaksBetweenIdeographsNotBeforeClosingPunctuation) {
    const std::string s = "\u4E2D\u6587\u3002\u300C\u597D\u300D\u3001\u6587";  // 中文。「好」、文
    const std::vector<std::uint32_t> b = cjk_break_opportunities(s, "zh");
    // Every character is 3 bytes: after 中 (3), after 。 (9), after 、 (21); never
    // before 。」、 nor after 「.
    EXPECT_EQ(b, (std::vector<std::uint32_t>{3, 9, 21}));
    EXPECT_TRUE(cjk_break_opportunities("and/or", "en").empty());
    EXPECT_TRUE(cjk_break_opportunities("well-known\u2014so", "en").empty());
    // Between an ideograph and a Latin letter.
    EXPECT_EQ(cjk_break_opportunities("\u4E2Dab", "zh"), (std::vector<std::uint32_t>{3}));
}

const std::string kHebrew =
    "\u05D6\u05D4\u05D5 \u05DE\u05E9\u05E4\u05D8 \u05D1\u05E2\u05D1\u05E8\u05D9\u05EA \u05E9\u05E0\u05DB\u05EA\u05D1 "
    "\u05DE\u05D9\u05DE\u05D9\u05DF \u05DC\u05E9\u05DE\u05D0\u05DC, \u05D5\u05D4\u05D5\u05D0 \u05D0\u05E8\u05D5\u05DA "
    "\u05DE\u05E1\u05E4\u05D9\u05E7 \u05DB\u05D3\u05D9 \u05DC\u05D4\u05D9\u05E9\u05D1\u05E8 \u05DC\u05DB\u05DE\u05D4 "
    "\u05E9\u05D5\u05E8\u05D5\u05EA \u05D1\u05E2\u05DE\u05D5\u05D3 \u05E6\u05E8.";

// A Hebrew paragraph: each line reads right to left (its first logical letter
// right of its last), justified lines fill the measure, the last ends flush right.
TEST(Scripts, HebrewParagraphIsSetRightToLeft) {
    const PrintStyle style = scripts_style();
    FontContext ctx(style);
    const ParagraphOptions o = body(140, "he");
    const std::vector<Line> lines = set_paragraph(text(kHebrew), o, ctx);
    ASSERT_GE(lines.size(), 3u);
    // The paragraph's first letter (ז of זהו) is the first line's rightmost, its
    // second (ה) the next; its last characters (צר.) are the last line's leftmost,
    // the stop first.
    const std::vector<Shown> first = shown(lines[0]), last = shown(lines.back());
    ASSERT_GE(first.size(), 2u);
    ASSERT_GE(last.size(), 3u);
    EXPECT_EQ(first.back().ch, "\u05D6");
    EXPECT_EQ(first[first.size() - 2].ch, "\u05D4");
    EXPECT_EQ(last[0].ch, ".");
    EXPECT_EQ(last[1].ch, "\u05E8");
    EXPECT_EQ(last[2].ch, "\u05E6");
    EXPECT_NEAR(lines.back().width, o.width, 0.01);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        EXPECT_NEAR(lines[i].width, o.width, 0.01) << i;
        EXPECT_FALSE(lines[i].overfull);
    }
}

// A short right-to-left line ends flush right, white at its left; with an indent,
// the indent is at the right.
TEST(Scripts, ShortHebrewLineEndsFlushRight) {
    const PrintStyle style = scripts_style();
    FontContext ctx(style);
    ParagraphOptions o = body(200, "he");
    const std::string shalom = "\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD.";
    std::vector<Line> lines = set_paragraph(text(shalom), o, ctx);
    ASSERT_EQ(lines.size(), 1u);
    std::vector<Shown> s = shown(lines[0]);
    EXPECT_EQ(s.front().ch, ".");
    EXPECT_GT(s.front().x, 100);
    EXPECT_EQ(s.back().ch, "\u05E9");
    EXPECT_NEAR(lines[0].width, 200, 0.01);
    o.indent = 20;
    lines = set_paragraph(text(shalom), o, ctx);
    ASSERT_EQ(lines.size(), 1u);
    const double right = x_of(lines[0], "\u05E9");
    EXPECT_NEAR(lines[0].width, 200, 0.01);
    EXPECT_LT(right, 200 - 20);
    EXPECT_GT(right, 200 - 20 - 10.5);
}

// A passage's dir="rtl" (raw HTML) sets even English right to left: flush right,
// its final stop at the left; dir="ltr" keeps a Hebrew paragraph left to right.
TEST(Scripts, DirOfAPassageDecidesTheBaseDirection) {
    const PrintStyle style = scripts_style();
    FontContext ctx(style);
    ParagraphOptions o = body(200, "en");
    o.dir = "rtl";
    std::vector<Line> lines = set_paragraph(text("Hello world."), o, ctx);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(line_text(lines[0]), ".Helloworld");
    EXPECT_NEAR(lines[0].width, 200, 0.01);
    o.lang = "he";
    o.dir = "ltr";
    lines = set_paragraph(text("\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD."), o, ctx);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(line_text(lines[0]), "\u05DD\u05DC\u05D5\u05E2\u05DD\u05D5\u05DC\u05E9.");
    EXPECT_LT(lines[0].width, 100);
}

// English with a Hebrew run: the paragraph stays left to right, the run reads right
// to left inside it.
TEST(Scripts, HebrewRunInsideEnglishReadsRightToLeft) {
    const PrintStyle style = scripts_style();
    FontContext ctx(style);
    const ParagraphOptions o = body(300, "en");
    const std::vector<Line> lines =
        set_paragraph(text("Greet with \u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD and go on."), o, ctx);
    ASSERT_EQ(lines.size(), 1u);
    const Line& l = lines[0];
    EXPECT_LT(x_of(l, "G"), 1);  // starts at the left
    const double shin = x_of(l, "\u05E9"), final_mem = x_of(l, "\u05DD");
    // שלום עולם: ש (first) right of ם (last, twice: the first ם found is the leftmost).
    EXPECT_GT(shin, final_mem);
    EXPECT_GT(final_mem, x_of(l, "h"));  // after "with"
    EXPECT_LT(shin, x_of(l, "a"));       // before "and"
    // Left to right as shown (spaces are no glyphs): the Hebrew words reversed.
    EXPECT_EQ(line_text(l), "Greetwith\u05DD\u05DC\u05D5\u05E2\u05DD\u05D5\u05DC\u05E9andgoon.");
}

// The text a tagged PDF reads from a line: its runs in order, each its ActualText
// when it has one, else its characters with the word spaces its glyphs carry.
std::string read_text(const Line& l) {
    std::string out;
    for (const GlyphRun& r : l.runs) {
        if (r.element && !r.element->actual_text.empty()) {
            out += r.element->actual_text;
            continue;
        }
        std::size_t at = 0;
        for (const PlacedGlyph& g : r.glyphs) {
            out += r.text.substr(at, g.text_length);
            at += g.text_length;
            if (g.space_after) out += ' ';
        }
    }
    // Word spaces as a reader takes them: runs of them as one, none at the end.
    std::string words;
    for (char c : out)
        if (c != ' ' || (!words.empty() && words.back() != ' ')) words += c;
    while (!words.empty() && words.back() == ' ') words.pop_back();
    return words;
}

// Right-to-left words are shown right to left and read in logical order (a tagged
// PDF's structure, a screen reader): inside English, and English inside Hebrew.
TEST(Scripts, RightToLeftWordsReadInLogicalOrder) {
    const PrintStyle style = scripts_style();
    FontContext ctx(style);
    const std::string in_english = "Greet with \u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD and go on.";
    std::vector<Line> lines = set_paragraph(text(in_english), body(300, "en"), ctx);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(read_text(lines[0]), in_english);
    const std::string in_hebrew = "\u05E9\u05DC\u05D5\u05DD hello world \u05E2\u05D5\u05DC\u05DD \u05D2\u05DD.";
    lines = set_paragraph(text(in_hebrew), body(300, "he"), ctx);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(read_text(lines[0]), in_hebrew);
    // Still shown as before: the first Hebrew word at the right.
    EXPECT_GT(x_of(lines[0], "\u05E9"), x_of(lines[0], "h"));
    // A paragraph of many lines reads, line after line, as written.
    lines = set_paragraph(text(kHebrew), body(200, "he"), ctx);
    ASSERT_GT(lines.size(), 2u);
    std::string all;
    for (const Line& l : lines) all += (all.empty() ? "" : " ") + read_text(l);
    EXPECT_EQ(all, kHebrew);
}

const std::string kChinese =
    "\u6392\u7248\u662F\u4E00\u95E8\u628A\u6587\u5B57\u5B89\u6392\u5728\u9875\u9762\u4E0A\u7684\u827A\u672F\uFF0C"
    "\u4E2D\u6587\u53E5\u5B50\u4E4B\u95F4\u6CA1\u6709\u7A7A\u683C\uFF0C\u6240\u4EE5\u6362\u884C\u53EF\u4EE5\u53D1"
    "\u751F\u5728\u51E0\u4E4E\u4EFB\u4F55\u4E24\u4E2A\u6C49\u5B57\u4E4B\u95F4\u3002\u4F46\u662F\u53E5\u53F7\u548C"
    "\u9017\u53F7\u4E0D\u80FD\u51FA\u73B0\u5728\u884C\u9996\u3001\u4E5F\u4E0D\u80FD\u5355\u72EC\u6210\u884C\u3002";

// About 200 Chinese characters without a space, in a narrow measure: broken between
// characters, no line overfull, none starting with 。，、, every character kept.
TEST(Scripts, ChineseBreaksBetweenCharactersWithoutOverfullLines) {
    const PrintStyle style = scripts_style();
    FontContext ctx(style);
    const std::string para = kChinese + kChinese + kChinese;
    for (double width : {100.0, 127.3, 150.0}) {
        const ParagraphOptions o = body(width, "zh");
        const std::vector<Line> lines = set_paragraph(text(para), o, ctx);
        ASSERT_GE(lines.size(), 10u) << width;
        std::string all;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::string t = line_text(lines[i]);
            all += t;
            EXPECT_FALSE(lines[i].overfull) << width << ": " << t;
            EXPECT_LE(lines[i].width, width + 0.01) << width << ": " << t;
            for (const char* p : {"\u3002", "\uFF0C", "\u3001"}) EXPECT_NE(t.rfind(p, 0), 0u) << width << ": " << t;
            if (i + 1 < lines.size()) {
                EXPECT_NEAR(lines[i].width, width, 0.01) << width << ": " << t;
            }
        }
        EXPECT_EQ(all, para);
    }
}

// Latin text in a paragraph that also holds CJK keeps its own breaks: no break
// inside "and/or" or a word.
TEST(Scripts, LatinWordsBesideCjkKeepTheirRules) {
    const PrintStyle style = scripts_style();
    FontContext ctx(style);
    ParagraphOptions o = body(60, "en");
    o.hyphenate = false;
    const std::vector<Line> lines = set_paragraph(text("\u4E2D\u6587 and/or typesetting \u6587\u5B57"), o, ctx);
    ASSERT_GE(lines.size(), 2u);
    for (const Line& l : lines) {
        const std::string t = line_text(l);
        if (t.find("and") != std::string::npos) {
            EXPECT_NE(t.find("and/or"), std::string::npos) << t;
        }
        if (t.find("type") != std::string::npos) {
            EXPECT_NE(t.find("typesetting"), std::string::npos) << t;
        }
    }
}

}  // namespace
}  // namespace folio::layout
