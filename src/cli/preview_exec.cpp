// folio's half of cli/preview.hpp: proof and serve run in folio-preview, the program
// built beside this one, with this command line.
#include "cli/preview.hpp"
#include "cli/report.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <unistd.h>

namespace folio::cli {

namespace {

int exec_preview(char** argv, const char* command) {
    // Beside this program: found through /proc (which follows a symbolic link to
    // the program itself), else through the name it was started by, or on PATH as
    // folio itself was.
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path started(argv[0]);
    const std::filesystem::path helper = (ec ? started : self).parent_path() / "folio-preview";
    if (ec && !started.has_parent_path())
        ::execvp("folio-preview", argv);
    else
        ::execv(helper.c_str(), argv);
    // Only when it could not run:
    const int error = errno;
    std::cerr << "folio: error: " << command << " runs in folio-preview, which could not be started: " << helper.string()
              << ": " << std::strerror(error) << "\nhint: folio-preview is built beside folio (make builds both); "
              << "keep the two programs in the same folder\n";
    return InputError;
}

}  // namespace

int run_proof(char** argv, const std::string&, const proof::ProofOptions&) { return exec_preview(argv, "proof"); }
int run_serve(char** argv, const std::string&, const serve::ServeOptions&) { return exec_preview(argv, "serve"); }

}  // namespace folio::cli
