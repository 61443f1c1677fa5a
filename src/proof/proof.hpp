// folio proof: the print interior as an author checks it before uploading it to a
// print store: each spread of the print PDF drawn at 150 dpi, with the trim and the
// bleed edge outlined and the gutter (the inside margin the binding swallows)
// shaded, and one contact sheet of every spread.
#pragma once

#include "core/diagnostics.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace folio::proof {

// A print PDF's spreads, drawn on demand (the preview server shows them one by one).
// Thread-safe. Throws folio::Error when the file cannot be read as a PDF.
class PrintProof {
public:
    explicit PrintProof(const std::filesystem::path& print_pdf);
    ~PrintProof();
    PrintProof(const PrintProof&) = delete;
    PrintProof& operator=(const PrintProof&) = delete;

    int pages() const;
    // Page 1 is a recto: spreads are (–, 1), (2, 3), (4, 5) … (n, –) when n is even.
    int spreads() const { return pages() / 2 + 1; }
    static int spread_of(int page) { return page / 2 + 1; }
    // The label its folio prints ("iii", "12"), of a page counted from 1.
    std::string label(int page) const;
    // Spread `n` (from 1) as a PNG at `dpi`, with its trim, bleed edge and gutter drawn.
    std::string spread_png(int n, double dpi) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
    friend std::vector<std::filesystem::path> write_proof(const std::filesystem::path&, const struct ProofOptions&,
                                                          Diagnostics&);
};

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
