// How the program's allocator (mimalloc, when folio is built with it) takes memory
// from the kernel, fitted to the book being built.
#pragma once

#include <cstddef>

namespace folio::cli {

// Before anything large is allocated: the default for a short book.
void start_allocator();

// Once book.yaml says how many articles the book has (build::Options::manifest_read),
// and whether the build sets pages (writes a reading or a print PDF) that it mostly
// reads back from the cache.
void fit_allocator_to(std::size_t articles, bool sets_pages_from_cache);

}  // namespace folio::cli
