// A paragraph's setting as a ParagraphMemo keeps it between builds: its lines, the
// words it counted and the warnings it gave, written to bytes and read back exactly
// (each number as its bits), so that a recalled paragraph prints byte for byte as
// it did when it was set.
#pragma once

#include "core/error.hpp"
#include "layout/flow.hpp"
#include "layout/fonts.hpp"
#include "layout/paragraph.hpp"

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace folio::layout {

// A warning as set_paragraph gave it to FontContext::warn_once, which says each
// once per book: a recalled paragraph gives it again, and the book still says it
// once. (At the paragraph's place now: its warnings name where it is.)
struct GivenWarning {
    std::string key;
    std::string message, hint;
};

struct SetRecord {
    std::vector<Line> lines;
    long words = 0;  // what the paragraph added to its census (0 when it had none)
    std::vector<GivenWarning> warnings;
};

// `sources` are the doc texts the paragraph was set from, in order: a line's
// first_word is written as an index into them and read back as the text at that
// index in the paragraph being set now. Nullopt if a line begins in a text that is
// not one of them (it could not be found again).
std::optional<std::string> write_record(const SetRecord& record, std::span<const std::string* const> sources);

// What a record must agree with to be used: a record is read from a file anyone
// could have written, and nothing out of these bounds reaches the pages.
struct RecordBounds {
    std::span<const std::string* const> sources;
    const FontSet* fonts = nullptr;         // every glyph is one of its font's
    std::span<const std::string> pictures;  // the paths of the pictures the paragraph shows
    bool lasting = false;                   // the bytes outlive the lines read: their glyphs may be views of them
};

// The record, or nullopt when the bytes are not one whole record within `bounds`.
std::optional<SetRecord> read_record(std::string_view bytes, const RecordBounds& bounds);

// An article's setting as the memo keeps it whole (layout/typeset.cpp): its flow,
// its notes, what it counted and the warnings it gave, each at its place, so that
// an article unchanged since the build before is read back instead of set, each
// of its paragraphs recalled or not.
struct ArticleRecord {
    Flow flow;
    std::map<std::string, Footnote> notes;  // by anchor
    doc::Census census;
    std::vector<GivenWarningAt> warnings;
};

// `sources`: the article's texts, in the order doc::article_material gives them; a
// line that begins in another text (a title, a credit: set from text made for
// the occasion, gone since) is written as beginning in none, as the page list
// reads it. `outer`: the elements the article's are placed under, made by whoever
// sets around it (the document's root, its chapter's Part), written by their place.
std::optional<std::string> write_article_record(const Flow& flow, const std::map<std::string, Footnote>& notes,
                                                const doc::Census& census,
                                                std::span<const GivenWarningAt> warnings,
                                                std::span<const std::string* const> sources,
                                                std::span<const ElementRef> outer);

struct ArticleBounds {
    std::span<const std::string* const> sources;
    const FontSet* fonts = nullptr;
    std::function<bool(const std::string&)> shown;  // whether a picture is the book's
    std::span<const ElementRef> outer;              // given in the places `outer` had when written
    bool lasting = false;                           // the bytes outlive the flow read: its glyphs may be views of them
};

// The record, or nullopt when the bytes are not one whole record within `bounds`.
std::optional<ArticleRecord> read_article_record(std::string_view bytes, const ArticleBounds& bounds);

}  // namespace folio::layout
