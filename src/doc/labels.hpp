// The words folio writes itself, in the book's language: one table, so that a
// Serbian book says "Sadržaj" and "str." where an English one says "Contents" and
// "p.", and so that the EPUB and the PDF take the same words from the same place.
//
// A book's labels are resolved once, when book.yaml is read: the table's words for
// the book's `language`, then the book's own `labels:` over them (doc::Book::labels).
// Every page folio adds (title, copyright, contents, credits), the navigation (nav,
// landmarks, NCX, PDF outline), running heads, and the credit line composed from an
// article's fields speak in these book-level words, also under an article written
// in another language: the credit is the book's voice, not the article's, and the
// credits page lists every credit line in one language. Writers mark such a line
// with the book's language where the article's differs.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace folio::doc {

// Every label, with its English words as defaults. A value with `{name}` holds a
// place for what folio fills in (fill_label).
struct Labels {
    std::string contents = "Contents";      // contents page heading, nav, NCX, landmarks, PDF outline
    std::string credits = "Credits";        // credits page heading and running head, nav, outline
    std::string credit = "Credit";          // the accessible name of the credit after an article
    std::string copyright = "Copyright";    // the copyright page's accessible name and title
    std::string title_page = "Title page";  // landmarks and the EPUB 2 guide
    std::string cover = "Cover";            // the cover page's title and landmark
    std::string cover_alt = "Cover of {title}";  // the cover picture's text alternative
    std::string beginning = "Beginning";    // the landmark where reading starts
    std::string landmarks = "Landmarks";    // the accessible name of the landmarks list
    std::string notes = "Notes";            // the accessible name of an article's footnotes
    // The credit line: “Title” BY A AND B, PUBLISHED_IN Site: https://…. LICENCE CC BY 4.0.
    // `by` is set after the title with a space, or straight after it when it begins
    // with punctuation (",": “Naslov”, A i B, …).
    std::string by = "by";
    std::string and_ = "and";               // the last two of a list of names: "A, B and C"
    std::string published_in = "published in";
    std::string licence = "Licence:";       // with its colon, as the language sets it ("Licence\u00A0:" in French)
    std::string no_credit = "No credit given.";  // the credits page entry of an article without a credit
    // The copyright page's sentence about the articles' own licences (also in the
    // rights metadata).
    std::string articles_licence =
        "Each article in this book appears under its own licence, stated after the article and on the credits "
        "page.";
    std::string published_by = "Published by {publisher}.";
    std::string published_on = "Published {date}.";
    std::string published_by_on = "Published by {publisher}, {date}.";
    std::string page = "p.";                // the abbreviation of "page" in a printed cross-reference
    std::string pages = "Pages";            // the accessible name of the EPUB's list of the print edition's pages
    std::string not_for_sale = "Not for sale.";  // the copyright page of a book whose manifest says for_sale: false
    // In the credit of an article whose rights are reserved: its `permission:`.
    std::string permission = "Used by permission: {permission}.";
};

// The labels' names as book.yaml's `labels:` writes them, in the order of Labels.
std::span<const std::string_view> label_keys();

// The label called `key` ("contents", "and", …), or nullptr when there is none.
std::string* find_label(Labels& labels, std::string_view key);

// The table's words for a BCP 47 tag, chosen by its primary language subtag and, for
// Serbian, its script: `sr-Latn` (and `sr-Latn-RS`, `sh`) in Latin; `sr`, `sr-Cyrl`
// and `sr-RS` in Cyrillic, Serbia's official script and CLDR's default for `sr`.
// Languages without words of their own in the table get the English words, with
// the language's page abbreviation where the table knows it (ru "стр.", pl "s.").
Labels labels_for(std::string_view lang);

// `pattern` with each `{name}` replaced by its value; an unknown `{name}` is kept
// as written.
std::string fill_label(std::string_view pattern,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// Names joined for reading: "A", "A and B", "A, B and C", with the labels' `and`.
std::string join_names(const std::vector<std::string>& names, const Labels& labels);

// What follows an internal link in print, where nothing can be clicked: " (p. 123)".
// The number is tied to its abbreviation by a no-break space.
std::string page_reference(const Labels& labels, std::string_view page_label);

// Whether `rights`, a book's rights statement, already sends readers to each
// article's own licence, in English or in the language of `lang`: it speaks of each
// article ("each article", "svaki članak", "jeder Beitrag") and of the articles' own
// terms ("the credits", "own licence", "sopstven", "eigene Lizenz"), in any case; or
// it holds `labels.articles_licence` itself.
bool rights_name_articles_licences(std::string_view rights, std::string_view lang, const Labels& labels);

}  // namespace folio::doc
