// `folio fetch BOOK`: downloads the pictures a book names by their address on the web
// into BOOK/fetched/, where a build finds each by its address (pictures::fetched_copy).
// The articles are not changed, and a build never goes to the network: this is the
// only code of folio that does (DESIGN §3), and only when the user runs the command.
#pragma once

#include "core/diagnostics.hpp"
#include "core/error.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace folio::sources {

struct FetchOptions {
    double timeout_seconds = 60;           // the whole transfer of one picture, redirects included
    double connect_timeout_seconds = 10;   // to reach its server
    std::uint64_t max_bytes = 50'000'000;  // a picture larger than this is abandoned as it arrives
    long max_redirects = 5;
    unsigned parallel = 4;                 // downloads at a time
    // Called once the book is read, before the first download, with how many pictures
    // will be downloaded and how many were fetched before: for a line of progress.
    std::function<void(std::size_t to_fetch, std::size_t present)> starting;
};

// A picture the book now has a copy of.
struct FetchedPicture {
    std::string address;    // as the book names it
    SourceLocation where;   // the first place that names it
    std::string path;       // book-relative: "fetched/<16 hex digits of its SHA-1><extension>"
    std::uint64_t bytes = 0;
};

// A picture that could not be fetched, and why.
struct FetchFailure {
    std::string address;
    SourceLocation where;
    std::string reason;  // "HTTP 404 (not found)", "timed out after 60 s", "not a picture: …", …
    std::string hint;
    Error error() const;  // "where: error: cannot fetch 'address': reason" + hint
};

struct FetchReport {
    // Each list in the order of the places that name them (file, line, column).
    std::vector<FetchedPicture> fetched;  // downloaded now
    std::vector<FetchedPicture> present;  // fetched before: not downloaded again
    std::vector<FetchFailure> failed;
    std::uint64_t bytes_fetched() const;
    // Whether every picture the book names on the web has its copy now.
    bool complete() const { return failed.empty(); }
};

// Loads the book (its diagnostics go to `diagnostics`), then downloads each remote
// picture that has no copy yet: http and https only, following at most
// options.max_redirects redirects, within the time and size limits, a few at a time.
// What arrives is kept only when the picture reader can read it (an error page served
// in its place is a failure), written atomically as fetched/<prefix><extension>, the
// extension from its bytes. A picture that cannot be fetched is a FetchFailure, never
// an exception. Throws folio::Error or ErrorsReported when the book cannot be loaded.
FetchReport fetch_pictures(const std::filesystem::path& book_dir, const FetchOptions& options,
                           Diagnostics& diagnostics);

// "50 MB", "1.5 kB", "812 bytes": a size for people (powers of 1000).
std::string human_size(std::uint64_t bytes);

}  // namespace folio::sources
