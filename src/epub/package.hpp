// build_package(): doc::Book -> the files of an EPUB 3 package, in the order they go
// into the zip. Pure: no I/O, no clock; the same book and options give the same bytes.
#pragma once

#include "doc/census.hpp"
#include "doc/model.hpp"
#include "doc/page_list.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace folio::epub {

enum class Compression { Store, Deflate };

struct Entry {
    std::string path;  // inside the zip, e.g. "EPUB/text/a03.xhtml"
    std::string bytes;  // deflated already when `deflated` is set
    Compression compression = Compression::Deflate;
    // Set when `bytes` hold the entry deflated as the zip stores it (raw DEFLATE):
    // what they inflate to, its size and CRC-32.
    struct Inflated {
        std::uint64_t size = 0;
        std::uint32_t crc = 0;
    };
    std::optional<Inflated> deflated = std::nullopt;
};

struct PackageOptions {
    std::int64_t modified = 0;   // dcterms:modified, seconds since the epoch (UTC)
    std::string css;             // the style's epub.css
    std::string generator;       // "folio 0.1.0", for <meta name="generator">
    doc::Census* census = nullptr;  // when set: what the article pages hold (xhtml.hpp census_of)
    // When set (and not empty): the print edition's pages, of the same doc::Book
    // (its positions are addresses in it). Each page's beginning is marked in the
    // text, and listed in nav.xhtml's page-list and the NCX's pageList.
    const doc::PageList* page_list = nullptr;
};

// The content document of an article, of a chapter opener ("c01") or of a page of
// the book's own ("credits"): "text/a03.xhtml", relative to the package's folder
// EPUB/ (the permissions log and the navigation name it).
std::string document_of(const std::string& id);

// The entries, `mimetype` first and stored (EPUB 3.3 OCF §4.2).
std::vector<Entry> build_package(const doc::Book& book, const PackageOptions& options);

// The same entries, for a build that needs nothing more of the articles' text: each
// article's body and notes are released as soon as its page is written, as
// layout::typeset_consuming does, and the page is deflated then (deflate_entry),
// which lowers the peak memory of a long book. Titles, credits and pictures stay.
std::vector<Entry> build_package_consuming(doc::Book& book, const PackageOptions& options);

}  // namespace folio::epub
