// The typesetter on small books made for one rule each.
#include "book/load_book.hpp"
#include "build/build.hpp"
#include "layout/print_rules.hpp"
#include "layout/typeset.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

struct Set {
    layout::Pages pages;
    layout::PrintStyle style;
    std::vector<Diagnostic> warnings;
};

// A one-article book from `markdown`, set with the default style.
Set set_book(const std::string& markdown, test::ScratchDir& dir) {
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md]\n");
    test::spit(dir / "a.md", "---\ntitle: A\n---\n\n" + markdown);
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    Set s;
    s.style = build::print_style(book, d);
    s.pages = layout::typeset(book, s.style, d);
    s.warnings = d.warnings();
    return s;
}

TEST(Typeset, LongFootnoteContinuesOnTheNextPage) {
    std::string note;
    for (int i = 0; i < 120; ++i) note += "This sentence belongs to a footnote that is far too long for one page. ";
    note += "Lastword.";
    test::ScratchDir dir;
    const Set s = set_book("A paragraph that calls a long note.[^1]\n\n[^1]: " + note + "\n", dir);
    std::vector<std::size_t> pages_with_note_text;
    std::string note_text;
    for (std::size_t i = 0; i < s.pages.pages.size(); ++i)
        for (const layout::GlyphRun& r : s.pages.pages[i].runs)
            if (std::abs(r.size - s.style.note_size) < 0.01) {
                if (pages_with_note_text.empty() || pages_with_note_text.back() != i) pages_with_note_text.push_back(i);
                note_text += r.text;
            }
    ASSERT_GE(pages_with_note_text.size(), 2u) << "the note should run over two pages";
    EXPECT_EQ(pages_with_note_text[1], pages_with_note_text[0] + 1);
    EXPECT_NE(note_text.find("Lastword."), std::string::npos) << "the end of the note is lost";
    // Every glyph of every page stays inside the page.
    for (const layout::Page& p : s.pages.pages)
        for (const layout::GlyphRun& r : p.runs) {
            EXPECT_LT(r.y, s.style.page_height);
            EXPECT_GT(r.y, 0);
        }
}

TEST(Typeset, LongCodeLinesWrapWithAMarkInsideTheMeasure) {
    test::ScratchDir dir;
    const Set s = set_book("```\n" + std::string(150, 'x') + "\n```\n", dir);
    int continued = 0, xs = 0;
    for (const layout::Page& p : s.pages.pages)
        for (const layout::GlyphRun& r : p.runs) {
            if (r.text.rfind("\u21AA", 0) == 0) ++continued;
            for (char c : r.text) xs += c == 'x';
            if (!r.glyphs.empty()) {
                EXPECT_LE(r.x + r.glyphs.back().x, s.style.page_width - s.style.outer + 0.01) << r.text;
            }
        }
    EXPECT_GE(continued, 1);
    EXPECT_EQ(xs, 150);  // nothing cut
}

TEST(Typeset, CharacterInNoFontIsAWarningNamingItAndTheArticle) {
    test::ScratchDir dir;
    const Set s = set_book("A private character: \xEE\x80\x80 here.\n", dir);  // U+E000
    bool found = false;
    for (const Diagnostic& w : s.warnings)
        found = found || (w.message.find("U+E000") != std::string::npos && w.where.file.find("a.md") != std::string::npos);
    EXPECT_TRUE(found);
}

TEST(Typeset, LanguageWithoutDictionaryWarnsOnce) {
    test::ScratchDir dir;
    const Set s = set_book(
        "<span lang=\"sq\">Gjuha shqipe ka fjalë të gjata.</span> <span lang=\"sq\">Përsëri në shqip.</span>\n", dir);
    int count = 0;
    for (const Diagnostic& w : s.warnings) count += w.message.find("language 'sq'") != std::string::npos;
    EXPECT_EQ(count, 1);
}

TEST(Typeset, ChaptersOpenOnARectoAndBodyStartsAtOne) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml",
               "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - title: One\n    articles: [a.md]\n"
               "  - title: Two\n    articles: [b.md]\n");
    test::spit(dir / "a.md", "# A\n\nShort.\n");
    test::spit(dir / "b.md", "# B\n\nShort too.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const layout::Pages pages = layout::typeset(book, build::print_style(book, d), d);
    for (std::size_t i = 0; i < pages.pages.size(); ++i)
        for (const layout::Anchor& a : pages.pages[i].anchors) {
            if (a.name == "c01") {
                EXPECT_EQ(i % 2, 0u) << "chapter one on a verso";
                EXPECT_EQ(pages.pages[i].label, "1");
            }
            if (a.name == "c02") {
                EXPECT_EQ(i % 2, 0u) << "chapter two on a verso";
            }
        }
}

// In print, where nothing can be clicked, a link to another article is followed by
// the page it leads to, in the book's language; the reading PDF keeps a link.
TEST(Typeset, PrintFollowsAnInternalLinkWithItsPage) {
    test::ScratchDir dir;
    test::spit(dir / "book.yaml", "title: T\nlanguage: sr-Latn\ncredits: optional\nchapters:\n  - articles: [a.md, b.md]\n");
    std::string filler;
    for (int i = 0; i < 60; ++i) filler += "Rečenica koja zauzima mesto na stranici, jedna od mnogih. ";
    test::spit(dir / "a.md", "# A\n\nVidi [drugi tekst](b.md) ovde.\n\n" + filler + "\n");
    test::spit(dir / "b.md", "# B\n\nKraj.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const layout::PrintStyle style = build::print_style(book, d);
    auto text_and_target = [](const layout::Pages& pages) {
        std::string text, label;
        for (const layout::Page& p : pages.pages) {
            for (const layout::GlyphRun& r : p.runs) text += r.text;  // the spaces are glue, not glyphs
            for (const layout::Anchor& a : p.anchors)
                if (a.name == "a02") label = p.label;
        }
        return std::make_pair(text, label);
    };
    const auto [print, target] = text_and_target(layout::typeset_for_print(book, style, d));
    ASSERT_FALSE(target.empty());
    EXPECT_NE(target, "000");
    EXPECT_NE(print.find("tekst(str.\u00A0" + target + ")"), std::string::npos) << target << print.substr(print.find("Vidi"), 200);
    const auto [reading, unused] = text_and_target(layout::typeset(book, style, d));
    EXPECT_EQ(reading.find("(str."), std::string::npos);
}

}  // namespace
}  // namespace folio
