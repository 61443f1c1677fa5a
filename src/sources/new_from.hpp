// `folio new BOOK --from SOURCE`: a book.yaml for a collection as it is. The
// articles stay where they are when SOURCE is BOOK or inside it (book.yaml names
// them by relative path); a SOURCE outside BOOK is copied into it first, since a
// book's paths may not leave its folder. Nothing but book.yaml (and that copy) is
// written, and an existing book.yaml is never replaced.
#pragma once

#include "sources/site.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace folio::sources {

// What the author knows and the source does not say (a WordPress export names no
// author); each, when given, wins over what the source says.
struct NewOptions {
    std::string title, language, author, site, license, license_url, base_url;
};

struct NewReport {
    Kind kind = Kind::Folder;
    std::size_t articles = 0;              // in book.yaml
    std::vector<std::string> drafts;       // left out: drafts and unpublished posts, and mdBook's draft chapters
    std::vector<std::string> unreadable;   // front matter folio cannot read (the build will say why)
    std::size_t without_licence = 0;       // articles that state no licence, with the defaults written
    std::size_t without_credit = 0;        // articles with no author or site to credit
    std::size_t chapters = 0;
    std::filesystem::path manifest;        // the book.yaml written
    std::string copied_to;                 // the folder SOURCE was copied into, when it was
    std::vector<std::string> notes;        // what else the author should know

    std::string summary() const;           // lines to print
};

// Throws folio::Error (nothing written) when BOOK already has a book.yaml, SOURCE
// is no folder, or SOURCE holds no article.
NewReport new_book_from(const std::filesystem::path& book, const std::filesystem::path& source,
                        const NewOptions& options);

}  // namespace folio::sources
