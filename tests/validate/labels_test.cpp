// The words folio writes itself, in what a reader gets: a Serbian Cyrillic book
// (tests/fixtures/books/serbian-cyrillic) built to all three formats, its contents,
// navigation, credits page, credit lines and copyright page read back from the EPUB
// and from both PDFs' text and outline; and an English book that overrides one
// label in book.yaml, seen in both outputs.
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

std::string pdf_text(const fs::path& pdf) {
    return test::join_address_breaks(
        test::normalize_space(test::run_command("pdftotext -enc UTF-8 '" + pdf.string() + "' -").out));
}

std::string outline(const fs::path& pdf) {
    return test::run_command("qpdf --json --json-key=outlines '" + pdf.string() + "'").out;
}

class SerbianBook : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new test::ScratchDir;
        test::copy_tree(test::source_dir() / "tests/fixtures/books/serbian-cyrillic", s_dir->path() / "dunav");
        s_build = new test::RunResult(test::run_folio(
            {"build", (s_dir->path() / "dunav").string(), "-o", (s_dir->path() / "out").string(), "--format", "all"}));
    }
    static void TearDownTestSuite() {
        delete s_build;
        delete s_dir;
    }
    static fs::path out(const std::string& name) { return s_dir->path() / "out" / name; }

    static inline test::ScratchDir* s_dir = nullptr;
    static inline test::RunResult* s_build = nullptr;
};

// The composed credit lines: the book's words, its quotation marks, its "и".
const std::string kRiverCredit =
    "„Река“, Ана Петровић и Марко Јовановић, објављено у публикацији Дунавски блог: https://example.org/dunav. "
    "Лиценца: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).";
// An English article's credit is the book's voice too.
const std::string kEnglishCredit =
    "„Across the River“, Jane Roe, објављено у публикацији Дунавски блог: https://example.org/dunav. "
    "Лиценца: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).";
// A verbatim credit that leaves the licence out gets the licence line.
const std::string kBridgeLicence = "Лиценца: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)";
const std::string kPublished = "Издавач: Издавачка кућа Пример, 2026-03-01.";
const std::string kArticlesLicence =
    "Сваки чланак у овој књизи објављен је под сопственом лиценцом, наведеном после чланка и на страници са "
    "изворима.";

// The English words a Serbian book must not show (as folio's own; the English
// article's text is checked apart).
const std::vector<std::string> kEnglishWords = {"Contents", "Credits", "Licence", " by ", "published in",
                                                "Published", "Title page", "Beginning", "No credit"};

void expect_no_english(const std::string& text, const std::string& where) {
    for (const std::string& w : kEnglishWords) EXPECT_EQ(text.find(w), std::string::npos) << w << " in " << where;
}

TEST_F(SerbianBook, Builds) {
    ASSERT_EQ(s_build->exit_code, 0) << s_build->err;
    EXPECT_EQ(s_build->err.find("warning"), std::string::npos) << s_build->err;
}

TEST_F(SerbianBook, EpubPagesAndNavigationSpeakSerbian) {
    ASSERT_EQ(s_build->exit_code, 0) << s_build->err;
    const auto zip = test::read_zip(out("dunav.epub"));
    const std::string& nav_xhtml = zip.bytes.at("EPUB/nav.xhtml");
    const std::string nav = test::visible_text(nav_xhtml);
    EXPECT_NE(nav.find("Садржај"), std::string::npos) << nav;
    EXPECT_NE(nav_xhtml.find("<title>Садржај</title>"), std::string::npos) << nav_xhtml;
    EXPECT_NE(nav_xhtml.find(">Извори</a>"), std::string::npos) << nav_xhtml;
    // The landmarks: their names and their list's accessible name.
    for (const char* s : {">Насловна страна</a>", ">Почетак</a>", "aria-label=\"Делови књиге\""})
        EXPECT_NE(nav_xhtml.find(s), std::string::npos) << s << "\n" << nav_xhtml;
    expect_no_english(nav, "nav.xhtml");
    const std::string& ncx = zip.bytes.at("EPUB/toc.ncx");
    EXPECT_NE(ncx.find("<text>Извори</text>"), std::string::npos) << ncx;
    const std::string& opf = zip.bytes.at("EPUB/package.opf");
    EXPECT_NE(opf.find("title=\"Садржај\""), std::string::npos) << opf;  // the EPUB 2 guide
    EXPECT_NE(opf.find("title=\"Насловна страна\""), std::string::npos) << opf;

    const std::string contents = test::visible_text(zip.bytes.at("EPUB/text/contents.xhtml"));
    EXPECT_NE(contents.find("Садржај"), std::string::npos) << contents;
    EXPECT_NE(contents.find("Извори"), std::string::npos) << contents;
    expect_no_english(contents, "contents.xhtml");

    const std::string credits = test::visible_text(zip.bytes.at("EPUB/text/credits.xhtml"));
    for (const std::string& s : {std::string("Извори"), kRiverCredit, kEnglishCredit, kBridgeLicence})
        EXPECT_NE(credits.find(s), std::string::npos) << s << "\nin: " << credits;
    expect_no_english(credits, "credits.xhtml");

    const std::string copyright = test::visible_text(zip.bytes.at("EPUB/text/copyright.xhtml"));
    EXPECT_NE(copyright.find(kPublished), std::string::npos) << copyright;
    EXPECT_NE(copyright.find(kArticlesLicence), std::string::npos) << copyright;
    expect_no_english(copyright, "copyright.xhtml");

    // Under the article: the credit, its accessible name, the notes' name, the byline's "и".
    const std::string& river = zip.bytes.at("EPUB/text/a01.xhtml");
    EXPECT_NE(test::visible_text(river).find(kRiverCredit), std::string::npos) << river;
    EXPECT_NE(test::visible_text(river).find("Ана Петровић и Марко Јовановић"), std::string::npos) << river;
    EXPECT_NE(river.find("aria-label=\"Извор\""), std::string::npos) << river;
    EXPECT_NE(river.find("aria-label=\"Напомене\""), std::string::npos) << river;
    // The English article's credit line is marked as the book's language.
    const std::string& english = zip.bytes.at("EPUB/text/a03.xhtml");
    const std::size_t credit = english.find("aria-label=\"Извор\"");
    ASSERT_NE(credit, std::string::npos) << english;
    const std::size_t tag = english.rfind('<', credit);
    const std::string section = english.substr(tag, english.find('>', credit) - tag);
    EXPECT_NE(section.find("xml:lang=\"sr-Cyrl\""), std::string::npos) << section;
    EXPECT_NE(test::visible_text(english).find(kEnglishCredit), std::string::npos) << english;
}

TEST_F(SerbianBook, BothPdfsSpeakSerbian) {
    ASSERT_EQ(s_build->exit_code, 0) << s_build->err;
    for (const char* pdf : {"dunav.pdf", "dunav-print.pdf"}) {
        SCOPED_TRACE(pdf);
        const std::string text = pdf_text(out(pdf));
        for (const std::string& s : {std::string("Садржај"), std::string("Извори"), kRiverCredit, kEnglishCredit,
                                     kBridgeLicence, kPublished, kArticlesLicence,
                                     std::string("Ана Петровић и Марко Јовановић")})
            EXPECT_NE(text.find(test::join_address_breaks(s)), std::string::npos) << s << "\nin: " << text;
        expect_no_english(text, pdf);
    }
    // Paper has no links: the cross-reference gets the page in Serbian's abbreviation.
    const std::string print = pdf_text(out("dunav-print.pdf"));
    EXPECT_NE(print.find("следећи запис (стр. "), std::string::npos) << print;
    EXPECT_EQ(pdf_text(out("dunav.pdf")).find("(стр."), std::string::npos) << "the reading PDF links instead";
    const std::string tree = outline(out("dunav.pdf"));
    EXPECT_NE(tree.find("\"title\": \"Садржај\""), std::string::npos) << tree;
    EXPECT_NE(tree.find("\"title\": \"Извори\""), std::string::npos) << tree;
    EXPECT_EQ(tree.find("\"title\": \"Contents\""), std::string::npos) << tree;
}

// ---- a label overridden in book.yaml ----------------------------------------------

TEST(LabelOverride, OneLabelChangesInEveryOutput) {
    test::ScratchDir dir;
    test::copy_tree(test::source_dir() / "tests/fixtures/books/twin-notes", dir / "twin");
    test::spit(dir / "twin/book.yaml", test::slurp(dir / "twin/book.yaml") + "labels:\n  contents: Table of Contents\n");
    const test::RunResult r =
        test::run_folio({"build", (dir / "twin").string(), "-o", (dir / "out").string(), "--format", "all"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto zip = test::read_zip(dir / "out/twin.epub");
    for (const char* page : {"EPUB/nav.xhtml", "EPUB/text/contents.xhtml"}) {
        const std::string& xhtml = zip.bytes.at(page);
        EXPECT_NE(xhtml.find("<h1 id=\"" + std::string(page[5] == 'n' ? "toc" : "contents") +
                             "-title\">Table of Contents</h1>"),
                  std::string::npos)
            << page << "\n" << xhtml;
        EXPECT_NE(xhtml.find("<title>Table of Contents</title>"), std::string::npos) << page;
    }
    EXPECT_NE(zip.bytes.at("EPUB/package.opf").find("title=\"Table of Contents\""), std::string::npos);
    // The others keep the table's English words.
    EXPECT_NE(test::visible_text(zip.bytes.at("EPUB/text/credits.xhtml")).find("Credits"), std::string::npos);

    for (const char* pdf : {"twin.pdf", "twin-print.pdf"}) {
        SCOPED_TRACE(pdf);
        const std::string text = pdf_text(dir / "out" / pdf);
        EXPECT_NE(text.find("Table of Contents"), std::string::npos) << text;
        EXPECT_NE(text.find("Credits"), std::string::npos) << text;
    }
    const std::string tree = outline(dir / "out/twin.pdf");
    EXPECT_NE(tree.find("\"title\": \"Table of Contents\""), std::string::npos) << tree;
    EXPECT_EQ(tree.find("\"title\": \"Contents\""), std::string::npos) << tree;
}

}  // namespace
}  // namespace folio
