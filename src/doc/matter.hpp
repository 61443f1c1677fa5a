// The pages folio adds around the articles, built once as doc content so that the
// EPUB and the PDF say the same thing: title page, copyright page, credits page,
// and the credit block that follows each article.
#pragma once

#include "doc/model.hpp"

#include <string_view>

namespace folio::doc {

Blocks title_page(const Book& book);
Blocks copyright_page(const Book& book);

// One entry per article, in reading order: its title (linked to it) and its credit.
Blocks credits_page(const Book& book);

// The block printed after an article: its credit line, verbatim, with URLs linked.
// Empty when the article has no credit (allowed only under `credits: optional`).
Blocks credit_block(const Article& article);

// Text with every http(s) URL turned into a link whose text is the URL itself, so
// the visible text stays exactly `text`. Trailing punctuation is not part of a URL.
Inlines linkify(std::string_view text);

// Where linkify finds the http(s) URLs of `text`: byte ranges [begin, end), in order.
// Shared with the typography pass, which leaves these ranges as written.
struct TextRange {
    std::size_t begin, end;
};
std::vector<TextRange> find_web_addresses(std::string_view text);

// The book's rights for metadata (EPUB dc:rights, PDF Info and XMP): its `rights`
// followed by the statement about the articles' own licences.
std::string rights_statement(const Book& book);

// The sentence on the copyright page about the articles' own licences.
inline constexpr std::string_view kArticlesLicenceStatement =
    "Each article in this book appears under its own licence, stated after the article and on the "
    "credits page.";

}  // namespace folio::doc
