#include "sources/new_from.hpp"

#include "book/front_matter.hpp"
#include "config/tree.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace folio::sources {

namespace fs = std::filesystem;

namespace {

// A post as new_book_from sorts and counts it.
struct Post {
    std::string path;  // relative to the source
    std::optional<text::Timestamp> date;
    bool has_credit = false, has_licence = false;
};

// A YAML double-quoted scalar.
std::string yaml_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) continue;
                out += c;
        }
    }
    return out + "\"";
}

bool inside(const fs::path& child, const fs::path& parent) {
    const fs::path r = child.lexically_relative(parent);
    return !r.empty() && *r.begin() != "..";
}

// The source copied into the book, without what a site generator builds or keeps
// its tools in, and without the book itself.
void copy_source(const fs::path& from, const fs::path& to, const fs::path& skip, Kind kind) {
    std::error_code ec;
    fs::create_directories(to, ec);
    if (ec) throw Error("cannot create folder: " + ec.message(), {to.generic_string()});
    for (const fs::directory_entry& e : fs::directory_iterator(from, ec)) {
        const std::string name = e.path().filename().string();
        if (e.path() == skip) continue;
        if (e.is_directory(ec)) {
            static const char* kBuilt[] = {".git", "node_modules", "public", "_site", ".jekyll-cache", ".sass-cache",
                                           "resources", "output_html", "__pycache__"};
            if (std::find(std::begin(kBuilt), std::end(kBuilt), name) != std::end(kBuilt)) continue;
            if (kind == Kind::MdBook && name == "book") continue;  // mdBook's own output
            copy_source(e.path(), to / name, skip, kind);
        } else if (e.is_regular_file(ec)) {
            fs::copy_file(e.path(), to / name, fs::copy_options::overwrite_existing, ec);
            if (ec) throw Error("cannot copy: " + ec.message(), {e.path().generic_string()});
        }
    }
}

// WordPress exports keep their pictures' old addresses: the host that serves
// /wp-content/uploads/ is the blog's.
std::string wordpress_address(const fs::path& source, const std::vector<std::string>& posts) {
    for (const std::string& p : posts) {
        const std::string body = read_file(source / p);
        for (std::size_t at = body.find("/wp-content/uploads/"); at != std::string::npos;
             at = body.find("/wp-content/uploads/", at + 1)) {
            const std::size_t start = body.rfind("http", at);
            if (start == std::string::npos || at - start > 200) continue;
            const url::Parts parts = url::split(std::string_view(body).substr(start, at - start));
            if ((parts.scheme == "http" || parts.scheme == "https") && !parts.authority.empty())
                return parts.scheme + "://" + parts.authority + "/";
        }
    }
    return "";
}

}  // namespace

std::string NewReport::summary() const {
    std::string out;
    auto line = [&](const std::string& s) { out += "folio: " + s + "\n"; };
    const bool an = kind == Kind::Eleventy || kind == Kind::MdBook;  // "an mdBook book", "an Eleventy site"
    line("read " + std::string(kind == Kind::Folder ? "a folder of Markdown files" : std::string(an ? "an " : "a ") +
                                                         kind_name(kind) + (kind == Kind::MdBook ? " book" : " site")) +
         ": " + std::to_string(articles) + " article" + (articles == 1 ? "" : "s") + " in " + std::to_string(chapters) +
         " chapter" + (chapters == 1 ? "" : "s"));
    if (!copied_to.empty()) line("copied the source into " + copied_to + " (a book's files stay inside its folder)");
    if (!drafts.empty()) {
        std::string list;
        for (std::size_t i = 0; i < drafts.size() && i < 5; ++i) list += (i ? ", " : "") + drafts[i];
        if (drafts.size() > 5) list += ", …";
        line("left out " + std::to_string(drafts.size()) + " draft" + (drafts.size() == 1 ? "" : "s") + ": " + list);
    }
    for (const std::string& u : unreadable) line("cannot read the front matter of " + u + " (the build will say why)");
    if (without_credit)
        line(std::to_string(without_credit) + " article" + (without_credit == 1 ? " names" : "s name") +
             " no author or site: add 'author:' or 'site:' under 'defaults:' in " + manifest.generic_string() +
             " (or run again with --author and --site); folio builds no book without credits");
    if (without_licence)
        line(std::to_string(without_licence) + " article" + (without_licence == 1 ? " states" : "s state") +
             " no licence: add 'license:' under 'defaults:' in " + manifest.generic_string() +
             " (or run again with --license)");
    for (const std::string& n : notes) line(n);
    line("wrote " + manifest.generic_string());
    const std::string dir = manifest.parent_path().generic_string();
    line(without_credit ? "next: add the credits, then: folio build " + dir + " --format all"
                        : "next: folio build " + dir + " --format all");
    return out;
}

NewReport new_book_from(const fs::path& book, const fs::path& source, const NewOptions& options) {
    std::error_code ec;
    const fs::path manifest = book / "book.yaml";
    if (fs::exists(manifest, ec))
        throw Error("book.yaml exists already", {manifest.generic_string()},
                    "folio new never replaces a manifest; remove it, or choose another book folder");
    Site site = read_site(source);
    const fs::path book_abs = fs::weakly_canonical(fs::absolute(book), ec);
    const fs::path source_abs = fs::weakly_canonical(fs::absolute(source), ec);

    NewReport report;
    report.kind = site.kind;
    report.manifest = manifest;
    report.drafts = site.left_out;

    // Where the source's files are, seen from the book folder.
    std::string prefix;
    if (source_abs != book_abs) {
        if (inside(source_abs, book_abs)) {
            prefix = source_abs.lexically_relative(book_abs).generic_string();
        } else {
            prefix = source_abs.filename().string();
            const fs::path target = book / prefix;
            if (fs::exists(target, ec) && !fs::is_empty(target, ec))
                throw Error("folder exists and is not empty", {target.generic_string()},
                            "the source is copied into the book folder under its own name; choose a new book folder");
            copy_source(source_abs, target, book_abs, site.kind);
            report.copied_to = target.generic_string();
        }
    }
    auto in_book = [&](const std::string& path) {
        if (prefix.empty() || path == ".") return prefix.empty() ? path : prefix;
        return (fs::path(prefix) / path).lexically_normal().generic_string();
    };

    const std::string base_url = !options.base_url.empty() ? options.base_url
                                 : !site.base_url.empty()  ? site.base_url
                                 : site.kind == Kind::Folder ? wordpress_address(source, site.posts)
                                                             : std::string();
    if (site.kind == Kind::Folder && !base_url.empty() && options.base_url.empty()) {
        site.generator = "wordpress";
        report.notes.push_back("the pictures' old addresses name the blog " + base_url +
                               ": links to its posts become links inside the book");
    }
    const std::vector<std::string> authors =
        !options.author.empty() ? std::vector<std::string>{options.author} : site.authors;
    const std::string site_name = !options.site.empty() ? options.site : site.kind == Kind::Folder ? "" : site.title;
    const std::string license = !options.license.empty() ? options.license : site.license;
    const std::string license_url = !options.license_url.empty() ? options.license_url : site.license_url;

    // Blogs and folders: each post's front matter says whether it is a draft, when
    // it was published and whom it credits.
    std::vector<Section> sections = site.sections;
    std::size_t credited = 0, licensed = 0;
    if (site.kind != Kind::MdBook) {
        std::vector<Post> posts;
        for (const std::string& path : site.posts) {
            Post post{path, {}, false, false};
            try {
                std::string text = read_file(source / path);
                if (text.find('\r') != std::string::npos) text = text::lf_line_ends(text);
                std::string_view view(text);
                if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
                const book::SplitSource split =
                    book::split_front_matter(view, (source / path).generic_string(), site.kind == Kind::Pelican);
                book::Fields fields;
                if (split.has_front_matter && !text::trim(split.front_matter).empty()) {
                    const config::NodePtr tree =
                        config::parse(split.syntax, (source / path).generic_string(), split.front_matter, split.first_line);
                    std::vector<book::UnknownKey> unknown;
                    if (tree->is_mapping()) fields = book::read_fields(*tree, base_url, unknown, split.syntax);
                }
                if (fields.draft) {
                    report.drafts.push_back(path);
                    continue;
                }
                post.date = fields.date;
                post.has_credit = (fields.author && !fields.author->empty()) || fields.site || fields.credit;
                post.has_licence = fields.license || fields.license_url || fields.credit;
            } catch (const Error& e) {
                report.unreadable.push_back(path + ": " + e.message());
            }
            posts.push_back(std::move(post));
        }
        std::stable_sort(posts.begin(), posts.end(), [](const Post& a, const Post& b) {
            if (a.date.has_value() != b.date.has_value()) return a.date.has_value();
            if (a.date && a.date->instant != b.date->instant) return a.date->instant < b.date->instant;
            return a.path < b.path;
        });
        // More than 50 posts: a chapter a year, as a blog's archive reads.
        const bool by_year = posts.size() > 50;
        for (const Post& p : posts) {
            const std::string title = !by_year ? (site.kind == Kind::Folder ? "" : "Posts")
                                               : p.date ? std::to_string(p.date->date.year) : "Undated";
            if (sections.empty() || sections.back().title != title) sections.push_back({title, {}});
            sections.back().entries.push_back({p.path, ""});
            credited += p.has_credit;
            licensed += p.has_licence;
        }
    }
    std::size_t count = 0;
    for (const Section& s : sections) count += s.entries.size();
    if (count == 0)
        throw Error("no article found", {source.generic_string()},
                    site.kind == Kind::MdBook ? "SUMMARY.md lists no chapter file"
                                              : "folio looks for Markdown files (.md) in the site's posts");
    report.articles = count;
    report.chapters = sections.size();
    const bool book_credits = !authors.empty() || !site_name.empty();
    report.without_credit = book_credits ? 0 : count - credited;
    report.without_licence = !license.empty() || !license_url.empty() ? 0 : count - licensed;

    // book.yaml
    const std::string from = source.generic_string();
    std::string y = "# Written by `folio new --from " + from + "` from " +
                    (site.kind == Kind::Folder ? std::string("a folder of Markdown files")
                                               : std::string(kind_name(site.kind)) +
                                                     (site.settings_read.empty() ? "" : " (" + text::join(site.settings_read, ", ") + ")")) +
                    ".\n# The articles stay as they are; edit this file freely (README: \"Bringing an existing blog or book\").\n";
    const std::string title = !options.title.empty() ? options.title
                              : !site.title.empty()  ? site.title
                                                     : source_abs.filename().string();
    y += "title: " + yaml_string(title) + "\n";
    if (!authors.empty()) {
        y += "author: [";
        for (std::size_t i = 0; i < authors.size(); ++i) y += (i ? ", " : "") + yaml_string(authors[i]);
        y += "]\n";
    }
    const std::string language = !options.language.empty() ? options.language : site.language;
    y += "language: " + (language.empty() ? std::string("en            # the articles' language: check it") : language) + "\n";
    if (!site.generator.empty()) y += "generator: " + site.generator + "\n";
    if (!base_url.empty()) y += "base_url: " + yaml_string(base_url) + "\n";
    if (!site.static_folders.empty()) {
        y += "static_folders: [";
        for (std::size_t i = 0; i < site.static_folders.size(); ++i)
            y += (i ? ", " : "") + yaml_string(in_book(site.static_folders[i]));
        y += "]\n";
    }
    y += "defaults:\n";
    if (!authors.empty()) {
        y += "  author: [";
        for (std::size_t i = 0; i < authors.size(); ++i) y += (i ? ", " : "") + yaml_string(authors[i]);
        y += "]\n";
    } else {
        y += "  # author: \"…\"          # who wrote the articles (an article's own author: wins)\n";
    }
    if (!site_name.empty())
        y += "  site: " + yaml_string(site_name) + "\n";
    else
        y += "  # site: \"…\"            # where they were first published\n";
    if (!license.empty())
        y += "  license: " + yaml_string(license) + "\n";
    else
        y += "  # license: \"…\"         # the terms they may be reused under, verbatim\n";
    if (!license_url.empty()) y += "  license_url: " + yaml_string(license_url) + "\n";
    y += "chapters:\n";
    for (const Section& s : sections) {
        y += s.title.empty() ? "  - articles:\n" : "  - title: " + yaml_string(s.title) + "\n    articles:\n";
        for (const Entry& e : s.entries) {
            if (e.title.empty())
                y += "      - " + yaml_string(in_book(e.path)) + "\n";
            else
                y += "      - {file: " + yaml_string(in_book(e.path)) + ", title: " + yaml_string(e.title) + "}\n";
        }
    }
    ensure_directory(book);
    write_file_atomically(manifest, y);
    return report;
}

}  // namespace folio::sources
