// The pages folio adds around the articles, as typed doc content: what each says,
// before any writer sets it.
#include "book/credit.hpp"
#include "doc/matter.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

doc::Article article(std::string id, std::string title, std::string credit) {
    doc::Article a;
    a.id = std::move(id);
    a.title = std::move(title);
    a.credit.text = std::move(credit);
    return a;
}

std::vector<std::string> texts(const std::vector<doc::Inlines>& paragraphs) {
    std::vector<std::string> out;
    for (const doc::Inlines& p : paragraphs) out.push_back(doc::plain_text(p));
    return out;
}

TEST(Matter, TitlePageJoinsTheAuthorsForReading) {
    doc::Book b;
    b.title = "Essays";
    b.subtitle = "Collected";
    b.authors = {"Ana", "Ben", "Cara"};
    const doc::TitlePage page = doc::title_page(b);
    EXPECT_EQ(page.title, "Essays");
    EXPECT_EQ(page.subtitle, "Collected");
    EXPECT_EQ(page.authors, "Ana, Ben and Cara");
    EXPECT_EQ(page.publisher, "");
}

TEST(Matter, CreditBlockOwesTheLicenceAVerbatimCreditLeavesOut) {
    doc::Article a = article("a01", "T", "Photo and text: Ana, https://example.org/a.");
    a.credit.verbatim = true;
    a.credit.license = "CC BY 4.0";
    a.credit.license_url = "https://creativecommons.org/licenses/by/4.0/";
    book::compose_credit(a.credit, a.title, doc::Labels{});  // the licence rule lives beside the credit line
    const doc::CreditBlock block = doc::credit_block(doc::Book{}, a);
    ASSERT_EQ(block.lines.size(), 2u);
    EXPECT_EQ(doc::plain_text(block.lines[0]), "Photo and text: Ana, https://example.org/a.");
    ASSERT_EQ(block.lines[0].size(), 3u) << "the URL is a link";
    EXPECT_TRUE(doc::holds_alternative<doc::Link>(block.lines[0][1].value));
    EXPECT_EQ(doc::plain_text(block.lines[1]), "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)");

    a.credit.text = "Ana, CC BY 4.0";  // the licence named, its address not needed
    book::compose_credit(a.credit, a.title, doc::Labels{});
    EXPECT_EQ(a.credit.licence_line, "");
    EXPECT_EQ(doc::credit_block(doc::Book{}, a).lines.size(), 1u);
    a.credit.text.clear();
    EXPECT_TRUE(doc::credit_block(doc::Book{}, a).empty());
}

TEST(Matter, CreditsPageHasAnEntryPerArticleInReadingOrder) {
    doc::Book b;
    b.chapters.push_back({"c01", "One", {article("a01", "First", "By Ana.")}});
    b.chapters.push_back({"c02", "", {article("a02", "Drugi", ""), article("a03", "Third", "By Ben.")}});
    b.chapters[1].articles[0].lang = "sr-Latn";
    const std::vector<doc::CreditsEntry> page = doc::credits_page(b);
    ASSERT_EQ(page.size(), 3u);
    EXPECT_EQ(page[0].article_id, "a01");
    EXPECT_EQ(doc::plain_text(page[0].title), "First");
    EXPECT_EQ(texts(page[0].credit.lines), std::vector<std::string>{"By Ana."});
    // A title in another language says so; an article without a credit says that.
    ASSERT_EQ(page[1].title.size(), 1u);
    const auto* span = doc::get_if<doc::Span>(&page[1].title[0].value);
    ASSERT_NE(span, nullptr);
    EXPECT_EQ(span->lang, "sr-Latn");
    EXPECT_EQ(texts(page[1].credit.lines), std::vector<std::string>{"No credit given."});
    EXPECT_EQ(page[2].article_id, "a03");
}

// ---- the copyright page says each statement once ---------------------------------

doc::Book book_with_rights(std::string rights) {
    doc::Book b;
    b.title = "Essays";
    b.rights = std::move(rights);
    return b;
}

const std::string kSentence = doc::Labels{}.articles_licence;

TEST(Copyright, RightsThatReferToTheArticlesOwnTermsAreNotSaidAgain) {
    const std::string rights = "Each article appears under the terms its author set; see the credits.";
    const doc::Book b = book_with_rights(rights);
    EXPECT_FALSE(doc::owes_articles_licence_statement(b));
    EXPECT_EQ(texts(doc::copyright_page(b).statements), (std::vector<std::string>{"Essays", rights}));
    EXPECT_EQ(doc::rights_statement(b), rights);
    // In any case, and in other words that say the same.
    EXPECT_FALSE(doc::owes_articles_licence_statement(book_with_rights("EVERY ARTICLE keeps its own licence.")));
    EXPECT_FALSE(doc::owes_articles_licence_statement(book_with_rights(kSentence)));
}

TEST(Copyright, ABookLicenceIsFollowedByTheArticlesOwn) {
    const std::string rights =
        "Text and images in this book are licensed under CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/): share and adapt them freely, with credit.";
    const doc::Book b = book_with_rights(rights);
    EXPECT_TRUE(doc::owes_articles_licence_statement(b));
    EXPECT_EQ(texts(doc::copyright_page(b).statements), (std::vector<std::string>{"Essays", rights, kSentence}));
    EXPECT_EQ(doc::rights_statement(b), rights + " " + kSentence);
    // Naming each article without sending readers to their own terms is not enough,
    // nor is pointing to the credits without speaking of each article.
    EXPECT_TRUE(doc::owes_articles_licence_statement(book_with_rights("Each article is CC BY 4.0.")));
    EXPECT_TRUE(doc::owes_articles_licence_statement(book_with_rights("Photographs: see the credits.")));
}

TEST(Copyright, NoRightsGetsFolioSentenceAlone) {
    const doc::Book b = book_with_rights("");
    EXPECT_EQ(texts(doc::copyright_page(b).statements), (std::vector<std::string>{"Essays", kSentence}));
    EXPECT_EQ(doc::rights_statement(b), kSentence);
}

TEST(Copyright, PublisherAndDateInOneLineUnlessTheRightsSayIt) {
    doc::Book b = book_with_rights("\u00A9 2026 Jane Roe");
    b.subtitle = "Collected";
    b.publisher = "Acme Press";
    b.date = text::parse_date("2026-01-15");
    b.isbn = "978-0-00-000000-2";
    EXPECT_EQ(texts(doc::copyright_page(b).statements),
              (std::vector<std::string>{"Essays: Collected", "\u00A9 2026 Jane Roe", kSentence,
                                        "Published by Acme Press, 2026-01-15.", "ISBN 978-0-00-000000-2"}));
    b.date.reset();
    b.rights = "\u00A9 2026 Jane Roe. Published by Acme Press. ISBN 978-0-00-000000-2.";
    EXPECT_EQ(texts(doc::copyright_page(b).statements),
              (std::vector<std::string>{"Essays: Collected", b.rights, kSentence}));
}

}  // namespace
}  // namespace folio
