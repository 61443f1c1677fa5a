// What folio's commands print, shared by folio and folio-preview (cli/preview.hpp):
// warnings and errors in compiler style, a line per build of the author's loop, and
// the exit codes (README "Exit codes").
#pragma once

#include "core/diagnostics.hpp"
#include "serve/watch.hpp"

#include <atomic>

namespace folio::cli {

enum Exit : int { Success = 0, InputError = 1, UsageError = 2, StrictWarnings = 3 };

extern bool verbose;  // --verbose: every place of a repeated warning

// Warnings, and notes, in file order. A kind that repeats more than three times is
// one line: what it is, how often, the first three places (--verbose lists all).
void print_warnings(const Diagnostics& diagnostics);

// Every error of a book, in file order, up to a screenful; then how many more.
void print_errors(const Diagnostics& diagnostics);

// `folio watch` and `folio serve`: a line per build (what started it, how long it
// took, pages, new warnings), then the new warnings and any errors.
void report_build(const serve::BuildOutcome& outcome);

// Set by Ctrl-C (SIGINT) or SIGTERM once stop_on_interrupt() is called: the loop
// of watch and serve ends.
extern std::atomic<bool> stop_watching;
void stop_on_interrupt();

}  // namespace folio::cli
