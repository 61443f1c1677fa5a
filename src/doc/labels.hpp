// The words folio writes itself, in the book's language: one table, so that a
// Serbian book says "str." where an English one says "p.".
#pragma once

#include <string>
#include <string_view>

namespace folio::doc {

// What follows an internal link in print, where nothing can be clicked: " (p. 123)".
// The number is tied to its abbreviation by a no-break space.
std::string page_reference(std::string_view lang, std::string_view page_label);

}  // namespace folio::doc
