// The print interior of every sample and fixture book, checked with the tools a
// printer would use: the PDF/X-1a:2001 structure (PDF 1.3, a TrimBox on every
// page, gray only, no annotations or bookmarks, the PDF/X keys and output intent),
// fonts, images, Ghostscript rendering every page, and the credits as real text.
#include "book/load_book.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace folio {
namespace {

namespace fs = std::filesystem;

class PrintPdf : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new test::ScratchDir;
        s_built = test::build_every_book(s_dir->path(), "print", "-print.pdf");
    }
    static void TearDownTestSuite() {
        delete s_dir;
        s_dir = nullptr;
    }
    static inline test::ScratchDir* s_dir = nullptr;
    static inline std::map<fs::path, fs::path> s_built;
};

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    ASSERT_TRUE(out.good()) << path;
}

TEST_F(PrintPdf, QpdfFindsNoErrorAndTheVersionIsPdf13) {
    for (const auto& [book, pdf] : s_built) {
        const auto check = test::run_command("qpdf --check " + quoted(pdf));
        EXPECT_EQ(check.exit_code, 0) << book << "\n" << check.out;
        const auto info = test::run_command("pdfinfo " + quoted(pdf));
        EXPECT_NE(info.out.find("PDF version:     1.3"), std::string::npos) << book << "\n" << info.out;
    }
}

// The default style's trim, 6 x 9 in, with no bleed: the TrimBox is the page.
TEST_F(PrintPdf, EveryPageHasATrimBoxOfTheStylesSize) {
    for (const auto& [book, pdf] : s_built) {
        const auto info = test::run_command("pdfinfo -box -f 1 -l 9999 " + quoted(pdf));
        ASSERT_EQ(info.exit_code, 0) << info.out;
        std::istringstream lines(info.out);
        int media = 0, trim = 0;
        for (std::string line; std::getline(lines, line);) {
            if (line.find("MediaBox:") != std::string::npos) {
                ++media;
                EXPECT_NE(line.find("0.00     0.00   432.00   648.00"), std::string::npos) << line;
            }
            if (line.find("TrimBox:") != std::string::npos) {
                ++trim;
                EXPECT_NE(line.find("0.00     0.00   432.00   648.00"), std::string::npos) << line;
            }
        }
        EXPECT_GT(media, 0) << book;
        EXPECT_EQ(trim, media) << book;
    }
}

// What print services refuse (annotations, bookmarks) is absent; what PDF/X-1a
// asks for is there. Only the metadata and these dictionaries are uncompressed.
TEST_F(PrintPdf, NoAnnotationsOrBookmarksAndThePdfxKeys) {
    for (const auto& [book, pdf] : s_built) {
        SCOPED_TRACE(book.string());
        const std::string bytes = test::slurp(pdf);
        EXPECT_EQ(bytes.find("/Annots"), std::string::npos);
        EXPECT_EQ(bytes.find("/Outlines"), std::string::npos);
        EXPECT_EQ(bytes.find("/Dests"), std::string::npos);
        EXPECT_NE(bytes.find("/GTS_PDFXVersion(PDF/X-1:2001)"), std::string::npos);
        EXPECT_NE(bytes.find("/GTS_PDFXConformance(PDF/X-1a:2001)"), std::string::npos);
        EXPECT_NE(bytes.find("/Trapped/False"), std::string::npos);
        EXPECT_NE(bytes.find("/OutputIntents"), std::string::npos);
        EXPECT_NE(bytes.find("/S/GTS_PDFX"), std::string::npos);
        EXPECT_NE(bytes.find("<pdfx:GTS_PDFXVersion>PDF/X-1:2001</pdfx:GTS_PDFXVersion>"), std::string::npos);
        EXPECT_EQ(bytes.find("/SMask"), std::string::npos);  // no soft masks: transparency flattened
    }
}

TEST_F(PrintPdf, FontsEmbeddedAndSubsetAndImagesGray) {
    for (const auto& [book, pdf] : s_built) {
        SCOPED_TRACE(book.string());
        const auto fonts = test::run_command("pdffonts " + quoted(pdf));
        std::istringstream lines(fonts.out);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
            EXPECT_EQ(line.find("Type 3"), std::string::npos) << line;
            EXPECT_NE(line.find("yes yes yes"), std::string::npos) << line;
        }
        const auto images = test::run_command("pdfimages -list " + quoted(pdf));
        std::istringstream rows(images.out);
        for (std::string row; std::getline(rows, row);) {
            if (row.rfind("page", 0) == 0 || row.rfind("----", 0) == 0 || row.empty()) continue;
            std::istringstream cols(row);
            std::string page, num, type, width, height, color, comp, bpc;
            cols >> page >> num >> type >> width >> height >> color >> comp >> bpc;
            EXPECT_EQ(color, "gray") << row;
            EXPECT_EQ(bpc, "8") << row;
        }
    }
}

// tests/fixtures/books/print-images has a red and blue picture whose left half is
// transparent: it must come out gray, the transparent half white (the paper), the
// rest at the colours' luma (Rec. 601: red 200,30,30 -> 81; blue 30,30,200 -> 49).
TEST_F(PrintPdf, ColourImagesWithTransparencyBecomeGrayOnWhite) {
    const fs::path book = test::source_dir() / "tests/fixtures/books/print-images";
    test::ScratchDir dir;
    const auto r = test::run_command("pdfimages " + quoted(s_built.at(book)) + " " + quoted(dir / "im"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string ppm = test::slurp(dir / "im-000.ppm");  // pdfimages writes gray as RGB triplets
    const std::string header = "P6\n300 120\n255\n";
    ASSERT_EQ(ppm.compare(0, header.size(), header), 0) << ppm.substr(0, 20);
    auto pixel = [&](int x, int y) {
        const std::size_t at = header.size() + 3 * static_cast<std::size_t>(y * 300 + x);
        EXPECT_TRUE(ppm[at] == ppm[at + 1] && ppm[at] == ppm[at + 2]) << "not gray at " << x << "," << y;
        return static_cast<int>(static_cast<unsigned char>(ppm[at]));
    };
    EXPECT_EQ(pixel(10, 10), 255);   // transparent, over red
    EXPECT_EQ(pixel(10, 100), 255);  // transparent, over blue
    EXPECT_EQ(pixel(200, 10), 81);   // opaque red
    EXPECT_EQ(pixel(200, 100), 49);  // opaque blue
}

TEST_F(PrintPdf, GhostscriptRendersEveryPageWithoutAMessage) {
    for (const auto& [book, pdf] : s_built) {
        const auto r = test::run_command("gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=nullpage " + quoted(pdf) + " 2>&1");
        EXPECT_EQ(r.exit_code, 0) << book << "\n" << r.out;
        EXPECT_EQ(r.out, "") << book;
    }
}

TEST_F(PrintPdf, EveryCreditExtractsVerbatim) {
    for (const auto& [book, pdf] : s_built) {
        SCOPED_TRACE(book.string());
        Diagnostics d;
        const doc::Book b = book::load_book(book, d);
        const auto r = test::run_command("pdftotext -enc UTF-8 " + quoted(pdf) + " -");
        ASSERT_EQ(r.exit_code, 0);
        const std::string text = test::join_address_breaks(test::normalize_space(r.out));
        b.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            if (!a.credit.text.empty()) {
                EXPECT_NE(text.find(test::join_address_breaks(test::normalize_space(a.credit.text))), std::string::npos) << a.credit.text;
            }
        });
    }
}

TEST_F(PrintPdf, TwoBuildsGiveIdenticalBytes) {
    const fs::path book = test::source_dir() / "books/field-guide";
    test::ScratchDir again;
    ASSERT_EQ(test::run_folio({"build", book.string(), "-o", again.path().string(), "--format", "print", "-q"}).exit_code,
              0);
    EXPECT_EQ(test::slurp(again / "field-guide-print.pdf"), test::slurp(s_built.at(book)));
}

// The rows of the fixture's long table in a page's text: "Vessel" and a number.
int vessel_rows(const std::string& text) {
    int rows = 0;
    for (std::size_t at = text.find("Vessel "); at != std::string::npos; at = text.find("Vessel ", at + 1))
        rows += at + 7 < text.size() && std::isdigit(static_cast<unsigned char>(text[at + 7])) ? 1 : 0;
    return rows;
}

// The fixture's table of 120 vessels runs over several pages; each page it goes on
// to begins with its header row, read back from the PDF as text.
TEST_F(PrintPdf, ALongTableRepeatsItsHeaderRowOnEveryPage) {
    const fs::path pdf = s_built.at(test::source_dir() / "tests/fixtures/books/tables");
    const auto info = test::run_command("pdfinfo " + quoted(pdf));
    const int pages = std::stoi(info.out.substr(info.out.find("Pages:") + 6));
    std::vector<std::string> table_pages;
    for (int p = 1; p <= pages; ++p) {
        const auto text = test::run_command("pdftotext -layout -enc UTF-8 -f " + std::to_string(p) + " -l " + std::to_string(p) +
                                            " " + quoted(pdf) + " -");
        if (vessel_rows(text.out) > 0) table_pages.push_back(test::normalize_space(text.out));
    }
    ASSERT_GE(table_pages.size(), 3u);
    int rows = 0;
    for (std::size_t k = 0; k < table_pages.size(); ++k) {
        const std::string& t = table_pages[k];
        const std::size_t head = t.find("No. Vessel Tonnage Remarks");
        ASSERT_NE(head, std::string::npos) << "page " << k << " of the table: " << t.substr(0, 200);
        EXPECT_LT(head, t.find("Vessel ", head + 10)) << "the header comes first";
        rows += vessel_rows(t);
    }
    EXPECT_EQ(rows, 120) << "every row once";
}

// The fixture's turned table: on a page of its own, its text turned (read back by
// pdftotext's bounding boxes as taller than wide), the folio upright.
TEST_F(PrintPdf, AVeryWideTableIsTurnedWithTheFolioUpright) {
    const fs::path pdf = s_built.at(test::source_dir() / "tests/fixtures/books/tables");
    const auto r = test::run_command("pdftotext -bbox " + quoted(pdf) + " -");
    ASSERT_EQ(r.exit_code, 0);
    // A word box of "Port" (a header of the turned table) is taller than it is wide.
    std::istringstream in(r.out);
    std::string line;
    int turned = 0;
    while (std::getline(in, line)) {
        if (line.find(">Port<") == std::string::npos) continue;
        double x0, y0, x1, y1;
        if (std::sscanf(line.c_str(), " <word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1,
                        &y1) == 4 &&
            y1 - y0 > x1 - x0)
            ++turned;
    }
    EXPECT_GE(turned, 13);
}

// IngramSpark: an even page count and a blank last page, with never more than two
// blank pages in a row anywhere.
TEST_F(PrintPdf, EvenPageCountAndABlankLastPageAndNoThreeBlanksInARow) {
    for (const auto& [book, pdf] : s_built) {
        SCOPED_TRACE(book.string());
        const auto info = test::run_command("pdfinfo " + quoted(pdf));
        const std::size_t at = info.out.find("Pages:");
        ASSERT_NE(at, std::string::npos);
        const int pages = std::stoi(info.out.substr(at + 6));
        EXPECT_EQ(pages % 2, 0) << pages;
        int run = 0, longest = 0;
        bool last_blank = false;
        for (int p = 1; p <= pages; ++p) {
            const auto text = test::run_command("pdftotext -f " + std::to_string(p) + " -l " + std::to_string(p) + " " +
                                                quoted(pdf) + " -");
            const bool blank = text.out.find_first_not_of(" \n\t\r\f") == std::string::npos;
            run = blank ? run + 1 : 0;
            longest = std::max(longest, run);
            last_blank = blank;
        }
        EXPECT_TRUE(last_blank);
        EXPECT_LE(longest, 2);
    }
}

// The left edge of the text on a recto page, in points (pdftotext -bbox).
// The text column's left edge on a page: the most common left end of its words
// (a quotation mark hanging into the margin starts a little left of it).
double recto_text_left(const fs::path& pdf, int page) {
    const auto r = test::run_command("pdftotext -bbox -f " + std::to_string(page) + " -l " + std::to_string(page) + " " +
                                     quoted(pdf) + " -");
    std::map<double, int> count;
    for (std::size_t at = r.out.find("xMin=\""); at != std::string::npos; at = r.out.find("xMin=\"", at + 1))
        ++count[std::round(std::stod(r.out.substr(at + 6)) * 100) / 100];
    double left = 1e9;
    int most = 0;
    for (const auto& [x, n] : count)
        if (n > most) left = x, most = n;
    return left;
}

// A book past 150 pages gets KDP's next gutter step, 0.125 in more than a thin one;
// the reading PDF keeps the style's margin.
TEST(PrintRules, TheGutterGrowsWhenTheBookCrossesAPageCountStep) {
    test::ScratchDir dir;
    const fs::path book = dir / "long";
    fs::create_directories(book / "articles");
    write_text(book / "book.yaml",
                     "title: A Long Book\nauthor: [Ana Test]\nlanguage: en\nrights: CC0 1.0\n"
                     "defaults: {site: Fixture Site, license: CC0 1.0}\nchapters:\n  - articles: [articles/*.md]\n");
    const std::string paragraph =
        "The binding of a thick book swallows more of its inner margin than that of a thin one, so printers ask "
        "for a wider gutter as the page count grows, and the text block moves out to keep its visible margin.\n\n";
    for (int a = 0; a < 26; ++a) {
        std::string text = "---\ntitle: Part " + std::to_string(a + 1) + "\nauthor: Ana Test\n---\n\n";
        for (int p = 0; p < 60; ++p) text += paragraph;
        write_text(book / "articles" / ("a" + std::to_string(10 + a) + ".md"), text);
    }
    const auto r = test::run_folio({"build", book.string(), "-o", (dir / "out").string(), "--format", "all", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path print = dir / "out/long-print.pdf";
    // Long enough for all three stores: the preflight passes outright.
    const auto preflight = test::run_folio({"check", "--print", book.string()});
    EXPECT_EQ(preflight.exit_code, 0) << preflight.out;
    EXPECT_EQ(preflight.out.find("FAIL"), std::string::npos) << preflight.out;
    EXPECT_EQ(preflight.out.find("warning"), std::string::npos) << preflight.out;
    const auto info = test::run_command("pdfinfo " + quoted(print));
    const int pages = std::stoi(info.out.substr(info.out.find("Pages:") + 6));
    ASSERT_GT(pages, 150);
    ASSERT_LE(pages, 300);
    EXPECT_NEAR(recto_text_left(print, 21), 63 + 9, 0.01);                  // 0.875 in + 0.125 in
    EXPECT_NEAR(recto_text_left(dir / "out/long.pdf", 21), 63, 0.01);       // the style's 0.875 in
    const fs::path guide = test::source_dir() / "books/field-guide";
    test::ScratchDir short_out;
    ASSERT_EQ(test::run_folio({"build", guide.string(), "-o", short_out.path().string(), "--format", "print", "-q"})
                  .exit_code,
              0);
    EXPECT_NEAR(recto_text_left(short_out / "field-guide-print.pdf", 11), 63, 0.01);  // 32 pages: the first step
}

// folio check --print: every rule of every store, each with its verdict.
TEST(Preflight, TheSampleGuidePassesEveryRuleOfEveryStore) {
    const auto r = test::run_folio({"check", "--print", (test::source_dir() / "books/field-guide").string()});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    for (const char* store : {"KDP", "IngramSpark", "Lulu"})
        for (const char* rule : {"page count", "margins", "gutter", "fonts", "image resolution", "colour", "page boxes",
                                 "page parity", "blank pages"})
            EXPECT_NE(r.out.find(std::string(store) + std::string(13 - std::string(store).size(), ' ') + rule),
                      std::string::npos)
                << store << " " << rule << "\n"
                << r.out;
    EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("warning"), std::string::npos) << r.out;
}

// A short book fails only the stores' minimum page counts, each named; nothing is
// padded with blank pages to reach them.
TEST(Preflight, AShortBookFailsTheMinimumPageCountsAlone) {
    const auto r = test::run_folio({"check", "--print", (test::source_dir() / "books/balkan-academia").string()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("under KDP's minimum of 24"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("under IngramSpark's minimum of 18"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("under Lulu's minimum of 32"), std::string::npos) << r.out;
    std::istringstream lines(r.out);
    int failures = 0;
    for (std::string line; std::getline(lines, line);) failures += line.find(" FAIL ") != std::string::npos;
    EXPECT_EQ(failures, 3) << r.out;
}

// Every picture too small for 300 ppi at the width a reader needs is warned about,
// each with its page and the place in its article; the badge, which folio placed at
// exactly 300 ppi, is not.
TEST(Preflight, EveryLowResolutionPictureIsAWarningWithItsPageAndPlace) {
    const fs::path book = test::source_dir() / "tests/fixtures/books/print-images";
    const auto r = test::run_folio({"check", "--print", book.string()});
    const std::string article = (book / "articles/pictures.md").lexically_normal().generic_string();
    EXPECT_NE(r.out.find("warning page 7: 'images/small.png' (" + article + ":16:1) at 60 ppi as placed, under 300"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("warning page 7: 'images/medium.png' (" + article + ":20:1) at 150 ppi as placed, under 300"),
              std::string::npos)
        << r.out;
    std::istringstream lines(r.out);
    int warnings = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.find("image resolution") == std::string::npos) continue;
        EXPECT_EQ(line.find("badge"), std::string::npos) << line;
        warnings += line.find(" warning ") != std::string::npos;
    }
    EXPECT_EQ(warnings, 6) << "two pictures for each of the three stores\n" << r.out;
}

// tests/fixtures/books/pictures in print: every raster picture and the SVG gradient
// as 8-bit gray pixels; the solid-coloured SVGs (a diagram and an icon used twice)
// as vector Form XObjects painting in gray, with no transparency group.
TEST_F(PrintPdf, PicturesOfEveryKindAreGrayAndSolidSvgStaysVector) {
    const fs::path pdf = s_built.at(test::source_dir() / "tests/fixtures/books/pictures");
    const auto images = test::run_command("pdfimages -list " + quoted(pdf));
    std::istringstream rows(images.out);
    int count = 0;
    for (std::string row; std::getline(rows, row);) {
        if (row.rfind("page", 0) == 0 || row.rfind("----", 0) == 0 || row.empty()) continue;
        ++count;
        EXPECT_NE(row.find(" image "), std::string::npos) << "no soft mask in print: " << row;
        EXPECT_NE(row.find(" gray "), std::string::npos) << row;
    }
    EXPECT_EQ(count, 8) << "PNG, three JPEGs, GIF, WebP, the link icon and the rasterised gradient\n" << images.out;
    test::ScratchDir dir;
    const auto qdf = test::run_command("qpdf --qdf --object-streams=disable " + quoted(pdf) + " " + quoted(dir / "q.pdf"));
    ASSERT_EQ(qdf.exit_code, 0) << qdf.out;
    const std::string expanded = test::slurp(dir / "q.pdf");
    int forms = 0;
    for (std::size_t at = expanded.find("/Subtype /Form"); at != std::string::npos;
         at = expanded.find("/Subtype /Form", at + 1))
        ++forms;
    EXPECT_EQ(forms, 2) << "the diagram and the star";
    for (const char* colour : {" rg\n", " RG\n", " k\n", " K\n", " scn\n", "/DeviceRGB", "/Group", "/SMask", "/CA ",
                               "/ca "})
        EXPECT_EQ(expanded.find(colour), std::string::npos) << colour;
}

TEST_F(PrintPdf, SampleBooksImagesAreAt300PpiOrMore) {
    for (const char* name : {"books/field-guide", "books/balkan-academia"}) {
        const auto images = test::run_command("pdfimages -list " + quoted(s_built.at(test::source_dir() / name)));
        std::istringstream rows(images.out);
        for (std::string row; std::getline(rows, row);) {
            if (row.rfind("page", 0) == 0 || row.rfind("----", 0) == 0 || row.empty()) continue;
            std::istringstream cols(row);
            std::string skip;
            for (int k = 0; k < 12; ++k) cols >> skip;  // page … object ID: x-ppi is the 13th column
            int x_ppi = 0, y_ppi = 0;
            cols >> x_ppi >> y_ppi;
            EXPECT_GE(x_ppi, 300) << row;
            EXPECT_GE(y_ppi, 300) << row;
        }
    }
}

// A copy of a fixture book with print settings added to its book.yaml.
fs::path book_with(const test::ScratchDir& dir, const std::string& settings) {
    const fs::path book = dir / "book";
    fs::copy(test::source_dir() / "tests/fixtures/books/twin-notes", book, fs::copy_options::recursive);
    std::ofstream(book / "book.yaml", std::ios::app) << "print:\n" << settings;
    return book;
}

std::string boxes_of(const fs::path& book, const test::ScratchDir& dir) {
    const auto r = test::run_folio({"build", book.string(), "-o", (dir / "out").string(), "--format", "print", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return test::run_command("pdfinfo -box -f 1 -l 2 " + quoted(dir / "out/book-print.pdf")).out;
}

// KDP's bleed: 0.125 in beyond the top, bottom and outer edge (right on a recto,
// left on a verso); the trim inside the bleed inside the page.
TEST(PrintSettings, KdpBleedGrowsThePageOnThreeSides) {
    test::ScratchDir dir;
    const std::string boxes = boxes_of(book_with(dir, "  bleed: kdp\n"), dir);
    EXPECT_NE(boxes.find("Page    1 MediaBox:      0.00     0.00   441.00   666.00"), std::string::npos) << boxes;
    EXPECT_NE(boxes.find("Page    1 BleedBox:      0.00     0.00   441.00   666.00"), std::string::npos) << boxes;
    EXPECT_NE(boxes.find("Page    1 TrimBox:       0.00     9.00   432.00   657.00"), std::string::npos) << boxes;
    EXPECT_NE(boxes.find("Page    2 TrimBox:       9.00     9.00   441.00   657.00"), std::string::npos) << boxes;
}

TEST(PrintSettings, BleedOnAllSidesAndATrimFromBookYaml) {
    test::ScratchDir dir;
    const std::string boxes = boxes_of(book_with(dir, "  trim: 5x8in\n  bleed: all\n"), dir);
    EXPECT_NE(boxes.find("Page    1 MediaBox:      0.00     0.00   378.00   594.00"), std::string::npos) << boxes;
    EXPECT_NE(boxes.find("Page    1 TrimBox:       9.00     9.00   369.00   585.00"), std::string::npos) << boxes;
    EXPECT_NE(boxes.find("Page    2 TrimBox:       9.00     9.00   369.00   585.00"), std::string::npos) << boxes;
}

// Cream paper holds fewer pages at KDP; a bleed of the wrong shape for a store is
// a failure for that store.
TEST(PrintSettings, PaperAndBleedInThePreflight) {
    test::ScratchDir dir;
    const fs::path book = book_with(dir, "  paper: cream\n  bleed: kdp\n");
    const auto r = test::run_folio({"check", "--print", book.string()});
    EXPECT_NE(r.out.find("24-776"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("IngramSpark prints from a page 0.125 in larger on every side"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("KDP prints from a page"), std::string::npos) << r.out;
}

TEST(PrintSettings, ABadValueIsALocatedError) {
    test::ScratchDir dir;
    const fs::path book = book_with(dir, "  bleed: lots\n");
    const auto r = test::run_folio({"build", book.string(), "-o", (dir / "out").string(), "--format", "print"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("book.yaml:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("error: 'bleed' is one of: none, kdp, all"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out/book-print.pdf"));
}

// Paper has no links: a web link whose words are not its address is followed by the
// address in print, and only there; an autolink, or a link whose words are its
// address, is not repeated; the words counted stay the sources'.
TEST(PrintSettings, WebLinksGiveTheirAddressOnPaper) {
    test::ScratchDir dir;
    test::spit(dir / "book/book.yaml", "title: W\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md]\n");
    test::spit(dir / "book/a.md", "# A\n\nRead [the harbour report](https://example.org/reports/harbour.html), "
                                  "<https://example.org/raw>, [example.org](https://example.org/) and "
                                  "[mail us](mailto:ed@example.org).\n");
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "all",
                                    "-q", "--stats", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto text_of = [&](const char* pdf) {
        return test::join_address_breaks(
            test::normalize_space(test::run_command("pdftotext -enc UTF-8 " + quoted(dir / "out" / pdf) + " -").out));
    };
    const std::string print = text_of("book-print.pdf");
    EXPECT_NE(print.find("Read the harbour report (https://example.org/reports/harbour.html), https://example.org/raw, "
                         "example.org and mail us (ed@example.org)."),
              std::string::npos)
        << print;
    const std::string reading = text_of("book.pdf");
    EXPECT_NE(reading.find("Read the harbour report, https://example.org/raw, example.org and mail us."),
              std::string::npos)
        << reading;
    // The addresses are folio's words, not the article's: the print edition counts as many as the sources.
    const std::size_t sources = r.out.find("\"sources\""), printed = r.out.find("\"print\"");
    ASSERT_NE(sources, std::string::npos) << r.out;
    ASSERT_NE(printed, std::string::npos) << r.out;
    const auto words_after = [&](std::size_t at) {
        const std::size_t w = r.out.find("\"words\": ", at);
        return std::stol(r.out.substr(w + 9));
    };
    EXPECT_EQ(words_after(sources), words_after(printed));
}

}  // namespace
}  // namespace folio
