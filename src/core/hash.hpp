// SHA-1 (Nettle): for name-based UUIDs and for the names of fetched
// copies of remote pictures. Not for anything that needs a secure hash.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace folio {

// The 20-byte digest of `bytes`.
std::array<unsigned char, 20> sha1(std::string_view bytes);

// The same as 40 lowercase hex digits.
std::string sha1_hex(std::string_view bytes);

}  // namespace folio
