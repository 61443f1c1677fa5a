// load_book(): book.yaml + Markdown articles -> doc::Book, checked.
//
// Throws folio::Error (located, with a hint) for input the book cannot be built
// from; reports everything else as warnings. Reads files, writes none.
#pragma once

#include "core/diagnostics.hpp"
#include "doc/model.hpp"

#include <filesystem>
#include <functional>

namespace folio::book {

// Called with the book's settings (title, language, style…; no chapters yet) and
// the number of articles it lists, once book.yaml is read, before the articles are:
// work that needs only those can start while the articles load.
using ManifestRead = std::function<void(const doc::Book& settings, std::size_t articles)>;

doc::Book load_book(const std::filesystem::path& book_dir, Diagnostics& diagnostics,
                    const ManifestRead& manifest_read = {});

}  // namespace folio::book
