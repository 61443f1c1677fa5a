// Whole-buffer DEFLATE, through libdeflate: folio always holds the whole buffer (a
// page's content stream, an EPUB entry), and libdeflate compresses such buffers
// two to three times faster than zlib for the same size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace folio::compress {

// Levels run from 1 (fastest) to 12 (smallest); 6 is zlib's default size for less time.
std::string zlib(std::string_view bytes, int level);         // with the zlib wrapper: PDF's FlateDecode
std::string deflate_raw(std::string_view bytes, int level);  // bare: what a zip entry stores
std::uint32_t crc32(std::string_view bytes);
// Raw DEFLATE back to the `size` bytes it was made from; throws folio::Error if
// the data is not that.
std::string inflate_raw(std::string_view deflated, std::size_t size);

// What makes this process's deflated bytes what they are, for keys of buffers
// kept on disk: libdeflate's version and the file it was loaded from (its path,
// size and modification time), since another libdeflate may compress otherwise.
const std::string& deflater_identity();

// What a writer may ask instead of compressing a buffer itself: the same bytes as
// zlib(bytes, level) or deflate_raw(bytes, level), perhaps kept from a build
// before (folio watch and serve build again in the same process after every
// edit, and --cache keeps them on disk; most of a book's pages come out the same).
// The interface only; src/cache keeps them. Safe to call from several threads at once.
class DeflateMemo {
public:
    virtual ~DeflateMemo() = default;
    virtual std::string zlib(std::string_view bytes, int level) = 0;
    virtual std::string deflate_raw(std::string_view bytes, int level) = 0;
    // What make() gives, kept as a deflated buffer is but under `material` rather
    // than its own bytes: a later question with the same material is answered
    // without calling make(). So `material` must hold everything make()'s answer
    // depends on, besides folio's build and libdeflate's (which the memo's keys
    // hold): a PDF page's marks, say, for its stream deflated, which costs more to
    // build than the marks cost to read.
    virtual std::string remembered(std::string_view material, const std::function<std::string()>& make) = 0;
};

}  // namespace folio::compress
