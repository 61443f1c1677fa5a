// build_package(): doc::Book -> the files of an EPUB 3 package, in the order they go
// into the zip. Pure: no I/O, no clock; the same book and options give the same bytes.
#pragma once

#include "core/compress.hpp"
#include "doc/census.hpp"
#include "doc/model.hpp"
#include "doc/page_list.hpp"

#include <cstdint>
#include <memory>
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
    // When set, the pages are deflated through it (kept from a build before; not owned).
    compress::DeflateMemo* deflated = nullptr;
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

// The same entries, the articles' pages written while the print edition is set to
// find the page list (an EPUB without a print PDF), so that a long book's text and
// its pages are never held at once: each article's page is written as soon as the
// typesetter has set the article (write_article), with a placeholder wherever a
// print page may begin, and the article's text can be released then; finish(),
// given the page list, puts the markers of the pages that do begin there in place
// of their placeholders. An article not written ahead is written by finish() from
// its text, as build_package_consuming() writes it. The bytes are the same.
class PackageAhead {
public:
    // Reads what the package needs of the whole text (`options.page_list` aside).
    PackageAhead(doc::Book& book, const PackageOptions& options);
    PackageAhead(const PackageAhead&) = delete;
    PackageAhead& operator=(const PackageAhead&) = delete;
    ~PackageAhead();

    // Article `i`, in reading order; `first_words`: where each of its lines begins
    // (layout::Line::first_word). Each is renamed to a position finish() knows in
    // the page written (an address of the package's, not of the article's text,
    // which may be released once this returns), or to none where the page shows no
    // such word (text the typesetter made itself). Safe from several threads at
    // once, for different articles.
    void write_article(std::size_t i, const std::vector<doc::TextPosition*>& first_words);

    // The entries; `page_list`: the print edition's pages, with the positions
    // write_article() named.
    std::vector<Entry> finish(const doc::PageList* page_list);

private:
    struct Builder;
    PackageOptions m_options;
    std::unique_ptr<Builder> m_builder;
};

}  // namespace folio::epub
