#include "book/load_book.hpp"

#include "book/credit.hpp"
#include "book/front_matter.hpp"
#include "book/links.hpp"
#include "book/manifest.hpp"
#include "book/paths.hpp"
#include "config/reader.hpp"
#include "core/files.hpp"
#include "core/parallel.hpp"
#include "core/url.hpp"
#include "markdown/parse_markdown.hpp"

#include <stb_image.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <set>

namespace folio::book {

namespace fs = std::filesystem;

namespace {

std::string display_path(const fs::path& root, const std::string& rel) {
    return (root / rel).lexically_normal().generic_string();
}

// ---- one article ---------------------------------------------------------------------

// A heading at the very top of the body, of any level (mdBook's sub-chapters open
// with ##), else the first level-1 heading anywhere: removed, to be the title.
std::optional<std::string> take_title_heading(doc::Blocks& body) {
    auto take = [&](doc::Blocks::iterator it) -> std::optional<std::string> {
        std::string title(text::trim(doc::plain_text(std::get<doc::Heading>(it->value).content)));
        if (title.empty()) return std::nullopt;
        body.erase(it);
        return title;
    };
    if (!body.empty() && std::holds_alternative<doc::Heading>(body.front().value)) return take(body.begin());
    for (auto it = body.begin(); it != body.end(); ++it)
        if (auto* h = std::get_if<doc::Heading>(&it->value); h && h->level == 1) return take(it);
    return std::nullopt;
}

// The article's title is its level 1: its sections are renumbered from level 2, so
// that none skips a level (## then #### becomes 2 then 3), which accessibility
// checkers fail, keeping each heading's rank among those around it.
void renumber_headings(doc::Blocks& body) {
    struct Open {
        int written, level;
    };
    std::vector<Open> open;
    doc::for_each_block(body, [&](doc::Block& b) {
        auto* h = std::get_if<doc::Heading>(&b.value);
        if (!h) return;
        while (!open.empty() && open.back().written >= h->level) open.pop_back();
        const int level = std::min(6, open.empty() ? 2 : open.back().level + 1);
        open.push_back({h->level, level});
        h->level = level;
    });
}

struct LoadedArticle {
    doc::Article article;
    std::string display;  // path shown in diagnostics
    bool draft = false;
    std::vector<UnknownKey> unknown;  // front-matter keys folio does not know
    ArticleAddress address;
};

LoadedArticle load_article(const fs::path& root, const ArticleSpec& spec, const Manifest& manifest,
                           Diagnostics& diagnostics) {
    const doc::Book& book = manifest.book;
    LoadedArticle out;
    out.display = display_path(root, spec.path);
    const std::string& file = out.display;
    std::string source = read_file(root / spec.path);
    if (auto bad = text::find_invalid_utf8(source))
        throw Error("invalid UTF-8", {file, bad->line, bad->column}, "save the file as UTF-8");
    // The front matter is found line by line: lines end at CRLF or a lone CR too.
    if (source.find('\r') != std::string::npos) source = text::lf_line_ends(source);
    std::string_view view(source);
    if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);  // a byte-order mark is not text

    const SplitSource split = split_front_matter(view, file, manifest.generator == "pelican");
    Fields fields;
    if (split.has_front_matter && !text::trim(split.front_matter).empty()) {
        const config::NodePtr tree = config::parse(split.syntax, file, split.front_matter, split.first_line);
        config::require_mapping(*tree, "front matter");
        config::unknown_keys(*tree, {}, "front matter", diagnostics);  // warns about keys that are not names
        fields = read_fields(*tree, manifest.base_url, out.unknown, split.syntax);
    }
    out.draft = fields.draft;
    out.address = {fields.slug, fields.aliases};
    fields = merged(std::move(fields), manifest.defaults);

    // mdBook's {{#include}} reads a file beside the article, inside the book folder.
    markdown::Options options = manifest.markdown;
    const std::string dir = fs::path(spec.path).parent_path().generic_string();
    options.site_markup.read_include = [&](std::string_view path, const SourceLocation& where) {
        const std::string rel = book_relative(root, path, dir, where, "include");
        std::string bytes = read_file(root / rel);
        if (auto bad = text::find_invalid_utf8(bytes))
            throw Error("invalid UTF-8", {display_path(root, rel), bad->line, bad->column}, "save the file as UTF-8");
        return bytes.find('\r') == std::string::npos ? bytes : text::lf_line_ends(bytes);
    };
    markdown::Parsed parsed = markdown::parse_markdown(split.body, file, split.body_first_line, diagnostics, options);
    doc::Article& a = out.article;
    a.path = spec.path;
    a.body = std::move(parsed.body);
    a.notes = std::move(parsed.notes);
    // The title: the front matter's; else the heading the article opens with; else
    // the one its entry in book.yaml gives.
    if (fields.title && !fields.title->empty()) {
        a.title = *fields.title;
        // A body that repeats the title as its first heading would print it twice.
        if (!a.body.empty())
            if (auto* h = std::get_if<doc::Heading>(&a.body.front().value);
                h && text::trim(doc::plain_text(h->content)) == a.title)
                a.body.erase(a.body.begin());
    } else if (auto heading = take_title_heading(a.body)) {
        a.title = *heading;
    } else if (!spec.title.empty()) {
        a.title = spec.title;
    } else {
        throw Error("article has no title", {file, 1, 1},
                    "add 'title: …' to its front matter, start it with a heading ('# Title'), or give it one in "
                    "book.yaml: - {file: …, title: …}");
    }
    renumber_headings(a.body);
    a.authors = fields.author.value_or(std::vector<std::string>{});
    if (fields.date) {
        a.date = fields.date->date;
        a.instant = fields.date->instant;
    }
    if (fields.modified) a.modified = fields.modified->date;
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
    if (book.credits == doc::CreditPolicy::Required && !out.draft) {
        if (!has_credit(c))
            throw Error("article has no credit", {file, 1, 1},
                        "give it 'author:' and 'site:' (with 'source:' and 'license:'), or a verbatim 'credit:', in its "
                        "front matter or in the book's 'defaults:'; or set 'credits: optional' in book.yaml");
        if (!c.verbatim && c.license.empty() && c.license_url.empty())
            diagnostics.warn({file, 1, 1}, "article states no licence",
                             "add 'license:' with the terms it may be reused under", "article states no licence");
    }
    return out;
}

// Loads every article, on every core: articles are independent until ordered.
// An article that cannot be loaded is reported, and the others are loaded still:
// one run names every broken article of a book.
std::vector<std::optional<LoadedArticle>> load_articles(const fs::path& root, const std::vector<const ArticleSpec*>& specs,
                                                        const Manifest& manifest, Diagnostics& diagnostics) {
    std::vector<std::optional<LoadedArticle>> out(specs.size());
    parallel_for(specs.size(), [&](std::size_t i) {
        try {
            out[i] = load_article(root, *specs[i], manifest, diagnostics);
        } catch (const Error& e) {
            diagnostics.error(e);
        }
    });
    return out;
}

// Each front-matter key folio does not know, reported once for the book: at its
// first place, with the number of articles that give it.
void report_unknown_keys(const std::vector<std::optional<LoadedArticle>>& loaded, Diagnostics& diagnostics) {
    struct Seen {
        SourceLocation first;
        std::size_t files = 0;
    };
    std::map<std::string, Seen> keys;
    for (const auto& la : loaded) {
        if (!la) continue;
        std::set<std::string> in_this_file;
        for (const UnknownKey& k : la->unknown) {
            Seen& seen = keys[k.key];
            if (seen.files == 0) seen.first = k.where;
            if (in_this_file.insert(k.key).second) ++seen.files;
        }
    }
    const auto known = front_matter_keys();
    for (const auto& [key, seen] : keys)
        diagnostics.warn(seen.first,
                         "unknown key '" + key + "' in front matter" +
                             (seen.files > 1 ? " (in " + std::to_string(seen.files) + " articles)" : ""),
                         config::unknown_key_hint(key, known));
}

// ---- links and images ----------------------------------------------------------------

struct Resolver {
    const fs::path& root;
    Diagnostics& diagnostics;
    const Collection& collection;
    std::map<std::string, std::set<std::string>> anchors;          // article id -> heading ids
    std::map<std::string, std::string> resources;                  // path -> media type (bytes read later)
    std::map<std::string, SourceLocation> resource_where;

    static bool has_scheme(std::string_view url) { return url::has_scheme(url); }

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
        if (has_scheme(url) && !safe_scheme(url)) {
            diagnostics.warn(where, "link '" + url.substr(0, 60) + "' uses an unsafe scheme and is dropped",
                             "links may use http, https or mailto");
            return false;
        }
        if (text::starts_with_ci(url, "mailto:")) return true;
        const LinkTarget target = collection.resolve(url, a);
        switch (target.kind) {
            case LinkTarget::Kind::Web:
                link.url = target.url;
                return true;
            case LinkTarget::Kind::Unresolved:
                diagnostics.warn(where, "link '" + url + "' " + target.why + "; its text is kept", target.hint,
                                 "a link that names no article");
                return false;
            case LinkTarget::Kind::Article:
                break;
        }
        std::string anchor;
        if (!target.fragment.empty()) {
            const std::string id = target.article->id + "-" + target.fragment;
            if (!anchors[target.article->id].count(id)) {
                diagnostics.warn(where, "link '" + url + "': no heading '" + target.fragment + "' in " + target.article->path,
                                 "use the heading's slug: lowercase, spaces as '-', punctuation dropped",
                                 "a link to a heading that does not exist");
            } else {
                anchor = id;
            }
        }
        link.internal = doc::InternalTarget{target.article->id, anchor};
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
                             "describe it between the brackets: ![a map of the Balkans](…)", "an image without alt text");
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
    std::vector<const ArticleSpec*> specs;
    for (const ChapterSpec& c : manifest.chapters) {
        for (const ArticleSpec& a : c.articles) {
            auto [it, fresh] = seen.emplace(a.path, a.where);
            if (!fresh) {
                diagnostics.error(Error("article '" + a.path + "' is already in the book", a.where,
                                        "first listed at " + it->second.str() + "; an article appears once"));
                continue;
            }
            specs.push_back(&a);
        }
    }
    diagnostics.stop_if_errors();

    std::vector<std::optional<LoadedArticle>> loaded = load_articles(root, specs, manifest, diagnostics);
    diagnostics.stop_if_errors();
    report_unknown_keys(loaded, diagnostics);

    std::map<std::string, ArticleAddress> addresses;  // by path
    std::size_t k = 0;
    for (const ChapterSpec& spec : manifest.chapters) {
        doc::Chapter chapter;
        chapter.title = spec.title;
        std::vector<LoadedArticle*> group;
        for (std::size_t j = 0; j < spec.articles.size(); ++j) {
            LoadedArticle& la = *loaded[k++];
            if (!la.draft) {
                group.push_back(&la);
                continue;
            }
            diagnostics.note({la.display}, "left out: a draft",
                             "it says draft: true, published: false or status: draft in its front matter");
        }
        if (spec.glob) {
            // Sorted by the moment of publication, undated last, then by path (DESIGN §1).
            std::stable_sort(group.begin(), group.end(), [](const LoadedArticle* x, const LoadedArticle* y) {
                const doc::Article& a = x->article;
                const doc::Article& b = y->article;
                if (a.date.has_value() != b.date.has_value()) return a.date.has_value();
                if (a.date && a.instant != b.instant) return a.instant < b.instant;
                const fs::path pa(a.path), pb(b.path);
                if (pa.filename() != pb.filename()) return pa.filename() < pb.filename();
                return pa < pb;
            });
        }
        for (LoadedArticle* la : group) {
            addresses[la->article.path] = std::move(la->address);
            chapter.articles.push_back(std::move(la->article));
        }
        if (chapter.articles.empty()) {
            if (!spec.articles.empty())
                diagnostics.note(spec.articles.front().where,
                                 "chapter '" + spec.title + "' is left out: all its articles are drafts");
            continue;
        }
        book.chapters.push_back(std::move(chapter));
    }
    if (book.chapters.empty())
        throw Error("every article of the book is a draft", {display_path(root, "book.yaml"), 1, 1},
                    "set draft: false in the articles to publish");
    for (std::size_t ci = 0; ci < book.chapters.size(); ++ci)
        book.chapters[ci].id = id_of('c', ci, book.chapters.size());

    // Ids in reading order, then the links between articles.
    const std::size_t count = book.article_count();
    Collection collection(root, manifest.base_url);
    Resolver resolver{root, diagnostics, collection, {}, {}, {}};
    std::size_t index = 0;
    std::map<std::string, std::string> display_of;
    for (doc::Chapter& c : book.chapters) {
        for (doc::Article& a : c.articles) {
            a.id = id_of('a', index++, count);
            prefix_heading_ids(a.body, a.id, resolver.anchors[a.id]);
            collection.add(a, addresses[a.path]);
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
