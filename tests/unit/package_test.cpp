#include "epub/package.hpp"
#include "book/load_book.hpp"
#include "cache/deflated.hpp"
#include "core/compress.hpp"
#include "core/error.hpp"
#include "epub/write_epub.hpp"
#include "edit_article.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <cstdlib>
#include <ctime>
#include <set>

#include <unistd.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

epub::PackageOptions test_options() {
    epub::PackageOptions o;
    o.modified = 1767225600;
    o.css = "p {}";
    o.generator = "folio test";
    return o;
}

// `consuming`: as a build does, releasing each article's text once its page is written.
std::vector<epub::Entry> package_of(const fs::path& dir, bool consuming = false) {
    Diagnostics d;
    doc::Book b = book::load_book(dir, d);
    return consuming ? epub::build_package_consuming(b, test_options()) : epub::build_package(b, test_options());
}

using test::all_books;

void collect(const tinyxml2::XMLElement* e, std::set<std::string>& ids, std::vector<std::string>& hrefs,
             std::vector<std::string>& duplicates) {
    for (; e; e = e->NextSiblingElement()) {
        if (const char* id = e->Attribute("id"))
            if (!ids.insert(id).second) duplicates.push_back(id);
        if (const char* href = e->Attribute("href")) hrefs.push_back(href);
        if (const char* src = e->Attribute("src")) hrefs.push_back(src);
        collect(e->FirstChildElement(), ids, hrefs, duplicates);
    }
}

// The entries' dates are the UTC calendar's, whatever zone the process runs in
// (libzip's zip_file_set_mtime would convert through localtime()).
TEST(Package, ZipDatesDoNotDependOnTheTimeZone) {
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    std::vector<std::string> archives;
    for (const char* zone : {"UTC", "Asia/Tokyo", "America/New_York"}) {
        ::setenv("TZ", zone, 1);
        ::tzset();
        archives.push_back(epub::zip_package({{"mimetype", "application/epub+zip", epub::Compression::Store}}, 1700000000));
    }
    if (old) ::setenv("TZ", saved.c_str(), 1); else ::unsetenv("TZ");
    ::tzset();
    EXPECT_EQ(archives[0], archives[1]);
    EXPECT_EQ(archives[0], archives[2]);
    // The local file header's time and date: 2023-11-14 22:13:20.
    const auto u16 = [&](std::size_t at) {
        return static_cast<unsigned>(static_cast<unsigned char>(archives[0][at]) |
                                     (static_cast<unsigned char>(archives[0][at + 1]) << 8));
    };
    EXPECT_EQ(u16(10), (22u << 11) | (13u << 5) | 10u);
    EXPECT_EQ(u16(12), ((2023u - 1980u) << 9) | (11u << 5) | 14u);
}

TEST(Package, MimetypeComesFirstAndStored) {
    for (const fs::path& book : all_books()) {
        const auto entries = package_of(book);
        ASSERT_FALSE(entries.empty());
        EXPECT_EQ(entries[0].path, "mimetype") << book;
        EXPECT_EQ(entries[0].bytes, "application/epub+zip");
        EXPECT_EQ(entries[0].compression, epub::Compression::Store);
    }
}

// Every id is unique across the whole book, and every internal link lands on a
// file of the package and an id in it.
TEST(Package, IdsAreUniqueAcrossTheBookAndLinksResolve) {
    for (const fs::path& book : all_books()) {
        const auto entries = package_of(book);
        std::map<std::string, std::set<std::string>> ids_in;  // file -> ids
        std::set<std::string> all_ids;
        std::vector<std::pair<std::string, std::string>> links;  // from file, href
        for (const auto& e : entries) {
            if (e.path.size() < 6 || e.path.substr(e.path.size() - 6) != ".xhtml") continue;
            tinyxml2::XMLDocument doc;
            ASSERT_EQ(doc.Parse(e.bytes.c_str(), e.bytes.size()), tinyxml2::XML_SUCCESS) << e.path;
            std::set<std::string> ids;
            std::vector<std::string> hrefs, dups;
            collect(doc.RootElement(), ids, hrefs, dups);
            EXPECT_TRUE(dups.empty()) << e.path << " repeats id " << (dups.empty() ? "" : dups[0]);
            for (const auto& id : ids) EXPECT_TRUE(all_ids.insert(id).second) << "id " << id << " used twice in " << book;
            ids_in[e.path] = ids;
            for (auto& h : hrefs) links.emplace_back(e.path, h);
        }
        for (const auto& [from, href] : links) {
            if (href.rfind("http", 0) == 0 || href.rfind("mailto:", 0) == 0) continue;
            const std::size_t hash = href.find('#');
            const std::string file_part = href.substr(0, hash);
            const fs::path target =
                file_part.empty() ? fs::path(from) : (fs::path(from).parent_path() / file_part).lexically_normal();
            const bool exists = std::any_of(entries.begin(), entries.end(),
                                            [&](const epub::Entry& e) { return e.path == target.generic_string(); });
            EXPECT_TRUE(exists) << from << " links to missing " << href;
            if (hash != std::string::npos) {
                EXPECT_TRUE(ids_in[target.generic_string()].count(href.substr(hash + 1)))
                    << from << " links to missing fragment " << href;
            }
        }
    }
}

TEST(Package, SameBookSameBytes) {
    const fs::path book = test::source_dir() / "books/field-guide";
    const auto a = epub::zip_package(package_of(book), 1767225600);
    const auto b = epub::zip_package(package_of(book), 1767225600);
    EXPECT_EQ(a, b);
}

// Entries deflated in parallel and handed to libzip as they are must read back,
// CRC-checked, as the bytes that went in; stored entries stay stored.
TEST(Zip, RoundTripsEveryEntry) {
    std::vector<epub::Entry> entries{{"mimetype", "application/epub+zip", epub::Compression::Store},
                                     {"a.txt", std::string(100000, 'a') + "end", epub::Compression::Deflate},
                                     {"empty.txt", "", epub::Compression::Deflate},
                                     {"b/č.xhtml", "<p>ž</p>", epub::Compression::Deflate}};
    test::ScratchDir dir;
    test::spit(dir / "x.epub", epub::zip_package(entries, 1767225600));
    const auto zip = test::read_zip(dir / "x.epub");
    ASSERT_EQ(zip.names.size(), entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        EXPECT_EQ(zip.names[i], entries[i].path);
        EXPECT_EQ(zip.bytes.at(entries[i].path), entries[i].bytes) << entries[i].path;
    }
    EXPECT_LT(test::slurp(dir / "x.epub").size(), 2000u);  // the 100 kB of 'a' were compressed
}

TEST(Package, FootnotesAreAsidesWithBackLinks) {
    const auto entries = package_of(test::source_dir() / "tests/fixtures/books/twin-notes");
    const auto it = std::find_if(entries.begin(), entries.end(),
                                 [](const epub::Entry& e) { return e.path == "EPUB/text/a02.xhtml"; });
    ASSERT_NE(it, entries.end());
    EXPECT_NE(it->bytes.find("<aside id=\"a02-fn1\" epub:type=\"footnote\" role=\"doc-footnote\">"), std::string::npos);
    EXPECT_NE(it->bytes.find("href=\"#a02-fnref1\" role=\"doc-backlink\""), std::string::npos);
    EXPECT_NE(it->bytes.find("<p>And a second paragraph.</p>"), std::string::npos);
    EXPECT_NE(it->bytes.find("xml:lang=\"en-GB\" lang=\"en-GB\""), std::string::npos);
}

// Ace (axe's empty-table-header): a blank header cell heads no column, so it is a
// <td>; a header cell with text stays a <th scope="col">.
TEST(Package, BlankHeaderCellsAreDataCells) {
    const fs::path dir = fs::temp_directory_path() / ("folio-blank-header-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md]\n");
    test::spit(dir / "a.md", "---\ntitle: A\n---\n|   |   |\n|---|---|\n| a | b |\n\n|   | Total |\n|---|---|\n| x | 1 |\n");
    const auto entries = package_of(dir);
    fs::remove_all(dir);
    const auto it = std::find_if(entries.begin(), entries.end(),
                                 [](const epub::Entry& e) { return e.path == "EPUB/text/a01.xhtml"; });
    ASSERT_NE(it, entries.end());
    EXPECT_EQ(it->bytes.find("<th/>"), std::string::npos);
    EXPECT_EQ(it->bytes.find("<th scope=\"col\"/>"), std::string::npos);
    EXPECT_NE(it->bytes.find("<thead><tr><td/><td/></tr>"), std::string::npos) << it->bytes;
    EXPECT_NE(it->bytes.find("<tr><td/><th scope=\"col\">Total</th></tr>"), std::string::npos) << it->bytes;
}

// The OPF of a one-article book whose article is `markdown` and whose book.yaml
// ends with `extra`.
std::string opf_of(const std::string& markdown, const std::string& extra = "", bool consuming = false) {
    const fs::path dir = fs::temp_directory_path() / ("folio-conformance-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md]\n" + extra);
    test::spit(dir / "a.md", "---\ntitle: A\n---\n" + markdown);
    test::spit(dir / "p.png", test::one_pixel_png());
    const auto entries = package_of(dir, consuming);
    fs::remove_all(dir);
    for (const epub::Entry& e : entries)
        if (e.path == "EPUB/package.opf") return e.bytes;
    return "";
}

constexpr const char* kConformsTo =
    "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>";

// EPUB Accessibility 1.1's claim is made when every image is described and every
// table has headers, with the publisher's certifier when book.yaml names one; the
// summary says what holds.
TEST(Package, ConformanceIsClaimedOnlyWhereItHolds) {
    const std::string good = opf_of("![a red square](p.png)\n\n| Year | Total |\n|---|---|\n| 2020 | 1 |\n",
                                    "certified_by: Balkan Academia Press\n");
    EXPECT_NE(good.find(kConformsTo), std::string::npos) << good;
    EXPECT_NE(good.find("<meta property=\"a11y:certifiedBy\">Balkan Academia Press</meta>"), std::string::npos);
    EXPECT_NE(good.find("Every image has a text description. Every table has header cells. It meets EPUB "
                        "Accessibility 1.1 at WCAG 2.1 Level AA."),
              std::string::npos)
        << good;

    const std::string undescribed = opf_of("![](p.png)\n", "certified_by: Balkan Academia Press\n");
    EXPECT_EQ(undescribed.find(kConformsTo), std::string::npos);
    EXPECT_EQ(undescribed.find("a11y:certifiedBy"), std::string::npos);
    EXPECT_NE(undescribed.find("Some images have no text description. For that reason it does not claim"),
              std::string::npos)
        << undescribed;

    const std::string headless = opf_of("|   |   |\n|---|---|\n| a | b |\n");
    EXPECT_EQ(headless.find(kConformsTo), std::string::npos);
    EXPECT_NE(headless.find("Some tables have no header cells."), std::string::npos) << headless;

    const std::string plain = opf_of("Words only.\n");
    EXPECT_NE(plain.find(kConformsTo), std::string::npos);
    EXPECT_EQ(plain.find("a11y:certifiedBy"), std::string::npos);

    // What the metadata says of the text is read before a build releases it.
    for (const std::string markdown : {"![](p.png)\n", "|   |   |\n|---|---|\n| a | b |\n", "![a red square](p.png)\n"})
        EXPECT_EQ(opf_of(markdown, "", /*consuming=*/true), opf_of(markdown)) << markdown;
}

// An entry deflated ahead of the zip is held till the zip is written, a page's
// stream till the PDF is: each keeps what it needs, not the bound it was
// compressed into (as large as its input), and inflates back to its input.
TEST(Compress, ADeflatedBufferHoldsNoMoreThanItsBytes) {
    std::string text;
    for (int i = 0; text.size() < (1u << 20); ++i) text += "the page " + std::to_string(i % 97) + " of a book\n";
    for (const std::string& out : {compress::deflate_raw(text, 6), compress::zlib(text, 1)}) {
        EXPECT_LT(out.size(), text.size() / 10);
        EXPECT_LT(out.capacity(), out.size() + 4096);
    }
    EXPECT_TRUE(compress::inflate_raw(compress::deflate_raw(text, 6), text.size()) == text);
    EXPECT_THROW(compress::inflate_raw(compress::deflate_raw(text, 6), text.size() - 1), Error);
    EXPECT_THROW(compress::inflate_raw("not deflate at all", 10), Error);
}

// A build releases each article's text once its page is written, and deflates the
// page then (a long book's peak memory): the entries are the same, byte for byte
// once inflated, and so is the zip, in every book; the text is gone afterwards,
// and the titles and credits the PDF writer needs stay.
TEST(Package, ReleasingTheTextAsItGoesGivesTheSameEntries) {
    for (const fs::path& dir : all_books()) {
        SCOPED_TRACE(dir.string());
        Diagnostics d;
        doc::Book kept = book::load_book(dir, d);
        doc::Book released = book::load_book(dir, d);
        const auto a = epub::build_package(kept, test_options());
        const auto b = epub::build_package_consuming(released, test_options());
        ASSERT_EQ(a.size(), b.size());
        int deflated = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i].path, b[i].path);
            EXPECT_FALSE(a[i].deflated) << a[i].path;
            std::string inflated = b[i].bytes;
            if (b[i].deflated) {
                ++deflated;
                EXPECT_EQ(b[i].deflated->size, a[i].bytes.size()) << a[i].path;
                inflated = compress::inflate_raw(b[i].bytes, b[i].deflated->size);
                EXPECT_EQ(b[i].deflated->crc, compress::crc32(inflated)) << a[i].path;
            }
            EXPECT_TRUE(a[i].bytes == inflated) << a[i].path;
            EXPECT_EQ(a[i].compression, b[i].compression) << a[i].path;
        }
        int articles = 0;
        kept.for_each_article([&](const doc::Chapter&, const doc::Article&) { ++articles; });
        EXPECT_EQ(deflated, articles);  // each article's page, and nothing else
        EXPECT_TRUE(epub::zip_package(a, 1767225600) == epub::zip_package(b, 1767225600));
        released.for_each_article([&](const doc::Chapter&, const doc::Article& article) {
            EXPECT_TRUE(article.body.empty() && article.notes.empty()) << article.path;
        });
        kept.for_each_article([&](const doc::Chapter&, const doc::Article& article) {
            const doc::Article* other = nullptr;
            released.for_each_article([&](const doc::Chapter&, const doc::Article& r) {
                if (r.id == article.id) other = &r;
            });
            ASSERT_NE(other, nullptr) << article.path;
            EXPECT_EQ(other->title, article.title);
            EXPECT_EQ(other->credit.statement(), article.credit.statement());
        });
    }
}

// Through a memo (PackageOptions::deflated), each article's page is kept under what
// it shows: built again unchanged, every article's page comes back from the memo,
// neither written nor deflated, and the package is the one built without a memo;
// a change that a page shows (a word of one article, the book's labels) writes
// those pages again, and only those.
TEST(Package, AnArticlesPageComesBackFromTheMemoAsItWasWritten) {
    for (const fs::path& dir : all_books()) {
        SCOPED_TRACE(dir.string());
        Diagnostics d;
        doc::Book book = book::load_book(dir, d);
        long articles = 0;
        book.for_each_article([&](const doc::Chapter&, const doc::Article&) { ++articles; });
        cache::DeflatedStore memo;
        epub::PackageOptions with_memo = test_options();
        with_memo.deflated = &memo;
        const auto zipped = [&](const epub::PackageOptions& o) {
            return epub::zip_package(epub::build_package(book, o), 1767225600);
        };
        const auto built_again = [&] {
            memo.end_build();
            const std::string with = zipped(with_memo);
            EXPECT_TRUE(with == zipped(test_options())) << "the bytes of a build without the memo";
            return memo.take_counts();
        };
        cache::DeflatedStore::Counts c = built_again();
        EXPECT_EQ(c.deflated, articles);
        EXPECT_EQ(c.reused, 0);
        c = built_again();
        EXPECT_EQ(c.deflated, 0);
        EXPECT_EQ(c.reused, articles);

        // A word of the first article's text: its page alone is written again.
        ASSERT_TRUE(test::add_to_first_article(book, " changed"));
        c = built_again();
        EXPECT_EQ(c.deflated, 1);
        EXPECT_EQ(c.reused, articles - 1);

        // The book's own words show on every article's page (its notes' name).
        book.labels.notes = "Endnotes";
        c = built_again();
        EXPECT_EQ(c.deflated, articles);
    }
}

}  // namespace
}  // namespace folio
