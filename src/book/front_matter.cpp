#include "book/front_matter.hpp"

#include "config/reader.hpp"
#include "core/url.hpp"
#include "markdown/parse_markdown.hpp"

#include <algorithm>
#include <array>

namespace folio::book {

namespace {

bool is_fence_line(std::string_view line, std::string_view fence, bool closing) {
    line = text::trim(line);
    return line == fence || (closing && fence == "---" && line == "...");
}

constexpr std::array<std::string_view, 11> kFolioKeys = {"title",  "author", "date",    "site",
                                                        "source", "license", "license_url", "credit",
                                                        "lang",   "summary", "permission"};

// Other tools' names for folio's keys. The first of several that an article gives wins.
struct Alias {
    std::string_view key, means;
};
constexpr Alias kAliases[] = {
    {"authors", "author"},          {"by", "author"},
    {"description", "summary"},     {"excerpt", "summary"},
    {"canonicalURL", "source"},     {"canonicalUrl", "source"},  {"canonical_url", "source"},
    {"canonical", "source"},        {"link", "source"},          {"url", "source"},
    {"permalink", "source"},        {"licence", "license"},      {"licence_url", "license_url"},
    {"language", "lang"},           {"lastmod", "modified"},     {"lastMod", "modified"},
    {"updated", "modified"},        {"modified", "modified"},    {"last_modified_at", "modified"},
    {"publishDate", "date"},        {"pubDate", "date"},         {"published", "published"},
    {"draft", "draft"},             {"status", "status"},
};

// Keys that only a site generator (or a theme) uses: read and ignored, without a word.
constexpr std::string_view kSiteKeys[] = {
    "tags", "categories", "category", "template", "layout", "slug", "aliases", "weight", "toc", "type", "menu",
    "series", "keywords", "comments", "share", "showToc", "ShowToc", "TocOpen", "tocOpen", "hidemeta", "hideMeta",
    "ShowReadingTime", "ShowBreadCrumbs", "ShowPostNavLinks", "ShowWordCount", "disableShare", "searchHidden",
    "sitemap", "outputs", "resources", "headless", "linkTitle", "markup", "translationKey", "cascade", "build",
    "isCJKLanguage", "expiryDate", "redirect_from", "redirect_to", "excerpt_separator", "sidebar", "nav_order",
    "parent", "grand_parent", "has_children", "nav_exclude", "header", "classes", "toc_sticky", "toc_label",
    "toc_icon", "related", "guid", "id", "wordpress_id", "wp_id", "post_id", "comment_status", "math", "mathjax",
    "katex", "js", "css", "scripts", "styles", "featured", "pinned", "hidden", "unlisted", "eleventyNavigation",
    "eleventyExcludeFromCollections", "eleventyComputed", "taxonomies", "extra", "in_search_index", "render",
    "sort_by", "paginate_by", "insert_anchor_links", "images", "thumbnail", "banner", "hero", "og_image",
    "social_image",
    "audio", "videos", "author_profile", "read_time", "show_date", "mermaid", "highlight", "draft_note",
    "translation", "save_as", "url_format", "og_description",
};

bool is_site_key(std::string_view key) {
    return std::find(std::begin(kSiteKeys), std::end(kSiteKeys), key) != std::end(kSiteKeys);
}

// The names of the people an article credits: a name, a list of names, or what
// Jekyll and Hugo themes write, a mapping (or a list of mappings) with a `name`.
std::vector<std::string> names(const config::Node& node, std::string_view key) {
    std::vector<std::string> out;
    auto one = [&](const config::Node& n) {
        if (n.is_null()) return;
        if (n.is_mapping()) {
            const config::Node* name = n.find("name");
            if (!name) name = n.find("display_name");
            if (!name) config::fail(n, "'" + std::string(key) + "' is a mapping without 'name'", "write the author's name: name: Jane Roe");
            if (std::string s = config::scalar(*name, key); !s.empty()) out.push_back(std::move(s));
            return;
        }
        if (std::string s = config::scalar(n, key); !s.empty()) out.push_back(std::move(s));
    };
    if (node.is_sequence())
        for (const config::NodePtr& item : node.items) one(*item);
    else
        one(node);
    return out;
}

// A Jekyll permalink pattern ("/:year/:title/") is the site's rule, not an address.
bool is_pattern(std::string_view url) { return url.find("/:") != std::string_view::npos; }

}  // namespace

// "Title: My post": a key of letters, digits, '_' or '-' at the start of the line.
bool is_metadata_line(std::string_view line) {
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 40) return false;
    return std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

SplitSource split_front_matter(std::string_view source, const std::string& file, bool metadata_lines) {
    SplitSource out;
    out.body = source;
    const std::size_t first_end = source.find('\n');
    const std::string_view first = source.substr(0, first_end);
    std::string_view fence;
    if (is_fence_line(first, "---", false)) {
        fence = "---";
    } else if (is_fence_line(first, "+++", false)) {
        fence = "+++";
        out.syntax = config::Syntax::Toml;
    } else if (metadata_lines && is_metadata_line(first)) {
        // Up to the first blank line.
        out.has_front_matter = true;
        out.syntax = config::Syntax::Lines;
        std::size_t end = source.find("\n\n");
        if (end == std::string_view::npos) end = source.size();
        out.front_matter = std::string(source.substr(0, end));
        out.body = end >= source.size() ? std::string_view() : source.substr(end + 2);
        out.body_first_line = static_cast<int>(std::count(out.front_matter.begin(), out.front_matter.end(), '\n')) + 3;
        out.first_line = 1;
        return out;
    } else {
        return out;
    }
    out.has_front_matter = true;
    std::size_t pos = first_end == std::string_view::npos ? source.size() : first_end + 1;
    int line = 2;
    while (pos < source.size()) {
        const std::size_t end = source.find('\n', pos);
        const std::string_view l = source.substr(pos, end == std::string_view::npos ? end : end - pos);
        if (is_fence_line(l, fence, true)) {
            out.front_matter = std::string(source.substr(first_end + 1, pos - first_end - 1));
            out.body = end == std::string_view::npos ? std::string_view() : source.substr(end + 1);
            out.body_first_line = line + 1;
            out.first_line = 2;
            return out;
        }
        pos = end == std::string_view::npos ? source.size() : end + 1;
        ++line;
    }
    throw Error("front matter is never closed", {file, 1, 1},
                "end the front matter with a line of " + std::string(fence == "---" ? "three dashes (---)" : "three plus signs (+++)") +
                    " before the article text");
}

std::vector<std::string_view> front_matter_keys() { return {kFolioKeys.begin(), kFolioKeys.end()}; }

Fields read_fields(const config::Node& map, const std::string& base_url, std::vector<UnknownKey>& unknown,
                   config::Syntax syntax) {
    Fields f;
    std::optional<std::string> source_candidate;
    for (const auto& [k, v] : map.entries) {
        if (!k->is_scalar()) continue;  // warned about by the caller's check
        const std::string& written = k->text;
        std::string_view key = written;
        if (std::find(kFolioKeys.begin(), kFolioKeys.end(), key) == kFolioKeys.end()) {
            const auto alias = std::find_if(std::begin(kAliases), std::end(kAliases),
                                            [&](const Alias& a) { return a.key == key; });
            if (alias == std::end(kAliases)) {
                // A site's own keys, read for links between its posts, else ignored.
                if (key == "slug" && v->is_scalar()) f.slug = std::string(text::trim(v->text));
                // The picture shown above a post: "coverImage: x.jpg", "cover: {image: x.jpg, alt: …}".
                static constexpr std::string_view kCoverKeys[] = {"coverImage",    "cover_image",   "featured_image",
                                                                   "featuredImage", "feature_image", "image", "cover"};
                if (std::find(std::begin(kCoverKeys), std::end(kCoverKeys), key) != std::end(kCoverKeys) && !f.cover) {
                    Fields::Cover cover;
                    cover.where = v->where;
                    if (v->is_scalar()) {
                        cover.path = std::string(text::trim(v->text));
                    } else if (v->is_mapping()) {
                        for (const char* field : {"image", "src", "url"})
                            if (const config::Node* n = v->find(field); n && n->is_scalar() && cover.path.empty())
                                cover.path = std::string(text::trim(n->text)), cover.where = n->where;
                        if (const config::Node* n = v->find("alt"); n && n->is_scalar()) cover.alt = n->text;
                        if (const config::Node* n = v->find("caption"); n && n->is_scalar()) cover.caption = n->text;
                    }
                    if (!cover.path.empty()) f.cover = std::move(cover);
                    continue;
                }
                if (key == "aliases" && v->is_sequence())
                    for (const config::NodePtr& item : v->items)
                        if (item->is_scalar()) f.aliases.push_back(std::string(text::trim(item->text)));
                if (!is_site_key(key)) unknown.push_back({written, k->where});
                continue;
            }
            key = alias->means;
        }
        const config::Node& value = *v;
        if (value.is_null()) continue;
        if (key == "title") {
            f.title = config::scalar(value, written);
        } else if (key == "author") {
            if (f.author) continue;
            f.author = names(value, written);
            // Pelican's "Authors: A, B" is one line of names.
            if (syntax == config::Syntax::Lines && f.author->size() == 1 && written == "authors") {
                std::vector<std::string> split;
                std::string_view rest = f.author->front();
                while (!rest.empty()) {
                    const std::size_t comma = rest.find_first_of(",;");
                    if (auto name = text::trim(rest.substr(0, comma)); !name.empty()) split.emplace_back(name);
                    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
                }
                f.author = std::move(split);
            }
        } else if (key == "date") {
            if (!f.date) f.date = config::timestamp(map, written);
        } else if (key == "modified") {
            if (!f.modified) f.modified = config::timestamp(map, written);
        } else if (key == "published") {
            // Jekyll's `published: false`; some tools give the publication date here.
            const std::string s = text::to_lower_ascii(config::scalar(value, written));
            if (s == "false" || s == "no" || s == "off")
                f.draft = true;
            else if (s != "true" && s != "yes" && s != "on" && !f.date)
                f.date = config::timestamp(map, written);
        } else if (key == "draft") {
            f.draft = f.draft || config::boolean(map, written).value_or(false);
        } else if (key == "status") {
            // WordPress and Pelican: publish | draft | private | pending.
            const std::string s = text::to_lower_ascii(config::scalar(value, written));
            f.draft = f.draft || s == "draft" || s == "private" || s == "pending" || s == "hidden";
        } else if (key == "site") {
            f.site = config::scalar(value, written);
        } else if (key == "source") {
            // `source:` itself wins over the other tools' names for it.
            std::string s = config::scalar(value, written);
            if (written == "source") {
                f.source = std::move(s);
            } else if (!source_candidate && !s.empty() && !is_pattern(s)) {
                source_candidate = url::has_scheme(s) ? s : url::resolve(s, base_url);
                if (source_candidate->empty()) source_candidate.reset();  // relative, and no site address to go on
            }
        } else if (key == "license") {
            if (!f.license) f.license = config::scalar(value, written), f.license_at = value.where;
        } else if (key == "license_url") {
            if (!f.license_url) f.license_url = config::scalar(value, written);
        } else if (key == "credit") {
            f.credit = config::scalar(value, written);
            f.credit_at = value.where;
        } else if (key == "permission") {
            f.permission = config::scalar(value, written);
        } else if (key == "lang") {
            if (f.lang) continue;
            f.lang = config::scalar(value, written);
            if (!markdown::is_language_tag(*f.lang))
                config::fail(value, "'" + written + "' must be a BCP 47 language tag, got \"" + *f.lang + "\"",
                             "write e.g. en, sr-Latn, sr-Cyrl or sq");
        } else if (key == "summary") {
            if (!f.summary) f.summary = config::scalar(value, written);
        }
    }
    if (!f.source && source_candidate) f.source = std::move(source_candidate);
    return f;
}

Fields merged(Fields article, const Fields& defaults) {
    auto fill = [](auto& field, const auto& fallback) {
        if (!field) field = fallback;
    };
    fill(article.site, defaults.site);
    fill(article.source, defaults.source);
    if (!article.license) article.license_at = defaults.license_at;
    if (!article.credit) article.credit_at = defaults.credit_at;
    fill(article.license, defaults.license);
    fill(article.license_url, defaults.license_url);
    fill(article.credit, defaults.credit);
    fill(article.permission, defaults.permission);
    fill(article.lang, defaults.lang);
    fill(article.summary, defaults.summary);
    fill(article.author, defaults.author);
    fill(article.date, defaults.date);
    return article;
}

}  // namespace folio::book
