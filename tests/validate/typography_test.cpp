// Typographic punctuation in what a reader gets: a book with an English and two
// Serbian articles (Latin and Cyrillic), built to all three formats, read back from
// the EPUB's pages and navigation and from the PDFs' text, metadata and outline.
#include "doc/typography.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

class TypographyInOutputs : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new test::ScratchDir;
        const fs::path book = s_dir->path() / "quotes";
        fs::create_directories(book);
        test::spit(book / "book.yaml", "title: Quotes \"at home\"\nlanguage: en\nauthor: Ann O'Brien\n"
                                       "chapters:\n  - title: Two languages -- one book\n"
                                       "    articles: [en.md, sr.md, sr-cyrl.md]\n");
        test::spit(book / "en.md",
                   "---\ntitle: '\"Smart\" quotes -- at last'\nauthor: Ann O'Brien\nsite: Ann's Notes\n"
                   "license: CC BY 4.0\n---\n\n\"Don't,\" she said -- \"it's 'nested' here...\"\n\n"
                   "Code stays: `\"as typed\" --flag`.\n");
        test::spit(book / "sr.md",
                   "---\ntitle: Navodnici\nlang: sr-Latn\ncredit: '\"Navodnici\" -- Ana''s, CC BY 4.0'\n---\n\n"
                   "Rekla je: \"Ovo je 'unutra' re\u010Deno.\"\n");
        test::spit(book / "sr-cyrl.md",
                   "---\ntitle: \u040B\u0438\u0440\u0438\u043B\u0438\u0446\u0430\nlang: sr-Cyrl\nauthor: Ana\n"
                   "license: CC BY 4.0\n---\n\n\u0420\u0435\u043A\u0430\u043E \u0458\u0435: \"\u0414\u043E\u0431\u0440"
                   "\u043E \u0458\u0443\u0442\u0440\u043E.\"\n");
        s_build = new test::RunResult(
            test::run_folio({"build", book.string(), "-o", (s_dir->path() / "out").string(), "--format", "all"}));
    }
    static void TearDownTestSuite() {
        delete s_build;
        delete s_dir;
    }
    static fs::path out(const std::string& name) { return s_dir->path() / "out" / name; }
    static std::string pdf_text(const std::string& name) {
        return test::normalize_space(test::run_command("pdftotext -enc UTF-8 '" + out(name).string() + "' -").out);
    }

    static inline test::ScratchDir* s_dir = nullptr;
    static inline test::RunResult* s_build = nullptr;
};

// What each article's text and title become.
const std::string kEnglish = "\u201CDon\u2019t,\u201D she said \u2013 \u201Cit\u2019s \u2018nested\u2019 here\u2026\u201D";
const std::string kCode = "\"as typed\" --flag";
const std::string kSerbian = "Rekla je: \u201EOvo je \u201Aunutra\u2018 re\u010Deno.\u201C";
const std::string kCyrillic = "\u0420\u0435\u043A\u0430\u043E \u0458\u0435: \u201E\u0414\u043E\u0431\u0440\u043E "
                              "\u0458\u0443\u0442\u0440\u043E.\u201C";
const std::string kEnglishTitle = "\u201CSmart\u201D quotes \u2013 at last";
const std::string kBookTitle = "Quotes \u201Cat home\u201D";
// The verbatim credit: its quotes and apostrophes only, in Serbian marks.
const std::string kSerbianCredit = "\u201ENavodnici\u201C -- Ana\u2019s, CC BY 4.0";

TEST_F(TypographyInOutputs, TheBookBuilds) {
    ASSERT_EQ(s_build->exit_code, 0) << s_build->err;
    EXPECT_EQ(s_build->err.find("warning"), std::string::npos) << s_build->err;
    EXPECT_EQ(kSerbianCredit, doc::typographic_quotes("\"Navodnici\" -- Ana's, CC BY 4.0", "sr-Latn"));
}

TEST_F(TypographyInOutputs, EpubPagesAndNavigation) {
    ASSERT_EQ(s_build->exit_code, 0) << s_build->err;
    const auto zip = test::read_zip(out("quotes.epub"));
    const std::string en = test::visible_text(zip.bytes.at("EPUB/text/a01.xhtml"));
    EXPECT_NE(en.find(kEnglish), std::string::npos) << en;
    EXPECT_NE(en.find(kCode), std::string::npos) << en;  // code as typed
    EXPECT_NE(en.find(kEnglishTitle), std::string::npos) << en;
    EXPECT_NE(en.find("by Ann O\u2019Brien, published in Ann\u2019s Notes"), std::string::npos) << en;
    const std::string sr = test::visible_text(zip.bytes.at("EPUB/text/a02.xhtml"));
    EXPECT_NE(sr.find(kSerbian), std::string::npos) << sr;
    EXPECT_NE(sr.find(kSerbianCredit), std::string::npos) << sr;
    const std::string cyrl = test::visible_text(zip.bytes.at("EPUB/text/a03.xhtml"));
    EXPECT_NE(cyrl.find(kCyrillic), std::string::npos) << cyrl;
    // A straight quote anywhere in the text would be one the pass missed (the code
    // span is the only place that keeps them).
    EXPECT_EQ(sr.find('"'), std::string::npos) << sr;
    EXPECT_EQ(cyrl.find('"'), std::string::npos) << cyrl;

    const std::string nav = test::visible_text(zip.bytes.at("EPUB/nav.xhtml"));
    EXPECT_NE(nav.find(kEnglishTitle), std::string::npos) << nav;
    EXPECT_NE(nav.find("Two languages \u2013 one book"), std::string::npos) << nav;
    EXPECT_NE(zip.bytes.at("EPUB/package.opf").find("<dc:title id=\"title\">" + kBookTitle), std::string::npos)
        << zip.bytes.at("EPUB/package.opf");
    const std::string credits = test::visible_text(zip.bytes.at("EPUB/text/credits.xhtml"));
    EXPECT_NE(credits.find(kSerbianCredit), std::string::npos) << credits;
}

TEST_F(TypographyInOutputs, ReadingAndPrintPdfText) {
    ASSERT_EQ(s_build->exit_code, 0) << s_build->err;
    for (const char* pdf : {"quotes.pdf", "quotes-print.pdf"}) {
        SCOPED_TRACE(pdf);
        const std::string text = pdf_text(pdf);
        for (const std::string& s : {kEnglish, kCode, kSerbian, kCyrillic, kEnglishTitle, kBookTitle, kSerbianCredit})
            EXPECT_NE(text.find(s), std::string::npos) << s << "\nin: " << text;
    }
    // The metadata's title is the title page's, so the outline and the page agree.
    const std::string info = test::run_command("pdfinfo -enc UTF-8 '" + out("quotes.pdf").string() + "'").out;
    const std::size_t title = info.find("Title:");
    ASSERT_NE(title, std::string::npos) << info;
    const std::string line = info.substr(title, info.find('\n', title) - title);
    EXPECT_EQ(test::normalize_space(line), "Title: " + kBookTitle) << info;
    const std::string outline =
        test::run_command("qpdf --json --json-key=outlines '" + out("quotes.pdf").string() + "'").out;
    EXPECT_NE(outline.find("\"title\": \"" + kEnglishTitle + "\""), std::string::npos) << outline;
    EXPECT_NE(outline.find("\"title\": \"Two languages \u2013 one book\""), std::string::npos) << outline;
}

}  // namespace
}  // namespace folio
