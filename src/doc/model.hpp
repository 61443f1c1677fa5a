// The document model: a plain-data book that knows no output format (pandoc's AST,
// mdBook's Book). Loaders fill it; the EPUB writer and the typesetter only read it.
#pragma once

#include "core/error.hpp"
#include "core/text.hpp"
#include "doc/labels.hpp"
#include "doc/licence.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace folio::doc {

struct Inline;
struct Block;
using Inlines = std::vector<Inline>;
using Blocks = std::vector<Block>;

// ---- inlines -------------------------------------------------------------------------

// Running text. A '\n' in it is a soft line break from the source: white space
// like any other, kept so that writers may keep the author's lines.
struct Text { std::string text; };
struct Emphasis { Inlines content; };
struct Strong { Inlines content; };
struct Strikeout { Inlines content; };
struct Code { std::string text; };
struct LineBreak {};

// Where a link inside the book points: an article (by id) and an anchor in it
// (empty: the article's top). Set by the book loader; writers turn it into
// "a03.xhtml#a03-intro" or a PDF destination.
struct InternalTarget {
    std::string article_id;
    std::string anchor;
};

// A value held on the heap and copied with its holder, or none: for the seldom
// used, large parts of an inline (a link's place in the book, a picture's inline
// SVG). A std::variant is as large as its largest kind, and most inlines of a
// book are plain text: a long book's text was a third larger before.
template <class T>
class Boxed {
public:
    Boxed() = default;
    Boxed(std::nullopt_t) {}                                            // NOLINT: none, as std::optional says it
    Boxed(T value) : m_value(std::make_unique<T>(std::move(value))) {}  // NOLINT: as std::optional converts
    Boxed(const Boxed& o) : m_value(o.m_value ? std::make_unique<T>(*o.m_value) : nullptr) {}
    Boxed(Boxed&&) noexcept = default;
    Boxed& operator=(const Boxed& o) {
        if (this != &o) m_value = o.m_value ? std::make_unique<T>(*o.m_value) : nullptr;
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;
    explicit operator bool() const { return m_value != nullptr; }
    bool has_value() const { return m_value != nullptr; }
    const T& operator*() const { return *m_value; }
    T& operator*() { return *m_value; }
    const T* operator->() const { return m_value.get(); }
    T* operator->() { return m_value.get(); }
    void reset() { m_value.reset(); }

private:
    std::unique_ptr<T> m_value;
};

struct Link {
    std::string url;  // as written; for internal links, kept for diagnostics only
    std::string title;
    Inlines content;
    Boxed<InternalTarget> internal;
    int line = 0, column = 0;  // where it was written, for diagnostics (0: generated)
};

struct Image {
    std::string src;  // book-relative path of a doc::Resource (as written, until the loader resolves it)
    std::string alt;
    std::string title;
    int line = 0, column = 0;
    // An <svg> element written inline in raw HTML: its markup, until the loader
    // makes it a Resource of its own and points `src` at it.
    Boxed<std::string> svg = {};
};

struct NoteRef { int number; };  // 1-based index into Article::notes

// A passage in another language (`<span lang="sr-Cyrl">` in Markdown), or in a
// direction of its own (`<span dir="rtl">`).
struct Span {
    std::string lang;
    Inlines content;
    std::string dir = {};  // "rtl" or "ltr" as raw HTML gave it; empty: from the language and the text
};

// Raised and lowered text (raw HTML's <sup> and <sub>: ordinals, formulas).
struct Superscript { Inlines content; };
struct Subscript { Inlines content; };

namespace detail {
// How each kind of inline is held: the large, seldom used ones in a box.
template <class T>
struct Held {
    using type = T;
};
template <>
struct Held<Link> {
    using type = Boxed<Link>;
};
template <>
struct Held<Image> {
    using type = Boxed<Image>;
};
template <>
struct Held<Span> {
    using type = Boxed<Span>;
};
template <class T>
using held_t = typename Held<T>::type;

template <class T>
const T& unbox(const T& v) {
    return v;
}
template <class T>
T& unbox(T& v) {
    return v;
}
template <class T>
const T& unbox(const Boxed<T>& v) {
    return *v;
}
template <class T>
T& unbox(Boxed<T>& v) {
    return *v;
}
}  // namespace detail

// What an inline is: one of the kinds above. Most of a book's inlines are text
// runs (141,000 of the 191,000 of a generated 1,000-article book), and a variant is
// as large as its largest kind: a link, a picture and a span are held on the heap,
// and an inline takes 40 bytes instead of 120. Read it as a variant of the kinds
// themselves: doc::visit, doc::get_if, doc::get and doc::holds_alternative hand out
// a Link, never its box.
class InlineValue {
public:
    using Variant = std::variant<Text, Emphasis, Strong, Strikeout, Code, LineBreak, Boxed<Link>, Boxed<Image>, NoteRef,
                                 Boxed<Span>, Superscript, Subscript>;
    template <class T>
    static constexpr bool is_kind = std::is_constructible_v<Variant, std::in_place_type_t<detail::held_t<T>>, T>;

    InlineValue() = default;
    template <class T, class Kind = std::remove_cvref_t<T>>
    requires(!std::is_same_v<Kind, InlineValue> && is_kind<Kind>)
        InlineValue(T&& value)  // NOLINT: an inline converts from its kind, as a variant does
        : m_value(std::in_place_type<detail::held_t<Kind>>, std::forward<T>(value)) {}

    template <class F>
    decltype(auto) visit(F&& f) const {
        return std::visit([&](const auto& v) -> decltype(auto) { return f(detail::unbox(v)); }, m_value);
    }
    template <class F>
    decltype(auto) visit(F&& f) {
        return std::visit([&](auto& v) -> decltype(auto) { return f(detail::unbox(v)); }, m_value);
    }
    template <class T>
    const T* get_if() const noexcept {
        const auto* held = std::get_if<detail::held_t<T>>(&m_value);
        return held ? &detail::unbox(*held) : nullptr;
    }
    template <class T>
    T* get_if() noexcept {
        auto* held = std::get_if<detail::held_t<T>>(&m_value);
        return held ? &detail::unbox(*held) : nullptr;
    }

private:
    Variant m_value;
};

template <class F>
decltype(auto) visit(F&& f, const InlineValue& v) {
    return v.visit(std::forward<F>(f));
}
template <class F>
decltype(auto) visit(F&& f, InlineValue& v) {
    return v.visit(std::forward<F>(f));
}
template <class T>
const T* get_if(const InlineValue* v) noexcept {
    return v ? v->get_if<T>() : nullptr;
}
template <class T>
T* get_if(InlineValue* v) noexcept {
    return v ? v->get_if<T>() : nullptr;
}
template <class T>
const T& get(const InlineValue& v) {
    if (const T* p = v.get_if<T>()) return *p;
    throw std::bad_variant_access();
}
template <class T>
T& get(InlineValue& v) {
    if (T* p = v.get_if<T>()) return *p;
    throw std::bad_variant_access();
}
template <class T>
bool holds_alternative(const InlineValue& v) noexcept {
    return v.get_if<T>() != nullptr;
}

struct Inline {
    using Value = InlineValue;
    Value value;
};

// ---- blocks --------------------------------------------------------------------------

struct Paragraph { Inlines content; };

struct Heading {
    int level;       // 1..6 inside the article; the article title itself is not a Heading
    Inlines content;
    std::string id;  // unique across the book, e.g. "a03-introduction"
};

struct CodeBlock {
    std::string info;  // the fence's info string ("yaml"), may be empty
    std::string text;
};

struct BlockQuote { Blocks content; };

struct List {
    bool ordered = false;
    int start = 1;
    bool tight = true;
    std::vector<Blocks> items;
};

struct ThematicBreak {};

enum class Align { Default, Left, Center, Right };

struct Table {
    std::vector<Align> aligns;
    std::vector<Inlines> header;
    std::vector<std::vector<Inlines>> rows;
};

// A group of blocks: a passage in another language (`lang`). (The pages folio adds
// are typed parts of their own: doc/matter.hpp.)
struct Div {
    std::string lang;
    Blocks content;
    std::string dir = {};  // "rtl" or "ltr" as raw HTML gave it; empty: from the language and the text
};

// A figure: pictures (or any blocks) with a caption under them. From `<figure>` and
// `<figcaption>`, and from a picture alone in its paragraph with a title
// (`![alt](src "title")`), whose title is the caption.
struct Figure {
    Blocks content;
    Inlines caption;  // may be empty
};

struct Block {
    using Value = std::variant<Paragraph, Heading, CodeBlock, BlockQuote, List, ThematicBreak, Table, Div, Figure>;
    Value value;
    int line = 0;  // source line in the article, 0 for generated content
};

// ---- the book ------------------------------------------------------------------------

struct Footnote { Blocks content; };

// Who made an article and on what terms it may be reused. `text` is the credit
// line every output prints verbatim: the manifest's `credit:` or one composed from
// the fields (see book/credit.cpp).
struct Credit {
    std::vector<std::string> authors;
    std::string site;
    std::string source;
    std::string license;
    std::string license_url;
    std::string text;
    bool verbatim = false;  // `text` came from `credit:`
    // `permission:`, who granted the use of an article whose rights are reserved, and
    // when: printed in the credit (book/credit.hpp).
    std::string permission;
    // What `license` and `license_url` were recognised as (licence/recognise.hpp).
    Licence licence;
    // The licence line owed after a verbatim `text` that leaves the licence out
    // ("Licence: CC BY 4.0 (https://…)"); empty otherwise. Composed beside `text`
    // (book/credit.hpp), and printed and carried in metadata by every output.
    std::string licence_line;

    // The whole credit as one statement, for metadata: `text`, then `licence_line`.
    std::string statement() const { return licence_line.empty() ? text : text + " " + licence_line; }
};

struct Article {
    std::string id;         // "a03": unique, used for file names and id prefixes
    std::string path;       // book-relative path of the Markdown file
    std::string title;
    std::vector<std::string> authors;
    std::optional<text::Date> date;  // the calendar date in the zone it was written in
    std::int64_t instant = 0;        // the moment of `date`, seconds since the epoch: the order of a glob
    std::optional<text::Date> modified;  // lastmod, updated: kept in the metadata
    std::string lang;       // BCP 47; empty: the book's language
    std::string summary;
    Credit credit;          // credit.text empty only under `credits: optional`
    Blocks body;
    std::vector<Footnote> notes;

    // Frees the text (body and notes) once no output still to be written reads it:
    // a long book's largest part. Title, credit and the rest stay.
    void release_text() {
        Blocks().swap(body);
        std::vector<Footnote>().swap(notes);
    }
};

struct Chapter {
    std::string id;     // "c01"
    std::string title;  // may be empty: articles then stand without an opener
    std::vector<Article> articles;
};

// A file from the book folder that an output embeds (images, the cover).
// The largest picture folio decodes: 8.5 x 11 in at 1,000 ppi, more than any page
// needs. Larger ones are refused from their header, before a pixel is decoded.
constexpr long long kMaxImagePixels = 100'000'000;

// What the one picture reader (src/pictures) found in a picture's bytes, once, at
// load; every writer and the preflight read it from here.
enum class PictureFormat { Png, Jpeg, Gif, WebP, Svg };

// The file name's extension for a picture of this kind: ".png", ".jpg", …
const char* file_extension(PictureFormat format);

struct Resource {
    std::string path;        // book-relative, normalised, '/'-separated
    std::string media_type;  // from the file's content: image/png, image/jpeg, image/gif, image/webp, image/svg+xml
    std::string bytes;       // as the EPUB carries them (an SVG sanitised)
    PictureFormat format = PictureFormat::Png;
    int width = 0, height = 0;  // pixels; for an SVG, its size in CSS pixels (96 to the inch)
    double ppi = 0;             // the resolution the file states, 0 when it states none
    bool animated = false;      // a GIF or WebP of several frames: the EPUB moves, a PDF shows the first
    bool vector() const { return format == PictureFormat::Svg; }
};

enum class CreditPolicy { Required, Optional };

// book.yaml's `typography:`. Smart: straight quotes, -- and ... set as the language
// prints them (doc/typography.hpp); Plain: the text as written.
enum class Typography { Smart, Plain };

struct Book {
    std::string name;                 // the folder's name: output files are <name>.epub …
    std::filesystem::path root;       // the book folder
    std::string title;
    std::string subtitle;
    std::vector<std::string> authors;
    std::string publisher;
    std::string language;
    std::string identifier;           // given, or a name-based UUID URN
    std::string isbn;
    std::optional<text::Date> date;
    std::string rights;
    // book.yaml's `page_list:` (default true): the EPUB lists the print edition's
    // pages and marks where each begins (an EPUB-only build then sets the print
    // edition to find them).
    bool page_list = true;
    // book.yaml's `for_sale:` (default true): a book listed on a print-on-demand store
    // is sold, which a NonCommercial licence forbids; false says it is not, and the
    // copyright page says so.
    bool for_sale = true;
    std::string certified_by;         // who certified the EPUB's accessibility (a11y:certifiedBy), or empty
    std::string cover;                // book-relative path of a Resource, or empty
    std::string style = "default";
    // book.yaml's `print:` settings (trim, bleed, paper), over the style's, each
    // with where it was written, for errors.
    struct PrintSetting {
        std::string key, value;
        SourceLocation where;
    };
    std::vector<PrintSetting> print_settings;
    CreditPolicy credits = CreditPolicy::Required;
    Typography typography = Typography::Smart;
    // The words folio writes itself: the table's for `language`, then book.yaml's
    // `labels:` over them. Set by the manifest reader; English until then.
    Labels labels;
    std::vector<Chapter> chapters;
    std::vector<Resource> resources;  // sorted by path
    // Set by the loader: what the sources named that the book cannot show or follow
    // (a missing or remote picture, its alt text set instead; a link that names
    // nothing, its text kept), each also a warning. For `--stats`.
    long pictures_lost = 0;
    long links_dropped = 0;
    // Set by the loader: every picture the articles name by an http or https address
    // (a protocol-relative "//host/x" as "https://host/x"), fetched or not, each once,
    // sorted by address, with the first place in reading order that names it. The
    // loader is the one place that knows which names are addresses on the web (after
    // the site's own address has been mapped onto its static folders, and covers
    // from front matter added): `folio fetch` reads this list rather than repeating
    // that reasoning.
    struct RemotePicture {
        std::string address;  // as written: fetched copies are named by its hash
        SourceLocation where;
    };
    std::vector<RemotePicture> remote_pictures;

    const Resource* resource(std::string_view path) const;
    std::size_t article_count() const;
    template <class F> void for_each_article(F&& f) const {
        for (const Chapter& c : chapters)
            for (const Article& a : c.articles) f(c, a);
    }
    // Every article, in reading order, to change in place.
    std::vector<Article*> articles_in_order() {
        std::vector<Article*> out;
        for (Chapter& c : chapters)
            for (Article& a : c.articles) out.push_back(&a);
        return out;
    }
};

// The language an article is written in: its own `lang` or the book's.
inline const std::string& language_of(const Book& book, const Article& a) {
    return a.lang.empty() ? book.language : a.lang;
}

// Plain text of inlines (alt text, titles, slugs, search).
std::string plain_text(const Inlines& inlines);

// Gives back the room that building left spare in the blocks' text and arrays
// (strings and arrays grown by appending keep up to as much again): a loaded book
// is held whole while it is set, and this is most of a long book's memory.
void fit_to_size(Blocks& blocks);

// Calls f(Block&) for every block of `blocks`, containers before their content,
// in document order: quotes, lists, divs and figures are entered.
template <class B, class F> void for_each_block(B& blocks, F&& f);

// Calls f(Inlines&) for every list of inlines the blocks hold at their top level
// (paragraphs, headings, table cells, captions), in document order; nested
// inlines (emphasis, links) are the caller's to enter.
template <class B, class F> void for_each_inlines(B& blocks, F&& f);

// ---- walkers -------------------------------------------------------------------------

template <class B, class F> void for_each_block(B& blocks, F&& f) {
    for (auto& b : blocks) {
        f(b);
        std::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, BlockQuote> || std::is_same_v<T, Div> || std::is_same_v<T, Figure>) {
                    for_each_block(v.content, f);
                } else if constexpr (std::is_same_v<T, List>) {
                    for (auto& item : v.items) for_each_block(item, f);
                }
            },
            b.value);
    }
}

template <class B, class F> void for_each_inlines(B& blocks, F&& f) {
    for_each_block(blocks, [&](auto& b) {
        std::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Paragraph> || std::is_same_v<T, Heading>) {
                    f(v.content);
                } else if constexpr (std::is_same_v<T, Figure>) {
                    f(v.caption);
                } else if constexpr (std::is_same_v<T, Table>) {
                    for (auto& cell : v.header) f(cell);
                    for (auto& row : v.rows)
                        for (auto& cell : row) f(cell);
                }
            },
            b.value);
    });
}

}  // namespace folio::doc
