#include "support/support.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <tinyxml2.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace folio::test {

namespace fs = std::filesystem;

fs::path source_dir() { return FOLIO_SOURCE_DIR; }
fs::path folio_binary() { return FOLIO_BINARY; }

std::vector<fs::path> all_books() {
    std::vector<fs::path> out;
    for (const char* folder : {"books", "tests/fixtures/books"})
        for (const auto& e : fs::directory_iterator(source_dir() / folder))
            if (fs::exists(e.path() / "book.yaml")) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::map<fs::path, fs::path> build_every_book(const fs::path& out, const std::string& format, const std::string& suffix) {
    std::map<fs::path, fs::path> built;
    for (const fs::path& b : all_books()) {
        const RunResult r = run_folio({"build", b.string(), "-o", out.string(), "--format", format, "-q"});
        EXPECT_EQ(r.exit_code, 0) << b << ": " << r.err;
        if (r.exit_code == 0) built[b] = out / (b.filename().string() + suffix);
    }
    return built;
}


namespace {
// In a forked child: stdout and stderr to files, then folio with `args`.
[[noreturn]] void exec_folio(const std::vector<std::string>& args, const fs::path& out_file, const fs::path& err_file) {
    if (!std::freopen(out_file.c_str(), "w", stdout) || !std::freopen(err_file.c_str(), "w", stderr)) ::_exit(127);
    std::vector<std::string> storage{folio_binary().string()};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
}
}  // namespace

RunResult run_folio(const std::vector<std::string>& args, const fs::path& cwd,
                    const std::map<std::string, std::string>& env) {
    ScratchDir capture;
    const fs::path out_file = capture / "stdout", err_file = capture / "stderr";
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        exec_folio(args, out_file, err_file);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_file);
    r.err = slurp(err_file);
    return r;
}

MeasuredRun run_folio_measured(const std::vector<std::string>& args, const fs::path& cwd, const RunLimits& limits) {
    ScratchDir capture;
    const fs::path out_file = capture / "stdout", err_file = capture / "stderr";
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
        if (limits.file_size >= 0) {
            const rlimit rl{static_cast<rlim_t>(limits.file_size), static_cast<rlim_t>(limits.file_size)};
            if (::setrlimit(RLIMIT_FSIZE, &rl) != 0) ::_exit(127);
        }
        // Whatever the test runner does with SIGXFSZ, folio meets its default action:
        // handling it is folio's job.
        ::signal(SIGXFSZ, SIG_DFL);
        exec_folio(args, out_file, err_file);
    }
    MeasuredRun r;
    int status = 0;
    rusage usage{};
    const auto deadline = start + std::chrono::duration<double>(limits.timeout_seconds);
    while (true) {
        const pid_t got = ::wait4(pid, &status, WNOHANG, &usage);
        if (got == pid) break;
        if (got < 0 && errno != EINTR) throw std::runtime_error("wait4 failed");
        if (!r.timed_out && std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            r.timed_out = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.peak_rss_kb = usage.ru_maxrss;
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_file);
    r.err = slurp(err_file);
    return r;
}

RunResult run_command(const std::string& command) {
    RunResult r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return r;
}

ScratchDir::ScratchDir() {
    std::string templ = (fs::temp_directory_path() / "folio-test-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    m_path = templ;
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    // Tests may leave read-only folders behind; make them writable to remove them.
    for (auto it = fs::recursive_directory_iterator(m_path, ec); it != fs::recursive_directory_iterator();
         it.increment(ec))
        fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(m_path, ec);
}

std::vector<fs::path> files_with_extension(const fs::path& dir, const std::string& extension) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == extension) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

void copy_tree(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

ZipContents read_zip(const fs::path& epub) {
    int error = 0;
    zip_t* z = zip_open(epub.c_str(), ZIP_RDONLY, &error);
    if (!z) throw std::runtime_error("cannot open zip " + epub.string());
    ZipContents out;
    const zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
        zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
        if (!f) throw std::runtime_error(std::string("cannot open entry ") + st.name);
        std::string bytes(static_cast<std::size_t>(st.size), '\0');
        // Reading to the end makes libzip check the entry's CRC.
        const zip_int64_t got = st.size ? zip_fread(f, bytes.data(), st.size) : 0;
        char extra;
        if (got != static_cast<zip_int64_t>(st.size) || zip_fread(f, &extra, 1) != 0)
            throw std::runtime_error(std::string("cannot read entry ") + st.name + ": " + zip_file_strerror(f));
        zip_fclose(f);
        out.names.push_back(st.name);
        out.bytes[st.name] = std::move(bytes);
    }
    zip_close(z);
    return out;
}

std::string normalize_space(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
        } else {
            if (space) out += ' ';
            space = false;
            out += c;
        }
    }
    return out;
}

std::string join_address_breaks(const std::string& text) {
    std::string out;
    std::size_t word = 0;  // where the word being copied began in `out`
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
            out += c;
            continue;
        }
        const std::string_view last(out.data() + word, out.size() - word);
        const bool address = last.find("://") != std::string_view::npos || last.find("www.") != std::string_view::npos ||
                             last.find('@') != std::string_view::npos;
        if (address && std::string_view("/.-_?#&=").find(last.back()) != std::string_view::npos) continue;
        out += c;
        word = out.size();
    }
    return out;
}

namespace {
void collect_text(const tinyxml2::XMLNode* node, std::string& out) {
    for (const tinyxml2::XMLNode* n = node->FirstChild(); n; n = n->NextSibling()) {
        if (const auto* t = n->ToText()) {
            out += t->Value();
        } else if (const auto* e = n->ToElement()) {
            const std::string name = e->Name();
            if (name == "head") continue;
            const bool block = name == "p" || name == "li" || name == "h1" || name == "h2" || name == "h3" ||
                               name == "div" || name == "section" || name == "aside" || name == "td" || name == "th";
            if (block) out += ' ';
            collect_text(e, out);
            if (block) out += ' ';
        }
    }
}
}  // namespace

std::string visible_text(const std::string& xhtml) {
    tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
    if (doc.Parse(xhtml.c_str(), xhtml.size()) != tinyxml2::XML_SUCCESS)
        throw std::runtime_error(std::string("not well-formed XML: ") + doc.ErrorStr());
    std::string out;
    collect_text(&doc, out);
    return normalize_space(out);
}

const std::string& one_pixel_png() {
    static const std::string png("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00"
                                 "\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0aIDAT\x78\x9c\x63\x68\x00\x00\x00"
                                 "\x82\x00\x81\x77\xcd\x72\xb6\x00\x00\x00\x00IEND\xae\x42\x60\x82",
                                 67);
    return png;
}

}  // namespace folio::test

namespace folio::test {
namespace {

// A suite whose set-up fails (an exception or a failed assertion in SetUpTestSuite)
// has each of its tests printed as "[  SKIPPED ]", which CTest, as GoogleTest's
// discovery tells it, counts as a skip and not a failure: the tests would pass
// unseen. This printer, in place of GoogleTest's own, prints such a test as
// failed, and holds back the summary that lists it as skipped.
class SetUpFailuresFail : public ::testing::EmptyTestEventListener {
public:
    explicit SetUpFailuresFail(::testing::TestEventListener* printer) : m_printer(printer) {}
    ~SetUpFailuresFail() override { delete m_printer; }

    void OnTestProgramStart(const ::testing::UnitTest& u) override { m_printer->OnTestProgramStart(u); }
    void OnTestIterationStart(const ::testing::UnitTest& u, int i) override { m_printer->OnTestIterationStart(u, i); }
    void OnEnvironmentsSetUpStart(const ::testing::UnitTest& u) override { m_printer->OnEnvironmentsSetUpStart(u); }
    void OnEnvironmentsSetUpEnd(const ::testing::UnitTest& u) override { m_printer->OnEnvironmentsSetUpEnd(u); }
    void OnTestSuiteStart(const ::testing::TestSuite& s) override { m_printer->OnTestSuiteStart(s); }
    void OnTestStart(const ::testing::TestInfo& t) override { m_printer->OnTestStart(t); }
    void OnTestPartResult(const ::testing::TestPartResult& r) override { m_printer->OnTestPartResult(r); }
    void OnTestEnd(const ::testing::TestInfo& t) override {
        const ::testing::TestSuite* suite = ::testing::UnitTest::GetInstance()->current_test_suite();
        if (t.result()->Skipped() && suite && suite->ad_hoc_test_result().Failed()) {
            m_set_up_failed = true;
            std::printf("[  FAILED  ] %s.%s: its suite's set-up failed (see above)\n", t.test_suite_name(), t.name());
            std::fflush(stdout);
            return;
        }
        m_printer->OnTestEnd(t);
    }
    void OnTestSuiteEnd(const ::testing::TestSuite& s) override { m_printer->OnTestSuiteEnd(s); }
    void OnEnvironmentsTearDownStart(const ::testing::UnitTest& u) override {
        m_printer->OnEnvironmentsTearDownStart(u);
    }
    void OnEnvironmentsTearDownEnd(const ::testing::UnitTest& u) override { m_printer->OnEnvironmentsTearDownEnd(u); }
    void OnTestIterationEnd(const ::testing::UnitTest& u, int i) override {
        if (m_set_up_failed) {
            std::printf("[  FAILED  ] a test suite's set-up failed\n");
            std::fflush(stdout);
            return;
        }
        m_printer->OnTestIterationEnd(u, i);
    }
    void OnTestProgramEnd(const ::testing::UnitTest& u) override { m_printer->OnTestProgramEnd(u); }

private:
    ::testing::TestEventListener* m_printer;
    bool m_set_up_failed = false;
};

// Installed before main() runs the tests: every test program links this file.
const bool kInstalled = [] {
    ::testing::TestEventListeners& listeners = ::testing::UnitTest::GetInstance()->listeners();
    if (::testing::TestEventListener* printer = listeners.Release(listeners.default_result_printer()))
        listeners.Append(new SetUpFailuresFail(printer));
    return true;
}();

}  // namespace
}  // namespace folio::test
