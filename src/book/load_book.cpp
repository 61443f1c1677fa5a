#include "book/load_book.hpp"

#include "book/credit.hpp"
#include "book/front_matter.hpp"
#include "book/licences.hpp"
#include "book/links.hpp"
#include "book/manifest.hpp"
#include "book/paths.hpp"
#include "config/reader.hpp"
#include "core/files.hpp"
#include "core/key_bytes.hpp"
#include "core/parallel.hpp"
#include "core/url.hpp"
#include "doc/fingerprint.hpp"
#include "doc/typography.hpp"
#include "licence/recognise.hpp"
#include "markdown/parse_markdown.hpp"
#include "pictures/picture.hpp"

#include <algorithm>
#include <functional>
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

// A picture's name without its folder, its format or the size WordPress adds to the
// copies it makes ("harbour-view-1024x683.jpg" is "harbour-view").
std::string picture_stem(std::string_view path) {
    std::string stem = fs::path(path).stem().string();
    const std::size_t dash = stem.rfind('-');
    if (dash != std::string::npos) {
        const std::string_view size = std::string_view(stem).substr(dash + 1);
        const std::size_t x = size.find('x');
        const auto digits = [](std::string_view d) {
            return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
        };
        if (x != std::string_view::npos && digits(size.substr(0, x)) && digits(size.substr(x + 1))) stem.erase(dash);
    }
    return stem;
}

// Whether the body shows this picture already, in this or another format or size.
bool shows_picture(const doc::Blocks& body, std::string_view name) {
    bool found = false;
    const std::string wanted = picture_stem(name);
    std::function<void(const doc::Inlines&)> walk = [&](const doc::Inlines& list) {
        for (const doc::Inline& in : list) {
            if (const auto* image = doc::get_if<doc::Image>(&in.value))
                found = found || picture_stem(image->src) == wanted;
            doc::visit(
                [&](const auto& v) {
                    if constexpr (requires { v.content; }) walk(v.content);
                },
                in.value);
        }
    };
    doc::for_each_inlines(body, walk);
    return found;
}

// The picture a blog showed above the post (front matter's coverImage, cover.image…)
// opens the article, unless its body shows it already. A bare file name may be in
// the post's images/ folder, where WordPress exports put them.
void show_cover(doc::Article& a, const Fields::Cover& cover, const fs::path& root) {
    if (shows_picture(a.body, cover.path)) return;
    std::string src = cover.path;
    const fs::path dir = fs::path(a.path).parent_path();
    std::error_code ec;
    if (!url::has_scheme(src) && src.front() != '/' && src.find('/') == std::string::npos &&
        !fs::exists(root / dir / src, ec) && fs::exists(root / dir / "images" / src, ec))
        src = "images/" + src;
    doc::Image image{src, cover.alt.empty() ? a.title : cover.alt, cover.caption, cover.where.line, cover.where.column};
    doc::Blocks picture;
    picture.push_back(doc::Block{doc::Paragraph{{doc::Inline{std::move(image)}}}, cover.where.line});
    doc::Block block = cover.caption.empty()
                           ? std::move(picture.front())
                           : doc::Block{doc::Figure{std::move(picture), {doc::Inline{doc::Text{cover.caption}}}},
                                        cover.where.line};
    a.body.insert(a.body.begin(), std::move(block));
}

// The record of a parse (kept_parses' answer): the warnings the parse gave, then
// its blocks and notes (doc::body_material).
void diagnostic_record(KeyBytes& out, const Diagnostic& d) {
    out.number(static_cast<std::uint8_t>(d.severity));
    out.text(d.where.file);
    out.number(d.where.line);
    out.number(d.where.column);
    out.text(d.message);
    out.text(d.hint);
    out.text(d.kind);
    out.number(d.changes_work);
}

bool read_diagnostic(KeyBytesReader& in, Diagnostic& d) {
    std::uint8_t severity = 0;
    if (!in.number(severity) || severity > static_cast<std::uint8_t>(Severity::Error)) return false;
    d.severity = static_cast<Severity>(severity);
    return in.text(d.where.file) && in.number(d.where.line) && in.number(d.where.column) && in.text(d.message) &&
           in.text(d.hint) && in.text(d.kind) && in.flag(d.changes_work);
}

// What a kept parse says, if it is whole: its warnings, and its blocks and notes.
std::optional<std::pair<std::vector<Diagnostic>, markdown::Parsed>> read_parse_record(std::string_view record) {
    KeyBytesReader in{record};
    std::size_t n = 0;
    if (!in.count(n, 1 + 4 * 8 + 2 * 4 + 1)) return std::nullopt;  // the least a diagnostic takes
    std::vector<Diagnostic> given(n);
    for (Diagnostic& d : given)
        if (!read_diagnostic(in, d)) return std::nullopt;
    markdown::Parsed parsed;
    if (!doc::read_body_material(record.substr(in.at), parsed.body, parsed.notes)) return std::nullopt;
    return std::pair(std::move(given), std::move(parsed));
}

// The article's Markdown parsed; or, through `kept` (the incremental cache), read
// back as an earlier build parsed the same text under the same options, its
// warnings given again. A record that cannot be read is parsed again, and so is
// an article that may include other files (mdBook's {{#include}}), whose text is
// not all in the material.
markdown::Parsed parse_kept(std::string_view body, const std::string& file, int first_line, Diagnostics& diagnostics,
                            const markdown::Options& options, compress::DeflateMemo* kept) {
    if (!kept || (options.site_markup.read_include && body.find("{{#") != std::string_view::npos))
        return markdown::parse_markdown(body, file, first_line, diagnostics, options);
    // Every option parsing reads is written here: an option added to markdown::Options
    // must be too (and the size here updated), or two builds that parse otherwise
    // would share an answer.
    static_assert(sizeof(markdown::Options) == 48 && sizeof(markdown::SiteMarkupOptions) == 40,
                  "markdown::Options changed: write its fields into the material");
    std::string material;
    KeyBytes m{material};
    m.text("folio: an article's Markdown parsed");  // other answers of the memo have other material
    m.text(body);
    m.text(file);
    m.number(first_line);
    m.number(static_cast<std::uint8_t>(options.raw_html));
    m.number(options.site_markup.liquid);
    m.number(options.site_markup.pelican);
    m.number(static_cast<bool>(options.site_markup.read_include));
    std::optional<markdown::Parsed> fresh;
    const std::string record = kept->remembered(material, [&] {
        Diagnostics own;
        fresh = markdown::parse_markdown(body, file, first_line, own, options);
        std::vector<Diagnostic> given = own.warnings();
        for (Diagnostic& d : own.errors()) given.push_back(std::move(d));
        std::string out;
        KeyBytes r{out};
        r.number(static_cast<std::uint64_t>(given.size()));
        for (const Diagnostic& d : given) diagnostic_record(r, d);
        doc::body_material(r, fresh->body, fresh->notes);
        for (Diagnostic& d : given) diagnostics.add(std::move(d));
        return out;
    });
    if (fresh) return std::move(*fresh);
    auto read = read_parse_record(record);
    if (!read) return markdown::parse_markdown(body, file, first_line, diagnostics, options);
    for (Diagnostic& d : read->first) diagnostics.add(std::move(d));
    return std::move(read->second);
}

struct LoadedArticle {
    doc::Article article;
    std::string display;  // path shown in diagnostics
    bool draft = false;
    std::vector<UnknownKey> unknown;  // front-matter keys folio does not know
    ArticleAddress address;
    TermsWritten terms;  // where its licence and credit are written
};

LoadedArticle load_article(const fs::path& root, const ArticleSpec& spec, const Manifest& manifest,
                           Diagnostics& diagnostics, compress::DeflateMemo* kept_parses) {
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
    markdown::Parsed parsed = parse_kept(split.body, file, split.body_first_line, diagnostics, options, kept_parses);
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
    if (fields.cover) show_cover(a, *fields.cover, root);
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
    c.licence = licence::recognise(c.license, c.license_url);  // from the text as written
    c.permission = fields.permission.value_or("");
    if (fields.credit && !fields.credit->empty()) {
        c.text = *fields.credit;
        c.verbatim = true;
    }
    // A composed credit line is the book's words about the article (doc/labels.hpp):
    // in the book's language and quotation marks, also under an article in another
    // language. A verbatim `credit:` keeps the marks of the article's language, in
    // which its writer most likely wrote it.
    if (book.typography == doc::Typography::Smart)
        compose_typographic_credit(c, a.title, c.verbatim && !a.lang.empty() ? a.lang : book.language, book.labels);
    else
        compose_credit(c, a.title, book.labels);
    if (book.credits == doc::CreditPolicy::Required && !out.draft) {
        if (!has_credit(c))
            throw Error("article has no credit", {file, 1, 1},
                        "give it 'author:' and 'site:' (with 'source:' and 'license:'), or a verbatim 'credit:', in its "
                        "front matter or in the book's 'defaults:'; or set 'credits: optional' in book.yaml");
        if (!c.verbatim && c.license.empty() && c.license_url.empty())
            diagnostics.warn({file, 1, 1}, "article states no licence",
                             "add 'license:' with the terms it may be reused under", "article states no licence");
    }
    out.terms = {file, fields.license_at, fields.credit_at};
    return out;
}

// Loads every article, on every core: articles are independent until ordered.
// An article that cannot be loaded is reported, and the others are loaded still:
// one run names every broken article of a book.
std::vector<std::optional<LoadedArticle>> load_articles(const fs::path& root,
                                                        const std::vector<const ArticleSpec*>& specs,
                                                        const Manifest& manifest, Diagnostics& diagnostics,
                                                        compress::DeflateMemo* kept_parses) {
    std::vector<std::optional<LoadedArticle>> out(specs.size());
    parallel_for(specs.size(), [&](std::size_t i) {
        try {
            out[i] = load_article(root, *specs[i], manifest, diagnostics, kept_parses);
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

// A picture the book shows: where it is first named, and, for an <svg> written in an
// article, its markup (other pictures are files, read once all are known).
struct WantedPicture {
    SourceLocation where;
    std::optional<std::string> markup;
};

struct Resolver {
    const fs::path& root;
    Diagnostics& diagnostics;
    const Collection& collection;
    std::map<std::string, std::set<std::string>> anchors;          // article id -> heading ids
    std::map<std::string, WantedPicture> pictures;                 // by book-relative path
    std::map<std::string, int> inline_pictures;                    // article id -> inline/aNN-K so far (<svg>, data:)
    std::map<std::string, SourceLocation> remote;                  // address -> where first named
    const Manifest& manifest;                                      // static_folders, base_url
    long pictures_lost = 0, links_dropped = 0;                    // for --stats

    // A site-relative path ("/images/x.png", or the site's own address for one) as the
    // site served it: from one of the static folders, with the site's base path
    // ("/blog/") taken off when the path starts with it. "" when no folder has it.
    std::string from_static_folders(std::string_view site_path) const {
        std::string path(site_path.substr(0, site_path.find_first_of("?#")));
        std::vector<std::string> candidates{path};
        // "/images/my%20photo.png" is the file "my photo.png", as the site's server found it.
        if (std::string served = url::served_path(site_path); served != path) candidates.push_back(std::move(served));
        const std::string base_path = manifest.base_url.empty() ? "" : url::split(manifest.base_url).path;
        for (std::size_t i = 0, n = candidates.size(); i < n; ++i)
            if (base_path.size() > 1 && candidates[i].rfind(base_path, 0) == 0)
                candidates.push_back(candidates[i].substr(base_path.size() - 1));
        for (const std::string& folder : manifest.static_folders)
            for (const std::string& candidate : candidates) {
                const std::string rel =
                    (fs::path(folder) / fs::path(candidate).relative_path()).lexically_normal().generic_string();
                if (rel.empty() || rel.rfind("..", 0) == 0) continue;
                std::error_code ec;
                if (fs::is_regular_file(root / rel, ec)) {
                    try {
                        return book_relative(root, rel, "", {}, "image");  // and no symbolic link out of the book
                    } catch (const Error&) {
                        return "";
                    }
                }
            }
        return "";
    }

    // The path of an address on the book's own site ("https://site.example/images/x.png"), or "".
    std::string on_own_site(const std::string& address) const {
        if (manifest.base_url.empty()) return "";
        const url::Parts p = url::split(address), base = url::split(manifest.base_url);
        return p.authority == base.authority ? p.path : "";
    }

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
            diagnostics.warn_change(where, "link '" + url.substr(0, 60) + "' uses an unsafe scheme and is dropped",
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
                diagnostics.warn_change(where, "link '" + url + "' " + target.why + "; its text is kept", target.hint,
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

    void want(const std::string& rel, const SourceLocation& where, std::optional<std::string> markup = {}) {
        pictures.emplace(rel, WantedPicture{where, std::move(markup)});
    }

    void check_alt(const doc::Image& image, const SourceLocation& where) {
        if (text::trim(image.alt).empty())
            diagnostics.warn(where, "image '" + image.src + "' has no alt text",
                             "describe it between the brackets: ![a map of the Balkans](…)", "an image without alt text");
    }

    // What a reader is given instead of a picture the book cannot show: its alt text,
    // else its file name.
    static std::string stand_in(const doc::Image& image) {
        if (!text::trim(image.alt).empty()) return image.alt;
        std::string_view name = image.src;
        name = name.substr(0, name.find_first_of("?#"));
        if (const std::size_t slash = name.rfind('/'); slash != std::string_view::npos && slash + 1 < name.size())
            name.remove_prefix(slash + 1);
        return std::string(name.empty() ? std::string_view(image.src) : name);
    }

    // Resolves a picture to a file of the book (or a fetched copy, or an <svg> of the
    // article's own). One that cannot be shown is a warning, never an error, so that a
    // build stays offline: its stand-in is returned, a link when it is on the web.
    // Paths that leave the book folder stay an error (book_relative throws).
    std::optional<doc::Inline> resolve_image(doc::Image& image, const doc::Article& a, const std::string& file) {
        const SourceLocation where{file, image.line, image.column};
        if (image.svg) {
            image.src = "inline/" + a.id + "-" + std::to_string(++inline_pictures[a.id]) + ".svg";
            want(image.src, where, std::move(*image.svg));
            image.svg.reset();
            check_alt(image, where);
            return std::nullopt;
        }
        // A picture pasted into the post as a data: URL: a picture of the book, as an
        // <svg> written in the article is.
        if (text::starts_with_ci(image.src, "data:image/"))
            if (std::optional<url::DataUrl> data = url::data_url(image.src))
                if (const auto format = pictures::sniff(data->bytes)) {  // its bytes say what it is
                    image.src =
                        "inline/" + a.id + "-" + std::to_string(++inline_pictures[a.id]) + doc::file_extension(*format);
                    want(image.src, where, std::move(data->bytes));
                    check_alt(image, where);
                    return std::nullopt;
                }
        const std::string& src = image.src;
        // A protocol-relative address ("//host/x.png") is on the web as well, over https.
        const bool protocol_relative = src.rfind("//", 0) == 0;
        if (has_scheme(src) || protocol_relative) {
            if (protocol_relative || text::starts_with_ci(src, "http:") || text::starts_with_ci(src, "https:")) {
                const std::string address = protocol_relative ? "https:" + src : src;
                if (const std::string path = on_own_site(address); !path.empty())
                    if (std::string local = from_static_folders(path); !local.empty()) {
                        image.src = local;
                        want(image.src, where);
                        check_alt(image, where);
                        return std::nullopt;
                    }
                remote.emplace(address, where);  // the first place keeps it: articles are walked in order
                if (auto copy = pictures::fetched_copy(root, address)) {
                    image.src = *copy;
                    want(image.src, where);
                    check_alt(image, where);
                    return std::nullopt;
                }
                diagnostics.warn_change(where,
                                 "image '" + src + "' is on the web and was not fetched (run 'folio fetch " +
                                     book_folder() + "')",
                                 "until it is fetched, its alt text stands in its place, as a link to it",
                                 "a picture on the web, not fetched");
                doc::Link link{address, "", {doc::Inline{doc::Text{stand_in(image)}}}, std::nullopt, image.line,
                               image.column};
                return doc::Inline{std::move(link)};
            }
            if (text::starts_with_ci(src, "data:")) {
                diagnostics.warn_change(where,
                                        "image '" + src.substr(0, 60) +
                                            "' is a data: URL that is not a picture in base64, and is left out",
                                        "folio reads PNG, JPEG, GIF, WebP and SVG pasted as base64; save the picture in "
                                        "the book folder and give its path. Its alt text stands in its place",
                                        "a data: URL that is not a picture");
            } else {
                diagnostics.warn_change(where, "image '" + src.substr(0, 60) + "' is not a file of the book and is left out",
                                        "a picture is a file of the book, or an http or https address that 'folio "
                                        "fetch' downloads; its alt text stands in its place");
            }
            return doc::Inline{doc::Text{stand_in(image)}};
        }
        if (!src.empty() && src.front() == '/') {
            if (std::string local = from_static_folders(src); !local.empty()) {
                image.src = local;
                want(image.src, where);
                check_alt(image, where);
                return std::nullopt;
            }
            diagnostics.warn_change(where, "image '" + src + "' does not exist",
                             manifest.static_folders.empty()
                                 ? "a path that starts with '/' belongs to a web site: name the site's folders of files "
                                   "in book.yaml (static_folders: [static]), or write it relative to the article's "
                                   "file. Its alt text stands in its place"
                                 : "no folder of static_folders holds it. Its alt text stands in its place",
                             "a picture that does not exist");
            return doc::Inline{doc::Text{stand_in(image)}};
        }
        std::string rel = book_relative(root, src, dir_of(a.path), where, "image");
        std::error_code ec;
        if (!fs::is_regular_file(root / rel, ec)) {
            // Written as a web address ("my%20photo.png", "photo.png?w=600"): the file
            // its site's server gave for it.
            if (const std::string served = url::served_path(src); served != src && !served.empty()) {
                const std::string served_rel = book_relative(root, served, dir_of(a.path), where, "image");
                if (fs::is_regular_file(root / served_rel, ec)) rel = served_rel;
            }
        }
        if (!fs::is_regular_file(root / rel, ec)) {
            diagnostics.warn_change(where, "image '" + src + "' does not exist",
                             "image paths are relative to the article's file; its alt text stands in its place",
                             "a picture that does not exist");
            return doc::Inline{doc::Text{stand_in(image)}};
        }
        image.src = rel;
        want(rel, where);
        check_alt(image, where);
        return std::nullopt;
    }

    std::string book_folder() const {
        std::string s = root.lexically_normal().generic_string();
        while (s.size() > 1 && s.back() == '/') s.pop_back();
        return s.empty() ? "." : s;
    }

    void inlines(doc::Inlines& list, const doc::Article& a, const std::string& file) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            doc::Inline& in = list[i];
            if (auto* link = doc::get_if<doc::Link>(&in.value)) {
                inlines(link->content, a, file);
                if (!resolve_link(*link, a, file)) {
                    ++links_dropped;
                    doc::Inlines content = std::move(link->content);
                    list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
                    list.insert(list.begin() + static_cast<std::ptrdiff_t>(i), content.begin(), content.end());
                    i += content.size();
                    --i;
                }
            } else if (auto* image = doc::get_if<doc::Image>(&in.value)) {
                if (auto stand_in = resolve_image(*image, a, file)) {
                    list[i] = std::move(*stand_in);
                    ++pictures_lost;
                }
            } else {
                doc::visit(
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

std::string id_of(char kind, std::size_t index, std::size_t count) {
    const std::size_t width = std::max<std::size_t>(2, std::to_string(count).size());
    std::string n = std::to_string(index + 1);
    return std::string(1, kind) + std::string(width - std::min(width, n.size()), '0') + n;
}

}  // namespace

doc::Book load_book(const fs::path& book_dir, Diagnostics& diagnostics, const ManifestRead& manifest_read,
                    compress::DeflateMemo* kept_parses) {
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

    std::vector<std::optional<LoadedArticle>> loaded = load_articles(root, specs, manifest, diagnostics, kept_parses);
    diagnostics.stop_if_errors();
    report_unknown_keys(loaded, diagnostics);

    std::map<std::string, ArticleAddress> addresses;  // by path
    std::map<std::string, TermsWritten> terms_of;     // by path
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
            terms_of[la->article.path] = std::move(la->terms);
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
    Resolver resolver{root, diagnostics, collection, {}, {}, {}, {}, manifest};
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
            try {
                resolver.blocks(a.body, a, file);
                for (doc::Footnote& n : a.notes) resolver.blocks(n.content, a, file);
            } catch (const Error& e) {
                diagnostics.error(e);  // a path out of the book: the next articles are checked still
            }
        }
    }

    if (!book.cover.empty()) {
        std::error_code ec;
        if (!fs::is_regular_file(root / book.cover, ec))
            throw Error("cover '" + book.cover + "' does not exist", {display_path(root, "book.yaml"), 1, 1},
                        "the cover path is relative to book.yaml");
        resolver.want(book.cover, SourceLocation{display_path(root, "book.yaml"), 1, 1});
    }
    // Every picture read once, here, on every core: its kind, size and resolution,
    // its pixels decoded once to prove they can be, an SVG sanitised.
    std::vector<std::pair<const std::string*, WantedPicture*>> wanted;
    for (auto& [path, picture] : resolver.pictures) wanted.emplace_back(&path, &picture);
    book.resources.resize(wanted.size());
    parallel_for(wanted.size(), [&](std::size_t i) {
        const auto& [path, picture] = wanted[i];
        try {
            std::string bytes = picture->markup ? std::move(*picture->markup) : read_file(root / *path);
            book.resources[i] = pictures::read_picture(*path, std::move(bytes), picture->where, diagnostics);
        } catch (const Error& e) {
            diagnostics.error(e);  // every broken picture of the book is named in one run
        }
    });
    // The articles' licences, once every change the loader made is known.
    book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
        check_credit_against_licence(a.credit, terms_of[a.path], diagnostics);
    });
    hold_to_no_derivatives(book, display_of, diagnostics);
    check_rights_claim(book, manifest.rights_at, display_of, diagnostics);
    diagnostics.stop_if_errors();
    for (auto& [address, where] : resolver.remote) book.remote_pictures.push_back({address, std::move(where)});
    book.pictures_lost = resolver.pictures_lost;
    book.links_dropped = resolver.links_dropped;
    // Last, once links and titles have been matched as written: quotes, dashes and
    // ellipses as the book's languages print them, for every output at once.
    doc::apply_typography(book);
    return std::move(manifest.book);
}

}  // namespace folio::book
