// Helpers for folio's tests: run the folio binary, make scratch book folders, read
// an EPUB's entries and the text a reader would see.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace folio::test {

// The source tree and the built binary, set by CMake.
std::filesystem::path source_dir();
std::filesystem::path folio_binary();

// Every book folder in books/ and tests/fixtures/books/, sorted.
std::vector<std::filesystem::path> all_books();

// Builds every book of all_books() as `format` ("pdf", "print", ...) into `out`, and
// returns each book's file named <book><suffix> there (".pdf", "-print.pdf"). A build
// that fails is a test failure, and its book is left out.
std::map<std::filesystem::path, std::filesystem::path> build_every_book(const std::filesystem::path& out,
                                                                        const std::string& format,
                                                                        const std::string& suffix);

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs folio with `args` (no shell), in `cwd`, with extra environment variables.
RunResult run_folio(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                    const std::map<std::string, std::string>& env = {});

// Limits set on a measured run of folio.
struct RunLimits {
    long long file_size = -1;        // RLIMIT_FSIZE in bytes (-1: none); SIGXFSZ is left at its default
    double timeout_seconds = 900;    // killed with SIGKILL after this long (a hang)
};

// What a measured run did: how it ended, and what it took.
struct MeasuredRun : RunResult {
    int signal = 0;           // the signal that ended it; 0 when it exited
    bool timed_out = false;   // killed at RunLimits::timeout_seconds
    long peak_rss_kb = 0;     // the child's peak resident set (getrusage's ru_maxrss, from wait4)
    double seconds = 0;       // wall time
};

// Runs folio as run_folio does, under `limits`, and measures it.
MeasuredRun run_folio_measured(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                               const RunLimits& limits = {});

// Runs a shell command (a tool such as qpdf or pdftotext); stdout and exit code.
RunResult run_command(const std::string& command);

// A fresh empty folder, removed when the object goes.
class ScratchDir {
public:
    ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir();
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& rel) const { return m_path / rel; }

private:
    std::filesystem::path m_path;
};

void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

// The files directly in `dir` whose names end in `extension` (".lines"), sorted.
std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& dir, const std::string& extension);

// A real picture, the smallest: a one-pixel gray PNG (pictures are decoded when a
// book loads).
const std::string& one_pixel_png();
std::string slurp(const std::filesystem::path& path);
void spit(const std::filesystem::path& path, const std::string& bytes);

// Entry name -> bytes, in archive order (the vector) and by name (the map).
struct ZipContents {
    std::vector<std::string> names;
    std::map<std::string, std::string> bytes;
};
ZipContents read_zip(const std::filesystem::path& epub);

// The text of an XHTML document as a reader sees it: elements' text content with
// entities resolved, white space collapsed to single spaces.
std::string visible_text(const std::string& xhtml);

std::string normalize_space(const std::string& s);

// Text with the white space after an address's separator taken out: folio breaks a
// web or e-mail address after / . - _ ? # & = without adding a hyphen, so extracted
// text may show a line break where the address had none. Apply it to the expected
// text and to the extracted text alike (an address ending a sentence, "…/late.",
// loses the space after it in both).
std::string join_address_breaks(const std::string& text);

}  // namespace folio::test
