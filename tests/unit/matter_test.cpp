// The pages folio adds around the articles, as typed doc content: what each says,
// before any writer sets it.
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
    const doc::CreditBlock block = doc::credit_block(a);
    ASSERT_EQ(block.lines.size(), 2u);
    EXPECT_EQ(doc::plain_text(block.lines[0]), "Photo and text: Ana, https://example.org/a.");
    ASSERT_EQ(block.lines[0].size(), 3u) << "the URL is a link";
    EXPECT_TRUE(std::holds_alternative<doc::Link>(block.lines[0][1].value));
    EXPECT_EQ(doc::plain_text(block.lines[1]), "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)");

    a.credit.text = "Ana, CC BY 4.0";  // the licence named, its address not needed
    EXPECT_EQ(doc::credit_block(a).lines.size(), 1u);
    a.credit.text.clear();
    EXPECT_TRUE(doc::credit_block(a).empty());
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
    const auto* span = std::get_if<doc::Span>(&page[1].title[0].value);
    ASSERT_NE(span, nullptr);
    EXPECT_EQ(span->lang, "sr-Latn");
    EXPECT_EQ(texts(page[1].credit.lines), std::vector<std::string>{"No credit given."});
    EXPECT_EQ(page[2].article_id, "a03");
}

}  // namespace
}  // namespace folio
