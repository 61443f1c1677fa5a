#include "book/manifest.hpp"

#include "book/paths.hpp"
#include "config/reader.hpp"
#include "core/files.hpp"
#include "core/url.hpp"
#include "core/uuid.hpp"
#include "styles/shipped.hpp"

#include <array>

namespace folio::book {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 24> kBookKeys = {
    "title", "subtitle", "author", "publisher", "language", "identifier", "isbn", "date", "rights", "cover",
    "style", "print", "credits", "html", "typography", "defaults", "chapters", "base_url", "static_folders",
    "generator", "labels", "certified_by", "page_list", "for_sale"};
constexpr std::array<std::string_view, 7> kGenerators = {"hugo", "jekyll", "mdbook", "zola", "eleventy", "pelican",
                                                         "wordpress"};
constexpr std::array<std::string_view, 2> kChapterKeys = {"title", "articles"};
constexpr std::array<std::string_view, 3> kEntryKeys = {"file", "title", "path"};
constexpr std::array<std::string_view, 3> kPrintKeys = {"trim", "bleed", "paper"};

// One entry of a chapter's `articles:`: a path or a glob, or {file: …, title: …}.
void read_entry(const config::Node& entry, const fs::path& root, ChapterSpec& spec, Diagnostics& diagnostics) {
    std::string written, title;
    SourceLocation where = entry.where;
    if (entry.is_mapping()) {
        config::check_keys(entry, kEntryKeys, "an article entry", diagnostics);
        const config::Node* file = entry.find("file");
        if (!file) file = entry.find("path");
        if (!file) config::fail(entry, "an article entry needs 'file'", "write e.g. - {file: src/intro.md, title: Introduction}");
        written = config::scalar(*file, "file");
        where = file->where;
        title = config::string(entry, "title").value_or("");
    } else if (entry.is_scalar()) {
        written = config::scalar(entry, "articles");
    } else {
        config::fail(entry, "an article entry must be a path or a glob", "write e.g. articles/one.md");
    }
    std::error_code ec;
    if (has_glob_characters(written)) {
        spec.glob = true;
        const auto matches = expand_glob(root, written, where);
        if (matches.empty())
            return diagnostics.error(Error("glob '" + written + "' matches no file", where,
                                           "check the pattern; it is relative to the folder that holds book.yaml"));
        for (const auto& rel : matches) spec.articles.push_back({rel, where, title});
        return;
    }
    const std::string rel = book_relative(root, written, "", where, "article");
    if (!fs::is_regular_file(root / rel, ec))
        return diagnostics.error(Error("article '" + written + "' does not exist", where,
                                       "paths are relative to the folder that holds book.yaml"));
    spec.articles.push_back({rel, where, title});
}

}  // namespace

Manifest read_manifest(const fs::path& root, Diagnostics& diagnostics) {
    const fs::path manifest_path = root / "book.yaml";
    const std::string file = manifest_path.lexically_normal().generic_string();
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw Error("no such book folder", {root.generic_string()}, "give the folder that holds book.yaml");
    if (!fs::exists(manifest_path, ec))
        throw Error("no book.yaml in this folder", {root.generic_string()},
                    "a book folder needs a book.yaml manifest; 'folio new DIR' writes a starter book");
    const std::string source = read_file(manifest_path);
    if (auto bad = text::find_invalid_utf8(source))
        throw Error("invalid UTF-8", {file, bad->line, bad->column}, "save the file as UTF-8");
    const config::NodePtr tree = config::parse(config::Syntax::Yaml, file, source, 1);
    const config::Node& m = *tree;
    if (m.is_null()) throw Error("book.yaml is empty", {file, 1, 1}, "it needs at least title, language and chapters");
    config::require_mapping(m, "book.yaml");
    config::check_keys(m, kBookKeys, "book.yaml", diagnostics);

    Manifest out;
    doc::Book& b = out.book;
    b.root = root;
    b.name = fs::path(root).lexically_normal().filename().string();
    if (b.name.empty() || b.name == "." || b.name == "..") b.name = fs::weakly_canonical(root, ec).filename().string();
    b.title = config::required_string(m, "title", "add a line such as: title: Collected Essays");
    b.language = config::required_string(m, "language", "add a line such as: language: en (a BCP 47 tag)");
    if (!markdown::is_language_tag(b.language))
        config::fail(*m.find("language"), "'language' must be a BCP 47 language tag, got \"" + b.language + "\"",
                     "write e.g. en, sr-Latn or sq");
    b.subtitle = config::string(m, "subtitle").value_or("");
    b.authors = config::string_list(m, "author").value_or(std::vector<std::string>{});
    b.publisher = config::string(m, "publisher").value_or("");
    b.isbn = config::string(m, "isbn").value_or("");
    if (auto date = config::timestamp(m, "date")) b.date = date->date;
    b.rights = config::string(m, "rights").value_or("");
    if (const config::Node* rights = m.find("rights")) out.rights_at = rights->where;
    b.certified_by = config::string(m, "certified_by").value_or("");
    b.page_list = config::boolean(m, "page_list").value_or(true);
    b.for_sale = config::boolean(m, "for_sale").value_or(true);
    b.identifier = config::string(m, "identifier").value_or("");
    if (b.identifier.empty()) b.identifier = uuid_v5_urn("folio:" + b.title + "\n" + text::join(b.authors, "\n"));

    if (auto style = config::string(m, "style")) {
        const bool shipped = styles::shipped_file(*style, "epub.css").has_value();
        if (!shipped) {
            const config::Node& node = *m.find("style");
            const std::string rel = book_relative(root, *style, "", node.where, "style");
            if (!fs::is_regular_file(root / rel / "epub.css", ec) && !fs::is_regular_file(root / rel / "print.yaml", ec))
                config::fail(node, "no style '" + *style + "'",
                             "use a shipped style (default) or a folder in the book that holds epub.css or print.yaml");
            b.style = rel;
        } else {
            b.style = *style;
        }
    }
    if (const config::Node* print = m.find("print"); print && !print->is_null()) {
        config::require_mapping(*print, "'print'");
        for (const auto& [k, v] : print->entries) {
            const std::string key = k->is_scalar() ? k->text : std::string();
            if (std::find(kPrintKeys.begin(), kPrintKeys.end(), key) == kPrintKeys.end())
                config::fail(*k, "unknown print setting '" + key + "'", config::unknown_key_hint(key, kPrintKeys));
            if (!v->is_scalar())
                config::fail(*v, "'" + key + "' must be a single value, such as 6x9in, kdp or cream");
            b.print_settings.push_back({key, v->text, v->where});
        }
    }
    // The words folio writes itself: the table's for the language, then the book's.
    // A label the table has no name for is an error, not a warning: the book would
    // print the word it meant to replace.
    b.labels = doc::labels_for(b.language);
    if (const config::Node* labels = m.find("labels"); labels && !labels->is_null()) {
        config::require_mapping(*labels, "'labels'");
        for (const auto& [k, v] : labels->entries) {
            const std::string key = k->is_scalar() ? k->text : std::string();
            std::string* label = doc::find_label(b.labels, key);
            if (!label)
                config::fail(*k, "unknown label '" + key + "'", config::unknown_key_hint(key, doc::label_keys()));
            std::string value = config::scalar(*v, key);
            if (value.empty()) config::fail(*v, "label '" + key + "' is empty", "write the words to print, or leave the key out");
            *label = std::move(value);
        }
    }
    if (auto credits = config::string(m, "credits")) {
        if (*credits == "required")
            b.credits = doc::CreditPolicy::Required;
        else if (*credits == "optional")
            b.credits = doc::CreditPolicy::Optional;
        else
            config::fail(*m.find("credits"), "'credits' must be 'required' or 'optional', got \"" + *credits + "\"");
    }
    if (auto html = config::string(m, "html")) {
        if (*html == "drop")
            out.markdown.raw_html = markdown::RawHtml::Drop;
        else if (*html == "keep")
            out.markdown.raw_html = markdown::RawHtml::Keep;
        else
            config::fail(*m.find("html"), "'html' must be 'drop' or 'keep', got \"" + *html + "\"",
                         "keep (the default) maps raw HTML into the book; drop leaves it out");
    }
    if (auto typography = config::string(m, "typography")) {
        if (*typography == "smart")
            b.typography = doc::Typography::Smart;
        else if (*typography == "plain")
            b.typography = doc::Typography::Plain;
        else
            config::fail(*m.find("typography"), "'typography' must be 'smart' or 'plain', got \"" + *typography + "\"",
                         "smart (the default) sets quotes, dashes and ellipses as the language prints them; plain "
                         "keeps the text as written");
    }
    if (auto cover = config::string(m, "cover")) b.cover = book_relative(root, *cover, "", m.find("cover")->where, "cover");
    if (auto base = config::string(m, "base_url")) {
        const url::Parts p = url::split(*base);
        if ((p.scheme != "http" && p.scheme != "https") || p.authority.empty())
            config::fail(*m.find("base_url"), "'base_url' must be a web address, got \"" + *base + "\"",
                         "write the address the articles were published under, e.g. https://blog.example/");
        out.base_url = *base;
        if (out.base_url.back() != '/') out.base_url += '/';
    }
    if (auto generator = config::string(m, "generator")) {
        const std::string g = text::to_lower_ascii(*generator);
        if (std::find(kGenerators.begin(), kGenerators.end(), g) == kGenerators.end())
            config::fail(*m.find("generator"), "'generator' is one of: hugo, jekyll, mdbook, zola, eleventy, pelican, "
                                               "wordpress; got \"" + *generator + "\"",
                         "the site generator the articles were written for; leave it out for plain Markdown");
        out.generator = g;
        // Jekyll and Eleventy run Markdown through Liquid: {% … %} and {{ … }} are its.
        out.markdown.site_markup.liquid = g == "jekyll" || g == "eleventy";
        out.markdown.site_markup.pelican = g == "pelican";
    }
    if (auto folders = config::string_list(m, "static_folders")) {
        for (const std::string& f : *folders)
            out.static_folders.push_back(book_relative(root, f, "", m.find("static_folders")->where, "static folder"));
    }

    if (const config::Node* d = m.find("defaults"); d && !d->is_null()) {
        config::require_mapping(*d, "'defaults'");
        std::vector<UnknownKey> unknown;
        out.defaults = read_fields(*d, out.base_url, unknown);
        const auto known = front_matter_keys();
        for (const UnknownKey& k : unknown)
            diagnostics.warn(k.where, "unknown key '" + k.key + "' in defaults", config::unknown_key_hint(k.key, known));
        if (out.defaults.title)
            diagnostics.warn(d->find_key("title")->where, "'title' in defaults is ignored",
                             "give each article its own title");
    }

    const config::Node* chapters = m.find("chapters");
    if (!chapters || chapters->is_null())
        throw Error("missing 'chapters'", {file, 1, 1}, "list the chapters and their articles under 'chapters:'");
    if (!chapters->is_sequence() || chapters->items.empty())
        config::fail(*chapters, "'chapters' must be a list of chapters", "write '- title: …' and 'articles: …' for each");
    for (const config::NodePtr& c : chapters->items) {
        config::require_mapping(*c, "a chapter");
        config::check_keys(*c, kChapterKeys, "a chapter", diagnostics);
        ChapterSpec spec;
        spec.title = config::string(*c, "title").value_or("");
        const config::Node* articles = c->find("articles");
        if (!articles || articles->is_null())
            config::fail(*c, "chapter has no 'articles'", "list the article files, or give a glob such as posts/*.md");
        if (articles->is_sequence())
            for (const config::NodePtr& a : articles->items) read_entry(*a, root, spec, diagnostics);
        else
            read_entry(*articles, root, spec, diagnostics);
        out.chapters.push_back(std::move(spec));
    }
    diagnostics.stop_if_errors();
    return out;
}

}  // namespace folio::book
