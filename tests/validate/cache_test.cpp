// The cache changes how much a build sets again, never what it writes: after each
// kind of change to a book, a build that reads and writes the cache (the default)
// gives every output byte for byte as a build without it (--no-cache) does; also
// when the cache's files are damaged, and when two builds share them at once.
#include "cache/paragraphs.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <thread>

namespace folio {
namespace {

namespace fs = std::filesystem;
using test::slurp;

const std::vector<std::string> kOutputs{"book.epub", "book.pdf", "book-print.pdf", "book-permissions.csv"};

struct CacheCounts {
    long recalled = -1, set = -1, ignored = -1;
    long compressed_recalled = -1, compressed_anew = -1;  // pages' deflated bytes
    long sources_recalled = -1, sources_parsed = -1;      // articles' Markdown
};

// The three numbers of --stats' "cache" object, read by hand (std::regex sets off
// GCC 12's maybe-uninitialized warning inside <functional> under ASan).
CacheCounts counts_of(const std::string& stats) {
    const std::string head = "\"cache\": {";
    const size_t at = stats.find(head);
    if (at == std::string::npos) return {};
    const auto number = [&](const std::string& name) -> long {
        const std::string key = "\"" + name + "\": ";
        const size_t k = stats.find(key, at);
        if (k == std::string::npos) return -1;
        size_t end = k + key.size();
        while (end < stats.size() && std::isdigit(static_cast<unsigned char>(stats[end]))) ++end;
        if (end == k + key.size()) return -1;
        return std::stol(stats.substr(k + key.size(), end - k - key.size()));
    };
    return {number("paragraphs_recalled"), number("paragraphs_set"),  number("files_ignored"),
            number("compressed_recalled"), number("compressed_anew"), number("sources_recalled"),
            number("sources_parsed")};
}

class CachedBook {
public:
    explicit CachedBook(const fs::path& from = test::source_dir() / "books/field-guide") {
        test::copy_tree(from, book());
    }
    // A book made by `folio new book --from SITE`, with `more` arguments.
    CachedBook(const fs::path& site, std::vector<std::string> more) {
        std::vector<std::string> args{"new", "book", "--from", site.string()};
        args.insert(args.end(), more.begin(), more.end());
        const test::RunResult made = test::run_folio(args, m_dir.path());
        EXPECT_EQ(made.exit_code, 0) << made.err;
    }
    fs::path book() const { return m_dir / "book"; }

    // Builds with the cache into out/ and without into clean/; expects the same bytes
    // in every output, and returns what the cache gave.
    CacheCounts build_and_compare() {
        const test::RunResult cached = test::run_folio(
            {"build", "book", "-o", "out", "--format", "all", "--cache", "--quiet", "--stats", "json"}, m_dir.path());
        EXPECT_EQ(cached.exit_code, 0) << cached.err;
        m_warnings = cached.err;
        fs::remove_all(m_dir / "clean");
        const test::RunResult clean =
            test::run_folio({"build", "book", "-o", "clean", "--format", "all", "--quiet", "--no-cache"}, m_dir.path());
        EXPECT_EQ(clean.exit_code, 0) << clean.err;
        EXPECT_EQ(cached.err, clean.err) << "the warnings differ";
        EXPECT_FALSE(fs::exists(m_dir / "clean/.folio-cache"));
        expect_same_outputs("out");
        return counts_of(cached.out);
    }
    void expect_same_outputs(const std::string& folder) const {
        for (const std::string& name : kOutputs) {
            const std::string bytes = slurp(m_dir / folder / name);
            EXPECT_FALSE(bytes.empty()) << folder << "/" << name;
            EXPECT_TRUE(bytes == slurp(m_dir / "clean" / name)) << folder << "/" << name;
        }
    }
    fs::path cache() const { return m_dir / "out/.folio-cache"; }
    std::vector<fs::path> cache_files() const { return test::files_with_extension(cache(), ".shelf"); }
    // The cache's file of `what` ("index", or "deflated") whose name begins with `setting`.
    fs::path cache_file(const std::string& setting, const std::string& what) const {
        for (const auto& e : fs::directory_iterator(cache())) {
            const std::string name = e.path().filename().string();
            if (name.starts_with(setting) && name.ends_with(what)) return e.path();
        }
        ADD_FAILURE() << "no " << setting << " " << what << " in the cache";
        return {};
    }
    // The files of the deflated pages' bins ("deflated-<book>-1f"), sorted.
    std::vector<fs::path> deflated_bins() const {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(cache())) {
            const std::string name = e.path().filename().string();
            if (!name.starts_with("deflated-")) continue;
            const std::size_t dash = name.rfind('-');
            EXPECT_EQ(name.size() - dash, 3u) << name << ": not a bin";
            out.push_back(e.path());
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    const fs::path& dir() const { return m_dir.path(); }
    const std::string& warnings() const { return m_warnings; }

private:
    test::ScratchDir m_dir;
    std::string m_warnings;  // of the last build with the cache
};

void replace_in(const fs::path& file, const std::string& from, const std::string& to) {
    std::string text = slurp(file);
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " in " << file;
    text.replace(at, from.size(), to);
    test::spit(file, text);
}

TEST(Cache, EveryOutputIsTheCleanBuildsAfterEveryKindOfChange) {
    CachedBook b;
    // A paragraph that warns as it is set: read back from the cache, it warns again.
    // And a Hindi word, whose syllables of several glyphs are tagged spans the PDF
    // writer makes as it draws the page: such a page is drawn at every build.
    test::spit(b.book() / "articles/welcome.md",
               slurp(b.book() / "articles/welcome.md") +
                   "\nA word in Klingon, <span lang=\"tlh\">Qapla' batlh</span>, and a sign none of the fonts "
                   "has: \xF0\x93\x80\x80.\n\nHello in Hindi: <span "
                   "lang=\"hi\">\u0928\u092E\u0938\u094D\u0924\u0947</span>.\n");
    const CacheCounts first = b.build_and_compare();
    EXPECT_NE(b.warnings().find("U+13000"), std::string::npos) << b.warnings();
    EXPECT_NE(b.warnings().find("language 'tlh'"), std::string::npos) << b.warnings();
    EXPECT_EQ(first.recalled + first.set > 0, true);
    EXPECT_GT(first.set, 100);
    EXPECT_EQ(b.cache_files().size(), 2u) << "a shelf for each PDF's paragraphs";

    // Nothing changed: nothing is set again, and the warnings are given again.
    CacheCounts c = b.build_and_compare();
    EXPECT_GT(c.recalled, 100);
    EXPECT_EQ(c.set, 0);
    EXPECT_NE(b.warnings().find("U+13000"), std::string::npos) << b.warnings();

    // A word of one article: that article's paragraph and no other's.
    replace_in(b.book() / "articles/welcome.md", "folio", "folio, the compiler,");
    c = b.build_and_compare();
    EXPECT_GT(c.recalled, 100);
    EXPECT_GT(c.set, 0);
    EXPECT_LT(c.set, 40);

    // The page: another trim size sets every paragraph again.
    std::string manifest = slurp(b.book() / "book.yaml");
    test::spit(b.book() / "book.yaml", manifest + "print:\n  trim: 5.5x8.5in\n");
    c = b.build_and_compare();
    EXPECT_GT(c.set, 100);

    // A picture of another shape, and the book's chapters in another order.
    test::spit(b.book() / "images/book-folder.png", test::one_pixel_png());
    manifest = slurp(b.book() / "book.yaml");
    const std::size_t dispatches = manifest.find("  - title: Dispatches");
    ASSERT_NE(dispatches, std::string::npos);
    const std::size_t end = manifest.find("print:");
    const std::string moved = manifest.substr(dispatches, end - dispatches);
    manifest.erase(dispatches, end - dispatches);
    manifest.insert(manifest.find("  - title: Getting started"), moved);
    test::spit(b.book() / "book.yaml", manifest);
    c = b.build_and_compare();
    EXPECT_GT(c.recalled, 100);
}

// Every sample and fixture book, each with what field-guide lacks (tables, notes,
// Cyrillic, pictures in every format, right-to-left text): the first build with
// the cache and the one after it, which sets nothing, give the clean build's bytes
// and warnings.
class CacheOnEveryBook : public testing::TestWithParam<std::string> {};

void expect_cache_gives_clean_builds(CachedBook& b) {
    const CacheCounts first = b.build_and_compare();
    EXPECT_GT(first.set, 0);
    const std::string warnings = b.warnings();
    const CacheCounts again = b.build_and_compare();
    EXPECT_EQ(again.set, 0);
    EXPECT_EQ(again.ignored, 0);
    EXPECT_EQ(again.recalled, first.recalled + first.set);
    // Every page of the three outputs came out as before: none is compressed again.
    EXPECT_GT(first.compressed_anew, 0);
    EXPECT_EQ(again.compressed_anew, 0);
    EXPECT_GE(again.compressed_recalled, first.compressed_anew);
    EXPECT_EQ(b.warnings(), warnings);
}

TEST_P(CacheOnEveryBook, GivesTheCleanBuildsBytesFirstAndFromTheCache) {
    CachedBook b(test::source_dir() / GetParam());
    expect_cache_gives_clean_builds(b);
}

// The same for books imported from sites laid out as Hugo, Jekyll, mdBook and a
// WordPress export lay them out.
TEST(Cache, GivesTheCleanBuildsBytesForBooksImportedFromEachKindOfSite) {
    const fs::path sites = test::source_dir() / "tests/fixtures/sources";
    for (const std::string site : {"hugo-blog", "jekyll-blog", "mdbook-book", "wordpress-export"}) {
        SCOPED_TRACE(site);
        std::vector<std::string> more;
        if (site == "wordpress-export") more = {"--author", "A. Writer", "--site", "A Site", "--license", "CC-BY-4.0"};
        CachedBook b(sites / site, more);
        expect_cache_gives_clean_builds(b);
    }
}

INSTANTIATE_TEST_SUITE_P(Books, CacheOnEveryBook,
                         testing::Values("books/balkan-academia", "tests/fixtures/books/loose-ends",
                                         "tests/fixtures/books/pictures", "tests/fixtures/books/print-images",
                                         "tests/fixtures/books/serbian-cyrillic", "tests/fixtures/books/tables",
                                         "tests/fixtures/books/twin-notes"),
                         [](const testing::TestParamInfo<std::string>& param) {
                             std::string name = fs::path(param.param).filename().string();
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

// An article's Markdown is parsed once and read back after, its warnings given
// again, until its text changes; one that includes another file (mdBook's
// {{#include}}) is parsed at every build, so that a change to that file shows.
TEST(Cache, AnArticlesSourceIsReadBackUntilItOrWhatItIncludesChanges) {
    CachedBook b(test::source_dir() / "tests/fixtures/sources/mdbook-book", {});
    const fs::path src = b.book() / "mdbook-book/src";
    // A parse that warns: raw HTML's script is dropped.
    test::spit(src / "chapter_2.md", slurp(src / "chapter_2.md") + "\n<script>alert(1)</script>\n");
    const CacheCounts first = b.build_and_compare();
    EXPECT_GT(first.sources_parsed, 5);
    EXPECT_EQ(first.sources_recalled, 0);
    EXPECT_NE(b.warnings().find("<script>"), std::string::npos) << b.warnings();
    const CacheCounts again = b.build_and_compare();  // the same warnings as a build without the cache
    EXPECT_EQ(again.sources_parsed, 0);
    EXPECT_EQ(again.sources_recalled, first.sources_parsed);  // all but the one that includes a file
    EXPECT_NE(b.warnings().find("<script>"), std::string::npos) << b.warnings();
    replace_in(src / "listings/example.rs", "fn main", "fn start");
    const CacheCounts included = b.build_and_compare();  // the listing as changed, as without the cache
    EXPECT_EQ(included.sources_parsed, 0);
    replace_in(src / "chapter_3.md", "# ", "# Edited: ");
    const CacheCounts edited = b.build_and_compare();
    EXPECT_EQ(edited.sources_parsed, 1);
    EXPECT_EQ(edited.sources_recalled, first.sources_parsed - 1);
}

TEST(Cache, DamagedFilesAreIgnoredAndWrittenAgain) {
    CachedBook b;
    const CacheCounts first = b.build_and_compare();
    // What the reading PDF alone keeps, set into a cache of its own.
    const test::RunResult reading_alone =
        test::run_folio({"build", "book", "-o", "reading", "--format", "pdf", "--quiet", "--stats", "json"}, b.dir());
    ASSERT_EQ(reading_alone.exit_code, 0) << reading_alone.err;
    const long reading_set = counts_of(reading_alone.out).set;
    ASSERT_GT(reading_set, 0);
    // One bit of one article's paragraphs in the print edition's shelf (found by its index).
    const auto index = cache::read_shelf_index(slurp(b.cache_file("print-", "-index")));
    ASSERT_TRUE(index && !index->empty());
    const cache::ShelfPlace at = index->front().second;
    const fs::path shelf = b.cache_file("print-", cache::shelf_file_name(at.shelf));
    std::string bytes = slurp(shelf);
    ASSERT_GE(bytes.size(), at.at + at.size);
    bytes[at.at + at.size / 2] ^= 0x10;
    test::spit(shelf, bytes);
    // The reading PDF's index cut short: none of its shelves can be found.
    const fs::path reading_index = b.cache_file("pdf-", "-index");
    bytes = slurp(reading_index);
    test::spit(reading_index, bytes.substr(0, bytes.size() / 3));
    // The pages' deflated bytes, one bit changed in each of their bins.
    long bins = 0;
    for (const fs::path& deflated : b.deflated_bins()) {
        bytes = slurp(deflated);
        bytes[bytes.size() / 2] ^= 0x01;
        test::spit(deflated, bytes);
        ++bins;
    }
    ASSERT_GT(bins, 1);
    const CacheCounts c = b.build_and_compare();
    EXPECT_EQ(c.ignored, 2 + bins);
    EXPECT_GT(c.set, reading_set) << "the reading PDF's paragraphs and articles, and an article's in print";
    EXPECT_EQ(c.compressed_anew, first.compressed_anew);  // every page compressed, as into an empty cache
    // Written again whole: the next build reads them all.
    const CacheCounts again = b.build_and_compare();
    EXPECT_EQ(again.ignored, 0);
    EXPECT_EQ(again.set, 0);
    EXPECT_EQ(again.compressed_anew, 0);
    // The damaged shelf stays, for the articles it still holds; none that no index
    // names is left.
    std::set<fs::path> named;
    for (const std::string setting : {"pdf-", "print-"}) {
        const auto places = cache::read_shelf_index(slurp(b.cache_file(setting, "-index")));
        ASSERT_TRUE(places);
        for (const auto& [group, place] : *places)
            named.insert(b.cache_file(setting, cache::shelf_file_name(place.shelf)));
    }
    const std::vector<fs::path> shelves = b.cache_files();
    EXPECT_EQ(std::set<fs::path>(shelves.begin(), shelves.end()), named);
    EXPECT_EQ(shelves.size(), 3u);
}

TEST(Cache, BuildsSharingACacheAtOnceEachWriteTheirBook) {
    CachedBook b;
    b.build_and_compare();
    replace_in(b.book() / "articles/markdown.md", "Markdown", "CommonMark");
    // Four builds at once into the same folder, reading and writing the same files.
    std::vector<std::thread> builds;
    std::vector<int> codes(4, -1);
    for (int i = 0; i < 4; ++i)
        builds.emplace_back([&, i] {
            codes[i] = test::run_folio({"build", "book", "-o", "out", "--format", "all", "--cache", "--quiet"}, b.dir())
                           .exit_code;
        });
    for (std::thread& t : builds) t.join();
    for (int code : codes) EXPECT_EQ(code, 0);
    const CacheCounts c = b.build_and_compare();
    EXPECT_EQ(c.ignored, 0);
    EXPECT_EQ(c.set, 0);
    // No temporary file is left behind.
    for (const auto& e : fs::directory_iterator(b.cache()))
        EXPECT_FALSE(e.path().filename().string().starts_with(".")) << e.path();
}

// An EPUB alone, without the print edition's page list, sets no paragraph: the
// cache keeps its compressed pages, and the folder is tagged all the same.
TEST(Cache, AnEpubAloneKeepsItsPagesAndTagsTheFolder) {
    CachedBook b;
    test::spit(b.book() / "book.yaml", "page_list: false\n" + slurp(b.book() / "book.yaml"));
    for (int build = 0; build < 2; ++build) {
        const test::RunResult r =
            test::run_folio({"build", "book", "-o", "out", "--format", "epub", "--cache", "--quiet"}, b.dir());
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const test::RunResult clean =
        test::run_folio({"build", "book", "-o", "clean", "--format", "epub", "--quiet", "--no-cache"}, b.dir());
    ASSERT_EQ(clean.exit_code, 0) << clean.err;
    EXPECT_TRUE(slurp(b.dir() / "out/book.epub") == slurp(b.dir() / "clean/book.epub"));
    EXPECT_TRUE(fs::exists(b.cache() / "CACHEDIR.TAG"));
    EXPECT_TRUE(b.cache_files().empty());
    EXPECT_FALSE(b.deflated_bins().empty());
}

// The cache is on unless --no-cache, which neither reads nor writes it; --cache,
// from before it was the default, is still taken.
TEST(Cache, IsOnUnlessNoCache) {
    CachedBook b;
    const auto build = [&](std::vector<std::string> more) {
        std::vector<std::string> args{"build", "book", "-o", "out", "--format", "all", "--quiet", "--stats", "json"};
        args.insert(args.end(), more.begin(), more.end());
        const test::RunResult r = test::run_folio(args, b.dir());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return counts_of(r.out);
    };
    const CacheCounts none = build({"--no-cache"});
    EXPECT_EQ(none.set, -1) << "no cache counts without the cache";
    EXPECT_FALSE(fs::exists(b.cache()));
    EXPECT_GT(build({}).set, 100);
    ASSERT_TRUE(fs::exists(b.cache()));
    const std::vector<fs::path> shelves = b.cache_files();
    EXPECT_EQ(build({}).set, 0);
    EXPECT_EQ(build({"--cache"}).set, 0);
    // An edit built without the cache leaves it as it was.
    replace_in(b.book() / "articles/welcome.md", "folio", "folio, the compiler,");
    build({"--no-cache"});
    EXPECT_EQ(b.cache_files(), shelves);
    const test::RunResult both = test::run_folio({"build", "book", "-o", "out", "--cache", "--no-cache"}, b.dir());
    EXPECT_NE(both.exit_code, 0);
    EXPECT_NE(both.err.find("--no-cache"), std::string::npos) << both.err;
}

TEST(Cache, CleanRemovesItAndOnlyIt) {
    CachedBook b;
    b.build_and_compare();
    ASSERT_TRUE(fs::exists(b.cache()));
    const test::RunResult r = test::run_folio({"clean", "-o", "out"}, b.dir());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(b.cache()));
    EXPECT_TRUE(fs::exists(b.dir() / "out/book.pdf"));
    EXPECT_EQ(test::run_folio({"clean", "-o", "out"}, b.dir()).exit_code, 0);  // none: nothing to do
}

}  // namespace
}  // namespace folio
