// Hyphenation dictionaries folio ships for languages Debian has none for (hyphen/ in
// the source tree, compiled in): libhyphen's format, read with hnj_hyphen_load_file.
#pragma once

#include <optional>
#include <string_view>

namespace folio::layout {

// The bytes of a shipped dictionary ("hyph_sq_AL.dic"), or nullopt.
std::optional<std::string_view> shipped_dictionary(std::string_view name);

}  // namespace folio::layout
