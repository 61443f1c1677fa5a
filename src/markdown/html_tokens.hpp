// A small HTML tokenizer for the raw HTML that cmark hands over (inline HTML nodes
// and HTML blocks), read under `html: keep` (the default).
//
// Why hand-written, and not a kept HTML5 parser. Debian 12's `libgumbo-dev` was
// weighed (part 5) and left out:
//   - it is not maintained where Debian takes it from: Debian ships 0.10.1 (2016),
//     and Google archived the project in February 2023; the fork that carries it on
//     (0.12.x) is not what Debian 12 packages;
//   - it does give source positions (line, column and byte offset on every element,
//     text and attribute), so it would not cost folio its located warnings;
//   - but it builds one tree per call, and cmark hands raw HTML over in pieces
//     interleaved with Markdown: "<div>" in one HTML block, Markdown paragraphs,
//     "</div>" in another; "<b>" as one inline node, a text node, "</b>" as another.
//     Each piece parsed alone closes every element at its end and drops stray end
//     tags, so the tree-building rules that make gumbo worth having (the adoption
//     agency, foster parenting, implied tables) cannot see across the pieces, and
//     folio would still need the builders in raw_html.cpp that do;
//   - it sets no bound on depth (its destructor recurses once per level), and its
//     errors and recovery are not ours to report with a hint.
// What folio needs is a token stream with byte offsets: this file, ~300 lines,
// fuzzed (tests/fuzz) and linear; what it keeps is mapped onto the document model
// by raw_html.cpp, never written out as bytes. libxml2's HTML parser was ruled out
// earlier for the same reasons and for following HTML 4.
//
// Close to the WHATWG tokenizer (HTML Living Standard §13.2.5) where it matters
// for safety, simplified elsewhere:
//   - tag and attribute names are lowercased; attribute values and text have their
//     character references decoded (the named basics and every numeric form);
//   - the content of script, style, iframe, noscript, noembed, noframes, xmp,
//     textarea and title is raw text, up to the matching end tag: a "<b>" in a
//     script is not a tag (but "<iframe … />" is read as closed);
//   - comments, <!DOCTYPE …>, other declarations, <![CDATA[…]]> and processing
//     instructions give no token;
//   - a tag the input ends inside gives no token (as in HTML); a '<' that cannot
//     start a tag is text;
//   - a whole <svg> element, from its start tag to the matching end tag (nested
//     <svg> counted), is one Svg token whose `text` is its exact markup, for the
//     book loader to make a picture of; an <svg> never closed stays a start tag.
// One pass, no backtracking: every byte is looked at a bounded number of times.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace folio::markdown::html {

struct Attribute {
    std::string name;   // lowercase
    std::string value;  // character references decoded; empty for a bare attribute
};

enum class TokenKind { Text, StartTag, EndTag, Svg };

struct Token {
    TokenKind kind = TokenKind::Text;
    std::string name;                   // tags: the element's name, lowercase
    std::string text;                   // Text: the characters, references decoded; Svg: the markup as written
    std::vector<Attribute> attributes;  // StartTag, Svg (its start tag's): in source order, duplicates kept
    bool self_closing = false;          // StartTag written <x … />
    std::size_t offset = 0;             // where the token starts in the input, in bytes
    std::size_t end = 0;                // one past its last byte

    // The first attribute named `name` (HTML ignores later duplicates), or nullptr.
    const Attribute* attribute(std::string_view name) const;
};

std::vector<Token> tokenize(std::string_view html);

// Decodes character references: &amp; &lt; &gt; &quot; &apos; &nbsp; and a few
// dozen other common names (with their ';'), and &#NN; / &#xHH; (';' optional).
// Unknown names stay as written; a number that is no character (0, a surrogate,
// past U+10FFFF) becomes U+FFFD.
std::string decode_entities(std::string_view s);

// The text of the first <title> in an svg's markup, references decoded, white
// space collapsed; "" when it has none.
std::string svg_title(std::string_view markup);

// Elements whose content is raw text in HTML (see above).
bool is_raw_text_element(std::string_view name);

}  // namespace folio::markdown::html
