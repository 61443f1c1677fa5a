#include "doc/matter.hpp"

#include "core/text.hpp"

namespace folio::doc {

namespace {

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

bool owes_articles_licence_statement(const Book& book) {
    return !rights_name_articles_licences(book.rights, book.language, book.labels);
}

std::string rights_statement(const Book& book) {
    std::string r = book.rights;
    if (!owes_articles_licence_statement(book)) return r;
    // Two statements, each a sentence: one without its full stop would run into the next.
    if (!r.empty() && std::string_view(".!?").find(r.back()) == std::string_view::npos) r += '.';
    r += (r.empty() ? "" : " ") + book.labels.articles_licence;
    return r;
}

TitlePage title_page(const Book& book) {
    return {book.title, book.subtitle, join_names(book.authors, book.labels), book.publisher};
}

CopyrightPage copyright_page(const Book& book) {
    CopyrightPage page;
    std::string title_line = book.title;
    if (!book.subtitle.empty()) title_line += ": " + book.subtitle;
    page.statements.push_back(Inlines{Inline{Text{title_line}}});
    if (!book.rights.empty()) page.statements.push_back(linkify(book.rights));
    // The lines folio composes, each unless `rights` or an earlier line says it already.
    std::vector<std::string> said{text::to_lower_ascii(title_line), text::to_lower_ascii(book.rights)};
    auto say = [&](std::string text) {
        std::string_view core = text;  // what the line says, without its full stop
        if (core.ends_with('.')) core.remove_suffix(1);
        const std::string key = text::to_lower_ascii(core);
        for (const std::string& s : said)
            if (s.find(key) != std::string::npos) return;
        said.push_back(key);
        page.statements.push_back(Inlines{Inline{Text{std::move(text)}}});
    };
    const Labels& words = book.labels;
    if (owes_articles_licence_statement(book)) say(words.articles_licence);
    // Who and when in one line, not two lines that both begin "Published".
    const std::string date = book.date ? book.date->iso() : std::string();
    if (!book.publisher.empty() && book.date) {
        say(fill_label(words.published_by_on, {{"publisher", book.publisher}, {"date", date}}));
    } else if (!book.publisher.empty()) {
        say(fill_label(words.published_by, {{"publisher", book.publisher}}));
    } else if (book.date) {
        say(fill_label(words.published_on, {{"date", date}}));
    }
    if (!book.isbn.empty()) say("ISBN " + book.isbn);
    if (!book.for_sale) say(words.not_for_sale);
    return page;
}

CreditBlock credit_block(const Book&, const Article& article) {
    const Credit& c = article.credit;
    if (c.text.empty()) return {};
    CreditBlock block{{linkify(c.text)}};
    // The licence a verbatim line leaves out, as book/credit.hpp composed it.
    if (!c.licence_line.empty()) block.lines.push_back(linkify(c.licence_line));
    return block;
}

std::vector<CreditsEntry> credits_page(const Book& book) {
    std::vector<CreditsEntry> out;
    book.for_each_article([&](const Chapter&, const Article& a) {
        CreditsEntry entry{a.id, Inlines{Inline{Text{a.title}}}, credit_block(book, a)};
        if (!a.lang.empty()) entry.title = Inlines{Inline{Span{a.lang, std::move(entry.title)}}};  // WCAG 3.1.2
        if (entry.credit.empty()) entry.credit.lines.push_back(Inlines{Inline{Text{book.labels.no_credit}}});
        out.push_back(std::move(entry));
    });
    return out;
}

}  // namespace folio::doc
