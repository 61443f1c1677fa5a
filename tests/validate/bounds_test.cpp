// Bounded resources: a 1,000-article book (about 6,800 pages in print) builds to
// every format in bounded memory. The peak is the child's maximum resident set
// (run_folio_measured, from wait4); the bound leaves room above the measured peak (about 500 MB) for other
// machines' allocators and libraries, while a leak or a copy of the book per page
// would cross it.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <iostream>

namespace folio {
namespace {

namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUnderAddressSanitizer = true;
#else
constexpr bool kUnderAddressSanitizer = false;
#endif
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

TEST(Bounded, AThousandArticleBookBuildsEveryFormatInUnderOneGibibyte) {
    if (kUnderAddressSanitizer) GTEST_SKIP() << "under AddressSanitizer the memory measured is the sanitizer's";
    test::ScratchDir dir;
    ASSERT_EQ(test::run_command(std::string(FOLIO_BENCH_GEN) + " '" + (dir / "book").string() + "' 1000").exit_code, 0);

    test::RunLimits limits;
    limits.timeout_seconds = 600;
    const test::MeasuredRun r = test::run_folio_measured(
        {"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "all", "--quiet"}, {}, limits);
    ASSERT_EQ(r.signal, 0) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;  // the preflight reports the stores' page limits; the build succeeds
    for (const char* name : {"book.epub", "book.pdf", "book-print.pdf"}) EXPECT_TRUE(fs::exists(dir / "out" / name)) << name;

    const double peak_mib = static_cast<double>(r.peak_rss_kb) / 1024.0;
    std::cout << "peak resident memory, 1,000 articles, --format all: " << peak_mib << " MiB\n";
    RecordProperty("peak_mib", static_cast<int>(peak_mib));
    EXPECT_LT(peak_mib, 1024.0);
}

}  // namespace
}  // namespace folio
