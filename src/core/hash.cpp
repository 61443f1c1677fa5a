#include "core/hash.hpp"

#include <nettle/sha1.h>

#include <cstdint>

namespace folio {

// Nettle's, which needs no set-up: OpenSSL 3's first digest loads its configuration
// and providers, 3.5 ms of every build that names a book by its title (the UUID),
// before any article is read.
std::array<unsigned char, 20> sha1(std::string_view bytes) {
    sha1_ctx context;
    sha1_init(&context);
    sha1_update(&context, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
    std::array<unsigned char, 20> out{};
    static_assert(SHA1_DIGEST_SIZE == 20);
    sha1_digest(&context, out.size(), out.data());
    return out;
}

std::string sha1_hex(std::string_view bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(40);
    for (unsigned char b : sha1(bytes)) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace folio
