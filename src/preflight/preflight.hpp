// preflight: what a print service would refuse, found before the upload. Reads the
// print pages (layout::Pages, as typeset_for_print sets them, each picture with the
// resolution it was placed at and the article that shows it); knows the published
// rules of KDP, IngramSpark and Lulu for a black and white paperback. Decides
// nothing about layout, opens no picture and writes nothing.
#pragma once

#include "doc/model.hpp"
#include "layout/pages.hpp"
#include "layout/style.hpp"

#include <string>
#include <vector>

namespace folio::preflight {

enum class Store { Kdp, IngramSpark, Lulu };
enum class Verdict { Pass, Warning, Failure };

struct Finding {
    Store store;
    std::string rule;    // "page count", "margins", …
    Verdict verdict;
    int page = 0;        // the first page concerned, from 1; 0: the whole book
    std::string detail;  // what was measured, against what
    std::string hint;    // what to do, for a warning or a failure
};

// Every rule of every store, each with its verdict, in a stable order: a picture
// under 300 ppi as placed is a warning of its own, with its page and article.
// `style` gives the bleed and the paper.
std::vector<Finding> check(const layout::Pages& pages, const layout::PrintStyle& style);

// The rules a store's listing meets in the book's licences, for every store: a book
// for sale (book.yaml's for_sale, true unless it says false) may hold no article
// under a NonCommercial licence, since a print-on-demand listing is a sale. A
// failure names the articles.
std::vector<Finding> check_licences(const doc::Book& book);

const char* store_name(Store s);

// The findings as a table for a terminal: a line a rule and store.
std::string report(const std::vector<Finding>& findings);

}  // namespace folio::preflight
