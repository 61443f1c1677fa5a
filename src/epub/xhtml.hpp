// XHTML content documents built with tinyxml2 (never by string concatenation), and
// the renderer from doc blocks to XHTML elements.
#pragma once

#include "doc/census.hpp"
#include "doc/model.hpp"

#include <tinyxml2.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace folio::epub {

// Where things live inside the package, as seen from a content document in text/.
struct Locator {
    std::map<std::string, std::string> article_file;  // article id -> "a03.xhtml"
    std::map<std::string, std::string> image_href;    // resource path -> "../images/x.png"

    std::string href(const doc::InternalTarget& target) const;
};

// One XHTML document: <html xml:lang lang> with <head><title> and the stylesheet.
class XhtmlDocument {
public:
    XhtmlDocument(std::string_view title, std::string_view lang, std::string_view body_type);
    XhtmlDocument(const XhtmlDocument&) = delete;
    XhtmlDocument& operator=(const XhtmlDocument&) = delete;

    tinyxml2::XMLElement* body() { return m_body; }

    // A new child element, followed by a newline so the file reads well (block-level
    // elements only: inside text, white space would change the text).
    tinyxml2::XMLElement* block(tinyxml2::XMLElement* parent, const char* name);
    tinyxml2::XMLElement* inline_child(tinyxml2::XMLElement* parent, const char* name);
    void text(tinyxml2::XMLElement* parent, std::string_view text);

    std::string str() const;

    tinyxml2::XMLDocument& xml() { return m_doc; }

private:
    tinyxml2::XMLDocument m_doc;
    tinyxml2::XMLElement* m_body = nullptr;
};

// What an article's page holds, read back from the XHTML written for it (`section`:
// its body and notes, without its title and byline): <img>, <table>, <pre>, notes,
// links, and the words of its text as a reader sees them (a note's call and number
// are no words).
doc::Census census_of(const tinyxml2::XMLElement* section);

// Sets lang and xml:lang together: EPUB requires them to agree.
void set_lang(tinyxml2::XMLElement* element, std::string_view lang);  // and dir="rtl" for a right-to-left language
// A paragraph or heading with no language of its own and no direction from it or
// around it, whose text (outside spans with a direction) holds right-to-left
// letters, gets dir="auto": its direction from its first strong character, as the
// typesetter sets it (UAX #9 P2, P3).
void mark_direction(tinyxml2::XMLElement* block);

// Where the print edition's pages begin in the text of the book's articles: by the
// address of a doc text (doc::TextPosition::text), each page's byte offset in it
// and its label, by ascending offset.
using PageMarks = std::map<const std::string*, std::vector<std::pair<std::uint32_t, std::string>>>;

// The marker of the print page `label` begins (EPUB 3.3 §D.4.3, DPUB-ARIA
// doc-pagebreak): an empty span, its id page_id(label), named by its label.
void page_break(XhtmlDocument& doc, tinyxml2::XMLElement* parent, std::string_view label);
std::string page_id(std::string_view label);  // "page-12", "page-iii"
// The same marker as the text it prints as, to put in a page already written.
std::string page_break_markup(std::string_view label);

// A stand-in for markers not known yet (epub::PackageAhead): a comment naming the
// place, `place`, that the written page's text replaces by the markers of the
// pages that begin there, or by nothing. Its opening holds a control character,
// which no text folio writes holds (text::xml_safe), so none is taken for another.
inline constexpr std::string_view kPlaceholderOpen = "<!--\x01";
inline constexpr std::string_view kPlaceholderClose = "-->";
void page_break_placeholder(XhtmlDocument& doc, tinyxml2::XMLElement* parent, std::string_view place);

// Renders doc content into a document. `prefix` (the article id) namespaces the
// footnote ids, so that two articles can both have a note 1.
class Renderer {
public:
    Renderer(XhtmlDocument& doc, const Locator& locator, std::string prefix);

    void blocks(tinyxml2::XMLElement* parent, const doc::Blocks& blocks);
    void inlines(tinyxml2::XMLElement* parent, const doc::Inlines& inlines);
    // `label` names the section for assistive technology (the book's label `notes`).
    void footnotes(tinyxml2::XMLElement* parent, const std::vector<doc::Footnote>& notes, std::string_view label);

    std::string note_id(int n) const { return m_prefix + "-fn" + std::to_string(n); }

    // The text rendered from now on gets a page_break() before each word marked
    // here (not owned; null: none), or, with `placeholders`, a
    // page_break_placeholder() naming the place by the mark's label.
    void set_page_marks(const PageMarks* marks, bool placeholders = false) {
        m_marks = marks;
        m_placeholders = placeholders;
    }

private:
    void block(tinyxml2::XMLElement* parent, const doc::Block& block);
    void list(tinyxml2::XMLElement* parent, const doc::List& list);
    void table(tinyxml2::XMLElement* parent, const doc::Table& table);
    void image(tinyxml2::XMLElement* parent, const doc::Image& image);
    void figure(tinyxml2::XMLElement* parent, const doc::Figure& figure);
    // `shown` (the text of `source`, or its start) with the page breaks marked in `source`.
    void text(tinyxml2::XMLElement* parent, const std::string& source, std::string_view shown);

    XhtmlDocument& m_doc;
    const Locator& m_locator;
    std::string m_prefix;
    std::map<int, int> m_ref_count;  // note number -> calls so far
    const PageMarks* m_marks = nullptr;
    bool m_placeholders = false;
};

}  // namespace folio::epub
