// Name-based UUIDs (RFC 4122 §4.3, version 5, SHA-1): the same name always gives
// the same identifier, so a book without `identifier:` still builds to the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace folio {

// "urn:uuid:xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" for `name` in the URL namespace.
std::string uuid_v5_urn(std::string_view name);

}  // namespace folio
