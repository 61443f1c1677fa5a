// Fallback fonts (issue 12, "no blank glyphs"): every cluster from the first font of
// the default style that has it, opened only when needed; a character in no font
// shows a replacement mark and is reported where it stands.
#include "layout/paragraph.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace folio::layout {
namespace {

PrintStyle default_style() {
    Diagnostics d;
    return parse_print_style(test::slurp(test::source_dir() / "styles/default/print.yaml"), "print.yaml", d);
}

ParagraphOptions body(double width) {
    ParagraphOptions o;
    o.width = width;
    o.size = 10.5;
    o.leading = 14;
    o.lang = "en";
    o.align = Align::Ragged;
    o.where = {"articles/scripts.md", 7};
    return o;
}

doc::Inlines text(const std::string& s) { return {doc::Inline{doc::Text{s}}}; }

// The runs' text per font file name (the file, not the folder).
std::map<std::string, std::string> text_by_font(const std::vector<Line>& lines, const FontSet& fonts) {
    std::map<std::string, std::string> out;
    for (const Line& l : lines)
        for (const GlyphRun& r : l.runs) out[std::filesystem::path(fonts.path(r.font)).filename().string()] += r.text;
    return out;
}

TEST(FallbackFonts, DevanagariGreekEmojiAndChineseEachFromAFontThatHasThem) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    Diagnostics d;
    ctx.diagnostics = &d;
    const std::vector<Line> lines =
        set_paragraph(text("Hindi \u0939\u093F\u0928\u094D\u0926\u0940, Greek \u0395\u03BB\u03BB\u03B7\u03BD\u03B9\u03BA\u03AC, "
                           "emoji \U0001F600 and \u4E2D\u6587."),
                      body(400), ctx);
    ASSERT_EQ(lines.size(), 1u);
    std::string all;
    for (const GlyphRun& r : lines[0].runs) {
        all += r.text;
        for (const PlacedGlyph& g : r.glyphs) EXPECT_NE(g.gid, 0) << "a .notdef in " << r.text;
    }
    EXPECT_EQ(all, "Hindi\u0939\u093F\u0928\u094D\u0926\u0940,Greek\u0395\u03BB\u03BB\u03B7\u03BD\u03B9\u03BA\u03AC,"
                   "emoji\U0001F600and\u4E2D\u6587.");
    const auto by_font = text_by_font(lines, *ctx.fonts);
    EXPECT_EQ(by_font.at("NotoSerifDevanagari-Regular.ttf"), "\u0939\u093F\u0928\u094D\u0926\u0940");
    // Charis has a λ, but the word stays in the face that has all its letters.
    EXPECT_EQ(by_font.at("NotoSerif-Regular.ttf"), "\u0395\u03BB\u03BB\u03B7\u03BD\u03B9\u03BA\u03AC");
    EXPECT_EQ(by_font.at("NotoSerifCJK-Regular.ttc#0"), "\u4E2D\u6587");
    EXPECT_EQ(by_font.at("DejaVuSans.ttf"), "\U0001F600");
    EXPECT_EQ(by_font.at("CharisSIL-Regular.ttf"), "Hindi,Greek,emojiand.");
    EXPECT_EQ(d.warning_count(), 0u);
}

// A Devanagari cluster (a consonant with its vowel sign, or a conjunct) is never
// split between fonts, even when the face's font has one of its characters.
TEST(FallbackFonts, AClusterStaysInOneFont) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    // U+0301, a combining acute, is in Charis; here it sits on a Devanagari letter.
    const std::vector<Line> lines = set_paragraph(text("\u0915\u0301\u093F"), body(200), ctx);
    ASSERT_EQ(lines.size(), 1u);
    ASSERT_EQ(lines[0].runs.size(), 1u);
    EXPECT_EQ(std::filesystem::path(ctx.fonts->path(lines[0].runs[0].font)).filename(), "NotoSerifDevanagari-Regular.ttf");
}

TEST(FallbackFonts, LatinTextOpensNoFallbackFont) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    ASSERT_GE(ctx.fallback.size(), 7u) << "the default style's fallbacks are installed by `make deps`";
    set_paragraph(text("Plain English, with \u201Cquotes\u201D, \u00E9t\u00E9 and \u0161\u0107\u0111 \u2014 all Charis."),
                  body(300), ctx);
    for (FontId f : ctx.fallback) EXPECT_FALSE(ctx.fonts->loaded(f)) << ctx.fonts->path(f);
}

TEST(FallbackFonts, ACharacterInNoFontShowsAReplacementMarkAndIsReportedWithItsLine) {
    const PrintStyle style = default_style();
    FontContext ctx(style);
    Diagnostics d;
    ctx.diagnostics = &d;
    const std::vector<Line> lines = set_paragraph(text("private \uE000 use"), body(300), ctx);
    ASSERT_EQ(lines.size(), 1u);
    // The glyph that stands for the character: the font's U+FFFD, with some width.
    const GlyphRun* run = nullptr;
    const PlacedGlyph* mark = nullptr;
    for (const GlyphRun& r : lines[0].runs) {
        std::size_t offset = 0;
        for (const PlacedGlyph& g : r.glyphs) {
            if (r.text.substr(offset, g.text_length) == "\uE000") run = &r, mark = &g;
            offset += g.text_length;
        }
    }
    ASSERT_NE(mark, nullptr);
    const Font& font = (*ctx.fonts)[run->font];
    EXPECT_EQ(mark->gid, font.glyph(U'\uFFFD'));
    EXPECT_NE(mark->gid, 0);
    EXPECT_GT(font.advance(mark->gid), 0);
    const auto w = d.warnings();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].format().substr(0, w[0].format().find('\n')),
              "articles/scripts.md:7: warning: character U+E000 '\uE000' is in none of the style's fonts; a replacement "
              "mark (U+FFFD) is printed in its place");
}

TEST(FallbackFonts, AFallbackNotInstalledIsSkippedAndNamedInTheWarning) {
    PrintStyle style = default_style();
    style.fallback.insert(style.fallback.begin(), "/nonexistent/Fonts/NotHere.ttf");
    FontContext ctx(style);
    Diagnostics d;
    ctx.diagnostics = &d;
    set_paragraph(text("\uE000"), body(300), ctx);
    ASSERT_EQ(d.warnings().size(), 1u);
    EXPECT_NE(d.warnings()[0].format().find("not installed: /nonexistent/Fonts/NotHere.ttf"), std::string::npos)
        << d.warnings()[0].format();
}

TEST(FontCollection, AFaceOfACollectionIsNamedByItsIndex) {
    const Font sc("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc#2");
    EXPECT_EQ(sc.postscript_name(), "NotoSerifCJKsc-Regular");
    const Font first("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    EXPECT_EQ(first.postscript_name(), "NotoSerifCJKjp-Regular");
    try {
        Font("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc#9");
        ADD_FAILURE() << "face 9 opened";
    } catch (const Error& e) {
        EXPECT_EQ(e.message(), "the font collection has no face 9 (it has 5)");
    }
}

// A warning given once names the first of its places, in file and line order,
// whichever paragraph gave it first: articles are set on every core in no fixed
// order, and a word measured once serves every paragraph after.
TEST(WarnOnce, TheWarningNamesTheFirstPlaceWhateverTheOrderOfSetting) {
    FontContext ctx(default_style());
    Diagnostics d;
    ctx.diagnostics = &d;
    ParagraphOptions o = body(300);
    o.align = Align::Justify;
    o.hyphenate = true;
    o.lang = "cy";  // no hyphenation dictionary installed
    // The same words each time: measured for the first paragraph only.
    const std::pair<const char*, int> places[] = {
        {"articles/b.md", 3}, {"articles/a.md", 9}, {"articles/a.md", 4}, {"articles/c.md", 1}};
    for (const auto& [file, line] : places) {
        o.where = {file, line};
        set_paragraph(text("Mae hwn yn erthygl gyda geiriau Cymraeg \uE000 ynddi."), o, ctx);
    }
    std::map<std::string, std::string> where;  // what each warning is about -> its place
    for (const Diagnostic& w : d.warnings())
        where[w.message.find("language 'cy'") != std::string::npos ? "language" : "character in " + w.where.file] =
            w.where.str();
    EXPECT_EQ(where, (std::map<std::string, std::string>{{"language", "articles/a.md:4"},
                                                         {"character in articles/a.md", "articles/a.md:4"},
                                                         {"character in articles/b.md", "articles/b.md:3"},
                                                         {"character in articles/c.md", "articles/c.md:1"}}));
    EXPECT_EQ(d.warnings().size(), 4u);
}

}  // namespace
}  // namespace folio::layout
