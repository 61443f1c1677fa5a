// Right-to-left and CJK text in what a reader gets: a book with a Hebrew article, an
// English article with Hebrew and Arabic phrases, and a Chinese article, set in the
// default style, whose fallback fonts cover those scripts (fonts-noto-core,
// fonts-noto-cjk). pdftotext must give the text back in logical order; the EPUB
// marks direction and passes epubcheck.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace folio {
namespace {

namespace fs = std::filesystem;

const std::string kHebrew = "\u05E1\u05E4\u05E8 \u05D8\u05D5\u05D1 \u05D4\u05D5\u05D0 \u05D7\u05D1\u05E8 "
                            "\u05E0\u05D0\u05DE\u05DF.";                         // ספר טוב הוא חבר נאמן.
const std::string kShalom = "\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD";  // שלום עולם
const std::string kArabic = "\u0627\u0644\u0643\u062A\u0627\u0628 \u062E\u064A\u0631 \u062C\u0644\u064A\u0633";
// About 200 characters of Chinese, no space in them.
const std::string kChineseSentence =
    "\u8BFB\u4E00\u672C\u597D\u4E66\uFF0C\u5C31\u50CF\u548C\u4E00\u4F4D\u806A\u660E\u7684\u670B\u53CB\u8C08\u8BDD"
    "\u3002\u6392\u7248\u662F\u4E00\u95E8\u628A\u6587\u5B57\u5B89\u6392\u5728\u9875\u9762\u4E0A\u7684\u827A\u672F"
    "\u3001\u4E5F\u662F\u4E00\u95E8\u624B\u827A\u3002";

class ScriptsInOutputs : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new test::ScratchDir;
        const fs::path book = s_dir->path() / "scripts";
        fs::create_directories(book);
        // The default style: its fallback fonts cover Hebrew, Arabic and Chinese.
        test::spit(book / "book.yaml", "title: Scripts\nlanguage: en\nauthor: Ann\ncredits: optional\n"
                                       "chapters:\n  - title: Three scripts\n    articles: [he.md, en.md, zh.md]\n");
        test::spit(book / "he.md", "---\ntitle: \u05E1\u05E4\u05E8\nlang: he\nlicense: CC BY 4.0\n---\n\n" +
                                       kHebrew + "\n");
        test::spit(book / "en.md", "---\ntitle: Phrases\nlicense: CC BY 4.0\n---\n\nThe Hebrew <span lang=\"he\">" +
                                       kShalom + "</span> means hello, and the Arabic <span lang=\"ar\">" + kArabic +
                                       "</span> praises books.\n\n" + kShalom + ".\n\n<div dir=\"rtl\">\n\nSet right to left.\n\n</div>\n");
        std::string chinese;
        for (int i = 0; i < 4; ++i) chinese += kChineseSentence;
        test::spit(book / "zh.md", "---\ntitle: \u4E66\nlang: zh-Hans\nlicense: CC BY 4.0\n---\n\n" + chinese + "\n");
        s_chinese = new std::string(chinese);
        s_build = new test::RunResult(
            test::run_folio({"build", book.string(), "-o", (s_dir->path() / "out").string(), "--format", "all"}));
    }
    static void TearDownTestSuite() {
        delete s_build;
        delete s_chinese;
        delete s_dir;
    }
    static fs::path out(const std::string& name) { return s_dir->path() / "out" / name; }
    // pdftotext's text, without the embedding marks (U+202A–U+202E) it puts around
    // right-to-left runs.
    static std::string pdf_text(const std::string& name) {
        std::string text = test::run_command("pdftotext -enc UTF-8 '" + out(name).string() + "' -").out;
        for (const char* mark : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E"})
            for (std::size_t at; (at = text.find(mark)) != std::string::npos;) text.erase(at, 3);
        return text;
    }

    static inline test::ScratchDir* s_dir = nullptr;
    static inline test::RunResult* s_build = nullptr;
    static inline std::string* s_chinese = nullptr;
};

TEST_F(ScriptsInOutputs, Builds) {
    ASSERT_EQ(s_build->exit_code, 0) << s_build->err;
    // Every character had a font.
    EXPECT_EQ(s_build->err.find("none of the style's fonts"), std::string::npos) << s_build->err;
}

// pdftotext gives right-to-left text in logical order, a paragraph and a run.
TEST_F(ScriptsInOutputs, PdfTextOfRightToLeftIsInLogicalOrder) {
    // pdftotext (poppler) puts the space beside a right-to-left run inside English
    // on the run's other side ("Hebrew  שלום עולםmeans"): the sentence is compared
    // without spaces, the run itself with them.
    auto unspaced = [](std::string t) {
        t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
        return t;
    };
    for (const char* pdf : {"scripts.pdf", "scripts-print.pdf"}) {
        const std::string text = test::normalize_space(pdf_text(pdf));
        EXPECT_NE(text.find(kHebrew), std::string::npos) << pdf << ":\n" << text;
        EXPECT_NE(text.find(kShalom), std::string::npos) << pdf << ":\n" << text;
        EXPECT_NE(unspaced(text).find(unspaced("The Hebrew " + kShalom + " means hello")), std::string::npos)
            << pdf << ":\n" << text;
        EXPECT_NE(text.find(kArabic), std::string::npos) << pdf << ":\n" << text;
    }
}

// The Chinese paragraph comes back whole once line breaks are taken out.
TEST_F(ScriptsInOutputs, PdfTextOfChineseIsWhole) {
    std::string text = pdf_text("scripts.pdf");
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == ' '; }), text.end());
    EXPECT_NE(text.find(*s_chinese), std::string::npos) << text;
}

// The EPUB marks right-to-left languages with dir, and passes epubcheck.
TEST_F(ScriptsInOutputs, EpubMarksDirectionAndPassesEpubcheck) {
    const test::ZipContents epub = test::read_zip(out("scripts.epub"));
    std::string all;
    for (const auto& [name, bytes] : epub.bytes)
        if (name.ends_with(".xhtml")) all += bytes;
    // Some document's root element says both (GCC 12 warns inside std::regex under
    // the sanitizers, so the tags are searched by hand).
    bool hebrew_root = false;
    for (std::size_t at = all.find("<html"); at != std::string::npos; at = all.find("<html", at + 5)) {
        const std::string tag = all.substr(at, all.find('>', at) - at);
        hebrew_root = hebrew_root ||
                      (tag.find("lang=\"he\"") != std::string::npos && tag.find("dir=\"rtl\"") != std::string::npos);
    }
    EXPECT_TRUE(hebrew_root) << all;
    EXPECT_NE(all.find("<span xml:lang=\"he\" lang=\"he\" dir=\"rtl\">" + kShalom + "</span>"), std::string::npos);
    EXPECT_NE(all.find("lang=\"ar\" dir=\"rtl\">" + kArabic), std::string::npos);
    // A Hebrew paragraph with no lang in an English article: its direction from its
    // first letter, as in the PDF; an English paragraph with a Hebrew span gets none.
    EXPECT_NE(all.find("<p dir=\"auto\">" + kShalom + ".</p>"), std::string::npos);
    EXPECT_EQ(all.find("<p dir=\"auto\">The Hebrew"), std::string::npos);
    EXPECT_NE(all.find("<div dir=\"rtl\">\n<p>Set right to left.</p>"), std::string::npos);
    const test::RunResult check =
        test::run_command("java -Xss64m -jar /usr/share/java/epubcheck.jar '" + out("scripts.epub").string() + "' 2>&1");
    EXPECT_NE(check.out.find("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"), std::string::npos) << check.out;
}

// One glyph shown for two texts: the font's é for "é" written whole (U+00E9) and for
// "e" and a combining acute (U+0301), which the shaper joins into it. Its text in the
// font (ToUnicode) can be only one of them, so each place says what it reads as
// (ActualText), in the reading PDF and in the print PDF: pdftotext gives back each
// word as it was written, at each of its places.
TEST(GlyphForTwoTexts, EachPlaceReadsAsItWasWritten) {
    test::ScratchDir dir;
    const fs::path book = dir.path() / "cafe";
    fs::create_directories(book);
    const std::string whole = "caf\u00E9", joined = "cafe\u0301";
    test::spit(book / "book.yaml",
               "title: Cafe\nlanguage: en\nauthor: Ann\ncredits: optional\n"
               "chapters:\n  - articles: [a.md]\n");
    test::spit(book / "a.md", "---\ntitle: Two\n---\n\nFirst " + whole + ", then " + joined + ", then " + whole +
                                  " and " + joined + " again.\n");
    const test::RunResult r =
        test::run_folio({"build", book.string(), "-o", (dir.path() / "out").string(), "--format", "all", "--no-cache"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* pdf : {"cafe.pdf", "cafe-print.pdf"}) {
        const std::string text = test::normalize_space(
            test::run_command("pdftotext -enc UTF-8 '" + (dir.path() / "out" / pdf).string() + "' -").out);
        EXPECT_NE(text.find("First " + whole + ", then " + joined + ", then " + whole + " and " + joined + " again."),
                  std::string::npos)
            << pdf << ":\n"
            << text;
    }
}

}  // namespace
}  // namespace folio
