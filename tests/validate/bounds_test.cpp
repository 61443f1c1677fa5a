// Bounded resources: a 1,000-article book (about 6,800 pages in print) builds to
// every format in bounded memory. The peak is the child's maximum resident set, from
// wait4(); the bound leaves room above the measured peak (about 500 MB) for other
// machines' allocators and libraries, while a leak or a copy of the book per page
// would cross it.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

    const pid_t pid = ::fork();
    if (pid == 0) {
        const std::string binary = test::folio_binary().string();
        const std::string book = (dir / "book").string(), out = (dir / "out").string();
        ::execl(binary.c_str(), binary.c_str(), "build", book.c_str(), "-o", out.c_str(), "--format", "all", "--quiet",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    ASSERT_EQ(::wait4(pid, &status, 0, &usage), pid);
    // 1: the preflight fails every store's page limit, as it should for 6,800 pages.
    ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
    EXPECT_LE(WEXITSTATUS(status), 1);
    for (const char* name : {"book.epub", "book.pdf", "book-print.pdf"}) EXPECT_TRUE(fs::exists(dir / "out" / name)) << name;

    const double peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
    std::cout << "peak resident memory, 1,000 articles, --format all: " << peak_mib << " MiB\n";
    RecordProperty("peak_mib", static_cast<int>(peak_mib));
    EXPECT_LT(peak_mib, 1024.0);
}

}  // namespace
}  // namespace folio
