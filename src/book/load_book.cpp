#include "book/load_book.hpp"

#include "book/credit.hpp"
#include "book/paths.hpp"
#include "book/yaml_fields.hpp"
#include "core/files.hpp"
#include "core/parallel.hpp"
#include "core/uuid.hpp"
#include "markdown/parse_markdown.hpp"
#include "styles/shipped.hpp"

#include <stb_image.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <set>

namespace folio::book {

namespace fs = std::filesystem;

namespace {

// The front-matter fields that `defaults:` may also set. Book defaults < front matter.
struct Fields {
    std::optional<std::string> title, site, source, license, license_url, credit, lang, summary;
    std::optional<std::vector<std::string>> author;
    std::optional<text::Date> date;
};

constexpr std::initializer_list<const char*> kFrontMatterKeys = {
    "title", "author", "date", "site", "source", "license", "license_url", "credit", "lang", "summary"};

Fields read_fields(const YamlDoc& y, const YAML::Node& map, Diagnostics& diagnostics, const std::string& what) {
    y.check_keys(map, kFrontMatterKeys, what, diagnostics);
    Fields f;
    f.title = y.string(map, "title");
    f.author = y.string_list(map, "author");
    f.date = y.date(map, "date");
    f.site = y.string(map, "site");
    f.source = y.string(map, "source");
    f.license = y.string(map, "license");
    f.license_url = y.string(map, "license_url");
    f.credit = y.string(map, "credit");
    f.lang = y.string(map, "lang");
    f.summary = y.string(map, "summary");
    if (f.lang && !markdown::is_language_tag(*f.lang))
        y.fail(map["lang"], "'lang' must be a BCP 47 language tag, got \"" + *f.lang + "\"",
               "write e.g. en, sr-Latn, sr-Cyrl or sq");
    return f;
}

template <class T> void merge_into(std::optional<T>& field, const std::optional<T>& fallback) {
    if (!field) field = fallback;
}

Fields merged(Fields article, const Fields& defaults) {
    merge_into(article.site, defaults.site);
    merge_into(article.source, defaults.source);
    merge_into(article.license, defaults.license);
    merge_into(article.license_url, defaults.license_url);
    merge_into(article.credit, defaults.credit);
    merge_into(article.lang, defaults.lang);
    merge_into(article.summary, defaults.summary);
    merge_into(article.author, defaults.author);
    merge_into(article.date, defaults.date);
    return article;
}

std::string display_path(const fs::path& root, const std::string& rel) {
    return (root / rel).lexically_normal().generic_string();
}

// ---- the manifest --------------------------------------------------------------------

struct ArticleSpec {
    std::string path;       // book-relative
    SourceLocation where;   // where book.yaml names it
};

struct ChapterSpec {
    std::string title;
    bool glob = false;
    std::vector<ArticleSpec> articles;
};

struct Manifest {
    doc::Book book;
    Fields defaults;
    markdown::Options markdown;  // `html:` — how the articles' raw HTML is read
    std::vector<ChapterSpec> chapters;
};

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
    const YamlDoc y(file, source, 1);
    const YAML::Node& m = y.root();
    if (!m || m.IsNull()) throw Error("book.yaml is empty", {file, 1, 1}, "it needs at least title, language and chapters");
    y.require_mapping(m, "book.yaml");
    y.check_keys(m,
                        {"title", "subtitle", "author", "publisher", "language", "identifier", "isbn", "date", "rights",
                         "cover", "style", "print", "credits", "html", "defaults", "chapters"},
                        "book.yaml", diagnostics);

    Manifest out;
    doc::Book& b = out.book;
    b.root = root;
    b.name = fs::path(root).lexically_normal().filename().string();
    if (b.name.empty() || b.name == "." || b.name == "..")
        b.name = fs::weakly_canonical(root, ec).filename().string();
    b.title = y.required_string(m, "title", "add a line such as: title: Collected Essays");
    b.language = y.required_string(m, "language", "add a line such as: language: en (a BCP 47 tag)");
    if (!markdown::is_language_tag(b.language))
        y.fail(m["language"], "'language' must be a BCP 47 language tag, got \"" + b.language + "\"",
               "write e.g. en, sr-Latn or sq");
    b.subtitle = y.string(m, "subtitle").value_or("");
    b.authors = y.string_list(m, "author").value_or(std::vector<std::string>{});
    b.publisher = y.string(m, "publisher").value_or("");
    b.isbn = y.string(m, "isbn").value_or("");
    b.date = y.date(m, "date");
    b.rights = y.string(m, "rights").value_or("");
    b.identifier = y.string(m, "identifier").value_or("");
    if (b.identifier.empty()) b.identifier = uuid_v5_urn("folio:" + b.title + "\n" + text::join(b.authors, "\n"));

    if (auto style = y.string(m, "style")) {
        const bool shipped = styles::shipped_file(*style, "epub.css").has_value();
        if (!shipped) {
            const std::string rel = book_relative(root, *style, "", y.where(m["style"]), "style");
            if (!fs::is_regular_file(root / rel / "epub.css", ec) && !fs::is_regular_file(root / rel / "print.yaml", ec))
                y.fail(m["style"], "no style '" + *style + "'",
                       "use a shipped style (default) or a folder in the book that holds epub.css or print.yaml");
            b.style = rel;
        } else {
            b.style = *style;
        }
    }
    if (const YAML::Node print = m["print"]) {
        y.require_mapping(print, "'print'");
        for (const auto& kv : print) {
            const std::string key = kv.first.Scalar();
            if (key != "trim" && key != "bleed" && key != "paper")
                y.fail(kv.first, "unknown print setting '" + key + "'", "the print settings are trim, bleed and paper");
            if (!kv.second.IsScalar()) y.fail(kv.second, "'" + key + "' must be a single value, such as 6x9in, kdp or cream");
            b.print_settings.push_back({key, kv.second.Scalar(), y.where(kv.second)});
        }
    }
    if (auto credits = y.string(m, "credits")) {
        if (*credits == "required")
            b.credits = doc::CreditPolicy::Required;
        else if (*credits == "optional")
            b.credits = doc::CreditPolicy::Optional;
        else
            y.fail(m["credits"], "'credits' must be 'required' or 'optional', got \"" + *credits + "\"");
    }
    if (auto html = y.string(m, "html")) {
        if (*html == "drop")
            out.markdown.raw_html = markdown::RawHtml::Drop;
        else if (*html == "keep")
            out.markdown.raw_html = markdown::RawHtml::Keep;
        else
            y.fail(m["html"], "'html' must be 'drop' or 'keep', got \"" + *html + "\"",
                   "keep (the default) maps raw HTML into the book; drop leaves it out");
    }
    if (auto cover = y.string(m, "cover"))
        b.cover = book_relative(root, *cover, "", y.where(m["cover"]), "cover");

    if (const YAML::Node d = m["defaults"]; d && !d.IsNull()) {
        y.require_mapping(d, "'defaults'");
        out.defaults = read_fields(y, d, diagnostics, "defaults");
        if (out.defaults.title)
            diagnostics.warn(y.where(d["title"]), "'title' in defaults is ignored", "give each article its own title");
    }

    const YAML::Node chapters = m["chapters"];
    if (!chapters || chapters.IsNull())
        throw Error("missing 'chapters'", {file, 1, 1}, "list the chapters and their articles under 'chapters:'");
    if (!chapters.IsSequence() || chapters.size() == 0)
        y.fail(chapters, "'chapters' must be a list of chapters", "write '- title: …' and 'articles: …' for each");
    for (const auto& c : chapters) {
        y.require_mapping(c, "a chapter");
        y.check_keys(c, {"title", "articles"}, "a chapter", diagnostics);
        ChapterSpec spec;
        spec.title = y.string(c, "title").value_or("");
        const YAML::Node articles = c["articles"];
        if (!articles || articles.IsNull())
            y.fail(c, "chapter has no 'articles'", "list the article files, or give a glob such as posts/*.md");
        std::vector<YAML::Node> entries;
        if (articles.IsSequence()) {
            for (const auto& a : articles) entries.push_back(a);
        } else {
            entries.push_back(articles);
        }
        for (const YAML::Node& a : entries) {
            if (!a.IsScalar()) y.fail(a, "an article entry must be a path or a glob", "write e.g. articles/one.md");
            const std::string written(text::trim(a.Scalar()));
            const SourceLocation where = y.where(a);
            if (has_glob_characters(written)) {
                spec.glob = true;
                const auto matches = expand_glob(root, written, where);
                if (matches.empty())
                    throw Error("glob '" + written + "' matches no file", where,
                                "check the pattern; it is relative to the folder that holds book.yaml");
                for (const auto& rel : matches) spec.articles.push_back({rel, where});
            } else {
                const std::string rel = book_relative(root, written, "", where, "article");
                if (!fs::is_regular_file(root / rel, ec))
                    throw Error("article '" + written + "' does not exist", where,
                                "paths are relative to the folder that holds book.yaml");
                spec.articles.push_back({rel, where});
            }
        }
        out.chapters.push_back(std::move(spec));
    }
    return out;
}

// ---- one article ---------------------------------------------------------------------

struct SplitSource {
    std::string front_matter;  // YAML, may be empty
    std::string_view body;
    int body_first_line = 1;
    bool has_front_matter = false;
};

bool is_fence_line(std::string_view line, bool closing) {
    line = text::trim(line);
    return line == "---" || (closing && line == "...");
}

SplitSource split_front_matter(std::string_view source, const std::string& file) {
    SplitSource out;
    out.body = source;
    const std::size_t first_end = source.find('\n');
    if (!is_fence_line(source.substr(0, first_end), false)) return out;
    out.has_front_matter = true;
    std::size_t pos = first_end == std::string_view::npos ? source.size() : first_end + 1;
    int line = 2;
    while (pos < source.size()) {
        const std::size_t end = source.find('\n', pos);
        const std::string_view l = source.substr(pos, end == std::string_view::npos ? end : end - pos);
        if (is_fence_line(l, true)) {
            out.front_matter = std::string(source.substr(first_end + 1, pos - first_end - 1));
            out.body = end == std::string_view::npos ? std::string_view() : source.substr(end + 1);
            out.body_first_line = line + 1;
            return out;
        }
        pos = end == std::string_view::npos ? source.size() : end + 1;
        ++line;
    }
    throw Error("front matter is never closed", {file, 1, 1},
                "end the front matter with a line of three dashes (---) before the article text");
}

// The first level-1 heading, removed from the body, for articles without `title:`.
std::optional<std::string> take_first_h1(doc::Blocks& body) {
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (auto* h = std::get_if<doc::Heading>(&it->value); h && h->level == 1) {
            std::string title(text::trim(doc::plain_text(h->content)));
            body.erase(it);
            return title;
        }
    }
    return std::nullopt;
}

int min_heading_level(const doc::Blocks& blocks) {
    int level = 7;
    doc::for_each_block(blocks, [&](const doc::Block& b) {
        if (auto* h = std::get_if<doc::Heading>(&b.value)) level = std::min(level, h->level);
    });
    return level;
}

void shift_headings(doc::Blocks& blocks, int by) {
    doc::for_each_block(blocks, [&](doc::Block& b) {
        if (auto* h = std::get_if<doc::Heading>(&b.value)) h->level = std::min(6, h->level + by);
    });
}

// An article's own sections start at h2: its title is the h1.
void demote_headings_if_needed(doc::Blocks& blocks) {
    if (min_heading_level(blocks) == 1) shift_headings(blocks, 1);
}

struct LoadedArticle {
    doc::Article article;
    std::string display;  // path shown in diagnostics
};

LoadedArticle load_article(const fs::path& root, const std::string& rel, const Fields& defaults,
                           const markdown::Options& options, const doc::Book& book, Diagnostics& diagnostics) {
    LoadedArticle out;
    out.display = display_path(root, rel);
    const std::string& file = out.display;
    std::string source = read_file(root / rel);
    if (auto bad = text::find_invalid_utf8(source))
        throw Error("invalid UTF-8", {file, bad->line, bad->column}, "save the file as UTF-8");
    // The front matter is found line by line: lines end at CRLF or a lone CR too.
    if (source.find('\r') != std::string::npos) source = text::lf_line_ends(source);
    std::string_view view(source);
    if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);  // a byte-order mark is not text

    const SplitSource split = split_front_matter(view, file);
    Fields fields;
    if (split.has_front_matter && !text::trim(split.front_matter).empty()) {
        const YamlDoc y(file, split.front_matter, 2);
        y.require_mapping(y.root(), "front matter");
        fields = read_fields(y, y.root(), diagnostics, "front matter");
    }
    fields = merged(std::move(fields), defaults);

    markdown::Parsed parsed = markdown::parse_markdown(split.body, file, split.body_first_line, diagnostics, options);
    doc::Article& a = out.article;
    a.path = rel;
    a.body = std::move(parsed.body);
    a.notes = std::move(parsed.notes);
    if (fields.title && !fields.title->empty()) {
        a.title = *fields.title;
        // A body that repeats the title as its first heading would print it twice.
        if (!a.body.empty())
            if (auto* h = std::get_if<doc::Heading>(&a.body.front().value);
                h && h->level == 1 && text::trim(doc::plain_text(h->content)) == a.title)
                a.body.erase(a.body.begin());
    } else if (auto h1 = take_first_h1(a.body); h1 && !h1->empty()) {
        a.title = *h1;
    } else {
        throw Error("article has no title", {file, 1, 1}, "add 'title: …' to its front matter, or start it with '# Title'");
    }
    demote_headings_if_needed(a.body);
    a.authors = fields.author.value_or(std::vector<std::string>{});
    a.date = fields.date;
    a.lang = fields.lang.value_or("");
    if (a.lang == book.language) a.lang.clear();
    a.summary = fields.summary.value_or("");

    doc::Credit& c = a.credit;
    c.authors = a.authors;
    c.site = fields.site.value_or("");
    c.source = fields.source.value_or("");
    c.license = fields.license.value_or("");
    c.license_url = fields.license_url.value_or("");
    if (fields.credit && !fields.credit->empty()) {
        c.text = *fields.credit;
        c.verbatim = true;
    }
    compose_credit(c, a.title);
    if (book.credits == doc::CreditPolicy::Required) {
        if (!has_credit(c))
            throw Error("article has no credit", {file, 1, 1},
                        "give it 'author:' and 'site:' (with 'source:' and 'license:'), or a verbatim 'credit:', in its "
                        "front matter or in the book's 'defaults:'; or set 'credits: optional' in book.yaml");
        if (!c.verbatim && c.license.empty() && c.license_url.empty())
            diagnostics.warn({file, 1, 1}, "article states no licence",
                             "add 'license:' with the terms it may be reused under");
    }
    return out;
}

// Loads every article, on every core: articles are independent until ordered.
std::vector<LoadedArticle> load_articles(const fs::path& root, const std::vector<std::string>& paths,
                                         const Manifest& manifest, Diagnostics& diagnostics) {
    std::vector<LoadedArticle> out(paths.size());
    parallel_for(paths.size(), [&](std::size_t i) {
        out[i] = load_article(root, paths[i], manifest.defaults, manifest.markdown, manifest.book, diagnostics);
    });
    return out;
}

// ---- links and images ----------------------------------------------------------------

struct Resolver {
    const fs::path& root;
    Diagnostics& diagnostics;
    std::map<std::string, const doc::Article*> by_path;           // book-relative path -> article
    std::map<std::string, std::set<std::string>> anchors;          // article id -> heading ids
    std::map<std::string, std::string> resources;                  // path -> media type (bytes read later)
    std::map<std::string, SourceLocation> resource_where;

    static bool has_scheme(std::string_view url) {
        const std::size_t colon = url.find(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        for (char c : url.substr(0, colon))
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                  c == '-' || c == '.'))
                return false;
        return true;
    }

    static bool safe_scheme(std::string_view url) {
        return text::starts_with_ci(url, "http:") || text::starts_with_ci(url, "https:") ||
               text::starts_with_ci(url, "mailto:");
    }

    static std::string dir_of(const std::string& rel) {
        const std::size_t slash = rel.rfind('/');
        return slash == std::string::npos ? std::string() : rel.substr(0, slash);
    }

    // Returns false when the link must become plain text.
    bool resolve_link(doc::Link& link, const doc::Article& a, const std::string& file) {
        const std::string& url = link.url;
        const SourceLocation where{file, link.line, link.column};
        if (url.empty()) return true;
        if (has_scheme(url)) {
            if (safe_scheme(url)) return true;
            diagnostics.warn(where, "link '" + url.substr(0, 60) + "' uses an unsafe scheme and is dropped",
                             "links may use http, https or mailto");
            return false;
        }
        const std::size_t hash = url.find('#');
        const std::string path_part = url.substr(0, hash);
        const std::string fragment = hash == std::string::npos ? std::string() : url.substr(hash + 1);
        const doc::Article* target = &a;
        if (!path_part.empty()) {
            std::string rel;
            try {
                rel = book_relative(root, path_part, dir_of(a.path), where, "link");
            } catch (const Error&) {
                diagnostics.warn(where, "link '" + url + "' points outside the book and is dropped",
                                 "link to the web with https://, or to another article of the book");
                return false;
            }
            auto it = by_path.find(rel);
            if (it == by_path.end()) {
                diagnostics.warn(where, "link '" + url + "' points to no article of this book and is dropped",
                                 "link to an article's .md file, as listed in book.yaml");
                return false;
            }
            target = it->second;
        }
        std::string anchor;
        if (!fragment.empty()) {
            const std::string id = target->id + "-" + fragment;
            if (!anchors[target->id].count(id)) {
                diagnostics.warn(where, "link '" + url + "': no heading '" + fragment + "' in " + target->path,
                                 "use the heading's slug: lowercase, spaces as '-', punctuation dropped");
            } else {
                anchor = id;
            }
        }
        link.internal = doc::InternalTarget{target->id, anchor};
        return true;
    }

    void resolve_image(doc::Image& image, const doc::Article& a, const std::string& file) {
        const SourceLocation where{file, image.line, image.column};
        if (has_scheme(image.src))
            throw Error("image '" + image.src + "' is not in the book folder", where,
                        "download it into the book folder (e.g. images/) and link it by its path");
        const std::string rel = book_relative(root, image.src, dir_of(a.path), where, "image");
        std::error_code ec;
        if (!fs::is_regular_file(root / rel, ec))
            throw Error("image '" + image.src + "' does not exist", where,
                        "image paths are relative to the article's file");
        image.src = rel;
        if (!resources.count(rel)) {
            resources[rel] = "";
            resource_where[rel] = where;
        }
        if (text::trim(image.alt).empty())
            diagnostics.warn(where, "image '" + image.src + "' has no alt text",
                             "describe it between the brackets: ![a map of the Balkans](…)");
    }

    void inlines(doc::Inlines& list, const doc::Article& a, const std::string& file) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            doc::Inline& in = list[i];
            if (auto* link = std::get_if<doc::Link>(&in.value)) {
                inlines(link->content, a, file);
                if (!resolve_link(*link, a, file)) {
                    doc::Inlines content = std::move(link->content);
                    list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
                    list.insert(list.begin() + static_cast<std::ptrdiff_t>(i), content.begin(), content.end());
                    i += content.size();
                    --i;
                }
            } else if (auto* image = std::get_if<doc::Image>(&in.value)) {
                if (image->src.empty() && !image->svg.empty()) {
                    // An <svg> written inline: not a picture of the book yet. Its
                    // description stands in for it, in every output.
                    diagnostics.warn({file, image->line, image->column},
                                     "an inline <svg> is not yet made a picture of the book: its description stands in",
                                     "save it as an .svg file in the book folder and show it with <img src=\"…\">");
                    in = doc::Inline{doc::Text{image->alt}};
                    continue;
                }
                resolve_image(*image, a, file);
            } else {
                std::visit(
                    [&](auto& v) {
                        if constexpr (requires { v.content; }) inlines(v.content, a, file);
                    },
                    in.value);
            }
        }
    }

    void blocks(doc::Blocks& list, const doc::Article& a, const std::string& file) {
        doc::for_each_inlines(list, [&](doc::Inlines& content) { inlines(content, a, file); });
    }
};

// Every heading, in quotes and lists too: ids are unique across the book (the
// PDF's destinations share one name space) and any heading can be linked to.
void prefix_heading_ids(doc::Blocks& blocks, const std::string& prefix, std::set<std::string>& ids) {
    doc::for_each_block(blocks, [&](doc::Block& b) {
        if (auto* h = std::get_if<doc::Heading>(&b.value)) {
            h->id = prefix + "-" + h->id;
            ids.insert(h->id);
        }
    });
}

std::string sniff_media_type(const std::string& bytes) {
    if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return "image/png";
    if (bytes.size() >= 3 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) return "image/jpeg";
    if (bytes.size() >= 6 && (bytes.compare(0, 6, "GIF87a") == 0 || bytes.compare(0, 6, "GIF89a") == 0))
        return "image/gif";
    return "";
}

// Refuses a picture no reader could show, where the article names it: one whose
// pixels cannot be read (corrupt, truncated), or one too large to decode. The size
// comes from the header, before a pixel is decoded: a PNG of a few hundred bytes can
// claim 30,000 x 30,000 pixels, 3.6 GB once decoded.
void check_image(const doc::Resource& r, const SourceLocation& where) {
    const std::string what = "image '" + r.path + "'";
    const std::string hint = "open it in an image editor and save it again as PNG or JPEG";
    if (r.bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error(what + " is larger than 2 GB", where, "scale it down");
    const auto* bytes = reinterpret_cast<const stbi_uc*>(r.bytes.data());
    const int size = static_cast<int>(r.bytes.size());
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(bytes, size, &w, &h, &channels))
        throw Error(what + " cannot be read: " + stbi_failure_reason(), where, hint);
    if (static_cast<long long>(w) * h > doc::kMaxImagePixels)
        throw Error(what + " is " + std::to_string(w) + " x " + std::to_string(h) + " pixels, more than " +
                        std::to_string(doc::kMaxImagePixels / 1'000'000) + " million",
                    where, "scale it down: 300 pixels to the inch of the printed size are enough");
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(bytes, size, &w, &h, &channels, 0),
                                                     stbi_image_free);
    if (!pixels) throw Error(what + " cannot be read: " + stbi_failure_reason(), where, hint);
}

std::string id_of(char kind, std::size_t index, std::size_t count) {
    const std::size_t width = std::max<std::size_t>(2, std::to_string(count).size());
    std::string n = std::to_string(index + 1);
    return std::string(1, kind) + std::string(width - std::min(width, n.size()), '0') + n;
}

}  // namespace

doc::Book load_book(const fs::path& book_dir, Diagnostics& diagnostics, const ManifestRead& manifest_read) {
    const fs::path root = book_dir.empty() ? fs::path(".") : book_dir;
    Manifest manifest = read_manifest(root, diagnostics);
    doc::Book& book = manifest.book;
    if (manifest_read) manifest_read(book);

    // The same file in two places would give two articles one id.
    std::map<std::string, SourceLocation> seen;
    std::vector<std::string> paths;
    for (const ChapterSpec& c : manifest.chapters) {
        for (const ArticleSpec& a : c.articles) {
            auto [it, fresh] = seen.emplace(a.path, a.where);
            if (!fresh)
                throw Error("article '" + a.path + "' is already in the book", a.where,
                            "first listed at " + it->second.str() + "; an article appears once");
            paths.push_back(a.path);
        }
    }

    std::vector<LoadedArticle> loaded = load_articles(root, paths, manifest, diagnostics);

    std::size_t k = 0;
    for (std::size_t ci = 0; ci < manifest.chapters.size(); ++ci) {
        const ChapterSpec& spec = manifest.chapters[ci];
        doc::Chapter chapter;
        chapter.id = id_of('c', ci, manifest.chapters.size());
        chapter.title = spec.title;
        std::vector<LoadedArticle*> group;
        for (std::size_t j = 0; j < spec.articles.size(); ++j) group.push_back(&loaded[k++]);
        if (spec.glob) {
            // Sorted by date, undated last, then by file name (DESIGN §1).
            std::stable_sort(group.begin(), group.end(), [](const LoadedArticle* x, const LoadedArticle* y) {
                const auto& dx = x->article.date;
                const auto& dy = y->article.date;
                if (dx.has_value() != dy.has_value()) return dx.has_value();
                if (dx && *dx != *dy) return *dx < *dy;
                return fs::path(x->article.path).filename() < fs::path(y->article.path).filename();
            });
        }
        for (LoadedArticle* la : group) chapter.articles.push_back(std::move(la->article));
        book.chapters.push_back(std::move(chapter));
    }

    // Ids in reading order, then the links between articles.
    const std::size_t count = book.article_count();
    Resolver resolver{root, diagnostics, {}, {}, {}, {}};
    std::size_t index = 0;
    std::map<std::string, std::string> display_of;
    for (doc::Chapter& c : book.chapters) {
        for (doc::Article& a : c.articles) {
            a.id = id_of('a', index++, count);
            prefix_heading_ids(a.body, a.id, resolver.anchors[a.id]);
            resolver.by_path[a.path] = &a;
            display_of[a.id] = display_path(root, a.path);
        }
    }
    for (doc::Chapter& c : book.chapters) {
        for (doc::Article& a : c.articles) {
            const std::string& file = display_of[a.id];
            resolver.blocks(a.body, a, file);
            for (doc::Footnote& n : a.notes) resolver.blocks(n.content, a, file);
        }
    }

    if (!book.cover.empty()) {
        std::error_code ec;
        if (!fs::is_regular_file(root / book.cover, ec))
            throw Error("cover '" + book.cover + "' does not exist", {display_path(root, "book.yaml"), 1, 1},
                        "the cover path is relative to book.yaml");
        resolver.resources.emplace(book.cover, "");
        resolver.resource_where.emplace(book.cover, SourceLocation{display_path(root, "book.yaml"), 1, 1});
    }
    for (const auto& [path, unused] : resolver.resources) {
        doc::Resource r{path, "", read_file(root / path)};
        r.media_type = sniff_media_type(r.bytes);
        if (r.media_type.empty())
            throw Error("'" + path + "' is not a PNG, JPEG or GIF image", resolver.resource_where[path],
                        "convert it to PNG or JPEG");
        check_image(r, resolver.resource_where[path]);
        book.resources.push_back(std::move(r));
    }
    return std::move(manifest.book);
}

}  // namespace folio::book
