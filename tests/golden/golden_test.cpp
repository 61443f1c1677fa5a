// Golden files of the EPUB package: OPF, nav, NCX and two article documents of a
// fixture book. FOLIO_UPDATE_GOLDEN=1 (`make golden`) rewrites them; read the diff.
#include "book/load_book.hpp"
#include "epub/package.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace folio {
namespace {

namespace fs = std::filesystem;

void compare_with_golden(const std::string& book_name, const std::vector<std::string>& files) {
    Diagnostics d;
    const doc::Book book = book::load_book(test::source_dir() / "tests/fixtures/books" / book_name, d);
    epub::PackageOptions options;
    options.modified = 1767225600;  // 2026-01-01T00:00:00Z
    options.css = "/* the style is not part of these golden files */\n";
    options.generator = "folio (golden)";
    const auto entries = epub::build_package(book, options);
    const bool update = std::getenv("FOLIO_UPDATE_GOLDEN") != nullptr;
    for (const std::string& name : files) {
        const auto it =
            std::find_if(entries.begin(), entries.end(), [&](const epub::Entry& e) { return e.path == name; });
        ASSERT_NE(it, entries.end()) << name;
        const fs::path golden = test::source_dir() / "tests/golden/epub" / book_name / fs::path(name).filename();
        if (update) {
            test::spit(golden, it->bytes);
            continue;
        }
        ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run make golden";
        EXPECT_EQ(it->bytes, test::slurp(golden)) << name << " differs from " << golden << " (make golden rewrites it)";
    }
}

TEST(Golden, TwinNotesPackage) {
    compare_with_golden("twin-notes", {"EPUB/package.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx", "EPUB/text/a01.xhtml",
                                       "EPUB/text/a02.xhtml", "EPUB/text/credits.xhtml"});
}

TEST(Golden, LooseEndsPackage) {
    compare_with_golden("loose-ends", {"EPUB/package.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx", "EPUB/text/a01.xhtml"});
}

}  // namespace
}  // namespace folio
