// The setter: a book's blocks into a flow of lines. Articles are set each by a
// setter of its own (in parallel); the front matter, the contents, chapter openers
// and the credits page by one that also gathers every article's notes.
// set_matter.cpp holds the generated pages, an article's head and its credit;
// set_blocks.cpp the blocks of an article's body.
#pragma once

#include "doc/census.hpp"
#include "doc/model.hpp"
#include "layout/flow.hpp"
#include "layout/paragraph.hpp"
#include "layout/style.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace folio::layout {

class Setter {
public:
    Setter(const doc::Book& book, const PrintStyle& style, FontContext& ctx) : m_book(book), m_style(style), m_ctx(ctx) {}

    // Page labels of destinations, from the previous pass ("" on the first).
    std::map<std::string, std::string> page_of;
    bool uses_page_numbers = false;  // something set so far printed a page from page_of
    doc::Census census;              // what this setter set of its article's own content
    bool counting = false;           // count it (for --stats): words are counted letter by letter
    std::map<std::string, Footnote> footnotes;  // by anchor "a03-fn1"
    // The structure (pages.hpp's Element): the document's root, under which the
    // generated pages and the articles of untitled chapters go, and the Part of the
    // chapter whose opener or articles this setter sets (null: none).
    ElementRef root;
    ElementRef part;

    Flow front_matter();

    void contents(Flow& f);

    Flow chapter_opener(const doc::Chapter& c);

    // An article's flow is independent of every other's: set in parallel.
    Flow article(const doc::Article& a, const std::string& chapter_title);

    Flow credits_page();

    // The article's Markdown file as its warnings name it (ParagraphOptions::where).
    std::string source_file(const doc::Article& a) const;

private:
    // A picture of a paragraph of pictures, and the link around it, if any.
    struct RowPicture {
        const doc::Image* image;
        const doc::Resource* resource;
        std::string uri, destination;
    };

    ParagraphOptions base_options(const std::string& lang, const doc::Article& a);

    std::vector<Line> center(const std::string& s, Face face, double size);

    void heading_line(Flow& f, const std::string& s, double size, const std::string& anchor);

    void contents_entry(Flow& f, const std::string& title, const std::string& dest, Face face, double indent,
                        const std::string& lang);

    void new_page(Flow& f, bool recto, bool opener, bool front, bool display = false);

    void skip(Flow& f, double amount);

    // Space at the top of a display page (half-title, title, chapter opener,
    // copyright), which a page break does not take away as it does other skips.
    void sink(Flow& f, double amount);

    // Display type (titles) balanced over its lines: set again in the narrowest
    // measure that keeps the number of lines, as a designer breaks a title, instead
    // of a full first line and a short last one. Never hyphenated.
    std::vector<Line> display(const doc::Inlines& text, ParagraphOptions o);

    void line(Flow& f, Line l);

    // A paragraph's lines, with keeps: no orphan (first line alone at a page's foot),
    // no widow (last line alone at a page's head); `whole` keeps every line together.
    void lines(Flow& f, std::vector<Line> ls, bool whole = false, bool justified = false);

    void blocks(Flow& f, const doc::Blocks& list, ParagraphOptions o, int depth);

    void block(Flow& f, const doc::Block& b, ParagraphOptions o, int depth);

    // A figure's content, then its caption centred beneath in a smaller italic,
    // on the same page as what it describes.
    void figure(Flow& f, const doc::Figure& fig, const ParagraphOptions& o, int depth);

    // Quotes and lists indent while half the text width is left: ten levels of
    // quotes would otherwise leave a measure of less than nothing (the Markdown stage
    // allows 32), and no line could be set in it.
    bool may_indent(const ParagraphOptions& o, double by) const;

    void list(Flow& f, const doc::List& l, ParagraphOptions o, int depth);

    // A table, its columns as wide as their content asks (CSS's automatic table
    // layout): each its widest line when they all fit the measure; else at least its
    // widest unbreakable piece, the room left shared in proportion to what each
    // lacks of its widest line. When even that is too wide, the table is set in a
    // smaller type, then with long words cut, then turned on pages of its own, and
    // last in groups of columns. Cells wrap and hyphenate; nothing overprints.
    void table(Flow& f, const doc::Table& t, const ParagraphOptions& o);

    struct TableFit {
        double size = 0;           // of the type
        bool break_words = false;  // words wider than their column are cut
        std::vector<double> widths;
        double gap = 0;            // between columns
        double width() const;      // of the whole table
    };

    // The widths of `columns` of `t` fitted to `measure`, trying each size in turn;
    // nullopt when no size fits.
    std::optional<TableFit> fit_table(const doc::Table& t, const std::vector<std::size_t>& columns,
                                      const ParagraphOptions& o, double measure) const;

    // One row of `columns` set into lines, a cell's lines side by side.
    // Each cell is tagged a `cell` ("TH", "TD") of `row` (null: untagged).
    std::vector<Line> table_row(const doc::Table& t, const std::vector<doc::Inlines>& cells,
                                const std::vector<std::size_t>& columns, const TableFit& fit, Face face,
                                const ParagraphOptions& o, const ElementRef& row = {}, const char* cell = "TD");

    // The head of a table: its top rule, the header row and the rule under it.
    // Its header cells are tagged THead > TR > TH of `table` (null: untagged).
    std::vector<Line> table_head(const doc::Table& t, const std::vector<std::size_t>& columns, const TableFit& fit,
                                 const ParagraphOptions& o, const ElementRef& table = {});

    // A table set across pages of their own, turned, in groups of columns when even
    // the turned page is too narrow for all of them.
    void turned_table(Flow& f, const doc::Table& t, const ParagraphOptions& o);

    // Collects the pictures of `list` into `out`; false when it holds anything but
    // pictures, white space, line breaks and links around pictures, or a picture the
    // book has no file for (its alt text is then set as text).
    bool only_pictures(const doc::Inlines& list, const ParagraphOptions& o, const std::string& uri,
                       const std::string& destination, std::vector<RowPicture>& out) const;

    // The height a picture takes set alone: at the style's image_ppi, or at the
    // higher resolution its file states; an SVG at its own size (96 CSS pixels to the
    // inch). No wider than the measure, no narrower than min_image_width (a small
    // picture then prints below that resolution, and the preflight says so), no
    // taller than 45 % of the page's text.
    double block_height(const doc::Resource& r, const ParagraphOptions& o) const;

    // A paragraph of pictures: one picture is a block, centred; several are a row,
    // scaled to one height so that the row fills at most the measure and none is
    // taller than it would be alone. When fitting the row to the measure would make
    // them narrower than a quarter of it each (four or more large pictures), or one
    // of them narrower than an eighth, they are stacked, each a block of its own.
    void picture_block(Flow& f, const std::vector<RowPicture>& pictures, const ParagraphOptions& o);

    void set_footnote(const doc::Article& a, int n);

    // A new element of `type` in the one being set, in the text's language.
    ElementRef element(std::string type, const std::string& lang) const { return make_element(std::move(type), m_within, lang); }

    // Tags what `ls` shows that is not tagged yet as `e`'s: its text, and its links;
    // a picture in the text becomes a Figure of its own in `e`, with its alt text. A
    // word hyphenated over two lines is marked to be read whole.
    static void tag(std::vector<Line>& ls, const ElementRef& e);
    static std::vector<Line> tagged(std::vector<Line> ls, const ElementRef& e) {
        tag(ls, e);
        return ls;
    }

    // Sets m_within for a scope, restoring it after.
    struct Within {
        Setter& s;
        ElementRef saved;
        Within(Setter& setter, ElementRef e) : s(setter), saved(std::move(setter.m_within)) { s.m_within = std::move(e); }
        Within(const Within&) = delete;
        Within& operator=(const Within&) = delete;
        ~Within() { s.m_within = std::move(saved); }
    };

    void credit(Flow& f, const doc::Article& a);

    static double aspect(const doc::Resource& r) { return static_cast<double>(r.width) / r.height; }

    const doc::Book& m_book;
    const PrintStyle& m_style;
    FontContext& m_ctx;
    bool m_after_heading = true;
    ElementRef m_within;  // the element what is set goes in
    int m_level = 1;      // the level of the last heading set (an article's title is H2)
};

}  // namespace folio::layout
