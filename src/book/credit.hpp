// How an article's credit line is made: the verbatim `credit:` when given, else a
// line composed from title, authors, site, source and licence.
#pragma once

#include "doc/model.hpp"

#include <string_view>

namespace folio::book {

// Fills credit.text from the fields, in the words of `labels` (the book's: see
// doc/labels.hpp). The licence text is carried verbatim.
//   “Title” by A and B, published in Site: https://source. Licence: CC BY 4.0 (https://…).
void compose_credit(doc::Credit& credit, const std::string& title, const doc::Labels& labels);

// The same under `typography: smart`, in the language's quotation marks: the straight
// quotes and apostrophes of the fields and of a verbatim line become typographic
// (doc::typographic_quotes), and nothing else of the author's words changes (dashes,
// dots and web addresses stay as written). A composed line quotes the title as it is
// printed (its dashes set too), in the language's marks, with quotes inside the title
// one level in: “The ‘best’ way” by A.
// `lang` is the language the line is written in, the book's.
void compose_typographic_credit(doc::Credit& credit, const std::string& title, std::string_view lang,
                                const doc::Labels& labels);

// The licence rule: a verbatim credit line that leaves out the licence (or its
// address) still owes it, in a line of its own after the credit: credit.licence_line,
// "Licence: CC BY 4.0 (https://…)" in the words of `labels`; cleared otherwise. A
// `permission:` the line leaves out is owed the same way, in that line ("Used by
// permission: …"); a composed line states it after the licence. Both
// compose functions apply it, so that every output (the credit block, the PDF's
// /Credits and XMP, the EPUB's metadata) takes the licence from the same line.
void compose_licence_line(doc::Credit& credit, const doc::Labels& labels);

// Whether the fields name anyone to credit (an author or a site), or a verbatim line is given.
bool has_credit(const doc::Credit& credit);

}  // namespace folio::book
