// folio-preview's half of cli/preview.hpp: proof and serve, run here.
#include "cli/preview.hpp"
#include "cli/report.hpp"
#include "core/error.hpp"

#include <iostream>

namespace folio::cli {

// The print PDF and its spreads, or the build's located errors.
int run_proof(char**, const std::string& book_dir, const proof::ProofOptions& options) {
    Diagnostics diagnostics;
    try {
        const auto written = proof::write_proof(book_dir, options, diagnostics);
        print_warnings(diagnostics);
        std::cout << "folio: wrote " << written.front().generic_string() << " and " << written.size() - 2
                  << " spreads and a contact sheet in " << written.back().parent_path().generic_string() << "/\n";
        return Success;
    } catch (const Error& e) {
        print_warnings(diagnostics);
        print_errors(diagnostics);
        std::cerr << e.format() << '\n';
    } catch (const ErrorsReported&) {
        print_warnings(diagnostics);
        print_errors(diagnostics);
    }
    return InputError;
}

// The address, then what watch prints for each build.
int run_serve(char**, const std::string& book_dir, const serve::ServeOptions& options) {
    stop_on_interrupt();
    try {
        serve::serve(
            book_dir, options, build::BuildContext::from_environment(),
            [](const std::string& url) { std::cout << "folio: preview at " << url << " (Ctrl-C to stop)" << std::endl; },
            report_build, stop_watching);
    } catch (const Error& e) {
        std::cerr << e.format() << '\n';
        return InputError;
    }
    return Success;
}

}  // namespace folio::cli
