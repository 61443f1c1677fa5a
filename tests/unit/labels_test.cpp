// The table of the words folio writes itself: which words a language tag gets,
// that every language has every word, and what the book's pages make of them.
#include "book/credit.hpp"
#include "doc/labels.hpp"
#include "doc/matter.hpp"

#include <gtest/gtest.h>

#include <set>

namespace folio {
namespace {

TEST(Labels, ChosenByLanguageAndSerbianScript) {
    EXPECT_EQ(doc::labels_for("en").contents, "Contents");
    EXPECT_EQ(doc::labels_for("en-GB").credits, "Credits");
    EXPECT_EQ(doc::labels_for("sr-Latn").contents, "Sadržaj");
    EXPECT_EQ(doc::labels_for("sr-Latn-RS").credits, "Izvori");
    EXPECT_EQ(doc::labels_for("sh").contents, "Sadržaj");
    // Plain `sr` is Cyrillic, Serbia's official script (and CLDR's default).
    EXPECT_EQ(doc::labels_for("sr").contents, "Садржај");
    EXPECT_EQ(doc::labels_for("sr-Cyrl").credits, "Извори");
    EXPECT_EQ(doc::labels_for("SR-CYRL-RS").page, "стр.");
    EXPECT_EQ(doc::labels_for("hr").cover, "Naslovnica");
    EXPECT_EQ(doc::labels_for("bs").notes, "Bilješke");
    EXPECT_EQ(doc::labels_for("sq").contents, "Përmbajtja");
    EXPECT_EQ(doc::labels_for("de").credits, "Quellennachweise");
    EXPECT_EQ(doc::labels_for("de-AT").page, "S.");
    EXPECT_EQ(doc::labels_for("fr").contents, "Table des matières");
    EXPECT_EQ(doc::labels_for("fr").licence, "Licence\u00A0:");
    EXPECT_EQ(doc::labels_for("es").contents, "Índice");
    EXPECT_EQ(doc::labels_for("it").credits, "Crediti");
    // A language the table has no words for: English, with its own page abbreviation.
    EXPECT_EQ(doc::labels_for("ru").contents, "Contents");
    EXPECT_EQ(doc::labels_for("ru").page, "стр.");
    EXPECT_EQ(doc::labels_for("pl").page, "s.");
}

// Every language has every word, each template keeps its places, and only English
// says "Contents": a language that fell back to English by mistake would show it.
TEST(Labels, EveryLanguageHasEveryWord) {
    const doc::Labels english;
    for (const char* lang : {"en", "sr-Latn", "sr-Cyrl", "hr", "bs", "sq", "de", "fr", "es", "it"}) {
        SCOPED_TRACE(lang);
        doc::Labels l = doc::labels_for(lang);
        for (std::string_view key : doc::label_keys()) {
            const std::string* word = doc::find_label(l, key);
            ASSERT_NE(word, nullptr) << key;
            EXPECT_FALSE(word->empty()) << key;
        }
        EXPECT_NE(l.cover_alt.find("{title}"), std::string::npos);
        EXPECT_NE(l.published_by.find("{publisher}"), std::string::npos);
        EXPECT_NE(l.published_on.find("{date}"), std::string::npos);
        EXPECT_NE(l.published_by_on.find("{publisher}"), std::string::npos);
        EXPECT_NE(l.published_by_on.find("{date}"), std::string::npos);
        if (std::string_view(lang) != "en") {
            EXPECT_NE(l.contents, english.contents);
            EXPECT_NE(l.articles_licence, english.articles_licence);
        }
    }
}

TEST(Labels, EveryKeyNamesItsOwnLabel) {
    doc::Labels l;
    std::set<const std::string*> seen;
    for (std::string_view key : doc::label_keys()) {
        const std::string* word = doc::find_label(l, key);
        ASSERT_NE(word, nullptr) << key;
        EXPECT_TRUE(seen.insert(word).second) << key << " names a label another key names";
    }
    EXPECT_EQ(seen.size(), doc::label_keys().size());
    EXPECT_EQ(doc::find_label(l, "contnets"), nullptr);
    EXPECT_EQ(doc::find_label(l, "and_"), nullptr) << "book.yaml writes 'and'";
    *doc::find_label(l, "and") = "&";
    EXPECT_EQ(l.and_, "&");
    EXPECT_EQ(*doc::find_label(l, "contents"), "Contents");
}

TEST(Labels, FillJoinAndPageReference) {
    EXPECT_EQ(doc::fill_label("Published by {publisher}, {date}.", {{"publisher", "Acme"}, {"date", "2026-01-15"}}),
              "Published by Acme, 2026-01-15.");
    EXPECT_EQ(doc::fill_label("{unknown} {title}", {{"title", "T"}}), "{unknown} T");
    EXPECT_EQ(doc::fill_label("no place {", {}), "no place {");
    const doc::Labels en;
    EXPECT_EQ(doc::join_names({}, en), "");
    EXPECT_EQ(doc::join_names({"A"}, en), "A");
    EXPECT_EQ(doc::join_names({"A", "B"}, en), "A and B");
    EXPECT_EQ(doc::join_names({"A", "B", "C"}, en), "A, B and C");
    const doc::Labels sr = doc::labels_for("sr-Cyrl");
    EXPECT_EQ(doc::join_names({"Ана", "Марко", "Јована"}, sr), "Ана, Марко и Јована");
    EXPECT_EQ(doc::join_names({"Ana"}, doc::labels_for("de")), "Ana");
    EXPECT_EQ(doc::join_names({"Ana", "Ben"}, doc::labels_for("de")), "Ana und Ben");
    EXPECT_EQ(doc::page_reference(sr, "12"), " (стр.\u00A012)");
    EXPECT_EQ(doc::page_reference(doc::labels_for("de"), "xii"), " (S.\u00A0xii)");
}

// ---- credit lines and the copyright page in the book's words ----------------------

doc::Credit river_credit() {
    doc::Credit c;
    c.authors = {"Ана Петровић", "Марко Јовановић"};
    c.site = "Време";
    c.source = "https://example.org/reka";
    c.license = "CC BY 4.0";
    return c;
}

TEST(Labels, CreditLineInTheBooksWords) {
    doc::Credit c = river_credit();
    book::compose_typographic_credit(c, "Река", "sr-Cyrl", doc::labels_for("sr-Cyrl"));
    // The authors after a comma: no word for "by" that would have to agree with them.
    EXPECT_EQ(c.text, "„Река“, Ана Петровић и Марко Јовановић, објављено у публикацији Време: "
                      "https://example.org/reka. Лиценца: CC BY 4.0.");
    doc::Credit de = river_credit();
    book::compose_credit(de, "Fluss", doc::labels_for("de"));
    EXPECT_EQ(de.text, "\u201CFluss\u201D von Ана Петровић und Марко Јовановић, erschienen in Време: "
                       "https://example.org/reka. Lizenz: CC BY 4.0.");
    doc::Credit fr = river_credit();
    fr.authors = {"Anne"};
    book::compose_credit(fr, "Fleuve", doc::labels_for("fr"));
    EXPECT_EQ(fr.text, "\u201CFleuve\u201D par Anne, publié dans Време: https://example.org/reka. "
                       "Licence\u00A0: CC BY 4.0.");
    // A book's own word for "by", overridden, is used as given.
    doc::Labels own;
    own.by = "written by";
    doc::Credit en = river_credit();
    en.authors = {"Ann"};
    en.site.clear();
    en.source.clear();
    book::compose_credit(en, "River", own);
    EXPECT_EQ(en.text, "\u201CRiver\u201D written by Ann. Licence: CC BY 4.0.");
}

doc::Book serbian_book() {
    doc::Book b;
    b.title = "Записи";
    b.language = "sr-Cyrl";
    b.labels = doc::labels_for(b.language);
    b.publisher = "Пример";
    b.date = text::parse_date("2026-03-01");
    return b;
}

std::vector<std::string> texts(const std::vector<doc::Inlines>& paragraphs) {
    std::vector<std::string> out;
    for (const doc::Inlines& p : paragraphs) out.push_back(doc::plain_text(p));
    return out;
}

TEST(Labels, CopyrightPageAndCreditsPageInTheBooksWords) {
    doc::Book b = serbian_book();
    const std::string sentence = b.labels.articles_licence;
    EXPECT_EQ(texts(doc::copyright_page(b).statements),
              (std::vector<std::string>{"Записи", sentence, "Издавач: Пример, 2026-03-01."}));
    EXPECT_EQ(doc::rights_statement(b), sentence);
    b.date.reset();
    EXPECT_EQ(texts(doc::copyright_page(b).statements).back(), "Издавач: Пример.");
    b.publisher.clear();
    b.date = text::parse_date("2026-03-01");
    EXPECT_EQ(texts(doc::copyright_page(b).statements).back(), "Објављено 2026-03-01.");

    doc::Article a;
    a.id = "a01";
    a.title = "Мост";
    a.credit.text = "Фотографија: Ана";
    a.credit.verbatim = true;
    a.credit.license = "CC BY 4.0";
    book::compose_credit(a.credit, a.title, b.labels);
    doc::Article none;
    none.id = "a02";
    none.title = "Без извора";
    b.chapters.push_back({"c01", "", {a, none}});
    const std::vector<doc::CreditsEntry> page = doc::credits_page(b);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(texts(page[0].credit.lines), (std::vector<std::string>{"Фотографија: Ана", "Лиценца: CC BY 4.0"}));
    EXPECT_EQ(texts(page[1].credit.lines), std::vector<std::string>{"Извор није наведен."});
    EXPECT_EQ(doc::title_page(b).authors, "");
    b.authors = {"Ана", "Марко"};
    EXPECT_EQ(doc::title_page(b).authors, "Ана и Марко");
}

// Rights that already send readers to each article's own licence, in the book's
// language, are not followed by folio's sentence; any case, Cyrillic too.
TEST(Labels, RightsInTheBooksLanguageNameTheArticlesLicences) {
    doc::Book b = serbian_book();
    b.rights = "Сваки чланак је објављен под сопственом лиценцом; види изворе.";
    EXPECT_FALSE(doc::owes_articles_licence_statement(b));
    b.rights = "СВАКИ ЧЛАНАК има своје услове — види ИЗВОРИ.";
    EXPECT_FALSE(doc::owes_articles_licence_statement(b));
    b.rights = "© 2026 Ана Петровић. Сва права задржана.";
    EXPECT_TRUE(doc::owes_articles_licence_statement(b));
    b.rights = "Сваки чланак је CC BY 4.0.";  // each article, but no word of their own terms
    EXPECT_TRUE(doc::owes_articles_licence_statement(b));
    b.rights = b.labels.articles_licence;  // folio's own sentence, written out
    EXPECT_FALSE(doc::owes_articles_licence_statement(b));
    // English wording still counts in any book; German wording in a German one only.
    b.rights = "Each article keeps its own licence.";
    EXPECT_FALSE(doc::owes_articles_licence_statement(b));
    b.rights = "Jeder Beitrag steht unter seiner eigenen Lizenz.";
    EXPECT_TRUE(doc::owes_articles_licence_statement(b));
    b.language = "de";
    b.labels = doc::labels_for("de");
    EXPECT_FALSE(doc::owes_articles_licence_statement(b));
    EXPECT_TRUE(doc::rights_name_articles_licences("Çdo artikull ka licencën e vet.", "sq", doc::labels_for("sq")));
    EXPECT_TRUE(doc::rights_name_articles_licences("Svaki članak ima vlastite uvjete, vidi izvori.", "hr",
                                                   doc::labels_for("hr")));
}

}  // namespace
}  // namespace folio
