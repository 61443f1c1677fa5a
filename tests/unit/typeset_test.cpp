// The typesetter on small books made for one rule each.
#include "layout/typeset.hpp"
#include "book/load_book.hpp"
#include "build/build.hpp"
#include "doc/labels.hpp"
#include "layout/paginate.hpp"
#include "layout/paragraph.hpp"
#include "layout/print_rules.hpp"
#include "layout/setter.hpp"
#include "pictures/picture.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <thread>

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

// Every entry of the contents prints the page its article begins on, in a book whose
// contents take several pages and whose entries wrap (the number sits in room kept
// for it at the right of the entry's last line).
// An element's names are held once for the process: one spelling, one name, on
// every thread; its other texts are its own, copied with it.
TEST(Element, NamesAreHeldOnceAndTextsCopiedWithTheElement) {
    const layout::ElementName p("P");
    layout::ElementName there;
    std::thread([&] { there = layout::ElementName(std::string("P")); }).join();
    EXPECT_EQ(p, there);
    EXPECT_EQ(&p.str(), &there.str()) << "one spelling, one name";
    EXPECT_EQ(p, "P");
    EXPECT_FALSE(p == layout::ElementName("Span"));
    EXPECT_TRUE(layout::ElementName("").empty());
    EXPECT_TRUE(layout::ElementName().str().empty());

    auto e = layout::make_element("Figure", nullptr, "en");
    e->alt = std::string("A map of the coast");
    e->id = std::string("a03-fn1");
    const layout::Element copy = *e;
    EXPECT_EQ(copy.alt, "A map of the coast");
    EXPECT_NE(&copy.alt.str(), &e->alt.str()) << "a text is the element's own";
    EXPECT_EQ(copy.lang, "en");
    EXPECT_TRUE(copy.actual_text.empty());
    e->alt = std::string();
    EXPECT_TRUE(e->alt.empty());
    EXPECT_EQ(copy.alt, "A map of the coast");
    EXPECT_EQ(sizeof(layout::Element), 64u) << "a long book has hundreds of thousands";
}

TEST(Typeset, TheContentsPrintTheTruePageOfEveryArticle) {
    test::ScratchDir dir;
    std::string yaml = "title: T\nlanguage: en\ncredits: optional\nchapters:\n";
    static const char* const kWords[] = {"harbour", "of", "the", "long", "winter", "and", "salt", "lights"};
    for (int c = 0; c < 4; ++c) {
        yaml += "  - title: Part " + std::to_string(c + 1) + "\n    articles:\n";
        for (int k = 0; k < 18; ++k) {
            const std::string name = "a" + std::to_string(c) + "-" + std::to_string(k) + ".md";
            yaml += "      - " + name + "\n";
            std::string title;
            for (int w = 0; w < 3 + (k * 7 + c) % 14; ++w) title += std::string(w ? " " : "") + kWords[(w + k) % 8];
            std::string body;
            for (int p = 0; p < 1 + (k * 5 + c * 3) % 9; ++p)
                body +=
                    "A paragraph of the article, long enough to fill a few lines of the page it is set on, and then "
                    "some more words to end it.\n\n";
            test::spit(dir / name, "---\ntitle: " + title + "\n---\n\n" + body);
        }
    }
    test::spit(dir / "book.yaml", yaml);
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const layout::PrintStyle style = build::print_style(book, d);
    const layout::Pages pages = layout::typeset(book, style, d);
    std::map<std::string, std::string> label_of;  // article id -> label of the page it begins on
    for (const layout::Page& p : pages.pages)
        for (const layout::Anchor& a : p.anchors) label_of.emplace(a.name, p.label);
    int checked = 0;
    std::set<std::size_t> contents_pages;
    for (std::size_t i = 0; i < pages.pages.size(); ++i) {
        const layout::Page& p = pages.pages[i];
        for (const layout::LinkArea& l : p.links) {
            if (l.destination.empty() || !label_of.count(l.destination)) continue;
            // The entry's line: the runs whose baseline is inside the link's box; the
            // number is the one furthest right, on the entry's last line.
            const layout::GlyphRun* number = nullptr;
            for (const layout::GlyphRun& r : p.runs)
                if (r.y > l.y && r.y < l.y + l.height && (!number || r.x > number->x)) number = &r;
            if (!number || number->text.find_first_not_of("0123456789ivxlc") != std::string::npos) continue;
            EXPECT_EQ(number->text, label_of[l.destination])
                << "the entry for " << l.destination << " on page " << p.label;
            ++checked;
            contents_pages.insert(i);
        }
    }
    EXPECT_EQ(checked, 4 + 4 * 18 + 1) << "every part and article, and the credits, have an entry with a number";
    EXPECT_GE(contents_pages.size(), 3u) << "the contents no longer take several pages; add articles";
}

// In print each credit's title gives its article's page ("Title (p. 12)"): the
// true page, whether the pages were made while the articles were set (no article
// links within the book: the credits, last, are set again once every page before
// them is made) or after all of them, in passes (an article's text prints a page
// too). The positions alone (print_page_positions, for the EPUB's page list) break
// the same pages as the print pages themselves.
TEST(TypesetPrint, TheCreditsPrintTheTruePageOfEveryArticle) {
    for (const bool cross_reference : {false, true}) {
        test::ScratchDir dir;
        std::string yaml =
            "title: T\nlanguage: en\ndefaults:\n  license: CC0 1.0\nchapters:\n  - title: Part\n"
            "    articles:\n";
        constexpr int kArticles = 14;
        for (int k = 0; k < kArticles; ++k) {
            const std::string name = "a" + std::to_string(k) + ".md";
            yaml += "      - " + name + "\n";
            std::string body;
            for (int p = 0; p < 1 + (k * 7) % 16; ++p)
                body +=
                    "A paragraph of the article, long enough to fill a few lines of the page it is set on, and "
                    "then some more words to end it. A paragraph of the article, long enough to fill a few "
                    "lines of the page it is set on, and then some more words to end it.\n\n";
            if (cross_reference && k == 2) body += "See [the last one](a" + std::to_string(kArticles - 1) + ".md).\n";
            test::spit(dir / name, "---\ntitle: Article " + std::to_string(k) +
                                       "\nauthor: Ana Test\nsource: https://example.org/" + std::to_string(k) +
                                       "\n---\n\n" + body);
        }
        test::spit(dir / "book.yaml", yaml);
        Diagnostics d;
        const doc::Book book = book::load_book(dir.path(), d);
        const layout::PrintStyle style = build::print_style(book, d);
        const layout::Pages pages = layout::typeset_for_print(book, style, d);
        std::map<std::string, std::string> label_of;  // destination -> label of the page it is on
        for (const layout::Page& p : pages.pages)
            for (const layout::Anchor& a : p.anchors) label_of.emplace(a.name, p.label);
        // The credits pages' words, without spaces (a run holds none: the glyphs' places
        // say where they are).
        std::string credits;
        bool in_credits = false;
        for (const layout::Page& p : pages.pages) {
            for (const layout::Anchor& a : p.anchors) in_credits = in_credits || a.name == "credits";
            if (!in_credits) continue;
            for (const layout::GlyphRun& r : p.runs) credits += r.text;
        }
        const auto spaced = [](std::string s) {
            for (std::size_t at; (at = s.find("\u00A0")) != std::string::npos;) s.erase(at, 2);
            std::erase(s, ' ');
            return s;
        };
        credits = spaced(credits);
        std::size_t at = 0;
        int found = 0;
        std::set<std::string> labels;
        std::string last;  // the last article's id
        book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            last = a.id;
            ASSERT_TRUE(label_of.count(a.id)) << a.id;
            labels.insert(label_of[a.id]);
            const std::string reference = spaced(doc::page_reference(book.labels, label_of[a.id]));
            const std::size_t next = credits.find(spaced(a.title) + reference, at);
            EXPECT_NE(next, std::string::npos) << a.title << reference << " not on the credits page, in order";
            if (next == std::string::npos) return;
            at = next + 1;
            ++found;
        });
        EXPECT_EQ(found, kArticles);
        EXPECT_GE(labels.size(), static_cast<std::size_t>(kArticles)) << "articles share a page";
        EXPECT_GT(std::stoi(label_of[last]), 20) << "too short a book; add paragraphs";
        if (cross_reference) {
            const std::string reference = spaced(doc::page_reference(book.labels, label_of[last]));
            std::string text;
            for (const layout::Page& p : pages.pages)
                for (const layout::GlyphRun& r : p.runs) text += r.text;
            EXPECT_NE(spaced(text).find("lastone" + reference), std::string::npos) << "the cross-reference's page";
        }

        Diagnostics quiet;
        const layout::Pages positions = layout::print_page_positions(book, style, quiet);
        std::set<const std::string*> texts;  // the articles' words, where the EPUB's pages find them
        const std::function<void(const doc::Inlines&)> gather = [&](const doc::Inlines& list) {
            for (const doc::Inline& in : list)
                doc::visit(
                    [&](const auto& v) {
                        using T = std::decay_t<decltype(v)>;
                        if constexpr (std::is_same_v<T, doc::Text> || std::is_same_v<T, doc::Code>)
                            texts.insert(&v.text);
                        if constexpr (requires { v.content; }) gather(v.content);
                    },
                    in.value);
        };
        book.for_each_article(
            [&](const doc::Chapter&, const doc::Article& a) { doc::for_each_inlines(a.body, gather); });
        ASSERT_GT(texts.size(), 10u);
        ASSERT_EQ(positions.pages.size(), pages.pages.size());
        for (std::size_t i = 0; i < pages.pages.size(); ++i) {
            const layout::Page &p = pages.pages[i], &q = positions.pages[i];
            EXPECT_EQ(q.label, p.label) << "page " << i;
            EXPECT_EQ(q.folio, p.folio) << "page " << i;
            EXPECT_EQ(q.top_anchor, p.top_anchor) << "page " << i;
            // A page's first text counts where it is the articles' (the page list
            // finds it there, by address); a page that opens with text the
            // typesetter made (a title, a credit) names that text, gone since.
            const auto of_articles = [&](const doc::TextPosition& t) { return t.text && texts.count(t.text); };
            EXPECT_EQ(of_articles(q.first_text), of_articles(p.first_text)) << "page " << i;
            if (of_articles(p.first_text)) {
                EXPECT_TRUE(q.first_text == p.first_text) << "page " << i;
            }
            ASSERT_EQ(q.anchors.size(), p.anchors.size()) << "page " << i;
            for (std::size_t k = 0; k < p.anchors.size(); ++k) EXPECT_EQ(q.anchors[k].name, p.anchors[k].name);
        }
    }
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

// Code wraps at a space first; a token is cut only when it is longer than a line.
TEST(Typeset, CodeWrapsAtASpaceBeforeCuttingAToken) {
    test::ScratchDir dir;
    std::string call = "result = compute(";
    for (int i = 0; i < 12; ++i) call += "argument_" + std::to_string(i) + ", ";
    call += "last);";
    const Set s = set_book("```\n" + call + "\n```\n", dir);
    // Each continued line begins with the continuation mark, a run of its own that is
    // an artifact (a tagged PDF leaves it out of the code's text).
    std::vector<std::string> lines;
    for (const layout::Page& p : s.pages.pages)
        for (std::size_t k = 0; k < p.runs.size(); ++k) {
            const layout::GlyphRun& r = p.runs[k];
            if (r.text.find("argument_") == std::string::npos && r.text.find("result") == std::string::npos) continue;
            EXPECT_FALSE(r.artifact);
            const bool marked = k > 0 && p.runs[k - 1].artifact && p.runs[k - 1].text == "\u21AA ";
            lines.push_back((marked ? p.runs[k - 1].text : std::string()) + r.text);
        }
    ASSERT_GE(lines.size(), 2u);
    std::string joined;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string t = lines[i];
        if (i > 0) {
            ASSERT_EQ(t.rfind("\u21AA", 0), 0u) << t;
            t = t.substr(std::string("\u21AA ").size());
            // Every continued line starts with a whole argument, not the end of one.
            EXPECT_EQ(t.rfind("argument_", 0), 0u) << t;
        }
        joined += (i ? " " : "") + t;
    }
    EXPECT_EQ(joined, call);
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
        "<span lang=\"mt\">Il-lingwa Maltija għandha kliem twil.</span> <span lang=\"mt\">Għal darb'oħra.</span>\n", dir);
    int count = 0;
    for (const Diagnostic& w : s.warnings) count += w.message.find("language 'mt'") != std::string::npos;
    EXPECT_EQ(count, 1);
}

// Tagged PDF: a word hyphenated over two lines inside a phrase in another language
// reads whole (a Span with ActualText) and in that language (its parent the phrase's
// Span with Lang), as it does in the book's own language.
TEST(Typeset, AWordHyphenatedInsideAForeignPhraseReadsWholeInItsLanguage) {
    std::string phrase;
    for (int i = 0; i < 12; ++i)
        phrase += "Donaudampfschifffahrtsgesellschaftskapitän Rechtsschutzversicherungsgesellschaften "
                  "Unabhängigkeitserklärungen ";
    test::ScratchDir dir;
    const Set s = set_book("In English first, then <span lang=\"de\">" + phrase + "</span> and English again.\n", dir);
    int whole = 0, dangling = 0;
    for (const layout::Page& p : s.pages.pages)
        for (const layout::GlyphRun& r : p.runs) {
            if (!r.element) continue;
            if (!r.element->actual_text.empty()) {
                ++whole;
                ASSERT_TRUE(r.element->parent);
                EXPECT_EQ(r.element->parent->type, "Span");
                EXPECT_EQ(r.element->parent->lang, "de") << r.element->actual_text;
                EXPECT_EQ(r.element->actual_text.str().find('-'), std::string::npos) << r.element->actual_text;
            } else if (r.element->lang == "de" && !r.text.empty() && r.text.back() == '-') {
                ++dangling;  // a German piece ending in the added hyphen, read as shown
            }
        }
    EXPECT_GT(whole, 0) << "no German word was hyphenated: make the phrase longer";
    EXPECT_EQ(dangling, 0);
}

// A note's number leads back to its call, as the EPUB's note does: a link over the
// number, to an anchor on the call's line.
TEST(Typeset, ANoteNumberLinksBackToItsCall) {
    test::ScratchDir dir;
    const Set s = set_book("A paragraph that calls a note.[^1] And goes on.\n\n[^1]: The note itself.\n", dir);
    const layout::Anchor* call = nullptr;
    const layout::LinkArea* to_note = nullptr;
    const layout::LinkArea* back = nullptr;
    std::size_t call_page = 0, back_page = 0;
    for (std::size_t i = 0; i < s.pages.pages.size(); ++i) {
        for (const layout::Anchor& a : s.pages.pages[i].anchors)
            if (a.name.find("-fnref1") != std::string::npos) call = &a, call_page = i;
        for (const layout::LinkArea& l : s.pages.pages[i].links) {
            if (l.destination.find("-fnref1") != std::string::npos) back = &l, back_page = i;
            else if (l.destination.find("-fn1") != std::string::npos) to_note = &l;
        }
    }
    ASSERT_TRUE(call) << "no anchor at the note's call";
    ASSERT_TRUE(to_note) << "the call does not link to the note";
    ASSERT_TRUE(back) << "the note's number does not link back";
    EXPECT_EQ(call_page, back_page);
    EXPECT_EQ(layout::note_call_anchor(to_note->destination), back->destination);
    EXPECT_NEAR(call->y, to_note->y, s.style.leading * 2) << "the anchor is not on the call's line";
    EXPECT_GT(back->y, to_note->y) << "the note is set below its call";
    EXPECT_GT(back->width, 0);
    EXPECT_LT(back->width, s.style.note_size * 2) << "the link covers the number, not the note";
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

// A page does not end in a hyphen (the word finished overleaf) where ending it a
// line earlier keeps the other rules (paginate.cpp, take_back_broken_word): four
// pages of the varied book would, each with that alternative; none does, with no
// widow or orphan made. --stats counts such pages as they are read from the pages.
TEST(Typeset, NoPageEndsInAHyphenWhereALineEarlierKeepsTheRules) {
    test::ScratchDir dir;
    write_varied_book(dir.path(), 40);
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    layout::PrintStyle style = build::print_style(book, d);
    // A narrow measure: enough hyphenated lines for pages to end in them (font
    // expansion leaves few at the default measure).
    style.inner = style.outer = 110;
    layout::LayoutStats stats;
    const layout::Pages pages = layout::typeset(book, style, d, &stats);
    int ending = 0, rectos = 0;
    for (std::size_t i = 0; i < pages.pages.size(); ++i) {
        const layout::GlyphRun* last = nullptr;  // the end of the page's last line of body text
        for (const layout::GlyphRun& r : pages.pages[i].runs)
            if (std::abs(r.size - style.size) < 0.01 && r.y > style.top && r.y < style.page_height - style.bottom &&
                (!last || r.y > last->y + 0.01 || (std::abs(r.y - last->y) <= 0.01 && r.x > last->x)))
                last = &r;
        if (!last || last->text.empty() || last->text.back() != '-') continue;
        ++ending;
        rectos += i % 2 == 0;
    }
    EXPECT_EQ(stats.hyphenated_page_ends, ending);
    EXPECT_EQ(stats.hyphenated_recto_ends, rectos);
    EXPECT_GE(stats.hyphenated_lines, 100) << "the book no longer hyphenates enough to test the rule";
    // Without the rule 9 pages of this book end in a hyphen; with it, one, where the
    // other rules keep the line on its page.
    EXPECT_LE(stats.hyphenated_page_ends, 1);
    EXPECT_EQ(stats.widows, 0);
    EXPECT_EQ(stats.orphans, 0);
}

// The faults --stats counts are noted where they are, for the preview's notes
// (folio serve): one note per counted fault, in page order, on the page that
// shows the line it quotes.
TEST(Typeset, EachCountedFaultIsNotedOnItsPage) {
    test::ScratchDir dir;
    write_varied_book(dir.path(), 40);
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    layout::PrintStyle style = build::print_style(book, d);
    style.inner = style.outer = 120;  // a narrow measure, so that there are faults to note
    layout::LayoutStats stats;
    const layout::Pages pages = layout::typeset(book, style, d, &stats);
    auto noted = [&](std::string_view what) {
        return std::count_if(stats.notes.begin(), stats.notes.end(),
                             [&](const layout::LayoutNote& n) { return n.what.starts_with(what); });
    };
    EXPECT_EQ(noted("overfull line"), stats.overfull_lines);
    EXPECT_EQ(noted("widow"), stats.widows);
    EXPECT_EQ(noted("orphan"), stats.orphans);
    EXPECT_EQ(noted("a word hyphenated over the turn of the leaf"), stats.hyphenated_recto_ends);
    EXPECT_EQ(noted("a third hyphenated line in a row") > 0, stats.max_consecutive_hyphens >= 3);
    EXPECT_GT(noted("loose line") + noted("tight line"), 0) << "the measure no longer makes loose lines to note";
    int previous = 1;
    for (const layout::LayoutNote& n : stats.notes) {
        ASSERT_GE(n.page, previous) << n.what;
        ASSERT_LE(n.page, static_cast<int>(pages.pages.size())) << n.what;
        previous = n.page;
        // The quoted line's first word is set on that page.
        const std::size_t open = n.what.find("\u201C");
        ASSERT_NE(open, std::string::npos) << n.what;
        std::string first = n.what.substr(open + 3);
        first = first.substr(0, std::min(first.find(' '), first.find("\u201D")));
        ASSERT_FALSE(first.empty()) << n.what;
        const auto& runs = pages.pages[static_cast<std::size_t>(n.page - 1)].runs;
        EXPECT_TRUE(std::any_of(runs.begin(), runs.end(),
                                [&](const layout::GlyphRun& r) { return r.text.starts_with(first); }))
            << n.what << " on page " << n.page;
    }
}

// Display pages as books set them: a long title balanced over its lines, the
// copyright notice at the foot of its page, a contents entry that wraps hanging
// under its first line.
TEST(Typeset, TitlesBalancedNoticeAtTheFootEntriesHang) {
    test::ScratchDir dir;
    const std::string title =
        "An article whose title is long enough to need a second line and then some more words";
    test::spit(dir / "book.yaml", "title: T\nlanguage: en\nrights: All rights reserved.\ncredits: optional\n"
                                  "chapters:\n  - title: One\n    articles: [a.md]\n");
    test::spit(dir / "a.md", "---\ntitle: " + title + "\n---\n\nText.\n");
    Diagnostics d;
    const doc::Book book = book::load_book(dir.path(), d);
    const layout::PrintStyle style = build::print_style(book, d);
    const layout::Pages pages = layout::typeset(book, style, d);
    auto extent = [](const layout::GlyphRun& r) { return r.glyphs.empty() ? 0.0 : r.glyphs.back().x; };
    std::string letters = title;  // runs hold glyphs, not the spaces between words
    letters.erase(std::remove(letters.begin(), letters.end(), ' '), letters.end());
    std::vector<double> title_widths, entry_x;
    double notice_bottom = 0;
    for (const layout::Page& p : pages.pages)
        for (const layout::GlyphRun& r : p.runs) {
            if (std::abs(r.size - style.heading_sizes[0]) < 0.01 && r.text.size() > 6 &&
                letters.find(r.text) != std::string::npos)
                title_widths.push_back(extent(r));
            if (r.text.find("reserved") != std::string::npos)  // the notice's page: its lowest line
                for (const layout::GlyphRun& other : p.runs) notice_bottom = std::max(notice_bottom, other.y);
            if (p.anchors.size() && p.anchors.front().name == "contents" && std::abs(r.size - style.size) < 0.01 &&
                (r.text.rfind("Anarticle", 0) == 0 || r.text.find("words") != std::string::npos))
                entry_x.push_back(r.x);
        }
    ASSERT_GE(title_widths.size(), 2u) << "the title on more than one line";
    const auto [narrowest, widest] = std::minmax_element(title_widths.begin(), title_widths.end());
    EXPECT_GT(*narrowest / *widest, 0.8) << testing::PrintToString(title_widths);
    EXPECT_GT(notice_bottom, style.top + style.grid_depth() - style.leading) << "the notice is not at the foot";
    ASSERT_EQ(entry_x.size(), 2u) << "the contents entry on two lines";
    EXPECT_GT(entry_x[1], entry_x[0] + style.size / 2) << "the second line does not hang";
}

// Counts the passes over a book: each setting of the book gives the memo its
// context once (FontContext::remember_with), and keeps nothing.
class PassCounter final : public layout::ParagraphMemo {
public:
    int passes = 0;
    void set_context(std::string_view) override { ++passes; }
    layout::MemoKey key(std::string_view material) const override {
        return {std::hash<std::string_view>{}(material), material.size()};
    }
    bool read_kept(const std::string&, const layout::MemoKey&, const std::function<bool(const Kept&)>&) override {
        return false;
    }
    void keep(const std::string&, const layout::MemoKey&, std::string) override {}
    void finish(const std::string&) override {}
};

// The print interior's gutter follows its page count. A book of more articles than
// the widest gutter's 700 pages (each article opens a page) is set once, at that
// gutter; one of 160 articles still takes a first pass to count its pages.
TEST(Typeset, ABookLongerThanTheWidestGuttersPagesIsSetForPrintOnce) {
    for (const int articles : {160, 702}) {
        SCOPED_TRACE(articles);
        test::ScratchDir dir;
        std::string yaml = "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles:\n";
        for (int k = 0; k < articles; ++k) {
            const std::string name = "a" + std::to_string(k) + ".md";
            yaml += "      - " + name + "\n";
            test::spit(dir / name, "---\ntitle: Note " + std::to_string(k) + "\n---\n\nA line.\n");
        }
        test::spit(dir / "book.yaml", yaml);
        Diagnostics d;
        const doc::Book book = book::load_book(dir.path(), d);
        const layout::PrintStyle style = build::print_style(book, d);
        PassCounter counter;
        const layout::Pages pages = layout::typeset_for_print(book, style, d, nullptr, &counter);
        EXPECT_GT(static_cast<int>(pages.pages.size()), articles);
        // 160 articles: a pass at the narrowest gutter (over 150 pages), then one at the next.
        EXPECT_EQ(counter.passes, articles == 160 ? 2 : 1);
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
    double first_column_end = 0;
    for (const layout::GlyphRun& r : s.pages.pages[images[0].first].runs)
        if (r.text == "one") first_column_end = r.x + r.glyphs.back().x;
    ASSERT_GT(first_column_end, 0);
    EXPECT_GT(images[0].second.x, first_column_end + s.style.size * 0.5) << "in the second column";
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

// Ten pictures of 450 x 300 pixels between paragraphs of many lengths, the even ones
// figures with a caption ("Caption 2"); paragraph k before picture k begins with
// the word "B<k>q", the one after it with "A<k>q".
struct PictureBook {
    Set set;
    std::vector<std::pair<std::size_t, layout::PlacedImage>> images;
    // The page of the first run whose text holds `word`.
    std::size_t page_of(const std::string& word) const {
        for (std::size_t i = 0; i < set.pages.pages.size(); ++i)
            for (const layout::GlyphRun& r : set.pages.pages[i].runs)
                if (r.text.find(word) != std::string::npos) return i;
        return set.pages.pages.size();
    }
    // Where the page's last line of body text stands: the largest baseline of text
    // in the body size.
    double last_baseline(std::size_t page) const {
        double y = 0;
        for (const layout::GlyphRun& r : set.pages.pages[page].runs)
            if (std::abs(r.size - set.style.size) < 0.01 && r.y < set.style.page_height - set.style.bottom)
                y = std::max(y, r.y);
        return y;
    }
};

PictureBook picture_book(test::ScratchDir& dir) {
    write_picture(dir, "p.png", 450, 300);
    static const char* const kWords[] = {"the", "margin", "of", "a", "page", "is", "white", "space", "and", "type"};
    std::uint32_t seed = 7;
    auto words = [&](int n) {
        std::string out;
        for (int i = 0; i < n; ++i) {
            seed = seed * 1664525u + 1013904223u;
            out += std::string(" ") + kWords[(seed >> 8) % std::size(kWords)];
        }
        return out + ".";
    };
    std::string md;
    for (int k = 1; k <= 10; ++k) {
        md += "B" + std::to_string(k) + "q" + words(60 + (k * 53) % 170) + "\n\n";
        md += "![p" + std::to_string(k) + "](p.png" + (k % 2 ? "" : " \"Caption " + std::to_string(k) + "\"") + ")\n\n";
        md += "A" + std::to_string(k) + "q" + words(40 + (k * 31) % 120) + "\n\n";
    }
    PictureBook b{set_book(md, dir), {}};
    b.images = placed(b.set.pages);
    return b;
}

// A picture that does not fit the rest of its page is held for the top of the next,
// and the text after it fills this page, which still ends on its last grid line;
// the picture keeps its natural size (450 x 300 pixels at the style's resolution)
// and its place among the pictures.
TEST(TypesetPictures, APictureTooTallForTheRestOfThePageGoesOverAndTheTextAfterItFillsThePage) {
    test::ScratchDir dir;
    const PictureBook b = picture_book(dir);
    const layout::PrintStyle& style = b.set.style;
    ASSERT_EQ(b.images.size(), 10u);
    const double grid_baseline = style.top + style.grid_depth() - style.leading * 0.22;
    int held = 0;
    for (std::size_t k = 0; k < b.images.size(); ++k) {
        const auto& [page, im] = b.images[k];
        EXPECT_NEAR(im.width, 450 * 72.0 / style.image_ppi, 1e-6) << "picture " << k + 1 << " shrunk";
        EXPECT_NEAR(im.height, 300 * 72.0 / style.image_ppi, 1e-6) << "picture " << k + 1 << " shrunk";
        if (k > 0) {
            EXPECT_GT(im.where.line, b.images[k - 1].second.where.line) << "pictures out of order";
        }
        const std::string n = std::to_string(k + 1);
        EXPECT_LE(b.page_of("B" + n + "q"), page) << "picture " << n << " before the text it follows";
        if (b.page_of("A" + n + "q") >= page) continue;  // in its place
        ++held;
        EXPECT_EQ(b.page_of("A" + n + "q") + 1, page) << "picture " << n << " held further than the next page";
        EXPECT_NEAR(im.y, style.top, 1e-6) << "a held picture " << n << " begins its page";
        EXPECT_GE(b.last_baseline(page - 1), grid_baseline - 0.5) << "the page picture " << n << " left is short";
    }
    EXPECT_GE(held, 2) << "the book no longer makes a picture go over; change its paragraphs";
}

// The book set as typeset() sets it, a piece for each part that opens a page: the
// front matter, each titled chapter's opener, each article, the credits.
std::vector<layout::Flow> set_in_pieces(layout::Setter& setter, const doc::Book& book) {
    setter.root = layout::make_element("Document", nullptr, book.language);
    std::vector<layout::Flow> pieces;
    pieces.push_back(setter.front_matter());
    for (const doc::Chapter& c : book.chapters) {
        if (!c.title.empty()) pieces.push_back(setter.chapter_opener(c));
        for (const doc::Article& a : c.articles) pieces.push_back(setter.article(a, c.title));
    }
    pieces.push_back(setter.credits_page());
    return pieces;
}

// The final pass tells its caller which items it has passed for good (typeset frees
// each article's flow then, which keeps a long book's peak down). Here those items
// are spoilt as soon as they are given up: the pages must come out as they do when
// nothing is, so nothing given up was read again.
TEST(Paginate, ItemsItHasGivenUpAreNeverReadAgain) {
    test::ScratchDir dir;
    picture_book(dir);  // pictures held for the next page while text fills this one
    for (const fs::path& folder :
         {test::source_dir() / "books/field-guide", test::source_dir() / "books/balkan-academia", dir.path()}) {
        Diagnostics d;
        const doc::Book book = book::load_book(folder, d);
        const layout::PrintStyle style = build::print_style(book, d);
        layout::FontContext ctx(style);
        ctx.diagnostics = &d;
        auto pages_of = [&](bool spoil) {
            layout::Setter setter(book, style, ctx);
            std::vector<layout::Flow> flows = set_in_pieces(setter, book);
            std::vector<layout::FlowItem*> flow;
            for (layout::Flow& f : flows)
                for (layout::FlowItem& it : f) flow.push_back(&it);
            std::size_t given_up = 0, calls = 0;
            const auto done_before = [&](std::size_t n) {
                EXPECT_GE(n, given_up);  // never taken back
                ++calls;
                for (; given_up < n; ++given_up) {
                    if (!spoil) continue;
                    layout::FlowItem& it = *flow[given_up];
                    it.kind = layout::FlowItem::Kind::Skip;
                    it.amount = it.line.height = 1e6;
                    it.keep_with_next = it.credit = it.stays_at_top = true;
                    it.line.hyphenated = !it.line.hyphenated;
                    it.first_of_paragraph = !it.first_of_paragraph;
                    it.last_of_paragraph = !it.last_of_paragraph;
                    it.anchors = {"spoilt"};
                    it.table_head.reset();
                }
            };
            layout::Pages pages =
                layout::paginate(flow, setter.footnotes, style, ctx, book, nullptr, /*dry=*/false, done_before);
            EXPECT_GT(calls, 2u);
            EXPECT_GT(given_up, flow.size() / 2) << "most of the flow is given up before the end";
            std::string out;
            for (const layout::Page& p : pages.pages) {
                out += "page " + p.label + "\n";
                for (const layout::Anchor& a : p.anchors) out += "  #" + a.name + "\n";
                for (const layout::PlacedImage& im : p.images)
                    out += "  picture " + std::to_string(std::lround(im.y * 100)) + " " + im.resource + "\n";
                for (const layout::GlyphRun& r : p.runs)
                    out += "  " + std::to_string(std::lround(r.x * 100)) + "," +
                           std::to_string(std::lround(r.y * 100)) + " " + r.text + "\n";
            }
            return out;
        };
        const std::string plain = pages_of(false);
        EXPECT_GT(plain.size(), 1000u);
        EXPECT_EQ(pages_of(true), plain) << folder;
    }
}

// Pages made while the book is still being set (paginate_as_set, given the flow
// a piece at a time: the front matter, each opener and article, the credits) break
// exactly where the whole flow given at once breaks: the paginator's look ahead
// never passes the page the next piece opens. So they do when each piece is given
// in two steps, its opening page first and its rest once the pages before it are
// made (as print's credits are, which cite those pages): by then every page that
// opens a piece before it is among the pages made.
TEST(Paginate, GivenAPieceAtATimeItBreaksAsGivenTheWholeFlow) {
    test::ScratchDir dir;
    picture_book(dir);  // pictures held for the next page while text fills this one
    for (const fs::path& folder :
         {test::source_dir() / "books/field-guide", test::source_dir() / "books/balkan-academia",
          test::source_dir() / "tests/fixtures/layout/footnote", test::source_dir() / "tests/fixtures/books/twin-notes",
          dir.path()}) {
        Diagnostics d;
        const doc::Book book = book::load_book(folder, d);
        const layout::PrintStyle style = build::print_style(book, d);
        layout::FontContext ctx(style);
        ctx.diagnostics = &d;
        enum class Given { Whole, Pieces, OpeningsFirst };
        auto pages_of = [&](Given how, bool dry) {
            layout::Setter setter(book, style, ctx);
            std::vector<layout::Flow> pieces = set_in_pieces(setter, book);
            std::vector<layout::FlowItem*> flow;
            const auto give = [&](layout::Flow& f, std::size_t from) {
                for (std::size_t k = from; k < f.size(); ++k) flow.push_back(&f[k]);
            };
            if (how == Given::Whole) {
                for (layout::Flow& f : pieces) give(f, 0);
                return layout::dump(layout::paginate(flow, setter.footnotes, style, ctx, book, nullptr, dry));
            }
            std::size_t given = 0;
            bool opened = false;  // pieces[given - 1]'s opening given, its rest not
            const layout::MorePieces more = [&](const std::vector<layout::Page>& made) {
                if (opened) {
                    opened = false;
                    std::set<std::string> anchors;
                    for (const layout::Page& p : made)
                        for (const layout::Anchor& a : p.anchors) anchors.insert(a.name);
                    for (std::size_t k = 0; k + 1 < given; ++k)
                        for (const std::string& a : pieces[k].front().anchors)
                            EXPECT_TRUE(anchors.count(a)) << "piece " << k << "'s #" << a << " not made";
                    give(pieces[given - 1], 1);
                } else if (given < pieces.size()) {
                    layout::Flow& piece = pieces[given++];
                    EXPECT_EQ(piece.front().kind, layout::FlowItem::Kind::NewPage);
                    opened = how == Given::OpeningsFirst;
                    give(piece, 0);
                    if (opened) flow.resize(flow.size() - (piece.size() - 1));
                }
                return opened || given < pieces.size();
            };
            const std::string out =
                layout::dump(layout::paginate_as_set(flow, more, setter.footnotes, style, ctx, book, nullptr, dry, {}));
            EXPECT_EQ(given, pieces.size());
            return out;
        };
        for (bool dry : {false, true}) {
            const std::string whole = pages_of(Given::Whole, dry);
            EXPECT_GT(whole.size(), dry ? 100u : 1000u);
            EXPECT_EQ(pages_of(Given::Pieces, dry), whole) << folder << (dry ? ", dry" : "");
            EXPECT_EQ(pages_of(Given::OpeningsFirst, dry), whole) << folder << (dry ? ", dry" : "");
        }
    }
}

// A figure's caption stays with its picture, held with it to the next page.
TEST(TypesetPictures, AFigureGoesOverWithItsCaption) {
    test::ScratchDir dir;
    const PictureBook b = picture_book(dir);
    ASSERT_EQ(b.images.size(), 10u);
    int held = 0;
    for (std::size_t k = 1; k < b.images.size(); k += 2) {
        const auto& [page, im] = b.images[k];
        const std::string n = std::to_string(k + 1);
        const layout::GlyphRun* caption = nullptr;
        for (const layout::GlyphRun& r : b.set.pages.pages[page].runs)
            if (r.text == "Caption" + n) caption = &r;  // a run's text holds no spaces
        ASSERT_NE(caption, nullptr) << "figure " << n << " and its caption on different pages";
        EXPECT_GT(caption->y, im.y + im.height) << "caption " << n << " not under its picture";
        EXPECT_LT(caption->y, im.y + im.height + b.set.style.leading * 2) << "caption " << n << " far from its picture";
        held += b.page_of("A" + n + "q") < page;
    }
    EXPECT_GE(held, 1) << "no figure of the book goes over; change its paragraphs";
}

// A tall picture that fits a page is set at its natural size (not shrunk to a share
// of the page), with its caption; one taller than a page is scaled to fit one.
TEST(TypesetPictures, ATallPictureKeepsItsNaturalSizeWhenItFitsAPage) {
    test::ScratchDir dir;
    write_picture(dir, "tall.png", 600, 900);    // at the style's 150 ppi: 288 x 432 pt, most of a page
    write_picture(dir, "huge.png", 600, 3000);   // 288 x 1440 pt: taller than the text block
    const Set s = set_book("Before the pictures, a paragraph.\n\n![tall](tall.png \"A tall one\")\n\n"
                           "Between them.\n\n![huge](huge.png)\n\nAfter them.\n",
                           dir);
    const auto images = placed(s.pages);
    ASSERT_EQ(images.size(), 2u);
    const double natural = 900 * 72.0 / s.style.image_ppi;
    ASSERT_GT(natural, s.style.text_height() * 0.45);  // the case is real: the old cap shrank it
    EXPECT_NEAR(images[0].second.height, natural, 1e-6);
    EXPECT_NEAR(images[0].second.width, 600 * 72.0 / s.style.image_ppi, 1e-6);
    const layout::PlacedImage& huge = images[1].second;
    EXPECT_LE(huge.y + huge.height, s.style.top + s.style.text_height() + 0.01) << "the huge picture leaves the page";
    EXPECT_NEAR(huge.width / huge.height, 600.0 / 3000.0, 1e-6);
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

namespace folio {
namespace {

// ---- tables -------------------------------------------------------------------------

double right_of(const layout::GlyphRun& r, const layout::FontSet& fonts) {
    const layout::Font& f = fonts[r.font];
    return r.x + r.glyphs.back().x + f.advance(r.glyphs.back().gid) * r.size / f.units_per_em() * r.hscale;
}

// No two runs on one baseline overlap: no cell prints over another.
void expect_no_overprint(const std::vector<layout::GlyphRun>& runs, const layout::FontSet& fonts) {
    std::map<long, std::vector<const layout::GlyphRun*>> by_line;
    for (const layout::GlyphRun& r : runs)
        if (!r.glyphs.empty()) by_line[std::lround(r.y * 100)].push_back(&r);
    for (auto& [y, line] : by_line) {
        std::sort(line.begin(), line.end(), [](auto* a, auto* b) { return a->x + a->glyphs.front().x < b->x + b->glyphs.front().x; });
        for (std::size_t i = 1; i < line.size(); ++i)
            EXPECT_LE(right_of(*line[i - 1], fonts), line[i]->x + line[i]->glyphs.front().x + 0.01)
                << "\"" << line[i - 1]->text << "\" prints over \"" << line[i]->text << "\"";
    }
}

// The runs of a page's text block (not its running head or folio).
std::vector<const layout::GlyphRun*> text_block_runs(const layout::Page& p, const layout::PrintStyle& style) {
    std::vector<const layout::GlyphRun*> out;
    for (const layout::GlyphRun& r : p.runs)
        if (!r.glyphs.empty() && r.y > style.top && r.y < style.page_height - style.bottom) out.push_back(&r);
    return out;
}

double left_margin(std::size_t page_index, const layout::PrintStyle& style) {
    return page_index % 2 == 0 ? style.inner : style.outer;
}

// Every run of the text block inside the measure, and none over another.
void expect_fitted(const Set& s) {
    for (std::size_t i = 0; i < s.pages.pages.size(); ++i) {
        const layout::Page& p = s.pages.pages[i];
        expect_no_overprint(p.runs, *s.pages.fonts);
        for (const layout::GlyphRun* r : text_block_runs(p, s.style)) {
            // Punctuation may hang into the margin (protrusion): at most 0.4 em.
            const double hang = 0.4 * r->size + 0.01;
            EXPECT_GE(r->x + r->glyphs.front().x, left_margin(i, s.style) - hang) << r->text;
            EXPECT_LE(right_of(*r, *s.pages.fonts), left_margin(i, s.style) + s.style.text_width() + hang) << r->text;
        }
        if (!p.turned) continue;
        expect_no_overprint(p.turned->runs, *s.pages.fonts);
        for (const layout::GlyphRun& r : p.turned->runs) {
            EXPECT_GE(r.x + r.glyphs.front().x, s.style.bottom - 0.01) << r.text;
            EXPECT_LE(right_of(r, *s.pages.fonts), s.style.page_height - s.style.top + 0.01) << r.text;
            EXPECT_GE(r.y, left_margin(i, s.style)) << r.text;
            EXPECT_LE(r.y, left_margin(i, s.style) + s.style.text_width()) << r.text;
        }
    }
}

std::string all_text(const Set& s) {
    std::string out;
    for (const layout::Page& p : s.pages.pages) {
        for (const layout::GlyphRun& r : p.runs) out += r.text + " ";
        if (p.turned)
            for (const layout::GlyphRun& r : p.turned->runs) out += r.text + " ";
    }
    return out;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

bool any_turned(const Set& s) {
    for (const layout::Page& p : s.pages.pages)
        if (p.turned) return true;
    return false;
}

TEST(TypesetTables, ColumnsAreAsWideAsTheirContent) {
    std::string remarks;
    for (int i = 0; i < 40; ++i) remarks += "harbour ";
    test::ScratchDir dir;
    const Set s = set_book("| No. | Remarks |\n|---:|---|\n| 1 | " + remarks + "|\n| 22 | short |\n", dir);
    expect_fitted(s);
    std::size_t page = 0;
    const layout::GlyphRun* short_run = nullptr;
    for (std::size_t i = 0; i < s.pages.pages.size(); ++i)
        for (const layout::GlyphRun& r : s.pages.pages[i].runs)
            if (r.text == "short") short_run = &r, page = i;
    ASSERT_TRUE(short_run);
    const double second_column = short_run->x - left_margin(page, s.style);
    EXPECT_LT(second_column, s.style.text_width() * 0.15) << "the column of numbers is narrow";
    std::set<long> remark_lines;
    for (const layout::GlyphRun& r : s.pages.pages[page].runs)
        if (r.text.find("harbour") != std::string::npos) {
            remark_lines.insert(std::lround(r.y));
            EXPECT_NEAR(r.x, short_run->x, 0.01) << "the remarks column starts where its other cells do";
        }
    EXPECT_GE(remark_lines.size(), 3u) << "the long cell wraps";
}

// A table of a few short columns keeps its natural width: its rules end where it does.
TEST(TypesetTables, ANarrowTableKeepsItsWidth) {
    test::ScratchDir dir;
    const Set s = set_book("| A | B |\n|---|---|\n| 1 | 2 |\n", dir);
    double widest_rule = 0;
    for (const layout::Page& p : s.pages.pages)
        for (const layout::Rule& r : p.rules) widest_rule = std::max(widest_rule, r.width);
    EXPECT_GT(widest_rule, 0);
    EXPECT_LT(widest_rule, s.style.text_width() / 4);
}

TEST(TypesetTables, ATooWideTableIsSetSmaller) {
    // As many columns of one unbreakable figure as are one too many at the table's
    // usual size (90 % of the text's), measured with the style's own fonts.
    test::ScratchDir dir;
    const layout::PrintStyle style = set_book("Nothing but the style.\n", dir).style;
    layout::FontContext ctx(style);
    layout::ParagraphOptions o;
    o.align = layout::Align::Ragged;
    o.width = 1000;
    auto table_width = [&](std::size_t columns, double size) {
        o.size = size;
        const double figure = layout::content_widths({doc::Inline{doc::Text{"12345678"}}}, o, ctx).min;
        return static_cast<double>(columns) * figure + static_cast<double>(columns - 1) * size;
    };
    std::size_t columns = 1;
    while (table_width(columns, style.size * 0.9) <= style.text_width()) ++columns;
    ASSERT_LE(table_width(columns, style.size * 0.72), style.text_width()) << "the test's table fits at no size";
    std::string md = "|", rule = "|", row = "|";
    for (std::size_t c = 0; c < columns; ++c) md += " H |", rule += "---|", row += " 12345678 |";
    const Set s = set_book(md + "\n" + rule + "\n" + row + "\n" + row + "\n", dir);
    expect_fitted(s);
    EXPECT_FALSE(any_turned(s));
    int figures = 0;
    for (const layout::Page& p : s.pages.pages)
        for (const layout::GlyphRun& r : p.runs)
            if (r.text == "12345678") {
                ++figures;
                EXPECT_LT(r.size, style.size * 0.9 - 0.01);
                EXPECT_GE(r.size, style.size * 0.72 - 0.01);
            }
    EXPECT_EQ(figures, static_cast<int>(2 * columns));
}

TEST(TypesetTables, LongAddressesInCellsBreakAndNeverOverprint) {
    test::ScratchDir dir;
    const Set s = set_book(
        "| Name | Address | Checksum |\n|---|---|---|\n"
        "| Archive | https://example.org/collections/maritime/records/1887/harbour-master/ledger?page=12&view=full "
        "| 3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed7e6dc881 |\n"
        "| Catalogue | www.example.net/catalogue/search?query=lighthouse_keepers&sort=date#results | none |\n",
        dir);
    expect_fitted(s);
    EXPECT_FALSE(any_turned(s));
    const std::string text = all_text(s);
    for (const char* end : {"view=full", "#results", "6dc881 "}) EXPECT_NE(text.find(end), std::string::npos) << end;
}

TEST(TypesetTables, AVeryWideTableIsTurnedOnAPageOfItsOwn) {
    std::string md = "| Year |", rule = "|---|";
    for (int c = 1; c <= 13; ++c) md += " Port " + std::to_string(c) + " |", rule += "---:|";
    md += "\n" + rule + "\n";
    for (int y = 1880; y < 1890; ++y) {
        md += "| " + std::to_string(y) + " |";
        for (int c = 1; c <= 13; ++c) md += " " + std::to_string(10000 + y * 13 + c) + " |";
        md += "\n";
    }
    test::ScratchDir dir;
    const Set s = set_book("Before the table.\n\n" + md + "\nAfter the table.\n", dir);
    expect_fitted(s);
    std::size_t turned = 0;
    for (std::size_t i = 0; i < s.pages.pages.size(); ++i) {
        const layout::Page& p = s.pages.pages[i];
        if (!p.turned) continue;
        ++turned;
        EXPECT_TRUE(text_block_runs(p, s.style).empty()) << "the turned table has the page to itself";
        bool folio = false, head = false;
        for (const layout::GlyphRun& r : p.runs) {
            folio = folio || r.text == p.label;
            head = head || r.y < s.style.top;
        }
        EXPECT_TRUE(folio) << "the folio stays";
        EXPECT_FALSE(head) << "no running head over a turned table";
    }
    EXPECT_EQ(turned, 1u);
    const std::string text = all_text(s);
    for (int y = 1880; y < 1890; ++y)
        for (int c = 1; c <= 13; ++c) EXPECT_EQ(count_of(text, std::to_string(10000 + y * 13 + c)), 1u);
    EXPECT_LT(text.find("Before"), text.find("1880")) << "in its place in the text";
    EXPECT_LT(text.find("1880"), text.find("After"));
}

TEST(TypesetTables, SixtyColumnsAreSetInGroupsWithoutOverprinting) {
    std::string md = "| Key |", rule = "|---|";
    for (int c = 1; c < 60; ++c) md += " K" + std::to_string(c) + " |", rule += "---|";
    md += "\n" + rule + "\n";
    for (int r = 1; r <= 3; ++r) {
        md += "| Row" + std::to_string(r) + " |";
        for (int c = 1; c < 60; ++c) md += " " + std::to_string(1000 * r + c) + " |";
        md += "\n";
    }
    test::ScratchDir dir;
    const Set s = set_book(md, dir);
    expect_fitted(s);
    const std::string text = all_text(s);
    for (int r = 1; r <= 3; ++r) {
        for (int c = 1; c < 60; ++c) EXPECT_EQ(count_of(text, " " + std::to_string(1000 * r + c) + " "), 1u);
        EXPECT_GE(count_of(text, "Row" + std::to_string(r)), 2u) << "the first column begins each group";
    }
}

TEST(TypesetTables, ALongTableRepeatsItsHeaderOnEveryPage) {
    std::string md = "| No. | Name | Remarks |\n|---:|---|---|\n";
    for (int i = 1; i <= 120; ++i)
        md += "| " + std::to_string(i) + " | Ship" + std::to_string(i) + " | " +
              (i % 7 == 0 ? "a remark long enough to take two lines in its narrow column of the table" : "none") +
              " |\n";
    test::ScratchDir dir;
    const Set s = set_book(md + "\nThe end.\n", dir);
    expect_fitted(s);
    std::vector<std::size_t> pages;
    for (std::size_t i = 0; i < s.pages.pages.size(); ++i)
        for (const layout::GlyphRun& r : s.pages.pages[i].runs)
            if (r.text.rfind("Ship", 0) == 0 && (pages.empty() || pages.back() != i)) pages.push_back(i);
    ASSERT_GE(pages.size(), 3u);
    for (std::size_t k = 1; k < pages.size(); ++k) {
        const auto runs = text_block_runs(s.pages.pages[pages[k]], s.style);
        double top = 1e9;
        for (const layout::GlyphRun* r : runs) top = std::min(top, r->y);
        std::string first_line;
        for (const layout::GlyphRun* r : runs)
            if (std::abs(r->y - top) < 0.01) first_line += r->text + " ";
        EXPECT_EQ(first_line, "No. Name Remarks ") << "page " << pages[k] + 1;
    }
    const std::string text = all_text(s);
    for (int i = 1; i <= 120; ++i) EXPECT_EQ(count_of(text, "Ship" + std::to_string(i) + " "), 1u) << i;
}

}  // namespace
}  // namespace folio
