// Paragraph layout, in stages (STYLE.md): collect doc inlines into styled text,
// shape and measure it (HarfBuzz, with fallback fonts), hyphenate (libhyphen), build
// Knuth–Plass items, break_lines, and finalize the lines into positioned glyph runs.
#pragma once

#include "core/diagnostics.hpp"
#include "doc/census.hpp"
#include "doc/model.hpp"
#include "doc/page_list.hpp"
#include "layout/cache.hpp"
#include "layout/fonts.hpp"
#include "layout/hyphenate.hpp"
#include "layout/pages.hpp"
#include "layout/style.hpp"

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace folio::layout {

enum class Face { Regular, Italic, Bold, BoldItalic, Mono };
enum class Align { Justify, Ragged, Center };

// A word as the typesetter measures it, the same wherever it stands: shaped in
// runs of one font each, with the places a hyphen may break it.
struct MeasuredWord {
    struct Run {
        FontId font;
        std::uint32_t begin, end;  // bytes of the word
        std::uint32_t first, last;  // its glyphs in `glyphs`

        friend bool operator==(const Run&, const Run&) = default;
    };
    std::vector<Run> runs;
    std::vector<ShapedGlyph> glyphs;    // every run's, in order; clusters count from the run's start
    std::vector<std::uint32_t> breaks;  // byte offsets after which a hyphen may go, ascending
    std::vector<char32_t> missing;      // characters in none of the fonts
};

// A measured word as the setter reads it: of a MeasuredWord, or of its packed copy
// in the word cache (FontContext::words), whose bytes it reads in place.
struct WordView {
    std::span<const MeasuredWord::Run> runs;
    std::span<const ShapedGlyph> glyphs;
    std::span<const std::uint32_t> breaks;
    std::span<const char32_t> missing;

    WordView() = default;
    explicit WordView(const MeasuredWord& w) : runs(w.runs), glyphs(w.glyphs), breaks(w.breaks), missing(w.missing) {}
    std::span<const ShapedGlyph> glyphs_of(const MeasuredWord::Run& r) const {
        return glyphs.subspan(r.first, r.last - r.first);
    }
};

// The word cache's bytes of a word, and the word read back from them (8-byte
// aligned, as the cache keeps them): the four counts, then each array in turn.
std::string pack(const MeasuredWord& w);
WordView unpack(std::span<const std::byte> bytes);

// Paragraphs set in an earlier build, kept by whoever builds (src/cache): a
// paragraph's lines depend on nothing but its inputs, which set_paragraph writes
// out whole (its text and styles, what its links and pictures resolve to, its
// options) as `material`. The memo gives back the record it kept for the same
// material, or nothing; set_paragraph checks a record before it trusts it.
struct MemoKey {
    std::uint64_t low = 0, high = 0;
    friend bool operator==(const MemoKey&, const MemoKey&) = default;
};
// A key is a hash already: its low half is as good a bucket as any.
struct MemoKeyHash {
    std::size_t operator()(const MemoKey& k) const { return static_cast<std::size_t>(k.low); }
};
class ParagraphMemo {
public:
    virtual ~ParagraphMemo() = default;
    // What decides every paragraph of this setting beside its own inputs (the
    // fonts' and dictionaries' files), given once before any paragraph is set.
    virtual void set_context(std::string_view context) = 0;
    // The key of `material`; the record kept for it in `group` (an article's
    // paragraphs share one) given to `read` where it lies, not copied (an article's
    // is a hundred kilobytes): false when there is none, else what `read` says.
    // Called from every setting thread.
    virtual MemoKey key(std::string_view material) const = 0;
    struct Kept {
        std::string_view record;
        // Held, keeps the record's bytes where they are (a cache file mapped into
        // memory): what is read may then point into them. Null: they are the memo's
        // only until `read` returns.
        std::shared_ptr<const void> lasting;
    };
    virtual bool read_kept(const std::string& group, const MemoKey& key,
                           const std::function<bool(const Kept&)>& read) = 0;
    // The record, copied: empty when there is none.
    std::string recall(const std::string& group, const MemoKey& key) {
        std::string out;
        read_kept(group, key, [&](const Kept& kept) {
            out.assign(kept.record);
            return true;
        });
        return out;
    }
    virtual void keep(const std::string& group, const MemoKey& key, std::string record) = 0;
    // The group's paragraphs are set, for now: the memo may put them away (a group
    // finished may be recalled from again, at the price of reading it back).
    virtual void finish(const std::string& group) = 0;
};

// A warning as FontContext::warn_once was given it, with its place: what an
// article's setting said, kept with the article's record (layout/set_record.hpp).
struct GivenWarningAt {
    std::string key;
    SourceLocation where;
    std::string message, hint;
};

// Gathers into `into` every warning given through FontContext::warn_once on this
// thread while it lives (whether or not the book says it again).
class WarningsGathered {
public:
    explicit WarningsGathered(std::vector<GivenWarningAt>& into);
    WarningsGathered(const WarningsGathered&) = delete;
    WarningsGathered& operator=(const WarningsGathered&) = delete;
    ~WarningsGathered();

private:
    std::vector<GivenWarningAt>* m_outer;
};

// While it lives, the paragraphs set on this thread neither go through the memo
// (FontContext::memo) nor are given to it: their article is kept whole instead
// (layout/typeset.cpp), and each paragraph kept too would keep its lines twice.
class ParagraphsNotKept {
public:
    ParagraphsNotKept();
    ParagraphsNotKept(const ParagraphsNotKept&) = delete;
    ParagraphsNotKept& operator=(const ParagraphsNotKept&) = delete;
    ~ParagraphsNotKept();

private:
    bool m_outer;
};

// The fonts of a style, opened, and what paragraphs share while a book is set.
struct FontContext {
    std::shared_ptr<FontSet> fonts;
    FontId face[5];                 // by Face
    // The style's fallback fonts that are installed, in its order, each opened when a
    // character first needs it (a Latin book never reads the CJK font), and those that
    // are not installed, which the warning for a character in no font names.
    std::vector<FontId> fallback;
    std::vector<std::string> fallback_absent;
    Hyphenator hyphenator;
    Diagnostics* diagnostics = nullptr;
    ShardedCache words;                // measured words, packed: by face, language, hyphenation and text
    ParagraphMemo* memo = nullptr;     // paragraphs set before (null: none kept)
    std::string memo_scope;            // what sets this setting's groups apart (its measure)

    explicit FontContext(const PrintStyle& style);
    FontId font_for(Face f) const { return face[static_cast<int>(f)]; }
    void warn_once(const std::string& key, SourceLocation where, std::string message, std::string hint = {});
    // Uses `m` for the paragraphs set from now on, telling it the files the setting
    // reads: each font's and the hyphenation dictionaries', by path, size and time.
    // The paragraphs of a source file set at one measure make one group: `scope`
    // names the measure.
    void remember_with(ParagraphMemo* m, std::string scope);
    // The memo's group of the paragraphs of `file` (an article's source, as
    // ParagraphOptions::where names it).
    std::string memo_group(const std::string& file) const { return file + '\n' + memo_scope; }
    // Keeps what a record read back lies in (ParagraphMemo::Kept::lasting) for the
    // pages, whose glyphs may be views of it; taken by them once set.
    void hold(const std::shared_ptr<const void>& lasting);
    std::vector<std::shared_ptr<const void>> take_held();

private:
    std::mutex m_held_mutex;
    // One a cache file, or (kept in memory by folio watch) one an article: a set,
    // to find one among a thousand.
    std::unordered_set<std::shared_ptr<const void>> m_held;
    static inline std::atomic<std::uint64_t> s_contexts{0};
    const std::uint64_t m_number = ++s_contexts;  // no other context of the process has had it
};

// One line of a paragraph: runs at baseline 0, x from the left of the text block.
struct Line {
    std::vector<GlyphRun> runs;
    std::vector<Rule> rules;      // y from the baseline
    std::vector<LinkArea> links;  // y from the baseline (negative: above)
    std::vector<PlacedImage> images;  // pictures set in the text, y from the baseline
    double height = 0;            // baseline-to-baseline distance to the previous line
    double width = 0;             // where the line's last glyph ends, from the text block's left
    double ratio = 0;             // adjustment ratio (justified lines)
    bool hyphenated = false;
    bool hyphen_added = false;    // it ends in a hyphen the typesetter added (a word broken by hyphenation)
    bool overfull = false;
    // Where the line's first word begins in the book's text (for the EPUB's page
    // list): a word hyphenated over from the line before counts from its start.
    // None (text null) for a line of no doc text (a picture, a rule).
    doc::TextPosition first_word;

    // Moves what the line shows sideways: a cell within its column, a title centred
    // on a wider measure than it was set in.
    void shift(double dx) {
        for (GlyphRun& r : runs) r.x += dx;
        for (Rule& r : rules) r.x += dx;
        for (LinkArea& a : links) a.x += dx;
        for (PlacedImage& im : images) im.x += dx;
    }
};

struct ParagraphOptions {
    double width = 0;
    double indent = 0;        // first line
    double left = 0;          // every line starts here (lists, quotes)
    Face face = Face::Regular;
    double size = 10;
    double leading = 12;
    double min_size = 0;      // no glyph smaller (superscripts are raised to it)
    Align align = Align::Justify;
    bool hyphenate = true;
    // Microtypography of justified text, as pdfTeX's microtype sets it: punctuation
    // and a few letters hang into the margin at a line's ends (protrusion), and each
    // line's letters may be set up to `expansion` wider or narrower (PDF horizontal
    // scaling), which the line breaker counts with the word spaces' stretch.
    bool protrusion = true;
    double expansion = 0.02;
    bool keep_words_whole = false;   // no break inside a word, not even after a hyphen (web and e-mail
                                     // addresses still break after their separators, adding nothing)
    // A word wider than the line breaks after the separators a web address breaks at,
    // and a piece of it still wider between any two characters: the last resort of a
    // table's narrow cells, where a long token would otherwise print over the next.
    bool break_wide_words = false;
    std::string lang;                // the text's language
    std::string dir;                 // "rtl" or "ltr" set on a passage; empty: from `lang`, else the text
    std::string note_prefix;         // article id: note calls link to <prefix>-fn<n>
    SourceLocation where;            // the article, for warnings
    // Internal link targets -> named destinations.
    std::function<std::string(const doc::InternalTarget&)> destination;
    // In print, where nothing can be clicked: the text set after an internal link
    // (" (p. 12)"); unset, nothing is.
    std::function<std::string(const doc::InternalTarget&)> page_reference;
    // In print too: a web link whose text is not its address is followed by the
    // address (" (example.org/a)"), which paper cannot otherwise give.
    bool web_addresses = false;
    // When set, the words and links of the text set are added to it (the article's
    // own text; titles and credits are set without).
    doc::Census* census = nullptr;
    // The book's pictures by path. A picture in running text is set as a box the
    // height of the type, in the line; without this, or without its picture, its
    // alt text is set in its place.
    std::function<const doc::Resource*(const std::string&)> picture;
};

// The height of a picture in running text, in units of the text's size: about the
// height of a capital with its accent, as an icon among letters.
constexpr double kInlinePictureHeight = 1.0;

// The resolution of `picture` placed at width x height points: its pixels to the
// inch, the fewer across or down (0 for a vector picture).
double placed_ppi(const doc::Resource& picture, double width, double height);

std::vector<Line> set_paragraph(const doc::Inlines& inlines, const ParagraphOptions& options, FontContext& context);

// The widths CSS calls min-content and max-content, as `options` would set the text:
// the widest piece no line break divides (a word, or a part of one up to a hyphen,
// the hyphen included), and the widest line set without wrapping (only hard line
// breaks break it). With break_wide_words, pieces are cut as they would be in a
// line of options.width. Both 0 for no text.
struct ContentWidths {
    double min = 0, max = 0;
};
ContentWidths content_widths(const doc::Inlines& inlines, const ParagraphOptions& options, FontContext& context);

// Plain text set line by line without justification (code blocks): every line of
// `text` is kept; lines longer than the width wrap with a continuation mark.
std::vector<Line> set_code(const std::string& text, const ParagraphOptions& options, FontContext& context);

}  // namespace folio::layout
