// write_epub(): the package entries -> a .epub file, and read_epub() back. The only libzip user.
#pragma once

#include "core/compress.hpp"
#include "epub/package.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace folio::epub {

// The zip's bytes: entries in order (`mimetype` first, stored, no extra field),
// every entry dated `mtime` so that the same book gives the same bytes. Takes the
// entries by value and frees each one's text once it is compressed (an entry
// deflated already, deflate_entry, is stored as it is).
// `memo`, when given, deflates the entries (kept from a build before).
std::string zip_package(std::vector<Entry> entries, std::int64_t mtime, compress::DeflateMemo* memo = nullptr);

// Deflates `e` in place as the zip stores it, unless it is stored or deflated
// already: an entry held till the zip is written takes a fifth of the memory.
void deflate_entry(Entry& e, compress::DeflateMemo* memo = nullptr);

// Zips the entries and replaces `path` with the result only once it is complete.
// Throws folio::Error naming the file.
void write_epub(const std::filesystem::path& path, std::vector<Entry> entries, std::int64_t mtime,
                compress::DeflateMemo* memo = nullptr);

// The entries of an EPUB folio wrote, by path, read back (for the preview server).
// Throws folio::Error naming the file when it is not a zip.
std::map<std::string, std::string> read_epub(const std::filesystem::path& path);

}  // namespace folio::epub
