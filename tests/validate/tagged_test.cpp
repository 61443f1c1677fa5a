// The tagged reading PDF (issue 13 §2, PDF/UA-1) of every sample and fixture book:
// pdfinfo calls it tagged, its structure tree holds every word of its pages' text,
// and folio-pdfua-check (validate/pdfua_check.cpp, the Matterhorn Protocol's
// machine-checkable conditions) finds no failure. The print PDF stays untagged.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace folio {
namespace {

namespace fs = std::filesystem;

std::string check(const fs::path& pdf, int* status) {
    const test::RunResult r = test::run_command(std::string(FOLIO_PDFUA_CHECK) + " '" + pdf.string() + "'");
    *status = r.exit_code;
    return r.out;
}

// Builds the reading PDF of the book in `book_dir` and expects the checker to pass it.
fs::path build_checked(const fs::path& book_dir, const fs::path& out_dir) {
    const auto r = test::run_folio({"build", book_dir.string(), "-o", out_dir.string(), "--format", "pdf", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const fs::path pdf = out_dir / (book_dir.filename().string() + ".pdf");
    int status = -1;
    const std::string out = check(pdf, &status);
    EXPECT_EQ(status, 0) << out;
    return pdf;
}

class TaggedPdf : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new test::ScratchDir;
        s_pdf = test::build_every_book(s_dir->path(), "pdf", ".pdf");
    }
    static void TearDownTestSuite() {
        delete s_dir;
        s_dir = nullptr;
    }
    static inline test::ScratchDir* s_dir = nullptr;
    static inline std::map<fs::path, fs::path> s_pdf;
};

TEST_F(TaggedPdf, PdfinfoSaysTagged) {
    for (const auto& [book, pdf] : s_pdf) {
        const test::RunResult r = test::run_command("pdfinfo '" + pdf.string() + "'");
        ASSERT_EQ(r.exit_code, 0) << book;
        EXPECT_NE(r.out.find("Tagged:          yes"), std::string::npos) << book << "\n" << r.out;
    }
}

TEST_F(TaggedPdf, EveryBookPassesTheMatterhornChecks) {
    for (const auto& [book, pdf] : s_pdf) {
        int status = -1;
        const std::string out = check(pdf, &status);
        EXPECT_EQ(status, 0) << book << "\n" << out;
    }
}

// The words of a text, split at white space, without the punctuation around them.
std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

// Without white space, hyphens and quotes.
std::string compact(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '\t' && c != '-' && c != '"') out += c;
    return out;
}

bool folio_like(const std::string& w) {  // a page number, arabic or roman
    if (w.empty()) return true;
    if (w.find_first_not_of("0123456789") == std::string::npos) return true;
    return w.find_first_not_of("ivxlcdm") == std::string::npos;
}

// pdfinfo -struct-text prints the tree, each element's text in quotes: every word
// pdftotext finds on the pages is in it (page numbers aside, which are artifacts, as
// are the running heads, whose words the titles hold). A word hyphenated over two
// lines reads whole in the tree; on the page it is two pieces.
TEST_F(TaggedPdf, TheStructureHoldsEveryWordOfThePageText) {
    for (const auto& [book, pdf] : s_pdf) {
        const test::RunResult tree = test::run_command("pdfinfo -struct-text '" + pdf.string() + "'");
        ASSERT_EQ(tree.exit_code, 0) << book;
        std::set<std::string> held;
        for (const std::string& w : words(tree.out)) {
            held.insert(w);
            // Quotes open and close an element's text.
            std::string t = w;
            if (!t.empty() && t.front() == '"') t.erase(0, 1);
            if (!t.empty() && t.back() == '"') t.pop_back();
            held.insert(t);
        }
        const test::RunResult page = test::run_command("pdftotext -enc UTF-8 '" + pdf.string() + "' -");
        ASSERT_EQ(page.exit_code, 0) << book;
        const std::vector<std::string> shown = words(page.out);
        int missing = 0;
        std::string examples;
        for (std::size_t i = 0; i < shown.size(); ++i) {
            const std::string& w = shown[i];
            if (folio_like(w)) continue;
            // A piece of a word hyphenated at a line's end, and the piece after it.
            if (w.size() > 1 && w.back() == '-' && i + 1 < shown.size()) {
                ++i;
                continue;
            }
            if (held.count(w)) continue;
            // Artifacts: a code line's continuation mark.
            if (w == "\u21AA") continue;
            // Right-to-left text (Hebrew U+0590-U+05FF, Arabic U+0600-U+06FF, the bidi
            // controls U+202A-U+202E): pdfinfo prints the glyphs' text, in the order
            // they are shown; the tags read it in logical order through a Span's
            // ActualText (RightToLeftTextReadsInLogicalOrder).
            if (w.find("\xD7") != std::string::npos || w.find("\xD8") != std::string::npos ||
                w.find("\xD9") != std::string::npos || w.find("\xE2\x80\xAA") != std::string::npos ||
                w.find("\xE2\x80\xAB") != std::string::npos || w.find("\xE2\x80\xAC") != std::string::npos)
                continue;
            // pdftotext joins the pieces of a word hyphenated over two lines (which the
            // tree keeps as pieces, its Span's ActualText the whole word), and sets its
            // own spaces in Chinese text: the word is held if the tree's text, without
            // white space and hyphens, holds it without hyphens.
            if (compact(tree.out).find(compact(w)) != std::string::npos) continue;
            if (++missing <= 10) examples += " '" + w + "'";
        }
        EXPECT_EQ(missing, 0) << book << ": words of the pages not in the structure tree:" << examples;
    }
}

// The checker is no rubber stamp: the print PDF, untagged by design (PDF/X-1a), fails
// it on the conditions a document with no tags fails.
TEST_F(TaggedPdf, TheCheckerFailsAnUntaggedPdf) {
    const fs::path book = test::source_dir() / "books" / "field-guide";
    test::ScratchDir dir;
    const auto r = test::run_folio({"build", book.string(), "-o", dir.path().string(), "--format", "print", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    int status = -1;
    const std::string out = check(dir / "field-guide-print.pdf", &status);
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("[01-001]"), std::string::npos) << out;  // no structure tree
    EXPECT_NE(out.find("[01-005]"), std::string::npos) << out;  // untagged content
    EXPECT_NE(out.find("[07-001]"), std::string::npos) << out;  // no DisplayDocTitle
    EXPECT_NE(out.find("[06-002]"), std::string::npos) << out;  // no pdfuaid:part
}

// Headings that skip levels in the Markdown (# then ####) are tagged without a skip,
// a picture's alt text is its Figure's Alt, a table's header cells have a scope, and
// a phrase in another language is a Span with its Lang.
TEST_F(TaggedPdf, SkippedHeadingLevelsPicturesAndTablesAreTaggedAsPdfUaAsks) {
    test::ScratchDir dir;
    fs::create_directories(dir / "book/articles");
    fs::create_directories(dir / "book/images");
    test::spit(dir / "book/images/dot.png", test::one_pixel_png());
    test::spit(dir / "book/book.yaml",
               "title: Tags\nauthor: A. Writer\nlanguage: en\ncredits: optional\n"
               "chapters:\n  - title: One\n    articles: [articles/a.md]\n");
    test::spit(dir / "book/articles/a.md",
               "---\ntitle: An article\n---\n# Top\n\nText.\n\n#### Deep\n\nMore text.\n\n"
               "![A grey dot](../images/dot.png)\n\n| Name | Value |\n|---|---|\n| a | 1 |\n\n"
               "A phrase in German, <span lang=\"de\">ein Satz</span>, inside.\n");
    const fs::path pdf = build_checked(dir / "book", dir / "out");
    const test::RunResult tree = test::run_command("pdfinfo -struct-text '" + pdf.string() + "'");
    EXPECT_NE(tree.out.find("H3"), std::string::npos) << tree.out;   // "# Top" under the article's H2
    EXPECT_NE(tree.out.find("H4"), std::string::npos) << tree.out;   // "#### Deep": one level down, not three
    EXPECT_EQ(tree.out.find("H5"), std::string::npos) << tree.out;
    EXPECT_NE(tree.out.find("Figure"), std::string::npos) << tree.out;
    EXPECT_NE(tree.out.find("/Scope /Column"), std::string::npos) << tree.out;
    const test::RunResult raw = test::run_command("qpdf --qdf --object-streams=disable '" + pdf.string() + "' -");
    // "A grey dot" as PoDoFo writes a text string: UTF-16BE, in hex.
    EXPECT_NE(raw.out.find("/Alt <feff00410020006700720065007900200064006f0074>"), std::string::npos);
    // The German phrase: a Span whose Lang is "de".
    EXPECT_NE(raw.out.find("/Lang <feff00640065>"), std::string::npos);
    // The Figure's box on its page (a Layout attribute), inside the page.
    const std::size_t layout = raw.out.find("/O /Layout");
    ASSERT_NE(layout, std::string::npos) << "no Figure with a Layout BBox";
    const std::size_t open = raw.out.rfind("/BBox [", layout);
    ASSERT_NE(open, std::string::npos);
    std::istringstream box(raw.out.substr(open + 7, raw.out.find(']', open) - open - 7));
    double x0 = -1, y0 = -1, x1 = -1, y1 = -1;
    box >> x0 >> y0 >> x1 >> y1;
    const test::RunResult size = test::run_command("pdfinfo '" + pdf.string() + "'");
    double page_w = 0, page_h = 0;
    std::sscanf(size.out.substr(size.out.find("Page size:")).c_str(), "Page size: %lf x %lf", &page_w, &page_h);
    EXPECT_GT(page_w, 0);
    EXPECT_TRUE(x0 >= 0 && y0 >= 0 && x1 > x0 && y1 > y0 && x1 <= page_w && y1 <= page_h)
        << x0 << " " << y0 << " " << x1 << " " << y1 << " on " << page_w << " x " << page_h;
}

// Right-to-left words are shown right to left and read in logical order: their
// Span's ActualText holds them as written, in its phrase's language.
TEST_F(TaggedPdf, RightToLeftTextReadsInLogicalOrder) {
    test::ScratchDir dir;
    fs::create_directories(dir / "book");
    test::spit(dir / "book/book.yaml", "title: Bidi\nauthor: A. Writer\nlanguage: en\ncredits: optional\n"
                                        "chapters:\n  - articles: [a.md]\n");
    // "shalom olam" (hello world) inside English.
    test::spit(dir / "book/a.md", "---\ntitle: Greetings\n---\n\nThe Hebrew <span lang=\"he\">\u05E9\u05DC\u05D5\u05DD "
                                  "\u05E2\u05D5\u05DC\u05DD</span> means hello.\n");
    const fs::path pdf = build_checked(dir / "book", dir / "out");
    const test::RunResult raw = test::run_command("qpdf --qdf --object-streams=disable '" + pdf.string() + "' -");
    // UTF-16BE of "shalom olam " in logical order (shin first), as an ActualText.
    const std::size_t at = raw.out.find("/ActualText <feff05e905dc05d505dd002005e205d505dc05dd0020>");
    ASSERT_NE(at, std::string::npos) << "no ActualText with the Hebrew words in logical order";
    // Its parent, the phrase's Span, says the language: "he".
    EXPECT_NE(raw.out.find("/Lang <feff00680065>"), std::string::npos);
}

#ifdef FOLIO_BENCH_GEN
// The benchmark's generated book of 100 articles (headings, lists, quotes, links,
// footnotes): its tagged PDF passes the checks too.
TEST_F(TaggedPdf, AGenerated100ArticleBookPassesTheMatterhornChecks) {
    test::ScratchDir dir;
    const test::RunResult gen =
        test::run_command(std::string(FOLIO_BENCH_GEN) + " '" + (dir / "book").string() + "' 100");
    ASSERT_EQ(gen.exit_code, 0) << gen.out;
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "pdf", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    int status = -1;
    const std::string out = check(dir / "out/book.pdf", &status);
    EXPECT_EQ(status, 0) << out;
    const test::RunResult info = test::run_command("pdfinfo '" + (dir / "out/book.pdf").string() + "'");
    EXPECT_NE(info.out.find("Tagged:          yes"), std::string::npos) << info.out;
}
#endif

}  // namespace
}  // namespace folio
