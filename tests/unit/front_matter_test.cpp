// Front matter as authors' tools write it (issue: real collections build as they
// are): YAML and TOML through one located reader, dates with times and zones, the
// keys other tools use, drafts, titles from headings of any level, and headings
// renumbered so that none skips a level.
#include "book/front_matter.hpp"
#include "book/load_book.hpp"
#include "config/reader.hpp"
#include "core/text.hpp"
#include "support/support.hpp"

#include <functional>

#include <gtest/gtest.h>

namespace folio {
namespace {

// ---- dates ---------------------------------------------------------------------------

TEST(Timestamps, TheFormsAuthorsToolsWrite) {
    struct Case {
        const char* text;
        text::Date date;
        const char* instant;
    };
    for (const Case& c : std::vector<Case>{
             {"2020-11-10", {2020, 11, 10}, "2020-11-10T00:00:00Z"},
             {"2024-4-9", {2024, 4, 9}, "2024-04-09T00:00:00Z"},
             {"2020-11-10T12:00:00Z", {2020, 11, 10}, "2020-11-10T12:00:00Z"},
             {"2021-03-04T10:20:30+01:00", {2021, 3, 4}, "2021-03-04T09:20:30Z"},
             {"2019-05-06 07:08:09 +0200", {2019, 5, 6}, "2019-05-06T05:08:09Z"},
             {"2020-01-15T09:30:00.000Z", {2020, 1, 15}, "2020-01-15T09:30:00Z"},
             // The calendar date is the one written, in its own zone; the instant orders.
             {"2021-03-04T23:30:00-05:00", {2021, 3, 4}, "2021-03-05T04:30:00Z"},
             {"2019/05/06", {2019, 5, 6}, "2019-05-06T00:00:00Z"},
             {"May 3, 2019", {2019, 5, 3}, "2019-05-03T00:00:00Z"},
             {"3 Sept 2019", {2019, 9, 3}, "2019-09-03T00:00:00Z"},
             {"25/12/2019", {2019, 12, 25}, "2019-12-25T00:00:00Z"},
             {"2020-11-10 12:00:00 -0500 EST", {2020, 11, 10}, "2020-11-10T17:00:00Z"},
         }) {
        SCOPED_TRACE(c.text);
        const auto t = text::parse_timestamp(c.text);
        ASSERT_TRUE(t.has_value());
        EXPECT_EQ(t->date, c.date);
        EXPECT_EQ(text::iso_timestamp(t->instant), c.instant);
    }
}

TEST(Timestamps, AmbiguousOrImpossibleDatesAreRefusedWithTheReason) {
    std::string why;
    EXPECT_FALSE(text::parse_timestamp("05/06/2019", &why));
    EXPECT_EQ(why, "ambiguous: 05/06/2019 is day 5 of month 6 or day 6 of month 5");
    EXPECT_FALSE(text::parse_timestamp("2019-02-29", &why));
    EXPECT_EQ(why, "no such day");
    EXPECT_FALSE(text::parse_timestamp("2019-05-06T25:00", &why));
    EXPECT_FALSE(text::parse_timestamp("yesterday", &why));
    EXPECT_FALSE(text::parse_timestamp("2019-05-06 lunchtime", &why));
    EXPECT_TRUE(text::parse_timestamp("06/06/2019"));  // both readings are the same day
}

// ---- the located reader --------------------------------------------------------------

TEST(Config, YamlAndTomlGiveTheSameLocatedTree) {
    const auto yaml = config::parse(config::Syntax::Yaml, "a.md", "title: \"Hi\"\ntags: [a, b]\nn: 3\n", 2);
    const auto toml = config::parse(config::Syntax::Toml, "b.md", "title = \"Hi\"\ntags = [\"a\", \"b\"]\nn = 3\n", 2);
    for (const auto* t : {yaml.get(), toml.get()}) {
        ASSERT_TRUE(t->is_mapping());
        EXPECT_EQ(config::string(*t, "title"), "Hi");
        EXPECT_EQ(config::string_list(*t, "tags"), (std::vector<std::string>{"a", "b"}));
        EXPECT_EQ(t->find("n")->text, "3");
        EXPECT_EQ(t->find_key("tags")->where.line, 3);  // the text starts at line 2
        EXPECT_EQ(t->find_key("tags")->where.column, 1);
    }
    EXPECT_EQ(yaml->find("title")->type, config::Node::Type::String);
    EXPECT_EQ(yaml->find("tags")->items[0]->type, config::Node::Type::Plain);
    EXPECT_EQ(toml->find("n")->type, config::Node::Type::Integer);
}

TEST(Config, TomlDatesAreWrittenOutInIso8601) {
    const auto t = config::parse(config::Syntax::Toml, "a.md",
                                 "date = 2020-11-10T12:00:00Z\nlastmod = 2021-03-04T10:20:30+01:00\nday = 2024-04-09\n", 2);
    EXPECT_EQ(t->find("date")->text, "2020-11-10T12:00:00Z");
    EXPECT_EQ(t->find("lastmod")->text, "2021-03-04T10:20:30+01:00");
    EXPECT_EQ(t->find("day")->text, "2024-04-09");
    EXPECT_EQ(config::timestamp(*t, "lastmod")->date, (text::Date{2021, 3, 4}));
}

TEST(Config, ErrorsAreLocatedInBothSyntaxes) {
    try {
        config::parse(config::Syntax::Toml, "a.md", "title = \"Hi\"\ndate = 2020-13-45\n", 2);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.where().line, 3);  // toml++ marks where it noticed, in the value
        EXPECT_NE(e.message().find("TOML syntax error"), std::string::npos) << e.message();
    }
    try {
        config::parse(config::Syntax::Yaml, "book.yaml", "size: 10pt\nleading: 12pt\nsize: 11pt\n", 1);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.format(), "book.yaml:3:1: error: 'size' is given twice\nhint: first at book.yaml:1:1; keep one of them");
    }
}

TEST(Config, UnknownKeysGetTheNearestKnownOne) {
    constexpr std::string_view known[] = {"size", "leading", "note_size", "fonts"};
    EXPECT_EQ(config::did_you_mean("leadng", known), "leading");
    EXPECT_EQ(config::did_you_mean("Leading", known), "leading");
    EXPECT_EQ(config::did_you_mean("note-size", known), "note_size");
    EXPECT_EQ(config::did_you_mean("colour", known), std::nullopt);
    EXPECT_EQ(config::did_you_mean("sz", known), std::nullopt);  // too far from "size" for so short a key
}

TEST(Config, AnAliasIsSharedNotCopied) {
    const auto t = config::parse(config::Syntax::Yaml, "a.yaml", "a: &x [1, 2]\nb: *x\n", 1);
    EXPECT_EQ(t->find("a"), t->find("b"));
}

// A key with no value (or only comments under it, as `folio new --from` writes
// `defaults:` when the sources name no author) is empty, and the key after it is
// still a key: yaml-cpp places the empty value at that next key.
TEST(Config, AnEmptyValueLeavesTheNextKeyAlone) {
    for (const std::string text : {"defaults:\nchapters: [a]\n", "defaults:\n  # author: \"x\"\nchapters: [a]\n",
                                   "a:\nb:\nc: 1\n", "list: [x, y]\nempty:\nlast: &z 2\nagain: *z\n"}) {
        const auto t = config::parse(config::Syntax::Yaml, "book.yaml", text, 1);
        ASSERT_TRUE(t->is_mapping()) << text;
        for (const auto& [k, v] : t->entries) EXPECT_TRUE(k->is_scalar()) << text;
    }
    const auto t = config::parse(config::Syntax::Yaml, "book.yaml", "defaults:\nchapters: [a]\n", 1);
    ASSERT_NE(t->find("defaults"), nullptr);
    EXPECT_TRUE(t->find("defaults")->is_null());
    ASSERT_NE(t->find("chapters"), nullptr);
    EXPECT_EQ(t->find("chapters")->items.size(), 1u);
    EXPECT_EQ(t->find("chapters")->where.line, 2);
}

// ---- front matter in books -----------------------------------------------------------

struct ScratchBook {
    test::ScratchDir dir;
    Diagnostics diagnostics;

    explicit ScratchBook(const std::string& manifest_extra = "") {
        test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\n" + manifest_extra +
                                          "chapters:\n  - title: Posts\n    articles: posts/*.md\n");
    }
    void article(const std::string& name, const std::string& text) { test::spit(dir / ("posts/" + name), text); }
    doc::Book load() { return book::load_book(dir.path(), diagnostics); }
    std::vector<std::string> messages() const {
        std::vector<std::string> out;
        for (const auto& w : diagnostics.warnings()) out.push_back(w.message);
        return out;
    }
};

TEST(FrontMatter, HugoTomlAndJekyllYamlPostsSortByTheirInstant) {
    ScratchBook b("base_url: https://blog.example/\n");
    b.article("late.md", "+++\ntitle = \"Late\"\ndate = 2021-03-04T23:30:00-05:00\ntags = [\"x\"]\n+++\nText.\n");
    b.article("early.md", "---\ntitle: Early\ndate: 2021-03-05 01:00:00 +0200\nlayout: post\n---\nText.\n");
    b.article("first.md", "+++\ntitle = \"First\"\ndate = 2020-11-10T12:00:00Z\nweight = 3\n+++\nText.\n");
    const doc::Book book = b.load();
    const auto& posts = book.chapters.at(0).articles;
    ASSERT_EQ(posts.size(), 3u);
    EXPECT_EQ(posts[0].title, "First");
    // 2021-03-04 23:30 at -05:00 is later than 2021-03-05 01:00 at +02:00.
    EXPECT_EQ(posts[1].title, "Early");
    EXPECT_EQ(posts[2].title, "Late");
    EXPECT_EQ(posts[2].date, (text::Date{2021, 3, 4}));  // the date as written, in its zone
    EXPECT_TRUE(b.messages().empty()) << b.messages().front();
}

TEST(FrontMatter, OtherToolsKeysAreMapped) {
    ScratchBook b("base_url: https://blog.example/\n");
    b.article("a.md",
              "---\ntitle: A\nauthors: [Ana Petrović, Marko Ilić]\ndescription: Short.\nlicence: CC BY 4.0\n"
              "canonicalURL: https://elsewhere.example/a/\nlastmod: 2021-02-03\n---\nText.\n");
    b.article("b.md", "---\ntitle: B\nauthor: {name: Jelena Marić, url: https://j.example}\nexcerpt: Ex.\n"
                      "permalink: /2019/05/06/b/\nupdated: 2020-01-02T10:00:00Z\nby: ignored-second\n---\nText.\n");
    b.article("c.md", "---\ntitle: C\nby: Solo Writer\nauthor:\n  - name: Also Ignored\nurl: /c/\n---\nText.\n");
    const doc::Book book = b.load();
    const auto& a = book.chapters.at(0).articles;
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[0].authors, (std::vector<std::string>{"Ana Petrović", "Marko Ilić"}));
    EXPECT_EQ(a[0].summary, "Short.");
    EXPECT_EQ(a[0].credit.license, "CC BY 4.0");
    EXPECT_EQ(a[0].credit.source, "https://elsewhere.example/a/");
    EXPECT_EQ(a[0].modified, (text::Date{2021, 2, 3}));
    EXPECT_EQ(a[1].authors, (std::vector<std::string>{"Jelena Marić"}));
    EXPECT_EQ(a[1].summary, "Ex.");
    EXPECT_EQ(a[1].credit.source, "https://blog.example/2019/05/06/b/");  // made absolute against the site
    EXPECT_EQ(a[1].modified, (text::Date{2020, 1, 2}));
    EXPECT_EQ(a[2].authors, (std::vector<std::string>{"Solo Writer"}));  // the first name given wins
    EXPECT_EQ(a[2].credit.source, "https://blog.example/c/");
    EXPECT_TRUE(b.messages().empty()) << b.messages().front();
}

TEST(FrontMatter, DraftsAreLeftOutWithANoteNotAWarning) {
    ScratchBook b;
    b.article("a.md", "---\ntitle: A\n---\nText.\n");
    b.article("b.md", "+++\ntitle = \"B\"\ndraft = true\n+++\nText.\n");
    b.article("c.md", "---\ntitle: C\npublished: false\n---\nText.\n");
    b.article("d.md", "---\ntitle: D\nstatus: draft\n---\nText.\n");
    const doc::Book book = b.load();
    ASSERT_EQ(book.chapters.at(0).articles.size(), 1u);
    EXPECT_EQ(book.chapters[0].articles[0].title, "A");
    EXPECT_EQ(b.diagnostics.warning_count(), 0u);
    const auto notes = b.diagnostics.warnings();
    ASSERT_EQ(notes.size(), 3u);
    EXPECT_EQ(notes[0].severity, Severity::Note);
    EXPECT_EQ(notes[0].message, "left out: a draft");
    EXPECT_NE(notes[0].where.file.find("posts/b.md"), std::string::npos);
}

TEST(FrontMatter, SiteGeneratorKeysAreSilentAndUnknownOnesReportedOncePerBook) {
    ScratchBook b;
    for (const char* name : {"a.md", "b.md", "c.md"})
        b.article(name, std::string("---\ntitle: ") + name + "\ntags: [x]\ncategories: [y]\nlayout: post\nslug: s\n"
                        "aliases: [/old/]\nweight: 2\ntoc: true\ntype: post\nmenu: main\nsumary: typo\n---\nText.\n");
    b.load();
    const auto warnings = b.diagnostics.warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].message, "unknown key 'sumary' in front matter (in 3 articles)");
    EXPECT_NE(warnings[0].hint.find("did you mean 'summary'?"), std::string::npos) << warnings[0].hint;
    EXPECT_NE(warnings[0].where.file.find("posts/a.md"), std::string::npos);
    EXPECT_EQ(warnings[0].where.line, 12);
}

TEST(FrontMatter, TitlesFromAHeadingOfAnyLevelOrFromTheManifestEntry) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml",
               "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles:\n      - src/one.md\n"
               "      - {file: src/two.md, title: The Second}\n      - {file: src/three.md, title: Not Used}\n");
    test::spit(dir / "src/one.md", "## Opening of a sub-chapter\n\nText.\n\n#### Deeper\n\nMore.\n");
    test::spit(dir / "src/two.md", "Text with no heading.\n\n## A section\n");
    test::spit(dir / "src/three.md", "# Its own title\n\nText.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const auto& a = book.chapters.at(0).articles;
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[0].title, "Opening of a sub-chapter");
    EXPECT_EQ(std::get<doc::Heading>(a[0].body.at(1).value).level, 2);  // #### under the title: a section
    EXPECT_EQ(a[1].title, "The Second");
    EXPECT_EQ(a[2].title, "Its own title");  // the article's own heading wins over the entry's
}

TEST(FrontMatter, HeadingsAreRenumberedSoThatNoneSkipsALevel) {
    ScratchBook b;
    b.article("a.md", "---\ntitle: A\n---\n### One\n\n##### One.one\n\n#### One.two\n\n### Two\n\n# Three\n\n"
                      "> ###### Quoted under three\n");
    const doc::Book book = b.load();
    std::vector<int> levels;
    doc::for_each_block(book.chapters[0].articles[0].body, [&](const doc::Block& blk) {
        if (auto* h = std::get_if<doc::Heading>(&blk.value)) levels.push_back(h->level);
    });
    EXPECT_EQ(levels, (std::vector<int>{2, 3, 3, 2, 2, 3}));
}

TEST(FrontMatter, TomlErrorsAreLocatedInTheArticle) {
    ScratchBook b;
    b.article("a.md", "+++\ntitle = \"A\"\ndate = \"next week\"\n+++\nText.\n");
    try {
        b.load();
        FAIL() << "no error";
    } catch (const ErrorsReported&) {
        const auto errors = b.diagnostics.errors();
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_NE(errors[0].format().find("posts/a.md:3:8: error: 'date' must be a date, got \"next week\""),
                  std::string::npos)
            << errors[0].format();
    }
}

}  // namespace
}  // namespace folio

#include "core/url.hpp"

namespace folio {
namespace {

TEST(Url, ServedPathIsTheFileAServerFinds) {
    EXPECT_EQ(url::served_path("my%20photo.png?w=600#x"), "my photo.png");
    EXPECT_EQ(url::served_path("/images/%C4%87evap.jpg"), "/images/ćevap.jpg");
    EXPECT_EQ(url::served_path("100%.png"), "100%.png");
    EXPECT_EQ(url::served_path("a%2"), "a%2");
    EXPECT_EQ(url::served_path("a%zz.png"), "a%zz.png");
    EXPECT_EQ(url::served_path("plain.png"), "plain.png");
}

TEST(Url, DataUrlsInBase64) {
    const auto hi = url::data_url("DATA:Image/PNG;charset=x;BASE64,aGk=");
    ASSERT_TRUE(hi);
    EXPECT_EQ(hi->media_type, "image/png");
    EXPECT_EQ(hi->bytes, "hi");
    EXPECT_EQ(url::data_url("data:image/gif;base64,aGVs\n bG8=")->bytes, "hello");
    EXPECT_EQ(url::data_url("data:image/gif;base64,aGVsbG8h")->bytes, "hello!");
    EXPECT_EQ(url::data_url("data:image/gif;base64,aGVsbA%3D%3D")->bytes, "hell");
    EXPECT_FALSE(url::data_url("data:image/svg+xml;utf8,<svg/>"));
    EXPECT_FALSE(url::data_url("data:image/png;base64,abc"));
    EXPECT_FALSE(url::data_url("data:image/png;base64,!!!!"));
    EXPECT_FALSE(url::data_url("data:image/png;base64,aG=k"));  // padding only at the end
    EXPECT_EQ(url::data_url("data:image/png;base64,AAEC/w==")->bytes, std::string("\x00\x01\x02\xff", 4));
    EXPECT_FALSE(url::data_url("https://x.example/a.png"));
}

TEST(Url, ResolvesAsBrowsersDo) {
    const std::string base = "https://site.example/blog/2019/05/06/post/";
    EXPECT_EQ(url::resolve("../other/", base), "https://site.example/blog/2019/05/06/other/");
    EXPECT_EQ(url::resolve("/about/", base), "https://site.example/about/");
    EXPECT_EQ(url::resolve("x.png?v=2#top", base), "https://site.example/blog/2019/05/06/post/x.png?v=2#top");
    EXPECT_EQ(url::resolve("//cdn.example/a.js", base), "https://cdn.example/a.js");
    EXPECT_EQ(url::resolve("https://other.example/a/./b/../c", base), "https://other.example/a/c");
    EXPECT_EQ(url::resolve("#notes", base), base + "#notes");
    EXPECT_EQ(url::resolve("/x", "not-absolute/"), "");
}

TEST(Url, KeysCompareAddressesOfOnePage) {
    EXPECT_EQ(url::key("https://www.Site.example/blog/post/"), "site.example/blog/post");
    EXPECT_EQ(url::key("http://site.example/blog/post/index.html?utm=x#top"), "site.example/blog/post");
    EXPECT_EQ(url::key("https://site.example/"), "site.example");
}

}  // namespace
}  // namespace folio

namespace folio {
namespace {

// Every link of `article` in reading order: "a02", "a02#a02-x" for internal links,
// the address for the others.
std::vector<std::string> link_targets(const doc::Article& article) {
    std::vector<std::string> out;
    std::function<void(const doc::Inlines&)> walk = [&](const doc::Inlines& list) {
        for (const doc::Inline& in : list) {
            if (const auto* l = doc::get_if<doc::Link>(&in.value)) {
                out.push_back(l->internal ? l->internal->article_id +
                                                (l->internal->anchor.empty() ? "" : "#" + l->internal->anchor)
                                          : l->url);
            }
            doc::visit(
                [&](const auto& v) {
                    if constexpr (requires { v.content; }) walk(v.content);
                },
                in.value);
        }
    };
    doc::for_each_inlines(article.body, walk);
    return out;
}

TEST(Links, BetweenPostsAsTheirSiteServedThem) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nbase_url: https://site.example/\n"
                                  "chapters:\n  - articles: [content/posts/*.md, content/posts/*/index.md]\n");
    test::spit(dir / "content/posts/a.md",
               "---\ntitle: A\ndate: 2020-01-01\n---\n"
               "[rel](../salt-pans/) [site](/posts/bundle/) [abs](https://site.example/posts/salt-pans/#the-pans) "
               "[www](https://www.site.example/posts/bundle/) [file](bundle/index.md) [about](/about/) "
               "[out](https://elsewhere.example/x) [old](/2015/old-address/) [mail](mailto:a@b.example)\n");
    test::spit(dir / "content/posts/pans.md", "---\ntitle: Pans\ndate: 2020-01-02\nslug: salt-pans\n---\n## The pans\n");
    test::spit(dir / "content/posts/bundle/index.md",
               "---\ntitle: Bundle\ndate: 2020-01-03\naliases: [/2015/old-address/]\n---\nText.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const auto& a = book.chapters.at(0).articles.at(0);
    ASSERT_EQ(a.title, "A");
    EXPECT_EQ(link_targets(a),
              (std::vector<std::string>{"a02", "a03", "a02#a02-the-pans", "a03", "a03", "https://site.example/about/",
                                        "https://elsewhere.example/x", "a03", "mailto:a@b.example"}));
    EXPECT_EQ(d.warning_count(), 0u) << d.warnings().front().format();
}

TEST(Links, JekyllPostsBySlugAndARelativeLinkWithNoAddressIsDroppedWithTheReason) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: _posts/*.md\n");
    test::spit(dir / "_posts/2019-05-06-first-light.md",
               "---\ntitle: First\n---\n[next](/blog/2020/01/02/the-ferry/) [post_url](2020-01-02-the-ferry) "
               "[tags](../tags/harbour/)\n");
    test::spit(dir / "_posts/2020-01-02-the-ferry.md", "---\ntitle: Ferry\n---\nText.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    EXPECT_EQ(link_targets(book.chapters[0].articles[0]), (std::vector<std::string>{"a02", "a02"}));
    const auto w = d.warnings();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].message, "link '../tags/harbour/' is relative, names no article of this book, and the article has no "
                            "web address to make it absolute; its text is kept");
}

}  // namespace
}  // namespace folio

namespace folio {
namespace {

TEST(FrontMatter, PelicanMetadataLinesUnderGeneratorPelican) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ngenerator: pelican\nchapters:\n  - articles: content/*.md\n");
    test::spit(dir / "content/a.md", "Title: My super title\nDate: 2010-12-03 10:20\nModified: 2010-12-05 19:30\n"
                                     "Category: Python\nTags: pelican, publishing\nSlug: my-super-post\n"
                                     "Authors: Alexis Metaireau, Conan Doyle\nSummary: Short version\n  for feeds.\n"
                                     "License: CC BY 4.0\n\nThis is the content of my super blog post.\n");
    test::spit(dir / "content/b.md", "Title: Hidden\nStatus: draft\nAuthor: X\n\nText.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    ASSERT_EQ(book.chapters.at(0).articles.size(), 1u);
    const doc::Article& a = book.chapters[0].articles[0];
    EXPECT_EQ(a.title, "My super title");
    EXPECT_EQ(a.authors, (std::vector<std::string>{"Alexis Metaireau", "Conan Doyle"}));
    EXPECT_EQ(a.summary, "Short version for feeds.");
    EXPECT_EQ(a.modified, (text::Date{2010, 12, 5}));
    EXPECT_EQ(doc::plain_text(std::get<doc::Paragraph>(a.body.at(0).value).content),
              "This is the content of my super blog post.");
    EXPECT_EQ(d.warning_count(), 0u) << d.warnings().front().format();
}

}  // namespace
}  // namespace folio

namespace folio {
namespace {

// The picture a blog showed above a post opens the article, once.
// wordpress-export-to-markdown writes a post without categories or tags as keys
// with nothing after them: the keys after those still count (the cover was lost).
// Pictures written as the blog's pages wrote them, as web addresses: escaped
// spaces and letters, a resizing query; relative and site-relative alike.
TEST(FrontMatter, PicturesWrittenAsWebAddressesAreTheFilesTheSiteServed) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nstatic_folders: [static]\n"
                                  "chapters:\n  - articles: posts/*.md\n");
    for (const char* f : {"posts/my photo.png", "posts/q.png", "static/images/ćevap kod.png"})
        test::spit(dir / f, test::one_pixel_png());
    test::spit(dir / "posts/a.md", "---\ntitle: A\n---\n![one](my%20photo.png) ![two](q.png?w=600) "
                                   "![three](/images/%C4%87evap%20kod.png?resize=300%2C200)\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    EXPECT_EQ(d.warning_count(), 0u) << d.warnings().front().format();
    std::vector<std::string> sources;
    for (const auto& in : std::get<doc::Paragraph>(book.chapters.at(0).articles.at(0).body.at(0).value).content)
        if (const auto* image = doc::get_if<doc::Image>(&in.value)) sources.push_back(image->src);
    EXPECT_EQ(sources, (std::vector<std::string>{"posts/my photo.png", "posts/q.png", "static/images/ćevap kod.png"}));
}

// A picture pasted into a post as a base64 data: URL, in Markdown or HTML, is a
// picture of the book; one that is not (another type, broken base64) is said.
TEST(FrontMatter, PicturesPastedAsDataUrlsArePicturesOfTheBook) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: posts/*.md\n");
    const std::string png = test::one_pixel_png();
    std::string b64;  // written out here: the test checks folio's decoder against it
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < png.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(png[i]) << 16) |
                           (i + 1 < png.size() ? static_cast<unsigned char>(png[i + 1]) << 8 : 0u) |
                           (i + 2 < png.size() ? static_cast<unsigned char>(png[i + 2]) : 0u);
        b64 += abc[(v >> 18) & 63];
        b64 += abc[(v >> 12) & 63];
        b64 += i + 1 < png.size() ? abc[(v >> 6) & 63] : '=';
        b64 += i + 2 < png.size() ? abc[v & 63] : '=';
    }
    test::spit(dir / "posts/a.md", "---\ntitle: A\n---\n![pasted](data:image/png;base64," + b64 +
                                       ")\n\n<img src=\"data:image/png;base64," + b64 + "\" alt=\"html\">\n\n"
                                       "![broken](data:image/png;base64,!!!)\n\n![page](data:text/html;base64,PGI+)\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    ASSERT_EQ(book.resources.size(), 2u);
    for (const doc::Resource& r : book.resources) {
        EXPECT_EQ(r.bytes, png) << r.path;
        EXPECT_TRUE(r.path.starts_with("inline/a01-") && r.path.ends_with(".png")) << r.path;
    }
    const auto w = d.warnings();
    ASSERT_EQ(w.size(), 2u);
    for (const auto& warning : w) EXPECT_NE(warning.message.find("is a data: URL that is not a picture"), std::string::npos);
    EXPECT_EQ(w[0].where.line, 8);
    EXPECT_EQ(w[1].where.line, 10);
}

TEST(FrontMatter, EmptyListsOfAWordPressPostLeaveItsCoverPicture) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: posts/*/index.md\n");
    test::spit(dir / "posts/a/images/regatta.png", test::one_pixel_png());
    test::spit(dir / "posts/a/index.md", "---\ntitle: \"Regatta\"\ndate: \"2020-07-26T16:05:00.000Z\"\ncategories: \n"
                                         "tags: \ncoverImage: \"regatta.png\"\n---\n\nText.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const auto& a = book.chapters.at(0).articles.at(0);
    ASSERT_EQ(a.body.size(), 2u);
    const auto& first = std::get<doc::Paragraph>(a.body.at(0).value).content;
    EXPECT_EQ(doc::get<doc::Image>(first.at(0).value).src, "posts/a/images/regatta.png");
    EXPECT_EQ(d.warning_count(), 0u) << d.warnings().front().format();
}

TEST(FrontMatter, ACoverPictureOpensThePostUnlessItsBodyShowsIt) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: posts/*/index.md\n");
    const std::string& png = test::one_pixel_png();
    test::spit(dir / "posts/a/images/ferry.png", png);
    test::spit(dir / "posts/b/images/boat.png", png);
    test::spit(dir / "posts/a/index.md", "---\ntitle: A\ndate: 2020-01-01\ncoverImage: \"ferry.png\"\n---\n\nText.\n");
    test::spit(dir / "posts/b/index.md",
               "---\ntitle: B\ndate: 2020-01-02\ncover:\n  image: images/boat.png\n  alt: A boat\n---\n\n"
               "![A boat](images/boat.png)\n\nText.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const auto& a = book.chapters.at(0).articles.at(0);
    const auto& first = std::get<doc::Paragraph>(a.body.at(0).value).content;
    const auto& cover = doc::get<doc::Image>(first.at(0).value);
    EXPECT_EQ(cover.src, "posts/a/images/ferry.png");
    EXPECT_EQ(cover.alt, "A");  // no alt given: the post's title
    EXPECT_EQ(cover.line, 4);
    const auto& b = book.chapters[0].articles.at(1);
    EXPECT_EQ(b.body.size(), 2u) << "the cover the body shows is not shown twice";
    EXPECT_EQ(d.warning_count(), 0u) << d.warnings().front().format();
}

}  // namespace
}  // namespace folio
