// Paragraph layout with the default style's fonts: justified lines fill the measure,
// ragged ones do not, hyphens and dashes fall where they should.
#include "layout/paragraph.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <sstream>

namespace folio::layout {
namespace {

PrintStyle default_style() {
    Diagnostics d;
    return parse_print_style(test::slurp(test::source_dir() / "styles/default/print.yaml"), "print.yaml", d);
}

doc::Inlines text(const std::string& s) { return {doc::Inline{doc::Text{s}}}; }

// Body text as the default style sets it, justified in English, `width` wide.
ParagraphOptions body(double width) {
    ParagraphOptions o;
    o.width = width;
    o.size = 10.5;
    o.leading = 14;
    o.lang = "en";
    return o;
}

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
        ParagraphOptions o = body(width);
        o.protrusion = false;  // below: lines that hang
        const std::vector<Line> lines = set_paragraph(text(kParagraph), o, ctx);
        ASSERT_GE(lines.size(), 2u);
        for (std::size_t i = 0; i + 1 < lines.size(); ++i)
            EXPECT_NEAR(lines[i].width, width, 0.01) << "width " << width << ", line " << i << ": " << line_text(lines[i]);
        EXPECT_LE(lines.back().width, width + 0.01);  // a last line may be full, never more
        for (const Line& l : lines) EXPECT_FALSE(l.overfull);
    }
}

// Protrusion: a justified line ending in a stop, comma or hyphen reaches past the
// measure by part of that character; one ending in a plain letter ends on it; a
// line starting with a quotation mark starts left of it.
TEST(Paragraph, PunctuationHangsIntoTheMargin) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o = body(150);
    std::string many = "\u201CAn opening quotation mark,\u201D as this paragraph has. ";
    for (int i = 0; i < 6; ++i) many += kParagraph + " \u201CQuoted words, again,\u201D she said. ";
    const std::vector<Line> lines = set_paragraph(text(many), o, ctx);
    int hung = 0, flush = 0, hung_left = 0;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        const std::string t = line_text(lines[i]);
        const char last = t.back();
        if (last == '.' || last == ',' || last == '-') {
            EXPECT_GT(lines[i].width, o.width + 0.5) << t;
            EXPECT_LT(lines[i].width, o.width + 0.4 * o.size) << t;
            ++hung;
        } else if (last >= 'a' && last <= 'u') {
            EXPECT_NEAR(lines[i].width, o.width, 0.01) << t;
            ++flush;
        }
        if (t.rfind("\u201C", 0) == 0) {
            EXPECT_LT(lines[i].runs.front().x + lines[i].runs.front().glyphs.front().x, -0.5) << t;
            ++hung_left;
        }
    }
    EXPECT_GE(hung, 3);
    EXPECT_GE(flush, 3);
    EXPECT_GE(hung_left, 1);
}

// Font expansion: letters of a justified line set at most 2 % wider or narrower
// (the run's hscale, written as PDF Tz), so that its spaces stay nearer their
// natural width than without; code is never scaled.
TEST(Paragraph, FontExpansionEvensTheSpacesWithinTwoPercent) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o = body(200);
    doc::Inlines in = text(kParagraph + " Then ");
    in.push_back(doc::Inline{doc::Code{"make test"}});
    in.push_back(doc::Inline{doc::Text{" runs. " + kParagraph}});
    auto glue_ratios = [&](const std::vector<Line>& lines) {
        double sum = 0;
        for (std::size_t i = 0; i + 1 < lines.size(); ++i) sum += std::abs(lines[i].ratio);
        return sum;
    };
    const std::vector<Line> expanded = set_paragraph(in, o, ctx);
    int scaled = 0;
    for (const Line& l : expanded)
        for (const GlyphRun& r : l.runs) {
            EXPECT_GE(r.hscale, 0.98);
            EXPECT_LE(r.hscale, 1.02);
            if (r.hscale != 1) ++scaled;
            if (r.font == ctx.font_for(Face::Mono)) {
                EXPECT_EQ(r.hscale, 1) << r.text;
            }
        }
    EXPECT_GE(scaled, 3);
    o.expansion = 0;
    const std::vector<Line> plain = set_paragraph(in, o, ctx);
    for (const Line& l : plain)
        for (const GlyphRun& r : l.runs) EXPECT_EQ(r.hscale, 1);
    EXPECT_LT(glue_ratios(expanded), 0.9 * glue_ratios(plain));
}

// Explicit hyphens count in the limit of two hyphenated lines in a row, as the
// dictionary's do.
TEST(Paragraph, NoThreeLinesInARowEndWithAHyphenOfAnyKind) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.width = 90;
    o.lang = "en";
    std::string compounds;
    for (int i = 0; i < 12; ++i)
        compounds += "well-known self-made long-term state-of-the-art twenty-one mother-in-law ";
    const std::vector<Line> lines = set_paragraph(text(compounds + "end."), o, ctx);
    int run = 0, most = 0, hyphenated = 0;
    for (const Line& l : lines) {
        run = l.hyphenated ? run + 1 : 0;
        most = std::max(most, run);
        hyphenated += l.hyphenated;
    }
    EXPECT_GE(hyphenated, 4);  // the case is real
    EXPECT_LE(most, 2);
}

// A space beside inline code is narrowed by the white a monospace cell leaves around
// a narrow letter, so that it does not look wider than the others; by no more than
// a third of it.
TEST(Paragraph, SpacesBesideInlineCodeLookLikeTheOthers) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.width = 300;
    o.size = 10;
    o.align = Align::Ragged;
    o.lang = "en";
    doc::Inlines in = text("the ");
    in.push_back(doc::Inline{doc::Code{"rights"}});
    in.push_back(doc::Inline{doc::Text{" value"}});
    const std::vector<Line> lines = set_paragraph(in, o, ctx);
    ASSERT_EQ(lines.size(), 1u);
    ASSERT_EQ(lines[0].runs.size(), 3u);
    auto end_of = [&](const GlyphRun& r) {
        const Font& f = (*ctx.fonts)[r.font];
        return r.x + r.glyphs.back().x + f.advance(r.glyphs.back().gid) * r.size / f.units_per_em();
    };
    const Font& regular = (*ctx.fonts)[ctx.font_for(Face::Regular)];
    const double space = regular.advance(regular.glyph(U' ')) * o.size / regular.units_per_em();
    const double before = lines[0].runs[1].x - end_of(lines[0].runs[0]);  // "the" | "rights"
    const double after = lines[0].runs[2].x - end_of(lines[0].runs[1]);   // "rights" | "value"
    const Font& mono = (*ctx.fonts)[ctx.font_for(Face::Mono)];
    ASSERT_GT(mono.side_bearings(mono.glyph(U'r')).first * 0.88 * o.size / mono.units_per_em(), 0.04 * 0.88 * o.size);
    EXPECT_LT(before, space - 0.05);
    EXPECT_GE(before, space * 2 / 3 - 1e-9);
    EXPECT_LT(after, space - 0.05);  // 's' stands in its cell with white on both sides
    EXPECT_GE(after, space * 2 / 3 - 1e-9);
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

// No dictionary breaks code or a web address: they break after their separators,
// with no hyphen added, so that a narrow measure is not stretched around them.
TEST(Paragraph, CodeAndAddressesBreakAfterSeparatorsWithoutAHyphen) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o = body(110);
    doc::Inlines in = text("Call ");
    in.push_back(doc::Inline{doc::Code{"parse_front_matter_of_the_article"}});
    in.push_back(doc::Inline{doc::Text{" or read https://example.org/posts/2024/typesetting/notes today."}});
    const std::vector<Line> lines = set_paragraph(in, o, ctx);
    std::string joined;
    bool broke_code = false, broke_address = false;
    for (const Line& l : lines) {
        const std::string t = line_text(l);
        EXPECT_FALSE(l.overfull) << t;
        broke_code = broke_code || (t.size() > 1 && t.back() == '_');
        broke_address = broke_address || (t.size() > 1 && t.back() == '/');
        joined += t;
    }
    EXPECT_TRUE(broke_code);
    EXPECT_TRUE(broke_address);
    // Nothing was added: the lines put back together give the words as written.
    EXPECT_NE(joined.find("parse_front_matter_of_the_article"), std::string::npos) << joined;
    EXPECT_NE(joined.find("https://example.org/posts/2024/typesetting/notes"), std::string::npos) << joined;
}

// A credit extracts verbatim: no line ends inside one of its words, not even after
// a hyphen, except inside a web address, which breaks after a separator and gains
// nothing (no hyphen) at the break.
TEST(Paragraph, WordsKeptWholeNeverBreakInside) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.width = 120;
    o.align = Align::Ragged;
    o.hyphenate = false;
    o.keep_words_whole = true;
    o.lang = "en";
    const std::string credit =
        "By Jane Doe-Smith, first published on https://example.org/blog/a-long-post-name-for-a-test under CC BY-SA 4.0.";
    // Where each word ends, the spaces taken out (they are glue, not glyphs).
    std::string letters;
    std::set<std::size_t> word_ends;
    std::size_t address_begin = 0, address_end = 0;
    std::istringstream in(credit);
    for (std::string w; in >> w;) {
        if (w.find("://") != std::string::npos) address_begin = letters.size(), address_end = letters.size() + w.size();
        letters += w;
        word_ends.insert(letters.size());
    }
    const std::vector<Line> lines = set_paragraph(text(credit), o, ctx);
    ASSERT_GE(lines.size(), 3u);
    std::string joined;
    bool broke_address = false;
    for (const Line& l : lines) {
        if (!joined.empty() && !word_ends.count(joined.size())) {
            // Only inside the address, right after one of its separators.
            EXPECT_TRUE(joined.size() > address_begin && joined.size() < address_end) << "a line ends inside a word: " << joined;
            EXPECT_NE(std::string("/.-_?#&=").find(joined.back()), std::string::npos) << joined;
            broke_address = true;
        }
        EXPECT_LE(l.width, o.width + 0.01) << line_text(l);
        joined += line_text(l);
    }
    EXPECT_TRUE(broke_address);
    EXPECT_EQ(joined, letters) << "nothing added, nothing lost";
}

}  // namespace
}  // namespace folio::layout

namespace folio::layout {
namespace {

double widest_line(const std::vector<Line>& lines) {
    double w = 0;
    for (const Line& l : lines) w = std::max(w, l.width);
    return w;
}

// CSS's min-content and max-content: set in a line of the min-content width no line
// is wider; set in one of the max-content width the text takes one line.
TEST(ContentWidths, MinFitsEveryLineAndMaxTakesOneLine) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.size = 9.45;
    o.leading = 12;
    o.align = Align::Ragged;
    o.lang = "en";
    o.width = 1000;
    const doc::Inlines t = text("an extraordinarily complicated circumstance of the harbour");
    const ContentWidths w = content_widths(t, o, ctx);
    ASSERT_GT(w.min, 0);
    EXPECT_LT(w.min, w.max);
    o.hyphenate = false;
    const double longest_word = content_widths(text("extraordinarily"), o, ctx).max;
    o.hyphenate = true;
    EXPECT_LT(w.min, longest_word) << "the longest word may be hyphenated";
    o.width = w.max;
    EXPECT_EQ(set_paragraph(t, o, ctx).size(), 1u);
    o.width = w.min;
    const std::vector<Line> narrow = set_paragraph(t, o, ctx);
    EXPECT_GE(narrow.size(), 5u);
    EXPECT_LE(widest_line(narrow), w.min + 0.01);
    for (const Line& l : narrow) EXPECT_FALSE(l.overfull) << line_text(l);
}

TEST(ContentWidths, AHardBreakEndsALine) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.align = Align::Ragged;
    o.lang = "en";
    o.width = 1000;
    const ContentWidths one = content_widths(text("harbour lights"), o, ctx);
    const ContentWidths two = content_widths(
        {doc::Inline{doc::Text{"harbour"}}, doc::Inline{doc::LineBreak{}}, doc::Inline{doc::Text{"lights"}}}, o, ctx);
    EXPECT_LT(two.max, one.max * 0.7);
}

// A token with no break in it is cut to fit the line only when asked, after its
// separators first, else between characters.
TEST(ContentWidths, WideWordsBreakOnlyWhenAsked) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ParagraphOptions o;
    o.align = Align::Ragged;
    o.lang = "en";
    o.width = 60;
    const doc::Inlines t = text("see example.org/records/ledger_1887?page=12 and 3f786850e387550fdab836ed7e6dc881de23001b");
    EXPECT_GT(widest_line(set_paragraph(t, o, ctx)), 60.5) << "without the option the hash overflows";
    o.break_wide_words = true;
    const std::vector<Line> lines = set_paragraph(t, o, ctx);
    EXPECT_LE(widest_line(lines), 60.01);
    std::string all;
    for (const Line& l : lines) all += line_text(l);
    EXPECT_NE(all.find("3f786850"), std::string::npos);
    EXPECT_NE(all.find("001b"), std::string::npos);
    EXPECT_EQ(all.find('-'), std::string::npos) << "a cut token shows no hyphen";
    EXPECT_LE(content_widths(t, o, ctx).min, 60.01);
}

// Albanian text is hyphenated (folio's own patterns): the field guide's passage, set
// narrow, breaks a word at a hyphen, at a place the orthography allows, and with no
// warning that the language has no dictionary.
TEST(Paragraph, AlbanianIsHyphenated) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    Diagnostics d;
    ctx.diagnostics = &d;
    ParagraphOptions o = body(110);
    o.lang = "sq";
    const std::vector<Line> lines = set_paragraph(
        text("Çdo libër fillon me një faqe të bardhë. Fjalët fluturojnë, shkrimet mbeten, ndërsa "
             "shqiptarët lexojnë përherë xixëllonjat e mbrëmjeve të gjata."),
        o, ctx);
    EXPECT_EQ(d.warning_count(), 0u);
    int hyphenated = 0;
    for (const Line& l : lines) {
        if (!l.hyphenated) continue;
        ++hyphenated;
        const std::string t = line_text(l);
        ASSERT_GE(t.size(), 2u);
        EXPECT_EQ(t.back(), '-') << t;
        // No digraph is split: the letter before the hyphen and the next line's first
        // do not make one.
        const std::string before = t.substr(t.size() - 2, 1);
        const std::string next = line_text(lines[static_cast<std::size_t>(&l - lines.data()) + 1]).substr(0, 1);
        for (const char* digraph : {"dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh"})
            EXPECT_NE(before + next, digraph) << t;
    }
    EXPECT_GE(hyphenated, 1);
}

}  // namespace
}  // namespace folio::layout

namespace folio::layout {
namespace {

// The word cache keeps each word packed in one block; the setter reads it in place.
// Every array reads back as it was measured: several runs (a fallback font's
// letters inside a word), glyph offsets, hyphenation points and missing characters.
TEST(MeasuredWord, APackedWordReadsBackAsItWasMeasured) {
    MeasuredWord w;
    w.runs = {{0, 0, 3, 0, 3}, {2, 3, 7, 3, 5}, {0, 7, 9, 5, 7}};
    for (std::uint32_t g = 0; g < 7; ++g)
        w.glyphs.push_back({100 + g, g, static_cast<int>(500 + 10 * g), -static_cast<int>(g), static_cast<int>(2 * g)});
    w.breaks = {2, 5};
    w.missing = {U'\u0F00', U'\U0001F600'};
    // The cache keeps values on an 8-byte boundary: so does this buffer.
    const std::string packed = pack(w);
    std::vector<std::uint64_t> block((packed.size() + 7) / 8);
    std::memcpy(block.data(), packed.data(), packed.size());
    const WordView v = unpack(std::as_bytes(std::span(block)).first(packed.size()));
    ASSERT_EQ(std::vector<MeasuredWord::Run>(v.runs.begin(), v.runs.end()), w.runs);
    ASSERT_EQ(std::vector<ShapedGlyph>(v.glyphs.begin(), v.glyphs.end()), w.glyphs);
    EXPECT_EQ(std::vector<std::uint32_t>(v.breaks.begin(), v.breaks.end()), w.breaks);
    EXPECT_EQ(std::vector<char32_t>(v.missing.begin(), v.missing.end()), w.missing);
    // The second run's glyphs, as the setter asks for them.
    ASSERT_EQ(v.glyphs_of(v.runs[1]).size(), 2u);
    EXPECT_EQ(v.glyphs_of(v.runs[1])[0].gid, 103u);
    // A word of nothing (an empty piece) packs to its counts alone.
    const std::string none = pack(MeasuredWord{});
    std::uint64_t empty[2] = {};
    std::memcpy(empty, none.data(), none.size());
    const WordView nothing = unpack(std::as_bytes(std::span(empty)).first(none.size()));
    EXPECT_TRUE(nothing.runs.empty() && nothing.glyphs.empty() && nothing.breaks.empty() && nothing.missing.empty());
}

}  // namespace
}  // namespace folio::layout
