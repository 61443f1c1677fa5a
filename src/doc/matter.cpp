#include "doc/matter.hpp"

namespace folio::doc {

namespace {

Block paragraph(Inlines content) { return Block{Paragraph{std::move(content)}}; }
Block paragraph(std::string text) { return paragraph(Inlines{Inline{Text{std::move(text)}}}); }

Block div(std::string style, Blocks content) { return Block{Div{{}, std::move(style), std::move(content)}}; }

bool url_char(char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != '"' && c != '<' && c != '>' && c != '\\' &&
           c != '^' && c != '`' && c != '{' && c != '|' && c != '}' && static_cast<unsigned char>(c) < 0x80;
}

}  // namespace

std::vector<TextRange> find_web_addresses(std::string_view text) {
    std::vector<TextRange> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const bool at_url = (text.substr(i, 8) == "https://" || text.substr(i, 7) == "http://") &&
                            (i == 0 || !url_char(text[i - 1]) || text[i - 1] == '(' || text[i - 1] == '\'');
        if (!at_url) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && url_char(text[end])) ++end;
        // Sentence punctuation after a URL belongs to the sentence; a ')' does only
        // when the URL has no '(' of its own.
        while (end > i) {
            const char c = text[end - 1];
            const std::string_view url = text.substr(i, end - i);
            if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
                (c == ')' && url.find('(') == std::string_view::npos)) {
                --end;
            } else {
                break;
            }
        }
        if (end - i <= 8) {  // a bare scheme is no link
            i = end + 1;
            continue;
        }
        out.push_back({i, end});
        i = end;
    }
    return out;
}

Inlines linkify(std::string_view text) {
    Inlines out;
    std::size_t plain_from = 0;
    for (const TextRange& r : find_web_addresses(text)) {
        const std::string url(text.substr(r.begin, r.end - r.begin));
        if (r.begin > plain_from) out.push_back(Inline{Text{std::string(text.substr(plain_from, r.begin - plain_from))}});
        out.push_back(Inline{Link{url, {}, Inlines{Inline{Text{url}}}, std::nullopt}});
        plain_from = r.end;
    }
    if (plain_from < text.size()) out.push_back(Inline{Text{std::string(text.substr(plain_from))}});
    return out;
}

std::string rights_statement(const Book& book) {
    std::string r = book.rights;
    r += (r.empty() ? "" : " ") + std::string(kArticlesLicenceStatement);
    return r;
}

Blocks title_page(const Book& book) {
    Blocks out;
    out.push_back(div("book-title", {paragraph(book.title)}));
    if (!book.subtitle.empty()) out.push_back(div("book-subtitle", {paragraph(book.subtitle)}));
    if (!book.authors.empty()) out.push_back(div("book-author", {paragraph(text::join_names(book.authors))}));
    if (!book.publisher.empty()) out.push_back(div("book-publisher", {paragraph(book.publisher)}));
    return out;
}

Blocks copyright_page(const Book& book) {
    Blocks out;
    std::string title_line = book.title;
    if (!book.subtitle.empty()) title_line += ": " + book.subtitle;
    out.push_back(paragraph(title_line));
    if (!book.rights.empty()) out.push_back(paragraph(linkify(book.rights)));
    out.push_back(paragraph(std::string(kArticlesLicenceStatement)));
    if (!book.publisher.empty()) out.push_back(paragraph("Published by " + book.publisher + "."));
    if (book.date) out.push_back(paragraph("Published " + book.date->iso() + "."));
    if (!book.isbn.empty()) out.push_back(paragraph("ISBN " + book.isbn));
    return {div("copyright", std::move(out))};
}

Blocks credit_block(const Article& article) {
    if (article.credit.text.empty()) return {};
    Blocks content{paragraph(linkify(article.credit.text))};
    // A verbatim credit line may leave the licence out; the licence is still owed.
    const Credit& c = article.credit;
    if (c.verbatim && !c.license.empty() && c.text.find(c.license) == std::string::npos) {
        std::string licence = "Licence: " + c.license;
        if (!c.license_url.empty() && c.text.find(c.license_url) == std::string::npos)
            licence += " (" + c.license_url + ")";
        content.push_back(paragraph(linkify(licence)));
    }
    return {div("credit", std::move(content))};
}

Blocks credits_page(const Book& book) {
    Blocks out;
    book.for_each_article([&](const Chapter&, const Article& a) {
        Blocks entry;
        Inlines title{Inline{Text{a.title}}};
        if (!a.lang.empty()) title = Inlines{Inline{Span{a.lang, std::move(title)}}};  // WCAG 3.1.2
        entry.push_back(paragraph(
            Inlines{Inline{Strong{Inlines{Inline{Link{{}, {}, std::move(title), InternalTarget{a.id, {}}}}}}}}));
        Blocks credit = credit_block(a);
        if (credit.empty()) {
            entry.push_back(paragraph("No credit given."));
        } else {
            for (Block& b : std::get<Div>(credit.front().value).content) entry.push_back(std::move(b));
        }
        out.push_back(div("credit-entry", std::move(entry)));
    });
    return out;
}

}  // namespace folio::doc
