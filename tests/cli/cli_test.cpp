#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

namespace fs = std::filesystem;
using test::run_folio;
using test::slurp;

const fs::path kFieldGuide = test::source_dir() / "books/field-guide";

TEST(Cli, TwoBuildsGiveIdenticalBytes) {
    test::ScratchDir dir;
    ASSERT_EQ(run_folio({"build", kFieldGuide.string(), "-o", (dir / "one").string(), "-q"}).exit_code, 0);
    ASSERT_EQ(run_folio({"build", kFieldGuide.string(), "-o", (dir / "two").string(), "-q"}).exit_code, 0);
    const std::string one = slurp(dir / "one/field-guide.epub");
    EXPECT_GT(one.size(), 1000u);
    EXPECT_EQ(one, slurp(dir / "two/field-guide.epub"));
}

TEST(Cli, SourceDateEpochSetsModifiedAndZipDates) {
    test::ScratchDir dir;
    const auto r = run_folio({"build", kFieldGuide.string(), "-o", dir.path().string(), "-q"}, {},
                             {{"SOURCE_DATE_EPOCH", "1700000000"}, {"TZ", "America/New_York"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto zip = test::read_zip(dir / "field-guide.epub");
    EXPECT_NE(zip.bytes.at("EPUB/package.opf").find("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"),
              std::string::npos);
    // And the bytes do not depend on the time zone of the machine.
    test::ScratchDir other;
    ASSERT_EQ(run_folio({"build", kFieldGuide.string(), "-o", other.path().string(), "-q"}, {},
                        {{"SOURCE_DATE_EPOCH", "1700000000"}, {"TZ", "Asia/Tokyo"}})
                  .exit_code,
              0);
    EXPECT_EQ(slurp(dir / "field-guide.epub"), slurp(other / "field-guide.epub"));
}

// librsvg, cairo and libcurl, with the ~80 libraries they depend on, are loaded
// when an SVG picture or a download first needs them: not at every start. Poppler
// and cpp-httplib are folio-preview's (proof and serve), which folio runs for them.
TEST(Cli, StartsWithoutTheSvgNetworkAndPreviewLibraries) {
    const auto r = test::run_command("readelf -d '" + test::folio_binary().string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_NE(r.out.find("(NEEDED)"), std::string::npos) << r.out;
    for (const char* library : {"librsvg", "libcairo", "libcurl", "libglib", "libgobject", "libpoppler", "libcpp-httplib"})
        EXPECT_EQ(r.out.find(library), std::string::npos) << library << " is linked:\n" << r.out;
}

// proof and serve run in folio-preview, beside folio: without it, folio says so.
TEST(Cli, ProofAndServeNameTheMissingPreviewProgram) {
    test::ScratchDir dir;
    fs::copy_file(test::folio_binary(), dir / "folio");
    for (const char* command : {"proof", "serve"}) {
        const auto r = test::run_command("'" + (dir / "folio").string() + "' " + command + " '" +
                                         kFieldGuide.string() + "' -o '" + (dir / "out").string() + "'");
        EXPECT_EQ(r.exit_code, 1) << r.out;  // run_command gives stderr with stdout
        EXPECT_NE(r.out.find(std::string("folio: error: ") + command + " runs in folio-preview, which could not be started"),
                  std::string::npos)
            << r.out;
        EXPECT_FALSE(fs::exists(dir / "out")) << command;
    }
}

TEST(Cli, BadSourceDateEpochIsAnError) {
    test::ScratchDir dir;
    const auto r = run_folio({"build", kFieldGuide.string(), "-o", dir.path().string()}, {},
                             {{"SOURCE_DATE_EPOCH", "yesterday"}});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("error: SOURCE_DATE_EPOCH must be a whole number of seconds"), std::string::npos) << r.err;
}

TEST(Cli, MimetypeIsTheFirstEntry) {
    test::ScratchDir dir;
    ASSERT_EQ(run_folio({"build", kFieldGuide.string(), "-o", dir.path().string(), "-q"}).exit_code, 0);
    const std::string bytes = slurp(dir / "field-guide.epub");
    // Local file header: name at offset 30, no extra field (bytes 28-29 are zero), stored (8-9 zero).
    ASSERT_GT(bytes.size(), 58u);
    EXPECT_EQ(bytes.substr(30, 8), "mimetype");
    EXPECT_EQ(bytes.substr(38, 20), "application/epub+zip");
    EXPECT_EQ(bytes[8], 0);
    EXPECT_EQ(bytes[9], 0);
    EXPECT_EQ(bytes[28], 0);
    EXPECT_EQ(bytes[29], 0);
}

TEST(Cli, CheckValidatesAndWritesNothing) {
    test::ScratchDir dir;
    const auto r = run_folio({"check", kFieldGuide.string()}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(Cli, NewWritesAStarterBookThatBuilds) {
    test::ScratchDir dir;
    auto r = run_folio({"new", "my-book"}, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_folio({"build", "my-book", "-o", "out", "--strict"}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir / "out/my-book.epub"));
    r = run_folio({"new", "my-book"}, dir.path());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("my-book: error: folder exists and is not empty"), std::string::npos) << r.err;
}

TEST(Cli, UsageErrorsExitWithTwo) {
    EXPECT_EQ(run_folio({}).exit_code, 2);
    EXPECT_EQ(run_folio({"build", "--format", "docx"}).exit_code, 2);
    EXPECT_EQ(run_folio({"frobnicate"}).exit_code, 2);
}

// The print interior is written on its own, with a note on what the preflight is,
// and a summary of it.
TEST(Cli, PrintFormatWritesThePrintPdfAndSumsUpItsPreflight) {
    test::ScratchDir dir;
    const auto r = run_folio({"build", kFieldGuide.string(), "-o", dir.path().string(), "--format", "print"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("look at the proof in the store's previewer"), std::string::npos) << r.err;
    // The preflight's summary follows every print build.
    EXPECT_NE(r.err.find("folio: preflight: " + kFieldGuide.string() + ": KDP: passes every rule"), std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::exists(dir / "field-guide-print.pdf"));
    EXPECT_FALSE(fs::exists(dir / "field-guide.pdf"));
    EXPECT_FALSE(fs::exists(dir / "field-guide.epub"));
}

TEST(Cli, HelpAndVersion) {
    auto r = run_folio({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("folio 0."), std::string::npos) << r.out;
    r = run_folio({"build", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("--strict"), std::string::npos);
}

TEST(Cli, SeveralBooksInOneRun) {
    test::ScratchDir dir;
    const auto r = run_folio({"build", (test::source_dir() / "books/balkan-academia").string(), kFieldGuide.string(),
                              "-o", dir.path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir / "balkan-academia.epub"));
    EXPECT_TRUE(fs::exists(dir / "field-guide.epub"));
    EXPECT_NE(r.out.find("wrote"), std::string::npos);
}

}  // namespace
}  // namespace folio

namespace folio {
namespace {

// A warning that repeats is one line with its count and first places; --verbose
// lists every place.
TEST(Cli, RepeatedWarningsAreSummarisedUnlessVerbose) {
    test::ScratchDir dir;
    test::spit(dir / "book/book.yaml", "title: T\nlanguage: en\ndefaults:\n  author: Ann Author\nchapters:\n"
                                       "  - articles: posts/*.md\n");
    for (int i = 1; i <= 5; ++i)
        test::spit(dir / ("book/posts/p" + std::to_string(i) + ".md"), "# Post " + std::to_string(i) + "\n\nText.\n");
    const auto r = test::run_folio({"build", "book", "-o", "out"}, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("folio: warning: article states no licence (5 places: book/posts/p1.md:1:1, "
                         "book/posts/p2.md:1:1, book/posts/p3.md:1:1, …)\nhint: add 'license:' with the terms it may "
                         "be reused under (--verbose lists every place)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("book/posts/p5.md"), std::string::npos);
    const auto v = test::run_folio({"build", "book", "-o", "out", "--verbose"}, dir.path());
    EXPECT_NE(v.err.find("book/posts/p5.md:1:1: warning: article states no licence"), std::string::npos) << v.err;
}

}  // namespace
}  // namespace folio
