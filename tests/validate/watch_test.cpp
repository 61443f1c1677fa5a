// folio watch as an author meets it: a build at the start, another after each save
// (a plain write, and an editor's write-then-rename), a failed build that keeps the
// last good EPUB and says where, nothing for changes in the output folder, and
// Ctrl-C ending it cleanly.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

extern char** environ;

namespace folio {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Watch : public ::testing::Test {
protected:
    void SetUp() override {
        test::spit(dir / "book/book.yaml", "title: Watched\nlanguage: en\nchapters:\n  - articles: [a.md]\n");
        write_article("The first words.\n");
        spawn({});
    }
    // folio watch on dir/book, into dir/book/out.
    void spawn(const std::vector<std::string>& extra) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, (dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, (dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const std::string binary = test::folio_binary().string();
        const std::string book = (dir / "book").string(), out = (dir / "book/out").string();
        std::vector<std::string> args{binary, "watch", book, "-o", out};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ASSERT_EQ(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
    }
    void TearDown() override {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }

    void write_article(const std::string& body) {
        test::spit(dir / "book/a.md", "---\ntitle: A\nauthor: Ana\nsite: Notes\nlicense: CC BY 4.0\n---\n" + body);
    }

    // Waits up to `limit` for stdout to hold `text`.
    bool printed(const std::string& text, std::chrono::milliseconds limit = 10s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (test::slurp(dir / "stdout").find(text) != std::string::npos) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    std::string epub_text() {
        return test::visible_text(test::read_zip(dir / "book/out/book.epub").bytes.at("EPUB/text/a01.xhtml"));
    }

    test::ScratchDir dir;
    pid_t pid = -1;
};

TEST_F(Watch, RebuildsOnEverySaveAndKeepsTheLastGoodOutputs) {
    ASSERT_TRUE(printed("folio: build 1: built")) << test::slurp(dir / "stdout") << test::slurp(dir / "stderr");
    EXPECT_NE(epub_text().find("The first words."), std::string::npos);

    // A save: the change is in the EPUB within a couple of seconds.
    const auto saved = std::chrono::steady_clock::now();
    write_article("The second words.\n");
    ASSERT_TRUE(printed("folio: build 2 (a.md changed): built", 5s)) << test::slurp(dir / "stdout");
    EXPECT_LT(std::chrono::steady_clock::now() - saved, 3s);
    EXPECT_NE(epub_text().find("The second words."), std::string::npos);

    // An editor's save: a swap file written, then renamed over the article; the
    // front matter is broken. The build fails at its place, and the EPUB stays.
    const std::string good = test::slurp(dir / "book/out/book.epub");
    test::spit(dir / "book/.a.md.swp", "---\ntitle: \"unclosed\n");
    fs::rename(dir / "book/.a.md.swp", dir / "book/a.md");
    ASSERT_TRUE(printed("folio: build 3 (a.md changed): FAILED", 5s)) << test::slurp(dir / "stdout");
    EXPECT_NE(test::slurp(dir / "stderr").find("a.md:1:1: error: front matter is never closed"), std::string::npos)
        << test::slurp(dir / "stderr");
    EXPECT_EQ(test::slurp(dir / "book/out/book.epub"), good);

    write_article("The third words.\n");
    ASSERT_TRUE(printed("folio: build 4 (a.md changed): built", 5s)) << test::slurp(dir / "stdout");
    EXPECT_NE(epub_text().find("The third words."), std::string::npos);

    // A save as `sed -i` makes it: a temporary file of a plain name, renamed over
    // the article. The build names the article.
    test::spit(dir / "book/sedx3Ab9Q",
               "---\ntitle: A\nauthor: Ana\nsite: Notes\nlicense: CC BY 4.0\n---\nSed's words.\n");
    fs::rename(dir / "book/sedx3Ab9Q", dir / "book/a.md");
    ASSERT_TRUE(printed("folio: build 5 (a.md changed): built", 5s)) << test::slurp(dir / "stdout");

    // The output folder is inside the book: what the builds write starts nothing.
    test::spit(dir / "book/out/note.txt", "x");
    EXPECT_FALSE(printed("folio: build 6", 1s)) << test::slurp(dir / "stdout");

    // Ctrl-C: a clean exit.
    ASSERT_EQ(::kill(pid, SIGINT), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    pid = -1;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// A book set in every format, edited while watched: each build after the first sets
// again only the paragraphs the edit changed (the others are kept in memory from the
// build before), and writes what a build from nothing writes, byte for byte.
class WatchEveryFormat : public Watch {
protected:
    void SetUp() override {
        test::copy_tree(test::source_dir() / "books/field-guide", dir / "book");
        spawn({"--format", "all"});
    }
    void expect_outputs_as_built_from_nothing() {
        fs::remove_all(dir / "clean");
        const test::RunResult clean = test::run_folio(
            {"build", (dir / "book").string(), "-o", (dir / "clean").string(), "--format", "all", "--quiet"});
        ASSERT_EQ(clean.exit_code, 0) << clean.err;
        for (const char* name : {"book.epub", "book.pdf", "book-print.pdf", "book-permissions.csv"})
            EXPECT_TRUE(test::slurp(dir / "book/out" / name) == test::slurp(dir / "clean" / name)) << name;
    }
    void edit(const std::string& from, const std::string& to) {
        const fs::path article = dir / "book/articles/welcome.md";
        std::string text = test::slurp(article);
        const std::size_t at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        test::spit(article, text.replace(at, from.size(), to));
    }
};

TEST_F(WatchEveryFormat, EachBuildWritesWhatABuildFromNothingWrites) {
    ASSERT_TRUE(printed("folio: build 1: built", 60s)) << test::slurp(dir / "stdout") << test::slurp(dir / "stderr");
    expect_outputs_as_built_from_nothing();
    edit("folio", "folio, the compiler,");
    ASSERT_TRUE(printed("folio: build 2 (articles/welcome.md changed): built", 60s)) << test::slurp(dir / "stdout");
    expect_outputs_as_built_from_nothing();
    edit("folio, the compiler,", "folio");
    ASSERT_TRUE(printed("folio: build 3 (articles/welcome.md changed): built", 60s)) << test::slurp(dir / "stdout");
    expect_outputs_as_built_from_nothing();
}

}  // namespace
}  // namespace folio
