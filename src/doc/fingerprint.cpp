#include "doc/fingerprint.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
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
        body(a.body, a.notes);
    }
    void body(const Blocks& list, const std::vector<Footnote>& notes) {
        blocks(list);
        m_out.number(static_cast<std::uint64_t>(notes.size()));
        for (const Footnote& n : notes) blocks(n.content);
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

// Reads what Writer::body() wrote, each field as it wrote it. Every read is checked
// against the bytes left, and a count against the least its elements take, so that
// damaged bytes are refused before anything large is made of them.
class Reader {
public:
    explicit Reader(std::string_view in) : m_in{in} {}

    bool body(Blocks& list, std::vector<Footnote>& notes) {
        std::size_t n = 0;
        if (!blocks(list) || !count(n, sizeof(std::uint64_t))) return false;
        notes.resize(n);
        for (Footnote& note : notes)
            if (!blocks(note.content)) return false;
        return m_in.done() && notes_named(list, notes.size()) &&
               std::all_of(notes.begin(), notes.end(),
                           [&](const Footnote& note) { return notes_named(note.content, notes.size()); });
    }

private:
    // Deeper than the parser nests (32 levels of blocks and 32 of inlines: see
    // markdown/parse_markdown.cpp; a level here is each list of blocks or of inlines
    // entered): a record deeper is refused, and its article parsed again. The bound
    // keeps the reader's recursion well inside a thread's stack.
    static constexpr int kDeepest = 256;

    template <class T>
    bool number(T& v) {
        return m_in.number(v);
    }
    bool flag(bool& v) { return m_in.flag(v); }
    bool text(std::string& t) { return m_in.text(t); }
    bool count(std::size_t& n, std::size_t least) { return m_in.count(n, least); }
    // Counts a level of nesting for the scope of the guard.
    struct Deeper {
        int& depth;
        explicit Deeper(int& d) : depth(++d) {}
        ~Deeper() { --depth; }
        Deeper(const Deeper&) = delete;
        Deeper& operator=(const Deeper&) = delete;
    };

    bool blocks(Blocks& list) {
        const Deeper deeper(m_depth);
        std::size_t n = 0;
        if (m_depth > kDeepest || !count(n, 2 * sizeof(std::uint32_t))) return false;
        list.resize(n);
        for (Block& b : list)
            if (!block(b)) return false;
        return true;
    }
    bool block(Block& b) {
        std::uint32_t kind = 0;
        if (!number(kind) || !number(b.line)) return false;
        switch (kind) {
            case 0: {
                Paragraph p;
                if (!inlines(p.content)) return false;
                b.value = std::move(p);
                return true;
            }
            case 1: {
                Heading h{};
                if (!number(h.level) || h.level < 1 || h.level > 6 || !inlines(h.content) || !text(h.id)) return false;
                b.value = std::move(h);
                return true;
            }
            case 2: {
                CodeBlock c;
                if (!text(c.info) || !text(c.text)) return false;
                b.value = std::move(c);
                return true;
            }
            case 3: {
                BlockQuote q;
                if (!blocks(q.content)) return false;
                b.value = std::move(q);
                return true;
            }
            case 4: {
                List l;
                std::size_t n = 0;
                if (!flag(l.ordered) || !number(l.start) || !flag(l.tight) || !count(n, sizeof(std::uint64_t)))
                    return false;
                l.items.resize(n);
                for (Blocks& item : l.items)
                    if (!blocks(item)) return false;
                b.value = std::move(l);
                return true;
            }
            case 5:
                b.value = ThematicBreak{};
                return true;
            case 6: {
                Table t;
                std::size_t n = 0;
                if (!count(n, sizeof(int))) return false;
                t.aligns.resize(n);
                for (Align& a : t.aligns) {
                    int v = 0;
                    if (!number(v) || v < 0 || v > static_cast<int>(Align::Right)) return false;
                    a = static_cast<Align>(v);
                }
                if (!cells(t.header) || !count(n, sizeof(std::uint64_t))) return false;
                t.rows.resize(n);
                for (std::vector<Inlines>& row : t.rows)
                    if (!cells(row)) return false;
                b.value = std::move(t);
                return true;
            }
            case 7: {
                Div d;
                if (!text(d.lang) || !blocks(d.content) || !text(d.dir)) return false;
                b.value = std::move(d);
                return true;
            }
            case 8: {
                Figure f;
                if (!blocks(f.content) || !inlines(f.caption)) return false;
                b.value = std::move(f);
                return true;
            }
            default:
                return false;
        }
    }
    bool cells(std::vector<Inlines>& row) {
        std::size_t n = 0;
        if (!count(n, sizeof(std::uint64_t))) return false;
        row.resize(n);
        for (Inlines& cell : row)
            if (!inlines(cell)) return false;
        return true;
    }

    bool inlines(Inlines& list) {
        const Deeper deeper(m_depth);
        std::size_t n = 0;
        if (m_depth > kDeepest || !count(n, 1)) return false;
        list.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            std::uint8_t kind = 0;
            if (!number(kind)) return false;
            std::optional<InlineValue> v = inline_of(kind);
            if (!v) return false;
            list.push_back(Inline{std::move(*v)});
        }
        return true;
    }
    // An inline of the variant's kind `kind` (InlineValue::Variant's order), read.
    std::optional<InlineValue> inline_of(std::uint8_t kind) {
        const auto contained = [&]<class T>(T v) -> std::optional<InlineValue> {
            if (!inlines(v.content)) return std::nullopt;
            return InlineValue(std::move(v));
        };
        switch (kind) {
            case 0: {
                Text t;
                if (!text(t.text)) return std::nullopt;
                return InlineValue(std::move(t));
            }
            case 1:
                return contained(Emphasis{});
            case 2:
                return contained(Strong{});
            case 3:
                return contained(Strikeout{});
            case 4: {
                Code c;
                if (!text(c.text)) return std::nullopt;
                return InlineValue(std::move(c));
            }
            case 5:
                return InlineValue(LineBreak{});
            case 6: {
                Link l;
                bool internal = false;
                if (!text(l.url) || !text(l.title) || !inlines(l.content) || !flag(internal)) return std::nullopt;
                if (internal) {
                    InternalTarget t;
                    if (!text(t.article_id) || !text(t.anchor)) return std::nullopt;
                    l.internal = std::move(t);
                }
                if (!number(l.line) || !number(l.column)) return std::nullopt;
                return InlineValue(std::move(l));
            }
            case 7: {
                Image im;
                bool svg = false;
                if (!text(im.src) || !text(im.alt) || !text(im.title) || !number(im.line) || !number(im.column) ||
                    !flag(svg))
                    return std::nullopt;
                if (svg) {
                    std::string markup;
                    if (!text(markup)) return std::nullopt;
                    im.svg = std::move(markup);
                }
                return InlineValue(std::move(im));
            }
            case 8: {
                NoteRef r{};
                if (!number(r.number)) return std::nullopt;
                return InlineValue(r);
            }
            case 9: {
                Span sp;
                if (!text(sp.lang) || !inlines(sp.content) || !text(sp.dir)) return std::nullopt;
                return InlineValue(std::move(sp));
            }
            case 10:
                return contained(Superscript{});
            case 11:
                return contained(Subscript{});
            default:
                return std::nullopt;
        }
    }

    // Whether every note reference in `list` names one of `notes` notes.
    static bool notes_named(const Blocks& list, std::size_t notes) {
        bool named = true;
        const std::function<void(const Inlines&)> check = [&](const Inlines& in) {
            for (const Inline& i : in) {
                if (const auto* r = get_if<NoteRef>(&i.value)) {
                    if (r->number < 1 || static_cast<std::size_t>(r->number) > notes) named = false;
                    continue;
                }
                doc::visit(
                    [&](const auto& v) {
                        if constexpr (requires { v.content; }) {
                            if constexpr (std::is_same_v<std::decay_t<decltype(v.content)>, Inlines>) check(v.content);
                        }
                    },
                    i.value);
            }
        };
        for_each_inlines(list, check);
        return named;
    }

    KeyBytesReader m_in;
    int m_depth = 0;
};

// The reader numbers the kinds as the variants order them, which the writer
// writes: a kind added or moved is a static_assert above and a case here.
static_assert(std::variant_size_v<InlineValue::Variant> == 12 && std::variant_size_v<Block::Value> == 9);
}  // namespace

void article_material(KeyBytes& out, const Article& a, const std::function<void(const std::string&)>& at_text) {
    Writer(out, at_text).article(a);
}

void body_material(KeyBytes& out, const Blocks& body, const std::vector<Footnote>& notes) {
    Writer(out, {}).body(body, notes);
}

bool read_body_material(std::string_view bytes, Blocks& body, std::vector<Footnote>& notes) {
    Blocks read_body;
    std::vector<Footnote> read_notes;
    if (!Reader(bytes).body(read_body, read_notes)) return false;
    body = std::move(read_body);
    notes = std::move(read_notes);
    return true;
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
