// folio watch: the author's loop. Builds the book, then again after every save to its
// folder (inotify: each write, rename, creation and removal, in every subfolder),
// once the edits have settled. A build that fails leaves the last good outputs in
// place (every output is written atomically), and the next save tries again.
#pragma once

#include "build/build.hpp"
#include "core/diagnostics.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace folio::serve {

// What one build of the loop gave, for the caller to print.
struct BuildOutcome {
    int number = 0;                 // 1 for the first build
    double seconds = 0;             // wall time
    bool ok = false;
    std::optional<layout::LayoutStats> stats;  // when a PDF was set
    Diagnostics diagnostics;        // its warnings, and its errors when it failed
    std::string error;              // the formatted error that stopped it (empty when ok, or when `diagnostics` holds them)
    std::size_t new_warnings = 0;   // warnings the previous build did not give
    std::string changed;            // the file whose change started it, book-relative (empty for the first)
    std::vector<build::Permission> articles;      // each article's row of the permissions log
    std::vector<preflight::Finding> preflight;    // when the print interior was set
    std::vector<std::filesystem::path> written;   // the files the build wrote
};

struct WatchOptions {
    build::Options build;
    std::chrono::milliseconds settle{150};  // quiet time after the last change before building
};

// Builds, then watches `book_dir` until `stop` is set (checked at least every 100 ms),
// calling `report` after each build. Changes inside the output folder, and editors'
// swap and backup files (.swp, ~, .#…, hidden files), do not start a build.
// Throws folio::Error when the folder cannot be watched.
void watch(const std::filesystem::path& book_dir, const WatchOptions& options, const build::BuildContext& context,
           const std::function<void(const BuildOutcome&)>& report, const std::atomic<bool>& stop);

}  // namespace folio::serve
