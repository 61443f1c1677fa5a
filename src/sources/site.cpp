#include "sources/site.hpp"

#include "config/reader.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <optional>

namespace folio::sources {

namespace fs = std::filesystem;

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::MdBook: return "mdBook";
        case Kind::Hugo: return "Hugo";
        case Kind::Jekyll: return "Jekyll";
        case Kind::Zola: return "Zola";
        case Kind::Eleventy: return "Eleventy";
        case Kind::Pelican: return "Pelican";
        case Kind::Folder: break;
    }
    return "Markdown folder";
}

namespace {

bool has_file(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

std::string rel(const fs::path& p, const fs::path& base) { return p.lexically_relative(base).generic_string(); }

// Folders a site generator writes or keeps its tools in: never articles.
bool skipped_folder(const std::string& name) {
    static const char* kSkip[] = {".git", "node_modules", "public", "_site", "resources", ".jekyll-cache",
                                  ".sass-cache", "vendor", "_drafts", "_layouts", "_includes", "layouts",
                                  "themes", "archetypes", "output_html", ".github"};
    return !name.empty() && (name[0] == '.' || std::find(std::begin(kSkip), std::end(kSkip), name) != std::end(kSkip));
}

bool is_markdown(const fs::path& p) {
    const std::string ext = text::to_lower_ascii(p.extension().string());
    return ext == ".md" || ext == ".markdown" || ext == ".mdown";
}

// Every Markdown file under `dir`, sorted by path; `skip_index` leaves out the
// section pages (_index.md) of Hugo and Zola.
std::vector<std::string> markdown_under(const fs::path& source, const fs::path& dir, bool skip_index,
                                        bool skip_folders = true) {
    std::vector<std::string> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (it->is_directory(ec)) {
            if (skip_folders && skipped_folder(p.filename().string())) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || !is_markdown(p)) continue;
        if (skip_index && p.filename() == "_index.md") continue;
        out.push_back(rel(p, source));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// A settings file, read by the located reader whatever its syntax.
std::optional<config::NodePtr> read_settings(const fs::path& file, Site& site, const fs::path& source) {
    if (!has_file(file)) return std::nullopt;
    const std::string ext = file.extension().string();
    // JSON is YAML's subset: yaml-cpp reads Eleventy's data files too.
    const config::Syntax syntax = ext == ".toml" ? config::Syntax::Toml : config::Syntax::Yaml;
    const std::string shown = file.lexically_normal().generic_string();
    config::NodePtr tree = config::parse(syntax, shown, read_file(file), 1);
    site.settings_read.push_back(rel(file, source));
    return tree;
}

std::string scalar_at(const config::Node& map, std::initializer_list<std::string_view> path) {
    const config::Node* n = &map;
    for (std::string_view key : path) {
        if (!n->is_mapping()) return "";
        n = n->find(key);
        if (!n) return "";
    }
    return n->is_scalar() ? std::string(text::trim(n->text)) : "";
}

// An author as sites write one: a name, a mapping with a name, or a list of either.
std::vector<std::string> names_at(const config::Node& map, std::initializer_list<std::string_view> path) {
    const config::Node* n = &map;
    for (std::string_view key : path) {
        if (!n->is_mapping()) return {};
        n = n->find(key);
        if (!n) return {};
    }
    std::vector<std::string> out;
    auto one = [&](const config::Node& x) {
        if (x.is_scalar() && !text::trim(x.text).empty()) out.emplace_back(text::trim(x.text));
        if (x.is_mapping())
            if (const config::Node* name = x.find("name"); name && name->is_scalar()) out.emplace_back(text::trim(name->text));
    };
    if (n->is_sequence())
        for (const auto& item : n->items) one(*item);
    else
        one(*n);
    return out;
}

// "en-us" -> "en-US": BCP 47 writes regions in capitals.
std::string language_tag(std::string tag) {
    std::replace(tag.begin(), tag.end(), '_', '-');
    const std::size_t dash = tag.find('-');
    if (dash != std::string::npos && tag.size() - dash == 3)
        for (std::size_t i = dash + 1; i < tag.size(); ++i) tag[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(tag[i])));
    return tag;
}

std::string with_slash(std::string url) {
    if (!url.empty() && url.back() != '/') url += '/';
    return url;
}

// ---- mdBook ------------------------------------------------------------------------------

// SUMMARY.md: "# Part" titles, "[Title](file.md)" prefix and suffix chapters,
// "- [Title](file.md)" numbered chapters nested by indentation, "---" separators,
// "[Title]()" draft chapters. Parts become the book's chapters, each holding its
// chapters and their sections in order; without parts, each numbered chapter that
// has sections is a chapter of the book, with itself and its sections as articles.
void read_summary(Site& site, const fs::path& summary_file, const std::string& src) {
    struct Line {
        std::string title, target;
        int depth;  // -1: not numbered (prefix or suffix)
    };
    struct Group {
        std::string title;
        bool part = false;
        std::vector<Line> lines;
    };
    std::vector<Group> groups;
    const std::string text = read_file(summary_file);
    std::string_view all(text);
    bool seen_numbered = false, first_heading = true;
    while (!all.empty()) {
        const std::size_t nl = all.find('\n');
        std::string_view line = all.substr(0, nl);
        all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::string_view t = text::trim(line);
        if (t.empty() || t == "---" || t == "***") continue;
        if (t.front() == '#') {
            const std::string title(text::trim(t.substr(t.find_first_not_of('#'))));
            const bool summary_title = first_heading && groups.empty();
            first_heading = false;
            if (summary_title) continue;  // "# Summary", the table's own title
            groups.push_back({title, true, {}});
            continue;
        }
        first_heading = false;
        const std::size_t open = t.find('['), close = t.find("](");
        if (open == std::string_view::npos || close == std::string_view::npos) continue;
        const std::size_t end = t.find(')', close + 2);
        if (end == std::string_view::npos) continue;
        const bool numbered = t.front() == '-' || t.front() == '*' || std::isdigit(static_cast<unsigned char>(t.front()));
        const std::size_t indent = line.find_first_not_of(" \t");
        Line entry{std::string(t.substr(open + 1, close - open - 1)),
                   std::string(text::trim(t.substr(close + 2, end - close - 2))), numbered ? static_cast<int>(indent) : -1};
        // Prefix chapters come before the first numbered one, suffix chapters after.
        const bool new_group = groups.empty() || (numbered && !seen_numbered && !groups.back().part) ||
                               (!numbered && seen_numbered && (groups.back().part || groups.back().lines.empty() ||
                                                               groups.back().lines.back().depth >= 0));
        if (new_group) groups.push_back({"", false, {}});
        seen_numbered = seen_numbered || numbered;
        groups.back().lines.push_back(std::move(entry));
    }
    auto add = [&](Section& section, const Line& l) {
        if (l.target.empty()) {
            site.left_out.push_back("draft chapter '" + l.title + "' (no file in SUMMARY.md)");
            return;
        }
        std::string target = l.target;
        if (const std::size_t hash = target.find('#'); hash != std::string::npos) target.erase(hash);
        section.entries.push_back({(fs::path(src) / target).lexically_normal().generic_string(), l.title});
    };
    const bool parts = std::any_of(groups.begin(), groups.end(), [](const Group& g) { return g.part; });
    for (const Group& g : groups) {
        const bool numbered = std::any_of(g.lines.begin(), g.lines.end(), [](const Line& l) { return l.depth >= 0; });
        if (parts || !numbered) {
            site.sections.push_back({g.title, {}});
            for (const Line& l : g.lines) add(site.sections.back(), l);
            continue;
        }
        // No parts: a chapter with sections is a part of its own.
        int top = INT32_MAX;
        for (const Line& l : g.lines) top = std::min(top, l.depth);
        for (std::size_t i = 0; i < g.lines.size(); ++i) {
            const Line& l = g.lines[i];
            const bool has_sections = i + 1 < g.lines.size() && g.lines[i + 1].depth > l.depth && l.depth == top;
            if (l.depth == top && (has_sections || site.sections.empty() || !site.sections.back().title.empty()))
                site.sections.push_back({has_sections ? l.title : "", {}});
            add(site.sections.back(), l);
        }
    }
    std::erase_if(site.sections, [](const Section& s) { return s.entries.empty(); });
}

void read_mdbook(Site& site, const fs::path& source) {
    site.kind = Kind::MdBook;
    site.generator = "mdbook";
    std::string src = "src";
    if (auto t = read_settings(source / "book.toml", site, source)) {
        const config::Node& m = **t;
        site.title = scalar_at(m, {"book", "title"});
        site.description = scalar_at(m, {"book", "description"});
        site.authors = names_at(m, {"book", "authors"});
        site.language = language_tag(scalar_at(m, {"book", "language"}));
        if (auto s = scalar_at(m, {"book", "src"}); !s.empty()) src = s;
        site.base_url = with_slash(scalar_at(m, {"output", "html", "site-url"}));
        if (site.base_url.rfind("http", 0) != 0) site.base_url.clear();
    }
    const fs::path summary = source / src / "SUMMARY.md";
    if (!has_file(summary))
        throw Error("no SUMMARY.md in the mdBook's source folder", {(source / src).generic_string()},
                    "mdBook books list their chapters in src/SUMMARY.md");
    site.settings_read.push_back(rel(summary, source));
    read_summary(site, summary, src);
}

// ---- blogs -------------------------------------------------------------------------------

// The folder of posts: the first of the usual section names that exists, else the
// whole content folder.
fs::path posts_folder(const fs::path& content) {
    for (const char* name : {"posts", "post", "blog", "articles", "news"})
        if (is_dir(content / name)) return content / name;
    return content;
}

void read_hugo(Site& site, const fs::path& source, const fs::path& settings) {
    site.kind = Kind::Hugo;
    site.generator = "hugo";
    std::string content = "content";
    if (auto t = read_settings(settings, site, source)) {
        const config::Node& m = **t;
        site.title = scalar_at(m, {"title"});
        site.base_url = with_slash(scalar_at(m, {"baseURL"}).empty() ? scalar_at(m, {"baseurl"}) : scalar_at(m, {"baseURL"}));
        site.language = language_tag(scalar_at(m, {"languageCode"}).empty() ? scalar_at(m, {"defaultContentLanguage"})
                                                                             : scalar_at(m, {"languageCode"}));
        site.authors = names_at(m, {"params", "author"});
        if (site.authors.empty()) site.authors = names_at(m, {"author"});
        if (site.authors.empty()) site.authors = names_at(m, {"params", "authors"});
        site.description = scalar_at(m, {"params", "description"});
        site.license = scalar_at(m, {"params", "license"});
        if (site.license.empty()) site.license = scalar_at(m, {"params", "licence"});
        site.license_url = scalar_at(m, {"params", "license_url"});
        if (auto c = scalar_at(m, {"contentDir"}); !c.empty()) content = c;
    }
    if (is_dir(source / "static")) site.static_folders.push_back("static");
    site.posts = markdown_under(source, posts_folder(source / content), true);
}

void read_zola(Site& site, const fs::path& source, const fs::path& settings) {
    site.kind = Kind::Zola;
    site.generator = "zola";
    if (auto t = read_settings(settings, site, source)) {
        const config::Node& m = **t;
        site.title = scalar_at(m, {"title"});
        site.base_url = with_slash(scalar_at(m, {"base_url"}));
        site.language = language_tag(scalar_at(m, {"default_language"}));
        site.description = scalar_at(m, {"description"});
        site.authors = names_at(m, {"extra", "author"});
        site.license = scalar_at(m, {"extra", "license"});
    }
    if (is_dir(source / "static")) site.static_folders.push_back("static");
    site.posts = markdown_under(source, posts_folder(source / "content"), true);
}

void read_jekyll(Site& site, const fs::path& source) {
    site.kind = Kind::Jekyll;
    site.generator = "jekyll";
    for (const char* name : {"_config.yml", "_config.yaml", "_config.toml"}) {
        auto t = read_settings(source / name, site, source);
        if (!t) continue;
        const config::Node& m = **t;
        site.title = scalar_at(m, {"title"});
        site.description = scalar_at(m, {"description"});
        const std::string url = scalar_at(m, {"url"});
        const std::string baseurl = scalar_at(m, {"baseurl"});
        if (url.rfind("http", 0) == 0) site.base_url = with_slash(url + (baseurl == "/" ? "" : baseurl));
        site.authors = names_at(m, {"author"});
        site.language = language_tag(scalar_at(m, {"lang"}).empty() ? scalar_at(m, {"locale"}) : scalar_at(m, {"lang"}));
        site.license = scalar_at(m, {"license"});
        if (site.license.empty()) site.license = scalar_at(m, {"licence"});
        site.license_url = scalar_at(m, {"license_url"});
        break;
    }
    site.static_folders.push_back(".");  // Jekyll serves the site's own folders (assets/, images/)
    if (is_dir(source / "_posts")) site.posts = markdown_under(source, source / "_posts", false, false);
    if (is_dir(source / "_drafts"))
        for (const std::string& draft : markdown_under(source, source / "_drafts", false, false)) site.left_out.push_back(draft);
}

void read_eleventy(Site& site, const fs::path& source) {
    site.kind = Kind::Eleventy;
    site.generator = "eleventy";
    for (const char* data : {"_data/metadata.json", "src/_data/metadata.json", "_data/site.json", "src/_data/site.json",
                             "_data/metadata.yaml", "_data/site.yaml"}) {
        auto t = read_settings(source / data, site, source);
        if (!t) continue;
        const config::Node& m = **t;
        site.title = scalar_at(m, {"title"});
        site.description = scalar_at(m, {"description"});
        site.base_url = with_slash(scalar_at(m, {"url"}));
        if (site.base_url.rfind("http", 0) != 0) site.base_url.clear();
        site.language = language_tag(scalar_at(m, {"language"}));
        site.authors = names_at(m, {"author"});
        site.license = scalar_at(m, {"license"});
        break;
    }
    site.static_folders.push_back(".");
    fs::path posts;
    for (const char* dir : {"content/blog", "content/posts", "src/posts", "src/blog", "posts", "blog"})
        if (is_dir(source / dir)) {
            posts = source / dir;
            break;
        }
    site.posts = markdown_under(source, posts.empty() ? source : posts, false);
    std::erase_if(site.posts, [](const std::string& p) { return p == "README.md" || p == "CHANGELOG.md"; });
}

// pelicanconf.py is Python: its plain NAME = 'value' lines are all folio reads.
void read_pelican(Site& site, const fs::path& source) {
    site.kind = Kind::Pelican;
    site.generator = "pelican";
    std::string content = "content";
    const std::string py = read_file(source / "pelicanconf.py");
    site.settings_read.push_back("pelicanconf.py");
    std::string_view all(py);
    while (!all.empty()) {
        const std::size_t nl = all.find('\n');
        const std::string_view line = all.substr(0, nl);
        all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = text::trim(line.substr(0, eq));
        std::string_view value = text::trim(line.substr(eq + 1));
        if (value.size() < 2 || (value.front() != '\'' && value.front() != '"')) continue;
        const char q = value.front();
        const std::size_t end = value.find(q, 1);
        if (end == std::string_view::npos) continue;
        const std::string v(value.substr(1, end - 1));
        if (name == "SITENAME") site.title = v;
        else if (name == "AUTHOR") site.authors = {v};
        else if (name == "SITEURL" && v.rfind("http", 0) == 0) site.base_url = with_slash(v);
        else if (name == "DEFAULT_LANG") site.language = language_tag(v);
        else if (name == "PATH") content = v;
    }
    site.static_folders.push_back(content);
    site.posts = markdown_under(source, source / content, false);
}

void read_folder(Site& site, const fs::path& source) {
    site.kind = Kind::Folder;
    site.posts = markdown_under(source, source, false);
    // A folder's own README says what the folder is; it is no article.
    std::erase_if(site.posts, [](const std::string& p) {
        const std::string lower = text::to_lower_ascii(p);
        return lower == "readme.md" || lower == "license.md" || lower == "changelog.md";
    });
    site.static_folders.push_back(".");
}

}  // namespace

Site read_site(const fs::path& source) {
    if (!is_dir(source))
        throw Error("no such folder", {source.generic_string()}, "give the folder of the blog or book to bring in");
    Site site;
    if (has_file(source / "book.toml") && is_dir(source / "src")) {
        read_mdbook(site, source);
    } else if (has_file(source / "_config.yml") || has_file(source / "_config.yaml") || is_dir(source / "_posts")) {
        read_jekyll(site, source);
    } else if (has_file(source / "pelicanconf.py")) {
        read_pelican(site, source);
    } else {
        fs::path hugo_settings;
        for (const char* name : {"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.yaml", "config.yml",
                                 "config.json", "config/_default/hugo.toml", "config/_default/config.toml"})
            if (has_file(source / name) && hugo_settings.empty()) hugo_settings = source / name;
        const bool zola_config = has_file(source / "config.toml") &&
                                 read_file(source / "config.toml").find("base_url") != std::string::npos;
        if (zola_config) {
            read_zola(site, source, source / "config.toml");
        } else if (!hugo_settings.empty() || (has_file(source / "config.toml") && is_dir(source / "content"))) {
            read_hugo(site, source, hugo_settings.empty() ? source / "config.toml" : hugo_settings);
        } else if (has_file(source / ".eleventy.js") || has_file(source / "eleventy.config.js") ||
                   has_file(source / "eleventy.config.mjs") || has_file(source / "eleventy.config.cjs")) {
            read_eleventy(site, source);
        } else {
            read_folder(site, source);
        }
    }
    return site;
}

}  // namespace folio::sources
