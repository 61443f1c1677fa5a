// load_book(): book.yaml + Markdown articles -> doc::Book, checked.
//
// Throws folio::Error (located, with a hint) for input the book cannot be built
// from; reports everything else as warnings. Reads files, writes none.
#pragma once

#include "core/diagnostics.hpp"
#include "doc/model.hpp"

#include <filesystem>

namespace folio::book {

doc::Book load_book(const std::filesystem::path& book_dir, Diagnostics& diagnostics);

}  // namespace folio::book
