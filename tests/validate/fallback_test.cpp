// Issue 12, "no blank glyphs", in the PDFs as a reader meets them: a line mixing
// Devanagari, Greek, an emoji and Chinese is set from fonts that have every glyph,
// all embedded as subsets (the CJK font a CFF one, from a collection), and extracts
// exactly; a character in no font prints a replacement mark, extracts as itself,
// and is reported at its file and line.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace folio {
namespace {

namespace fs = std::filesystem;

const std::string kMixed =
    "Hindi \u0939\u093F\u0928\u094D\u0926\u0940 and \u0915\u094D\u0937\u093F\u0924\u093F, Greek "
    "\u0395\u03BB\u03BB\u03B7\u03BD\u03B9\u03BA\u03AC, emoji \U0001F600, Chinese \u4E2D\u6587.";

class FallbackPdf : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new test::ScratchDir;
        const fs::path book = s_dir->path() / "book";
        fs::create_directories(book / "articles");
        test::spit(book / "book.yaml",
                   "title: Scripts\nauthor: Jane Roe\nlanguage: en\nchapters:\n  - title: One\n    articles: [articles/a.md]\n");
        test::spit(book / "articles/a.md",
                   "---\ntitle: Many scripts\nauthor: Jane Roe\nlicense: CC BY 4.0\n---\n\n" + kMixed +
                       "\n\nA private character \uE000 here.\n");
        for (const char* format : {"pdf", "print"}) {
            const auto r = test::run_folio({"build", book.string(), "-o", (s_dir->path() / "out").string(), "--format", format});
            s_err += r.err;
            ASSERT_EQ(r.exit_code, 0) << r.err;
        }
    }
    static void TearDownTestSuite() {
        delete s_dir;
        s_dir = nullptr;
    }
    static fs::path pdf(bool print) { return s_dir->path() / "out" / (print ? "book-print.pdf" : "book.pdf"); }
    static inline test::ScratchDir* s_dir = nullptr;
    static inline std::string s_err;
};

std::string squeeze(const std::string& s) {  // pdftotext's line breaks and spacing aside
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '\f') out += c;
    return out;
}

std::string no_spaces(std::string s) { return squeeze(s); }

TEST_F(FallbackPdf, TextExtractsExactlyIncludingTheCharacterInNoFont) {
    for (bool print : {false, true}) {
        const auto r = test::run_command("pdftotext -enc UTF-8 '" + pdf(print).string() + "' -");
        ASSERT_EQ(r.exit_code, 0);
        const std::string text = squeeze(r.out);
        EXPECT_NE(text.find(no_spaces(kMixed)), std::string::npos) << (print ? "print" : "reading") << ":\n" << r.out;
        EXPECT_NE(text.find("Aprivatecharacter\uE000here."), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find("\uFFFD"), std::string::npos) << "the mark extracts as itself, not as the character";
    }
}

TEST_F(FallbackPdf, EveryFontEmbeddedAsASubsetWithTheCjkFontAsCff) {
    for (bool print : {false, true}) {
        const auto r = test::run_command("pdffonts '" + pdf(print).string() + "'");
        ASSERT_EQ(r.exit_code, 0) << r.out;
        for (const char* name : {"NotoSerifDevanagari", "NotoSerif-Regular", "NotoSerifCJKjp-Regular", "DejaVuSans"})
            EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
            EXPECT_NE(line.find("yes yes yes"), std::string::npos) << line;
            EXPECT_NE(line.find('+'), std::string::npos) << "not a subset: " << line;
            if (line.find("CJK") != std::string::npos) EXPECT_NE(line.find("CID Type 0C"), std::string::npos) << line;
            else EXPECT_NE(line.find("CID TrueType"), std::string::npos) << line;
        }
        const auto check = test::run_command("qpdf --check '" + pdf(print).string() + "' 2>&1");
        EXPECT_EQ(check.exit_code, 0) << check.out;
    }
}

// No glyph is .notdef: every glyph id the content streams show is non-zero.
TEST_F(FallbackPdf, NoGlyphIsNotdef) {
    test::ScratchDir dir;
    const auto qdf = test::run_command("qpdf --qdf --normalize-content=n --object-streams=disable '" + pdf(false).string() + "' '" +
                                       (dir / "q.pdf").string() + "'");
    ASSERT_EQ(qdf.exit_code, 0) << qdf.out;
    // The glyph arrays of the content streams: "[(codes) adjust (codes)] TJ", two
    // bytes a glyph in literal strings (the normalization left off, so they stay as
    // written), read from the whole file: a code's byte may be a line feed.
    const std::string q = test::slurp(dir / "q.pdf");
    int glyphs = 0;
    for (std::size_t end = q.find("] TJ"); end != std::string::npos; end = q.find("] TJ", end + 1)) {
        // Back to the array's '[': the first one outside a string (codes hold '['
        // too, but escaped parentheses and backslashes only, so a scan from the
        // line's "Td [" start is exact).
        const std::size_t begin = q.rfind("Td [", end);
        if (begin == std::string::npos) continue;
        std::string codes;
        bool in_string = false;
        for (std::size_t i = begin + 4; i < end; ++i) {
            const char c = q[i];
            if (!in_string) {
                if (c == '(') in_string = true, codes.clear();
                continue;
            }
            if (c == '\\') {
                const char e = q[++i];
                codes += e == 'r' ? '\r' : e == 'n' ? '\n' : e;
            } else if (c == ')') {
                in_string = false;
                EXPECT_EQ(codes.size() % 2, 0u);
                for (std::size_t k = 0; k + 2 <= codes.size(); k += 2, ++glyphs)
                    EXPECT_FALSE(codes[k] == 0 && codes[k + 1] == 0) << "a .notdef glyph at byte " << i;
            } else {
                codes += c;
            }
        }
    }
    EXPECT_GT(glyphs, 100);
}

TEST_F(FallbackPdf, TheCharacterInNoFontIsReportedAtItsLine) {
    // Front matter (5 lines), a blank line, the mixed paragraph, a blank line: line 9.
    EXPECT_NE(s_err.find("a.md:9: warning: character U+E000 '\uE000' is in none of the style's fonts; a replacement "
                         "mark (U+FFFD) is printed in its place"),
              std::string::npos)
        << s_err;
    EXPECT_EQ(s_err.find("U+0939"), std::string::npos) << s_err;
    EXPECT_EQ(s_err.find("U+1F600"), std::string::npos) << s_err;
}

}  // namespace
}  // namespace folio
