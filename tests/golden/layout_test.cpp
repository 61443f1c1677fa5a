// Golden layout dumps: small books set and printed as text with fixed 4-decimal
// numbers. FOLIO_UPDATE_GOLDEN=1 (`make golden`) rewrites them; read the diff.
#include "book/load_book.hpp"
#include "build/build.hpp"
#include "layout/pages.hpp"
#include "layout/typeset.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace folio {
namespace {

namespace fs = std::filesystem;

void compare_layout(const std::string& name) {
    Diagnostics d;
    const doc::Book book = book::load_book(test::source_dir() / "tests/fixtures/layout" / name, d);
    const layout::Pages pages = layout::typeset(book, build::print_style(book, d), d);
    const std::string dump = layout::dump(pages);
    const fs::path golden = test::source_dir() / "tests/golden/layout" / (name + ".layout");
    if (std::getenv("FOLIO_UPDATE_GOLDEN")) {
        test::spit(golden, dump);
        return;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run make golden";
    EXPECT_EQ(dump, test::slurp(golden)) << golden << " differs (make golden rewrites it)";
}

TEST(GoldenLayout, JustifiedParagraphChapterOpenerAndContents) { compare_layout("justify"); }
TEST(GoldenLayout, HyphenatedNarrowColumn) { compare_layout("narrow"); }
TEST(GoldenLayout, FootnoteAndCredit) { compare_layout("footnote"); }
TEST(GoldenLayout, PictureAloneInARowAndInText) { compare_layout("pictures"); }

}  // namespace
}  // namespace folio
