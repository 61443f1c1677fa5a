// folio proof: one PNG per print spread at 150 dpi, the trim and bleed edge drawn and
// the gutter shaded, and a contact sheet; read back with folio's own picture reader.
#include "core/diagnostics.hpp"
#include "pictures/picture.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace folio {
namespace {

namespace fs = std::filesystem;

pictures::Pixels read_png(const fs::path& path) {
    Diagnostics d;
    const doc::Resource r = pictures::read_picture(path.filename().string(), test::slurp(path), {}, d);
    EXPECT_EQ(r.format, doc::PictureFormat::Png) << path;
    return pictures::decode(r);
}

struct Colour {
    int r, g, b;
};

Colour at(const pictures::Pixels& p, int x, int y) {
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(p.width) + static_cast<std::size_t>(x)) *
                          static_cast<std::size_t>(p.channels);
    const auto c = [&](std::size_t k) { return static_cast<int>(static_cast<unsigned char>(p.data[i + k])); };
    return {c(0), c(1), c(2)};
}

int pdf_pages(const fs::path& pdf) {
    const std::string info = test::run_command("pdfinfo '" + pdf.string() + "'").out;
    const std::size_t at = info.find("Pages:");
    return at == std::string::npos ? -1 : std::stoi(info.substr(at + 6));
}

int px(double inches) { return static_cast<int>(std::lround(inches * 150)); }

TEST(Proof, SpreadsOfTheFieldGuideWithTrimAndGutter) {
    test::ScratchDir out;
    const auto r = test::run_folio(
        {"proof", (test::source_dir() / "books/field-guide").string(), "-o", out.path().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int pages = pdf_pages(out / "field-guide-print.pdf");
    ASSERT_GT(pages, 0);
    const fs::path dir = out / "field-guide-proof";
    const int spreads = pages / 2 + 1;  // (–, 1), (2, 3) … (n, –)
    for (int n = 1; n <= spreads + 1; ++n) {
        char name[32];
        std::snprintf(name, sizeof name, "spread-%03d.png", n);
        EXPECT_EQ(fs::exists(dir / name), n <= spreads) << name;
    }
    // 6 x 9 in, no bleed: each spread is two pages wide at 150 dpi.
    const pictures::Pixels first = read_png(dir / "spread-001.png");
    ASSERT_EQ(first.width, 2 * px(6));
    ASSERT_EQ(first.height, px(9));
    // No page before the first recto: grey.
    const Colour none = at(first, px(3), px(4.5));
    EXPECT_TRUE(none.r == 208 && none.g == 208 && none.b == 208);
    // The recto's trim outlined, its binding side shaded: the tint is warm (blue lowest).
    const Colour trim = at(first, px(6) + 1, px(4.5));
    EXPECT_TRUE(trim.r == 0 && trim.g == 150 && trim.b == 255);
    const Colour gutter = at(first, px(6) + 10, px(1));
    EXPECT_GT(gutter.r, gutter.b + 20);
    const Colour outside = at(first, px(11.9), px(1));  // the recto's outer margin, not shaded
    EXPECT_TRUE(outside.r == 255 && outside.g == 255 && outside.b == 255);
    // A verso's gutter is on its right, by the spine.
    const pictures::Pixels second = read_png(dir / "spread-002.png");
    const Colour verso_gutter = at(second, px(6) - 10, px(1));
    EXPECT_GT(verso_gutter.r, verso_gutter.b + 20);
    const Colour verso_outer = at(second, px(0.1), px(1));
    EXPECT_TRUE(verso_outer.r == 255 && verso_outer.b == 255);

    // The contact sheet holds every spread, a sixth of their size, four to a row.
    const pictures::Pixels sheet = read_png(dir / "contact-sheet.png");
    EXPECT_EQ(sheet.width, 12 + 4 * (first.width / 6 + 12));
    EXPECT_EQ(sheet.height, 12 + (spreads + 3) / 4 * (first.height / 6 + 12));

    // Again: the same bytes, and nothing left beside the folder.
    const std::string before = test::slurp(dir / "spread-002.png");
    ASSERT_EQ(test::run_folio({"proof", (test::source_dir() / "books/field-guide").string(), "-o", out.path().string()})
                  .exit_code,
              0);
    EXPECT_EQ(test::slurp(dir / "spread-002.png"), before);
    for (const auto& e : fs::directory_iterator(out.path()))
        EXPECT_FALSE(e.path().filename().string().starts_with(".")) << "left behind: " << e.path();
}

TEST(Proof, BleedEdgeOnTheSidesThatBleed) {
    test::ScratchDir dir;
    test::copy_tree(test::source_dir() / "books/balkan-academia", dir / "book");
    test::spit(dir / "book/book.yaml", test::slurp(dir / "book/book.yaml") + "print:\n  bleed: kdp\n");
    const auto r = test::run_folio({"proof", (dir / "book").string(), "-o", (dir / "out").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const pictures::Pixels spread = read_png(dir / "out/book-proof/spread-002.png");
    // KDP's bleed: 0.125 in beyond the top, bottom and outer edge, none at the spine.
    ASSERT_EQ(spread.width, 2 * px(6.125));
    ASSERT_EQ(spread.height, px(9.25));
    const Colour top = at(spread, px(3), 0);
    EXPECT_TRUE(top.r == 220 && top.g == 0 && top.b == 0);
    const Colour outer = at(spread, 0, px(4));
    EXPECT_TRUE(outer.r == 220 && outer.g == 0);
    const Colour trim_top = at(spread, px(3), px(0.125));
    EXPECT_TRUE(trim_top.r == 0 && trim_top.g == 150 && trim_top.b == 255);
    const Colour trim_outer = at(spread, px(0.125), px(4));
    EXPECT_TRUE(trim_outer.r == 0 && trim_outer.b == 255);
}

TEST(Proof, ABookThatFailsLeavesTheEarlierProof) {
    test::ScratchDir dir;
    test::copy_tree(test::source_dir() / "books/balkan-academia", dir / "book");
    ASSERT_EQ(test::run_folio({"proof", (dir / "book").string(), "-o", (dir / "out").string()}).exit_code, 0);
    const std::string before = test::slurp(dir / "out/book-proof/contact-sheet.png");
    fs::remove(dir / "book/book.yaml");
    const auto r = test::run_folio({"proof", (dir / "book").string(), "-o", (dir / "out").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("error: no book.yaml"), std::string::npos) << r.err;
    EXPECT_EQ(test::slurp(dir / "out/book-proof/contact-sheet.png"), before);
}

}  // namespace
}  // namespace folio
