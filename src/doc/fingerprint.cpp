#include "doc/fingerprint.hpp"

#include <type_traits>

namespace folio::doc {

namespace {

// Every field of these is written below: a field added to one of them must be
// written too (and the size here updated), or two articles that differ only there
// would share a memo's answer.
static_assert(sizeof(Text) == 32 && sizeof(Code) == 32 && sizeof(Emphasis) == 24 && sizeof(Link) == 104 &&
                  sizeof(Image) == 112 && sizeof(InternalTarget) == 64 && sizeof(NoteRef) == 4 && sizeof(Span) == 88 &&
                  sizeof(Inline) == 40 && std::variant_size_v<InlineValue::Variant> == 12,
              "an inline's fields changed: write them in article_material");
static_assert(sizeof(Paragraph) == 24 && sizeof(Heading) == 64 && sizeof(CodeBlock) == 64 && sizeof(List) == 40 &&
                  sizeof(Table) == 72 && sizeof(Div) == 88 && sizeof(Figure) == 48 && sizeof(Block) == 104 &&
                  std::variant_size_v<Block::Value> == 9,
              "a block's fields changed: write them in article_material");
static_assert(sizeof(Footnote) == 24 && sizeof(Credit) == 520 && sizeof(Article) == 792 && sizeof(text::Date) == 12,
              "an article's fields changed: write them in article_material");

class Writer {
public:
    Writer(KeyBytes& out, const std::function<void(const std::string&)>& at_text) : m_out(out), m_at_text(at_text) {}

    void article(const Article& a) {
        m_out.text(a.id);
        m_out.text(a.path);
        m_out.text(a.title);
        strings(a.authors);
        date(a.date);
        m_out.number(a.instant);
        date(a.modified);
        m_out.text(a.lang);
        m_out.text(a.summary);
        credit(a.credit);
        blocks(a.body);
        m_out.number(static_cast<std::uint64_t>(a.notes.size()));
        for (const Footnote& n : a.notes) blocks(n.content);
    }

private:
    void strings(const std::vector<std::string>& list) {
        m_out.number(static_cast<std::uint64_t>(list.size()));
        for (const std::string& s : list) m_out.text(s);
    }
    void date(const std::optional<text::Date>& d) {
        m_out.number(d.has_value());
        if (d) {
            m_out.number(d->year);
            m_out.number(d->month);
            m_out.number(d->day);
        }
    }
    // `licence` is what the loader recognised in `license` and `license_url`
    // (licence::recognise): folio's reading of texts written here, which its
    // version, in every memo's key, stands for.
    void credit(const Credit& c) {
        strings(c.authors);
        m_out.text(c.site);
        m_out.text(c.source);
        m_out.text(c.license);
        m_out.text(c.license_url);
        m_out.text(c.text);
        m_out.number(c.verbatim);
        m_out.text(c.permission);
        m_out.text(c.licence_line);
    }
    void shown_text(const std::string& s) {
        m_out.text(s);
        if (m_at_text) m_at_text(s);
    }

    void blocks(const Blocks& list) {
        m_out.number(static_cast<std::uint64_t>(list.size()));
        for (const Block& b : list) block(b);
    }
    void block(const Block& b) {
        m_out.number(static_cast<std::uint32_t>(b.value.index()));
        m_out.number(b.line);
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Paragraph>) {
                    inlines(v.content);
                } else if constexpr (std::is_same_v<T, Heading>) {
                    m_out.number(v.level);
                    inlines(v.content);
                    m_out.text(v.id);
                } else if constexpr (std::is_same_v<T, CodeBlock>) {
                    m_out.text(v.info);
                    shown_text(v.text);
                } else if constexpr (std::is_same_v<T, BlockQuote>) {
                    blocks(v.content);
                } else if constexpr (std::is_same_v<T, List>) {
                    m_out.number(v.ordered);
                    m_out.number(v.start);
                    m_out.number(v.tight);
                    m_out.number(static_cast<std::uint64_t>(v.items.size()));
                    for (const Blocks& item : v.items) blocks(item);
                } else if constexpr (std::is_same_v<T, ThematicBreak>) {
                } else if constexpr (std::is_same_v<T, Table>) {
                    m_out.number(static_cast<std::uint64_t>(v.aligns.size()));
                    for (Align a : v.aligns) m_out.number(static_cast<int>(a));
                    cells(v.header);
                    m_out.number(static_cast<std::uint64_t>(v.rows.size()));
                    for (const auto& row : v.rows) cells(row);
                } else if constexpr (std::is_same_v<T, Div>) {
                    m_out.text(v.lang);
                    blocks(v.content);
                    m_out.text(v.dir);
                } else if constexpr (std::is_same_v<T, Figure>) {
                    blocks(v.content);
                    inlines(v.caption);
                } else {
                    static_assert(sizeof(T) == 0, "a kind of block article_material does not write");
                }
            },
            b.value);
    }
    void cells(const std::vector<Inlines>& row) {
        m_out.number(static_cast<std::uint64_t>(row.size()));
        for (const Inlines& cell : row) inlines(cell);
    }

    void inlines(const Inlines& list) {
        m_out.number(static_cast<std::uint64_t>(list.size()));
        for (const Inline& in : list) {
            doc::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    m_out.number(kind<T>());
                    if constexpr (std::is_same_v<T, Text> || std::is_same_v<T, Code>) {
                        shown_text(v.text);
                    } else if constexpr (std::is_same_v<T, Emphasis> || std::is_same_v<T, Strong> ||
                                         std::is_same_v<T, Strikeout> || std::is_same_v<T, Superscript> ||
                                         std::is_same_v<T, Subscript>) {
                        inlines(v.content);
                    } else if constexpr (std::is_same_v<T, LineBreak>) {
                    } else if constexpr (std::is_same_v<T, Link>) {
                        m_out.text(v.url);
                        m_out.text(v.title);
                        inlines(v.content);
                        m_out.number(v.internal.has_value());
                        if (v.internal) {
                            m_out.text(v.internal->article_id);
                            m_out.text(v.internal->anchor);
                        }
                        m_out.number(v.line);
                        m_out.number(v.column);
                    } else if constexpr (std::is_same_v<T, Image>) {
                        m_out.text(v.src);
                        m_out.text(v.alt);
                        m_out.text(v.title);
                        m_out.number(v.line);
                        m_out.number(v.column);
                        m_out.number(v.svg.has_value());
                        if (v.svg) m_out.text(*v.svg);
                    } else if constexpr (std::is_same_v<T, NoteRef>) {
                        m_out.number(v.number);
                    } else if constexpr (std::is_same_v<T, Span>) {
                        m_out.text(v.lang);
                        inlines(v.content);
                        m_out.text(v.dir);
                    } else {
                        static_assert(sizeof(T) == 0, "a kind of inline article_material does not write");
                    }
                },
                in.value);
        }
    }
    // An inline's kind, numbered as the variant orders them.
    template <class T>
    static std::uint8_t kind() {
        using V = InlineValue::Variant;
        std::uint8_t k = 0;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (void)((std::is_same_v<std::variant_alternative_t<I, V>, detail::held_t<T>> ? (k = I, true) : false) ||
                   ...);
        }
        (std::make_index_sequence<std::variant_size_v<V>>());
        return k;
    }

    KeyBytes& m_out;
    const std::function<void(const std::string&)>& m_at_text;
};

}  // namespace

void article_material(KeyBytes& out, const Article& a, const std::function<void(const std::string&)>& at_text) {
    Writer(out, at_text).article(a);
}

void resource_material(KeyBytes& out, const Resource& r) {
    out.text(r.path);
    out.text(r.media_type);
    out.number(static_cast<int>(r.format));
    out.number(r.width);
    out.number(r.height);
    out.number(r.ppi);
    out.number(r.animated);
}

void labels_material(KeyBytes& out, const Labels& labels) {
    Labels copy = labels;  // find_label hands out a place to write
    for (std::string_view key : label_keys()) out.text(*find_label(copy, key));
}

}  // namespace folio::doc
