#include "core/compress.hpp"

#include "core/error.hpp"

#include <libdeflate.h>

#include <array>
#include <memory>

namespace folio::compress {

namespace {

// One compressor per thread and level: each holds a few hundred kilobytes of tables,
// and pages and entries are compressed by the thousand, on every core.
libdeflate_compressor* compressor(int level) {
    struct Free {
        void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
    };
    thread_local std::array<std::unique_ptr<libdeflate_compressor, Free>, 13> by_level;
    if (level < 1 || level > 12) level = 6;
    auto& c = by_level[static_cast<std::size_t>(level)];
    if (!c) c.reset(libdeflate_alloc_compressor(level));
    if (!c) throw Error("out of memory: cannot start the compressor");
    return c.get();
}

template <class Bound, class Compress>
std::string run(std::string_view bytes, int level, Bound bound, Compress compress_with) {
    libdeflate_compressor* c = compressor(level);
    std::string out(bound(c, bytes.size()), '\0');
    const std::size_t n = compress_with(c, bytes.data(), bytes.size(), out.data(), out.size());
    if (n == 0) throw Error("cannot compress: the output did not fit its bound");  // cannot happen with the bound
    out.resize(n);
    return out;
}

}  // namespace

std::string zlib(std::string_view bytes, int level) {
    return run(bytes, level, libdeflate_zlib_compress_bound, libdeflate_zlib_compress);
}

std::string deflate_raw(std::string_view bytes, int level) {
    return run(bytes, level, libdeflate_deflate_compress_bound, libdeflate_deflate_compress);
}

std::uint32_t crc32(std::string_view bytes) {
    return libdeflate_crc32(0, bytes.data(), bytes.size());
}

}  // namespace folio::compress
