// The print edition's page list, stage by stage: the paragraph builder's first word
// of each line, the list `build` makes of the print pages, the markers the XHTML
// renderer puts before a word, and the package's nav, NCX and metadata.
#include "book/load_book.hpp"
#include "build/build.hpp"
#include "core/compress.hpp"
#include "epub/package.hpp"
#include "epub/xhtml.hpp"
#include "layout/paragraph.hpp"
#include "layout/typeset.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

layout::PrintStyle default_style() {
    Diagnostics d;
    return layout::parse_print_style(test::slurp(test::source_dir() / "styles/default/print.yaml"), "print.yaml", d);
}

std::string line_text(const layout::Line& l) {
    std::string out;
    for (const layout::GlyphRun& r : l.runs) out += r.text;
    return out;
}

layout::ParagraphOptions body(double width) {
    layout::ParagraphOptions o;
    o.width = width;
    o.size = 10.5;
    o.leading = 14;
    o.lang = "en";
    o.indent = 12;
    return o;
}

// Each line's first_word is the doc text it was set from, at the byte where the
// line's first word begins; a word hyphenated over from the line before counts
// from its start.
TEST(PageList, EachLineKnowsWhereItsFirstWordBegins) {
    const layout::PrintStyle style = default_style();
    layout::FontContext ctx(style);
    const doc::Inlines text{
        doc::Inline{doc::Text{"Characteristically, international organisations communicate through "}},
        doc::Inline{doc::Emphasis{{doc::Inline{doc::Text{"representatives whose responsibilities"}}}}},
        doc::Inline{doc::Text{" include negotiating agreements, interpreting regulations and understanding the "
                              "unpredictable consequences of extraordinarily complicated circumstances."}}};
    const std::string* const first = &doc::get<doc::Text>(text[0].value).text;
    const std::string* const emphasised =
        &doc::get<doc::Text>(doc::get<doc::Emphasis>(text[1].value).content[0].value).text;
    const std::string* const last = &doc::get<doc::Text>(text[2].value).text;
    bool hyphenated_over = false;
    for (double width : {90.0, 120.0, 160.0}) {
        const std::vector<layout::Line> lines = layout::set_paragraph(text, body(width), ctx);
        ASSERT_GE(lines.size(), 3u);
        EXPECT_EQ(lines[0].first_word, (doc::TextPosition{first, 0}));  // after the indent
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const doc::TextPosition at = lines[i].first_word;
            ASSERT_TRUE(at.text == first || at.text == emphasised || at.text == last) << i;
            ASSERT_LT(at.offset, at.text->size());
            // The word in the source (to a space: its punctuation too), and the line's
            // text as set (no spaces: those are glue), without a hyphen at its end.
            const std::string from = at.text->substr(at.offset);
            const std::string word = from.substr(0, from.find_first_of(" \n"));
            std::string shown = line_text(lines[i]);
            if (lines[i].hyphenated && !shown.empty() && shown.back() == '-') shown.pop_back();
            ASSERT_FALSE(word.empty());
            if (i > 0 && lines[i - 1].hyphenated) {
                // The line begins with the end of the word: the position is its start.
                bool tail = false;
                for (std::size_t k = 1; k < word.size() && !tail; ++k)
                    tail = shown.compare(0, word.size() - k, word, k) == 0;
                EXPECT_TRUE(tail) << word << " / " << shown;
                hyphenated_over = true;
            } else {
                const std::size_t n = std::min(word.size(), shown.size());
                EXPECT_EQ(shown.substr(0, n), word.substr(0, n)) << "line " << i << " at width " << width;
            }
            if (i > 0) {
                const doc::TextPosition before = lines[i - 1].first_word;
                // Later, or the same word when the line before holds only its start.
                EXPECT_TRUE(before.text != at.text || before.offset < at.offset ||
                            (lines[i - 1].hyphenated && before.offset == at.offset));
            }
        }
    }
    EXPECT_TRUE(hyphenated_over);  // the narrow measures hyphenate
}

TEST(PageList, CodeLinesBeginAtTheirLineOfTheBlock) {
    const layout::PrintStyle style = default_style();
    layout::FontContext ctx(style);
    const std::string code = "int main() {\n    return 0;\n}\n";
    layout::ParagraphOptions o = body(200);
    o.indent = 0;
    o.face = layout::Face::Mono;
    const std::vector<layout::Line> lines = layout::set_code(code, o, ctx);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].first_word, (doc::TextPosition{&code, 0}));
    EXPECT_EQ(lines[1].first_word, (doc::TextPosition{&code, 13}));
    EXPECT_EQ(lines[2].first_word, (doc::TextPosition{&code, 27}));
}

// Only pages that print a folio are listed; the source is the ISBN, else the identifier.
TEST(PageList, BuildListsThePagesWithAFolio) {
    doc::Book book;
    book.identifier = "urn:uuid:1234";
    const std::string words = "Some words";
    layout::Pages pages;
    for (const char* label : {"i", "ii", "iii", "iv", "1", "2", "3"}) {
        pages.pages.emplace_back();
        pages.pages.back().label = label;
    }
    pages.pages[2].folio = true;  // iii: the contents
    pages.pages[2].top_anchor = "contents";
    pages.pages[4].folio = true;
    pages.pages[4].first_text = {&words, 5};
    pages.pages[6].folio = true;  // 2 is blank: no folio
    doc::PageList list = build::page_list(book, pages);
    EXPECT_EQ(list.source, "urn:uuid:1234");
    ASSERT_EQ(list.entries.size(), 3u);
    EXPECT_EQ(list.entries[0].label, "iii");
    EXPECT_FALSE(list.entries[0].text);
    EXPECT_EQ(list.entries[0].top_anchor, "contents");
    EXPECT_EQ(list.entries[1].label, "1");
    EXPECT_EQ(list.entries[1].text, (doc::TextPosition{&words, 5}));
    EXPECT_EQ(list.entries[2].label, "3");
    book.isbn = "978-0-00-000000-2";
    EXPECT_EQ(build::page_list(book, pages).source, "urn:isbn:978-0-00-000000-2");
}

// The renderer puts a marker before the marked word, inside its paragraph.
TEST(PageList, RendererMarksThePageBeforeTheWord) {
    epub::XhtmlDocument doc("t", "en", "bodymatter");
    epub::Locator locator;
    epub::Renderer r(doc, locator, "a01");
    doc::Blocks blocks{doc::Block{doc::Paragraph{{doc::Inline{doc::Text{"one two three four"}}}}, 1}};
    const std::string* text = &doc::get<doc::Text>(std::get<doc::Paragraph>(blocks[0].value).content[0].value).text;
    const epub::PageMarks marks{{text, {{4, "12"}, {14, "13"}}}};
    r.set_page_marks(&marks);
    r.blocks(doc.body(), blocks);
    const std::string xhtml = doc.str();
    EXPECT_NE(xhtml.find("<p>one <span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-12\" "
                         "aria-label=\"12\"/>two three <span epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
                         "id=\"page-13\" aria-label=\"13\"/>four</p>"),
              std::string::npos)
        << xhtml;
}

// The package: the markers, nav's page-list, the NCX's pageList and the metadata.
TEST(PageList, PackageListsAndMarksThePages) {
    test::ScratchDir dir;
    fs::create_directories(dir / "articles");
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\nauthor: A\nisbn: 978-0-00-000000-2\ncredits: optional\n"
                                  "chapters:\n  - title: Part\n    articles: [articles/a.md]\n");
    test::spit(dir / "articles" / "a.md", "---\ntitle: A\n---\n\nFirst paragraph here.\n\nSecond one.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const doc::Article& a = book.chapters[0].articles[0];
    const std::string* second = &doc::get<doc::Text>(std::get<doc::Paragraph>(a.body[1].value).content[0].value).text;
    doc::PageList list;
    list.source = "urn:isbn:978-0-00-000000-2";
    const std::string elsewhere = "a title the typesetter made";
    list.entries.push_back({"v", std::nullopt, "contents"});
    list.entries.push_back({"vi", std::nullopt, ""});  // the contents run on: no marker
    list.entries.push_back({"1", doc::TextPosition{&elsewhere, 0}, a.id});  // the article's title
    list.entries.push_back({"2", doc::TextPosition{second, 0}, ""});
    epub::PackageOptions o;
    o.page_list = &list;
    std::map<std::string, std::string> files;
    for (epub::Entry& e : epub::build_package(book, o)) files[e.path] = e.bytes;

    const std::string& article = files.at("EPUB/text/" + a.id + ".xhtml");
    const std::size_t one = article.find("id=\"page-1\"");
    const std::size_t title = article.find("<h1");
    const std::size_t two = article.find("<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-2\" "
                                         "aria-label=\"2\"/>Second one.");
    EXPECT_LT(one, title);
    EXPECT_NE(two, std::string::npos) << article;
    EXPECT_NE(files.at("EPUB/text/contents.xhtml").find("id=\"page-v\""), std::string::npos);

    const std::string& nav = files.at("EPUB/nav.xhtml");
    EXPECT_NE(nav.find("<nav epub:type=\"page-list\" id=\"page-list\" aria-label=\"Pages\" hidden=\"\">"),
              std::string::npos)
        << nav;
    EXPECT_NE(nav.find("<a href=\"text/contents.xhtml#page-v\">vi</a>"), std::string::npos) << nav;
    EXPECT_NE(nav.find("<a href=\"text/" + a.id + ".xhtml#page-2\">2</a>"), std::string::npos);

    const std::string& ncx = files.at("EPUB/toc.ncx");
    EXPECT_NE(ncx.find("<pageTarget id=\"pt-1\" type=\"front\""), std::string::npos) << ncx;
    EXPECT_NE(ncx.find("type=\"normal\" value=\"2\""), std::string::npos);
    EXPECT_NE(ncx.find("<meta name=\"dtb:maxPageNumber\" content=\"2\"/>"), std::string::npos);
    // playOrder in reading order: the contents (v, and vi with no marker of its own),
    // the part opener, the article, its pages 1 and 2, the credits.
    EXPECT_NE(ncx.find("<pageTarget id=\"pt-1\" type=\"front\" playOrder=\"1\">"), std::string::npos);
    EXPECT_NE(ncx.find("<pageTarget id=\"pt-2\" type=\"front\" playOrder=\"1\">"), std::string::npos);
    EXPECT_NE(ncx.find("<navPoint id=\"np-" + book.chapters[0].id + "\" playOrder=\"2\">"), std::string::npos);
    EXPECT_NE(ncx.find("<navPoint id=\"np-" + a.id + "\" playOrder=\"3\">"), std::string::npos);
    EXPECT_NE(ncx.find("<pageTarget id=\"pt-3\" type=\"normal\" value=\"1\" playOrder=\"4\">"), std::string::npos);
    EXPECT_NE(ncx.find("<pageTarget id=\"pt-4\" type=\"normal\" value=\"2\" playOrder=\"5\">"), std::string::npos);
    EXPECT_NE(ncx.find("<navPoint id=\"np-credits\" playOrder=\"6\">"), std::string::npos);

    const std::string& opf = files.at("EPUB/package.opf");
    EXPECT_NE(opf.find("<dc:source id=\"print-source\">urn:isbn:978-0-00-000000-2</dc:source>"), std::string::npos)
        << opf;
    EXPECT_NE(opf.find("<meta refines=\"#print-source\" property=\"source-of\">pagination</meta>"), std::string::npos);
    for (const char* f : {"printPageNumbers", "pageBreakMarkers", "pageNavigation"})
        EXPECT_NE(opf.find(std::string("property=\"schema:accessibilityFeature\">") + f + "<"), std::string::npos) << f;
    EXPECT_NE(opf.find("It lists the pages of the print edition"), std::string::npos);
}

// An EPUB whose articles are written while the print edition is set (an EPUB-only
// build of a long book: epub::PackageAhead, layout::typeset_positions_consuming)
// holds the same bytes as one written from the whole text after, and its articles'
// text is released as they are set.
TEST(PageList, ArticlesWrittenAheadGiveTheSamePackage) {
    test::ScratchDir dir;
    fs::create_directories(dir / "articles");
    std::string paragraphs;
    for (int i = 0; i < 14; ++i)
        paragraphs += "Paragraph " + std::to_string(i) +
                      " of a text long enough to run over several pages, with *emphasis*, `code`, a "
                      "[link](https://example.org/a-rather-long/address?q=1) and words such as "
                      "characteristically and internationalisation that hyphenate at a narrow measure.\n\n";
    const std::string rest =
        "A note's call.[^1]\n\n- an item\n- another item\n\n```\nsome code\nmore code\n```\n\n"
        "| a | b |\n|---|---|\n| one | two |\n\n> A quotation.\n\n[^1]: The note, with words.\n";
    std::string list;
    for (const char* name : {"a", "b", "c"}) {
        test::spit(dir / "articles" / (std::string(name) + ".md"),
                   std::string("---\ntitle: Article ") + name + "\nauthor: A. Writer\nsource: https://example.org/" +
                       name + "\nlicense: CC BY 4.0\n---\n\n" + paragraphs + rest);
        list += std::string(list.empty() ? "" : ", ") + "articles/" + name + ".md";
    }
    test::spit(dir / "book.yaml",
               "title: T\nlanguage: en\nauthor: A\nchapters:\n  - title: Part\n    articles: [" + list + "]\n");
    Diagnostics d;
    const doc::Book whole = book::load_book(dir.path(), d);
    doc::Book taken = book::load_book(dir.path(), d);
    ASSERT_EQ(d.error_count(), 0);
    const layout::PrintStyle style = default_style();

    const doc::PageList list_whole = build::page_list(whole, layout::typeset_positions(whole, style, d));
    epub::PackageOptions o;
    o.page_list = &list_whole;
    const std::vector<epub::Entry> expected = epub::build_package(whole, o);

    epub::PackageAhead ahead(taken, epub::PackageOptions{});
    std::vector<int> handed(3, 0);
    const layout::Pages pages = layout::typeset_positions_consuming(
        taken, style, d, nullptr, [&](std::size_t i, const std::vector<doc::TextPosition*>& first_words) {
            ASSERT_LT(i, handed.size());
            ++handed[i];
            ahead.write_article(i, first_words);
        });
    EXPECT_EQ(handed, (std::vector<int>{1, 1, 1}));
    for (const doc::Article* a : taken.articles_in_order()) {
        EXPECT_TRUE(a->body.empty()) << a->id;          // released once set
        EXPECT_FALSE(a->credit.text.empty()) << a->id;  // the credit stays
    }
    const doc::PageList list_taken = build::page_list(taken, pages);
    ASSERT_EQ(list_taken.entries.size(), list_whole.entries.size());
    std::size_t in_text = 0;
    for (const doc::PageListEntry& e : list_whole.entries) in_text += e.text.has_value();
    EXPECT_GE(in_text, 6u);  // pages that begin inside an article's text, marked there
    const std::vector<epub::Entry> got = ahead.finish(&list_taken);

    ASSERT_EQ(got.size(), expected.size());
    std::size_t breaks = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].path, expected[i].path);
        const std::string bytes =
            got[i].deflated ? compress::inflate_raw(got[i].bytes, got[i].deflated->size) : got[i].bytes;
        EXPECT_EQ(bytes, expected[i].bytes) << got[i].path;
        EXPECT_EQ(bytes.find(epub::kPlaceholderOpen), std::string::npos) << got[i].path;
        for (std::size_t at = bytes.find("doc-pagebreak"); at != std::string::npos;
             at = bytes.find("doc-pagebreak", at + 1))
            ++breaks;
    }
    EXPECT_GE(breaks, in_text);  // the pages that begin in the text are marked there
}

TEST(PageList, ManifestKeyTurnsItOff) {
    test::ScratchDir dir;
    fs::create_directories(dir / "articles");
    test::spit(dir / "articles" / "a.md", "---\ntitle: A\n---\n\nWords.\n");
    const std::string manifest =
        "title: T\nlanguage: en\nauthor: A\ncredits: optional\nchapters:\n  - title: P\n    articles: [articles/a.md]\n";
    Diagnostics d;
    test::spit(dir / "book.yaml", manifest);
    EXPECT_TRUE(book::load_book(dir.path(), d).page_list);
    test::spit(dir / "book.yaml", manifest + "page_list: false\n");
    EXPECT_FALSE(book::load_book(dir.path(), d).page_list);
    EXPECT_EQ(d.warning_count(), 0);
}

}  // namespace
}  // namespace folio
