// book.yaml: the book's settings, its defaults for every article, and its chapters
// with the articles each holds (paths, globs, or entries with a title of their own).
#pragma once

#include "book/front_matter.hpp"
#include "core/diagnostics.hpp"
#include "doc/model.hpp"
#include "markdown/parse_markdown.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace folio::book {

struct ArticleSpec {
    std::string path;       // book-relative
    SourceLocation where;   // where book.yaml names it
    std::string title;      // `- {file: …, title: …}`: the title when the article gives none
};

struct ChapterSpec {
    std::string title;
    bool glob = false;  // its articles are sorted by date
    std::vector<ArticleSpec> articles;
};

struct Manifest {
    doc::Book book;              // the settings; no chapters yet
    Fields defaults;
    markdown::Options markdown;  // `html:` — how the articles' raw HTML is read
    std::string base_url;        // the address the articles were published under, if given
    std::string generator;       // the site generator the articles were written for ("jekyll"), if given
    std::vector<std::string> static_folders;  // where site-relative paths ("/images/x.png") are found
    std::vector<ChapterSpec> chapters;
    SourceLocation rights_at;    // where `rights:` is written
};

// Reads and checks `root`/book.yaml. Throws a located Error for what the book cannot
// be built without; warns about the rest (unknown keys, with a hint).
Manifest read_manifest(const std::filesystem::path& root, Diagnostics& diagnostics);

}  // namespace folio::book
