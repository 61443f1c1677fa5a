// Markdown -> doc blocks, with cmark in its cmark-gfm flavour (tables, footnotes,
// strikethrough, autolinks). No cmark type leaves src/markdown.
//
// Parsing never fails (CommonMark has no syntax errors). Raw HTML is never passed
// through. By default (RawHtml::Keep, a book's `html: keep`) it is read and mapped
// onto the document model (raw_html.hpp): its text, markup, tables, figures and
// pictures stay, script and the like go, with warnings. With RawHtml::Drop (a
// book's `html: drop`) it is dropped with one warning, but for how an author marks
// a passage's language:
//   inline:  <span lang="sr-Cyrl">…</span>
//   blocks:  a line <div lang="sq">, a blank line, Markdown blocks, a blank line, </div>
#pragma once

#include "core/diagnostics.hpp"
#include "doc/model.hpp"
#include "markdown/site_markup.hpp"

#include <string_view>

namespace folio::markdown {

enum class RawHtml { Drop, Keep };

struct Options {
    RawHtml raw_html = RawHtml::Keep;
    SiteMarkupOptions site_markup = {};  // site generators' markup, expanded first (site_markup.hpp)
};

struct Parsed {
    doc::Blocks body;
    std::vector<doc::Footnote> notes;  // NoteRef{n} refers to notes[n - 1]
};

// `file` names the source in diagnostics; `first_line` is the file line on which
// `markdown` starts (after the front matter), so that every line in blocks and
// warnings is a line of the file. Heading ids are GitHub slugs made unique within
// this text ("intro", "intro-1"); links and image sources are left as written.
Parsed parse_markdown(std::string_view markdown, const std::string& file, int first_line, Diagnostics& diagnostics,
                      const Options& options = {});

// A BCP 47 tag of the plain shape folio accepts: "en", "sr-Latn", "pt-BR".
bool is_language_tag(std::string_view tag);

}  // namespace folio::markdown
