#include "core/hash.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace folio {

std::array<unsigned char, 20> sha1(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1 || length != 20)
        throw std::runtime_error("SHA-1 is not available");
    std::array<unsigned char, 20> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = digest[i];
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
