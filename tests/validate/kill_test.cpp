// Nothing lost: folio killed with SIGKILL at random moments, 50 times, while it
// rebuilds a large book with its cache (--cache). Each output must afterwards be a complete file, the one
// from before the kill or the one the killed build would have written, never a
// mixture or a stump; and no half-written file may carry a name a reader would
// take for the book.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>
#include <thread>

namespace folio {
namespace {

namespace fs = std::filesystem;
using test::slurp;

const std::vector<std::string> kOutputs{"book.epub", "book.pdf", "book-print.pdf", "book-permissions.csv"};

pid_t start_build(const fs::path& cwd) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (::chdir(cwd.c_str()) != 0) ::_exit(127);
        const std::string binary = test::folio_binary().string();
        ::execl(binary.c_str(), binary.c_str(), "build", "book", "-o", "out", "--format", "all", "--quiet", "--cache",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

// The two editions of the book differ in their rights line, which every output shows.
void set_edition(const fs::path& manifest, const std::string& original, int edition) {
    std::string text = original;
    if (edition == 1) text.replace(text.find("CC0 1.0\""), 8, "CC0 1.0, second edition\"");
    test::spit(manifest, text);
}

TEST(NothingLost, FiftyBuildsKilledAtRandomMomentsLeaveEveryOutputWhole) {
    test::ScratchDir dir;
    ASSERT_EQ(test::run_command(std::string(FOLIO_BENCH_GEN) + " '" + (dir / "book").string() + "' 40").exit_code, 0);
    const fs::path manifest = dir / "book/book.yaml";
    const std::string original = slurp(manifest);
    ASSERT_NE(original.find("CC0 1.0\""), std::string::npos);

    // Both editions' outputs, valid; and how long a whole build takes here (the
    // shorter of the two: the first also reads fonts and dictionaries from disk).
    std::map<std::string, std::string> edition_bytes[2];
    std::chrono::duration<double> shortest{1e9};
    for (int edition : {0, 1}) {
        set_edition(manifest, original, edition);
        const auto start = std::chrono::steady_clock::now();
        const int status = wait_for(start_build(dir.path()));
        shortest = std::min(shortest, std::chrono::duration<double>(std::chrono::steady_clock::now() - start));
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
        for (const std::string& name : kOutputs) {
            edition_bytes[edition][name] = slurp(dir / "out" / name);
            if (name.ends_with(".pdf")) {
                EXPECT_EQ(test::run_command("qpdf --check '" + (dir / "out" / name).string() + "' >/dev/null").exit_code, 0);
            }
        }
        EXPECT_EQ(test::read_zip(dir / "out/book.epub").names.front(), "mimetype");
    }
    // (The permissions log has no rights line: it is the same in both.)
    for (const std::string& name : kOutputs)
        if (!name.ends_with(".csv")) {
            ASSERT_NE(edition_bytes[0][name], edition_bytes[1][name]) << name;
        }

    // A fixed seed: a failure can be replayed with the same moments.
    std::mt19937 random(20261128);
    std::uniform_real_distribution<double> moment(0.0, shortest.count());
    int killed_while_running = 0;
    for (int round = 0; round < 50; ++round) {
        set_edition(manifest, original, round % 2 == 0 ? 0 : 1);
        const double after = moment(random);
        const pid_t pid = start_build(dir.path());
        std::this_thread::sleep_for(std::chrono::duration<double>(after));
        ::kill(pid, SIGKILL);
        const int status = wait_for(pid);
        if (WIFSIGNALED(status)) {
            ++killed_while_running;
        } else {
            ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round << ": status " << status;
        }

        for (const std::string& name : kOutputs) {
            const std::string bytes = slurp(dir / "out" / name);
            EXPECT_TRUE(bytes == edition_bytes[0][name] || bytes == edition_bytes[1][name])
                << "round " << round << " (killed after " << after << " s): " << name << " is neither edition, "
                << bytes.size() << " bytes";
        }
        for (const auto& e : fs::directory_iterator(dir / "out")) {
            const std::string name = e.path().filename().string();
            if (std::find(kOutputs.begin(), kOutputs.end(), name) != kOutputs.end() || name == ".folio-cache") continue;
            // What a killed build leaves: hidden, and named after no book format.
            EXPECT_TRUE(name.starts_with(".") && name.find(".tmp-") != std::string::npos && !name.ends_with(".epub") &&
                        !name.ends_with(".pdf"))
                << "round " << round << ": left behind " << name;
        }
    }
    // Most kills must land while folio runs, or the test proves little (a build on a
    // busy machine may still finish before its moment comes).
    EXPECT_GE(killed_while_running, 25);
    std::cout << killed_while_running << " of 50 builds killed while running\n";

    // The next whole build sweeps away what the killed ones left, in the cache too,
    // and reads every cache file the killed builds wrote as a whole one.
    ASSERT_EQ(wait_for(start_build(dir.path())), 0);
    for (const auto& e : fs::directory_iterator(dir / "out"))
        EXPECT_TRUE(std::find(kOutputs.begin(), kOutputs.end(), e.path().filename().string()) != kOutputs.end() ||
                    e.path().filename() == ".folio-cache")
            << "left behind after a whole build: " << e.path().filename();
    for (const auto& e : fs::directory_iterator(dir / "out/.folio-cache"))
        EXPECT_FALSE(e.path().filename().string().starts_with(".")) << "left in the cache: " << e.path().filename();
    const test::RunResult again = test::run_folio(
        {"build", "book", "-o", "out", "--format", "all", "--quiet", "--cache", "--stats", "json"}, dir.path());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("\"paragraphs_set\": 0, \"files_ignored\": 0"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("\"compressed_anew\": 0}"), std::string::npos) << again.out;  // every page read back
    for (const std::string& name : kOutputs) EXPECT_TRUE(slurp(dir / "out" / name) == edition_bytes[1][name]) << name;
}

}  // namespace
}  // namespace folio
