// The styles shipped in styles/, compiled into folio so that it runs from anywhere.
#pragma once

#include <optional>
#include <string_view>

namespace folio::styles {

// The contents of styles/<style>/<file>, if folio ships it.
std::optional<std::string_view> shipped_file(std::string_view style, std::string_view file);

}  // namespace folio::styles
