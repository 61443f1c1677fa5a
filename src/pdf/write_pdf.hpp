// write_pdf(): layout::Pages -> PDF bytes, with PoDoFo 0.9.8. The only PoDoFo user;
// it translates the page model and decides nothing about layout.
#pragma once

#include "core/compress.hpp"
#include "doc/model.hpp"
#include "layout/pages.hpp"
#include "layout/style.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace folio::pdf {

struct PdfOptions {
    std::int64_t date = 0;          // CreationDate and ModDate, seconds since the epoch
    std::string generator;          // "folio 0.1.0"
    // The print interior instead of the reading PDF: the PDF/X-1a:2001 structure
    // (PDF 1.3, DeviceGray only, images converted to 8-bit gray with any alpha
    // flattened onto white, a TrimBox on every page, an OutputIntent, the
    // GTS_PDFXVersion and Trapped keys) and no annotations, links, bookmarks or
    // named destinations, which print services refuse.
    bool print = false;
    layout::Bleed bleed = layout::Bleed::None;  // the print interior's: the page grows around the trim
    // The reading PDF tagged for PDF/UA-1: its structure tree from the pages' elements
    // (layout::Element), every other mark an artifact. Off only to measure what tagging costs.
    bool tagged = true;
    // Given, the pages' content streams are deflated through it (not owned): a
    // stream that came out of an earlier build the same is not compressed again.
    compress::DeflateMemo* deflated = nullptr;
    // Given, write_pdf calls it once the new file is complete and flushed, just before
    // it replaces the earlier one: it may wait, and what it throws leaves the earlier
    // file as it was (a build that writes its reading PDF before it knows whether it
    // may: src/build).
    std::function<void()> before_replacing;
};

// The reading PDF: fonts subset and embedded as Type0/CIDFontType2 with W widths and
// a ToUnicode map, text as glyph ids (TJ), bookmarks, links, page labels, Info and
// XMP metadata with the rights statement and every article's credit.
// Takes the pages by value and frees each page's glyphs once its content stream is
// written: a long book's glyphs are the largest thing in memory. Throws folio::Error.
std::string render_pdf(layout::Pages pages, const doc::Book& book, const PdfOptions& options);

// Renders and replaces `path` only once the new file is complete.
void write_pdf(const std::filesystem::path& path, layout::Pages pages, const doc::Book& book,
               const PdfOptions& options);

}  // namespace folio::pdf
