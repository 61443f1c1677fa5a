// `folio new --from`'s reading of each kind of source (src/sources/site.hpp): which
// kind a folder is, its settings, and its articles. The four fixture collections
// are built end to end in tests/validate/sources_test.cpp; these are the shapes
// without a fixture of their own.
#include "book/load_book.hpp"
#include "core/error.hpp"
#include "sources/new_from.hpp"
#include "sources/site.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

TEST(Sources, ZolaSite) {
    test::ScratchDir dir;
    test::spit(dir / "config.toml", "base_url = \"https://zola.example\"\ntitle = \"Z\"\ndefault_language = \"hr\"\n"
                                    "[extra]\nauthor = \"Ana\"\n");
    test::spit(dir / "content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n");
    test::spit(dir / "content/blog/one.md", "+++\ntitle = \"One\"\n+++\nText.\n");
    test::spit(dir / "static/x.png", "");
    const sources::Site site = sources::read_site(dir.path());
    EXPECT_EQ(site.kind, sources::Kind::Zola);
    EXPECT_EQ(site.base_url, "https://zola.example/");
    EXPECT_EQ(site.language, "hr");
    EXPECT_EQ(site.authors, (std::vector<std::string>{"Ana"}));
    EXPECT_EQ(site.posts, (std::vector<std::string>{"content/blog/one.md"}));
    EXPECT_EQ(site.static_folders, (std::vector<std::string>{"static"}));
}

TEST(Sources, EleventySiteWithItsMetadata) {
    test::ScratchDir dir;
    test::spit(dir / "eleventy.config.js", "export default function(c) {}\n");
    test::spit(dir / "_data/metadata.json",
               "{\"title\": \"E\", \"url\": \"https://e.example/\", \"language\": \"en\", \"author\": {\"name\": \"Ivo\"}}\n");
    test::spit(dir / "content/blog/first/index.md", "---\ntitle: First\n---\nText.\n");
    test::spit(dir / "README.md", "# About this repository\n");
    test::spit(dir / "node_modules/pkg/README.md", "# not an article\n");
    const sources::Site site = sources::read_site(dir.path());
    EXPECT_EQ(site.kind, sources::Kind::Eleventy);
    EXPECT_EQ(site.title, "E");
    EXPECT_EQ(site.authors, (std::vector<std::string>{"Ivo"}));
    EXPECT_EQ(site.posts, (std::vector<std::string>{"content/blog/first/index.md"}));
}

TEST(Sources, PelicanSiteAndItsMetadataLines) {
    test::ScratchDir dir;
    test::spit(dir / "pelicanconf.py", "AUTHOR = 'Alexis'\nSITENAME = \"Pelican Notes\"\nSITEURL = ''\nPATH = 'content'\n"
                                       "DEFAULT_LANG = 'fr'\n");
    test::spit(dir / "content/a.md", "Title: A\nDate: 2010-12-03 10:20\n\nText.\n");
    test::spit(dir / "content/b.md", "Title: B\nDate: 2011-01-01\nStatus: draft\n\nText.\n");
    const sources::Site site = sources::read_site(dir.path());
    EXPECT_EQ(site.kind, sources::Kind::Pelican);
    EXPECT_EQ(site.title, "Pelican Notes");
    EXPECT_EQ(site.language, "fr");
    const auto report = sources::new_book_from(dir.path(), dir.path(), {});
    EXPECT_EQ(report.articles, 1u);
    EXPECT_EQ(report.drafts, (std::vector<std::string>{"content/b.md"}));
    const std::string manifest = test::slurp(dir / "book.yaml");
    EXPECT_NE(manifest.find("generator: pelican\n"), std::string::npos) << manifest;
    EXPECT_NE(manifest.find("      - \"content/a.md\"\n"), std::string::npos) << manifest;
    // The book it wrote builds.
    const auto r = test::run_folio({"build", dir.path().string(), "-o", (dir / "out").string(), "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Sources, MdBookWithoutPartsMakesAChapterOfEachChapterWithSections) {
    test::ScratchDir dir;
    test::spit(dir / "book.toml", "[book]\ntitle = \"M\"\nauthors = [\"Ana\"]\n");
    test::spit(dir / "src/SUMMARY.md", "# Summary\n\n[Intro](intro.md)\n\n- [One](one.md)\n  - [One.a](one/a.md)\n"
                                       "- [Two](two.md)\n- [Three](three.md)\n    - [Three.a](three/a.md)\n"
                                       "- [Draft]()\n\n---\n\n[End](end.md)\n");
    const sources::Site site = sources::read_site(dir.path());
    ASSERT_EQ(site.sections.size(), 5u);
    EXPECT_EQ(site.sections[0].title, "");
    EXPECT_EQ(site.sections[0].entries.at(0).path, "src/intro.md");
    EXPECT_EQ(site.sections[1].title, "One");
    EXPECT_EQ(site.sections[1].entries.size(), 2u);
    EXPECT_EQ(site.sections[2].title, "");  // a chapter without sections stands in an untitled group
    EXPECT_EQ(site.sections[2].entries.at(0).title, "Two");
    EXPECT_EQ(site.sections[3].title, "Three");
    EXPECT_EQ(site.sections[4].entries.at(0).path, "src/end.md");
    EXPECT_EQ(site.left_out, (std::vector<std::string>{"draft chapter 'Draft' (no file in SUMMARY.md)"}));
}

TEST(Sources, AnExistingManifestIsNeverReplaced) {
    test::ScratchDir dir;
    test::spit(dir / "posts/a.md", "# A\n\nText.\n");
    test::spit(dir / "book.yaml", "title: mine\n");
    EXPECT_THROW(sources::new_book_from(dir.path(), dir.path(), {}), Error);
    EXPECT_EQ(test::slurp(dir / "book.yaml"), "title: mine\n");
}

// Posts that name no author get a manifest whose `defaults:` holds only comments:
// its first build asks for the credits, and reads every other key of it.
TEST(Sources, AManifestWithoutCreditsAsksForThemAndNothingElse) {
    test::ScratchDir source, book;
    test::spit(source / "one.md", "---\ntitle: One\n---\nText.\n");
    test::spit(source / "two.md", "---\ntitle: Two\n---\nMore text.\n");
    fs::remove(book.path());
    sources::new_book_from(book.path(), source.path(), {});
    Diagnostics d;
    EXPECT_THROW(book::load_book(book.path(), d), ErrorsReported);
    EXPECT_TRUE(d.warnings().empty()) << d.warnings().front().format();
    ASSERT_EQ(d.errors().size(), 2u);
    for (const Diagnostic& e : d.errors()) EXPECT_EQ(e.message, "article has no credit") << e.format();
}

}  // namespace
}  // namespace folio
