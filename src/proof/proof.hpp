// folio proof: the print interior as an author checks it before uploading it to a
// print store: each spread of the print PDF drawn at 150 dpi, with the trim and the
// bleed edge outlined and the gutter (the inside margin the binding swallows)
// shaded, and one contact sheet of every spread.
#pragma once

#include "core/diagnostics.hpp"

#include <filesystem>
#include <vector>

namespace folio::proof {

struct ProofOptions {
    std::filesystem::path out_dir = "out";
    double dpi = 150;
};

// Builds the book's print PDF into out_dir (it is what the proof shows), then writes
// out_dir/<name>-proof/: spread-001.png (the first page, a recto, alone on the
// right), spread-002.png (pages 2 and 3), … and contact-sheet.png. The folder
// replaces an earlier proof only when complete. Returns the files written.
// Throws folio::Error as a build does.
std::vector<std::filesystem::path> write_proof(const std::filesystem::path& book_dir, const ProofOptions& options,
                                               Diagnostics& diagnostics);

}  // namespace folio::proof
