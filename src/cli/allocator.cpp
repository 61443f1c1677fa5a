#include "cli/allocator.hpp"

#include <cstdlib>

#ifdef FOLIO_MIMALLOC
#include <mimalloc.h>
#endif

namespace folio::cli {

namespace {

// A book of up to kLargePagesUpTo articles is set in 2 MiB pages, and so is a longer
// one whose build sets pages (a PDF, reading or print) and reads them mostly back
// from the cache. A build spends much of its time faulting memory in a page at a
// time: in 2 MiB pages the 100-article bench book's PDF builds in 0.85 of the time
// and 1.1 times the memory, and the 1,000-article book after an edit to one article
// (every format, read back from the cache, which allocates and frees much) in 0.80
// of the time, its peak 547 to 655 MB. But mimalloc returns memory in large pages
// to the kernel only at the end, so a long book's peak grows by a fifth, and a
// build from nothing keeps small pages: the 1,000-article reading PDF's peak would
// grow from about 270 to 330 MB, past its bound of 300 (make bench), for 0.96 of
// the time.
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

void fit_allocator_to(std::size_t articles, bool sets_pages_from_cache) {
    use_large_pages(sets_pages_from_cache || articles <= kLargePagesUpTo);
}

}  // namespace folio::cli
