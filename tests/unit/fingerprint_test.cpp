#include "doc/fingerprint.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace folio {
namespace {

std::string material_of(const doc::Article& a, std::vector<std::string>* texts = nullptr) {
    std::string out;
    KeyBytes k{out};
    doc::article_material(k, a, [&](const std::string& t) {
        if (texts) texts->push_back(t);
    });
    return out;
}

// An article with every kind of block and inline.
doc::Article sample() {
    using namespace doc;
    Article a;
    a.id = "a01";
    a.path = "articles/one.md";
    a.title = "One";
    a.authors = {"Ana"};
    a.date = text::Date{2024, 5, 6};
    a.lang = "sr";
    a.summary = "A summary.";
    a.credit.text = "“One” by Ana.";
    a.credit.licence_line = "Licence: CC BY 4.0";
    Inlines body{Inline{Text{"Hello "}},
                 Inline{Emphasis{{Inline{Text{"there"}}}}},
                 Inline{Code{"x = 1"}},
                 Inline{Link{"b.md", "", {Inline{Text{"link"}}}, InternalTarget{"a02", "a02-top"}, 3, 4}},
                 Inline{Image{"images/p.png", "a picture", "", 5, 6}},
                 Inline{NoteRef{1}},
                 Inline{Span{"en", {Inline{Text{"word"}}}}},
                 Inline{LineBreak{}}};
    a.body.push_back(Block{Paragraph{body}, 1});
    a.body.push_back(Block{Heading{2, {Inline{Text{"Part"}}}, "a01-part"}, 3});
    a.body.push_back(Block{CodeBlock{"yaml", "key: value\n"}, 5});
    a.body.push_back(Block{List{true, 3, false, {{Block{Paragraph{{Inline{Text{"item"}}}}, 8}}}}, 8});
    a.body.push_back(Block{Table{{Align::Left}, {{Inline{Text{"head"}}}}, {{{Inline{Text{"cell"}}}}}}, 10});
    a.notes.push_back(Footnote{{Block{Paragraph{{Inline{Text{"A note."}}}}, 12}}});
    return a;
}

TEST(Fingerprint, TheSameArticleGivesTheSameBytesAndEachTextInOrder) {
    std::vector<std::string> texts;
    EXPECT_EQ(material_of(sample(), &texts), material_of(sample()));
    EXPECT_EQ(texts, (std::vector<std::string>{"Hello ", "there", "x = 1", "link", "word", "Part", "key: value\n",
                                               "item", "head", "cell", "A note."}));
}

TEST(Fingerprint, AnyChangeAnOutputShowsGivesOtherBytes) {
    using namespace doc;
    const std::string base = material_of(sample());
    const std::vector<std::pair<const char*, std::function<void(Article&)>>> changes = {
        {"title", [](Article& a) { a.title = "Two"; }},
        {"author", [](Article& a) { a.authors.push_back("Ben"); }},
        {"date", [](Article& a) { a.date->day = 7; }},
        {"language", [](Article& a) { a.lang.clear(); }},
        {"credit", [](Article& a) { a.credit.licence_line.clear(); }},
        {"a word", [](Article& a) { get<Text>(get<Paragraph>(a.body[0].value).content[0].value).text = "Hi "; }},
        {"emphasis to strong",
         [](Article& a) {
             Inline& in = get<Paragraph>(a.body[0].value).content[1];
             in = Inline{Strong{get<Emphasis>(in.value).content}};
         }},
        {"a link's target",
         [](Article& a) { get<Link>(get<Paragraph>(a.body[0].value).content[3].value).internal->anchor.clear(); }},
        {"a picture's alt", [](Article& a) { get<Image>(get<Paragraph>(a.body[0].value).content[4].value).alt = "?"; }},
        {"a span's language",
         [](Article& a) { get<Span>(get<Paragraph>(a.body[0].value).content[6].value).lang = "de"; }},
        {"a heading's level", [](Article& a) { std::get<Heading>(a.body[1].value).level = 3; }},
        {"a block's line", [](Article& a) { a.body[1].line = 4; }},
        {"a list's start", [](Article& a) { std::get<List>(a.body[3].value).start = 1; }},
        {"a column's alignment", [](Article& a) { std::get<Table>(a.body[4].value).aligns[0] = Align::Right; }},
        {"a note", [](Article& a) { a.notes.push_back(a.notes[0]); }},
        {"text moved between two inlines",
         [](Article& a) {
             Inlines& in = get<Paragraph>(a.body[0].value).content;
             get<Text>(in[0].value).text = "Hello t";
             get<Text>(get<Emphasis>(in[1].value).content[0].value).text = "here";
         }},
    };
    for (const auto& [what, change] : changes) {
        Article a = sample();
        change(a);
        EXPECT_TRUE(material_of(a) != base) << what;
    }
}

std::string body_of(const doc::Blocks& body, const std::vector<doc::Footnote>& notes) {
    std::string out;
    KeyBytes k{out};
    doc::body_material(k, body, notes);
    return out;
}

// The sample with every kind of block and inline the sample lacks.
doc::Article every_kind() {
    using namespace doc;
    Article a = sample();
    Inlines more{Inline{Strong{{Inline{Text{"bold"}}}}},
                 Inline{Strikeout{{Inline{Text{"gone"}}}}},
                 Inline{Superscript{{Inline{Text{"2"}}}}},
                 Inline{Subscript{{Inline{Text{"i"}}}}},
                 Inline{Link{"https://example.org", "Example", {Inline{Text{"out"}}}, std::nullopt, 7, 8}},
                 Inline{Span{"ar", {Inline{Text{"كلمة"}}}, "rtl"}}};
    Image drawn{"", "a drawing", "its title", 9, 10};
    drawn.svg = std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    more.push_back(Inline{std::move(drawn)});
    a.body.push_back(Block{BlockQuote{{Block{Paragraph{more}, 14}}}, 14});
    a.body.push_back(Block{ThematicBreak{}, 16});
    a.body.push_back(Block{Div{"de", {Block{Paragraph{{Inline{Text{"Wort"}}}}, 18}}, "ltr"}, 17});
    a.body.push_back(Block{
        Figure{{Block{Paragraph{{Inline{Image{"p.png", "", "", 20, 1}}}}, 20}}, {Inline{Text{"A caption"}}}}, 20});
    a.body.push_back(Block{List{false, 1, true, {{}, {Block{CodeBlock{"", "x"}, 22}}}}, 21});
    return a;
}

// What body_material() writes, read_body_material() reads back to the same body:
// every kind of block and inline, each field (written again, the same bytes; the
// article's whole material the same).
TEST(Fingerprint, ABodyReadBackIsTheBodyWritten) {
    const doc::Article a = every_kind();
    const std::string bytes = body_of(a.body, a.notes);
    doc::Article b = a;
    b.release_text();
    ASSERT_TRUE(doc::read_body_material(bytes, b.body, b.notes));
    EXPECT_EQ(body_of(b.body, b.notes), bytes);
    EXPECT_EQ(material_of(b), material_of(a));
    EXPECT_EQ(b.body.size(), a.body.size());
    EXPECT_EQ(b.notes.size(), 1u);
}

// Bytes that are not exactly what body_material() wrote are refused, and nothing
// is read into the body: cut short anywhere, one byte more, a count larger than
// what is left, a note reference to no note, nesting deeper than the parser nests.
TEST(Fingerprint, ABodyNotWholeIsNotRead) {
    using namespace doc;
    const Article a = every_kind();
    const std::string bytes = body_of(a.body, a.notes);
    const auto refused = [](std::string_view b) {
        Blocks body{Block{ThematicBreak{}, 1}};
        std::vector<Footnote> notes;
        const bool read = read_body_material(b, body, notes);
        return !read && body.size() == 1 && notes.empty();
    };
    for (std::size_t n = 0; n < bytes.size(); ++n) EXPECT_TRUE(refused(bytes.substr(0, n))) << "cut at " << n;
    EXPECT_TRUE(refused(bytes + '\0'));
    std::string huge = bytes;
    const std::uint64_t many = std::uint64_t{1} << 60;
    std::memcpy(huge.data(), &many, sizeof many);  // the body's count of blocks
    EXPECT_TRUE(refused(huge));
    EXPECT_TRUE(refused(body_of({Block{Paragraph{{Inline{NoteRef{2}}}}, 1}}, a.notes)));
    EXPECT_TRUE(refused(body_of({Block{Paragraph{{Inline{NoteRef{0}}}}, 1}}, a.notes)));
    const auto nested = [](int depth) {
        Blocks b{Block{Paragraph{{Inline{Text{"deep"}}}}, 1}};
        for (int i = 0; i < depth; ++i) b = Blocks{Block{BlockQuote{std::move(b)}, 1}};
        return b;
    };
    Blocks body;
    std::vector<Footnote> notes;
    EXPECT_TRUE(read_body_material(body_of(nested(100), {}), body, notes));
    EXPECT_TRUE(refused(body_of(nested(300), {})));
}

TEST(Fingerprint, EveryLabelIsWritten) {
    doc::Labels labels;
    std::string base;
    KeyBytes k{base};
    doc::labels_material(k, labels);
    labels.permission = "Used with leave: {permission}.";  // the last of them
    std::string other;
    KeyBytes k2{other};
    doc::labels_material(k2, labels);
    EXPECT_NE(base, other);
}

}  // namespace
}  // namespace folio
