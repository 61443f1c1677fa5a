// Typographic punctuation: the straight quotes, double hyphens and three dots that
// keyboards type, set as the text's language prints them. One pass over the loaded
// book, so that the EPUB and both PDFs (and their metadata) carry the same text.
//
// Quotation marks by the language's primary subtag (sr-Latn, sr-Cyrl, de-CH, fr-CA
// and en-GB are sr, sr, de, fr and en); any other language takes English marks:
//   en          “…” ‘…’          de              „…“ ‚…‘
//   sr hr bs    „…“ ‚…‘          fr              « … » “…”   (U+202F inside « »)
//   sq          «…» “…”          es it           «…» “…”
// Albanian: the official orthography (Drejtshkrimi i gjuhës shqipe, Tirana 1973) sets
// titles and names in «…», and Rami Memushaj ("Shumica i përdorin aty ku s’duhet, ja
// kur duhet të shkruhen thonjëzat", Observer Kult) names «…» the traditional marks
// of Albanian print; the secondary “…” is our choice, as in Italian and Spanish.
#pragma once

#include "doc/model.hpp"

#include <string>
#include <string_view>

namespace folio::doc {

// Running text in the language's marks:
// - a straight " or ' opens a quotation after the start, a space or opening
//   punctuation, and closes one otherwise; its marks follow its depth, not the key
//   typed: the outer quotation takes the primary marks, one inside it the secondary,
//   one inside that the primary again;
// - ' between letters, before digits ('90s), in 'n', in 'tis and its kin (English),
//   or with no quotation of its own to close (the students') is the apostrophe ’;
// - -- is an en dash, --- an em dash (not in --option, <-- or -->), ... an ellipsis;
//   longer runs of hyphens or dots stay as typed.
// Web addresses (http, https) in the text are left as written, and so is a straight
// quote with a space on both sides. The result is stable: converting it again
// changes nothing.
std::string typographic_text(std::string_view text, std::string_view lang);

// Only the quotes and apostrophes of typographic_text; dashes, dots and web addresses
// as written. For what folio prints as its author wrote it: credits, the rights
// statement, names.
std::string typographic_quotes(std::string_view text, std::string_view lang);

// Only the dashes and ellipses of typographic_text (they do not depend on language).
std::string typographic_dashes(std::string_view text);

// Under Typography::Smart, sets the book's text in its languages' marks: the book's
// title, subtitle and chapter titles; its authors, publisher and rights (quotes only);
// each article's title, summary, authors (quotes only), body and notes, in the
// innermost language (a span's or div's `lang`, else the article's, else the
// book's). Within a paragraph the quotes are matched across its inlines in order
// ("*word*" is one quotation). Code, code blocks, link addresses, pictures' sources
// and link text that is itself an address are never changed; alt text and titles of
// links and pictures are. Credits are set where they are composed
// (book/credit.cpp). Under Typography::Plain, does nothing.
void apply_typography(Book& book);

}  // namespace folio::doc
