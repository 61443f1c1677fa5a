// The typesetter on small books made for one rule each.
#include "book/load_book.hpp"
#include "build/build.hpp"
#include "layout/print_rules.hpp"
#include "layout/typeset.hpp"
#include "pictures/picture.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cmath>

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

// A book shaped like the benchmark's: many articles of paragraphs of every length,
// headings, lists, quotes, code and notes, each with a credit. Deterministic.
void write_varied_book(const fs::path& dir, int articles) {
    static const char* const kWords[] = {"the",   "of",      "printing", "page",   "and",    "margin", "type",
                                         "a",     "reader",  "line",     "spacing", "to",     "book",   "letter",
                                         "ink",   "justify", "column",   "press",  "was",    "in",     "paper",
                                         "word",  "proof",   "edition",  "set",    "compositor", "leading"};
    std::uint32_t seed = 12345;
    auto next = [&](std::uint32_t n) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % n;
    };
    auto sentence_words = [&](std::uint32_t n) {
        std::string out;
        for (std::uint32_t i = 0; i < n; ++i) out += std::string(i ? " " : "") + kWords[next(std::size(kWords))];
        return out + ".";
    };
    std::string yaml = "title: Varied\nlanguage: en\nchapters:\n  - articles:\n";
    for (int a = 0; a < articles; ++a) {
        const std::string name = "a" + std::to_string(a) + ".md";
        yaml += "      - " + name + "\n";
        std::string md = "---\ntitle: Article " + std::to_string(a) + "\nauthor: Ann Author\nsite: A Site\nsource: "
                         "https://example.org/posts/" + std::to_string(a) + "\nlicense: CC BY 4.0\n---\n\n";
        const std::uint32_t blocks = 4 + next(14);
        bool noted = false;
        for (std::uint32_t b = 0; b < blocks; ++b) {
            const std::uint32_t kind = next(20);
            if (kind == 0) md += "## " + sentence_words(2 + next(4)) + "\n\n";
            else if (kind == 1) {
                for (std::uint32_t i = 0, n = 2 + next(4); i < n; ++i) md += "- " + sentence_words(4 + next(20)) + "\n";
                md += "\n";
            } else if (kind == 2) md += "> " + sentence_words(10 + next(40)) + "\n\n";
            else if (kind == 3) {
                md += "```\n";
                for (std::uint32_t i = 0, n = 2 + next(7); i < n; ++i) md += "let x" + std::to_string(i) + " = page(line);\n";
                md += "```\n\n";
            } else {
                md += sentence_words(10 + next(110));
                if (!noted && next(5) == 0) md += "[^1]", noted = true;
                md += " " + sentence_words(5 + next(30)) + "\n\n";
            }
        }
        if (noted) md += "[^1]: " + sentence_words(8 + next(40)) + "\n";
        test::spit(dir / name, md);
    }
    test::spit(dir / "book.yaml", yaml);
}

// Page bottoms, read from the placed glyphs: a page whose text goes on overleaf
// (the next page opens with body text, not a title or heading) ends on the page's
// last grid line, and no page holds nothing but a credit.
TEST(Typeset, PagesThatRunOnEndFlushAndNoCreditStandsAlone) {
    test::ScratchDir dir;
    write_varied_book(dir.path(), 40);
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const layout::PrintStyle style = build::print_style(book, d);
    const layout::Pages pages = layout::typeset(book, style, d);
    const double grid = std::floor(style.text_height() / style.leading + 1e-6) * style.leading;
    const double last_baseline = style.top + grid - style.leading * 0.22;  // a body line's, on the last grid line
    const double credit_size = style.size * 0.9;
    auto in_text_block = [&](const layout::GlyphRun& r) {
        return r.y > style.top && r.y < style.page_height - style.bottom + 1;
    };
    int running_on = 0, flush = 0, credit_only = 0;
    std::string short_pages;
    for (std::size_t i = 0; i + 1 < pages.pages.size(); ++i) {
        const layout::Page& page = pages.pages[i];
        if (page.label.find_first_not_of("0123456789") != std::string::npos) continue;  // the front matter
        double bottom = 0;
        bool body = false, credit = false;
        for (const layout::GlyphRun& r : page.runs) {
            if (!in_text_block(r)) continue;
            bottom = std::max(bottom, r.y);
            (std::abs(r.size - credit_size) < 0.01 ? credit : body) = true;
        }
        if (credit && !body) ++credit_only, short_pages += " (credit only: " + page.label + ")";
        const layout::GlyphRun* first = nullptr;
        for (const layout::GlyphRun& r : pages.pages[i + 1].runs)
            if (in_text_block(r) && (!first || r.y < first->y)) first = &r;
        if (!body || !first || first->size > style.size + 0.01) continue;
        ++running_on;
        // The last line is a body line or a note's, ending the notes at the grid line.
        if (bottom >= last_baseline - 0.5) ++flush;
        else short_pages += " " + page.label;
    }
    EXPECT_GE(running_on, 40);
    EXPECT_GE(flush, running_on * 9 / 10) << flush << " of " << running_on << "; short:" << short_pages;
    EXPECT_EQ(credit_only, 0) << short_pages;
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

// ---- pictures ------------------------------------------------------------------------------

// A gray PNG of w x h pixels, written as `name` in `dir`.
void write_picture(test::ScratchDir& dir, const std::string& name, int w, int h) {
    pictures::Pixels p;
    p.width = w, p.height = h, p.channels = 1;
    p.data.assign(static_cast<std::size_t>(w * h), '\x80');
    test::spit(dir / name, pictures::encode_png(p));
}

// Every picture placed in the book, in page order.
std::vector<std::pair<std::size_t, layout::PlacedImage>> placed(const layout::Pages& pages) {
    std::vector<std::pair<std::size_t, layout::PlacedImage>> out;
    for (std::size_t i = 0; i < pages.pages.size(); ++i)
        for (const layout::PlacedImage& im : pages.pages[i].images) out.emplace_back(i, im);
    return out;
}

// Pictures alone in a paragraph stand side by side, scaled to one height, and the
// row fits the measure.
TEST(TypesetPictures, SeveralPicturesInAParagraphAreARowOfOneHeight) {
    test::ScratchDir dir;
    write_picture(dir, "a.png", 900, 600);
    write_picture(dir, "b.png", 600, 900);
    write_picture(dir, "c.png", 900, 600);
    const Set s = set_book("Before.\n\n![a](a.png)\n![b](b.png) ![c](c.png)\n\nAfter.\n", dir);
    const auto images = placed(s.pages);
    ASSERT_EQ(images.size(), 3u);
    const double left = s.style.inner < s.style.outer ? s.style.inner : s.style.outer;
    double total = 0;
    for (const auto& [page, im] : images) {
        EXPECT_EQ(page, images[0].first);
        EXPECT_DOUBLE_EQ(im.y, images[0].second.y) << im.resource;
        EXPECT_DOUBLE_EQ(im.height, images[0].second.height) << im.resource;
        total += im.width;
    }
    EXPECT_LT(images[0].second.x + images[0].second.width, images[1].second.x) << "side by side, in order";
    EXPECT_LT(images[1].second.x + images[1].second.width, images[2].second.x);
    EXPECT_NEAR(images[1].second.width / images[1].second.height, 600.0 / 900, 1e-9) << "aspect kept";
    EXPECT_LE(images[2].second.x + images[2].second.width - images[0].second.x, s.style.text_width() + 1e-6);
    EXPECT_GT(total, s.style.text_width() * 0.8) << "three large pictures fill the measure";
    EXPECT_GE(images[0].second.x, left);
}

// Pictures that a row would make narrower than a quarter of the measure each are
// stacked, one under another.
TEST(TypesetPictures, FourLargePicturesAreStacked) {
    test::ScratchDir dir;
    std::string row;
    for (const char* name : {"a", "b", "c", "d"}) {
        write_picture(dir, std::string(name) + ".png", 900, 600);
        row += std::string("![") + name + "](" + name + ".png) ";
    }
    const Set s = set_book(row + "\n", dir);
    const auto images = placed(s.pages);
    ASSERT_EQ(images.size(), 4u);
    for (std::size_t i = 1; i < images.size(); ++i) {
        const bool below = images[i].first > images[i - 1].first ||
                           images[i].second.y >= images[i - 1].second.y + images[i - 1].second.height;
        EXPECT_TRUE(below) << "picture " << i << " is not under the one before";
    }
}

// A picture in running text is a box the height of the type, on the baseline of its
// line, between the words around it; in a link, the link's area covers it.
TEST(TypesetPictures, APictureInRunningTextIsSetInTheLineAndLinked) {
    test::ScratchDir dir;
    write_picture(dir, "icon.png", 64, 32);
    const Set s = set_book("Look at [the ![icon](icon.png) mark](https://example.org/mark) here.\n", dir);
    const auto images = placed(s.pages);
    ASSERT_EQ(images.size(), 1u);
    const layout::PlacedImage& im = images[0].second;
    const layout::Page& page = s.pages.pages[images[0].first];
    EXPECT_NEAR(im.height, s.style.size, 1e-9);
    EXPECT_NEAR(im.width, 2 * s.style.size, 1e-9);
    const layout::GlyphRun* line = nullptr;
    for (const layout::GlyphRun& r : page.runs)
        if (r.text.find("Look") != std::string::npos) line = &r;
    ASSERT_NE(line, nullptr);
    EXPECT_NEAR(im.y + im.height, line->y, 1e-9) << "on the baseline";
    // Between "the" and "mark": after the glyph of that "e", before the glyph of that "m"
    // (spaces are glue, not glyphs).
    const std::size_t e_at = line->text.find("the ") + 2, m_at = line->text.find("mark");
    double e_x = -1, m_x = -1;
    std::size_t offset = 0;
    for (const layout::PlacedGlyph& g : line->glyphs) {
        if (offset == e_at) e_x = line->x + g.x;
        if (offset == m_at) m_x = line->x + g.x;
        offset += g.text_length;
    }
    ASSERT_GE(e_x, 0);
    ASSERT_GE(m_x, 0);
    EXPECT_GT(im.x, e_x);
    EXPECT_LT(im.x + im.width, m_x);
    bool covered = false;
    for (const layout::LinkArea& l : page.links)
        if (l.uri == "https://example.org/mark")
            covered = l.x <= im.x && l.x + l.width >= im.x + im.width && l.y <= im.y && l.y + l.height >= im.y + im.height;
    EXPECT_TRUE(covered) << "the link's area does not cover its picture";
}

TEST(TypesetPictures, APictureInATableCellIsSetInTheCell) {
    test::ScratchDir dir;
    write_picture(dir, "icon.png", 32, 32);
    const Set s = set_book("| A | B |\n|---|---|\n| one | ![icon](icon.png) two |\n", dir);
    const auto images = placed(s.pages);
    ASSERT_EQ(images.size(), 1u);
    EXPECT_GT(images[0].second.x, s.style.inner + s.style.text_width() / 2 - s.style.size)
        << "in the second column";
}

// In the print interior a picture with enough pixels is placed at exactly 300 ppi,
// and the page says so: the preflight is not to call it 299.
TEST(TypesetPictures, PlacedResolutionIsCarriedWithThePicture) {
    test::ScratchDir dir;
    write_picture(dir, "photo.png", 1000, 700);
    write_picture(dir, "small.png", 60, 60);
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md]\n");
    test::spit(dir / "a.md", "---\ntitle: A\n---\n\n![photo](photo.png)\n\n![small](small.png)\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const layout::Pages pages = layout::typeset_for_print(book, build::print_style(book, d), d);
    const auto images = placed(pages);
    ASSERT_EQ(images.size(), 2u);
    EXPECT_NEAR(images[0].second.ppi, 300, 1e-6);
    EXPECT_NEAR(images[1].second.ppi, 60, 1e-6) << "a small picture is set an inch wide";
    EXPECT_EQ(images[1].second.where.str(), (dir.path() / "a.md").lexically_normal().generic_string() + ":7:1");
}

}  // namespace
}  // namespace folio

namespace folio {
namespace {

// A character no font has never vanishes silently: a warning names it, its article
// and the line it is written on.
TEST(Typeset, ACharacterInNoFontIsALocatedWarning) {
    test::ScratchDir dir;
    const Set s = set_book("First paragraph.\n\nSecond, with Linear B \U00010000 in it.\n", dir);
    ASSERT_EQ(s.warnings.size(), 1u);
    EXPECT_EQ(s.warnings[0].where.str(), (dir.path() / "a.md").lexically_normal().generic_string() + ":7");
    EXPECT_NE(s.warnings[0].message.find("U+10000"), std::string::npos) << s.warnings[0].message;
}

}  // namespace
}  // namespace folio
