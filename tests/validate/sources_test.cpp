// Nothing lost: collections as their tools laid them out (tests/fixtures/sources: a
// Hugo blog, a Jekyll blog, an mdBook book, a WordPress export converted to
// Markdown) go through `folio new --from` and `folio build --format all`, unmodified
// but for the book.yaml that new writes. Every picture, table, code block and
// footnote of the sources is in the EPUB and in both PDFs, links between posts are
// internal, the words out are the words in, and the EPUB passes epubcheck. The
// counts are checked three ways: against the fixture's own EXPECTED.txt (written
// by hand from the sources), against `--stats`, and with the tools a reader has
// (the EPUB's XHTML, pdftotext).
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace folio {
namespace {

namespace fs = std::filesystem;

struct Expected {
    const char* fixture;
    std::vector<std::string> new_options;  // what the source does not say
    long articles;
    long pictures_shown;   // in the articles, as EXPECTED.txt counts them (and covers shown only in front matter)
    long pictures_lost;    // named but not in the book folder (remote), with a warning
    long tables, code_blocks, footnotes, links_between;
    std::vector<std::string> left_out;  // titles of drafts: in no output
};

const std::vector<Expected> kFixtures = {
    {"hugo-blog", {}, 7, 12, 0, 2, 5, 5, 8, {"Winter on Mljet"}},
    {"jekyll-blog", {}, 6, 6, 0, 2, 4, 4, 6, {"Notes on Gulls"}},
    {"mdbook-book", {"--license", "CC BY 4.0"}, 11, 5, 0, 1, 4, 3, 12, {}},
    // 7 local pictures, the inline <svg>, and one cover shown only in front matter;
    // the remote picture is not in the folder.
    {"wordpress-export",
     {"--author", "Jelena Marić", "--site", "Harbour Notes", "--license", "CC BY 4.0", "--license-url",
      "https://creativecommons.org/licenses/by/4.0/"},
     6, 9, 1, 1, 1, 0, 6, {}},
};

// The text of each element `tag` (up to its first child element), in order: a
// small reader for the XHTML folio writes (no std::regex: GCC 12 warns inside it
// under the sanitizers).
std::vector<std::string> texts_of(const std::string& xhtml, const std::string& tag) {
    std::vector<std::string> out;
    for (std::size_t at = xhtml.find("<" + tag); at != std::string::npos; at = xhtml.find("<" + tag, at + 1)) {
        const char after = xhtml[at + 1 + tag.size()];
        if (after != '>' && after != ' ') continue;
        const std::size_t open = xhtml.find('>', at);
        const std::size_t close = xhtml.find('<', open);
        if (open == std::string::npos || close == std::string::npos) break;
        out.push_back(xhtml.substr(open + 1, close - open - 1));
    }
    return out;
}

// A number in the --stats JSON: `key` inside the object named `section`.
long json_number(const std::string& json, const std::string& section, const std::string& key) {
    const std::size_t at = json.find("\"" + section + "\": {");
    if (at == std::string::npos) return -1;
    const std::size_t end = json.find('}', at);
    const std::size_t k = json.find("\"" + key + "\": ", at);
    if (k == std::string::npos || k > end) return -1;
    return std::stol(json.substr(k + key.size() + 4));
}

// Letters and digits only: pdftotext breaks lines, hyphenates and spaces text its
// own way; what must survive is every character, in order.
std::string letters(const std::string& s) {
    std::string out;
    for (char c : s)
        if (!(c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '-' || c == '\f' || c == '\xC2' || c == '\xA0'))
            out += c;
    return out;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

class NothingLost : public ::testing::TestWithParam<Expected> {};

TEST_P(NothingLost, EveryPictureTableCodeBlockAndWordReachesEveryOutput) {
    const Expected& e = GetParam();
    test::ScratchDir dir;
    const fs::path source = test::source_dir() / "tests/fixtures/sources" / e.fixture;
    std::vector<std::string> args{"new", "book", "--from", source.string()};
    args.insert(args.end(), e.new_options.begin(), e.new_options.end());
    const auto made = test::run_folio(args, dir.path());
    ASSERT_EQ(made.exit_code, 0) << made.err;
    EXPECT_NE(made.out.find(": " + std::to_string(e.articles) + " articles in "), std::string::npos) << made.out;

    const auto built = test::run_folio({"build", "book", "-o", "out", "--format", "all", "--stats", "json", "-q"}, dir.path());
    ASSERT_EQ(built.exit_code, 0) << built.err;
    const std::string& stats = built.out;

    // The sources, as folio counts them, are the sources as EXPECTED.txt counts them.
    EXPECT_EQ(json_number(stats, "sources", "pictures"), e.pictures_shown + e.pictures_lost) << stats;
    EXPECT_EQ(json_number(stats, "sources", "pictures_lost"), e.pictures_lost);
    EXPECT_EQ(json_number(stats, "sources", "tables"), e.tables);
    EXPECT_EQ(json_number(stats, "sources", "code_blocks"), e.code_blocks);
    EXPECT_EQ(json_number(stats, "sources", "footnotes"), e.footnotes);
    EXPECT_EQ(json_number(stats, "sources", "links_internal"), e.links_between);
    // And every output holds all of it.
    const long words = json_number(stats, "sources", "words");
    EXPECT_GT(words, 500);
    for (const char* output : {"epub", "pdf", "print"}) {
        SCOPED_TRACE(output);
        EXPECT_EQ(json_number(stats, output, "pictures"), e.pictures_shown);
        EXPECT_EQ(json_number(stats, output, "tables"), e.tables);
        EXPECT_EQ(json_number(stats, output, "code_blocks"), e.code_blocks);
        EXPECT_EQ(json_number(stats, output, "footnotes"), e.footnotes);
        EXPECT_EQ(json_number(stats, output, "links_internal"), e.links_between);
        EXPECT_EQ(json_number(stats, output, "links_external"), json_number(stats, "sources", "links_external"));
        EXPECT_LE(std::abs(json_number(stats, output, "words") - words), words / 1000) << "words in " << words;
    }

    // The EPUB, read as a reader's software reads it.
    const auto zip = test::read_zip(dir / "out/book.epub");
    std::string pages;
    for (const auto& [name, bytes] : zip.bytes)
        if (name.rfind("EPUB/text/a", 0) == 0 && name.size() > 16 && name.ends_with(".xhtml") &&
            std::isdigit(static_cast<unsigned char>(name[11])))
            pages += bytes;
    EXPECT_EQ(static_cast<long>(count(pages, "<section epub:type=\"chapter\"")), e.articles);
    EXPECT_EQ(static_cast<long>(count(pages, "<img ")), e.pictures_shown);
    EXPECT_EQ(static_cast<long>(count(pages, "<table")), e.tables);
    EXPECT_EQ(static_cast<long>(count(pages, "<pre")), e.code_blocks);
    EXPECT_EQ(static_cast<long>(count(pages, "epub:type=\"footnote\"")), e.footnotes);
    long internal = 0;
    for (std::size_t at = pages.find("<a href=\"a"); at != std::string::npos; at = pages.find("<a href=\"a", at + 1)) {
        const std::size_t end = pages.find('"', at + 9);
        const std::string href = pages.substr(at + 9, end - at - 9);
        internal += std::isdigit(static_cast<unsigned char>(href[1])) && href.find(".xhtml") != std::string::npos;
    }
    EXPECT_EQ(internal, e.links_between);
    for (const std::string& title : e.left_out) EXPECT_EQ(pages.find(title), std::string::npos) << title;
    const auto check = test::run_command("java -Xss64m -jar /usr/share/java/epubcheck.jar " +
                                         (dir / "out/book.epub").string() + " 2>&1");
    EXPECT_NE(check.out.find("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"), std::string::npos) << check.out;

    // Every table cell, caption and short code line of the EPUB is in both PDFs' text.
    std::vector<std::string> pieces;
    for (const char* tag : {"td", "th", "figcaption"})
        for (const std::string& t : texts_of(pages, tag))
            if (letters(t).size() >= 3 && t.find('&') == std::string::npos) pieces.push_back(test::normalize_space(t));
    for (const std::string& block : texts_of(pages, "code")) {
        std::istringstream lines(block);
        for (std::string line; std::getline(lines, line);)
            if (letters(line).size() >= 3 && line.size() < 50 && line.find('&') == std::string::npos)
                pieces.push_back(line);
    }
    EXPECT_GT(pieces.size(), static_cast<std::size_t>(e.tables + e.code_blocks));
    for (const char* pdf : {"book.pdf", "book-print.pdf"}) {
        const std::string text = letters(test::run_command("pdftotext " + (dir / "out" / pdf).string() + " -").out);
        for (const std::string& piece : pieces)
            EXPECT_NE(text.find(letters(piece)), std::string::npos) << pdf << ": '" << piece << "' is missing";
        for (const std::string& title : e.left_out) EXPECT_EQ(text.find(letters(title)), std::string::npos) << title;
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, NothingLost, ::testing::ValuesIn(kFixtures),
                         [](const ::testing::TestParamInfo<Expected>& p) {
                             std::string name = p.param.fixture;
                             std::erase(name, '-');
                             return name;
                         });

}  // namespace
}  // namespace folio
