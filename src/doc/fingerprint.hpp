// The bytes an article's memo keys are hashed from (core/key_bytes.hpp): every
// field of the article an output shows, in order, each text with its length, each
// list with its count, each kind of block and inline by its index in its variant.
// Two articles that show alike give the same bytes, and any difference gives other
// bytes. What a writer reads beside the article (the book's language and labels,
// where the other files are) is the writer's to add.
#pragma once

#include "core/key_bytes.hpp"
#include "doc/model.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace folio::doc {

// `at_text(s)` is called for every text of the body and the notes (a doc::Text's,
// a doc::Code's, a code block's) once its bytes are written, in order: a writer
// that marks places by a text's address (the print edition's page breaks, see
// doc::TextPosition) adds the places marked in it there.
void article_material(KeyBytes& out, const Article& a, const std::function<void(const std::string&)>& at_text = {});

// The same of an article's body and notes alone (the part of article_material()
// that they are): what Markdown parsing gives, kept by the incremental cache.
void body_material(KeyBytes& out, const Blocks& body, const std::vector<Footnote>& notes);
// Reads back what body_material() wrote into `body` and `notes`. False, and nothing
// read, unless `bytes` are exactly such bytes (a kept record damaged or foreign:
// every count and length is checked against what is left, nesting is bounded, and
// each note reference names a note).
bool read_body_material(std::string_view bytes, Blocks& body, std::vector<Footnote>& notes);

// The same of the labels: every word folio writes itself.
void labels_material(KeyBytes& out, const Labels& labels);

// The same of a picture as the loader read it (not its bytes): its path, kind,
// size, resolution and whether it moves.
void resource_material(KeyBytes& out, const Resource& r);

}  // namespace folio::doc
