#include "core/compress.hpp"

#include "core/error.hpp"

#include <libdeflate.h>

#include <dlfcn.h>
#include <sys/stat.h>

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
    // The bound is the input's size and more: a page's stream or an EPUB entry
    // deflates to a fifth of it, and a long book holds thousands of them at once.
    if (out.capacity() - n > 4096) out.shrink_to_fit();
    return out;
}

}  // namespace

std::string zlib(std::string_view bytes, int level) {
    return run(bytes, level, libdeflate_zlib_compress_bound, libdeflate_zlib_compress);
}

std::string deflate_raw(std::string_view bytes, int level) {
    return run(bytes, level, libdeflate_deflate_compress_bound, libdeflate_deflate_compress);
}

const std::string& deflater_identity() {
    static const std::string identity = [] {
        std::string id = "libdeflate " LIBDEFLATE_VERSION_STRING;
        Dl_info info{};
        struct stat st {};
        if (dladdr(reinterpret_cast<void*>(&libdeflate_zlib_compress), &info) != 0 && info.dli_fname &&
            stat(info.dli_fname, &st) == 0)
            id += std::string(" ") + info.dli_fname + " " + std::to_string(st.st_size) + " " +
                  std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
        return id;
    }();
    return identity;
}

std::uint32_t crc32(std::string_view bytes) {
    return libdeflate_crc32(0, bytes.data(), bytes.size());
}

std::string inflate_raw(std::string_view deflated, std::size_t size) {
    struct Free {
        void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
    };
    const std::unique_ptr<libdeflate_decompressor, Free> d(libdeflate_alloc_decompressor());
    if (!d) throw Error("out of memory: cannot start the decompressor");
    std::string out(size, '\0');
    if (libdeflate_deflate_decompress(d.get(), deflated.data(), deflated.size(), out.data(), out.size(), nullptr) !=
        LIBDEFLATE_SUCCESS)
        throw Error("cannot inflate: the data is not DEFLATE of " + std::to_string(size) + " bytes");
    return out;
}

}  // namespace folio::compress
