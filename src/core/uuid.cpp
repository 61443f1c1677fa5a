#include "core/uuid.hpp"

#include "core/hash.hpp"

#include <cstdio>

namespace folio {

std::string uuid_v5_urn(std::string_view name) {
    // RFC 4122 Appendix C: the URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
    static const unsigned char url_namespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                    0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    std::string input(reinterpret_cast<const char*>(url_namespace), sizeof url_namespace);
    input.append(name);

    std::array<unsigned char, 20> digest = sha1(input);
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
    std::string out = "urn:uuid:";
    char hex[3];
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        std::snprintf(hex, sizeof hex, "%02x", digest[static_cast<std::size_t>(i)]);
        out += hex;
    }
    return out;
}

}  // namespace folio
