// `folio proof` and `folio serve` draw the print PDF's spreads with Poppler and serve
// the preview over cpp-httplib. With the libraries under them (NSS, OpenSSL, lcms,
// OpenJPEG…), linking the two cost every start of folio ~8 ms: 3 % of building a
// 100-article PDF, for two commands a build never runs. They live in a second
// program, folio-preview, built beside folio from the same command line (cli/main.cpp):
// in folio these functions hand the command line over to it (exec, same arguments);
// in folio-preview they do the work.
#pragma once

#include "proof/proof.hpp"
#include "serve/serve.hpp"

#include <string>

namespace folio::cli {

int run_proof(char** argv, const std::string& book_dir, const proof::ProofOptions& options);
int run_serve(char** argv, const std::string& book_dir, const serve::ServeOptions& options);

}  // namespace folio::cli
