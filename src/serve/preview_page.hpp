// The preview's one page: HTML, its style and its script, all served by folio.
#pragma once

#include <string_view>

namespace folio::serve {

std::string_view preview_page();

}  // namespace folio::serve
