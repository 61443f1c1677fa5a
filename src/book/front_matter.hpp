// Front matter as authors' tools write it: YAML between --- lines (Jekyll, Hugo,
// Eleventy, mdBook's preprocessors), TOML between +++ lines (Hugo, Zola), and the
// keys those tools use, mapped onto folio's own (README "Front matter from other
// tools"). Keys that matter only to a site generator (tags, layout, weight…) are
// read and ignored; the others are returned as unknown, for the book to report once
// per key.
#pragma once

#include "config/tree.hpp"
#include "core/text.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace folio::book {

// An article's text with its front matter split off.
struct SplitSource {
    std::string front_matter;  // may be empty
    config::Syntax syntax = config::Syntax::Yaml;
    int first_line = 2;  // the file line the front matter's text starts on
    std::string_view body;
    int body_first_line = 1;
    bool has_front_matter = false;
};

// Throws a located Error when the front matter is opened and never closed. With
// `metadata_lines` (Pelican), "Key: value" lines up to the first blank line are
// front matter too.
SplitSource split_front_matter(std::string_view source, const std::string& file, bool metadata_lines = false);

// The fields folio reads, whatever a tool called them. Book `defaults:` give the
// same fields (the article's own win).
struct Fields {
    std::optional<std::string> title, site, source, license, license_url, credit, lang, summary;
    // Who granted the use of an article whose rights are reserved, and when.
    std::optional<std::string> permission;
    // Where `license` and `credit` were written (the article's front matter, or the
    // book's defaults), for the licence rules' errors.
    SourceLocation license_at, credit_at;
    std::optional<std::vector<std::string>> author;
    std::optional<text::Timestamp> date, modified;
    bool draft = false;  // draft: true, published: false, status: draft
    // Where the site served it, for links between articles (book/links.hpp).
    std::string slug;
    std::vector<std::string> aliases;
    // The picture a blog shows at the top of the post (coverImage, featured_image,
    // cover.image…): a path as written, its alt text and caption when given.
    struct Cover {
        std::string path, alt, caption;
        SourceLocation where;
    };
    std::optional<Cover> cover;
};

struct UnknownKey {
    std::string key;
    SourceLocation where;
};

// Reads a front-matter mapping. `base_url` (the site's address, from book.yaml) makes
// a site-relative `permalink` or `url` absolute. Keys folio does not know are added
// to `unknown`; a value of the wrong shape is a located Error.
Fields read_fields(const config::Node& map, const std::string& base_url, std::vector<UnknownKey>& unknown,
                   config::Syntax syntax = config::Syntax::Yaml);

// `article`, with what it does not set taken from `defaults`.
Fields merged(Fields article, const Fields& defaults);

// The keys folio reads itself, for hints ("did you mean 'summary'?").
std::vector<std::string_view> front_matter_keys();

}  // namespace folio::book
