// The pages folio adds around the articles, built once as doc content so that the
// EPUB and the PDF say the same thing: title page, copyright page, credits page,
// and the credit block that follows each article.
#pragma once

#include "doc/model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace folio::doc {

// The title page, as it reads from top to bottom; a field is empty when the book has
// none (the title never is). Writers set the title as the page's heading.
struct TitlePage {
    std::string title;
    std::string subtitle;
    std::string authors;  // the book's authors, joined for reading ("A, B and C")
    std::string publisher;
};

// The copyright page: its statements in order, each one a paragraph, none saying
// what another already says: the title line; the book's `rights`; the sentence about
// the articles' licences when owed; who published the book and when, in one line;
// the ISBN. The lines folio composes are in the book's labels (doc/labels.hpp), and
// each is left out when `rights` already says it.
struct CopyrightPage {
    std::vector<Inlines> statements;
};

// The credit printed after an article: its credit line, verbatim with URLs linked,
// then the licence line a verbatim credit line owes (Credit::licence_line). Empty
// when the article has no credit (allowed only under `credits: optional`).
struct CreditBlock {
    std::vector<Inlines> lines;

    bool empty() const { return lines.empty(); }
};

// One entry of the credits page: the article's title, which writers link to the
// article (`article_id`), and its credit. The title is marked with the article's
// language when the article sets its own `lang` (a Span, WCAG 3.1.2); an article
// without a credit has the label `no_credit` ("No credit given.") in its place.
struct CreditsEntry {
    std::string article_id;
    Inlines title;
    CreditBlock credit;
};

TitlePage title_page(const Book& book);
CopyrightPage copyright_page(const Book& book);

// One entry per article, in reading order.
std::vector<CreditsEntry> credits_page(const Book& book);

// The credit line, then credit.licence_line when there is one (book/credit.hpp).
CreditBlock credit_block(const Book& book, const Article& article);

// Text with every http(s) URL turned into a link whose text is the URL itself, so
// the visible text stays exactly `text`. Trailing punctuation is not part of a URL.
Inlines linkify(std::string_view text);

// Where linkify finds the http(s) URLs of `text`: byte ranges [begin, end), in order.
// Shared with the typography pass, which leaves these ranges as written.
struct TextRange {
    std::size_t begin, end;
};
std::vector<TextRange> find_web_addresses(std::string_view text);

// Whether the book owes the sentence folio adds, on the copyright page and in the
// rights metadata, about the articles' own licences (the label `articles_licence`):
// yes, unless the book's `rights` already sends readers to each article's own
// terms, so that folio's sentence would say it a second time
// (doc::rights_name_articles_licences, in English or the book's language). The test
// is narrow on purpose, since a sentence left out is worse than one said twice:
// "Each article appears under the terms its author set; see the credits." passes;
// a licence for the whole book ("licensed under CC BY 4.0 … with credit") does not.
bool owes_articles_licence_statement(const Book& book);

// The book's rights for metadata (EPUB dc:rights, PDF Info and XMP): its `rights`,
// then the `articles_licence` sentence when owed. The same statements as the copyright
// page, in the same order.
std::string rights_statement(const Book& book);

}  // namespace folio::doc
