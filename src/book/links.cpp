#include "book/links.hpp"

#include "book/paths.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

#include <algorithm>

namespace folio::book {

namespace fs = std::filesystem;

namespace {

bool is_web(const url::Parts& p) { return (p.scheme == "http" || p.scheme == "https") && !p.authority.empty(); }

bool is_index_name(std::string_view stem) {
    return stem == "index" || stem == "_index" || stem == "README" || stem == "readme";
}

std::string host_of(std::string_view absolute) {
    std::string host = url::split(absolute).authority;
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    return host;
}

// A path's segments, without empty ones, an index page or a page's extension:
// "/blog/2019/05/06/post.html" -> blog, 2019, 05, 06, post.
std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        std::string s(path.substr(start, end - start));
        start = end + 1;
        if (s.empty() || s == ".") continue;
        for (std::string_view ext : {".html", ".htm", ".php", ".md", ".markdown"})
            if (s.size() > ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0) {
                s.erase(s.size() - ext.size());
                break;
            }
        if (s == "index") continue;
        out.push_back(std::move(s));
    }
    return out;
}

// The segments of an article's file as a site serves it: "content/posts/x/index.md"
// -> content, posts, x.
std::vector<std::string> file_segments(const std::string& path) {
    std::vector<std::string> out = segments(path);
    if (!out.empty() && is_index_name(out.back())) out.pop_back();
    return out;
}

// Jekyll's posts are named YYYY-MM-DD-slug.
std::string without_date(std::string_view stem) {
    if (stem.size() > 11 && stem[4] == '-' && stem[7] == '-' && stem[10] == '-' &&
        std::all_of(stem.begin(), stem.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(stem.substr(11));
    return std::string(stem);
}

}  // namespace

Collection::Collection(fs::path root, std::string base_url) : m_root(std::move(root)), m_base_url(std::move(base_url)) {
    if (!m_base_url.empty()) {
        m_hosts.insert(host_of(m_base_url));
        m_base_path = url::split(m_base_url).path;
    }
}

void Collection::add(const doc::Article& a, const ArticleAddress& address) {
    m_by_file.emplace(a.path, &a);
    const fs::path file(a.path);
    const std::string stem = file.stem().string();
    std::vector<std::string> slugs{stem, without_date(stem)};
    if (is_index_name(stem)) {
        const std::string dir = file.parent_path().generic_string();
        m_by_file.emplace(dir, &a);  // a page bundle: its folder is its address
        slugs = {file.parent_path().filename().string()};
    }
    if (!address.slug.empty()) slugs.push_back(address.slug);
    auto add_address = [&](const std::string& absolute) {
        const url::Parts p = url::split(absolute);
        if (!is_web(p)) return;
        m_by_key.emplace(url::key(absolute), &a);
        m_hosts.insert(host_of(absolute));
        if (const auto s = segments(p.path); !s.empty()) slugs.push_back(s.back());
    };
    if (!a.credit.source.empty()) add_address(a.credit.source);
    const std::string base = !a.credit.source.empty() && url::has_scheme(a.credit.source) ? a.credit.source : m_base_url;
    for (const std::string& alias : address.aliases) add_address(url::has_scheme(alias) ? alias : url::resolve(alias, base));
    std::sort(slugs.begin(), slugs.end());
    slugs.erase(std::unique(slugs.begin(), slugs.end()), slugs.end());
    for (const std::string& s : slugs)
        if (!s.empty()) m_by_slug[s].push_back(&a);
}

const doc::Article* Collection::by_address(const std::string& absolute) const {
    if (auto it = m_by_key.find(url::key(absolute)); it != m_by_key.end()) return it->second;
    std::string path = url::split(absolute).path;
    // Inside the site's own folder ("/blog/…"), what follows it names the page.
    if (!m_base_path.empty() && m_base_path != "/" && path.rfind(m_base_path, 0) == 0) path.erase(0, m_base_path.size() - 1);
    return by_path_segments(path);
}

// The article whose slug is the path's last segment; among several, the one whose
// file path ends with most of the path's segments.
const doc::Article* Collection::by_path_segments(std::string_view path) const {
    const std::vector<std::string> want = segments(path);
    if (want.empty()) return nullptr;
    auto it = m_by_slug.find(want.back());
    if (it == m_by_slug.end()) it = m_by_slug.find(without_date(want.back()));
    if (it == m_by_slug.end()) return nullptr;
    if (it->second.size() == 1) return it->second.front();
    const doc::Article* best = nullptr;
    std::size_t best_score = 0;
    bool tie = false;
    for (const doc::Article* a : it->second) {
        const std::vector<std::string> have = file_segments(a->path);
        std::size_t score = 0;
        while (score < want.size() && score < have.size() &&
               want[want.size() - 1 - score] == have[have.size() - 1 - score])
            ++score;
        if (score > best_score) best = a, best_score = score, tie = false;
        else if (score == best_score) tie = true;
    }
    return tie ? nullptr : best;
}

// Where an article was served: its source, else a page of the site named after its
// file (the "pretty" addresses of Hugo, Jekyll and Eleventy), for resolving the
// relative links written in it.
std::string Collection::page_address(const doc::Article& a) const {
    if (is_web(url::split(a.credit.source))) return a.credit.source;
    return "";
}

LinkTarget Collection::resolve(std::string_view written, const doc::Article& from) const {
    LinkTarget out;
    const url::Parts parts = url::split(written);
    auto found = [&](const doc::Article* a) {
        out.kind = LinkTarget::Kind::Article;
        out.article = a;
        out.fragment = parts.fragment;
        return out;
    };
    auto web = [&](std::string address) {
        out.kind = LinkTarget::Kind::Web;
        out.url = std::move(address);
        return out;
    };
    if (!parts.scheme.empty() || parts.has_authority) {
        const std::string absolute = parts.scheme.empty() ? "https:" + std::string(written) : std::string(written);
        if (m_hosts.count(host_of(absolute)))
            if (const doc::Article* a = by_address(absolute)) return found(a);
        return web(absolute);
    }
    if (parts.path.empty()) return found(&from);  // "#section": this article
    const bool site_relative = parts.path.front() == '/';
    bool outside = false;
    if (!site_relative) {
        // A file of the book: "../other.md", "chapter_2.md", a bundle's folder.
        const std::string dir = fs::path(from.path).parent_path().generic_string();
        try {
            std::string rel = book_relative(m_root, parts.path, dir, {}, "link");
            while (!rel.empty() && rel.back() == '/') rel.pop_back();
            for (const std::string& candidate : {rel, rel + ".md"})
                if (auto it = m_by_file.find(candidate); it != m_by_file.end()) return found(it->second);
        } catch (const Error&) {
            outside = true;  // above the book folder: perhaps a page of the site
        }
    }
    // A page of the site, as the article's own page would have resolved it.
    const std::string page = page_address(from);
    const std::string base = site_relative && page.empty() ? m_base_url : page;
    const std::string absolute = base.empty() ? std::string() : url::resolve(written, base);
    if (!absolute.empty() && m_hosts.count(host_of(absolute)))
        if (const doc::Article* a = by_address(absolute)) return found(a);
    // Without an address to go on, the page's name may still be a slug of the book:
    // "../other-post/", "/posts/other-post/", a Hugo ref or a Jekyll post_url.
    if (const doc::Article* a = by_path_segments(parts.path)) return found(a);
    if (!absolute.empty()) return web(absolute);
    const bool names_a_file = parts.path.size() > 3 && (parts.path.ends_with(".md") || parts.path.ends_with(".markdown"));
    out.why = names_a_file ? (outside ? "points outside the book" : "points to no article of this book")
                           : std::string(site_relative ? "is site-relative" : "is relative") +
                                 ", names no article of this book, and the article has no web address to make it "
                                 "absolute";
    out.hint = names_a_file ? "link to an article's file as book.yaml lists it, or to the web with https://"
                            : "give the article 'source:' (or the book 'base_url:'), or link to the web with https://";
    return out;
}

}  // namespace folio::book
