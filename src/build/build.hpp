// build(): runs the stages for each requested format and hands data between them,
// so that no writer includes another. The CLI is a thin layer over this.
#pragma once

#include "build/permissions.hpp"
#include "core/diagnostics.hpp"
#include "doc/census.hpp"
#include "doc/model.hpp"
#include "doc/page_list.hpp"
#include "layout/style.hpp"
#include "layout/typeset.hpp"
#include "preflight/preflight.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::build {

enum class Format { Epub, Pdf, Print };

// What the environment decides, read once: the time that stands for "now".
struct BuildContext {
    std::optional<std::int64_t> source_date_epoch;  // from SOURCE_DATE_EPOCH
    // FOLIO_UNTAGGED_PDF=1: the reading PDF without its tags (structure tree, marked
    // content), to measure what tagging costs (`make bench`). Tagged otherwise.
    bool untagged_pdf = false;

    // Throws Error if SOURCE_DATE_EPOCH is set but is not a whole number of seconds.
    static BuildContext from_environment();
};

// The paragraphs a process keeps from one build of a book to the next, in memory
// (folio watch and serve build the same book again and again).
class KeptParagraphs;
std::shared_ptr<KeptParagraphs> keep_paragraphs_between_builds();

struct Options {
    std::filesystem::path out_dir = "out";
    std::vector<Format> formats{Format::Epub};
    // Keep the paragraphs set in OUT/.folio-cache/ and set again only those whose
    // inputs changed (src/cache); the outputs are the same bytes either way. `folio
    // build` turns it on unless --no-cache; off here, for the commands that build
    // without it (folio proof) or keep what they set in memory (watch, serve).
    bool cache = false;
    // Given, the paragraphs are kept there instead, between the builds that share it.
    std::shared_ptr<KeptParagraphs> kept;
};

// The EPUB's dcterms:modified and zip dates. Never the clock: SOURCE_DATE_EPOCH if
// set, else the book's date, else its newest article's date (or modified date),
// else 2000-01-01.
std::int64_t modified_time(const doc::Book& book, const BuildContext& context);

// The style's EPUB stylesheet: a shipped style's, or epub.css in the book's own style folder.
std::string epub_css(const doc::Book& book);

// The style's print settings (print.yaml), parsed; unknown keys are warned about.
layout::PrintStyle print_style(const doc::Book& book, Diagnostics& diagnostics);

// The print edition's page list for the EPUB (doc/page_list.hpp), from its pages
// as set: each page that prints a folio, with where its text begins. Its positions
// are addresses in `book`, which must be the book `print` was set from.
doc::PageList page_list(const doc::Book& book, const layout::Pages& print);

enum class Strictness { WarningsPass, WarningsFail };

// Thrown by build_book under Strictness::WarningsFail when loading warned; the
// warnings are in the Diagnostics, and nothing was written.
struct WarningsUnderStrict {};

// What the cache gave a build: paragraphs read back, paragraphs set (and kept),
// pages whose compressed bytes were read back and pages compressed, parts of the
// cache ignored as not whole (an article's paragraphs, an index, a file).
struct CacheCounts {
    long recalled = 0, set = 0, ignored = 0;            // paragraphs, and parts not whole
    long compressed_recalled = 0, compressed_anew = 0;  // pages deflated (the PDFs' streams, the EPUB's XHTML)
    long sources_recalled = 0, sources_parsed = 0;      // articles' Markdown parsed
};

// What the articles hold, in the sources and in each output built (`--stats`).
struct ContentCounts {
    doc::Census sources;  // pictures here include those lost (pictures_lost); links_dropped too
    std::optional<doc::Census> epub, pdf, print;
    std::optional<CacheCounts> cache;  // and what the cache gave, when there was one
};

// Loads, checks and writes one book. Throws folio::Error on input that cannot be
// built; earlier outputs are then unchanged. Returns the files written: the formats
// asked for, then the permissions log (<name>-permissions.csv, always; its page
// columns filled when the print edition was set).
// `stats`, when given, receives the layout report of the PDF (if one was set);
// `preflight`, the preflight of the print interior (if it was built); `permissions`,
// the rows of the log.
std::vector<std::filesystem::path> build_book(const std::filesystem::path& book_dir, const Options& options,
                                              const BuildContext& context, Diagnostics& diagnostics,
                                              Strictness strictness = Strictness::WarningsPass,
                                              layout::LayoutStats* stats = nullptr,
                                              std::vector<preflight::Finding>* preflight = nullptr,
                                              ContentCounts* content = nullptr,
                                              std::vector<Permission>* permissions = nullptr);

// Loads and checks a book, writing nothing (folio check).
doc::Book check_book(const std::filesystem::path& book_dir, Diagnostics& diagnostics);

// Sets the print interior as a build would and returns its preflight: what KDP,
// IngramSpark and Lulu would refuse. Writes nothing (folio check --print).
std::vector<preflight::Finding> preflight_book(const std::filesystem::path& book_dir, Diagnostics& diagnostics);

// Removes the cache of the books built into `out_dir` (OUT/.folio-cache), leaving
// their outputs. False if there was none. Throws Error naming a folder it cannot remove.
bool clean(const std::filesystem::path& out_dir);

// Writes a starter book that builds. Throws if `dir` exists and is not empty.
void new_book(const std::filesystem::path& dir);

std::string_view version();

}  // namespace folio::build
