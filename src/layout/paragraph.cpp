#include "layout/paragraph.hpp"

#include "core/key_bytes.hpp"
#include "core/text.hpp"
#include "doc/fingerprint.hpp"
#include "layout/break_lines.hpp"
#include "layout/scripts.hpp"
#include "layout/set_record.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <utility>

namespace folio::layout {

void FontContext::hold(const std::shared_ptr<const void>& lasting) {
    if (!lasting) return;
    // A thread remembers the last it held: most records in a row lie in the same
    // file. Remembered by this context's number, not its address: a context made
    // later at the same place, whose memo hands out new bytes at the address of
    // those the first held (and freed since), must hold them too.
    thread_local const void* last_held = nullptr;
    thread_local std::uint64_t last_context = 0;
    if (last_held == lasting.get() && last_context == m_number) return;
    std::lock_guard lock(m_held_mutex);
    m_held.insert(lasting);
    last_held = lasting.get();  // held, so no other bytes take its address while this context lives
    last_context = m_number;
}

std::vector<std::shared_ptr<const void>> FontContext::take_held() {
    std::lock_guard lock(m_held_mutex);
    std::vector<std::shared_ptr<const void>> held(m_held.begin(), m_held.end());
    m_held.clear();
    return held;
}

FontContext::FontContext(const PrintStyle& style) : fonts(std::make_shared<FontSet>()) {
    // A font that cannot be loaded is named where the print settings name it.
    auto add = [&](const std::string& path) {
        try {
            return fonts->add(path);
        } catch (const Error& e) {
            const auto it = style.font_where.find(path);
            if (it == style.font_where.end()) throw;
            throw Error("font '" + path + "': " + e.message(), it->second, e.hint());
        }
    };
    face[0] = add(style.regular);
    face[1] = add(style.italic);
    face[2] = add(style.bold);
    face[3] = add(style.bold_italic);
    face[4] = add(style.mono);
    for (const std::string& f : style.fallback) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(font_file_and_face(f).first, ec))
            fallback.push_back(
                fonts->add_lazy(f, style.font_where.count(f) ? std::optional(style.font_where.at(f)) : std::nullopt));
        else
            fallback_absent.push_back(f);
    }
}

namespace {

// The warnings the paragraph being set on this thread gives, kept with its lines
// when a memo keeps them (null: not kept).
thread_local std::vector<GivenWarning>* t_given = nullptr;
// The same for the article being set on this thread (WarningsGathered).
thread_local std::vector<GivenWarningAt>* t_gathered = nullptr;
// Whether the paragraphs set on this thread go through the memo (ParagraphsNotKept).
thread_local bool t_keep_paragraphs = true;

// A file as the memo's context names it: its path, size and modification time.
// (A changed file has a new size or time; reading every font to hash it would cost
// more than the paragraphs the memo saves in a short book.)
void describe_file(std::string& out, const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const auto time = std::filesystem::last_write_time(path, ec);
    out += path.string();
    out += '|' + std::to_string(ec ? 0 : size) + '|' + std::to_string(ec ? 0 : time.time_since_epoch().count()) + '\n';
}

}  // namespace

void FontContext::remember_with(ParagraphMemo* m, std::string scope) {
    memo = m;
    memo_scope = std::move(scope);
    if (!memo) return;
    std::string context = "fonts\n";
    for (std::size_t i = 0; i < fonts->size(); ++i)
        describe_file(context, font_file_and_face(fonts->path(static_cast<FontId>(i))).first);
    for (FontId f : face) context += std::to_string(f) + ' ';
    context += "\nfallback\n";
    for (FontId f : fallback) context += std::to_string(f) + ' ';
    for (const std::string& f : fallback_absent) context += f + '\n';
    context += "dictionaries\n";
    std::vector<std::filesystem::path> dictionaries;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(hyphenator.dictionary_dir(), ec))
        dictionaries.push_back(e.path());
    std::sort(dictionaries.begin(), dictionaries.end());
    for (const auto& d : dictionaries) describe_file(context, d);
    memo->set_context(context);
}

ParagraphsNotKept::ParagraphsNotKept() : m_outer(std::exchange(t_keep_paragraphs, false)) {}
ParagraphsNotKept::~ParagraphsNotKept() {
    t_keep_paragraphs = m_outer;
}

WarningsGathered::WarningsGathered(std::vector<GivenWarningAt>& into) : m_outer(std::exchange(t_gathered, &into)) {}
WarningsGathered::~WarningsGathered() {
    t_gathered = m_outer;
}

void FontContext::warn_once(const std::string& key, SourceLocation where, std::string message, std::string hint) {
    if (t_given) t_given->push_back({key, message, hint});
    if (t_gathered) t_gathered->push_back({key, where, message, hint});
    if (diagnostics) diagnostics->warn_once(key, std::move(where), std::move(message), std::move(hint));
}

namespace {

// The counts a packed word begins with; its arrays follow in this order. Every
// element is 4 bytes wide or a multiple of 4 (static_assert below), so that each
// array starts aligned where the one before ends.
struct PackedCounts {
    std::uint32_t runs, glyphs, breaks, missing;
};
static_assert(sizeof(PackedCounts) % alignof(MeasuredWord::Run) == 0 && sizeof(MeasuredWord::Run) % 4 == 0 &&
              sizeof(ShapedGlyph) % 4 == 0 && alignof(MeasuredWord::Run) <= 4 && alignof(ShapedGlyph) <= 4);

template <class T>
void append_array(std::string& out, const std::vector<T>& v) {
    out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

template <class T>
std::span<const T> read_array(const std::byte*& at, std::uint32_t n) {
    const std::span<const T> out(reinterpret_cast<const T*>(at), n);
    at += n * sizeof(T);
    return out;
}

}  // namespace

std::string pack(const MeasuredWord& w) {
    const PackedCounts counts{static_cast<std::uint32_t>(w.runs.size()), static_cast<std::uint32_t>(w.glyphs.size()),
                              static_cast<std::uint32_t>(w.breaks.size()),
                              static_cast<std::uint32_t>(w.missing.size())};
    std::string out(reinterpret_cast<const char*>(&counts), sizeof counts);
    append_array(out, w.runs);
    append_array(out, w.glyphs);
    append_array(out, w.breaks);
    append_array(out, w.missing);
    return out;
}

WordView unpack(std::span<const std::byte> bytes) {
    PackedCounts counts;
    std::memcpy(&counts, bytes.data(), sizeof counts);
    const std::byte* at = bytes.data() + sizeof counts;
    WordView w;
    w.runs = read_array<MeasuredWord::Run>(at, counts.runs);
    w.glyphs = read_array<ShapedGlyph>(at, counts.glyphs);
    w.breaks = read_array<std::uint32_t>(at, counts.breaks);
    w.missing = read_array<char32_t>(at, counts.missing);
    return w;
}

namespace {

// The address a web link shows on paper: its URL as written (an e-mail address
// without "mailto:"), which the typesetter breaks as it breaks any web address;
// empty when the link's words already say it (an autolink, "example.org") or the
// link has no address.
std::string address_shown(const doc::Link& link) {
    auto bare = [](std::string_view s) {
        s = text::trim(s);
        for (std::string_view scheme : {"https://", "http://", "mailto:"})
            if (text::starts_with_ci(s, scheme)) s.remove_prefix(scheme.size());
        if (text::starts_with_ci(s, "www.")) s.remove_prefix(4);
        if (s.ends_with('/') && s.find('/') == s.size() - 1) s.remove_suffix(1);
        return text::to_lower_ascii(s);
    };
    const std::string_view url = text::trim(link.url);
    if (bare(url).empty() || bare(doc::plain_text(link.content)) == bare(url)) return "";
    return std::string(text::starts_with_ci(url, "mailto:") ? url.substr(7) : url);
}

// ---- collect: doc inlines -> styled fragments ----------------------------------------

struct Fragment {
    std::string text;
    Face face = Face::Regular;
    bool superscript = false;
    bool subscript = false;
    bool hard_break = false;
    std::string lang;
    std::string uri, destination;  // a note call links to its note: that is how pages find notes
    const doc::Resource* picture = nullptr;  // a picture in the text (`text` is empty)
    int line = 0, column = 0;                // where the picture is named
    const std::string* alt = nullptr;        // the picture's alternative text
    bool counted = true;                     // words of the article's text (not a note's call, not a page reference)
    const std::string* source = nullptr;     // the doc text `text` is a copy of (for TextPosition)
};

Face with_italic(Face f) {
    switch (f) {
        case Face::Regular: return Face::Italic;
        case Face::Italic: return Face::Regular;  // emphasis inside emphasis is upright
        case Face::Bold: return Face::BoldItalic;
        case Face::BoldItalic: return Face::Bold;
        case Face::Mono: return Face::Mono;
    }
    return f;
}

Face with_bold(Face f) {
    switch (f) {
        case Face::Regular: return Face::Bold;
        case Face::Italic: return Face::BoldItalic;
        default: return f;
    }
}

struct Collector {
    const ParagraphOptions& options;
    std::vector<Fragment> out;

    void run(const doc::Inlines& inlines, Fragment style) {
        for (const doc::Inline& in : inlines) {
            doc::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    Fragment f = style;
                    if constexpr (std::is_same_v<T, doc::Text>) {
                        f.text = v.text;
                        f.source = &v.text;
                        out.push_back(std::move(f));
                    } else if constexpr (std::is_same_v<T, doc::Code>) {
                        f.text = v.text;
                        f.source = &v.text;
                        f.face = Face::Mono;
                        out.push_back(std::move(f));
                    } else if constexpr (std::is_same_v<T, doc::LineBreak>) {
                        f.hard_break = true;
                        out.push_back(std::move(f));
                    } else if constexpr (std::is_same_v<T, doc::Emphasis>) {
                        f.face = with_italic(style.face);
                        run(v.content, f);
                    } else if constexpr (std::is_same_v<T, doc::Strong>) {
                        f.face = with_bold(style.face);
                        run(v.content, f);
                    } else if constexpr (std::is_same_v<T, doc::Strikeout>) {
                        run(v.content, f);
                    } else if constexpr (std::is_same_v<T, doc::Span>) {
                        if (!v.lang.empty()) f.lang = v.lang;  // a span with only a `dir` keeps its language
                        run(v.content, f);
                    } else if constexpr (std::is_same_v<T, doc::Superscript>) {
                        f.superscript = true;
                        f.subscript = false;
                        run(v.content, f);
                    } else if constexpr (std::is_same_v<T, doc::Subscript>) {
                        f.subscript = true;
                        f.superscript = false;
                        run(v.content, f);
                    } else if constexpr (std::is_same_v<T, doc::Link>) {
                        if (v.internal && options.destination) {
                            f.destination = options.destination(*v.internal);
                        } else if (!v.internal) {
                            f.uri = v.url;
                        }
                        run(v.content, f);
                        if (options.census)
                            ++(v.internal ? options.census->links_internal : options.census->links_external);
                        if (v.internal && options.page_reference) {
                            Fragment reference = style;
                            reference.counted = false;
                            reference.text = options.page_reference(*v.internal);
                            out.push_back(std::move(reference));
                        } else if (!v.internal && options.web_addresses) {
                            if (std::string shown = address_shown(v); !shown.empty()) {
                                Fragment address = style;
                                address.counted = false;
                                address.text = " (" + shown + ")";
                                out.push_back(std::move(address));
                            }
                        }
                    } else if constexpr (std::is_same_v<T, doc::Image>) {
                        const doc::Resource* r = options.picture ? options.picture(v.src) : nullptr;
                        if (r && r->width > 0 && r->height > 0) {
                            f.picture = r;
                            f.line = v.line;
                            f.column = v.column;
                            f.alt = &v.alt;
                        } else {  // no picture to show: its description stands in
                            f.text = v.alt;
                            f.face = with_italic(style.face);
                        }
                        out.push_back(std::move(f));
                    } else if constexpr (std::is_same_v<T, doc::NoteRef>) {
                        f.text = std::to_string(v.number);
                        f.counted = false;
                        f.superscript = true;
                        f.uri.clear();
                        f.destination = options.note_prefix + "-fn" + std::to_string(v.number);
                        out.push_back(std::move(f));
                    }
                },
                in.value);
        }
    }
};

// ---- measure: fragments -> boxes, glue and penalties ---------------------------------

// A language whose lines break between characters and never take a hyphen.
bool breaks_without_hyphens(std::string_view lang) {
    const std::string primary = text::to_lower_ascii(lang.substr(0, lang.find('-')));
    return primary == "zh" || primary == "ja" || primary == "ko";
}

// Margin protrusion: how much of a character's advance may hang into the margin at
// the left and right end of a line, in thousandths. Our values, in the spirit of
// microtype's defaults for pdfTeX: stops and commas hang most, then colons and
// hyphens, quotation marks (either side: „…“ closes with what opens English
// quotations), dashes a little, and the letters with open sides a touch.
struct Protrusion {
    char32_t c;
    short left, right;
};
constexpr Protrusion kProtrusion[] = {
    {U'.', 0, 700},      {U',', 0, 700},      {U':', 0, 500},      {U';', 0, 500},      {U'!', 0, 200},
    {U'?', 0, 200},      {U'-', 0, 700},      {U'\u2010', 0, 700}, {U'\u2011', 0, 700}, {U'\u2026', 0, 300},
    {U'\u2013', 200, 200}, {U'\u2014', 150, 150}, {U'\u201C', 700, 700}, {U'\u201D', 700, 700},
    {U'\u2018', 700, 700}, {U'\u2019', 700, 700}, {U'\u201E', 400, 400}, {U'\u201A', 400, 400},
    {U'\u00AB', 400, 400}, {U'\u00BB', 400, 400}, {U'\u2039', 400, 400}, {U'\u203A', 400, 400},
    {U'"', 500, 500},    {U'\'', 500, 500},   {U'(', 50, 0},       {U')', 0, 50},       {U'A', 50, 50},
    {U'T', 50, 50},      {U'V', 50, 50},      {U'W', 50, 50},      {U'Y', 50, 50},      {U'v', 50, 50},
    {U'w', 50, 50},      {U'y', 50, 50},
};

// Asked for both ends of every box of every paragraph: an ASCII character is answered
// from a table by code, without searching.
const Protrusion* protrusion_of(char32_t c) {
    static const std::array<const Protrusion*, 128> ascii = [] {
        std::array<const Protrusion*, 128> t{};
        for (const Protrusion& p : kProtrusion)
            if (p.c < 128) t[p.c] = &p;
        return t;
    }();
    if (c < 128) return ascii[c];
    for (const Protrusion& p : kProtrusion)
        if (p.c == c) return &p;
    return nullptr;
}

// A box points into the shaping cache instead of copying its glyphs: a long book
// has millions of boxes, and only the lines copy glyphs, once, when finalized.
struct BoxData {
    FontId font;
    double size;
    double rise = 0;                                   // superscript shift, upward
    double scale = 0;                                  // font units -> points
    std::span<const ShapedGlyph> shaped = {};  // the cached shaping of the text (empty: a blank box)
    std::uint32_t first = 0, last = 0;    // the box's glyphs: [first, last) of shaped
    std::uint32_t text = 0, text_size = 0;             // the shaped text, in Builder::arena
    double width = 0;
    int link = -1;                                     // index into links
    int picture = -1;                                  // index into Builder::pictures: a picture, not text
    int lang = -1;                                     // index into Builder::langs: a span in another language
    bool expands = false;                              // font expansion may widen or narrow it

    bool empty() const { return shaped.empty() || first == last; }
};

struct HyphenData {
    FontId font;
    double size;
    std::uint32_t gid;
    double width;
};

struct LinkTarget {
    std::string uri, destination;
};

// A picture in the text: a box of the picture's width, as tall as `height` above the
// baseline (or above its raised baseline, in a superscript).
struct InlinePicture {
    const doc::Resource* resource;
    double height;
    int line, column;
    const std::string* alt;
};

struct Builder {
    const ParagraphOptions& options;
    FontContext& ctx;
    std::vector<Item> items;
    std::vector<int> box_of;          // item -> BoxData index (boxes), -1 otherwise
    std::vector<int> hyphen_of;       // item -> HyphenData index (flagged hyphen penalties), -1 otherwise
    std::vector<bool> hyphenation;    // item is a discretionary hyphen from the dictionary
    std::vector<BoxData> boxes;
    std::string arena;  // the texts the boxes' glyphs were shaped from
    std::vector<HyphenData> hyphens;
    std::vector<LinkTarget> links;
    std::vector<InlinePicture> pictures;
    std::vector<std::string> langs = {};  // the languages of spans other than the paragraph's
    std::string dictionary_checked;       // the language whose hyphenation dictionary was asked for last
    std::deque<MeasuredWord> uncached;  // code's words, which boxes point into
    // The words' items, [begin, end), and where each begins in the doc text: the
    // lines' first_word.
    struct WordSpan {
        std::size_t begin, end;
        doc::TextPosition at;
    };
    std::vector<WordSpan> word_spans;

    // The word a line starting at item `start` (a box) begins with: the one that
    // holds the item (a word hyphenated over from the line before: from its start),
    // else the first that begins before `end` (after an indent or a picture).
    doc::TextPosition word_at(std::size_t start, std::size_t end) const {
        auto it = std::upper_bound(word_spans.begin(), word_spans.end(), start,
                                   [](std::size_t i, const WordSpan& w) { return i < w.begin; });
        if (it != word_spans.begin() && start < std::prev(it)->end) return std::prev(it)->at;
        if (it != word_spans.end() && it->begin < end) return it->at;
        return {};
    }
    // Scripts (layout/scripts.hpp), looked at only in a paragraph with a character
    // from U+0580 up or in a right-to-left language.
    struct Scripts {
        bool active = false;                   // CJK break opportunities are looked for
        bool rtl = false;                      // the paragraph's base direction
        std::vector<std::uint8_t> levels;      // bidi level per byte of the paragraph's text; empty: all 0
        std::vector<std::uint8_t> item_level;  // item -> bidi level (when `levels` is not empty)
        std::uint8_t level = 0;                // the level of the items pushed now
        std::string_view word;                 // the word being added, and where it starts in the text
        std::size_t word_at = 0;
    } scripts;

    void push(Item it, int box = -1, int hyphen = -1, bool from_dictionary = false) {
        items.push_back(it);
        box_of.push_back(box);
        hyphen_of.push_back(hyphen);
        hyphenation.push_back(from_dictionary);
        if (!scripts.levels.empty()) scripts.item_level.push_back(scripts.level);
    }

    std::uint8_t level_at(std::size_t pos) const {
        if (scripts.levels.empty()) return 0;
        return scripts.levels[std::min(pos, scripts.levels.size() - 1)];
    }

    // Superscripts at 65 %; code at 88 %, as monospace faces run large beside a book face.
    double size_of(const Fragment& f) const {
        if (f.superscript || f.subscript) return std::max(options.size * 0.65, options.min_size);
        return f.face == Face::Mono && options.face != Face::Mono ? options.size * 0.88 : options.size;
    }

    // Fallback is per cluster, as a reader sees characters: a letter with the marks
    // on it (Devanagari's vowel signs and virama, combining accents), an emoji with
    // its modifiers and joined parts, stays in one font, so that HarfBuzz shapes them
    // together. A cluster goes to the face's font if it has every character, else to
    // the first fallback in the style's order that has them all, else to the first
    // that has its base character; a base character in no font is `missing`, and the
    // cluster shows the replacement mark (see replacement_font).
    static bool extends_cluster(char32_t c) {
        if (c < 0x300) return false;  // the fast path: Latin-1 starts its own
        if (c == 0x200C || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
            (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F))
            return true;
        switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), c)) {
            case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
            case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
            case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK: return true;
            default: return false;
        }
    }

    // Characters no font needs to have: HarfBuzz hides a default-ignorable character
    // the font lacks (Unicode's Default_Ignorable_Code_Point, the ranges text uses).
    static bool default_ignorable(char32_t c) {
        return c == 0xAD || c == 0x34F || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
               (c >= 0x2060 && c <= 0x206F) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
               (c >= 0x180B && c <= 0x180F) || (c >= 0xE0000 && c <= 0xE0FFF);
    }

    static bool covers(const Font& font, std::u32string_view cluster) {
        for (char32_t c : cluster)
            if (c >= 0x20 && !default_ignorable(c) && !font.has_glyph(c)) return false;
        return true;
    }

    // The font for `cluster`, or -1 when no font has its base character.
    FontId font_for(std::u32string_view cluster, FontId primary) const {
        const FontSet& fonts = *ctx.fonts;
        if (covers(fonts[primary], cluster)) return primary;
        for (FontId f : ctx.fallback)
            if (covers(fonts[f], cluster)) return f;
        if (cluster.size() > 1) {  // no font has it all: the base decides
            if (fonts[primary].has_glyph(cluster[0])) return primary;
            for (FontId f : ctx.fallback)
                if (fonts[f].has_glyph(cluster[0])) return f;
        }
        return -1;
    }

    // The font whose U+FFFD REPLACEMENT CHARACTER marks a character in no font: the
    // face's font if it has one, else the first fallback that does (else the face's
    // .notdef, which most fonts draw as a box).
    FontId replacement_font(FontId primary) const {
        if ((*ctx.fonts)[primary].has_glyph(U'\uFFFD')) return primary;
        for (FontId f : ctx.fallback)
            if ((*ctx.fonts)[f].has_glyph(U'\uFFFD')) return f;
        return primary;
    }

    // Measures `piece` from scratch: runs of one font each, shaped, and the
    // dictionary's break points when `hyphenate`.
    // `rtl`: a run at an odd bidi level, shaped right to left (its glyphs in visual order).
    MeasuredWord measure(std::string_view piece, FontId primary, const std::string& lang, bool hyphenate,
                         bool rtl = false) const {
        MeasuredWord w;
        // The text is valid UTF-8 (checked on load): decoded in place.
        auto decode = [&](std::size_t i, std::size_t& n) {
            const auto c0 = static_cast<unsigned char>(piece[i]);
            n = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
            char32_t cp = n == 1 ? c0 : n == 2 ? c0 & 0x1F : n == 3 ? c0 & 0x0F : c0 & 0x07;
            for (std::size_t k = 1; k < n && i + k < piece.size(); ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(piece[i + k]) & 0x3F);
            return cp;
        };
        // The common case first: the face's font has every character, and the piece is
        // one run of it, as the cluster by cluster choice below would make it.
        const Font& primary_font = (*ctx.fonts)[primary];
        bool all_primary = true;
        for (std::size_t i = 0, n = 0; i < piece.size() && all_primary; i += n) {
            const char32_t c = decode(i, n);
            all_primary = c < 0x20 || primary_font.has_glyph(c) || default_ignorable(c);
        }
        if (all_primary && !piece.empty()) {
            const std::vector<ShapedGlyph> g = shape(primary_font, piece, lang, rtl);
            w.runs.push_back({primary, 0, static_cast<std::uint32_t>(piece.size()), 0,
                              static_cast<std::uint32_t>(g.size())});
            w.glyphs.assign(g.begin(), g.end());
            if (hyphenate) add_hyphenation_points(w, piece, lang);
            return w;
        }
        std::vector<bool> replaced;  // by run: a cluster in no font, shown as the replacement mark
        std::u32string cluster;
        FontId sticky = -1;  // the fallback the last cluster came from, for its script
        hb_script_t sticky_script = HB_SCRIPT_INVALID;
        for (std::size_t i = 0; i < piece.size();) {
            std::size_t n = 0;
            cluster.assign(1, decode(i, n));
            std::size_t end = i + n;
            while (end < piece.size()) {
                std::size_t m = 0;
                const char32_t next = decode(end, m);
                if (!extends_cluster(next) && cluster.back() != 0x200D) break;
                cluster.push_back(next);
                end += m;
            }
            // A word in a fallback's script stays in that font while it has the
            // letters: Charis has a Greek λ, but "Ελληνικά" is set all in one face.
            // (The script is looked up only after a fallback: Latin text never asks.)
            hb_script_t script = HB_SCRIPT_INVALID;
            FontId font = -1;
            if (sticky >= 0) {
                script = hb_unicode_script(hb_unicode_funcs_get_default(), cluster[0]);
                if (script == sticky_script && covers((*ctx.fonts)[sticky], cluster)) font = sticky;
            }
            if (font < 0) font = font_for(cluster, primary);
            if (font >= 0 && font != primary) {
                if (script == HB_SCRIPT_INVALID) script = hb_unicode_script(hb_unicode_funcs_get_default(), cluster[0]);
                sticky = script != HB_SCRIPT_COMMON && script != HB_SCRIPT_INHERITED ? font : -1;
                sticky_script = script;
            } else {
                sticky = -1;
            }
            const bool missing = font < 0;
            if (missing) {
                font = replacement_font(primary);
                for (char32_t c : cluster)
                    if (!default_ignorable(c) && std::find(w.missing.begin(), w.missing.end(), c) == w.missing.end())
                        w.missing.push_back(c);
            }
            if (!missing && !w.runs.empty() && !replaced.back() && w.runs.back().font == font && w.runs.back().end == i) {
                w.runs.back().end = static_cast<std::uint32_t>(end);
            } else {
                w.runs.push_back({font, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end), 0, 0});
                replaced.push_back(missing);
            }
            i = end;
        }
        for (std::size_t k = 0; k < w.runs.size(); ++k) {
            MeasuredWord::Run& r = w.runs[k];
            const Font& font = (*ctx.fonts)[r.font];
            r.first = static_cast<std::uint32_t>(w.glyphs.size());
            if (replaced[k]) {  // one cluster: one mark, standing for all its characters
                const std::uint32_t mark = font.glyph(U'\uFFFD');
                w.glyphs.push_back({mark, 0, font.advance(mark), 0, 0});
            } else {
                const std::vector<ShapedGlyph> g = shape(font, piece.substr(r.begin, r.end - r.begin), lang, rtl);
                w.glyphs.insert(w.glyphs.end(), g.begin(), g.end());
            }
            r.last = static_cast<std::uint32_t>(w.glyphs.size());
        }
        if (hyphenate) add_hyphenation_points(w, piece, lang);
        return w;
    }

    // The dictionary's break points in the letters between any leading and trailing
    // punctuation of `piece`.
    void add_hyphenation_points(MeasuredWord& w, std::string_view piece, const std::string& lang) const {
        const std::u32string cps = text::to_u32(piece);
        std::size_t first = 0, last = cps.size();
        while (first < last && !text::is_letter(cps[first])) ++first;
        while (last > first && !text::is_letter(cps[last - 1])) --last;
        if (last - first < 5) return;
        const std::size_t prefix = text::to_utf8(cps.substr(0, first)).size();
        for (std::size_t p : ctx.hyphenator.points(text::to_utf8(cps.substr(first, last - first)), lang))
            w.breaks.push_back(static_cast<std::uint32_t>(prefix + p));
    }

    // One entry a span: the last box's when it is in the same language (the span
    // goes on), else a new one (two spans in one language are two elements, each
    // read where it stands).
    int lang_index(const Fragment& f) {
        if (f.lang.empty() || f.lang == options.lang) return -1;
        if (!boxes.empty() && boxes.back().lang >= 0 && langs[static_cast<std::size_t>(boxes.back().lang)] == f.lang)
            return boxes.back().lang;
        langs.push_back(f.lang);
        return static_cast<int>(langs.size() - 1);
    }

    int link_index(const Fragment& f) {
        if (f.uri.empty() && f.destination.empty()) return -1;
        for (std::size_t i = 0; i < links.size(); ++i)
            if (links[i].uri == f.uri && links[i].destination == f.destination) return static_cast<int>(i);
        links.push_back({f.uri, f.destination});
        return static_cast<int>(links.size() - 1);
    }

    // Appends the boxes of `piece`, cut at the dictionary's break points that fall on
    // cluster boundaries (a point inside a ligature is skipped), with a discretionary
    // hyphen at each cut.
    // `dictionary`: whether the hyphenation dictionary may break it (not a web address).
    // In a paragraph with bidi levels, `piece` is cut where its level changes, and a
    // piece at an odd level is shaped right to left, unhyphenated (no dictionary of
    // a right-to-left script is installed; its boxes are one per font run).
    void add_piece(std::string_view piece, const Fragment& f, bool dictionary = true) {
        if (scripts.levels.empty()) return add_run(piece, f, dictionary, false);
        const char* word = scripts.word.data();
        if (piece.data() < word || piece.data() + piece.size() > word + scripts.word.size()) {
            // A copy (a wide word cut between characters): the level of its word's start.
            scripts.level = level_at(scripts.word_at);
            return add_run(piece, f, dictionary && scripts.level % 2 == 0, scripts.level % 2 == 1);
        }
        const std::size_t at = scripts.word_at + static_cast<std::size_t>(piece.data() - word);
        std::size_t begin = 0;
        while (begin < piece.size()) {
            const std::uint8_t level = level_at(at + begin);
            std::size_t end = begin + 1;
            while (end < piece.size() && level_at(at + end) == level) ++end;
            scripts.level = level;
            add_run(piece.substr(begin, end - begin), f, dictionary && level % 2 == 0, level % 2 == 1);
            begin = end;
        }
    }

    void add_run(std::string_view piece, const Fragment& f, bool dictionary, bool rtl) {
        if (piece.empty()) return;
        const FontId primary = ctx.font_for(f.face);
        const double size = size_of(f);
        const std::string& lang = f.lang.empty() ? options.lang : f.lang;
        const bool hyphenate =
            !rtl && dictionary && options.hyphenate && f.face != Face::Mono && !f.superscript && !f.subscript;
        // Code keeps its letters as designed: its columns line up by their widths.
        const bool expands = options.align == Align::Justify && options.expansion > 0 && f.face != Face::Mono;
        WordView word;
        if (f.face == Face::Mono) {
            // Code is seldom repeated word for word: measured, not cached.
            word = WordView(uncached.emplace_back(measure(piece, primary, lang, false, rtl)));
        } else {
            thread_local std::string key;  // reused: one key per word, millions of words
            key.clear();
            key.push_back(static_cast<char>('0' + primary));
            key.push_back(rtl ? 'r' : hyphenate ? 'h' : '-');
            key.append(lang);
            key.push_back('\x1f');
            key.append(piece);
            // Asked of every paragraph, not only when a word is first measured (by
            // whichever thread comes first): the warning names the first place.
            // Chinese, Japanese and Korean break between characters, never with a hyphen.
            if (hyphenate && lang != dictionary_checked) {
                dictionary_checked = lang;
                if (!breaks_without_hyphens(lang) && !ctx.hyphenator.has_dictionary(lang))
                    ctx.warn_once("lang|" + lang, options.where,
                                  "no hyphenation dictionary for language '" + lang +
                                      "'; its text is set without hyphenation");
            }
            word = unpack(ctx.words.get(key, [&] { return pack(measure(piece, primary, lang, hyphenate, rtl)); }));
        }
        for (char32_t c : word.missing) warn_missing(c);
        const int link = link_index(f);
        const int span_lang = lang_index(f);
        std::size_t cut_index = 0;
        for (const MeasuredWord::Run& r : word.runs) {
            const Font& font = (*ctx.fonts)[r.font];
            const double scale = size / font.units_per_em();
            const std::span<const ShapedGlyph> glyphs = word.glyphs_of(r);
            const auto base = static_cast<std::uint32_t>(arena.size());
            arena.append(piece.substr(r.begin, r.end - r.begin));
            while (cut_index < word.breaks.size() && word.breaks[cut_index] <= r.begin) ++cut_index;
            std::optional<std::uint32_t> hyphen;
            std::size_t g = 0;
            while (g < glyphs.size()) {
                BoxData box{r.font, size};
                box.rise = f.superscript ? options.size * 0.33 : f.subscript ? -options.size * 0.15 : 0;
                box.scale = scale;
                box.shaped = glyphs;
                box.first = static_cast<std::uint32_t>(g);
                box.text = base;
                box.text_size = r.end - r.begin;
                box.link = link;
                box.lang = span_lang;
                // The next cut inside this run, as an offset in the run's text.
                const std::size_t limit = cut_index < word.breaks.size() && word.breaks[cut_index] < r.end
                                              ? word.breaks[cut_index] - r.begin
                                              : std::string_view::npos;
                double x = 0;
                for (; g < glyphs.size(); ++g) {
                    if (glyphs[g].cluster >= limit && g > box.first) break;
                    x += glyphs[g].x_advance * scale;
                }
                box.last = static_cast<std::uint32_t>(g);
                box.width = x;
                box.expands = expands && box.rise == 0;
                boxes.push_back(box);
                Item item = Item::box(x);
                if (box.expands) item.stretch = item.shrink = x * options.expansion;
                push(item, static_cast<int>(boxes.size() - 1));
                // Skip cuts this box passed; add a discretionary hyphen if it stopped at one.
                while (cut_index < word.breaks.size() && word.breaks[cut_index] < r.end && g < glyphs.size() &&
                       word.breaks[cut_index] - r.begin <= glyphs[g].cluster) {
                    const bool here = word.breaks[cut_index] - r.begin == glyphs[g].cluster;
                    ++cut_index;
                    if (here) {
                        if (!hyphen) hyphen = font.glyph(U'-');  // once a run, if it breaks at all
                        const double w = font.advance(*hyphen) * scale;
                        hyphens.push_back({r.font, size, *hyphen, w});
                        push(Item::penalty_item(w, 50, true), -1, static_cast<int>(hyphens.size() - 1), true);
                        break;
                    }
                }
            }
        }
    }

    void warn_missing(char32_t c) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
        std::string ch;
        text::append_utf8(ch, c);
        std::string hint = "add a font that has it to the style's fallback list";
        if (!ctx.fallback_absent.empty()) {
            hint += "; of those the style names, these are not installed:";
            for (const std::string& f : ctx.fallback_absent) hint += " " + f;
        }
        ctx.warn_once(options.where.file + "|" + hex, options.where,
                      std::string("character ") + hex + " '" + ch +
                          "' is in none of the style's fonts; a replacement mark (U+FFFD) is printed in its place",
                      std::move(hint));
    }

    // An em or an en dash (U+2014, U+2013: E2 80 94, E2 80 93) begins at word[i].
    // Byte by byte: asked at every byte of every word, a string compare per dash
    // was 1 % of a PDF build.
    static bool dash_at(std::string_view word, std::size_t i) {
        return i + 2 < word.size() && word[i] == '\xE2' && word[i + 1] == '\x80' &&
               (word[i + 2] == '\x94' || word[i + 2] == '\x93');
    }

    void add_word(std::string_view word, const Fragment& f) {
        // A spaced dash stays with the word before it: no line starts with "—".
        const bool dash_first = dash_at(word, 0);
        if (dash_first && items.size() >= 2 && items.back().type == Item::Type::Glue) {
            const Item glue = items.back();
            items.back() = Item::penalty_item(0, kInfinity, false);
            box_of.back() = hyphen_of.back() = -1;
            hyphenation.back() = false;
            push(glue);  // glue after a penalty is no breakpoint
        }
        // Break points: explicit hyphens and dashes (TeX's \exhyphenpenalty), the
        // dictionary's points in each letter run, and in code and web addresses,
        // which no dictionary breaks, after their separators.
        // A credit keeps its words whole, but not its addresses: a long one would stick
        // into the margin, and a break after a separator adds nothing to the text.
        const bool address = looks_like_address(word);
        const bool wide = options.break_wide_words && natural_width(word, f) > options.width;
        const bool code_like = f.face == Face::Mono || address || wide;
        // Unspaced CJK text may also break between characters, where UAX #14 allows.
        std::vector<std::uint32_t> cjk;
        if (scripts.active && f.face != Face::Mono && !address)
            cjk = cjk_break_opportunities(word, f.lang.empty() ? options.lang : f.lang);
        if (options.keep_words_whole && !address) return add_unspaced(word, f, false, false, cjk, word);
        std::size_t start = 0;
        for (std::size_t i = 0; i < word.size(); ++i) {
            const bool hyphen = !address && word[i] == '-' && i > 0 && i + 1 < word.size();
            const bool dash = !address && dash_at(word, i);
            const bool separator = code_like && !hyphen && breaks_after(word, i);
            if (!(hyphen || dash || separator)) continue;
            const std::size_t end = i + (dash ? 3 : 1);
            if (end >= word.size()) break;
            add_unspaced(word.substr(start, end - start), f, !code_like, wide, cjk, word);
            // A break inside an identifier or an address shows no hyphen, and costs
            // more than a hyphen: it is taken where the line would be very loose.
            push(separator ? Item::penalty_item(0, 100, false) : Item::penalty_item(0, 50, true));
            start = end;
            i = end - 1;
        }
        add_unspaced(word.substr(start), f, !code_like, wide, cjk, word);
    }

    // Adds `piece` of `word`, cut at the CJK break opportunities inside it (`cjk`:
    // offsets in `word`), with a glue between the parts, where a line may end with
    // no hyphen.
    void add_unspaced(std::string_view piece, const Fragment& f, bool dictionary, bool wide,
                      const std::vector<std::uint32_t>& cjk, std::string_view word) {
        const auto at = static_cast<std::size_t>(piece.data() - word.data());
        std::size_t begin = 0;
        for (const std::uint32_t b : cjk) {
            if (b <= at + begin || b >= at + piece.size()) continue;
            add_fitted_piece(piece.substr(begin, b - at - begin), f, dictionary, wide);
            scripts.level = level_at(scripts.word_at + b);
            add_cjk_glue();
            begin = b - at;
        }
        add_fitted_piece(piece.substr(begin), f, dictionary, wide);
    }

    // Between CJK characters: pTeX's \kanjiskip as the Japanese classes (jsclasses)
    // set it, 0 plus 0.1 zw minus 0.01 zw (zw: the full-width em). The characters
    // keep their square cells; a justified line's slack goes mostly to its spaces and
    // letters' expansion, and only a little between ideographs, where CJK
    // typesetting allows no more than that.
    void add_cjk_glue() {
        const double zw = options.size;
        push(options.align == Align::Justify ? Item::glue(0, 0.1 * zw, 0.01 * zw) : Item::glue(0, 0, 0));
    }

    // The width of `piece` set on its own, unbroken.
    double natural_width(std::string_view piece, const Fragment& f) const {
        const std::string& lang = f.lang.empty() ? options.lang : f.lang;
        const MeasuredWord w = measure(piece, ctx.font_for(f.face), lang, false);
        double width = 0;
        for (const MeasuredWord::Run& r : w.runs) {
            const double scale = size_of(f) / (*ctx.fonts)[r.font].units_per_em();
            for (const ShapedGlyph& g : WordView(w).glyphs_of(r)) width += g.x_advance * scale;
        }
        return width;
    }

    // A piece of a wide word (break_wide_words) still wider than the line is cut
    // between characters, each combining mark kept with its letter; no hyphen shows.
    void add_fitted_piece(std::string_view piece, const Fragment& f, bool dictionary, bool wide) {
        if (!wide || natural_width(piece, f) <= options.width) {
            add_piece(piece, f, dictionary);
            return;
        }
        const std::u32string cps = text::to_u32(piece);
        auto joins_previous = [](char32_t c) {
            return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
                   (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE2F) || c == 0x200D;
        };
        std::size_t begin = 0;
        for (std::size_t i = 1; i <= cps.size(); ++i) {
            if (i < cps.size() && joins_previous(cps[i])) continue;
            if (begin > 0) push(Item::penalty_item(0, 100, false));
            add_piece(text::to_utf8(std::u32string_view(cps).substr(begin, i - begin)), f, false);
            begin = i;
        }
    }

    // "https://…", "www.…", "name@host.org": a web or e-mail address written out in
    // the text (perhaps in brackets or before a full stop).
    static bool looks_like_address(std::string_view word) {
        if (word.find("://") != std::string_view::npos) return true;
        const std::size_t letters = word.find_first_not_of("([<\"'\u201C\u2018");
        if (letters != std::string_view::npos && word.compare(letters, 4, "www.") == 0) return true;
        const std::size_t at = word.find('@');
        return at != std::string_view::npos && at > letters && word.find('.', at + 2) != std::string_view::npos &&
               word.find('.', at + 2) + 2 < word.size();
    }

    // Whether code or an address may break after word[i]: after / . - _ ? # & = : and
    // , ; when more of the word follows (an address never gains a hyphen: its own
    // hyphens are separators), keeping "//", "::" and "..." whole, and never in the
    // first two or last two characters.
    static bool breaks_after(std::string_view word, std::size_t i) {
        static constexpr std::string_view kSeparators = "/_.=&?#:,;-";
        if (i < 2 || i + 3 > word.size() || kSeparators.find(word[i]) == std::string_view::npos) return false;
        return word[i + 1] != word[i] && kSeparators.find(word[i + 1]) == std::string_view::npos;
    }

    void add_space(const Fragment& f) {
        if (items.empty() || items.back().type != Item::Type::Box) return;  // no glue at the start, none twice
        const Font& font = (*ctx.fonts)[ctx.font_for(f.face == Face::Mono ? Face::Regular : f.face)];
        const double w = font.advance(font.glyph(U' ')) * options.size / font.units_per_em();
        // TeX's interword glue for Computer Modern: stretch 1/2, shrink 1/3 of the space.
        if (options.align == Align::Justify)
            push(Item::glue(w, w / 2, w / 3));
        else
            push(Item::glue(w, 0, 0));
    }

    // A picture in the text: one box, which moves with the words around it and
    // breaks lines as a word does (no break between it and a word it touches).
    void add_picture(const Fragment& f) {
        const doc::Resource& r = *f.picture;
        double height = size_of(f) * kInlinePictureHeight;
        double width = height * r.width / r.height;
        if (width > options.width) width = options.width, height = width * r.height / r.width;  // never wider than a line
        BoxData box{ctx.font_for(Face::Regular), size_of(f)};
        box.rise = f.superscript ? options.size * 0.33 : f.subscript ? -options.size * 0.15 : 0;
        box.width = width;
        box.link = link_index(f);
        box.picture = static_cast<int>(pictures.size());
        pictures.push_back({&r, height, f.line, f.column, f.alt});
        boxes.push_back(box);
        push(Item::box(width), static_cast<int>(boxes.size() - 1));
    }

    // The items of a paragraph's inlines: collected into styled fragments, then built.
    void build(const doc::Inlines& inlines) {
        Collector collector{options, {}};
        Fragment base;
        base.face = options.face;
        collector.run(inlines, base);
        build(collector.out);
    }

    // The paragraph's bidi levels and base direction, when it has a character from
    // U+0580 up or is in a right-to-left language; its text is the fragments' text,
    // a hard line break standing as U+2028 and a picture as U+FFFC (as build() counts).
    // A passage's `dir` decides the base direction, else its language when that is
    // written right to left, else the text.
    void find_scripts(const std::vector<Fragment>& fragments) {
        const bool rtl_base = options.dir == "rtl" || (options.dir.empty() && is_rtl_language(options.lang));
        scripts.active = rtl_base || std::any_of(fragments.begin(), fragments.end(), [](const Fragment& f) {
                             return needs_script_analysis(f.text);
                         });
        if (!scripts.active) return;
        std::string text;
        for (const Fragment& f : fragments) text += f.hard_break ? "\u2028" : f.picture ? "\uFFFC" : f.text;
        const BaseDirection base = rtl_base                ? BaseDirection::RightToLeft
                                   : options.dir == "ltr" ? BaseDirection::LeftToRight
                                                          : BaseDirection::Auto;
        scripts.levels = bidi_levels(text, base, scripts.rtl);
        if (!scripts.rtl && std::all_of(scripts.levels.begin(), scripts.levels.end(), [](std::uint8_t l) { return l == 0; }))
            scripts.levels.clear();  // all left to right: nothing to reorder
        if (scripts.levels.empty()) scripts.levels.shrink_to_fit();
        scripts.level = scripts.rtl ? 1 : 0;
    }

    void build(const std::vector<Fragment>& fragments) {
        find_scripts(fragments);
        const std::uint8_t base_level = scripts.level;
        // Room for about as many items as the text has letters over two (a word, its
        // space and a hyphen's place or two, for every six letters or so), not grown
        // item by item: a paragraph's lists were a tenth of the allocations of a build.
        std::size_t letters = 0;
        for (const Fragment& f : fragments) letters += f.text.size();
        items.reserve(letters / 2 + 8);
        box_of.reserve(letters / 2 + 8);
        hyphen_of.reserve(letters / 2 + 8);
        boxes.reserve(letters / 4 + 4);
        arena.reserve(letters + 16);
        if (options.indent > 0) {
            BoxData indent{ctx.font_for(Face::Regular), options.size};
            indent.width = options.indent;
            boxes.push_back(indent);
            push(Item::box(options.indent), static_cast<int>(boxes.size() - 1));
        }
        std::string word;
        const Fragment* word_style = nullptr;
        doc::TextPosition word_source;
        std::size_t pos = 0;  // in the paragraph's text (find_scripts)
        auto flush = [&] {
            if (!word.empty() && word_style) {
                scripts.word = word;
                const std::size_t begin = items.size();
                add_word(word, *word_style);
                if (word_source.text) word_spans.push_back({begin, items.size(), word_source});
            }
            word.clear();
        };
        doc::WordCounter words;
        for (const Fragment& f : fragments) {
            if (options.census) {
                if (f.hard_break) words.space();
                else if (f.counted) words.text(f.text);
            }
            if (f.hard_break) {
                flush();
                scripts.level = base_level;
                push(Item::glue(0, options.align == Align::Justify ? kFil : 0, 0));
                push(Item::penalty_item(0, -kInfinity, false));
                pos += 3;
                continue;
            }
            if (f.picture) {
                flush();
                scripts.level = level_at(pos);
                add_picture(f);
                pos += 3;
                continue;
            }
            // A style change inside a word makes a new piece without a break between.
            if (!word.empty() && word_style &&
                (word_style->face != f.face || word_style->superscript != f.superscript ||
                 word_style->subscript != f.subscript || word_style->lang != f.lang ||
                 word_style->uri != f.uri || word_style->destination != f.destination))
                flush();
            word_style = &f;
            for (std::size_t i = 0; i < f.text.size(); ++i, ++pos) {
                const char c = f.text[i];
                if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                    flush();
                    scripts.level = level_at(pos);
                    add_space(f);
                } else {
                    if (word.empty()) {
                        scripts.word_at = pos;
                        word_source = {f.source, static_cast<std::uint32_t>(i)};
                    }
                    word += c;
                }
            }
        }
        flush();
        scripts.level = base_level;
        if (options.census) options.census->words += words.words();
        // Drop a trailing space, then \parfillskip and the final forced break.
        while (!items.empty() && items.back().type == Item::Type::Glue) {
            items.pop_back();
            box_of.pop_back();
            hyphen_of.pop_back();
            hyphenation.pop_back();
            if (!scripts.item_level.empty()) scripts.item_level.pop_back();
        }
        push(Item::penalty_item(0, kInfinity, false));
        push(Item::glue(0, options.align == Align::Justify ? kFil : 0, 0));
        push(Item::penalty_item(0, -kInfinity, false));
        close_up_code();
        // Protrusion hangs a line's logical ends into the margin: not where bidi
        // reordering may put them elsewhere.
        if (options.align == Align::Justify && options.protrusion && scripts.levels.empty()) mark_protrusion();
    }

    // A monospace glyph sits in a cell of fixed width, with more white beside a
    // narrow letter than a book face leaves: a space next to inline code looks wider
    // than the others. It is narrowed by the code glyph's white beyond a book face's
    // usual side bearing, by at most a third of the space.
    void close_up_code() {
        const FontId mono = ctx.font_for(Face::Mono);
        if (options.face == Face::Mono) return;  // a code block's own spaces are its columns
        auto white = [&](std::size_t i, bool left) {
            if (i >= items.size() || items[i].type != Item::Type::Box || box_of[i] < 0) return 0.0;
            const BoxData& box = boxes[static_cast<std::size_t>(box_of[i])];
            if (box.empty() || box.font != mono) return 0.0;
            const std::uint32_t gid = box.shaped[left ? box.first : box.last - 1].gid;
            const auto [l, r] = (*ctx.fonts)[mono].side_bearings(gid);
            return std::max(0.0, (left ? l : r) * box.scale - kBookSideBearing * box.size);
        };
        for (std::size_t i = 1; i + 1 < items.size(); ++i) {
            Item& it = items[i];
            if (it.type != Item::Type::Glue || it.width <= 0) continue;
            const double excess = white(i - 1, false) + white(i + 1, true);
            it.width -= std::min(excess, it.width / 3);
        }
    }
    static constexpr double kBookSideBearing = 0.04;  // em: about what a book face leaves beside a letter

    // How far a box's first or last character may hang into the margin (0 for code,
    // pictures and raised text).
    double hang(const BoxData& box, bool left) const {
        if (box.empty() || box.rise != 0 || box.font == ctx.font_for(Face::Mono)) return 0;
        const std::span<const ShapedGlyph> glyphs = box.shaped;
        const ShapedGlyph& g = glyphs[left ? box.first : box.last - 1];
        const std::string_view text(arena.data() + box.text, box.text_size);
        const Protrusion* p = protrusion_of(text::first_code_point(text.substr(g.cluster)));
        if (!p) return 0;
        return (left ? p->left : p->right) / 1000.0 * g.x_advance * box.scale;
    }

    // Sets each item's protrusion (Item::hang_left, hang_right) for the line breaker.
    void mark_protrusion() {
        for (std::size_t i = 0; i < items.size(); ++i) {
            Item& it = items[i];
            if (it.type == Item::Type::Box) {
                if (box_of[i] >= 0) it.hang_left = hang(boxes[static_cast<std::size_t>(box_of[i])], true);
            } else if (it.type == Item::Type::Penalty && hyphen_of[i] >= 0) {
                const HyphenData& h = hyphens[static_cast<std::size_t>(hyphen_of[i])];
                if (const Protrusion* p = protrusion_of(U'-')) it.hang_right = p->right / 1000.0 * h.width;
            } else if (i > 0 && items[i - 1].type == Item::Type::Box && box_of[i - 1] >= 0 && it.penalty > -kInfinity) {
                it.hang_right = hang(boxes[static_cast<std::size_t>(box_of[i - 1])], false);
            }
        }
    }
};

// Appends a box's glyphs to a run, the box starting `dx` from the run's x. The first
// glyph of a cluster stands for all its characters (a ligature "ffi" for three); the
// cluster's other glyphs for none. `hscale`: the box's glyphs set that much wider.
// Right-to-left text comes shaped in visual order, its clusters descending: a
// cluster's characters run to the next higher cluster on either side.
void emit(const Builder& b, const BoxData& box, GlyphRun& run, double dx, double hscale = 1) {
    if (box.empty()) return;
    const std::span<const ShapedGlyph> glyphs = box.shaped;
    const std::string_view text(b.arena.data() + box.text, box.text_size);
    // Each glyph's characters follow the run's text so far. In left-to-right text
    // they are one stretch of the box's text, appended once: a glyph at a time, the
    // appends were 2 % of a PDF build.
    std::size_t pending = 0, pending_end = 0;
    double x = 0;
    for (std::size_t g = box.first; g < box.last; ++g) {
        std::size_t begin = glyphs[g].cluster, end = begin;  // [begin, end): the glyph's characters
        if (g == 0 || glyphs[g].cluster != glyphs[g - 1].cluster) {
            std::size_t k = g + 1;
            while (k < glyphs.size() && glyphs[k].cluster == glyphs[g].cluster) ++k;
            end = text.size();
            if (k < glyphs.size() && glyphs[k].cluster > glyphs[g].cluster)
                end = glyphs[k].cluster;
            else if (g > 0 && glyphs[g - 1].cluster > glyphs[g].cluster)
                end = glyphs[g - 1].cluster;
            if (end < begin) end = text.size();  // clusters out of order: the rest of the text
        }
        if (end > begin) {
            if (begin != pending_end) {
                run.text.append(text.substr(pending, pending_end - pending));
                pending = begin;
            }
            pending_end = end;
        }
        run.glyphs.push_back({static_cast<std::uint16_t>(glyphs[g].gid),
                              static_cast<std::uint16_t>((end - begin) & 0x7FFF), 0,
                              static_cast<float>(dx + (x + glyphs[g].x_offset * box.scale) * hscale)});
        x += glyphs[g].x_advance * box.scale;
    }
    run.text.append(text.substr(pending, pending_end - pending));
}

// The text a box's glyphs show, in logical order: its run's whole text, or for a
// part of the run, from its least cluster to the next cluster after its greatest.
std::string_view box_text(const Builder& b, const BoxData& box) {
    const std::string_view text(b.arena.data() + box.text, box.text_size);
    if (box.empty() || (box.first == 0 && box.last == box.shaped.size())) return text;
    std::uint32_t low = box.text_size, high = 0;
    for (std::size_t g = box.first; g < box.last; ++g) {
        low = std::min(low, box.shaped[g].cluster);
        high = std::max(high, box.shaped[g].cluster);
    }
    std::uint32_t end = box.text_size;
    for (const ShapedGlyph& g : box.shaped)
        if (g.cluster > high) end = std::min(end, g.cluster);
    return text.substr(low, end - low);
}

// ---- break: TeX's passes, or first fit for ragged text -------------------------------

// First fit: each line takes as much as fits. For ragged text (headings, credits,
// code) where even spacing matters less than keeping words whole.
std::vector<Break> greedy_breaks(const std::vector<Item>& items, double width, std::vector<bool>& overfull) {
    std::vector<double> before(items.size() + 1, 0);  // natural width of items [0, i)
    for (std::size_t i = 0; i < items.size(); ++i)
        before[i + 1] = before[i] + (items[i].type == Item::Type::Penalty ? 0 : items[i].width);
    auto legal = [&](std::size_t i) {
        const Item& it = items[i];
        return (it.type == Item::Type::Glue && i > 0 && items[i - 1].type == Item::Type::Box) ||
               (it.type == Item::Type::Penalty && it.penalty < kInfinity);
    };
    auto line_start = [&](std::size_t after_break) {
        std::size_t s = after_break;
        while (s < items.size() && items[s].type != Item::Type::Box) {
            if (items[s].type == Item::Type::Penalty && items[s].penalty <= -kInfinity) break;
            ++s;
        }
        return s;
    };
    std::vector<Break> out;
    std::size_t start = line_start(0);
    std::size_t candidate = std::string::npos;
    for (std::size_t i = start; i < items.size(); ++i) {
        if (!legal(i)) continue;
        const double w = before[i] - before[start] + (items[i].type == Item::Type::Penalty ? items[i].width : 0);
        const bool forced = items[i].type == Item::Type::Penalty && items[i].penalty <= -kInfinity;
        if (w > width + 0.01 && candidate != std::string::npos) {
            out.push_back({candidate, 0, items[candidate].type == Item::Type::Penalty && items[candidate].flagged});
            overfull.push_back(false);
            start = line_start(candidate + 1);
            candidate = std::string::npos;
            i = start - 1;  // measure this break again from the new line's start
            continue;
        }
        if (forced || w > width + 0.01) {
            out.push_back({i, 0, items[i].type == Item::Type::Penalty && items[i].flagged});
            overfull.push_back(w > width + 0.01);
            start = line_start(i + 1);
            candidate = std::string::npos;
            if (start > i) i = start - 1;
            continue;
        }
        candidate = i;
    }
    return out;
}

std::vector<Break> justified_breaks(Builder& b, double width, bool& overfull) {
    overfull = false;
    BreakParams params;
    // Pass 1: no hyphenation, \pretolerance = 100.
    std::vector<Item> first = b.items;
    for (std::size_t i = 0; i < first.size(); ++i)
        if (b.hyphenation[i]) first[i].penalty = kInfinity;
    params.tolerance = 100;
    if (auto r = break_lines(first, {width}, params)) return *r;
    // Pass 2: with hyphenation, \tolerance = 200.
    params.tolerance = 200;
    if (auto r = break_lines(b.items, {width}, params)) return *r;
    // Pass 3: \emergencystretch, as TeX's third pass.
    params.emergency_stretch = 1.5 * b.options.size;
    if (auto r = break_lines(b.items, {width}, params)) return *r;
    // Last: any badness. Only a box wider than the line can still fail: first fit,
    // and the line is reported overfull.
    params.tolerance = kInfinity;
    if (auto r = break_lines(b.items, {width}, params)) return *r;
    std::vector<bool> over;
    auto out = greedy_breaks(b.items, width, over);
    overfull = std::find(over.begin(), over.end(), true) != over.end();
    return out;
}

// ---- finalize: breaks -> lines of glyph runs -----------------------------------------

// The items [start, end) of a line of a paragraph with bidi levels, penalties left
// out, in visual order: left to right (UAX #9 L1, L2). Glue stands for white space.
std::vector<std::size_t> visual_items(const Builder& b, std::size_t start, std::size_t end) {
    std::vector<std::size_t> logical;
    std::vector<std::uint8_t> levels;
    std::vector<bool> white;
    for (std::size_t i = start; i < end; ++i) {
        if (b.items[i].type == Item::Type::Penalty) continue;
        logical.push_back(i);
        levels.push_back(b.scripts.item_level[i]);
        white.push_back(b.items[i].type == Item::Type::Glue);
    }
    std::vector<std::size_t> order = visual_order(levels, white, b.scripts.rtl);
    for (std::size_t& k : order) k = logical[k];
    return order;
}

// In a line reordered for bidi, where one of its runs came from: its first item in
// logical order, its boxes' items, and whether they read right to left.
struct RunOrigin {
    std::size_t first;
    bool rtl;
    std::vector<std::size_t> items;
};

// A line reordered for bidi shows right-to-left words in the order they stand, and
// a reader of its text (a tagged PDF's structure, a screen reader) would read them
// so, backwards. Its runs are put in the order of their first words (the writer
// moves to each run's place, in any order), and each right-to-left run, which
// holds the direction's glyphs as shown, is marked with a Span that reads as its
// words in logical order (ActualText). The Span's parent is the run's language
// span, or none until the setter puts it in its paragraph (Setter::tag).
void read_in_logical_order(const Builder& b, Line& line, const std::vector<RunOrigin>& origins, std::size_t end) {
    if (origins.size() != line.runs.size()) return;  // not from finalize's loop: left as shown
    const auto glue_between = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from + 1; i < to; ++i)
            if (b.items[i].type == Item::Type::Glue) return true;
        return false;
    };
    for (std::size_t k = 0; k < line.runs.size(); ++k) {
        if (!origins[k].rtl || origins[k].items.empty()) continue;
        std::vector<std::size_t> items = origins[k].items;
        std::sort(items.begin(), items.end());
        // Its words with the spaces between them, and the space after its last word
        // (where the line goes on, or ends between words): the word spaces its
        // glyphs carry stand where the words are shown, not where they are read.
        std::string logical;
        for (std::size_t n = 0; n < items.size(); ++n) {
            if (n > 0 && glue_between(items[n - 1], items[n])) logical += ' ';
            logical += box_text(b, b.boxes[static_cast<std::size_t>(b.box_of[items[n]])]);
        }
        std::size_t next = items.back() + 1;
        while (next < end && b.items[next].type == Item::Type::Penalty) ++next;
        if (next < end ? b.items[next].type == Item::Type::Glue : !line.hyphenated) logical += ' ';
        line.runs[k].element = make_span_reading_as(line.runs[k].element, std::move(logical));
    }
    std::vector<std::size_t> by_first(line.runs.size());
    for (std::size_t k = 0; k < by_first.size(); ++k) by_first[k] = k;
    std::stable_sort(by_first.begin(), by_first.end(),
                     [&](std::size_t a, std::size_t c) { return origins[a].first < origins[c].first; });
    std::vector<GlyphRun> runs;
    runs.reserve(line.runs.size());
    for (std::size_t k : by_first) runs.push_back(std::move(line.runs[k]));
    line.runs = std::move(runs);
}

std::vector<Line> finalize(const Builder& b, const std::vector<Break>& breaks, const ParagraphOptions& o,
                           const std::vector<bool>& overfull_lines) {
    std::vector<Line> lines;
    std::size_t start = 0;
    // A span in another language: its runs marked with a Span element of that
    // language (pages.hpp), one for the paragraph, which the setter puts in its
    // paragraph's element (Setter::tag).
    std::vector<ElementRef> language_marks(b.langs.size());
    auto language_mark = [&](const BoxData& box) -> ElementRef {
        if (box.lang < 0) return nullptr;
        ElementRef& m = language_marks[static_cast<std::size_t>(box.lang)];
        if (!m) m = make_element("Span", nullptr, b.langs[static_cast<std::size_t>(box.lang)]);
        return m;
    };
    for (std::size_t li = 0; li < breaks.size(); ++li) {
        const Break& br = breaks[li];
        Line line;
        line.height = o.leading;
        line.overfull = li < overfull_lines.size() && overfull_lines[li];
        // Glue and penalties at the start of a line vanish (TeX §879).
        while (start < br.position && b.items[start].type != Item::Type::Box) ++start;
        line.first_word = b.word_at(start, br.position);
        double natural = 0, stretch = 0, shrink = 0;  // of the whole line: glue and letters
        double glue_stretch = 0, glue_shrink = 0, letters = 0;  // letters: width that expands
        for (std::size_t i = start; i < br.position; ++i) {
            const Item& it = b.items[i];
            if (it.type == Item::Type::Penalty) continue;
            natural += it.width;
            stretch += it.stretch;
            shrink += it.shrink;
            if (it.type == Item::Type::Glue) {
                glue_stretch += it.stretch, glue_shrink += it.shrink;
            } else if (b.box_of[i] >= 0 && b.boxes[static_cast<std::size_t>(b.box_of[i])].expands) {
                letters += it.width;
            }
        }
        const Item& end = b.items[br.position];
        const bool hyphen_end = end.type == Item::Type::Penalty && end.width > 0 && b.hyphen_of[br.position] >= 0;
        // A hyphen is set like the letters before it.
        const bool hyphen_expands = hyphen_end && br.position > 0 && b.box_of[br.position - 1] >= 0 &&
                                    b.boxes[static_cast<std::size_t>(b.box_of[br.position - 1])].expands;
        if (hyphen_end) natural += end.width;
        if (hyphen_expands) letters += end.width;
        // Protrusion: the line is set that much wider, starting that much further left.
        double hang_left = 0, hang_right = 0;
        if (o.align == Align::Justify && start < br.position) {
            hang_left = b.items[start].hang_left;
            hang_right = end.hang_right;
        }
        const double target = o.width + hang_left + hang_right;
        // The line is set with its own glue, as TeX sets it (§810): the break's ratio
        // may include the emergency stretch, which only widened the choice of breaks.
        // Font expansion takes its share of the adjustment in steps of 0.1 % (so the
        // PDF says 101.3 Tz, not a long fraction), and the glue the rest.
        double ratio = 0, expansion = 0;
        if (o.align == Align::Justify) {
            double r = 0;
            if (natural < target && stretch > 0) r = (target - natural) / stretch;
            if (natural > target && shrink > 0) r = std::max(-1.0, (target - natural) / shrink);
            if (letters > 0) expansion = std::round(std::clamp(r, -1.0, 1.0) * o.expansion * 1000) / 1000;
            const double rest = target - natural - expansion * letters;
            if (rest > 0 && glue_stretch > 0) ratio = rest / glue_stretch;
            if (rest < 0 && glue_shrink > 0) ratio = std::max(-1.0, rest / glue_shrink);
        }
        line.ratio = ratio;
        double shift = 0;
        if (o.align == Align::Center) shift = std::max(0.0, (o.width - natural) / 2);
        double x = o.left + shift - hang_left;
        std::map<int, std::pair<double, double>> link_extent;  // link -> [x0, x1]
        // The line's glyphs and characters: a run is given room for what is left of
        // them when it begins (all of them, for most lines), not grown a glyph at a
        // time and fitted after (a dozen allocations a run, 3 % of a PDF build).
        std::size_t line_glyphs = hyphen_end ? 1 : 0, line_text = hyphen_end ? 1 : 0;
        for (std::size_t i = start, last_text = SIZE_MAX; i < br.position; ++i) {
            if (b.box_of[i] < 0) continue;
            const BoxData& box = b.boxes[static_cast<std::size_t>(b.box_of[i])];
            if (box.empty()) continue;
            line_glyphs += box.last - box.first;
            if (box.text != last_text) line_text += box.text_size;  // a word cut by hyphens: its pieces share it
            last_text = box.text;
        }
        const auto begin_run = [&](GlyphRun run) -> GlyphRun& {
            std::size_t glyphs = 0, text = 0;
            for (const GlyphRun& r : line.runs) glyphs += r.glyphs.size(), text += r.text.size();
            run.glyphs.reserve(line_glyphs - std::min(glyphs, line_glyphs));
            run.text.reserve(line_text - std::min(text, line_text));
            return line.runs.emplace_back(std::move(run));
        };
        // A hyphen ends its word: in a line reordered for bidi, it follows the box
        // before it wherever that stands, else it ends the line.
        auto set_hyphen = [&](double at) {
            const HyphenData& h = b.hyphens[static_cast<std::size_t>(b.hyphen_of[br.position])];
            const double hscale = hyphen_expands ? 1 + expansion : 1;
            if (line.runs.empty() || line.runs.back().font != h.font || line.runs.back().size != h.size ||
                line.runs.back().y != 0 || line.runs.back().hscale != hscale)
                begin_run({h.font, h.size, at, 0, {}, {}, hscale});
            line.runs.back().add(h.gid, at - line.runs.back().x, "-");
            line.hyphenated = true;
            line.hyphen_added = true;
            return end.width * hscale;
        };
        const bool reorder = !b.scripts.levels.empty();
        const std::vector<std::size_t> order = reorder ? visual_items(b, start, br.position) : std::vector<std::size_t>{};
        std::vector<RunOrigin> origins;  // by run, in a line reordered for bidi
        const std::size_t count = reorder ? order.size() : br.position - start;
        double right = 0;  // where the reordered line's rightmost item ends
        for (std::size_t n = 0; n < count; ++n) {
            const std::size_t i = reorder ? order[n] : start + n;
            const Item& it = b.items[i];
            if (it.type == Item::Type::Glue) {
                // A word space after the last glyph set (none twice, none at the start).
                if (!line.runs.empty() && !line.runs.back().glyphs.empty()) line.runs.back().glyphs.back().space_after = 1;
                double w = it.width;
                if (o.align == Align::Justify && it.stretch < kFil / 2)
                    w += ratio > 0 ? ratio * it.stretch : ratio * it.shrink;
                x += w;
                continue;
            }
            if (it.type != Item::Type::Box || b.box_of[i] < 0) continue;
            const BoxData& box = b.boxes[static_cast<std::size_t>(b.box_of[i])];
            const double hscale = box.expands ? 1 + expansion : 1;
            const double width = box.width * hscale;
            if (!box.empty()) {
                GlyphRun* run = line.runs.empty() ? nullptr : &line.runs.back();
                ElementRef mark = language_mark(box);
                const bool rtl = reorder && b.scripts.item_level[i] % 2 == 1;
                if (!run || run->font != box.font || run->size != box.size || run->y != -box.rise ||
                    run->hscale != hscale || run->element != mark || (reorder && origins.back().rtl != rtl)) {
                    run = &begin_run({box.font, box.size, x, -box.rise, {}, {}, hscale});
                    run->element = std::move(mark);
                    if (reorder) origins.push_back({i, rtl, {}});
                }
                emit(b, box, *run, x - run->x, hscale);
                if (reorder) {
                    origins.back().first = std::min(origins.back().first, i);
                    origins.back().items.push_back(i);
                }
            }
            if (box.picture >= 0) {
                const InlinePicture& p = b.pictures[static_cast<std::size_t>(box.picture)];
                line.images.push_back({p.resource->path, x, -box.rise - p.height, box.width, p.height,
                                       placed_ppi(*p.resource, box.width, p.height), {o.where.file, p.line, p.column},
                                       p.alt ? *p.alt : std::string()});
            }
            if (box.link >= 0) {
                auto [it2, fresh] = link_extent.emplace(box.link, std::make_pair(x, x + width));
                it2->second.first = std::min(it2->second.first, x);
                it2->second.second = std::max(it2->second.second, x + width);
            }
            x += width;
            if (reorder && hyphen_end && i + 1 == br.position) {
                x += set_hyphen(x);
                if (origins.size() < line.runs.size()) origins.push_back({i, false, {}});  // the hyphen's own run
            }
            if (reorder) right = x;
        }
        line.width = reorder ? right : x + (hyphen_end ? end.width : 0);
        if (hyphen_end) {
            if (!reorder) line.width = x + set_hyphen(x);
        } else if (end.type == Item::Type::Penalty && end.flagged) {
            line.hyphenated = true;  // after an explicit hyphen or dash
        }
        // A line that ends between words ends in a word space (its last line too: the
        // text that follows is another block's, which a reader takes apart anyway).
        if (!line.hyphenated && !line.runs.empty() && !line.runs.back().glyphs.empty())
            line.runs.back().glyphs.back().space_after = 1;
        if (reorder) read_in_logical_order(b, line, origins, br.position);
        // A link's area covers its words, and its pictures, which may stand taller.
        double picture_top = 0;
        for (const PlacedImage& im : line.images) picture_top = std::min(picture_top, im.y);
        for (const auto& [link, extent] : link_extent) {
            const LinkTarget& t = b.links[static_cast<std::size_t>(link)];
            const double top = std::min(-o.size * 0.8, picture_top);
            line.links.push_back({extent.first, top, extent.second - extent.first, o.size * 0.25 - top, t.uri,
                                  t.destination});
        }
        // A right-to-left paragraph's lines end flush right: its last line, and every
        // line of ragged text.
        if (b.scripts.rtl && o.align != Align::Center && o.left + o.width - line.width > 0.001) {
            const double slack = o.left + o.width - line.width;
            line.shift(slack);
            line.width += slack;
        }
        // Lines live until the book is written: no spare capacity (vectors grown by
        // appending hold up to twice what they use).
        line.runs.shrink_to_fit();
        line.images.shrink_to_fit();
        for (GlyphRun& r : line.runs) {
            r.glyphs.shrink_to_fit();
            r.text.shrink_to_fit();
        }
        lines.push_back(std::move(line));
        start = br.position + 1;
    }
    return lines;
}

// The continuation mark that begins a line of code (its first `bytes` of text) as a
// run of its own, an artifact: it is no part of the code.
void mark_continuation(Line& line, std::size_t bytes) {
    if (line.runs.empty()) return;
    GlyphRun& run = line.runs.front();
    std::size_t k = 0, covered = 0;
    while (k < run.glyphs.size() && covered < bytes) covered += run.glyphs[k++].text_length;
    while (k < run.glyphs.size() && run.glyphs[k].text_length == 0) ++k;  // the rest of a cluster
    if (covered != bytes || k == 0 || k >= run.glyphs.size()) return;
    GlyphRun head{run.font, run.size, run.x, run.y, {run.glyphs.begin(), run.glyphs.begin() + static_cast<std::ptrdiff_t>(k)},
                  run.text.substr(0, bytes), run.hscale};
    head.artifact = true;
    const float dx = run.glyphs[k].x;
    run.glyphs.erase(run.glyphs.begin(), run.glyphs.begin() + static_cast<std::ptrdiff_t>(k));
    for (PlacedGlyph& g : run.glyphs) g.x -= dx;
    run.x += dx;
    run.text.erase(0, bytes);
    line.runs.insert(line.runs.begin(), std::move(head));
}

}  // namespace

double placed_ppi(const doc::Resource& picture, double width, double height) {
    if (picture.vector() || width <= 0 || height <= 0) return 0;
    return std::min(picture.width / (width / 72), picture.height / (height / 72));
}

namespace {

std::vector<Line> set_fragments(const std::vector<Fragment>& fragments, const ParagraphOptions& options,
                                FontContext& context) {
    Builder b{options, context, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    b.build(fragments);
    if (b.items.size() <= 3) return {};  // nothing but the paragraph's end
    std::vector<Break> breaks;
    std::vector<bool> overfull;
    if (options.align == Align::Justify) {
        bool any = false;
        breaks = justified_breaks(b, options.width, any);
        if (any) overfull.assign(breaks.size(), false);  // reported per line below
    } else {
        breaks = greedy_breaks(b.items, options.width, overfull);
    }
    std::vector<Line> lines = finalize(b, breaks, options, overfull);
    for (Line& l : lines) {
        double right = 0;
        for (const GlyphRun& r : l.runs)
            if (!r.glyphs.empty()) right = std::max(right, r.x + r.glyphs.back().x);
        if (right > options.left + options.width + options.size) l.overfull = true;
    }
    return lines;
}

// Everything a paragraph's lines depend on besides the memo's context, written out
// whole: its options, and each fragment's text and styles, with what its links and
// pictures resolve to. Numbers as their bits; strings with their lengths.
std::string paragraph_material(const std::vector<Fragment>& fragments, const ParagraphOptions& o,
                               std::span<const std::string* const> sources) {
    std::string m;
    // Its size, near enough: grown as it is written, it was reallocated several
    // times a paragraph.
    std::size_t size = 128 + o.lang.size() + o.where.file.size();
    for (const Fragment& f : fragments)
        size += 96 + f.text.size() + f.lang.size() + f.uri.size() + f.destination.size();
    m.reserve(size);
    KeyBytes key{m};
    key.number(o.width);
    key.number(o.indent);
    key.number(o.left);
    key.number(static_cast<int>(o.face));
    key.number(o.size);
    key.number(o.leading);
    key.number(o.min_size);
    key.number(static_cast<int>(o.align));
    key.number(o.expansion);
    key.number(static_cast<std::uint8_t>(o.hyphenate | o.protrusion << 1 | o.keep_words_whole << 2 |
                                         o.break_wide_words << 3 | o.web_addresses << 4 | (o.census != nullptr) << 5));
    key.text(o.lang);
    key.text(o.dir);
    key.text(o.note_prefix);
    key.text(o.where.file);  // not its line: only warnings name it, and they are given again where the paragraph is now
    key.number(static_cast<std::uint64_t>(fragments.size()));
    for (const Fragment& f : fragments) {
        key.text(f.text);
        key.number(static_cast<int>(f.face));
        key.number(static_cast<std::uint8_t>(f.superscript | f.subscript << 1 | f.hard_break << 2 | f.counted << 3 |
                                             (f.picture != nullptr) << 4 | (f.alt != nullptr) << 5));
        key.text(f.lang);
        key.text(f.uri);
        key.text(f.destination);
        if (f.picture) doc::resource_material(key, *f.picture);
        key.number(f.line);
        key.number(f.column);
        if (f.alt) key.text(*f.alt);
        key.number(static_cast<std::int64_t>(
            f.source ? std::find(sources.begin(), sources.end(), f.source) - sources.begin() : -1));
    }
    return m;
}

// set_fragments, through the memo: the lines kept for the same material if they
// read back whole, else set now and given to the memo, with the words the setting
// counted and the warnings it gave, which a recalled paragraph gives again.
std::vector<Line> set_remembered(const std::vector<Fragment>& fragments, const ParagraphOptions& options,
                                 FontContext& context) {
    std::vector<const std::string*> sources;
    std::vector<std::string> pictures;
    for (const Fragment& f : fragments) {
        if (f.source && std::find(sources.begin(), sources.end(), f.source) == sources.end())
            sources.push_back(f.source);
        if (f.picture) pictures.push_back(f.picture->path);
    }
    ParagraphMemo& memo = *context.memo;
    const MemoKey key = memo.key(paragraph_material(fragments, options, sources));
    const std::string group = context.memo_group(options.where.file);
    std::optional<SetRecord> kept;
    memo.read_kept(group, key, [&](const ParagraphMemo::Kept& k) {
        kept = read_record(k.record, {sources, context.fonts.get(), pictures, k.lasting != nullptr});
        if (kept) context.hold(k.lasting);
        return kept.has_value();
    });
    if (kept) {
        if (options.census) options.census->words += kept->words;
        for (GivenWarning& g : kept->warnings)
            context.warn_once(g.key, options.where, std::move(g.message), std::move(g.hint));
        return std::move(kept->lines);
    }
    SetRecord record;
    const long words_before = options.census ? options.census->words : 0;
    std::vector<GivenWarning>* const outer = std::exchange(t_given, &record.warnings);
    try {
        record.lines = set_fragments(fragments, options, context);
    } catch (...) {
        t_given = outer;
        throw;
    }
    t_given = outer;
    record.words = options.census ? options.census->words - words_before : 0;
    if (std::optional<std::string> bytes = write_record(record, sources)) memo.keep(group, key, std::move(*bytes));
    return std::move(record.lines);
}

}  // namespace

std::vector<Line> set_paragraph(const doc::Inlines& inlines, const ParagraphOptions& options, FontContext& context) {
    Collector collector{options, {}};
    Fragment base;
    base.face = options.face;
    collector.run(inlines, base);
    // A paragraph of an article kept whole (ParagraphsNotKept) is neither kept nor
    // found: its group holds the article's record, not its paragraphs'.
    return context.memo && t_keep_paragraphs ? set_remembered(collector.out, options, context)
                                             : set_fragments(collector.out, options, context);
}

namespace {

// Where a code line longer than `room` characters wraps: at the last space that
// fits (the next part starting at the following token), else after the last
// punctuation that fits; mid-token only when the token is longer than a whole line
// (`next_room`, the room of a continued line), where any other break would leave
// it to be cut anyway. Leading indentation is no place to wrap.
std::size_t code_wrap_point(const std::u32string& chars, std::size_t room, std::size_t next_room) {
    if (chars.size() <= room) return chars.size();
    const std::size_t indent = std::min(chars.find_first_not_of(U' '), chars.size());
    // The token that would begin the continued line, if the cut is at `k`, fits it.
    const auto token_fits = [&](std::size_t k) {
        std::size_t begin = k;
        while (begin < chars.size() && chars[begin] == U' ') ++begin;
        const std::size_t end = std::min(chars.find(U' ', begin), chars.size());
        return end - begin <= next_room;
    };
    for (std::size_t k = room; k > indent; --k)
        if (chars[k] == U' ' && chars[k - 1] != U' ' && token_fits(k)) return k;
    static constexpr std::u32string_view kAfter = U",;.:/_-=&|+*)]}>";
    for (std::size_t k = room; k > indent + 1; --k)
        if (kAfter.find(chars[k - 1]) != std::u32string_view::npos && chars[k] != U' ' && token_fits(k)) return k;
    return room;
}

}  // namespace

ContentWidths content_widths(const doc::Inlines& inlines, const ParagraphOptions& options, FontContext& context) {
    ParagraphOptions o = options;
    o.census = nullptr;  // measured, not set: its words are counted when it is set
    o.indent = 0;
    Builder b{o, context, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    b.build(inlines);
    ContentWidths out;
    // `piece`: since the last legal break; `line`: since the last forced one, and
    // `glue`: the glue at its end, which a break there would drop.
    double piece = 0, line = 0, glue = 0;
    bool piece_started = false;
    for (std::size_t i = 0; i < b.items.size(); ++i) {
        const Item& it = b.items[i];
        if (it.type == Item::Type::Box) {
            piece += it.width;
            line += glue + it.width;
            glue = 0;
            piece_started = true;
        } else if (it.type == Item::Type::Glue) {
            const bool legal = i > 0 && b.items[i - 1].type == Item::Type::Box;
            if (legal) {
                out.min = std::max(out.min, piece);
                piece = 0;
                piece_started = false;
            } else if (piece_started) {
                piece += it.width;
            }
            if (line > 0) glue += it.width;
        } else if (it.penalty <= -kInfinity) {
            out.min = std::max(out.min, piece);
            out.max = std::max(out.max, line);
            piece = line = glue = 0;
            piece_started = false;
        } else if (it.penalty < kInfinity) {
            out.min = std::max(out.min, piece + it.width);  // a hyphen ends the line there
            piece = 0;
            piece_started = false;
        }
    }
    out.min = std::max(out.min, piece);
    out.max = std::max({out.max, line, out.min});
    return out;
}

std::vector<Line> set_code(const std::string& text, const ParagraphOptions& options, FontContext& context) {
    if (options.census) {
        doc::WordCounter words;
        words.text(text);
        options.census->words += words.words();
        ++options.census->code_blocks;
    }
    std::vector<Line> lines;
    const FontId font_id = context.font_for(Face::Mono);
    const Font& font = (*context.fonts)[font_id];
    const double scale = options.size / font.units_per_em();
    const double advance = font.advance(font.glyph(U'M')) * scale;
    const std::size_t columns = std::max<std::size_t>(8, static_cast<std::size_t>(options.width / advance));
    const std::string mark = font.has_glyph(U'\u21AA') ? "\u21AA" : ">";  // ↪ starts a continued line
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t at = pos;  // where the piece set next begins in `text`
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::u32string chars = text::to_u32(std::string_view(text).substr(pos, end - pos));
        for (char32_t& c : chars)
            if (c == U'\t') c = U' ';
        bool continued = false;
        do {
            const std::size_t room = continued ? columns - 2 : columns;
            const std::size_t cut = code_wrap_point(chars, room, columns - 2);
            const std::u32string piece = chars.substr(0, cut);
            chars.erase(0, cut);
            Line line;
            line.height = options.leading;
            line.first_word = {&text, static_cast<std::uint32_t>(at)};
            at += text::to_utf8(piece).size();
            if (!chars.empty()) {
                const std::size_t spaces = std::min(chars.find_first_not_of(U' '), chars.size());
                chars.erase(0, spaces);
                at += spaces;  // spaces and tabs: a byte each
            }
            const std::string utf8 = (continued ? mark + " " : "") + text::to_utf8(piece);
            if (!utf8.empty()) {
                Builder b{options, context, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
                Fragment f;
                f.face = Face::Mono;
                b.add_piece(utf8, f);
                GlyphRun run{font_id, options.size, options.left, 0, {}, {}};
                double x = 0;
                for (const BoxData& box : b.boxes) {
                    if (box.font != run.font && !box.empty()) {
                        if (!run.glyphs.empty()) line.runs.push_back(std::move(run));
                        run = GlyphRun{box.font, options.size, options.left + x, 0, {}, {}};
                    }
                    emit(b, box, run, options.left + x - run.x);
                    x += box.width;
                }
                line.width = options.left + x;
                if (!run.glyphs.empty()) line.runs.push_back(std::move(run));
                if (continued) mark_continuation(line, mark.size() + 1);
                // The end of a line of the source reads as a space (a tagged PDF's text).
                if (chars.empty() && !line.runs.empty() && !line.runs.back().glyphs.empty())
                    line.runs.back().glyphs.back().space_after = 1;
            }
            lines.push_back(std::move(line));
            continued = true;
        } while (!chars.empty());
        if (end == text.size()) break;
        pos = end + 1;
    }
    while (!lines.empty() && lines.back().runs.empty()) lines.pop_back();
    return lines;
}

}  // namespace folio::layout
