// Fuzz target (d): what the cache reads back from disk, which anyone could have
// written. The input is read as a paragraph file, a shelves' index, a paragraph's
// record, an article's record and an article's parsed body as they are; then,
// since random bytes seldom get past a file's checksum or a record's first count,
// as changes to a whole record of a real paragraph, of an article made of it and
// of a parsed article (each input byte XORed in where the input says, the record
// cut where it says). A record is either refused or within its bounds, and a body
// read back writes as the bytes it was read from; a crash, a sanitizer report or a
// record read back out of bounds is a bug.
#include "cache/paragraphs.hpp"
#include "config/reader.hpp"
#include "core/diagnostics.hpp"
#include "doc/fingerprint.hpp"
#include "layout/paragraph.hpp"
#include "layout/set_record.hpp"
#include "markdown/parse_markdown.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

namespace {

using namespace folio;

// A paragraph with links, a note's call, a span in Serbian, one in Hebrew, code and
// a picture, set once, and its record.
struct Fixture {
    layout::PrintStyle style;
    std::unique_ptr<layout::FontContext> ctx;
    doc::Resource picture;
    doc::Inlines inlines;
    std::vector<const std::string*> sources;
    std::vector<std::string> pictures{"icon.png"};
    std::string record;

    Fixture() {
        std::ifstream in(FOLIO_SOURCE_DIR "/styles/default/print.yaml");
        std::stringstream yaml;
        yaml << in.rdbuf();
        Diagnostics d;
        style = layout::parse_print_style(yaml.str(), "print.yaml", d);
        ctx = std::make_unique<layout::FontContext>(style);
        picture.path = "icon.png";
        picture.width = picture.height = 64;
        const auto text = [](std::string s) { return doc::Inline{doc::Text{std::move(s)}}; };
        inlines = {text("Type is set line by line: "),
                   {doc::Link{"https://example.org/", "", {text("the composing stick")}, std::nullopt, 1, 1}},
                   text(" holds them"),
                   {doc::NoteRef{1}},
                   text(", in Serbian "),
                   {doc::Span{"sr-Cyrl", {text("слог")}}},
                   text(", in Hebrew "),
                   {doc::Span{"he", {text("סדר דפוס")}}},
                   text(", in code "),
                   {doc::Code{"justify()"}},
                   text(" and beside a picture "),
                   {doc::Image{"icon.png", "an icon", "", 1, 1}},
                   text(" until the measure is full and the line is justified by hand.")};
        collect(inlines);
        layout::ParagraphOptions o;
        o.width = 150;
        o.lang = "en";
        o.note_prefix = "a01";
        o.picture = [this](const std::string& p) { return p == picture.path ? &picture : nullptr; };
        layout::SetRecord r;
        r.lines = layout::set_paragraph(inlines, o, *ctx);
        r.words = 30;
        r.warnings.push_back({"key", "message", "hint"});
        record = layout::write_record(r, sources).value();
        // An article of it: a page start, the lines, a row of the picture, a table
        // head shared by two items, a turned page and a note, under an outer element.
        layout::ArticleRecord a;
        layout::FlowItem start;
        start.kind = layout::FlowItem::Kind::NewPage;
        start.page = std::make_unique<layout::PageStart>();
        start.page->article_title = "Type";
        start.anchors.push_back("a01");
        a.flow.push_back(std::move(start));
        auto head = std::make_shared<const std::vector<layout::Line>>(r.lines);
        for (layout::Line& l : r.lines) {
            layout::FlowItem item;
            item.line = l;
            item.table_head = head;
            a.flow.push_back(std::move(item));
        }
        layout::FlowItem row;
        row.kind = layout::FlowItem::Kind::Image;
        row.row = std::make_unique<layout::PictureRow>();
        row.row->images.push_back({"icon.png", 0, 0, 64, 64, 72, {"a.md", 1, 1}, "an icon", nullptr});
        a.flow.push_back(std::move(row));
        layout::FlowItem turned;
        turned.kind = layout::FlowItem::Kind::Turned;
        turned.turned = std::make_unique<layout::TurnedPages>();
        turned.turned->pages.push_back(r.lines);
        a.flow.push_back(std::move(turned));
        a.notes["a01-fn1"] = {r.lines, "a01-fn1"};
        a.warnings.push_back({"key", {"a.md", 2, 3}, "message", "hint"});
        article = layout::write_article_record(a.flow, a.notes, a.census, a.warnings, sources, outer).value();
    }
    // `lasting`: the bytes outlive what is read (checked before they go), so glyphs
    // are read as views of them, as from a mapped cache file.
    layout::ArticleBounds article_bounds(bool lasting = false) const {
        return {
            sources, ctx->fonts.get(),
            [this](const std::string& p) { return std::find(pictures.begin(), pictures.end(), p) != pictures.end(); },
            outer, lasting};
    }
    std::string article;
    // A parsed article with most kinds of block and inline, as the cache keeps it.
    std::string body = [] {
        Diagnostics d;
        const markdown::Parsed p = markdown::parse_markdown(
            "# Heading\n\nText *em* **strong** ~~gone~~ `code` [link](https://example.org \"t\") "
            "![alt](p.png) H<sub>2</sub>O x<sup>2</sup> <span lang=\"sr\">реч</span>[^1]\n\n"
            "> quoted\n\n1. one\n2. two\n\n- [ ] task\n\n---\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n"
            "```yaml\nk: v\n```\n\n<figure><img src=\"q.png\" alt=\"q\"><figcaption>Cap</figcaption></figure>\n\n"
            "[^1]: A note.\n",
            "a.md", 1, d);
        std::string out;
        KeyBytes k{out};
        doc::body_material(k, p.body, p.notes);
        return out;
    }();
    const layout::ElementRef outer[2] = {layout::make_element("Document", nullptr, "en"), nullptr};
    layout::RecordBounds bounds(bool lasting = false) const { return {sources, ctx->fonts.get(), pictures, lasting}; }

    // The texts lines may begin in, in the order the paragraph holds them.
    void collect(const doc::Inlines& list) {
        for (const doc::Inline& i : list)
            doc::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, doc::Text> || std::is_same_v<T, doc::Code>)
                        sources.push_back(&v.text);
                    else if constexpr (requires { v.content; })
                        collect(v.content);
                },
                i.value);
    }
};

const Fixture& fixture() {
    static const Fixture f;
    return f;
}

// What any record read back must hold to, checked again: what the PDF writer would
// otherwise read past.
void check(const std::optional<layout::SetRecord>& r, const Fixture& f) {
    if (!r) return;
    for (const layout::Line& l : r->lines) {
        for (const layout::GlyphRun& run : l.runs) {
            if (run.font < 0 || static_cast<std::size_t>(run.font) >= f.ctx->fonts->size()) __builtin_trap();
            std::size_t text = 0;
            for (const layout::PlacedGlyph& g : run.glyphs) {
                if (g.gid >= (*f.ctx->fonts)[run.font].glyph_count()) __builtin_trap();
                text += g.text_length;
            }
            if (text > run.text.size()) __builtin_trap();
        }
        for (const layout::PlacedImage& im : l.images)
            if (std::find(f.pictures.begin(), f.pictures.end(), im.resource) == f.pictures.end()) __builtin_trap();
        if (l.first_word.text) {
            if (std::find(f.sources.begin(), f.sources.end(), l.first_word.text) == f.sources.end()) __builtin_trap();
            if (l.first_word.offset > l.first_word.text->size()) __builtin_trap();
        }
    }
}

void check(const std::optional<layout::ArticleRecord>& r, const Fixture& f) {
    if (!r) return;
    const auto lines = [&](const std::vector<layout::Line>& list) {
        layout::SetRecord as_paragraph;
        as_paragraph.lines = list;
        check(as_paragraph, f);
    };
    for (const layout::FlowItem& it : r->flow) {
        lines({it.line});
        if (it.table_head) lines(*it.table_head);
        if (it.turned)
            for (const auto& page : it.turned->pages) lines(page);
        if (it.row)
            for (const layout::PlacedImage& im : it.row->images)
                if (std::find(f.pictures.begin(), f.pictures.end(), im.resource) == f.pictures.end()) __builtin_trap();
    }
    for (const auto& [name, note] : r->notes) lines(note.lines);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Fixture& f = fixture();
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (const auto records = cache::read_paragraph_file(in))
        for (const auto& [key, record] : *records) check(layout::read_record(record, f.bounds(/*lasting=*/true)), f);
    check(layout::read_record(in, f.bounds()), f);
    // An index read is one that writes again as the same places.
    if (const auto places = cache::read_shelf_index(in)) {
        const auto again = cache::read_shelf_index(cache::write_shelf_index(*places));
        if (!again || again->size() != places->size()) __builtin_trap();
    }

    std::string changed = f.record;
    if (size > 0) changed.resize(changed.size() - std::min<std::size_t>(data[0], changed.size()));
    for (std::size_t i = 1; i + 1 < size && !changed.empty(); i += 2)
        changed[(static_cast<std::size_t>(data[i]) * 131 + i * 7919) % changed.size()] ^=
            static_cast<char>(data[i + 1]);
    check(layout::read_record(changed, f.bounds(/*lasting=*/true)), f);

    check(layout::read_article_record(in, f.article_bounds()), f);
    std::string article = f.article;
    if (size > 0) article.resize(article.size() - std::min<std::size_t>(data[0], article.size()));
    for (std::size_t i = 1; i + 1 < size && !article.empty(); i += 2)
        article[(static_cast<std::size_t>(data[i]) * 257 + i * 7919) % article.size()] ^=
            static_cast<char>(data[i + 1]);
    check(layout::read_article_record(article, f.article_bounds(/*lasting=*/true)), f);

    std::string body = f.body;
    if (size > 0) body.resize(body.size() - std::min<std::size_t>(data[0], body.size()));
    for (std::size_t i = 1; i + 1 < size && !body.empty(); i += 2)
        body[(static_cast<std::size_t>(data[i]) * 263 + i * 7919) % body.size()] ^= static_cast<char>(data[i + 1]);
    for (const std::string_view bytes : {in, std::string_view(body)}) {
        doc::Blocks blocks;
        std::vector<doc::Footnote> notes;
        if (!doc::read_body_material(bytes, blocks, notes)) continue;
        std::string again;
        KeyBytes k{again};
        doc::body_material(k, blocks, notes);
        if (again != bytes) __builtin_trap();  // read back as other than it was written
    }
    return 0;
}
