// How an article's credit line is made: the verbatim `credit:` when given, else a
// line composed from title, authors, site, source and licence.
#pragma once

#include "doc/model.hpp"

namespace folio::book {

// Fills credit.text from the fields. The licence text is carried verbatim.
//   “Title” by A and B, published in Site: https://source. Licence: CC BY 4.0 (https://…).
void compose_credit(doc::Credit& credit, const std::string& title);

// Whether the fields name anyone to credit (an author or a site), or a verbatim line is given.
bool has_credit(const doc::Credit& credit);

}  // namespace folio::book
