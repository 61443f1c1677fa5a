// A small HTML tokenizer for the raw HTML that cmark hands over (inline HTML nodes
// and HTML blocks) in books that opt into it (`html: keep`).
//
// Why hand-written: nothing folio already links reads an HTML fragment into
// something we can map. libxml2's HTML parser would be a new dependency, follows
// HTML 4 rather than the tokenizer rules of the browsers the articles were written
// for, builds a whole document around the fragment, and reports lines but no
// columns. folio needs only a token stream: what it keeps is mapped onto the
// document model by raw_html.cpp, never written out as bytes.
//
// Close to the WHATWG tokenizer (HTML Living Standard §13.2.5) where it matters
// for safety, simplified elsewhere:
//   - tag and attribute names are lowercased; attribute values and text have their
//     character references decoded (the named basics and every numeric form);
//   - the content of script, style, iframe, noscript, noembed, noframes, xmp,
//     textarea and title is raw text, up to the matching end tag: a "<b>" in a
//     script is not a tag;
//   - comments, <!DOCTYPE …>, other declarations, <![CDATA[…]]> and processing
//     instructions give no token;
//   - a tag the input ends inside gives no token (as in HTML); a '<' that cannot
//     start a tag is text.
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

enum class TokenKind { Text, StartTag, EndTag };

struct Token {
    TokenKind kind = TokenKind::Text;
    std::string name;                   // tags: the element's name, lowercase
    std::string text;                   // Text: the characters, references decoded
    std::vector<Attribute> attributes;  // StartTag: in source order, duplicates kept
    bool self_closing = false;          // StartTag written <x … />
    std::size_t offset = 0;             // where the token starts in the input, in bytes

    // The first attribute named `name` (HTML ignores later duplicates), or nullptr.
    const Attribute* attribute(std::string_view name) const;
};

std::vector<Token> tokenize(std::string_view html);

// Decodes character references: &amp; &lt; &gt; &quot; &apos; &nbsp; and a few
// dozen other common names (with their ';'), and &#NN; / &#xHH; (';' optional).
// Unknown names stay as written; a number that is no character (0, a surrogate,
// past U+10FFFF) becomes U+FFFD.
std::string decode_entities(std::string_view s);

// Elements whose content is raw text in HTML (see above).
bool is_raw_text_element(std::string_view name);

}  // namespace folio::markdown::html
