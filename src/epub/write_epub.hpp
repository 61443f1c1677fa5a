// write_epub(): the package entries -> a .epub file. The only libzip user.
#pragma once

#include "epub/package.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace folio::epub {

// The zip's bytes: entries in order (`mimetype` first, stored, no extra field),
// every entry dated `mtime` so that the same book gives the same bytes. Takes the
// entries by value and frees each one's text once it is compressed.
std::string zip_package(std::vector<Entry> entries, std::int64_t mtime);

// Zips the entries and replaces `path` with the result only once it is complete.
// Throws folio::Error naming the file.
void write_epub(const std::filesystem::path& path, std::vector<Entry> entries, std::int64_t mtime);

}  // namespace folio::epub
