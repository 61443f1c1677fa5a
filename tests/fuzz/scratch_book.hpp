// A book folder for the fuzz targets: fixed files on disk, and the one file a
// target fuzzes written afresh for each input. The stages read books from folders,
// so the fuzzer goes through the same load path as `folio build`.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace folio::fuzz {

class ScratchBook {
public:
    // A folder under $TMPDIR (or /tmp) holding a.md, b.md, posts/*.md, images/dot.png
    // and a book.yaml that lists a.md and b.md; removed when the process exits.
    static ScratchBook& instance();

    const std::filesystem::path& dir() const { return m_dir; }
    void write(const std::string& rel, std::string_view bytes) const;

private:
    ScratchBook();
    std::filesystem::path m_dir;
};

}  // namespace folio::fuzz
