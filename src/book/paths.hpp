// Paths named in a book (articles, globs, images, the cover) may not leave the book
// folder: not absolute, no '..' above the folder, no symbolic link pointing out.
#pragma once

#include "core/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace folio::book {

// `written` is relative to `base` (a book-relative folder, "" for the book folder).
// Returns the normalised book-relative path with '/' separators. Throws Error at
// `where` if the path leaves the book folder. Does not check that the file exists.
std::string book_relative(const std::filesystem::path& root, std::string_view written, const std::string& base,
                          const SourceLocation& where, const char* what);

bool has_glob_characters(std::string_view pattern);

// The book-relative paths of regular files matching `pattern` ('*', '?', '[…]' within
// one path component; '**' for any depth), sorted by name. Throws if the pattern
// leaves the book folder.
std::vector<std::string> expand_glob(const std::filesystem::path& root, const std::string& pattern,
                                     const SourceLocation& where);

}  // namespace folio::book
