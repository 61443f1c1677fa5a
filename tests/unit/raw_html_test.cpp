// Raw HTML under `html: keep`: the tokenizer, the mapping onto the document model,
// what hostile HTML becomes, and one book built with the real binary.
#include "markdown/html_tokens.hpp"
#include "markdown/parse_markdown.hpp"
#include "markdown/raw_html.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <tinyxml2.h>

#include <chrono>
#include <functional>
#include <sstream>

namespace folio {
namespace {

// " on…=" anywhere in the text: an event attribute, however the file is laid out.
// (Written out: std::regex sets off a false maybe-uninitialized in GCC 12 under ASan.)
bool has_event_attribute_text(const std::string& lower) {
    for (std::size_t i = lower.find("on"); i != std::string::npos; i = lower.find("on", i + 1)) {
        if (i == 0 || !std::isspace(static_cast<unsigned char>(lower[i - 1]))) continue;
        std::size_t j = i + 2;
        while (j < lower.size() && lower[j] >= 'a' && lower[j] <= 'z') ++j;
        if (j == i + 2) continue;
        while (j < lower.size() && std::isspace(static_cast<unsigned char>(lower[j]))) ++j;
        if (j < lower.size() && lower[j] == '=') return true;
    }
    return false;
}

namespace fs = std::filesystem;
using markdown::html::TokenKind;

markdown::Parsed keep(const std::string& md, Diagnostics& d) {
    return markdown::parse_markdown(md, "a.md", 1, d, {markdown::RawHtml::Keep});
}

// The model as a short string: p[…] for a paragraph, strong[…], link(url)[…] …
void dump(const doc::Inlines& list, std::string& out);
void dump(const doc::Blocks& list, std::string& out) {
    for (const doc::Block& b : list) {
        if (!out.empty() && out.back() != '[') out += ' ';
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, doc::Paragraph>) {
                    out += "p[";
                    dump(v.content, out);
                } else if constexpr (std::is_same_v<T, doc::Heading>) {
                    out += "h" + std::to_string(v.level) + "#" + v.id + "[";
                    dump(v.content, out);
                } else if constexpr (std::is_same_v<T, doc::CodeBlock>) {
                    out += "pre[" + v.text;
                } else if constexpr (std::is_same_v<T, doc::BlockQuote>) {
                    out += "quote[";
                    dump(v.content, out);
                } else if constexpr (std::is_same_v<T, doc::List>) {
                    out += std::string(v.ordered ? "ol" : "ul") + (v.ordered ? "(" + std::to_string(v.start) + ")" : "") +
                           (v.tight ? "" : "loose") + "[";
                    for (const doc::Blocks& item : v.items) {
                        if (out.back() != '[') out += ' ';
                        out += "li[";
                        dump(item, out);
                        out += ']';
                    }
                } else if constexpr (std::is_same_v<T, doc::ThematicBreak>) {
                    out += "hr[";
                } else if constexpr (std::is_same_v<T, doc::Table>) {
                    // table(lcr-)[head[a|b] row[1|2]]: aligns shown when any is set
                    std::string aligns;
                    for (doc::Align a : v.aligns)
                        aligns += a == doc::Align::Left ? 'l' : a == doc::Align::Center ? 'c' : a == doc::Align::Right ? 'r' : '-';
                    out += "table";
                    if (aligns.find_first_not_of('-') != std::string::npos) out += "(" + aligns + ")";
                    out += "[";
                    auto row = [&](const char* name, const std::vector<doc::Inlines>& cells) {
                        if (out.back() != '[') out += ' ';
                        out += name;
                        out += '[';
                        for (std::size_t c = 0; c < cells.size(); ++c) {
                            if (c > 0) out += '|';
                            dump(cells[c], out);
                        }
                        out += ']';
                    };
                    if (!v.header.empty()) row("head", v.header);
                    for (const auto& r : v.rows) row("row", r);
                } else if constexpr (std::is_same_v<T, doc::Figure>) {
                    out += "figure[";
                    dump(v.content, out);
                    if (!v.caption.empty()) {
                        out += " caption[";
                        dump(v.caption, out);
                        out += ']';
                    }
                } else if constexpr (std::is_same_v<T, doc::Div>) {
                    out += "div(" + v.lang + (v.dir.empty() ? "" : "|" + v.dir) + ")[";
                    dump(v.content, out);
                }
            },
            b.value);
        out += ']';
    }
}
void dump(const doc::Inlines& list, std::string& out) {
    for (const doc::Inline& in : list) {
        doc::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                auto wrap = [&](const char* name, const doc::Inlines& content) {
                    out += name;
                    out += '[';
                    dump(content, out);
                    out += ']';
                };
                if constexpr (std::is_same_v<T, doc::Text>)
                    out += v.text;
                else if constexpr (std::is_same_v<T, doc::Emphasis>)
                    wrap("em", v.content);
                else if constexpr (std::is_same_v<T, doc::Strong>)
                    wrap("strong", v.content);
                else if constexpr (std::is_same_v<T, doc::Strikeout>)
                    wrap("del", v.content);
                else if constexpr (std::is_same_v<T, doc::Code>)
                    out += "code[" + v.text + "]";
                else if constexpr (std::is_same_v<T, doc::LineBreak>)
                    out += "br";
                else if constexpr (std::is_same_v<T, doc::Link>)
                    wrap(("link(" + v.url + ")").c_str(), v.content);
                else if constexpr (std::is_same_v<T, doc::Image>) {
                    if (!v.svg)
                        out += "img(" + v.src + "|" + v.alt + ")";
                    else
                        out += "svg(" + v.alt + ")";
                } else if constexpr (std::is_same_v<T, doc::Superscript>)
                    wrap("sup", v.content);
                else if constexpr (std::is_same_v<T, doc::Subscript>)
                    wrap("sub", v.content);
                else if constexpr (std::is_same_v<T, doc::NoteRef>)
                    out += "note" + std::to_string(v.number);
                else if constexpr (std::is_same_v<T, doc::Span>)
                    wrap(("span(" + v.lang + (v.dir.empty() ? "" : "|" + v.dir) + ")").c_str(), v.content);
            },
            in.value);
    }
}
std::string dump(const doc::Blocks& list) {
    std::string out;
    dump(list, out);
    return out;
}

std::string kept(const std::string& md) {
    Diagnostics d;
    return dump(keep(md, d).body);
}

std::string all_warnings(const Diagnostics& d) {
    std::string out;
    for (const Diagnostic& w : d.warnings()) out += w.where.str() + ": " + w.message + "\n";
    return out;
}

// ---- the tokenizer -------------------------------------------------------------------

TEST(RawHtmlTokens, DecodeNamedAndNumericReferences) {
    using markdown::html::decode_entities;
    EXPECT_EQ(decode_entities("&amp;&lt;&gt;&quot;&apos;"), "&<>\"'");
    EXPECT_EQ(decode_entities("a&nbsp;b&mdash;c&hellip;"), "a\u00A0b\u2014c\u2026");
    EXPECT_EQ(decode_entities("&#65;&#x42;&#X43;&#68"), "ABCD");  // ';' optional after a number
    EXPECT_EQ(decode_entities("&#x1F600;"), "\U0001F600");
    EXPECT_EQ(decode_entities("&#0;&#xD800;&#x110000;&#99999999999999;"), "\uFFFD\uFFFD\uFFFD\uFFFD");
    EXPECT_EQ(decode_entities("&unknown; &amp &# &#x; &"), "&unknown; &amp &# &#x; &");
    EXPECT_EQ(decode_entities("java&#x09;script&colon;"), "java\tscript:");
}

TEST(RawHtmlTokens, TagsAttributesAndRawText) {
    const auto t = markdown::html::tokenize(
        "<A HREF='x&amp;y' onClick=go() disabled>t&lt;</a ><script><b>x</b></SCRIPT><br/>");
    ASSERT_EQ(t.size(), 7u);
    EXPECT_EQ(t[0].kind, TokenKind::StartTag);
    EXPECT_EQ(t[0].name, "a");
    ASSERT_EQ(t[0].attributes.size(), 3u);
    EXPECT_EQ(t[0].attributes[0].name, "href");
    EXPECT_EQ(t[0].attributes[0].value, "x&y");
    EXPECT_EQ(t[0].attributes[1].name, "onclick");
    EXPECT_EQ(t[0].attributes[1].value, "go()");
    EXPECT_EQ(t[0].attributes[2].name, "disabled");
    EXPECT_EQ(t[1].text, "t<");
    EXPECT_EQ(t[2].kind, TokenKind::EndTag);
    EXPECT_EQ(t[3].name, "script");
    EXPECT_EQ(t[4].kind, TokenKind::Text);  // no tags inside a script
    EXPECT_EQ(t[4].text, "<b>x</b>");
    EXPECT_EQ(t[5].kind, TokenKind::EndTag);
    EXPECT_EQ(t[5].name, "script");
    EXPECT_TRUE(t[6].self_closing);
    EXPECT_EQ(t[6].offset, std::string("<A HREF='x&amp;y' onClick=go() disabled>t&lt;</a ><script><b>x</b></SCRIPT>").size());
}

TEST(RawHtmlTokens, CommentsDeclarationsCdataAndPisGiveNothing) {
    const auto t = markdown::html::tokenize("a<!-- <b> -->b<!DOCTYPE html>c<![CDATA[ <i>x</i> ]]>d<?php echo 1 ?>e");
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].text, "abcde");
}

TEST(RawHtmlTokens, ATagTheInputEndsInsideGivesNoToken) {
    auto t = markdown::html::tokenize("text <a href=\"x\"");
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].text, "text ");
    t = markdown::html::tokenize("<b title='never closed>x</b>");
    EXPECT_TRUE(t.empty());
    t = markdown::html::tokenize("1 < 2 <= 3 <3 </ x> </>");
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].text, "1 < 2 <= 3 <3  ");
}

TEST(RawHtmlTokens, AWholeSvgIsOneTokenWithItsExactMarkup) {
    const std::string svg = "<SVG viewBox='0 0 1 1'><svg/><svg><title>T</title></svg><!-- </svg> --></svg>";
    const std::string in = "a" + svg + "b<svg>open</svg ><svg>never";
    const auto t = markdown::html::tokenize(in);
    ASSERT_EQ(t.size(), 6u);
    EXPECT_EQ(t[0].text, "a");
    EXPECT_EQ(t[1].kind, TokenKind::Svg);
    EXPECT_EQ(t[1].text, svg);
    EXPECT_EQ(t[1].offset, 1u);
    EXPECT_EQ(t[1].end, 1 + svg.size());
    ASSERT_NE(t[1].attribute("viewbox"), nullptr);
    EXPECT_EQ(t[2].text, "b");
    EXPECT_EQ(t[3].kind, TokenKind::Svg);
    EXPECT_EQ(t[3].text, "<svg>open</svg >");
    EXPECT_EQ(t[4].kind, TokenKind::StartTag);  // never closed: a start tag, for the builders to drop
    EXPECT_EQ(t[5].text, "never");
    EXPECT_EQ(markdown::html::svg_title("<svg><desc>d</desc><title> A &amp;\n B </title><title>2</title></svg>"),
              "A & B");
    EXPECT_EQ(markdown::html::svg_title("<svg><g/></svg>"), "");
}

// Each pattern, repeated to a few megabytes, tokenizes in linear time: a
// quadratic tokenizer takes minutes on these, this one milliseconds.
TEST(RawHtmlTokens, PathologicalInputIsLinear) {
    for (const std::string unit : {"<a ", "<!--", "</", "<a b='", "<script>", "</scrip", "&#x", "&amp", "<![CDATA[",
                                   "<a href=x ", "<<<<", "<b>"}) {
        std::string input;
        if (unit == "</scrip") input = "<script>";
        while (input.size() < (2u << 20)) input += unit;
        const auto start = std::chrono::steady_clock::now();
        const auto tokens = markdown::html::tokenize(input);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        EXPECT_LT(seconds, 5.0) << unit;
        EXPECT_LE(tokens.size(), input.size());
    }
}

// ---- what is kept, and how -----------------------------------------------------------

TEST(RawHtml, InlineElementsMapOntoTheModel) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"em", "em"},        {"i", "em"},         {"cite", "em"},    {"dfn", "em"},  {"var", "em"},
        {"strong", "strong"}, {"b", "strong"},    {"s", "del"},      {"strike", "del"}, {"del", "del"},
        {"code", "code"},    {"kbd", "code"},     {"samp", "code"},  {"tt", "code"},
    };
    for (const auto& [tag, model] : cases)
        EXPECT_EQ(kept("a <" + tag + ">x</" + tag + "> b\n"), "p[a " + model + "[x] b]") << tag;
    EXPECT_EQ(kept("one<br>two<br/>three\n"), "p[onebrtwobrthree]");
    EXPECT_EQ(kept("<code>a <b>b</b> c</code>\n"), "p[code[a b c]]");
    EXPECT_EQ(kept("See <img src=\"images/map.png\" alt=\"a map\" title=\"Map\"> here.\n"),
              "p[See img(images/map.png|a map) here.]");
    // Lazy loading's placeholder gives way to the picture the page showed.
    EXPECT_EQ(kept("<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" data-src=\"images/map.png\" alt=\"a map\">\n"),
              "p[img(images/map.png|a map)]");
    EXPECT_EQ(kept("<img data-lazy-src=\"images/map.png\" alt=\"a map\">\n"), "p[img(images/map.png|a map)]");
    EXPECT_EQ(kept("<img src=\"images/a.png\" data-src=\"images/b.png\" alt=\"x\">\n"), "p[img(images/a.png|x)]");
    EXPECT_EQ(kept("Say <span lang=\"sr-Cyrl\">здраво</span> and <span class=\"x\">plain</span>.\n"),
              "p[Say span(sr-Cyrl)[здраво] and plain.]");
    // A direction is kept, with a language or alone; "auto" (folio's own way) and
    // nonsense are not.
    EXPECT_EQ(kept("<span lang=\"he\" dir=\"RTL\">a</span> <span dir=\"ltr\">b</span> <span dir=\"auto\">c</span> "
                   "<span dir=\"up\">d</span>\n"),
              "p[span(he|rtl)[a] span(|ltr)[b] c d]");
}

TEST(RawHtml, SafeLinksAreKept) {
    EXPECT_EQ(kept("<a href=\"https://example.org/a?b=1&amp;c=2\" title=\"t\">web</a>\n"),
              "p[link(https://example.org/a?b=1&c=2)[web]]");
    EXPECT_EQ(kept("<a href='HTTP://x.org'>x</a> <a href=mailto:a@b.org>mail</a> <a href=\"other.md#top\">rel</a>\n"),
              "p[link(HTTP://x.org)[x] link(mailto:a@b.org)[mail] link(other.md#top)[rel]]");
    EXPECT_EQ(kept("<a name=\"anchor\">no href</a> <a href=\"\">empty</a>\n"), "p[no href empty]");
    // No link inside a link, whichever of Markdown and HTML is outside.
    EXPECT_EQ(kept("[md <a href=\"https://a.org\">raw</a>](https://b.org)\n"), "p[link(https://b.org)[md raw]]");
    EXPECT_EQ(kept("<a href=\"https://a.org\">raw [md](https://b.org)</a>\n"), "p[link(https://a.org)[raw md]]");
}

TEST(RawHtml, BlocksMapOntoTheModel) {
    EXPECT_EQ(kept("<p>One <em>two</em></p>\n<p>Three</p>\n"), "p[One em[two]] p[Three]");
    EXPECT_EQ(kept("<blockquote><p>q1</p>q2</blockquote>\n"), "quote[p[q1] p[q2]]");
    EXPECT_EQ(kept("<ul><li>a<li>b</li></ul>\n"), "ul[li[p[a]] li[p[b]]]");
    EXPECT_EQ(kept("<ol start=\"3\"><li><p>a</p><p>b</p></li></ol>\n"), "ol(3)loose[li[p[a] p[b]]]");
    EXPECT_EQ(kept("<ul><li>a<ul><li>b</li></ul></li></ul>\n"), "ul[li[p[a] ul[li[p[b]]]]]");
    EXPECT_EQ(kept("<h1>Top</h1><h2>Sub <b>bold</b></h2><h6>Six</h6>\n"),
              "h1#top[Top] h2#sub-bold[Sub strong[bold]] h6#six[Six]");
    EXPECT_EQ(kept("<pre>\n  if (a &lt; b)\n    <b>go</b>();</pre>\n"), "pre[  if (a < b)\n    go();\n]");
    EXPECT_EQ(kept("<p>a</p><hr><p>b</p>\n"), "p[a] hr[] p[b]");
    EXPECT_EQ(kept("<div lang=\"sq\"><p>Mirëdita</p></div>\n"), "div(sq)[p[Mirëdita]]");
    EXPECT_EQ(kept("<div dir=\"rtl\"><p>Right</p></div>\n"), "div(|rtl)[p[Right]]");
    EXPECT_EQ(kept("<div class=\"post\">\n<p>in a div</p>\n</div>\n"), "p[in a div]");
    // White space as HTML sees it: runs collapse, paragraphs are trimmed.
    EXPECT_EQ(kept("<p>\n   spaced    out\n   text  </p>\n"), "p[spaced out\ntext]");
}

TEST(RawHtml, ContainersMayHoldMarkdownBetweenBlankLines) {
    EXPECT_EQ(kept("<blockquote>\n\nSome *Markdown*.\n\n</blockquote>\n\nAfter.\n"),
              "quote[p[Some em[Markdown].]] p[After.]");
    EXPECT_EQ(kept("<ul>\n\n*one*\n\n</ul>\n"), "ul[li[p[em[one]]]]");
    EXPECT_EQ(kept("<div lang='sq'>\n\nMirëdita.\n\n</div>\n"), "div(sq)[p[Mirëdita.]]");
}

TEST(RawHtml, UnknownElementsKeepTheirText) {
    EXPECT_EQ(kept("a <u>u</u> <mark>m</mark> <ins>i</ins> <small>s</small> <abbr title=\"x\">HTML</abbr> "
                   "<font color=red>f</font>\n"),
              "p[a u m i s HTML f]");
    EXPECT_EQ(kept("<center>Centred</center>\n"), "p[Centred]");
}

// ---- tables ----------------------------------------------------------------------------

TEST(RawHtmlTables, TheadGivesTheHeaderRow) {
    EXPECT_EQ(kept("<table>\n<thead><tr><th>Name</th><th>Age</th></tr></thead>\n"
                   "<tbody><tr><td>Ann</td><td>31</td></tr><tr><td>Bob</td><td>42</td></tr></tbody>\n</table>\n"),
              "table[head[Name|Age] row[Ann|31] row[Bob|42]]");
    // Only the first row of <thead> is the header; the others stay rows, in order.
    EXPECT_EQ(kept("<table><thead><tr><th>A</th></tr><tr><th>B</th></tr></thead><tr><td>1</td></tr></table>\n"),
              "table[head[A] row[B] row[1]]");
}

TEST(RawHtmlTables, AFirstRowOfThCellsIsTheHeader) {
    EXPECT_EQ(kept("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>\n"),
              "table[head[A|B] row[1|2]]");
    // A row header (th, then td) is no header row; neither is a later row of th.
    EXPECT_EQ(kept("<table><tr><th>Row</th><td>1</td></tr><tr><th>X</th><th>Y</th></tr></table>\n"),
              "table[row[Row|1] row[X|Y]]");
    // WordPress's table block has no <thead>: a first row of bold cells is the header.
    EXPECT_EQ(kept("<figure class=\"wp-block-table\"><table class=\"has-fixed-layout\"><tbody>"
                   "<tr><td><strong>Day</strong></td><td> <b>Tide</b> </td></tr>"
                   "<tr><td>Monday</td><td><strong>High</strong></td></tr></tbody></table></figure>\n"),
              "figure[table[head[Day|Tide] row[Monday|strong[High]]]]");
    EXPECT_EQ(kept("<table><tr><td><b>alone</b></td></tr></table>\n"), "table[row[strong[alone]]]");
    EXPECT_EQ(kept("<table><tr><td><b>A</b></td><td>B</td></tr><tr><td>1</td><td>2</td></tr></table>\n"),
              "table[row[strong[A]|B] row[1|2]]");
    // Unclosed cells and rows close where the next begins, as in HTML.
    EXPECT_EQ(kept("<table><tr><th>A<th>B<tr><td>1<td>2</table>\n"), "table[head[A|B] row[1|2]]");
}

TEST(RawHtmlTables, ColspanAndRowspanAreExpandedSoColumnsStayAligned) {
    EXPECT_EQ(kept("<table>\n"
                   "<tr><td colspan=\"2\">wide</td><td rowspan=\"2\">tall</td></tr>\n"
                   "<tr><td>a</td><td>b</td></tr>\n"
                   "<tr><td rowspan=\"0\">rest</td><td>c</td><td>d</td></tr>\n"
                   "<tr><td>e</td><td>f</td></tr>\n"
                   "</table>\n"),
              "table[row[wide||tall] row[a|b|] row[rest|c|d] row[|e|f]]");
    // A rowspan ends with its row group; one past the last row adds no row.
    EXPECT_EQ(kept("<table><thead><tr><th rowspan=3>H</th><th>I</th></tr></thead>"
                   "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>\n"),
              "table[head[H|I] row[1|2]]");
    // Bad numbers are 1, as in HTML.
    EXPECT_EQ(kept("<table><tr><td colspan=\"x\" rowspan=\"-2\">a</td><td colspan=\"0\">b</td></tr></table>\n"),
              "table[row[a|b]]");
}

TEST(RawHtmlTables, ACaptionMakesTheTableAFigureAndTfootComesLast) {
    EXPECT_EQ(kept("<table><caption>Prices, <em>2024</em></caption>"
                   "<tfoot><tr><td>Total</td><td>3</td></tr></tfoot>"
                   "<tbody><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr></tbody></table>\n"),
              "figure[table[row[A|1] row[B|2] row[Total|3]] caption[Prices, em[2024]]]");
    // WordPress's table block: the figure's caption.
    EXPECT_EQ(kept("<figure class=\"wp-block-table\"><table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"
                   "<figcaption>Table 1: <strong>letters</strong></figcaption></figure>\n"),
              "figure[table[row[a|b]] caption[Table 1: strong[letters]]]");
}

TEST(RawHtmlTables, CellsHoldInlinesWithTheirBlocksOnLinesOfTheirOwn) {
    EXPECT_EQ(kept("<table><tr>"
                   "<td><p>one</p><p>two <b>bold</b></p></td>"
                   "<td>a<br>b</td>"
                   "<td><ul><li>x</li><li>y</li></ul></td>"
                   "<td><ol start=\"3\"><li><p>p</p></li></ol><h3>Head</h3><pre>c1\nc2</pre></td>"
                   "<td><img src=\"images/i.png\" alt=\"icon\"> <a href=\"https://x.org\">x</a></td>"
                   "</tr></table>\n"),
              "table[row[onebrtwo strong[bold]|abrb|\u2022 xbr\u2022 y|3. pbrstrong[Head]brcode[c1]brcode[c2]|"
              "img(images/i.png|icon) link(https://x.org)[x]]]");
    // Markdown between blank lines in a cell, as GitHub's READMEs write it.
    EXPECT_EQ(kept("<table>\n<tr>\n<td>\n\n**bold** cell\n\n- item\n\n</td>\n<td>plain</td>\n</tr>\n</table>\n"),
              "table[row[strong[bold] cellbr\u2022 item|plain]]");
}

TEST(RawHtmlTables, AlignFromTheAttributeTheStyleOrTheColumn) {
    EXPECT_EQ(kept("<table><col><col align=\"center\"><col><tr>"
                   "<td align=\"RIGHT\">1</td><td>2</td><td style=\"color: red; text-align: center\">3</td>"
                   "<td style=\"text-align:left\">4</td></tr></table>\n"),
              "table(rccl)[row[1|2|3|4]]");
    // WordPress's table block writes its own.
    EXPECT_EQ(kept("<table><tr><td class=\"has-text-align-right\" data-align=\"right\">1</td>"
                   "<td class=\"x has-text-align-center y\">2</td></tr></table>\n"),
              "table(rc)[row[1|2]]");
}

TEST(RawHtmlTables, ATableInACellIsItsTextWithAWarning) {
    Diagnostics d;
    auto p = keep("<table><tr><td>outer<table><tr><td>in 1</td><td>in 2</td></tr><tr><td>in 3</td></tr></table>"
                  "</td><td>next</td></tr></table>\n",
                  d);
    EXPECT_EQ(dump(p.body), "table[row[outerbrin 1 | in 2brin 3|next]]");
    EXPECT_EQ(all_warnings(d), "a.md:1:21: a table inside a table cell is set as text in that cell\n");
}

TEST(RawHtmlTables, TextBetweenRowsGoesBeforeTheTable) {
    EXPECT_EQ(kept("<table>stray<tr><td>a</td></tr></table>\n"), "p[stray] table[row[a]]");
    EXPECT_EQ(kept("<td>no table</td>\n"), "p[no table]");
}

// ---- figures, pictures and embeds -------------------------------------------------------

TEST(RawHtmlFigures, FigureAndFigcaptionBecomeAFigure) {
    EXPECT_EQ(kept("<figure class=\"wp-block-image size-large\"><img src=\"images/a.jpg\" alt=\"A harbour\"/>"
                   "<figcaption>Kotor, <em>2019</em></figcaption></figure>\n"),
              "figure[p[img(images/a.jpg|A harbour)] caption[Kotor, em[2019]]]");
    // A linked picture, a caption inside a wrapping div, two pictures.
    EXPECT_EQ(kept("<figure><a href=\"images/big.jpg\"><img src=\"images/a.jpg\" alt=\"a\"></a>"
                   "<div class=\"c\"><figcaption>cap</figcaption></div></figure>\n"),
              "figure[p[link(images/big.jpg)[img(images/a.jpg|a)]] caption[cap]]");
    // Two pictures: one paragraph, which both writers set as a row of pictures.
    EXPECT_EQ(kept("<figure>\n<img src=\"1.png\" alt=\"one\">\n<img src=\"2.png\" alt=\"two\">\n</figure>\n"),
              "figure[p[img(1.png|one)\nimg(2.png|two)]]");
    // Markdown inside, between blank lines; a caption alone; a figcaption outside a figure.
    EXPECT_EQ(kept("<figure>\n\n![m](m.png)\n\n<figcaption>md</figcaption>\n</figure>\n"),
              "figure[p[img(m.png|m)] caption[md]]");
    EXPECT_EQ(kept("<figure><figcaption>only words</figcaption></figure>\n"), "p[only words]");
    EXPECT_EQ(kept("<figcaption>loose</figcaption>\n"), "p[loose]");
}

TEST(RawHtmlFigures, PictureTakesTheFirstSourceFolioReads) {
    EXPECT_EQ(kept("<picture><source srcset=\"a.avif\" type=\"image/avif\">"
                   "<source srcset=\"b.webp 1x, b2.webp 2x\" type=\"image/webp\">"
                   "<img src=\"c.jpg\" alt=\"Pic\"></picture>\n"),
              "p[img(b.webp|Pic)]");
    EXPECT_EQ(kept("<picture><source srcset=\"x.heic\"><source srcset=\" d.PNG?v=2 2x\"><img src=\"c.jpg\" alt=\"P\">"
                   "</picture>\n"),
              "p[img(d.PNG?v=2|P)]");
    EXPECT_EQ(kept("<picture><source srcset=\"a.avif\" type=\"image/avif\"><img src=\"c.jpg\" alt=\"Fallback\">"
                   "</picture>\n"),
              "p[img(c.jpg|Fallback)]");
    EXPECT_EQ(kept("<picture><source srcset=\"f.gif\"></picture>\n"), "p[img(f.gif|)]");
    EXPECT_EQ(kept("<picture><source srcset=\"g.svg\" type=\"image/svg+xml; charset=utf-8\"><img src=\"h.png\" alt=\"g\">"
                   "</picture>\n"),
              "p[img(g.svg|g)]");
}

TEST(RawHtmlFigures, PlayersAndFramesBecomeLinksToTheirAddress) {
    EXPECT_EQ(kept("<iframe width=\"560\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed\" "
                   "title=\"A  talk\" allowfullscreen></iframe>\n"),
              "p[link(https://www.youtube.com/watch?v=dQw4w9WgXcQ)[A talk]]");
    EXPECT_EQ(kept("<iframe src=\"//www.youtube-nocookie.com/embed/abc_DEF-1\"></iframe>\n"),
              "p[link(https://www.youtube.com/watch?v=abc_DEF-1)[Video: youtube.com]]");
    EXPECT_EQ(kept("<iframe src=\"https://player.vimeo.com/video/76979871?h=8272103f6e\"></iframe>\n"),
              "p[link(https://vimeo.com/76979871)[Video: vimeo.com]]");
    EXPECT_EQ(kept("<iframe src=\"https://maps.example.com:8080/embed?pb=1\">no frames</iframe>\n"),
              "p[link(https://maps.example.com:8080/embed?pb=1)[Embedded content: maps.example.com]]");
    EXPECT_EQ(kept("<video controls src=\"https://example.org/clip.mp4\">Your browser cannot play it.</video>\n"),
              "p[link(https://example.org/clip.mp4)[Video: example.org]]");
    EXPECT_EQ(kept("<video controls>\n<source src=\"https://media.example.org/v.webm\" type=\"video/webm\">\n"
                   "<track src=\"t.vtt\">fallback <b>text</b>\n</video>\n"),
              "p[link(https://media.example.org/v.webm)[Video: media.example.org]]");
    EXPECT_EQ(kept("Listen: <audio src=\"https://www.example.org/a.mp3\" title=\"Episode 3\"></audio> now.\n"),
              "p[Listen: link(https://www.example.org/a.mp3)[Episode 3] now.]");
    // Written as if it closed itself: the text after it is kept.
    EXPECT_EQ(kept("<iframe src=\"https://a.org/e\" /> and after\n"), "p[link(https://a.org/e)[Embedded content: a.org] and after]");
    EXPECT_EQ(kept("<div>\n<iframe src=\"https://a.org/e\"/> kept <b>words</b>\n</div>\n"),
              "p[link(https://a.org/e)[Embedded content: a.org] kept strong[words]]");
    // In a link, its words only.
    EXPECT_EQ(kept("<a href=\"https://a.org\">see <video src=\"https://b.org/v.mp4\"></video></a>\n"),
              "p[link(https://a.org)[see Video: b.org]]");
}

TEST(RawHtmlFigures, AnEmbedWithoutAWebAddressIsDroppedWithAWarning) {
    Diagnostics d;
    auto p = keep("<video src=\"clip.mp4\"></video>\n\n<iframe></iframe>\n\n"
                  "<iframe src=\"javascript:alert(1)\"></iframe>\n\nText.\n",
                  d);
    EXPECT_EQ(dump(p.body), "p[Text.]");
    EXPECT_EQ(all_warnings(d), "a.md:1:1: <video> 'clip.mp4' is no web address: it is dropped\n"
                               "a.md:3:1: <iframe> has no address: it is dropped\n"
                               "a.md:5:1: <iframe> 'javascript:alert(1)' is no web address: it is dropped\n");
}

TEST(RawHtmlFigures, WordPressEmbedsLeaveTheirAddressAsALink) {
    EXPECT_EQ(kept("<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube\">"
                   "<div class=\"wp-block-embed__wrapper\">\n"
                   "https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=1\n"
                   "</div><figcaption>A song</figcaption></figure>\n"),
              "figure[p[link(https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1)"
              "[https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1]] caption[A song]]");
    // Between blank lines it is Markdown, and cmark's autolink makes the link.
    EXPECT_EQ(kept("<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\n\n"
                   "https://vimeo.com/1\n\n</div></figure>\n"),
              "figure[p[link(https://vimeo.com/1)[https://vimeo.com/1]]]");
}

// ---- small inline elements and details ---------------------------------------------------

TEST(RawHtmlInline, SupSubKbdQuotesAndTheRest) {
    EXPECT_EQ(kept("E = mc<sup>2</sup>, H<sub>2</sub>O, the 1<sup>st</sup>, <kbd>Ctrl</kbd>+<kbd>C</kbd>, "
                   "<q>quoted <q>inner</q> words</q>.\n"),
              "p[E = mcsup[2], Hsub[2]O, the 1sup[st], code[Ctrl]+code[C], \u201Cquoted \u2018inner\u2019 words\u201D.]");
}

TEST(RawHtmlInline, DetailsAreShownOpenWithTheSummaryInStrongText) {
    EXPECT_EQ(kept("<details><summary>More <em>info</em></summary>\n<p>Hidden text</p>\n</details>\n"),
              "p[strong[More em[info]]] p[Hidden text]");
    EXPECT_EQ(kept("<details>\n<summary>Spoiler</summary>\n\nIt was *the butler*.\n\n</details>\n"),
              "p[strong[Spoiler]] p[It was em[the butler].]");
}

// ---- inline svg ----------------------------------------------------------------------------

const doc::Image& only_image(const markdown::Parsed& p) {
    const auto& para = std::get<doc::Paragraph>(p.body.at(0).value);
    for (const doc::Inline& in : para.content)
        if (const auto* img = doc::get_if<doc::Image>(&in.value)) return *img;
    throw std::runtime_error("no image");
}

TEST(RawHtmlSvg, AnSvgInAnHtmlBlockIsCapturedAsWritten) {
    const std::string svg = "<svg viewBox=\"0 0 10 10\" aria-label=\"a label\">\n"
                            "  <title>A &amp; dot</title>\n"
                            "  <svg x=\"1\"><circle r=\"1\"/></svg>\n"
                            "  <!-- </svg> in a comment --><circle r=\"4\" fill=\"#000\"/>\n"
                            "</svg>";
    Diagnostics d;
    const auto p = keep(svg + "\n", d);
    EXPECT_EQ(dump(p.body), "p[svg(A & dot)]");
    const doc::Image& img = only_image(p);
    ASSERT_TRUE(img.svg);
    EXPECT_EQ(*img.svg, svg);
    EXPECT_EQ(img.src, "");
    EXPECT_EQ(img.line, 1);
    EXPECT_EQ(d.warning_count(), 0u) << all_warnings(d);
}

TEST(RawHtmlSvg, AnSvgInRunningTextIsGatheredAcrossCmarksNodes) {
    Diagnostics d;
    const std::string svg = "<svg aria-label=\"Logo\" width=\"8\"><path d=\"M0 0\"/><text>1 &lt; 2</text></svg>";
    const auto p = keep("Text " + svg + " after\n", d);
    EXPECT_EQ(dump(p.body), "p[Text svg(Logo) after]");
    ASSERT_TRUE(only_image(p).svg);
    EXPECT_EQ(*only_image(p).svg, svg);
    // Nested, and over a line break.
    const std::string nested = "<svg><svg><rect/></svg>\n<g></g></svg>";
    const auto svg_of = [&](const std::string& markdown) {
        const auto parsed = keep(markdown, d);
        const doc::Image& image = only_image(parsed);
        return image.svg ? *image.svg : "(none)";
    };
    EXPECT_EQ(svg_of("x " + nested + "\n"), nested);
    EXPECT_EQ(svg_of("<svg/> y\n"), "<svg/>");
    EXPECT_EQ(d.warning_count(), 0u) << all_warnings(d);
}

TEST(RawHtmlSvg, AnSvgNeverClosedIsDroppedWithAWarningAndWhatFollowsIsKept) {
    Diagnostics d;
    auto p = keep("Before <svg><circle r=\"1\"/> lost\n\nAfter.\n\n<div>\n<svg><g>\n</div>\n\nStill here.\n", d);
    EXPECT_EQ(dump(p.body), "p[Before ] p[After.] p[Still here.]");
    EXPECT_EQ(all_warnings(d),
              "a.md:1:8: <svg> is never closed in its paragraph or HTML block: it is dropped with what follows it there\n"
              "a.md:6:1: <svg> is never closed in its paragraph or HTML block: it is dropped with what follows it there\n");
}

// ---- WordPress's [caption] shortcode --------------------------------------------------------

TEST(RawHtmlShortcode, CaptionShortcodeBecomesAFigure) {
    EXPECT_EQ(kept("[caption id=\"attachment_12\" align=\"aligncenter\" width=\"300\"]<img src=\"images/a.jpg\" "
                   "alt=\"A boat\" width=\"300\" /> A boat in <em>Kotor</em>[/caption]\n"),
              "figure[p[img(images/a.jpg|A boat)] caption[A boat in em[Kotor]]]");
    EXPECT_EQ(kept("[caption id=\"x\" align=\"alignleft\"]<a href=\"images/big.jpg\"><img src=\"images/a.jpg\" alt=\"A\"/>"
                   "</a>\nTwo [lines] of caption[/CAPTION] Then text.\n"),
              "figure[p[link(images/big.jpg)[img(images/a.jpg|A)]] caption[Two [lines] of caption]] p[Then text.]");
    EXPECT_EQ(kept("<p>[caption width=\"1\"]<img src=\"b.png\" alt=\"b\"> In HTML[/caption]</p>\n"),
              "figure[p[img(b.png|b)] caption[In HTML]]");
    EXPECT_EQ(kept("[caption caption=\"x ] y\"]<img src=\"c.png\" alt=\"c\">Quoted ] bracket[/caption]\n"),
              "figure[p[img(c.png|c)] caption[Quoted ] bracket]]");
    // Not one: no end, another word, text before it.
    EXPECT_EQ(kept("[caption id=\"1\"]<img src=\"d.png\" alt=\"d\"> no end\n"), "p[[caption id=\"1\"]img(d.png|d) no end]");
    EXPECT_EQ(kept("[captions] are fine [/caption]\n"), "p[[captions] are fine [/caption]]");
    // Under html: drop the picture is gone, with the warning; the caption's words stay.
    Diagnostics d;
    auto p = markdown::parse_markdown("[caption id=\"1\"]<img src=\"a.jpg\" alt=\"x\"/> Cap[/caption]\n", "a.md", 1, d,
                                      {markdown::RawHtml::Drop});
    EXPECT_EQ(dump(p.body), "p[Cap]");
    EXPECT_EQ(d.warning_count(), 1u);
}

// ---- what hostile HTML becomes --------------------------------------------------------

TEST(RawHtml, ScriptStyleAndFramesAreDroppedWithTheirContentAndWarned) {
    Diagnostics d;
    auto p = keep("Text <script>alert(1)</script> more <style>p{}</style> end\n"
                  "\n"
                  "<applet code=\"x\">inner <b>text</b></applet>\n"
                  "<object data=\"x\">obj</object><embed src=x><form>form</form><noscript>ns</noscript>"
                  "<template>tpl</template><math><mi>m</mi></math><frameset>f</frameset>\n"
                  "\n"
                  "<script>\n"
                  "document.write('<p>hi</p>')\n"
                  "</script>\n",
                  d);
    EXPECT_EQ(dump(p.body), "p[Text  more  end]");
    const std::string w = all_warnings(d);
    EXPECT_NE(w.find("a.md:1:6: <script> is dropped with its content"), std::string::npos) << w;
    EXPECT_NE(w.find("a.md:1:37: <style> is dropped"), std::string::npos) << w;
    EXPECT_NE(w.find("a.md:3:1: <applet> is dropped"), std::string::npos) << w;
    EXPECT_NE(w.find("a.md:4:1: <object> is dropped"), std::string::npos) << w;
    for (const char* tag : {"<embed>", "<form>", "<noscript>", "<template>", "<math>", "<frameset>"})
        EXPECT_NE(w.find(std::string(tag) + " is dropped with its content"), std::string::npos) << tag;
    EXPECT_EQ(w.find("inner"), std::string::npos);
    EXPECT_NE(w.find("a.md:6:1: <script>"), std::string::npos) << w;
}

TEST(RawHtml, AnUnclosedDroppedElementSwallowsWhatFollowsAndSaysSo) {
    Diagnostics d;
    auto p = keep("Before.\n\n<object>\n\nHidden *Markdown*.\n\n</object>\n\nAfter.\n\n<form>\n\nLost.\n", d);
    EXPECT_EQ(dump(p.body), "p[Before.] p[After.]");
    const std::string w = all_warnings(d);
    EXPECT_NE(w.find("a.md:3:1: <object> is dropped"), std::string::npos) << w;
    EXPECT_NE(w.find("a.md:11:1: <form> is never closed"), std::string::npos) << w;
}

TEST(RawHtml, EventAndStyleAttributesAreDroppedAndWarned) {
    Diagnostics d;
    auto p = keep("<b onclick=\"steal()\">bold</b> and\n"
                  "<img src=\"a.png\" alt=\"pic\" onerror=\"steal()\" ONLOAD=x>\n"
                  "\n"
                  "<p style=\"color:red\">red</p>\n"
                  "<p style=\"x\" onmouseover=\"y\">two</p>\n",
                  d);
    EXPECT_EQ(dump(p.body), "p[strong[bold] and\nimg(a.png|pic)] p[red] p[two]");
    const std::string w = all_warnings(d);
    EXPECT_NE(w.find("a.md:1:1: event attribute 'onclick' on <b> is dropped"), std::string::npos) << w;
    EXPECT_NE(w.find("a.md:2:1: event attributes 'onerror', 'onload' on <img> are dropped"), std::string::npos) << w;
    EXPECT_NE(w.find("a.md:5:1: event attribute 'onmouseover' on <p> is dropped"), std::string::npos) << w;
    EXPECT_NE(w.find("a.md:4:1: style attributes are dropped (2 places in this article)"), std::string::npos) << w;
}

TEST(RawHtml, UnsafeSchemesAreDroppedAndWarned) {
    const std::vector<std::string> hrefs = {
        "javascript:alert(1)",           "JaVaScRiPt:alert(1)",   "java&#x09;script:alert(1)",
        "java&#10;script:alert(1)",      " \x01javascript:alert(1)", "javascript&colon;alert(1)",
        "&#106;avascript:alert(1)",      "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd",
    };
    for (const std::string& href : hrefs) {
        Diagnostics d;
        auto p = keep("x <a href=\"" + href + "\">click</a> y\n", d);
        EXPECT_EQ(dump(p.body), "p[x click y]") << href;
        ASSERT_EQ(d.warning_count(), 1u) << href;
        const Diagnostic w = d.warnings().front();
        EXPECT_EQ(w.where.str(), "a.md:1:3") << href;
        EXPECT_NE(w.message.find("uses an unsafe scheme and is dropped"), std::string::npos) << w.message;
    }
    // A picture pasted as a data: URL goes on to the book loader, which reads it or
    // says why not (FrontMatter.PicturesPastedAsDataUrlsArePicturesOfTheBook).
    Diagnostics d;
    auto p = keep("<img src=\"data:image/png;base64,AAAA\" alt=\"a dot\"> <img src=\"javascript:x\">\n", d);
    EXPECT_EQ(dump(p.body), "p[img(data:image/png;base64,AAAA|a dot) ]");
    EXPECT_EQ(d.warning_count(), 1u);
}

TEST(RawHtml, UnclosedTagsCloseAtTheEndOfTheirBlock) {
    EXPECT_EQ(kept("<b><i>text\n\nnext paragraph\n"), "p[strong[em[text]]] p[next paragraph]");
    EXPECT_EQ(kept("<p><b>bold <i>both\n\nnext\n"), "p[strong[bold em[both]]] p[next]");
    EXPECT_EQ(kept("<b>one <i>two</b> three</i>\n"), "p[strong[one em[two]] three]");
    EXPECT_EQ(kept("<ul><li>a<li>b\n"), "ul[li[p[a]] li[p[b]]]");
    EXPECT_EQ(kept("<div lang=\"sq\">\n\nTo the end.\n"), "div(sq)[p[To the end.]]");
}

TEST(RawHtml, StrayEndTagsAreIgnored) {
    Diagnostics d;
    auto p = keep("</div>\n\ntext</b></i> more</a>\n\n</blockquote></ul>\n", d);
    EXPECT_EQ(dump(p.body), "p[text more]");
    EXPECT_EQ(d.warning_count(), 0u) << all_warnings(d);
}

TEST(RawHtml, ALinkNeverClosed) {
    // cmark reads an unfinished tag as text; inside an HTML block it is no tag at all.
    EXPECT_EQ(kept("<a href=\"page.md\" and on\n"), "p[<a href=\"page.md\" and on]");
    EXPECT_EQ(kept("<div>\n<a href=\"https://x.org\"\n"), "");
    EXPECT_EQ(kept("<a href=\"https://x.org\">open to the end\n"), "p[link(https://x.org)[open to the end]]");
}

TEST(RawHtml, CdataAndItsEndMarkerInText) {
    EXPECT_EQ(kept("a <![CDATA[ <script>x</script> ]]> b ]]> c\n"), "p[a  b ]]> c]");
    EXPECT_EQ(kept("<div>\n<![CDATA[ never closed\n</div>\n"), "");
    EXPECT_EQ(kept("<p>x ]]&gt; y</p>\n"), "p[x ]]> y]");
}

TEST(RawHtml, InvalidLanguageTagsAreDroppedAndWarned) {
    Diagnostics d;
    auto p = keep("<span lang=\"a b\">x</span>\n\n<div lang=\"&#1;\">\n\ny\n\n</div>\n", d);
    EXPECT_EQ(dump(p.body), "p[x] p[y]");
    EXPECT_EQ(d.warning_count(), 2u);
}

TEST(RawHtml, NestingIsCapped) {
    std::string deep;
    for (int i = 0; i < 10000; ++i) deep += "<b><span>";
    deep += "core\n";
    Diagnostics d;
    auto p = keep(deep, d);
    const std::string s = dump(p.body);
    EXPECT_NE(s.find("core"), std::string::npos);
    EXPECT_LE(std::count(s.begin(), s.end(), '['), markdown::html::kMaxDepth + 1);

    std::string blocks;
    for (int i = 0; i < 10000; ++i) blocks += "<blockquote><ul><li><div>";
    blocks += "core\n";
    const std::string b = dump(keep(blocks, d).body);
    EXPECT_NE(b.find("core"), std::string::npos);
    EXPECT_LE(std::count(b.begin(), b.end(), '['), 2 * markdown::html::kMaxDepth + 2);
}

// Markdown's own nesting keeps its cap when raw HTML is kept (now the default):
// quotes and emphasis past 32 levels are set at that depth, not recursed into.
TEST(RawHtml, DeepMarkdownNestingIsCappedWhenHtmlIsKept) {
    std::string quotes, emphasis, mixed;
    for (int i = 0; i < 10000; ++i) quotes += "> ";
    quotes += "deep <b>quote</b>\n";
    for (int i = 0; i < 10000; ++i) emphasis += "*";
    emphasis += "emphasised";
    for (int i = 0; i < 10000; ++i) emphasis += "*";
    for (int i = 0; i < 5000; ++i) mixed += "[![";
    mixed += "pic";
    for (int i = 0; i < 5000; ++i) mixed += "](i.png)](https://x.org)";
    // How deep the model nests: blocks in blocks, inlines in inlines.
    std::function<int(const doc::Inlines&)> inline_depth = [&](const doc::Inlines& list) {
        int deepest = 0;
        for (const doc::Inline& in : list)
            doc::visit(
                [&](const auto& v) {
                    if constexpr (requires { v.content; }) deepest = std::max(deepest, 1 + inline_depth(v.content));
                },
                in.value);
        return deepest;
    };
    std::function<int(const doc::Blocks&)> block_depth = [&](const doc::Blocks& list) {
        int deepest = 0;
        for (const doc::Block& b : list)
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, doc::BlockQuote>) deepest = std::max(deepest, 1 + block_depth(v.content));
                    else if constexpr (std::is_same_v<T, doc::Paragraph>) deepest = std::max(deepest, inline_depth(v.content));
                },
                b.value);
        return deepest;
    };
    for (const std::string& md : {quotes, emphasis + "\n", mixed + "\n"}) {
        Diagnostics d;
        const auto p = keep(md, d);
        EXPECT_LE(block_depth(p.body), markdown::html::kMaxDepth + 2) << md.substr(0, 20);
        EXPECT_NE(all_warnings(d).find("nested more than 32 levels deep"), std::string::npos) << all_warnings(d);
    }
    Diagnostics d;
    EXPECT_NE(dump(keep(quotes, d).body).find("deep strong[quote]"), std::string::npos);
    EXPECT_NE(dump(keep(emphasis + "\n", d).body).find("emphasised"), std::string::npos);
}

TEST(RawHtml, HostileInputIsQuick) {
    std::string md;
    for (int i = 0; i < 20000; ++i) md += "<b>x<i>y</b><a href=\"javascript:z\" onclick=q>w</i></div><script>";
    md += "\n\n";
    for (int i = 0; i < 20000; ++i) md += "<div><p><em>a</p><ul><li>";
    md += "\n";
    const auto start = std::chrono::steady_clock::now();
    Diagnostics d;
    keep(md, d);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(RawHtmlHostile, AHugeColspanIsCutAtAThousandColumnsAndNoTextIsLost) {
    Diagnostics d;
    auto p = keep("<table><tr><td colspan=\"100000\">x</td><td>y</td><td>z</td></tr><tr><td>w</td></tr></table>\n", d);
    ASSERT_EQ(p.body.size(), 1u);
    const auto& t = std::get<doc::Table>(p.body[0].value);
    EXPECT_EQ(t.aligns.size(), std::size_t(markdown::html::kMaxTableColumns));
    ASSERT_EQ(t.rows.size(), 2u);
    ASSERT_EQ(t.rows[0].size(), std::size_t(markdown::html::kMaxTableColumns));
    EXPECT_EQ(doc::plain_text(t.rows[0].front()), "x");
    std::string last;
    dump(t.rows[0].back(), last);
    EXPECT_EQ(last, "ybrz");  // the cells past the last column, joined into it
    EXPECT_EQ(doc::plain_text(t.rows[1].front()), "w");
    EXPECT_NE(all_warnings(d).find("a.md:1:1: a table wider than 1000 columns"), std::string::npos) << all_warnings(d);
}

TEST(RawHtmlHostile, SpansAddAtMostABoundedNumberOfCells) {
    std::string md = "<table><tr><td colspan=\"1000\" rowspan=\"1000\">x</td></tr>";
    for (int i = 0; i < 5000; ++i) md += "<tr><td>y</td></tr>";
    md += "</table>\n";
    const auto start = std::chrono::steady_clock::now();
    Diagnostics d;
    auto p = keep(md, d);
    EXPECT_LT(seconds_since(start), 5.0);
    const auto& t = std::get<doc::Table>(p.body.at(0).value);
    std::size_t cells = 0, ys = 0;
    for (const auto& row : t.rows)
        for (const auto& cell : row) {
            ++cells;
            if (doc::plain_text(cell) == "y") ++ys;
        }
    EXPECT_EQ(ys, 5000u);  // every real cell is there
    EXPECT_LE(cells, markdown::html::kMaxSpanCells + 5001);
    EXPECT_EQ(d.warning_count(), 1u) << all_warnings(d);
}

TEST(RawHtmlHostile, TenThousandNestedTablesAreBoundedAndKeepTheirText) {
    for (const bool closed : {true, false}) {
        std::string md;
        for (int i = 0; i < 10000; ++i) md += "<table><tr><td>t" + std::to_string(i) + " ";
        md += "core";
        if (closed)
            for (int i = 0; i < 10000; ++i) md += "</td></tr></table>";
        md += "\n";
        const auto start = std::chrono::steady_clock::now();
        Diagnostics d;
        auto p = keep(md, d);
        EXPECT_LT(seconds_since(start), 5.0) << closed;
        const std::string s = dump(p.body);
        EXPECT_NE(s.find("core"), std::string::npos);
        for (int i : {0, 1, 15, 16, 17, 100, 9999}) {  // each cell's word, then a line break or "core"
            const std::string word = "t" + std::to_string(i);
            EXPECT_TRUE(s.find(word + "br") != std::string::npos || s.find(word + " core") != std::string::npos) << i;
        }
        std::size_t tables = 0;
        for (std::size_t at = s.find("table["); at != std::string::npos; at = s.find("table[", at + 1)) ++tables;
        EXPECT_EQ(tables, 1u) << "the inner tables are text in their cells";
        EXPECT_LE(d.warning_count(), std::size_t(markdown::html::kMaxDepth));
        EXPECT_GE(d.warning_count(), 1u);
    }
}

TEST(RawHtmlHostile, UnclosedTableTagsCloseAsInHtml) {
    Diagnostics d;
    auto p = keep("<table><tr><td>a<td>b<tr><td>c\n\nAfter the table.\n", d);
    EXPECT_EQ(dump(p.body), "table[row[a|b] row[cbrAfter the table.]]");
    EXPECT_EQ(all_warnings(d), "a.md:1:1: <table> is never closed: the Markdown after it, to the end of its part of "
                               "the article, is in its last cell\n");
    // Stray parts, a table closed inside a cell, end tags of other elements in a cell.
    EXPECT_EQ(kept("</td></tr><tr><td>x</td></table><caption>c</caption>\n"), "p[x] p[c]");
    EXPECT_EQ(kept("<div><table><tr><td>in</div>cell</td></tr></table>after</div>\n"), "table[row[inbrcell]] p[after]");
    EXPECT_EQ(kept("<table><tr><td><div>a<td>b</table>\n"), "table[row[a|b]]");
}

TEST(RawHtmlHostile, PathologicalTablesFiguresAndSvgAreQuick) {
    for (const std::string unit : {"<table>", "<tr>", "<td>", "<td colspan=1000>", "<td rowspan=0>", "</td>", "<th>",
                                   "<caption>", "<figure>", "<figcaption>", "<picture><source srcset=a.png>",
                                   "<video>", "<svg>", "</svg>", "<svg><svg/>", "<details><summary>", "<q>", "<sup>"}) {
        for (const std::string& prefix : {std::string(), std::string("<div>\n")}) {  // inline, then an HTML block
            std::string md = prefix;
            while (md.size() < (1u << 20)) md += unit;
            md += " words\n";
            const auto start = std::chrono::steady_clock::now();
            Diagnostics d;
            keep(md, d);
            EXPECT_LT(seconds_since(start), 5.0) << unit << prefix;
        }
    }
}

TEST(RawHtml, ManyEqualHeadingsGetTheirIdsQuickly) {
    std::string md;
    for (int i = 0; i < 30000; ++i) md += i % 2 ? "<h2>Notes</h2>\n\n" : "## Notes\n\n";
    const auto start = std::chrono::steady_clock::now();
    Diagnostics d;
    const auto p = keep(md, d);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
    ASSERT_EQ(p.body.size(), 30000u);
    EXPECT_EQ(std::get<doc::Heading>(p.body[0].value).id, "notes");
    EXPECT_EQ(std::get<doc::Heading>(p.body[1].value).id, "notes-1");
    EXPECT_EQ(std::get<doc::Heading>(p.body.back().value).id, "notes-29999");
}

TEST(RawHtml, WarningsPointIntoHtmlBlocks) {
    Diagnostics d;
    auto p = keep("# Title\n\n<div>\n  <p>one</p>\n  <p>two <a href=\"vbscript:x\">three</a></p>\n</div>\n", d);
    EXPECT_EQ(dump(p.body), "h1#title[Title] p[one] p[two three]");
    EXPECT_EQ(all_warnings(d), "a.md:5:10: link 'vbscript:x' uses an unsafe scheme and is dropped\n");
    Diagnostics later;
    markdown::parse_markdown("> quoted <b onclick=x>b</b>\n", "b.md", 7, later, {markdown::RawHtml::Keep});
    EXPECT_EQ(all_warnings(later), "b.md:7:10: event attribute 'onclick' on <b> is dropped\n");
}

// ---- the default keeps; html: drop drops as it always did ------------------------------

TEST(RawHtml, KeepIsTheDefault) {
    const std::string md = "Text <b>bold</b> <a href=\"https://x.org\">x</a> <script>y</script>\n\n"
                           "<p>para <em>em</em></p>\n\n<span lang=\"sq\">ok</span>\n";
    Diagnostics by_default, keeping;
    const auto a = markdown::parse_markdown(md, "a.md", 1, by_default);
    const auto b = markdown::parse_markdown(md, "a.md", 1, keeping, {markdown::RawHtml::Keep});
    EXPECT_EQ(dump(a.body), "p[Text strong[bold] link(https://x.org)[x] ] p[para em[em]] p[span(sq)[ok]]");
    EXPECT_EQ(dump(b.body), dump(a.body));
    EXPECT_EQ(all_warnings(by_default), all_warnings(keeping));
    EXPECT_EQ(all_warnings(by_default), "a.md:1:48: <script> is dropped with its content\n");
}

TEST(RawHtml, DropLeavesRawHtmlOutWithOneWarning) {
    const std::string md = "Text <b>bold</b> <a href=\"https://x.org\">x</a> <script>y</script>\n\n"
                           "<p>para <em>em</em></p>\n\n<span lang=\"sq\">ok</span>\n";
    Diagnostics dropping;
    const auto p = markdown::parse_markdown(md, "a.md", 1, dropping, {markdown::RawHtml::Drop});
    EXPECT_EQ(dump(p.body), "p[Text bold x y] p[span(sq)[ok]]");
    ASSERT_EQ(dropping.warning_count(), 1u);
    EXPECT_EQ(all_warnings(dropping), "a.md:1: raw HTML is not passed through (7 places in this article)\n");
}

// ---- a book that keeps its raw HTML --------------------------------------------------

// A 2 x 2 gray PNG.
const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02"
    "\x00\x00\x00\xfd\xd4\x9a\x73\x00\x00\x00\x0e\x49\x44\x41\x54\x78\xda\x63\x68\x00\x03\x06\x08\x05\x00\x2a"
    "\x0e\x06\x01\x08\xf6\x0c\xa1\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    71);

// What an article exported from a blog may hold, and what an attacker may add.
const char* kHostileArticle = R"html(
Kept <b>bold words</b>, <i>italic words</i> and <a href="https://example.org/" onclick="steal()">a web link</a>.<br>
A <a href="JaVaScRiPt:alert(1)">first trap</a>, a <a href="java&#x09;script:alert(2)">second trap</a>,
a <a href="data:text/html,<script>alert(3)</script>">third trap</a> and a <a href="vbscript:msgbox(4)">fourth trap</a>.
<span style="color:red" onmouseover="steal()">Styled words</span> and <u>underlined</u> H<sub>2</sub>O.

<div class="post" style="margin:0">
<p>An HTML paragraph with <code>inline code</code> &amp; an em dash &mdash; here.</p>
<h3 onclick="x()">An HTML heading</h3>
<ul><li>first item<li>second item</ul>
<blockquote>quoted words <strike>struck words</strike></blockquote>
<script>document.write("stolen cookies")</script>
<img src="../images/dot.png" alt="a gray dot" onerror="steal()"><img src="javascript:alert(5)" alt="trap image">
<iframe src="https://evil.example/">framed secrets</iframe><style>body { display: none }</style>
<svg onload="steal()"><script>alert(6)</script></svg><form action="https://evil.example/">form secrets</form>
<b><i>unclosed words
</div>

Stray </div> end tag, an <a href="second.md"
never closed, and <![CDATA[ hidden cdata ]]> then ]]> in text.
)html";

bool has_event_attribute(const tinyxml2::XMLElement* e, std::string& where) {
    for (; e; e = e->NextSiblingElement()) {
        for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
            const std::string name = text::to_lower_ascii(a->Name());
            if (name.rfind("on", 0) == 0 || name == "style") {
                where = std::string(e->Name()) + " " + name;
                return true;
            }
        }
        if (std::string(e->Name()) == "script") {
            where = "script";
            return true;
        }
        if (has_event_attribute(e->FirstChildElement(), where)) return true;
    }
    return false;
}

TEST(RawHtmlBook, KeptHtmlGivesAValidEpubWithoutScriptAndThePdfShowsIt) {
    test::ScratchDir dir;
    const fs::path book = dir / "raw";
    test::copy_tree(test::source_dir() / "tests/fixtures/books/twin-notes", book);
    test::spit(book / "book.yaml", test::slurp(book / "book.yaml") + "html: keep\n");
    fs::create_directories(book / "images");
    test::spit(book / "images/dot.png", kPng);
    test::spit(book / "articles/first.md", test::slurp(book / "articles/first.md") + kHostileArticle);

    const auto r = test::run_folio({"build", book.string(), "-o", (dir / "out").string(), "--format", "all"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* warning : {"first.md:21:", "event attribute 'onclick' on <a> is dropped",
                                "link 'JaVaScRiPt:alert(1)' uses an unsafe scheme", "<script> is dropped",
                                "<form> is dropped",
                                "image 'javascript:alert(5)' uses an unsafe scheme"})
        EXPECT_NE(r.err.find(warning), std::string::npos) << warning << "\n" << r.err;

    const fs::path epub = dir / "out/raw.epub";
    const test::ZipContents zip = test::read_zip(epub);
    int xhtml = 0;
    for (const auto& [name, bytes] : zip.bytes) {
        const std::string lower = text::to_lower_ascii(bytes);
        EXPECT_EQ(lower.find("<script"), std::string::npos) << name;
        EXPECT_EQ(lower.find("javascript:"), std::string::npos) << name;
        EXPECT_EQ(lower.find("vbscript:"), std::string::npos) << name;
        EXPECT_EQ(lower.find("data:"), std::string::npos) << name;
        EXPECT_FALSE(has_event_attribute_text(lower)) << name;
        if (name.size() < 6 || name.substr(name.size() - 6) != ".xhtml") continue;
        ++xhtml;
        tinyxml2::XMLDocument doc;
        ASSERT_EQ(doc.Parse(bytes.c_str(), bytes.size()), tinyxml2::XML_SUCCESS) << name << ": " << doc.ErrorStr();
        std::string where;
        EXPECT_FALSE(has_event_attribute(doc.RootElement(), where)) << name << ": " << where;
    }
    EXPECT_GE(xhtml, 4);
    const std::string article = test::visible_text(zip.bytes.at("EPUB/text/a01.xhtml"));
    for (const char* words : {"Kept bold words, italic words and a web link.", "A first trap, a second trap,",
                              "Styled words and underlined H2O.", "inline code & an em dash — here.",
                              "An HTML heading", "second item", "quoted words struck words", "unclosed words",
                              "then ]]> in text."})
        EXPECT_NE(article.find(words), std::string::npos) << words << "\n" << article;
    for (const char* hidden : {"stolen cookies", "framed secrets", "form secrets", "hidden cdata", "alert("})
        EXPECT_EQ(article.find(hidden), std::string::npos) << hidden;
    EXPECT_NE(zip.bytes.at("EPUB/text/a01.xhtml").find("<a href=\"https://example.org/\">a web link</a>"),
              std::string::npos);
    EXPECT_NE(zip.bytes.at("EPUB/text/a01.xhtml").find("alt=\"a gray dot\""), std::string::npos);

    const auto check = test::run_command("java -Xss64m -jar /usr/share/java/epubcheck.jar '" + epub.string() + "'");
    EXPECT_EQ(check.exit_code, 0) << check.out;
    EXPECT_NE(check.out.find("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"), std::string::npos) << check.out;

    const auto pdf = test::run_command("pdftotext -enc UTF-8 '" + (dir / "out/raw.pdf").string() + "' -");
    ASSERT_EQ(pdf.exit_code, 0) << pdf.out;
    const std::string shown = test::normalize_space(pdf.out);
    for (const char* words : {"Kept bold words", "a web link", "An HTML heading", "second item", "quoted words",
                              "struck words", "unclosed words", "inline code"})
        EXPECT_NE(shown.find(words), std::string::npos) << words;
    for (const char* hidden : {"stolen cookies", "framed secrets", "form secrets", "alert("})
        EXPECT_EQ(shown.find(hidden), std::string::npos) << hidden;
}

// A post as WordPress exports it (blocks, their comments, a table block with spans,
// image and embed figures, the old caption shortcode), converted to Markdown by
// the usual tools: raw HTML everywhere. Every cell's and caption's words are short
// enough to stay on one line of a table column, so that pdftotext finds them whole.
const char* kWordPressArticle = R"html(
<!-- wp:paragraph -->
<p>An exported post with <a href="https://example.org/">a web link</a>, H<sub>2</sub>O and x<sup>2</sup>.</p>
<!-- /wp:paragraph -->

<!-- wp:table -->
<figure class="wp-block-table"><table><thead><tr><th>City</th><th>Country</th><th>Founded</th></tr></thead><tbody><tr><td>Kotor</td><td>Montenegro</td><td style="text-align:right">168 BC</td></tr><tr><td colspan="2">Dubrovnik</td><td>7th century</td></tr><tr><td rowspan="2">Split</td><td>Croatia</td><td>305 AD</td></tr><tr><td>Dalmatia</td><td>Roman</td></tr></tbody></table><figcaption>Table one: Adriatic towns</figcaption></figure>
<!-- /wp:table -->

<!-- wp:image {"id":7,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="../images/dot.png" alt="A gray dot" class="wp-image-7"/><figcaption>Figure one: a gray dot</figcaption></figure>
<!-- /wp:image -->

<!-- wp:image {"linkDestination":"media"} -->
<figure class="wp-block-image"><a href="https://example.org/uploads/dot-full.png"><img src="../images/dot.png" alt="A linked dot"/></a><figcaption>Figure four: a linked dot</figcaption></figure>
<!-- /wp:image -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div><figcaption>Figure two: an embedded video</figcaption></figure>
<!-- /wp:embed -->

<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Watch the talk" frameborder="0" allowfullscreen></iframe>

[caption id="attachment_9" align="aligncenter" width="300"]<img src="../images/dot.png" alt="Another dot" width="300" /> Figure three: a shortcode caption[/caption]

<details><summary>Read more</summary><p>Folded words, now shown.</p></details>

<picture><source srcset="../images/dot.avif" type="image/avif"><source srcset="../images/dot.png 1x" type="image/png"><img src="../images/missing.jpg" alt="A picture element"></picture>

<table><caption>Table two: keys</caption><tr><th>Key</th><th>Value</th></tr><tr><td>alpha</td><td>first<br>second</td></tr><tr><td><ul><li>listed</li></ul></td><td><kbd>Ctrl</kbd></td></tr></table>

<svg viewBox="0 0 10 10" width="40"><title>An inline drawing</title><circle cx="5" cy="5" r="4"/></svg>
)html";

TEST(RawHtmlBook, AWordPressPostKeepsEveryCellAndCaptionInEveryOutput) {
    test::ScratchDir dir;
    const fs::path book = dir / "wp";
    test::copy_tree(test::source_dir() / "tests/fixtures/books/twin-notes", book);  // no html: key: the default
    ASSERT_EQ(test::slurp(book / "book.yaml").find("html:"), std::string::npos);
    fs::create_directories(book / "images");
    test::spit(book / "images/dot.png", kPng);
    test::spit(book / "articles/first.md", test::slurp(book / "articles/first.md") + kWordPressArticle);

    const auto r = test::run_folio({"build", book.string(), "-o", (dir / "out").string(), "--format", "all"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("raw HTML is not passed through"), std::string::npos) << r.err;

    const std::vector<std::string> cells = {"City", "Country", "Founded", "Kotor", "Montenegro", "168 BC",
                                            "Dubrovnik", "7th century", "Split", "Croatia", "305 AD", "Dalmatia",
                                            "Roman", "Key", "Value", "alpha", "first", "second", "listed", "Ctrl"};
    const std::vector<std::string> captions = {"Table one: Adriatic towns", "Figure one: a gray dot", "Figure four: a linked dot",
                                               "Figure two: an embedded video", "Figure three: a shortcode caption",
                                               "Table two: keys"};
    const std::vector<std::string> words = {"An exported post with", "a web link", "Watch the talk", "Read more",
                                            "Folded words, now shown."};

    const fs::path epub = dir / "out/wp.epub";
    const test::ZipContents zip = test::read_zip(epub);
    const std::string& x = zip.bytes.at("EPUB/text/a01.xhtml");
    const std::string text = test::visible_text(x);
    for (const auto* list : {&cells, &captions, &words})
        for (const std::string& w : *list) EXPECT_NE(text.find(w), std::string::npos) << w << "\n" << text;
    EXPECT_EQ(std::count(x.begin(), x.end(), '\0'), 0);
    auto count = [&](const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = x.find(what); at != std::string::npos; at = x.find(what, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(count("<table"), 2u);
    EXPECT_EQ(count("<th "), 5u);  // two header rows, scope="col"
    EXPECT_EQ(count("<figcaption"), 6u);
    EXPECT_EQ(count("src=\"../images/"), 5u);  // two figures', the shortcode's, the picture's, the inline svg's
    // The inline <svg>: a picture of its own, its title as alt text, sanitised, with its namespace.
    EXPECT_NE(x.find("alt=\"An inline drawing\""), std::string::npos);
    ASSERT_TRUE(zip.bytes.count("EPUB/images/a01-1.svg")) << "the inline svg's file";
    EXPECT_NE(zip.bytes.at("EPUB/images/a01-1.svg").find("<circle"), std::string::npos);
    EXPECT_NE(zip.bytes.at("EPUB/images/a01-1.svg").find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    EXPECT_EQ(count("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""), 2u);
    EXPECT_NE(x.find("H<sub>2</sub>O"), std::string::npos);
    EXPECT_NE(x.find("x<sup>2</sup>"), std::string::npos);
    for (const char* gone : {"<iframe", "<svg", "<picture", "<source", "<details", "<script", "wp:table", "[caption",
                             "missing.jpg", "dot.avif"})
        EXPECT_EQ(x.find(gone), std::string::npos) << gone;

    const auto check = test::run_command("java -Xss64m -jar /usr/share/java/epubcheck.jar '" + epub.string() + "'");
    EXPECT_EQ(check.exit_code, 0) << check.out;
    EXPECT_NE(check.out.find("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"), std::string::npos) << check.out;

    for (const char* pdf : {"wp.pdf", "wp-print.pdf"}) {
        const auto shown = test::run_command("pdftotext -enc UTF-8 '" + (dir / "out" / pdf).string() + "' -");
        ASSERT_EQ(shown.exit_code, 0) << shown.out;
        const std::string t = test::normalize_space(shown.out);
        // A line stretched wide (the print edition's address after "Watch the talk"
        // leaves few spaces to stretch) is read in pieces without -layout.
        const std::string laid_out = test::normalize_space(
            test::run_command("pdftotext -layout -enc UTF-8 '" + (dir / "out" / pdf).string() + "' -").out);
        for (const auto* list : {&cells, &captions, &words})
            for (const std::string& w : *list)
                EXPECT_TRUE(t.find(w) != std::string::npos || laid_out.find(w) != std::string::npos) << pdf << ": " << w;
        // Every picture is set as a picture, the linked one too, never as its alt text.
        for (const char* alt : {"A gray dot", "A linked dot", "Another dot", "A picture element"})
            EXPECT_EQ(t.find(alt), std::string::npos) << pdf << ": " << alt;
        const auto images = test::run_command("pdfimages -list '" + (dir / "out" / pdf).string() + "'");
        std::size_t drawn = 0;  // lines "page num image …"
        std::istringstream lines(images.out);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream fields(line);
            std::string page, num, type;
            if (fields >> page >> num >> type && type == "image") ++drawn;
        }
        EXPECT_EQ(drawn, 4u) << pdf << "\n" << images.out;  // the raster ones; the inline svg is drawn as vector
    }
}

TEST(RawHtmlBook, TheKeyTakesDropOrKeep) {
    test::ScratchDir dir;
    const fs::path book = dir / "raw";
    test::copy_tree(test::source_dir() / "tests/fixtures/books/twin-notes", book);
    const std::string yaml = test::slurp(book / "book.yaml");
    test::spit(book / "book.yaml", yaml + "html: drop\n");
    auto r = test::run_folio({"check", book.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("unknown"), std::string::npos) << r.err;
    test::spit(book / "book.yaml", yaml + "html: yes\n");
    r = test::run_folio({"check", book.string()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("book.yaml:16:7: error: 'html' must be 'drop' or 'keep', got \"yes\""), std::string::npos)
        << r.err;
}

}  // namespace
}  // namespace folio
