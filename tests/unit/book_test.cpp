#include "book/credit.hpp"
#include "book/load_book.hpp"
#include "book/paths.hpp"
#include "doc/typography.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

fs::path fixture(const std::string& name) { return test::source_dir() / "tests/fixtures/books" / name; }

TEST(Credit, ComposedFromTheFieldsWithTheLicenceVerbatim) {
    doc::Credit c;
    c.authors = {"Petrit Latifi"};
    c.site = "Balkan Academia";
    c.source = "https://balkanacademia.com";
    c.license = "You may share … as long as you credit “Balkan Academia”.";
    book::compose_credit(c, "A Title", doc::Labels{});
    EXPECT_EQ(c.text,
              "\u201CA Title\u201D by Petrit Latifi, published in Balkan Academia: https://balkanacademia.com. "
              "Licence: You may share … as long as you credit “Balkan Academia”.");
}

TEST(Credit, NamesAndLicenceUrl) {
    doc::Credit c;
    c.authors = {"A", "B"};
    c.license = "CC BY 4.0";
    c.license_url = "https://creativecommons.org/licenses/by/4.0/";
    book::compose_credit(c, "T", doc::Labels{});
    EXPECT_EQ(c.text, "\u201CT\u201D by A and B. Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).");
}

TEST(Credit, VerbatimLineIsKeptAsWritten) {
    doc::Credit c;
    c.authors = {"A"};
    c.text = "Photo: A, all rights reserved";
    c.verbatim = true;
    book::compose_credit(c, "T", doc::Labels{});
    EXPECT_EQ(c.text, "Photo: A, all rights reserved");
    EXPECT_TRUE(book::has_credit(c));
}

// Under typography: smart, the same credit, its straight quotes made typographic
// (doc::typographic_quotes) and nothing else: the line compares through that mapping.
TEST(Credit, TypographicQuotesAndNothingElse) {
    const std::string licence = "You may share -- as long as you credit \"Balkan Academia\"...";
    doc::Credit c;
    c.authors = {"Petrit Latifi"};
    c.site = "Balkan Academia";
    c.source = "https://balkanacademia.com/it's--here";
    c.license = licence;
    book::compose_typographic_credit(c, "A Title", "en", doc::Labels{});
    const std::string expected = doc::typographic_quotes(
        "\"A Title\" by Petrit Latifi, published in Balkan Academia: https://balkanacademia.com/it's--here. "
        "Licence: " + licence, "en");
    EXPECT_EQ(c.text, expected);
    EXPECT_EQ(c.text, "\u201CA Title\u201D by Petrit Latifi, published in Balkan Academia: "
                      "https://balkanacademia.com/it's--here. Licence: You may share -- as long as you credit "
                      "\u201CBalkan Academia\u201D...");
    EXPECT_EQ(c.license, doc::typographic_quotes(licence, "en"));

    doc::Credit verbatim;
    verbatim.text = "Photo: \"Ana\" -- all rights reserved...";
    verbatim.verbatim = true;
    book::compose_typographic_credit(verbatim, "T", "sr-Latn", doc::labels_for("sr-Latn"));
    EXPECT_EQ(verbatim.text, doc::typographic_quotes("Photo: \"Ana\" -- all rights reserved...", "sr-Latn"));
    EXPECT_EQ(verbatim.text, "Photo: \u201EAna\u201C -- all rights reserved...");
}

// The licence rule, beside the credit line: a verbatim line owes what it leaves out.
TEST(Credit, VerbatimLineOwesTheLicenceItLeavesOut) {
    doc::Credit c;
    c.text = "Photo: A";
    c.verbatim = true;
    c.license = "CC BY 4.0";
    c.license_url = "https://creativecommons.org/licenses/by/4.0/";
    book::compose_credit(c, "T", doc::Labels{});
    EXPECT_EQ(c.licence_line, "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)");
    EXPECT_EQ(c.statement(), "Photo: A Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)");

    c.text = "Photo: A, CC BY 4.0";  // named, its address not needed
    book::compose_credit(c, "T", doc::Labels{});
    EXPECT_EQ(c.licence_line, "");
    EXPECT_EQ(c.statement(), "Photo: A, CC BY 4.0");

    c.license.clear();  // only an address, which the line leaves out
    book::compose_credit(c, "T", doc::Labels{});
    EXPECT_EQ(c.licence_line, "Licence: https://creativecommons.org/licenses/by/4.0/");

    doc::Credit composed;  // a composed line holds the licence itself
    composed.authors = {"A"};
    composed.license = "CC BY 4.0";
    book::compose_credit(composed, "T", doc::Labels{});
    EXPECT_EQ(composed.licence_line, "");

    doc::Credit serbian;  // in the book's words, under typography: smart too
    serbian.text = "Foto: \"Ana\"";
    serbian.verbatim = true;
    serbian.license = "CC BY-SA 4.0";
    book::compose_typographic_credit(serbian, "T", "sr-Latn", doc::labels_for("sr-Latn"));
    EXPECT_EQ(serbian.licence_line, "Licenca: CC BY-SA 4.0");
}

TEST(Credit, NobodyToCreditIsNoCredit) {
    doc::Credit c;
    c.license = "CC0";
    EXPECT_FALSE(book::has_credit(c));
}

TEST(Paths, StayInsideTheBook) {
    const fs::path root = fixture("twin-notes");
    const SourceLocation here{"book.yaml", 3, 5};
    EXPECT_EQ(book::book_relative(root, "articles/../articles/first.md", "", here, "article"), "articles/first.md");
    EXPECT_EQ(book::book_relative(root, "../x.png", "articles", here, "image"), "x.png");
    EXPECT_THROW(book::book_relative(root, "../escape.md", "", here, "article"), Error);
    EXPECT_THROW(book::book_relative(root, "/etc/passwd", "", here, "article"), Error);
    try {
        book::book_relative(root, "../../x", "articles", here, "image");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.where().line, 3);
        EXPECT_NE(e.message().find("outside the book folder"), std::string::npos);
    }
}

TEST(Paths, GlobsMatchWithinOneComponent) {
    const auto m = book::expand_glob(fixture("loose-ends"), "posts/*.md", {"book.yaml", 1, 1});
    EXPECT_EQ(m, (std::vector<std::string>{"posts/a-late.md", "posts/b-undated.md", "posts/c-early.md"}));
    EXPECT_TRUE(book::expand_glob(fixture("loose-ends"), "posts/*.txt", {"book.yaml", 1, 1}).empty());
}

// A glob's walk stays in the book: a match that is a link to a file outside is an
// error, a link inside is followed, and a link to a folder is not walked into.
TEST(Paths, GlobsFollowNoLinkOutOfTheBook) {
    const test::ScratchDir scratch;
    const fs::path& dir = scratch.path();
    fs::create_directories(dir / "book/posts/deep");
    fs::create_directories(dir / "elsewhere");
    test::spit(dir / "elsewhere/secret.md", "# secret\n");
    test::spit(dir / "book/posts/a.md", "# a\n");
    test::spit(dir / "book/posts/deep/b.md", "# b\n");
    fs::create_symlink(dir / "book/posts/a.md", dir / "book/posts/c.md");  // inside: fine
    fs::create_symlink(dir / "elsewhere", dir / "book/posts/away");        // a folder: not walked
    const SourceLocation here{"book.yaml", 4, 7};
    EXPECT_EQ(book::expand_glob(dir / "book", "posts/**.md", here),
              (std::vector<std::string>{"posts/a.md", "posts/c.md", "posts/deep/b.md"}));
    EXPECT_EQ(book::expand_glob(dir / "book", "posts/*/*.md", here), (std::vector<std::string>{"posts/deep/b.md"}));
    fs::create_symlink(dir / "elsewhere/secret.md", dir / "book/posts/d.md");
    try {
        book::expand_glob(dir / "book", "posts/*.md", here);
        FAIL() << "a link out of the book was matched";
    } catch (const Error& e) {
        EXPECT_EQ(e.where().line, 4);
        EXPECT_NE(e.message().find("'posts/d.md' is outside the book folder"), std::string::npos) << e.message();
    }
}

TEST(LoadBook, GlobChaptersSortByDateUndatedLast) {
    Diagnostics d;
    const doc::Book b = book::load_book(fixture("loose-ends"), d);
    ASSERT_EQ(b.chapters.size(), 2u);
    std::vector<std::string> titles;
    for (const auto& a : b.chapters[1].articles) titles.push_back(a.title);
    EXPECT_EQ(titles, (std::vector<std::string>{"Early", "Late", "Undated"}));
}

// The callback that starts loading the hyphenation patterns hears the book's
// settings once, before any article loads (the loose-ends fixture: 4 articles).
TEST(LoadBook, TheManifestsSettingsAreKnownBeforeTheArticlesLoad) {
    Diagnostics d;
    int calls = 0;
    bool before_articles = false;
    std::string language;
    const doc::Book b = book::load_book(fixture("loose-ends"), d, [&](const doc::Book& settings) {
        ++calls;
        before_articles = settings.chapters.empty();
        language = settings.language;
    });
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(before_articles);
    EXPECT_EQ(language, b.language);
    std::size_t loaded = 0;
    for (const doc::Chapter& c : b.chapters) loaded += c.articles.size();
    EXPECT_GT(loaded, 1u);
}

TEST(LoadBook, TitleFallsBackToTheFirstHeadingAndBodyHeadingsShift) {
    Diagnostics d;
    const doc::Book b = book::load_book(fixture("loose-ends"), d);
    const doc::Article& a = b.chapters[0].articles[0];
    EXPECT_EQ(a.title, "A Title From the Heading");
    const auto& h = std::get<doc::Heading>(a.body.front().value);
    EXPECT_EQ(h.level, 2);  // the second '#' heading, now below the title
}

TEST(LoadBook, DefaultsMergeUnderFrontMatter) {
    Diagnostics d;
    const doc::Book b = book::load_book(fixture("twin-notes"), d);
    const doc::Article& first = b.chapters[0].articles[0];
    EXPECT_EQ(first.credit.site, "Fixture Site");       // from defaults
    EXPECT_EQ(first.authors, std::vector<std::string>{"Ana Test"});  // front matter
    const doc::Article& second = b.chapters[0].articles[1];
    EXPECT_EQ(second.lang, "en-GB");
    EXPECT_EQ(second.credit.text,
              "\u201CSecond\u201D by Ben Test and Cara Test, published in Fixture Site. Licence: CC0 1.0 "
              "(https://creativecommons.org/publicdomain/zero/1.0/).");
    EXPECT_EQ(d.warning_count(), 0u);
}

// A link's place in the book and an inline SVG are held apart from the inline
// (doc::Boxed), so that a book's inlines, most of them plain text, stay small: a
// copy has its own, a move takes it, and none is none.
TEST(DocModel, ALinksPlaceInTheBookIsCopiedWithItAndInlinesStaySmall) {
    EXPECT_LE(sizeof(doc::Inline), 120u) << "an inline as large as a link with its target in the book";
    doc::Link link{"b.md#x", "", {doc::Inline{doc::Text{"b"}}}, doc::InternalTarget{"a02", "a02-x"}};
    doc::Link copy = link;
    ASSERT_TRUE(copy.internal);
    copy.internal->anchor = "a02-y";
    EXPECT_EQ(link.internal->anchor, "a02-x") << "the copy shares its target";
    const doc::Link moved = std::move(copy);
    ASSERT_TRUE(moved.internal.has_value());
    EXPECT_EQ(moved.internal->article_id, "a02");
    const doc::Link out{"https://example.org/", "", {}, std::nullopt};
    EXPECT_FALSE(out.internal);
    doc::Image image{"", "Logo", ""};
    EXPECT_FALSE(image.svg);
    image.svg = std::string("<svg/>");
    const doc::Image image_copy = image;
    ASSERT_TRUE(image_copy.svg);
    EXPECT_EQ(*image_copy.svg, "<svg/>");
}

TEST(LoadBook, IdsAndLinksAcrossArticles) {
    Diagnostics d;
    const doc::Book b = book::load_book(fixture("twin-notes"), d);
    const doc::Article& first = b.chapters[0].articles[0];
    EXPECT_EQ(first.id, "a01");
    EXPECT_EQ(std::get<doc::Heading>(first.body[0].value).id, "a01-introduction");
    const auto& para = std::get<doc::Paragraph>(first.body[1].value).content;
    std::vector<std::pair<std::string, std::string>> targets;
    for (const auto& in : para)
        if (auto* l = doc::get_if<doc::Link>(&in.value))
            targets.emplace_back(l->internal->article_id, l->internal->anchor);
    EXPECT_EQ(targets, (std::vector<std::pair<std::string, std::string>>{
                           {"a02", "a02-introduction"}, {"a02", "a02-a-table"}, {"a01", "a01-closing"}}));
}

TEST(LoadBook, HeadingsInQuotesAndListsGetTheArticlePrefixAndCanBeLinked) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md, b.md]\n");
    test::spit(dir / "a.md", "# A\n\n> ## Quoted\n\n- item\n\n  ## Listed\n\nSee [b](b.md#quoted).\n");
    test::spit(dir / "b.md", "# B\n\n> ## Quoted\n");
    Diagnostics d;
    const doc::Book b = book::load_book(dir.path(), d);
    const doc::Article& a = b.chapters[0].articles[0];
    const auto& quote = std::get<doc::BlockQuote>(a.body[0].value);
    EXPECT_EQ(std::get<doc::Heading>(quote.content[0].value).id, "a01-quoted");
    const auto& list = std::get<doc::List>(a.body[1].value);
    EXPECT_EQ(std::get<doc::Heading>(list.items[0][1].value).id, "a01-listed");
    const auto& other = std::get<doc::BlockQuote>(b.chapters[0].articles[1].body[0].value);
    EXPECT_EQ(std::get<doc::Heading>(other.content[0].value).id, "a02-quoted");
    const auto& link = doc::get<doc::Link>(std::get<doc::Paragraph>(a.body[2].value).content[1].value);
    ASSERT_TRUE(link.internal.has_value());
    EXPECT_EQ(link.internal->anchor, "a02-quoted");
    EXPECT_EQ(d.warning_count(), 0u);
}

TEST(LoadBook, IdentifierIsStableAndNameBased) {
    Diagnostics d;
    const doc::Book b = book::load_book(fixture("twin-notes"), d);
    EXPECT_EQ(b.identifier, "urn:uuid:c5d93327-24f3-535d-8e27-a19b93cc0aab");
}

}  // namespace
}  // namespace folio

namespace folio {
namespace {

// Problems a book can be built with, reported as located warnings.
TEST(LoadBook, WarnsAboutLinksImagesAndKeys) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml",
               "title: W\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md, b.md]\n");
    test::spit(dir / "a.md",
               "---\ntitle: A\nflavour: odd\n---\n\n[bad](b.md#nowhere) [js](javascript:alert(1)) "
               "[out](../x.md) [none](c.md) ![](p.png)\n");
    test::spit(dir / "b.md", "# B\n\ntext\n");
    // A real picture, one grey pixel: images are decoded when the book loads.
    test::spit(dir / "p.png", test::one_pixel_png());
    Diagnostics d;
    const doc::Book b = book::load_book(dir.path(), d);
    std::vector<std::string> got;
    for (const auto& w : d.warnings()) got.push_back(w.where.str() + " " + w.message);
    const std::string a = (dir.path() / "a.md").lexically_normal().generic_string();
    const std::vector<std::string> want{
        a + ":3:1 unknown key 'flavour' in front matter",
        a + ":6:1 link 'b.md#nowhere': no heading 'nowhere' in b.md",
        a + ":6:21 link 'javascript:alert(1)' uses an unsafe scheme and is dropped",
        a + ":6:47 link '../x.md' points outside the book; its text is kept",
        a + ":6:62 link 'c.md' points to no article of this book; its text is kept",
        a + ":6:75 image 'p.png' has no alt text",
    };
    EXPECT_EQ(got, want);
    // The dropped links keep their text; the broken fragment still leads to the article.
    const auto& para = std::get<doc::Paragraph>(b.chapters[0].articles[0].body[0].value).content;
    EXPECT_EQ(doc::plain_text(para), "bad js out none ");
    const auto& first = doc::get<doc::Link>(para[0].value);
    EXPECT_EQ(first.internal->article_id, "a02");
    EXPECT_EQ(first.internal->anchor, "");
}

// A picture the book cannot show is a warning naming why, and its alt text (else its
// file name) stands in its place: a link when the picture is on the web. Builds
// never go to the network, and a path from a site's root is not an error.
TEST(LoadBook, PicturesTheBookCannotShowAreWarningsWithTheirAltTextInTheirPlace) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: W\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md]\n");
    test::spit(dir / "a.md",
               "---\ntitle: A\n---\n\n![a chart](chart.png) ![](https://example.org/p/boat.jpg?w=2) "
               "![site](/images/x.png) ![data](data:image/png;base64,AAAA)\n\n![cdn](//cdn.example.org/y.png)\n");
    Diagnostics d;
    const doc::Book b = book::load_book(dir.path(), d);
    std::vector<std::string> got;
    for (const auto& w : d.warnings()) got.push_back(w.where.str() + " " + w.message);
    const std::string a = (dir.path() / "a.md").lexically_normal().generic_string();
    const std::string root = dir.path().lexically_normal().generic_string();
    const std::vector<std::string> want{
        a + ":5:1 image 'chart.png' does not exist",
        a + ":5:23 image 'https://example.org/p/boat.jpg?w=2' is on the web and was not fetched (run 'folio fetch " +
            root + "')",
        a + ":5:63 image '/images/x.png' does not exist",
        a + ":5:86 image 'data:image/png;base64,AAAA' is a data: URL that is not a picture in base64, and is left out",
        a + ":7:1 image '//cdn.example.org/y.png' is on the web and was not fetched (run 'folio fetch " + root + "')",
    };
    EXPECT_EQ(got, want);
    EXPECT_TRUE(b.resources.empty());
    const auto& para = std::get<doc::Paragraph>(b.chapters[0].articles[0].body[0].value).content;
    EXPECT_EQ(doc::plain_text(para), "a chart boat.jpg site data");
    ASSERT_GE(para.size(), 3u);
    const auto* link = doc::get_if<doc::Link>(&para[2].value);
    ASSERT_NE(link, nullptr) << "the remote picture's stand-in is a link";
    EXPECT_EQ(link->url, "https://example.org/p/boat.jpg?w=2");
    EXPECT_FALSE(link->internal);
    for (const doc::Inline& in : para) EXPECT_FALSE(doc::holds_alternative<doc::Image>(in.value));
    const auto& cdn = std::get<doc::Paragraph>(b.chapters[0].articles[0].body[1].value).content;
    ASSERT_EQ(cdn.size(), 1u);
    ASSERT_TRUE(doc::holds_alternative<doc::Link>(cdn[0].value));
    EXPECT_EQ(doc::get<doc::Link>(cdn[0].value).url, "https://cdn.example.org/y.png");
}

// What `folio fetch` downloads: every picture named by an address on the web, fetched
// or not, once, sorted, at the first place in reading order that names it; a cover
// from front matter too, a protocol-relative address as https, and not an address on
// the book's own site that one of its static folders holds.
TEST(LoadBook, RemotePicturesAreListedOnceWithTheirFirstPlace) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml",
               "title: W\nlanguage: en\ncredits: optional\nbase_url: https://own.example/\nstatic_folders: [static]\n"
               "chapters:\n  - articles: [b.md, a.md]\n");
    test::spit(dir / "static/local.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>");
    test::spit(dir / "b.md",
               "---\ntitle: B\ncoverImage: https://cdn.example/cover.jpg\n---\n\n"
               "![z](https://z.example/z.png) ![a](https://a.example/a.png) ![own](https://own.example/local.svg)\n");
    test::spit(dir / "a.md", "---\ntitle: A\n---\n\n![a again](https://a.example/a.png)\n\n"
                             "<img src=\"//cdn.example/y.png\" alt=\"y\">\n");
    Diagnostics d;
    const doc::Book b = book::load_book(dir.path(), d);
    std::vector<std::string> got;
    for (const auto& r : b.remote_pictures) got.push_back(r.address + " " + r.where.str());
    const std::string a = (dir.path() / "a.md").lexically_normal().generic_string();
    const std::string bmd = (dir.path() / "b.md").lexically_normal().generic_string();
    EXPECT_EQ(got, (std::vector<std::string>{
                       "https://a.example/a.png " + bmd + ":6:31",
                       "https://cdn.example/cover.jpg " + bmd + ":3:13",
                       "https://cdn.example/y.png " + a + ":7:1",
                       "https://z.example/z.png " + bmd + ":6:1",
                   }));
}

}  // namespace
}  // namespace folio
