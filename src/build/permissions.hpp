// The permissions log: one row per article saying what it is, on what terms the book
// reuses it, and where the book prints its credit. Publishers keep one by hand for
// every book they make; folio writes it with each build, as OUT/<name>-permissions.csv.
#pragma once

#include "doc/model.hpp"
#include "layout/pages.hpp"

#include <string>
#include <vector>

namespace folio::build {

struct Permission {
    std::string file;           // the article's Markdown file, book-relative
    std::string title;
    std::string authors;        // "A; B"
    std::string site;
    std::string source;
    std::string licence;        // as written
    std::string licence_url;
    std::string licence_family;  // as recognised: "CC BY-SA", "CC0", "MIT", "prose", "unknown" (doc/licence.hpp)
    std::string permission;      // who granted its use, and when (`permission:`), for rights reserved
    std::string credit;         // the credit line as every output prints it
    std::string epub_document;  // "EPUB/text/a03.xhtml": the article's file inside the EPUB
    // Of the print edition, as its folios print them ("xi", "12"); empty when the
    // build set no print edition.
    std::string print_pages;        // "12–19", or "12" for one page
    std::string credit_print_page;  // where the credit block begins
};

// The rows, in reading order. `print`: the print edition's pages, when they were set.
std::vector<Permission> permissions(const doc::Book& book, const layout::Pages* print);

// The rows as CSV (RFC 4180: a header row, CRLF line ends, a field quoted when it
// holds a comma, a quote or a line end; UTF-8 without a byte-order mark).
std::string permissions_csv(const std::vector<Permission>& rows);

}  // namespace folio::build
