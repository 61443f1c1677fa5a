// A collection as its authors' tool left it: an mdBook book (book.toml and
// src/SUMMARY.md), a Hugo, Jekyll, Zola, Eleventy or Pelican site, or any folder of
// Markdown files. read_site() finds which, and reads what folio needs of it: the
// site's settings (title, authors, language, address, licence) and its articles,
// in order. Reads files, writes none, and touches no network.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace folio::sources {

enum class Kind { MdBook, Hugo, Jekyll, Zola, Eleventy, Pelican, Folder };

const char* kind_name(Kind k);  // "mdBook", "Hugo", …

struct Entry {
    std::string path;   // relative to the source folder, '/'-separated
    std::string title;  // the title the table of contents gives it (mdBook), or ""
};

// A part of the book: mdBook's parts and its prefix and suffix chapters. Blogs are
// given theirs by date later (new_from.hpp).
struct Section {
    std::string title;  // "" for an untitled group
    std::vector<Entry> entries;
};

struct Site {
    Kind kind = Kind::Folder;
    std::string generator;  // book.yaml's `generator:` ("hugo"), "" for a plain folder
    std::string title;
    std::string description;
    std::vector<std::string> authors;
    std::string language;     // BCP 47, "" when the site does not say
    std::string base_url;     // the site's address, "" when unknown
    std::string license, license_url;
    std::vector<std::string> static_folders;  // relative to the source folder ("static", ".")
    std::vector<Section> sections;            // mdBook: its table of contents
    std::vector<std::string> posts;           // blogs and folders: the article files, in no order yet
    std::vector<std::string> left_out;        // what the source names but holds no article ("draft chapter 'X'")
    std::vector<std::string> settings_read;   // the files the settings came from, for the report
};

// Throws folio::Error naming the folder when it is not one, or when a settings file
// it relies on cannot be read.
Site read_site(const std::filesystem::path& source);

}  // namespace folio::sources
