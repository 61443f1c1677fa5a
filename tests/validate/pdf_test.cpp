// The reading PDF of every sample and fixture book, checked with the tools a
// printer or a reader would use: qpdf, pdffonts, pdftotext; and the layout report.
#include "book/load_book.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace folio {
namespace {

namespace fs = std::filesystem;

using test::all_books;

// Built once for all tests: book folder -> its PDF, and the --stats=json line.
struct Built {
    fs::path pdf;
    std::string stats;
};

class ReadingPdf : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new test::ScratchDir;
        for (const fs::path& b : all_books()) {
            const auto r = test::run_folio({"build", b.string(), "-o", s_dir->path().string(), "--format", "pdf",
                                            "--stats", "json", "-q"});
            ASSERT_EQ(r.exit_code, 0) << b << ": " << r.err;
            s_built[b] = {s_dir->path() / (b.filename().string() + ".pdf"), r.out};
        }
    }
    static void TearDownTestSuite() {
        delete s_dir;
        s_dir = nullptr;
    }
    static inline test::ScratchDir* s_dir = nullptr;
    static inline std::map<fs::path, Built> s_built;
};

// Letters only: pdftotext breaks lines and keeps our hyphens; what must survive is
// every character of the text, in order.
std::string letters(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '-' || c == '\f') continue;
        out += c;
    }
    return out;
}

// tests/fixtures/books/pictures: every picture in the reading PDF. The raster ones
// as images (JPEG passed through, the others decoded, the transparent icon with a
// soft mask), a GIF included; the SVGs as vector Form XObjects, one each however
// often placed.
TEST_F(ReadingPdf, EveryPictureOfEveryKindIsInThePdf) {
    const fs::path pdf = s_built.at(test::source_dir() / "tests/fixtures/books/pictures").pdf;
    const auto images = test::run_command("pdfimages -list '" + pdf.string() + "'");
    std::istringstream rows(images.out);
    std::map<std::string, int> kinds;  // "image jpeg" -> count
    for (std::string row; std::getline(rows, row);) {
        if (row.rfind("page", 0) == 0 || row.rfind("----", 0) == 0 || row.empty()) continue;
        std::istringstream cols(row);
        std::string page, num, type, width, height, color, comp, bpc, enc;
        cols >> page >> num >> type >> width >> height >> color >> comp >> bpc >> enc;
        ++kinds[type + " " + enc];
    }
    EXPECT_EQ(kinds["image jpeg"], 3) << images.out;
    EXPECT_EQ(kinds["image image"], 4) << "PNG, GIF, WebP, the link icon\n" << images.out;
    EXPECT_EQ(kinds["smask image"], 1) << images.out;
    test::ScratchDir dir;
    const auto qdf = test::run_command("qpdf --qdf --object-streams=disable '" + pdf.string() + "' '" +
                                       (dir / "q.pdf").string() + "'");
    ASSERT_EQ(qdf.exit_code, 0) << qdf.out;
    const std::string expanded = test::slurp(dir / "q.pdf");
    int forms = 0;
    for (std::size_t at = expanded.find("/Subtype /Form"); at != std::string::npos;
         at = expanded.find("/Subtype /Form", at + 1))
        ++forms;
    EXPECT_EQ(forms, 3) << "the diagram, the gradient and the star";
    // The alt text of each picture is not set as text in its place.
    const auto text = test::run_command("pdftotext -q '" + pdf.string() + "' -");
    EXPECT_EQ(text.out.find("Stripes in red"), std::string::npos);
    EXPECT_NE(text.out.find("The star"), std::string::npos);
    // The drawn SVGs and the decoded pictures come out the same every build.
    ASSERT_EQ(test::run_folio({"build", (test::source_dir() / "tests/fixtures/books/pictures").string(), "-o",
                               dir.path().string(), "--format", "pdf", "-q"})
                  .exit_code,
              0);
    EXPECT_EQ(test::slurp(dir / "pictures.pdf"), test::slurp(pdf));
}

TEST_F(ReadingPdf, QpdfFindsNoError) {
    for (const auto& [book, built] : s_built) {
        const auto r = test::run_command("qpdf --check '" + built.pdf.string() + "'");
        EXPECT_EQ(r.exit_code, 0) << book << "\n" << r.out;
        EXPECT_NE(r.out.find("No syntax or stream encoding errors found"), std::string::npos) << r.out;
    }
}

TEST_F(ReadingPdf, EveryFontEmbeddedSubsetWithUnicodeAndNoType3) {
    for (const auto& [book, built] : s_built) {
        const auto r = test::run_command("pdffonts '" + built.pdf.string() + "'");
        ASSERT_EQ(r.exit_code, 0) << r.out;
        std::istringstream lines(r.out);
        std::string line;
        int fonts = 0;
        while (std::getline(lines, line)) {
            if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
            ++fonts;
            EXPECT_EQ(line.find("Type 3"), std::string::npos) << line;
            // The columns emb, sub and uni read "yes yes yes".
            EXPECT_NE(line.find("yes yes yes"), std::string::npos) << book << ": " << line;
            EXPECT_NE(line.find('+'), std::string::npos) << "not a subset: " << line;
        }
        EXPECT_GE(fonts, 1) << book;
    }
}

TEST_F(ReadingPdf, TitleHeadingsAndEveryCreditExtractVerbatim) {
    for (const auto& [book, built] : s_built) {
        SCOPED_TRACE(book.string());
        Diagnostics d;
        const doc::Book b = book::load_book(book, d);
        const auto r = test::run_command("pdftotext -enc UTF-8 '" + built.pdf.string() + "' -");
        ASSERT_EQ(r.exit_code, 0);
        const std::string text = test::join_address_breaks(test::normalize_space(r.out));
        EXPECT_NE(text.find(test::normalize_space(b.title)), std::string::npos);
        b.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            EXPECT_NE(text.find(test::normalize_space(a.title)), std::string::npos) << a.title;
            if (!a.credit.text.empty()) {
                EXPECT_NE(text.find(test::join_address_breaks(test::normalize_space(a.credit.text))), std::string::npos)
                    << "credit not verbatim: " << a.credit.text;
            }
            for (const doc::Block& blk : a.body) {
                if (const auto* h = std::get_if<doc::Heading>(&blk.value)) {
                    EXPECT_NE(letters(r.out).find(letters(doc::plain_text(h->content))), std::string::npos)
                        << "heading " << doc::plain_text(h->content);
                }
            }
        });
    }
}

TEST_F(ReadingPdf, SeedArticleExtractsCompleteAndInOrder) {
    const Built& built = s_built.at(test::source_dir() / "books/balkan-academia");
    // The text block only (6 x 9 in, margins 0.75 in top, 0.875 in bottom): the running
    // heads and folios are not part of the article's text.
    const auto r = test::run_command("pdftotext -enc UTF-8 -x 0 -y 50 -W 432 -H 540 '" + built.pdf.string() + "' -");
    const std::string text = letters(r.out);
    const std::string original = test::slurp(test::source_dir() / "tests/fixtures/seed/balkan-academia-original.txt");
    std::size_t at = 0;
    int found = 0;
    std::istringstream paragraphs(original);
    std::string p;
    while (std::getline(paragraphs, p)) {
        if (p.empty() || p == "← Back" || p.rfind("Thank you", 0) == 0 || p == "Photo from TPZ.AL") continue;
        if (p.rfind("Serbia Owes the World an Apology", 0) == 0) continue;  // the title, in the running heads too
        if (p.rfind("© All publications", 0) == 0) continue;                 // the licence: checked with the credits
        const std::size_t pos = text.find(letters(p), at);
        ASSERT_NE(pos, std::string::npos) << "missing or out of order: " << p.substr(0, 60);
        at = pos + letters(p).size();
        ++found;
    }
    EXPECT_GE(found, 10);
}

TEST_F(ReadingPdf, SampleBooksHaveNoOverfullLineWidowOrOrphan) {
    for (const char* name : {"books/balkan-academia", "books/field-guide"}) {
        const std::string& s = s_built.at(test::source_dir() / name).stats;
        SCOPED_TRACE(s);
        EXPECT_NE(s.find("\"overfull_lines\": 0,"), std::string::npos);
        EXPECT_NE(s.find("\"widows\": 0,"), std::string::npos);
        EXPECT_NE(s.find("\"orphans\": 0,"), std::string::npos);
        const auto at = s.find("\"max_consecutive_hyphenated\": ");
        ASSERT_NE(at, std::string::npos);
        EXPECT_LE(std::stoi(s.substr(at + 30)), 2);
        const auto lines = s.find("\"lines\": ");
        EXPECT_GT(std::stoi(s.substr(lines + 9)), 50);
    }
}

TEST_F(ReadingPdf, TwoBuildsGiveIdenticalBytes) {
    const fs::path book = test::source_dir() / "books/field-guide";
    test::ScratchDir again;
    ASSERT_EQ(test::run_folio({"build", book.string(), "-o", again.path().string(), "--format", "pdf", "-q"}).exit_code, 0);
    EXPECT_EQ(test::slurp(again / "field-guide.pdf"), test::slurp(s_built.at(book).pdf));
}

TEST_F(ReadingPdf, BookmarksLinksAndPageLabels) {
    const Built& built = s_built.at(test::source_dir() / "books/field-guide");
    const std::string bytes = test::slurp(built.pdf);
    EXPECT_NE(bytes.find("/Outlines"), std::string::npos);
    EXPECT_NE(bytes.find("/PageLabels"), std::string::npos);
    // Links as readers find them: poppler lists each web link's annotation, and qpdf
    // parses the contents' links to their named destinations, which poppler lists.
    const auto urls = test::run_command("pdfinfo -url '" + built.pdf.string() + "'");
    EXPECT_NE(urls.out.find("Annotation    https://creativecommons.org/licenses/by/4.0/"), std::string::npos)
        << urls.out;
    const auto objects = test::run_command("qpdf --json --json-key=qpdf '" + built.pdf.string() + "'");
    EXPECT_NE(objects.out.find("\"/Dest\": \"u:a01\""), std::string::npos);
    const auto dests = test::run_command("pdfinfo -dests '" + built.pdf.string() + "'");
    EXPECT_NE(dests.out.find("\"a01\""), std::string::npos) << dests.out;
    const auto info = test::run_command("pdfinfo '" + built.pdf.string() + "'");
    EXPECT_NE(info.out.find("Title:           A Field Guide to folio"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("Page size:       432 x 648 pts"), std::string::npos) << info.out;
    const auto meta = test::run_command("pdfinfo -meta '" + built.pdf.string() + "'");
    EXPECT_NE(meta.out.find("<dc:rights>"), std::string::npos);
    EXPECT_NE(meta.out.find("published in A Field Guide to folio"), std::string::npos);
}

}  // namespace
}  // namespace folio
