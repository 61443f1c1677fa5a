#include "cli/allocator.hpp"

#include <cstdlib>

#ifdef FOLIO_MIMALLOC
#include <mimalloc.h>
#endif

namespace folio::cli {

namespace {

// A book of up to this many articles is set in 2 MiB pages; a longer one in 4 KiB
// pages. A short build spends much of its time faulting memory in a page at a time:
// in 2 MiB pages the 100-article bench book's PDF builds in 0.85 of the time and
// 1.1 times the memory. But mimalloc never returns memory in large pages to the
// kernel while the program runs, and a long book's peak grows by a tenth or more
// (1,000 articles: 291 to 326 MB for the reading PDF), where memory is what limits.
constexpr std::size_t kLargePagesUpTo = 500;

void use_large_pages([[maybe_unused]] bool large) {
#ifdef FOLIO_MIMALLOC
    if (std::getenv("MIMALLOC_LARGE_OS_PAGES")) return;  // the environment decides instead
    // Large pages where the kernel gives them (transparent huge pages, on request);
    // committed at once, or each thread's first segment would have small pages.
    mi_option_set(mi_option_large_os_pages, large ? 1 : 0);
    mi_option_set(mi_option_eager_commit_delay, large ? 0 : 1);
#endif
}

}  // namespace

void start_allocator() {
    use_large_pages(true);
}

void fit_allocator_to(std::size_t articles) {
    use_large_pages(articles <= kLargePagesUpTo);
}

}  // namespace folio::cli
