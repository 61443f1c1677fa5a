// Typographic punctuation per language (doc/typography.hpp): the string functions
// with hand-written input, the pass over hand-built books, and book.yaml's switch.
#include "book/load_book.hpp"
#include "doc/typography.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace folio {
namespace {

namespace fs = std::filesystem;

using doc::typographic_dashes;
using doc::typographic_quotes;
using doc::typographic_text;

// ---- quotation marks by language -----------------------------------------------------

struct LanguageCase {
    const char* lang;
    const char* expected;  // for "She said "go 'now' there"."
};

class QuotesByLanguage : public ::testing::TestWithParam<LanguageCase> {};

TEST_P(QuotesByLanguage, OuterAndInnerMarks) {
    EXPECT_EQ(typographic_text("She said \"go 'now' there\".", GetParam().lang), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Typography, QuotesByLanguage,
    ::testing::Values(LanguageCase{"en", "She said \u201Cgo \u2018now\u2019 there\u201D."},
                      LanguageCase{"en-GB", "She said \u201Cgo \u2018now\u2019 there\u201D."},
                      LanguageCase{"sr-Latn", "She said \u201Ego \u201Anow\u2018 there\u201C."},
                      LanguageCase{"sr-Cyrl", "She said \u201Ego \u201Anow\u2018 there\u201C."},
                      LanguageCase{"hr", "She said \u201Ego \u201Anow\u2018 there\u201C."},
                      LanguageCase{"bs", "She said \u201Ego \u201Anow\u2018 there\u201C."},
                      LanguageCase{"de", "She said \u201Ego \u201Anow\u2018 there\u201C."},
                      LanguageCase{"de-CH", "She said \u201Ego \u201Anow\u2018 there\u201C."},
                      LanguageCase{"sq", "She said \u00ABgo \u201Cnow\u201D there\u00BB."},
                      LanguageCase{"fr", "She said \u00AB\u202Fgo \u201Cnow\u201D there\u202F\u00BB."},
                      LanguageCase{"fr-CA", "She said \u00AB\u202Fgo \u201Cnow\u201D there\u202F\u00BB."},
                      LanguageCase{"es", "She said \u00ABgo \u201Cnow\u201D there\u00BB."},
                      LanguageCase{"it", "She said \u00ABgo \u201Cnow\u201D there\u00BB."},
                      LanguageCase{"ja", "She said \u201Cgo \u2018now\u2019 there\u201D."},  // unknown: English
                      LanguageCase{"", "She said \u201Cgo \u2018now\u2019 there\u201D."}),
    [](const ::testing::TestParamInfo<LanguageCase>& tested) {
        std::string name = *tested.param.lang ? tested.param.lang : "none";
        for (char& c : name) c = c == '-' ? '_' : c;
        return name;
    });

TEST(Typography, SerbianInBothScripts) {
    EXPECT_EQ(typographic_text("Rekao je: \"Dobro jutro.\"", "sr-Latn"), "Rekao je: \u201EDobro jutro.\u201C");
    EXPECT_EQ(typographic_text("Рекао је: \"Добро јутро.\"", "sr-Cyrl"), "Рекао је: \u201EДобро јутро.\u201C");
    EXPECT_EQ(typographic_text("Knjiga \"Na Drini ćuprija\"", "SR-latn"), "Knjiga \u201ENa Drini ćuprija\u201C");
}

TEST(Typography, NestingFollowsDepthNotTheKeyTyped) {
    // Double inside double: the inner one is the secondary pair.
    EXPECT_EQ(typographic_text("\"a \"b\" c\"", "en"), "\u201Ca \u2018b\u2019 c\u201D");
    // A third level takes the primary marks again.
    EXPECT_EQ(typographic_text("\"a 'b \"c\" d' e\"", "en"), "\u201Ca \u2018b \u201Cc\u201D d\u2019 e\u201D");
    // Single quotes alone are a quotation at the outer level.
    EXPECT_EQ(typographic_text("'a' and 'b'", "de"), "\u201Ea\u201C and \u201Eb\u201C");
    // Two quotations in a row stay at the same level.
    EXPECT_EQ(typographic_text("\"a\" then \"b\"", "sr"), "\u201Ea\u201C then \u201Eb\u201C");
    // An opening quote right after another opens too.
    EXPECT_EQ(typographic_text("\"'Hi,' she said.\"", "en"), "\u201C\u2018Hi,\u2019 she said.\u201D");
}

TEST(Typography, OpenOrCloseFromTheNeighbours) {
    EXPECT_EQ(typographic_text("(\"a\")", "en"), "(\u201Ca\u201D)");
    EXPECT_EQ(typographic_text("word\u2014\"quote\"", "en"), "word\u2014\u201Cquote\u201D");
    EXPECT_EQ(typographic_text("\"Stop\u2014\" she said", "en"), "\u201CStop\u2014\u201D she said");
    EXPECT_EQ(typographic_text("\u00BF\"Qu\u00E9?\"", "es"), "\u00BF\u00ABQu\u00E9?\u00BB");
    // A quotation running on into the next paragraph opens and is not closed here.
    EXPECT_EQ(typographic_text("\"The first paragraph.", "en"), "\u201CThe first paragraph.");
    // A quote with a space on both sides is no quotation mark anyone typed on purpose.
    EXPECT_EQ(typographic_text("5 \" 6 ' 7", "en"), "5 \" 6 ' 7");
}

TEST(Typography, Apostrophes) {
    EXPECT_EQ(typographic_text("don't", "en"), "don\u2019t");
    EXPECT_EQ(typographic_text("l'homme", "fr"), "l\u2019homme");
    EXPECT_EQ(typographic_text("the '90s", "en"), "the \u201990s");
    EXPECT_EQ(typographic_text("rock 'n' roll", "en"), "rock \u2019n\u2019 roll");
    EXPECT_EQ(typographic_text("the students' books", "en"), "the students\u2019 books");
    EXPECT_EQ(typographic_text("'Tis the season", "en"), "\u2019Tis the season");
    // Inside a quotation, an apostrophe does not close it.
    EXPECT_EQ(typographic_text("\"I can't,\" he said", "en"), "\u201CI can\u2019t,\u201D he said");
    // German closes a secondary quotation with ‘: an apostrophe is still ’.
    EXPECT_EQ(typographic_text("Max' Buch", "de"), "Max\u2019 Buch");
    EXPECT_EQ(typographic_text("Godina '99.", "sr-Latn"), "Godina \u201999.");
}

TEST(Typography, DashesAndEllipses) {
    EXPECT_EQ(typographic_text("pages 10--20", "en"), "pages 10\u201320");
    EXPECT_EQ(typographic_text("now -- or never", "en"), "now \u2013 or never");
    EXPECT_EQ(typographic_text("wait---what", "en"), "wait\u2014what");
    EXPECT_EQ(typographic_text("Well...", "en"), "Well\u2026");
    EXPECT_EQ(typographic_text("\"Well...\" he said", "en"), "\u201CWell\u2026\u201D he said");
    // Left as typed: an option, arrows, longer runs.
    EXPECT_EQ(typographic_text("run --verbose", "en"), "run --verbose");
    EXPECT_EQ(typographic_text("a --> b <-- c", "en"), "a --> b <-- c");
    EXPECT_EQ(typographic_text("---- and ....", "en"), "---- and ....");
    EXPECT_EQ(typographic_text("well-known", "en"), "well-known");
}

TEST(Typography, WebAddressesStayAsWritten) {
    EXPECT_EQ(typographic_text("See https://example.org/it's--here...x -- \"now\".", "en"),
              "See https://example.org/it's--here...x \u2013 \u201Cnow\u201D.");
    EXPECT_EQ(typographic_text("at https://example.org/a--b...c'd, then", "en"),
              "at https://example.org/a--b...c'd, then");
    // Quoted, the address is still one: its quotes are the sentence's.
    EXPECT_EQ(typographic_text("'https://example.org/a--b'", "en"), "\u201Chttps://example.org/a--b\u201D");
    EXPECT_EQ(typographic_text("\"https://example.org/a--b\"", "sr"), "\u201Ehttps://example.org/a--b\u201C");
}

TEST(Typography, QuotesOnlyAndDashesOnly) {
    const std::string s = "\"Don't\" -- ... ---";
    EXPECT_EQ(typographic_quotes(s, "en"), "\u201CDon\u2019t\u201D -- ... ---");
    EXPECT_EQ(typographic_dashes(s), "\"Don't\" \u2013 \u2026 \u2014");
}

TEST(Typography, ConvertingTwiceChangesNothing) {
    for (const char* lang : {"en", "sr-Latn", "fr", "sq", "de"}) {
        for (const char* s : {"\"a 'b' c\" -- d... don't '90s", "'Tis \"x\" 5 \" 6", "\"open only", "x's' \"\"",
                              "\u00AB deja \u00BB \"nouveau\""}) {
            const std::string once = typographic_text(s, lang);
            EXPECT_EQ(typographic_text(once, lang), once) << lang << ": " << s;
        }
    }
}

// Quotes that never pair: 100,000 single ones open, then 100,000 double ones close
// with nothing to close. Matching them against one list would take 10^10 steps
// (many seconds); linear, it takes milliseconds.
TEST(Typography, UnpairedQuotesTakeLinearTime) {
    std::string s;
    for (int i = 0; i < 100'000; ++i) s += "'a ";
    for (int i = 0; i < 100'000; ++i) s += "a\" ";
    const auto start = std::chrono::steady_clock::now();
    const std::string out = typographic_text(s, "de");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0);
    EXPECT_EQ(out.substr(0, 10), "\u2019a \u2019a ");  // never closed: apostrophes
    EXPECT_EQ(out.substr(out.size() - 5), "a\u201C ");    // German closing marks
}

// ---- the pass over a book -------------------------------------------------------------

doc::Inline text(std::string s) { return doc::Inline{doc::Text{std::move(s)}}; }
doc::Block paragraph(doc::Inlines content) { return doc::Block{doc::Paragraph{std::move(content)}}; }

// A book of one article whose body is `body`.
doc::Book book_with(doc::Blocks body, std::string book_lang = "en", std::string article_lang = "") {
    doc::Book b;
    b.language = std::move(book_lang);
    b.title = "The \"Book\" -- a test";
    b.subtitle = "Notes... and 'asides'";
    b.authors = {"Ann O'Brien"};
    b.publisher = "O'Reilly";
    b.rights = "\u00A9 2026 \"Us\" -- see https://example.org/it's";
    doc::Chapter c;
    c.title = "Part \"One\"";
    doc::Article a;
    a.title = "Don't -- \"panic\"";
    a.summary = "A \"summary\"...";
    a.authors = {"Bo 'Bud' Test"};
    a.lang = std::move(article_lang);
    a.body = std::move(body);
    c.articles.push_back(std::move(a));
    b.chapters.push_back(std::move(c));
    return b;
}

const doc::Inlines& first_paragraph(const doc::Book& b) {
    return std::get<doc::Paragraph>(b.chapters[0].articles[0].body.front().value).content;
}

TEST(ApplyTypography, QuotesRunAcrossInlineBoundaries) {
    doc::Blocks body;
    body.push_back(paragraph({text("\""), doc::Inline{doc::Emphasis{{text("word")}}}, text("\" and \""),
                              doc::Inline{doc::Strong{{text("bold")}}}, text("'s\"")}));
    doc::Book b = book_with(std::move(body));
    doc::apply_typography(b);
    const doc::Inlines& p = first_paragraph(b);
    EXPECT_EQ(doc::get<doc::Text>(p[0].value).text, "\u201C");
    EXPECT_EQ(doc::plain_text(p), "\u201Cword\u201D and \u201Cbold\u2019s\u201D");
}

TEST(ApplyTypography, CodeAutolinksAndAddressesAreLeftAlone) {
    doc::Blocks body;
    doc::Link autolink{"https://example.org/a--b'c", {}, {text("https://example.org/a--b'c")}, std::nullopt};
    doc::Link www{"http://www.example.org/x--y", {}, {text("www.example.org/x--y")}, std::nullopt};
    doc::Link mail{"mailto:o'brien@example.org", {}, {text("o'brien@example.org")}, std::nullopt};
    doc::Link named{"https://example.org/\"q\"--", "a \"title\"", {text("the \"site\"")}, std::nullopt};
    doc::Image image{"images/it's--x.png", "a \"map\" -- old", "", 0, 0};
    body.push_back(paragraph({text("Run \""), doc::Inline{doc::Code{"say \"hi\" --now ..."}}, text("\" or "),
                              doc::Inline{autolink}, text(", "), doc::Inline{www}, text(", "), doc::Inline{mail},
                              text(", "), doc::Inline{named}, text(" "), doc::Inline{image}}));
    body.push_back(doc::Block{doc::CodeBlock{"sh", "echo \"it's\" -- ...\n"}});
    doc::Book b = book_with(std::move(body));
    doc::apply_typography(b);
    const doc::Inlines& p = first_paragraph(b);
    EXPECT_EQ(doc::get<doc::Text>(p[0].value).text, "Run \u201C");
    EXPECT_EQ(doc::get<doc::Code>(p[1].value).text, "say \"hi\" --now ...");
    EXPECT_EQ(doc::get<doc::Text>(p[2].value).text, "\u201D or ");
    EXPECT_EQ(doc::plain_text(doc::get<doc::Link>(p[3].value).content), "https://example.org/a--b'c");
    EXPECT_EQ(doc::get<doc::Link>(p[3].value).url, "https://example.org/a--b'c");
    EXPECT_EQ(doc::plain_text(doc::get<doc::Link>(p[5].value).content), "www.example.org/x--y");
    EXPECT_EQ(doc::plain_text(doc::get<doc::Link>(p[7].value).content), "o'brien@example.org");
    const auto& link = doc::get<doc::Link>(p[9].value);
    EXPECT_EQ(link.url, "https://example.org/\"q\"--");
    EXPECT_EQ(link.title, "a \u201Ctitle\u201D");
    EXPECT_EQ(doc::plain_text(link.content), "the \u201Csite\u201D");
    const auto& img = doc::get<doc::Image>(p[11].value);
    EXPECT_EQ(img.src, "images/it's--x.png");
    EXPECT_EQ(img.alt, "a \u201Cmap\u201D \u2013 old");
    EXPECT_EQ(std::get<doc::CodeBlock>(b.chapters[0].articles[0].body[1].value).text, "echo \"it's\" -- ...\n");
}

TEST(ApplyTypography, TheInnermostLanguageChoosesTheMarks) {
    doc::Blocks body;
    body.push_back(paragraph({text("\"a\" "), doc::Inline{doc::Span{"fr", {text("\"b\"")}}}, text(" \"c\"")}));
    doc::Blocks serbian;
    serbian.push_back(paragraph({text("\"d\"")}));
    body.push_back(doc::Block{doc::Div{"sr-Cyrl", std::move(serbian)}});
    doc::Book b = book_with(std::move(body), "en", "de");
    doc::apply_typography(b);
    const doc::Article& a = b.chapters[0].articles[0];
    EXPECT_EQ(doc::plain_text(first_paragraph(b)),
              "\u201Ea\u201C \u00AB\u202Fb\u202F\u00BB \u201Ec\u201C");  // the article's German, the span's French
    const auto& div = std::get<doc::Div>(a.body[1].value);
    EXPECT_EQ(doc::plain_text(std::get<doc::Paragraph>(div.content[0].value).content), "\u201Ed\u201C");
    EXPECT_EQ(a.title, "Don\u2019t \u2013 \u201Epanic\u201C");  // the article's language
    EXPECT_EQ(b.chapters[0].title, "Part \u201COne\u201D");     // the book's
}

TEST(ApplyTypography, TitlesNamesHeadingsCaptionsCellsAndNotes) {
    doc::Blocks body;
    body.push_back(doc::Block{doc::Heading{2, {text("A \"heading\"")}, "a01-a-heading"}});
    doc::Blocks picture;
    picture.push_back(paragraph({doc::Inline{doc::Image{"x.png", "alt 'text'", "", 0, 0}}}));
    body.push_back(doc::Block{doc::Figure{std::move(picture), {text("A \"caption\"")}}});
    doc::Table table;
    table.aligns = {doc::Align::Default};
    table.header = {{text("\"Head\"")}};
    table.rows = {{{text("1990--1999")}}};
    body.push_back(doc::Block{std::move(table)});
    doc::Blocks quoted;
    quoted.push_back(paragraph({text("\"Quoted\"")}));
    body.push_back(doc::Block{doc::BlockQuote{std::move(quoted)}});
    doc::Book b = book_with(std::move(body));
    doc::Blocks note;
    note.push_back(paragraph({text("A \"note\"...")}));
    b.chapters[0].articles[0].notes.push_back({std::move(note)});
    doc::apply_typography(b);

    EXPECT_EQ(b.title, "The \u201CBook\u201D \u2013 a test");
    EXPECT_EQ(b.subtitle, "Notes\u2026 and \u201Casides\u201D");
    EXPECT_EQ(b.authors, std::vector<std::string>{"Ann O\u2019Brien"});
    EXPECT_EQ(b.publisher, "O\u2019Reilly");
    EXPECT_EQ(b.rights, "\u00A9 2026 \u201CUs\u201D -- see https://example.org/it's");  // quotes only
    const doc::Article& a = b.chapters[0].articles[0];
    EXPECT_EQ(a.summary, "A \u201Csummary\u201D\u2026");
    EXPECT_EQ(a.authors, std::vector<std::string>{"Bo \u201CBud\u201D Test"});
    EXPECT_EQ(doc::plain_text(std::get<doc::Heading>(a.body[0].value).content), "A \u201Cheading\u201D");
    const auto& figure = std::get<doc::Figure>(a.body[1].value);
    EXPECT_EQ(doc::plain_text(figure.caption), "A \u201Ccaption\u201D");
    EXPECT_EQ(doc::get<doc::Image>(std::get<doc::Paragraph>(figure.content[0].value).content[0].value).alt,
              "alt \u201Ctext\u201D");
    const auto& t = std::get<doc::Table>(a.body[2].value);
    EXPECT_EQ(doc::plain_text(t.header[0]), "\u201CHead\u201D");
    EXPECT_EQ(doc::plain_text(t.rows[0][0]), "1990\u20131999");
    const auto& q = std::get<doc::BlockQuote>(a.body[3].value);
    EXPECT_EQ(doc::plain_text(std::get<doc::Paragraph>(q.content[0].value).content), "\u201CQuoted\u201D");
    EXPECT_EQ(doc::plain_text(std::get<doc::Paragraph>(a.notes[0].content[0].value).content), "A \u201Cnote\u201D\u2026");
}

TEST(ApplyTypography, PlainLeavesEverythingAsWritten) {
    doc::Blocks body;
    body.push_back(paragraph({text("\"Don't\" -- wait... '90s")}));
    doc::Book b = book_with(std::move(body));
    b.typography = doc::Typography::Plain;
    doc::apply_typography(b);
    EXPECT_EQ(doc::plain_text(first_paragraph(b)), "\"Don't\" -- wait... '90s");
    EXPECT_EQ(b.title, "The \"Book\" -- a test");
    EXPECT_EQ(b.chapters[0].articles[0].title, "Don't -- \"panic\"");
    EXPECT_EQ(b.authors, std::vector<std::string>{"Ann O'Brien"});
}

// ---- book.yaml and credits, through load_book ------------------------------------------

// A book of two articles, English and Serbian, with `extra` lines in book.yaml.
doc::Book load(test::ScratchDir& dir, const std::string& extra, Diagnostics& d) {
    test::spit(dir / "book.yaml", "title: The \"Book\"\nlanguage: en\n" + extra +
                                      "chapters:\n  - title: One -- Two\n    articles: [en.md, sr.md]\n");
    test::spit(dir / "en.md",
               "---\ntitle: 'The \"best\" way -- really'\nauthor: \"Ann O'Brien\"\nsite: Ann's Blog\n"
               "source: https://example.org/it's--here\nlicense: \"CC BY 4.0\"\n---\n\n"
               "\"Don't\" -- she said... `\"code\"`\n");
    test::spit(dir / "sr.md",
               "---\ntitle: Reč \"more\"\nlang: sr-Latn\n"
               "credit: '\"Reč\" -- Ana''s, https://example.org/a''b--c ...'\n---\n\n\"Zdravo\", rekla je.\n");
    return book::load_book(dir.path(), d);
}

TEST(TypographyInBooks, SmartIsTheDefault) {
    test::ScratchDir dir;
    Diagnostics d;
    const doc::Book b = load(dir, "", d);
    EXPECT_EQ(d.warning_count(), 0u);
    EXPECT_EQ(b.title, "The \u201CBook\u201D");
    EXPECT_EQ(b.chapters[0].title, "One \u2013 Two");
    const doc::Article& en = b.chapters[0].articles[0];
    const doc::Article& sr = b.chapters[0].articles[1];
    EXPECT_EQ(en.title, "The \u201Cbest\u201D way \u2013 really");
    const auto& p = std::get<doc::Paragraph>(en.body.front().value).content;
    EXPECT_EQ(doc::plain_text(p), "\u201CDon\u2019t\u201D \u2013 she said\u2026 \"code\"");
    EXPECT_EQ(sr.title, "Re\u010D \u201Emore\u201C");
    EXPECT_EQ(doc::plain_text(std::get<doc::Paragraph>(sr.body.front().value).content), "\u201EZdravo\u201C, rekla je.");

    // A composed credit quotes the title as printed, its own quotes one level in;
    // the fields' apostrophes are typographic, the addresses as written.
    EXPECT_EQ(en.credit.text, "\u201CThe \u2018best\u2019 way \u2013 really\u201D by Ann O\u2019Brien, published in "
                              "Ann\u2019s Blog: https://example.org/it's--here. Licence: CC BY 4.0.");
    EXPECT_EQ(en.credit.authors, std::vector<std::string>{"Ann O\u2019Brien"});
    EXPECT_EQ(en.credit.site, "Ann\u2019s Blog");
    // A verbatim credit: its quotes and apostrophes only, in the article's language.
    const std::string written = "\"Re\u010D\" -- Ana's, https://example.org/a'b--c ...";
    EXPECT_EQ(sr.credit.text, doc::typographic_quotes(written, "sr-Latn"));
    EXPECT_EQ(sr.credit.text, "\u201ERe\u010D\u201C -- Ana\u2019s, https://example.org/a'b--c ...");
}

TEST(TypographyInBooks, PlainKeepsTheTextAsWritten) {
    test::ScratchDir dir;
    Diagnostics d;
    const doc::Book b = load(dir, "typography: plain\n", d);
    EXPECT_EQ(d.warning_count(), 0u);
    EXPECT_EQ(b.typography, doc::Typography::Plain);
    EXPECT_EQ(b.title, "The \"Book\"");
    EXPECT_EQ(b.chapters[0].title, "One -- Two");
    const doc::Article& en = b.chapters[0].articles[0];
    EXPECT_EQ(en.title, "The \"best\" way -- really");
    EXPECT_EQ(doc::plain_text(std::get<doc::Paragraph>(en.body.front().value).content),
              "\"Don't\" -- she said... \"code\"");
    EXPECT_EQ(en.credit.text, "\u201CThe \"best\" way -- really\u201D by Ann O'Brien, published in Ann's Blog: "
                              "https://example.org/it's--here. Licence: CC BY 4.0.");
    EXPECT_EQ(b.chapters[0].articles[1].credit.text, "\"Re\u010D\" -- Ana's, https://example.org/a'b--c ...");
}

TEST(TypographyInBooks, AnUnknownSettingIsALocatedError) {
    test::ScratchDir dir;
    Diagnostics d;
    try {
        load(dir, "typography: fancy\n", d);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.where().line, 3);
        EXPECT_EQ(e.where().column, 13);
        EXPECT_EQ(e.message(), "'typography' must be 'smart' or 'plain', got \"fancy\"");
    }
}

}  // namespace
}  // namespace folio
