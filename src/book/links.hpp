// Links inside a collection. Posts link to each other the way their site served
// them: by file (`../other.md`), relative to the page (`../other/`), site-relative
// (`/blog/other/`), or by their full address (`https://site.example/blog/other/`).
// A Collection knows every article of the book by its file, its slug and its web
// address, and tells what a link written in one of them points to: another
// article (an internal link), a page of the web (made absolute when it was
// written relative to the site), or nothing it can name, with the reason.
#pragma once

#include "doc/model.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace folio::book {

// What front matter says of an article's address besides `source`.
struct ArticleAddress {
    std::string slug;                  // Hugo's, Jekyll's, Zola's `slug:`
    std::vector<std::string> aliases;  // Hugo's `aliases:`: addresses it was served under before
};

struct LinkTarget {
    enum class Kind { Article, Web, Unresolved };
    Kind kind = Kind::Unresolved;
    const doc::Article* article = nullptr;  // Article
    std::string fragment;                   // Article: the part after '#', if any
    std::string url;                        // Web: the absolute address
    std::string why;                        // Unresolved: the reason, for the warning
    std::string hint;
};

class Collection {
public:
    // `base_url`: the address the book's articles were published under (book.yaml's
    // base_url), "" when not given.
    Collection(std::filesystem::path root, std::string base_url);

    // Articles are added in reading order; `a` must outlive the Collection.
    void add(const doc::Article& a, const ArticleAddress& address);

    // What `url`, written in article `from`, points to. Schemes other than http(s)
    // are the caller's to judge.
    LinkTarget resolve(std::string_view url, const doc::Article& from) const;

private:
    const doc::Article* by_address(const std::string& absolute) const;
    const doc::Article* by_path_segments(std::string_view path) const;
    std::string page_address(const doc::Article& a) const;

    std::filesystem::path m_root;
    std::string m_base_url;
    std::string m_base_path;                                   // base_url's path, e.g. "/blog/"
    std::set<std::string> m_hosts;                             // the site's hosts: links to them may be internal
    std::map<std::string, const doc::Article*> m_by_file;      // book-relative path
    std::map<std::string, const doc::Article*> m_by_key;       // url::key of its addresses
    std::map<std::string, std::vector<const doc::Article*>> m_by_slug;
};

}  // namespace folio::book
