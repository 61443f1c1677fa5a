// Each bad input: the message and its location, the exit code, and that the EPUB
// built before from the good book is still there, byte for byte.
#include "core/hash.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace folio {
namespace {

namespace fs = std::filesystem;
using test::run_folio;
using test::slurp;
using test::spit;

class BadInput : public ::testing::Test {
protected:
    void SetUp() override {
        test::copy_tree(test::source_dir() / "tests/fixtures/books/twin-notes", dir / "book");
        const auto r = build();
        ASSERT_EQ(r.exit_code, 0) << r.err;
        before = slurp(epub());
        log_before = slurp(dir / "out/book-permissions.csv");
        ASSERT_FALSE(before.empty());
        ASSERT_FALSE(log_before.empty());
    }

    test::RunResult build(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"build", "book", "-o", "out"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_folio(args, dir.path());
    }
    fs::path book(const std::string& rel = "") const { return rel.empty() ? dir / "book" : dir / "book" / rel; }
    fs::path epub() const { return dir / "out/book.epub"; }

    void replace_in(const std::string& rel, const std::string& from, const std::string& to) {
        std::string s = slurp(book(rel));
        const auto at = s.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        s.replace(at, from.size(), to);
        spit(book(rel), s);
    }

    // The error, located, is the first line of stderr; the earlier EPUB is intact.
    void expect_error(const test::RunResult& r, const std::string& located_message, int exit_code = 1) {
        EXPECT_EQ(r.exit_code, exit_code) << r.err;
        EXPECT_NE(r.err.find(located_message), std::string::npos) << "stderr was:\n" << r.err;
        EXPECT_EQ(slurp(epub()), before) << "the earlier EPUB changed";
        EXPECT_EQ(slurp(dir / "out/book-permissions.csv"), log_before) << "the earlier permissions log changed";
        // The first build's cache (an EPUB alone keeps its compressed pages) is not an output.
        for (const auto& e : fs::directory_iterator(dir / "out"))
            EXPECT_TRUE(e.path().filename() == "book.epub" || e.path().filename() == "book-permissions.csv" ||
                        e.path().filename() == ".folio-cache")
                << "left behind: " << e.path();
    }

    test::ScratchDir dir;
    std::string before, log_before;
};

TEST_F(BadInput, NoManifest) {
    fs::remove(book("book.yaml"));
    expect_error(build(), "book: error: no book.yaml in this folder\nhint:");
}

TEST_F(BadInput, YamlSyntaxErrorHasLineAndColumn) {
    replace_in("book.yaml", "language: en\n", "language: [en\n");
    expect_error(build(), "book/book.yaml:5:5: error: YAML syntax error: end of sequence flow not found");
}

TEST_F(BadInput, MissingTitle) {
    replace_in("book.yaml", "title: Twin Notes\n", "");
    expect_error(build(), "book/book.yaml:1:1: error: missing 'title'\nhint: add a line such as: title:");
}

TEST_F(BadInput, MissingLanguage) {
    replace_in("book.yaml", "language: en\n", "");
    expect_error(build(), "book/book.yaml:1:1: error: missing 'language'");
}

TEST_F(BadInput, ArticleFileDoesNotExist) {
    replace_in("book.yaml", "articles/second.md", "articles/third.md");
    expect_error(build(), "book/book.yaml:15:9: error: article 'articles/third.md' does not exist");
}

TEST_F(BadInput, GlobMatchesNothing) {
    replace_in("book.yaml", "    articles:\n      - articles/first.md\n      - articles/second.md",
               "    articles: posts/*.md");
    expect_error(build(), "book/book.yaml:13:15: error: glob 'posts/*.md' matches no file");
}

TEST_F(BadInput, ParentPathLeavesTheBook) {
    spit(dir / "outside.md", "---\ntitle: Out\nauthor: X\n---\ntext\n");
    replace_in("book.yaml", "articles/second.md", "../outside.md");
    expect_error(build(), "book/book.yaml:15:9: error: article '../outside.md' is outside the book folder");
}

TEST_F(BadInput, AbsolutePathLeavesTheBook) {
    replace_in("book.yaml", "articles/second.md", "/etc/hostname");
    expect_error(build(), "book/book.yaml:15:9: error: article '/etc/hostname' is outside the book folder");
}

TEST_F(BadInput, SymbolicLinkPointingOutside) {
    spit(dir / "secret.md", "---\ntitle: Secret\nauthor: X\n---\nsecret\n");
    fs::create_symlink(dir / "secret.md", book("articles/link.md"));
    replace_in("book.yaml", "articles/second.md", "articles/link.md");
    expect_error(build(), "book/book.yaml:15:9: error: article 'articles/link.md' is outside the book folder");
}

TEST_F(BadInput, FrontMatterNeverClosed) {
    replace_in("articles/second.md", "lang: en-GB\n---\n", "lang: en-GB\n");
    expect_error(build(), "book/articles/second.md:1:1: error: front matter is never closed\nhint:");
}

TEST_F(BadInput, InvalidUtf8InAnArticle) {
    replace_in("articles/second.md", "Another note.", "Another n\xC3\x28te.");
    expect_error(build(), "book/articles/second.md:10:10: error: invalid UTF-8");
}

TEST_F(BadInput, ArticleWithoutCreditUnderRequired) {
    replace_in("book.yaml", "  site: Fixture Site\n", "");
    replace_in("articles/second.md", "author: [Ben Test, Cara Test]\n", "");
    expect_error(build(), "book/articles/second.md:1:1: error: article has no credit\nhint:");
}

// ---- pictures the book cannot show: warnings, so that a build stays offline ----------------

const std::string& kPixel = test::one_pixel_png();

// The second article's page in the EPUB.
std::string second_page(const fs::path& epub) {
    const test::ZipContents z = test::read_zip(epub);
    for (const auto& [name, bytes] : z.bytes)
        if (name.find("text/a02") != std::string::npos) return bytes;
    return "";
}

TEST_F(BadInput, MissingImageIsAWarningAndItsAltTextStandsInItsPlace) {
    replace_in("articles/second.md", "Another note.", "Another ![a chart](../images/chart.png) note.");
    const auto r = build({"--format", "all"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("book/articles/second.md:10:9: warning: image '../images/chart.png' does not exist\nhint:"),
              std::string::npos)
        << r.err;
    const std::string page = second_page(epub());
    EXPECT_NE(test::visible_text(page).find("Another a chart note."), std::string::npos) << page;
    EXPECT_EQ(page.find("<img"), std::string::npos);
    const auto text = test::run_command("pdftotext -q '" + (dir / "out/book.pdf").string() + "' -");
    EXPECT_NE(test::normalize_space(text.out).find("Another a chart note."), std::string::npos) << text.out;
}

TEST_F(BadInput, MissingImageFailsUnderStrictAndWritesNothing) {
    replace_in("articles/second.md", "Another note.", "Another ![a chart](../images/chart.png) note.");
    const auto r = build({"--strict"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("book/articles/second.md:10:9: warning: image '../images/chart.png' does not exist"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(slurp(epub()), before);
}

// A remote picture is a link to it until `folio fetch` has fetched it; then the copy
// in fetched/ is the picture, found by the hash of its address.
TEST_F(BadInput, RemoteImageIsALinkUntilFetched) {
    const std::string url = "https://example.org/charts/sales.png";
    replace_in("articles/second.md", "Another note.", "Another ![](" + url + ") note.");
    auto r = build();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("book/articles/second.md:10:9: warning: image '" + url +
                         "' is on the web and was not fetched (run 'folio fetch book')"),
              std::string::npos)
        << r.err;
    std::string page = second_page(epub());
    EXPECT_NE(page.find("<a href=\"" + url + "\">sales.png</a>"), std::string::npos) << page;
    EXPECT_EQ(page.find("<img"), std::string::npos);

    fs::create_directories(book("fetched"));
    spit(book("fetched/" + sha1_hex(url).substr(0, 16) + ".png"), kPixel);
    r = build();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("was not fetched"), std::string::npos) << r.err;
    page = second_page(epub());
    EXPECT_NE(page.find("<img src=\"../images/"), std::string::npos) << page;
    EXPECT_EQ(page.find("<a href=\"" + url), std::string::npos) << page;
}

// A path from a web site's root is not the book's: a warning, never an error.
TEST_F(BadInput, SiteRelativeImageIsAWarning) {
    replace_in("articles/second.md", "Another note.", "Another ![a chart](/images/chart.png) note.");
    const auto r = build();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("book/articles/second.md:10:9: warning: image '/images/chart.png' does not exist"),
              std::string::npos)
        << r.err;
}

TEST_F(BadInput, ImagePathLeavingTheBookIsStillAnError) {
    spit(dir / "outside.png", kPixel);
    replace_in("articles/second.md", "Another note.", "Another ![a chart](../../outside.png) note.");
    expect_error(build(), "book/articles/second.md:10:9: error: image '../../outside.png' is outside the book folder");
}

TEST_F(BadInput, SameArticleInTwoChapters) {
    spit(book("book.yaml"), slurp(book("book.yaml")) + "  - title: Again\n    articles: [articles/first.md]\n");
    expect_error(build(), "book/book.yaml:17:16: error: article 'articles/first.md' is already in the book\nhint: "
                          "first listed at book/book.yaml:14:9");
}

TEST_F(BadInput, BadDateSaysWhatItWants) {
    replace_in("articles/second.md", "date: 2026-01-12", "date: May 3");
    expect_error(build(), "book/articles/second.md:4:7: error: 'date' must be a date, got \"May 3\" (no year)");
}

TEST_F(BadInput, AmbiguousDateIsALocatedError) {
    replace_in("articles/second.md", "date: 2026-01-12", "date: 05/06/2019");
    expect_error(build(), "book/articles/second.md:4:7: error: 'date' must be a date, got \"05/06/2019\" (ambiguous: "
                          "05/06/2019 is day 5 of month 6 or day 6 of month 5)");
    replace_in("articles/second.md", "date: 05/06/2019", "date: 2019-02-30");
    expect_error(build(), "book/articles/second.md:4:7: error: 'date' must be a date, got \"2019-02-30\" (no such day)");
}

TEST_F(BadInput, EveryBrokenArticleIsReportedInOneRun) {
    replace_in("articles/second.md", "date: 2026-01-12", "date: May 3");
    spit(book("articles/first.md"), "---\ntitle: [unclosed\n---\nText.\n");
    const auto r = build();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("book/articles/second.md:4:7: error: 'date' must be a date"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("book/articles/first.md:3:1: error: YAML syntax error"), std::string::npos) << r.err;
}

TEST_F(BadInput, OutputFolderCannotBeWritten) {
    spit(dir / "not-a-folder", "a file where the output folder should be");
    const auto r = run_folio({"build", "book", "-o", "not-a-folder/out"}, dir.path());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("not-a-folder/out: error: cannot create output folder"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(epub()), before);
}

TEST_F(BadInput, UnknownKeyIsAWarningNamingKeyAndFile) {
    replace_in("articles/second.md", "lang: en-GB\n", "lang: en-GB\nsubtitel: typo\n");
    const auto r = build();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("book/articles/second.md:6:1: warning: unknown key 'subtitel' in front matter"),
              std::string::npos)
        << r.err;
}

// A label the table has no name for would print the word it meant to replace: an
// error at the key, with the nearest name and every known one.
TEST_F(BadInput, UnknownLabelIsALocatedErrorListingTheKnownOnes) {
    replace_in("book.yaml", "language: en\n", "language: en\nlabels:\n  credits: Sources\n  contnets: Inhalt\n");
    const auto r = build();
    expect_error(r, "book/book.yaml:7:3: error: unknown label 'contnets'\nhint: did you mean 'contents'? known keys: "
                    "contents, credits, credit, copyright, title_page, cover, cover_alt, beginning, landmarks, notes, "
                    "by, and, published_in, licence, no_credit, articles_licence, published_by, published_on, "
                    "published_by_on, page, pages, not_for_sale, permission\n");
}

TEST_F(BadInput, EmptyLabelIsALocatedError) {
    replace_in("book.yaml", "language: en\n", "language: en\nlabels: {credits: ''}\n");
    expect_error(build(), "book/book.yaml:5:19: error: label 'credits' is empty\nhint: write the words to print");
}

// The reading PDF is written while the print edition is still being set (src/build),
// before the build knows whether --strict lets it write: it too stays as it was.
TEST_F(BadInput, WarningsUnderStrictLeaveEveryEarlierOutputOfEveryFormat) {
    ASSERT_EQ(build({"--format", "all"}).exit_code, 0);
    std::map<std::string, std::string> earlier;
    for (const char* name : {"book.epub", "book.pdf", "book-print.pdf", "book-permissions.csv"})
        earlier[name] = slurp(dir / "out" / name);
    replace_in("book.yaml", "title: Twin Notes\n", "title: Twin Notes\nsubtitel: typo\n");
    replace_in("articles/first.md", "Done.", "Done, changed.");
    const auto r = build({"--format", "all", "--strict"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    for (const auto& [name, bytes] : earlier) EXPECT_EQ(slurp(dir / "out" / name), bytes) << name << " changed";
    for (const auto& e : fs::directory_iterator(dir / "out"))
        EXPECT_TRUE(earlier.count(e.path().filename().string()) || e.path().filename() == ".folio-cache")
            << "left behind: " << e.path();
    // Without --strict, the same build replaces each of them.
    ASSERT_EQ(build({"--format", "all"}).exit_code, 0);
    for (const auto& [name, bytes] : earlier)
        if (name != "book-permissions.csv") {
            EXPECT_NE(slurp(dir / "out" / name), bytes) << name << " unchanged";
        }
}

TEST_F(BadInput, WarningsFailUnderStrictAndWriteNothing) {
    replace_in("book.yaml", "title: Twin Notes\n", "title: Twin Notes\nsubtitel: typo\n");
    replace_in("articles/first.md", "Done.", "Done, changed.");
    const auto r = build({"--strict"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("book/book.yaml:3:1: warning: unknown key 'subtitel' in book.yaml"), std::string::npos)
        << r.err;
    EXPECT_EQ(slurp(epub()), before);
}

}  // namespace
}  // namespace folio

namespace folio {
namespace {

// Every broken picture and every path out of the book is named in one run.
TEST(EveryError, PicturesAndPathsOfManyArticlesInOneRun) {
    test::ScratchDir dir;
    test::spit(dir / "book/book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md, b.md, c.md]\n");
    test::spit(dir / "book/a.md", "# A\n\n![broken](broken.png)\n");
    test::spit(dir / "book/b.md", "# B\n\n![outside](../../etc/x.png)\n");
    test::spit(dir / "book/c.md", "# C\n\n![empty](empty.gif)\n");
    test::spit(dir / "book/broken.png", "\x89PNG\r\n\x1a\nnot really");
    test::spit(dir / "book/empty.gif", "");
    const auto r = test::run_folio({"build", "book", "-o", "out"}, dir.path());
    EXPECT_EQ(r.exit_code, 1);
    for (const char* place : {"book/a.md:3:1: error: ", "book/b.md:3:1: error: ", "book/c.md:3:1: error: "})
        EXPECT_NE(r.err.find(place), std::string::npos) << place << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out/book.epub"));
}

}  // namespace
}  // namespace folio
