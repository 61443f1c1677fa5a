// load_book(): book.yaml + Markdown articles -> doc::Book, checked.
//
// Throws folio::Error (located, with a hint) for input the book cannot be built
// from; reports everything else as warnings. Reads files, writes none.
#pragma once

#include "core/compress.hpp"
#include "core/diagnostics.hpp"
#include "doc/model.hpp"

#include <filesystem>
#include <functional>

namespace folio::book {

// Called with the book's settings (title, language, style…; no chapters yet) once
// book.yaml is read, before the articles are: work that needs only those (the
// hyphenation patterns of its language) can start while the articles load.
using ManifestRead = std::function<void(const doc::Book& settings)>;

// `kept_parses`, when given (the incremental cache), answers for an article whose
// Markdown an earlier build parsed, under the same options, with what that build
// made of it: the blocks, the notes and the warnings, given again.
doc::Book load_book(const std::filesystem::path& book_dir, Diagnostics& diagnostics,
                    const ManifestRead& manifest_read = {}, compress::DeflateMemo* kept_parses = nullptr);

}  // namespace folio::book
