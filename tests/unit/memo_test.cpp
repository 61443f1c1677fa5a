// Paragraphs kept between builds (layout::ParagraphMemo, src/cache): a paragraph
// read back is the paragraph set, to the bit; what it counted and warned of comes
// back with it; a record or a file that is not whole is never used; and the store
// keeps what a build used, and nothing else.
#include "book/load_book.hpp"
#include "build/build.hpp"
#include "cache/paragraphs.hpp"
#include "core/files.hpp"
#include "doc/fingerprint.hpp"
#include "layout/paragraph.hpp"
#include "layout/print_rules.hpp"
#include "layout/set_record.hpp"
#include "layout/typeset.hpp"
#include "pdf/write_pdf.hpp"
#include "edit_article.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <utility>

namespace folio {
namespace {

namespace fs = std::filesystem;
using layout::Line;
using layout::MemoKey;

layout::PrintStyle default_style() {
    Diagnostics d;
    return layout::parse_print_style(test::slurp(test::source_dir() / "styles/default/print.yaml"), "print.yaml", d);
}

// A memo in a map, counting what it gave back.
// Called from every setting thread, as a memo is (layout/paragraph.hpp): a lock
// guards the records and the counts.
class MapMemo final : public layout::ParagraphMemo {
public:
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::string> records;
    int recalled = 0, kept = 0;

    void set_context(std::string_view) override {}
    MemoKey key(std::string_view material) const override {
        const std::size_t h = std::hash<std::string_view>{}(material);
        return {h, material.size()};
    }
    bool read_kept(const std::string&, const MemoKey& k, const std::function<bool(const Kept&)>& read) override {
        std::shared_ptr<const std::string> record;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            const auto it = records.find({k.low, k.high});
            if (it == records.end()) return false;
            ++recalled;
            record = std::make_shared<const std::string>(it->second);
        }
        // Given as lasting, as a mapped cache file's records are: the glyphs read
        // back are views of it, held by the pages.
        return read({*record, record});
    }
    void keep(const std::string&, const MemoKey& k, std::string record) override {
        const std::lock_guard<std::mutex> lock(mutex_);
        ++kept;
        records[{k.low, k.high}] = std::move(record);
    }
    void finish(const std::string&) override {}

private:
    std::mutex mutex_;
};

doc::Inline text(std::string s) {
    return {doc::Text{std::move(s)}};
}

// Text with everything a line can carry: a link, a note's call, a span in another
// language, a passage right to left, emphasis, inline code and a picture.
doc::Inlines rich_paragraph() {
    doc::Inlines in;
    in.push_back(text("Typesetting is the craft of arranging type: it begins where the "));
    doc::Link link{"https://example.org/craft", "", {text("manuscript ends")}, std::nullopt, 1, 2};
    in.push_back({link});
    in.push_back(text(", and "));
    in.push_back({doc::Emphasis{{text("every")}}});
    in.push_back(text(" decision shows"));
    in.push_back({doc::NoteRef{1}});
    in.push_back(text(". In Serbian one says "));
    in.push_back({doc::Span{"sr-Cyrl", {text("слог је занат")}}});
    in.push_back(text(", in Hebrew "));
    in.push_back({doc::Span{"he", {text("סדר דפוס הוא מלאכה")}}});
    in.push_back(text(", and a programmer writes "));
    in.push_back({doc::Code{"set_paragraph()"}});
    in.push_back(text(" beside a picture "));
    in.push_back({doc::Image{"icon.png", "an icon", "", 3, 4}});
    in.push_back(text(" of a composing stick, which holds the lines while they are justified by hand."));
    return in;
}

layout::ParagraphOptions options(const doc::Resource* icon) {
    layout::ParagraphOptions o;
    o.width = 180;
    o.size = 10.5;
    o.leading = 14;
    o.lang = "en";
    o.note_prefix = "a01";
    o.where = {"articles/craft.md", 7, 1};
    o.picture = [icon](const std::string& path) { return path == icon->path ? icon : nullptr; };
    return o;
}

// Structure elements paired as two sets of lines use them: the same fields, the
// same parents, and shared where the other's are shared.
class ElementPairs {
public:
    bool same(const layout::ElementRef& x, const layout::ElementRef& y) {
        if (!x || !y) return !x && !y;
        const auto [it, fresh] = m_a_to_b.emplace(x.get(), y.get());
        if (!fresh) return it->second == y.get();
        if (!m_b_to_a.emplace(y.get(), x.get()).second) return false;
        ++paired;
        return x->type == y->type && x->lang == y->lang && x->alt == y->alt && x->scope == y->scope && x->id == y->id &&
               x->actual_text == y->actual_text && same(x->parent, y->parent);
    }
    int paired = 0;

private:
    std::map<const layout::Element*, const layout::Element*> m_a_to_b, m_b_to_a;
};

template <class T>
bool same_bits(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Every field of two sets of lines; returns how many elements they carry.
int expect_same_lines(const std::vector<Line>& a, const std::vector<Line>& b) {
    ElementPairs elements;
    EXPECT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        const Line& x = a[i];
        const Line& y = b[i];
        SCOPED_TRACE("line " + std::to_string(i));
        EXPECT_TRUE(same_bits(x.height, y.height) && same_bits(x.width, y.width) && same_bits(x.ratio, y.ratio));
        EXPECT_EQ(x.hyphenated, y.hyphenated);
        EXPECT_EQ(x.hyphen_added, y.hyphen_added);
        EXPECT_EQ(x.overfull, y.overfull);
        EXPECT_TRUE(x.first_word == y.first_word);
        EXPECT_EQ(x.runs.size(), y.runs.size());
        for (std::size_t k = 0; k < std::min(x.runs.size(), y.runs.size()); ++k) {
            const layout::GlyphRun& r = x.runs[k];
            const layout::GlyphRun& s = y.runs[k];
            EXPECT_EQ(r.font, s.font);
            EXPECT_TRUE(same_bits(r.size, s.size) && same_bits(r.x, s.x) && same_bits(r.y, s.y) &&
                        same_bits(r.hscale, s.hscale));
            EXPECT_EQ(r.text, s.text);
            EXPECT_EQ(r.artifact, s.artifact);
            EXPECT_TRUE(r.glyphs.size() == s.glyphs.size() &&
                        std::memcmp(r.glyphs.data(), s.glyphs.data(), r.glyphs.size() * sizeof r.glyphs[0]) == 0);
            EXPECT_TRUE(elements.same(r.element, s.element));
        }
        EXPECT_EQ(x.links.size(), y.links.size());
        for (std::size_t k = 0; k < std::min(x.links.size(), y.links.size()); ++k) {
            const layout::LinkArea& l = x.links[k];
            const layout::LinkArea& m = y.links[k];
            EXPECT_EQ(l.uri, m.uri);
            EXPECT_EQ(l.destination, m.destination);
            EXPECT_TRUE(same_bits(l.x, m.x) && same_bits(l.y, m.y) && same_bits(l.width, m.width) &&
                        same_bits(l.height, m.height));
            EXPECT_TRUE(elements.same(l.element, m.element));
        }
        EXPECT_EQ(x.images.size(), y.images.size());
        for (std::size_t k = 0; k < std::min(x.images.size(), y.images.size()); ++k) {
            const layout::PlacedImage& p = x.images[k];
            const layout::PlacedImage& q = y.images[k];
            EXPECT_EQ(p.resource, q.resource);
            EXPECT_EQ(p.alt, q.alt);
            EXPECT_EQ(p.where.str(), q.where.str());
            EXPECT_TRUE(same_bits(p.x, q.x) && same_bits(p.y, q.y) && same_bits(p.width, q.width) &&
                        same_bits(p.height, q.height) && same_bits(p.ppi, q.ppi));
            EXPECT_TRUE(elements.same(p.element, q.element));
        }
        EXPECT_EQ(x.rules.size(), y.rules.size());
    }
    return elements.paired;
}

doc::Resource icon() {
    doc::Resource r;
    r.path = "icon.png";
    r.media_type = "image/png";
    r.width = r.height = 64;
    return r;
}

TEST(ParagraphMemo, ALineReadBackIsTheLineSetToTheBit) {
    const layout::PrintStyle style = default_style();
    const doc::Resource picture = icon();
    const doc::Inlines in = rich_paragraph();
    layout::FontContext plain(style);
    const std::vector<Line> fresh = layout::set_paragraph(in, options(&picture), plain);
    ASSERT_GE(fresh.size(), 5u);

    MapMemo memo;
    layout::FontContext first(style);
    first.remember_with(&memo, "180");
    const std::vector<Line> kept = layout::set_paragraph(in, options(&picture), first);
    EXPECT_EQ(memo.kept, 1);
    EXPECT_EQ(memo.recalled, 0);
    layout::FontContext second(style);
    second.remember_with(&memo, "180");
    const std::vector<Line> recalled = layout::set_paragraph(in, options(&picture), second);
    EXPECT_EQ(memo.recalled, 1);

    EXPECT_GT(expect_same_lines(fresh, kept), 0);
    // The spans in Serbian and Hebrew, and the Hebrew runs read in their own order.
    EXPECT_GE(expect_same_lines(fresh, recalled), 3);
    bool picture_shown = false, link_kept = false;
    for (const Line& l : recalled) {
        picture_shown = picture_shown || !l.images.empty();
        for (const layout::LinkArea& a : l.links) link_kept = link_kept || a.uri == "https://example.org/craft";
    }
    EXPECT_TRUE(picture_shown);
    EXPECT_TRUE(link_kept);
}

TEST(ParagraphMemo, AnyChangeOfInputsIsAnotherParagraph) {
    const layout::PrintStyle style = default_style();
    doc::Resource picture = icon();
    const doc::Inlines in = rich_paragraph();
    MapMemo memo;
    layout::FontContext ctx(style);
    ctx.remember_with(&memo, "180");
    layout::set_paragraph(in, options(&picture), ctx);

    doc::Inlines edited = in;
    doc::get<doc::Text>(edited.front().value).text += "x";
    layout::set_paragraph(edited, options(&picture), ctx);  // a letter
    layout::ParagraphOptions narrower = options(&picture);
    narrower.width = 179.5;
    layout::set_paragraph(in, narrower, ctx);  // the measure
    layout::ParagraphOptions serbian = options(&picture);
    serbian.lang = "sr";
    layout::set_paragraph(in, serbian, ctx);  // the language
    picture.width = 128;                      // the picture's shape
    layout::set_paragraph(in, options(&picture), ctx);
    EXPECT_EQ(memo.recalled, 0);
    EXPECT_EQ(memo.kept, 5);

    // Where the paragraph stands in its file is not an input: only its warnings name it.
    layout::ParagraphOptions lower = options(&picture);
    lower.where.line += 10;
    layout::set_paragraph(in, lower, ctx);
    EXPECT_EQ(memo.recalled, 1);
}

TEST(ParagraphMemo, WordsAndWarningsComeBackWithTheLines) {
    const layout::PrintStyle style = default_style();
    const doc::Resource picture = icon();
    // U+F8FF is in none of the style's fonts: a warning, once per article.
    const doc::Inlines in{text("A mark \uF8FF that no font has, in seven words.")};
    MapMemo memo;
    Diagnostics first_report, second_report;
    doc::Census first_count, second_count;
    for (auto [report, count] : {std::pair{&first_report, &first_count}, std::pair{&second_report, &second_count}}) {
        layout::FontContext ctx(style);
        ctx.diagnostics = report;
        ctx.remember_with(&memo, "180");
        layout::ParagraphOptions o = options(&picture);
        o.census = count;
        layout::set_paragraph(in, o, ctx);
        layout::set_paragraph(in, o, ctx);
    }
    EXPECT_EQ(memo.kept, 1);
    EXPECT_EQ(memo.recalled, 3);
    EXPECT_EQ(first_count.words, 2 * 10);
    EXPECT_EQ(second_count.words, first_count.words);
    ASSERT_EQ(first_report.warnings().size(), 1u);
    ASSERT_EQ(second_report.warnings().size(), 1u);
    EXPECT_EQ(first_report.warnings()[0].format(), second_report.warnings()[0].format());
    EXPECT_NE(first_report.warnings()[0].format().find("U+F8FF"), std::string::npos);
}

// What read_record is given to check a record against, for rich_paragraph().
struct Bounds {
    std::vector<const std::string*> sources;
    std::vector<std::string> pictures{"icon.png"};
    layout::RecordBounds of(const layout::FontSet* fonts) const { return {sources, fonts, pictures}; }
};

Bounds bounds_of(const doc::Inlines& in) {
    Bounds b;
    std::function<void(const doc::Inlines&)> walk = [&](const doc::Inlines& list) {
        for (const doc::Inline& i : list)
            doc::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, doc::Text> || std::is_same_v<T, doc::Code>)
                        b.sources.push_back(&v.text);
                    else if constexpr (requires { v.content; })
                        walk(v.content);
                },
                i.value);
    };
    walk(in);
    return b;
}

TEST(ParagraphMemo, ARecordThatIsNotWholeOrOutOfBoundsIsNotRead) {
    const layout::PrintStyle style = default_style();
    const doc::Resource picture = icon();
    const doc::Inlines in = rich_paragraph();
    layout::FontContext ctx(style);
    layout::SetRecord record;
    record.lines = layout::set_paragraph(in, options(&picture), ctx);
    record.words = 42;
    record.warnings.push_back({"k", "message", "hint"});
    const Bounds b = bounds_of(in);
    const std::optional<std::string> bytes = layout::write_record(record, b.sources);
    ASSERT_TRUE(bytes);
    const std::optional<layout::SetRecord> back = layout::read_record(*bytes, b.of(ctx.fonts.get()));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->words, 42);
    EXPECT_GT(expect_same_lines(record.lines, back->lines), 0);

    // Cut anywhere: refused, never read past its end.
    for (std::size_t n = 0; n < bytes->size(); ++n)
        EXPECT_FALSE(layout::read_record(std::string_view(*bytes).substr(0, n), b.of(ctx.fonts.get()))) << n;
    // A glyph its font does not have.
    layout::SetRecord bad = record;
    bad.lines[0].runs[0].glyphs[0].gid = 65535;
    EXPECT_FALSE(layout::read_record(*layout::write_record(bad, b.sources), b.of(ctx.fonts.get())));
    // A picture the paragraph does not show.
    Bounds other = b;
    other.pictures = {"another.png"};
    EXPECT_FALSE(layout::read_record(*bytes, other.of(ctx.fonts.get())));
    // A line beginning in a text the paragraph does not have.
    Bounds fewer = b;
    fewer.sources.resize(1);
    EXPECT_FALSE(layout::read_record(*bytes, fewer.of(ctx.fonts.get())));
    // Random bytes.
    std::string noise(bytes->size(), '\0');
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 2654435761u) >> 13);
    EXPECT_FALSE(layout::read_record(noise, b.of(ctx.fonts.get())));
}

// ---- the store ---------------------------------------------------------------------

std::string record_of(int i) {
    return "record " + std::to_string(i) + std::string(static_cast<std::size_t>(i), '*');
}

TEST(ParagraphFile, RefusesEveryCutAndEveryChangedByte) {
    const std::string a = record_of(1), b = record_of(7);
    const std::string file = cache::write_paragraph_file({{MemoKey{1, 2}, a}, {MemoKey{3, 4}, b}});
    const auto back = cache::read_paragraph_file(file);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->size(), 2u);
    EXPECT_EQ((*back)[1].second, b);
    for (std::size_t n = 0; n < file.size(); ++n) EXPECT_FALSE(cache::read_paragraph_file(file.substr(0, n))) << n;
    for (std::size_t i = 0; i < file.size(); ++i) {
        std::string changed = file;
        changed[i] = static_cast<char>(changed[i] ^ 0x20);
        EXPECT_FALSE(cache::read_paragraph_file(changed)) << "byte " << i;
    }
    EXPECT_FALSE(cache::read_paragraph_file(file + "x"));
}

struct StoreDir {
    test::ScratchDir dir;
    fs::path folder() const { return dir.path() / "out" / cache::kFolderName; }
    std::unique_ptr<cache::ParagraphStore> store(std::string stamp = "folio test") const {
        auto s = std::make_unique<cache::ParagraphStore>(folder(), dir.path() / "book", "pdf", std::move(stamp));
        s->set_context("fonts");
        return s;
    }
    std::vector<fs::path> files() const { return test::files_with_extension(folder(), ".shelf"); }
    fs::path own(const std::string& what) const {
        return folder() / ("pdf-" + cache::book_tag(dir.path() / "book") + "-" + what);
    }
};

TEST(ParagraphStore, KeepsWhatABuildUsedAndIgnoresAShelfThatIsNotWhole) {
    StoreDir d;
    {
        auto s = d.store();
        for (int i = 0; i < 3; ++i) s->keep("a.md", s->key("paragraph " + std::to_string(i)), record_of(i));
        s->finish("a.md");
        s->keep("b.md", s->key("b"), record_of(9));
        s->save();
        EXPECT_EQ(s->take_counts().set, 4);
    }
    // Both groups in one shelf, which the index names.
    ASSERT_EQ(d.files().size(), 1u);
    EXPECT_TRUE(fs::exists(d.own("index")));
    EXPECT_TRUE(fs::exists(d.folder() / "CACHEDIR.TAG"));
    {
        auto s = d.store();
        EXPECT_EQ(s->recall("a.md", s->key("paragraph 1")), record_of(1));
        EXPECT_EQ(s->recall("a.md", s->key("paragraph 1")), record_of(1));  // used twice in a build
        EXPECT_EQ(s->recall("a.md", s->key("paragraph 5")), "");
        EXPECT_EQ(s->recall("b.md", s->key("b")), record_of(9));
        s->save();  // a.md now holds paragraph 1 alone
        EXPECT_EQ(s->take_counts().recalled, 3);
    }
    {
        auto s = d.store();
        EXPECT_EQ(s->recall("a.md", s->key("paragraph 0")), "");
        EXPECT_EQ(s->recall("a.md", s->key("paragraph 1")), record_of(1));
        s->save();  // b.md not used: it goes
    }
    {
        auto s = d.store();
        EXPECT_EQ(s->recall("b.md", s->key("b")), "");
        EXPECT_EQ(s->recall("a.md", s->key("paragraph 1")), record_of(1));
        s->save();
    }
    // Shelves mostly let go were copied, and what no index names removed.
    ASSERT_EQ(d.files().size(), 1u);
    EXPECT_LT(fs::file_size(d.files().front()), 200u);

    // The shelf cut short, altered, or not a shelf at all; the index altered: ignored,
    // then written again.
    for (const std::string& damage : {std::string("cut"), std::string("flip"), std::string("foreign"),
                                      std::string("index"), std::string("no index")}) {
        SCOPED_TRACE(damage);
        const fs::path file = damage.ends_with("index") ? d.own("index") : d.files().front();
        std::string bytes = test::slurp(file);
        if (damage == "cut")
            bytes.resize(bytes.size() / 2);
        else if (damage == "flip" || damage == "index")
            bytes[bytes.size() - 3] ^= 1;
        else
            bytes = "%PDF-1.7\n";
        if (damage == "no index")
            fs::remove(file);
        else
            test::spit(file, bytes);
        auto s = d.store();
        EXPECT_EQ(s->recall("a.md", s->key("paragraph 1")), "");
        EXPECT_EQ(s->take_counts().ignored, damage == "no index" ? 0 : 1);
        s->keep("a.md", s->key("paragraph 1"), record_of(1));
        s->save();
        auto again = d.store();
        EXPECT_EQ(again->recall("a.md", again->key("paragraph 1")), record_of(1));
        again->save();
        EXPECT_EQ(d.files().size(), 1u);
    }
}

// A build after an edit writes its new groups in a shelf of their own: many such
// builds leave neither many shelves nor shelves of what is no longer used.
TEST(ParagraphStore, BuildsAfterEditsKeepTheFolderSmall) {
    StoreDir d;
    constexpr int kArticles = 20;
    const auto article = [](int a) { return "a" + std::to_string(a) + ".md"; };
    std::map<int, int> edition;  // article -> its paragraphs' edition
    const auto build = [&](const std::set<int>& edited) {
        for (int a : edited) ++edition[a];
        auto s = d.store();
        for (int a = 0; a < kArticles; ++a) {
            const std::string material = article(a) + " edition " + std::to_string(edition[a]);
            const std::string record = record_of(100 + a) + std::to_string(edition[a]);
            const std::string kept = s->recall(article(a), s->key(material));
            if (kept.empty()) {
                EXPECT_TRUE(edition[a] == 0 || edited.contains(a)) << "article " << a << " set again";
                s->keep(article(a), s->key(material), record);
            } else {
                EXPECT_EQ(kept, record);
            }
            s->finish(article(a));
        }
        s->save();
    };
    const auto bytes = [&] {
        std::uintmax_t n = 0;
        for (const fs::path& f : d.files()) n += fs::file_size(f);
        return n;
    };
    build({});
    ASSERT_EQ(d.files().size(), 1u);
    const std::uintmax_t whole = bytes();
    // More than half of the shelf let go: what is left of it is copied.
    std::set<int> most;
    for (int a = 0; a <= kArticles / 2; ++a) most.insert(a);
    build(most);
    EXPECT_LT(bytes(), whole * 13 / 10);
    // One article at a time: the small shelves are gathered once there are many.
    for (int a = 0; a < kArticles; ++a) {
        build({a});
        EXPECT_LE(d.files().size(), 10u) << "after article " << a;
        EXPECT_LT(bytes(), whole * 2) << "after article " << a;
    }
    build({});
}

// Another build between reading the index and writing its own (its shared lock
// held) may still read or name any shelf: none is removed until a build is alone.
TEST(ParagraphStore, ABuildNotAloneRemovesNoShelf) {
    StoreDir d;
    {
        auto s = d.store();
        s->keep("a.md", s->key("one"), record_of(1));
        s->save();
    }
    const fs::path first = d.files().at(0);
    const int other = ::open(d.own("lock").c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(other, 0);
    ASSERT_EQ(::flock(other, LOCK_SH), 0);
    {
        auto s = d.store();
        s->keep("a.md", s->key("two"), record_of(2));
        s->save();  // a.md in a new shelf; the first named by no index now
    }
    EXPECT_EQ(d.files().size(), 2u);
    EXPECT_TRUE(fs::exists(first));
    ::close(other);
    {
        auto s = d.store();
        EXPECT_EQ(s->recall("a.md", s->key("two")), record_of(2));
        s->save();
    }
    ASSERT_EQ(d.files().size(), 1u);
    EXPECT_FALSE(fs::exists(first));
}

// A group's shelf gone (removed by hand, or by a build alone after this one read
// the index): its paragraphs are set again, and nothing is counted as damaged.
TEST(ParagraphStore, AShelfGoneIsSetAgain) {
    StoreDir d;
    {
        auto s = d.store();
        s->keep("a.md", s->key("one"), record_of(1));
        s->save();
    }
    fs::remove(d.files().at(0));
    auto s = d.store();
    EXPECT_EQ(s->recall("a.md", s->key("one")), "");
    EXPECT_EQ(s->take_counts().ignored, 0);
    s->keep("a.md", s->key("one"), record_of(1));
    s->save();
    auto again = d.store();
    EXPECT_EQ(again->recall("a.md", again->key("one")), record_of(1));
}

// A run's glyphs as a view: read without a copy, copied into an array of their own
// before anything in them changes, the bytes viewed never written.
TEST(GlyphArray, AViewIsReadInPlaceAndCopiedBeforeItChanges) {
    const std::vector<layout::PlacedGlyph> kept = {{1, 1, 0, 0.f}, {2, 1, 1, 5.f}, {3, 2, 0, 9.5f}};
    const auto same = [](const layout::GlyphArray& a, std::span<const layout::PlacedGlyph> b) {
        return a.size() == b.size() && (b.empty() || std::memcmp(a.data(), b.data(), b.size() * sizeof b[0]) == 0);
    };
    layout::GlyphArray view = layout::GlyphArray::view_of(kept.data(), kept.size());
    ASSERT_TRUE(view.viewed());
    const layout::GlyphArray& read = view;
    EXPECT_EQ(read.data(), kept.data());
    EXPECT_EQ(read.back().gid, 3);
    layout::GlyphArray copy = view;  // a copy of a view is a view
    EXPECT_TRUE(copy.viewed());
    EXPECT_EQ(std::as_const(copy).data(), kept.data());
    copy.resize(2);  // cut, still a view
    EXPECT_TRUE(copy.viewed());
    EXPECT_TRUE(same(copy, std::span(kept).first(2)));

    view.back().space_after = 1;  // a change: copied first
    EXPECT_FALSE(view.viewed());
    EXPECT_NE(std::as_const(view).data(), kept.data());
    EXPECT_EQ(kept[2].space_after, 0) << "the viewed bytes are never written";
    EXPECT_EQ(view[2].space_after, 1);

    layout::GlyphArray grown = layout::GlyphArray::view_of(kept.data(), kept.size());
    grown.push_back({4, 0, 0, 12.f});
    EXPECT_EQ(grown.size(), 4u);
    EXPECT_TRUE(same(layout::GlyphArray(grown.begin(), grown.begin() + 3), kept));
    layout::GlyphArray cut = layout::GlyphArray::view_of(kept.data(), kept.size());
    cut.erase(cut.begin(), cut.begin() + 1);
    EXPECT_TRUE(same(cut, std::span(kept).subspan(1)));
    cut.shrink_to_fit();
    EXPECT_TRUE(same(cut, std::span(kept).subspan(1)));
    layout::GlyphArray moved = std::move(cut);
    EXPECT_EQ(moved.size(), 2u);
    EXPECT_TRUE(cut.empty());
}

// A run's text as a view: read without a copy, copied before anything in it
// changes, the bytes viewed never written; a view cut at its start stays one.
TEST(RunText, AViewIsReadInPlaceAndCopiedBeforeItChanges) {
    const std::string kept = "Kept words";
    layout::RunText view = layout::RunText::view_of(kept);
    ASSERT_TRUE(view.viewed());
    EXPECT_EQ(view.data(), kept.data());
    EXPECT_EQ(view, "Kept words");
    layout::RunText copy = view;  // a copy of a view is a view
    EXPECT_TRUE(copy.viewed());
    EXPECT_EQ(copy.data(), kept.data());
    copy.resize(4);  // cut, still a view
    EXPECT_TRUE(copy.viewed());
    EXPECT_EQ(copy, "Kept");
    layout::RunText tail = view;
    tail.erase(0, 5);  // cut at its start: still a view
    EXPECT_TRUE(tail.viewed());
    EXPECT_EQ(tail.data(), kept.data() + 5);
    EXPECT_EQ(tail, "words");

    view.append("!");  // a change: copied first
    EXPECT_FALSE(view.viewed());
    EXPECT_NE(view.data(), kept.data());
    EXPECT_EQ(view, "Kept words!");
    EXPECT_EQ(kept, "Kept words") << "the viewed bytes are never written";
    layout::RunText middle = layout::RunText::view_of(kept);
    middle.erase(4, 1);
    EXPECT_FALSE(middle.viewed());
    EXPECT_EQ(middle, "Keptwords");
    EXPECT_EQ(kept, "Kept words");

    layout::RunText own("set here");  // text of its own, copied as such
    layout::RunText own_copy = own;
    EXPECT_FALSE(own_copy.viewed());
    EXPECT_NE(own_copy.data(), own.data());
    own_copy.shrink_to_fit();
    EXPECT_EQ(own_copy, "set here");
    layout::RunText moved = std::move(own_copy);
    EXPECT_EQ(moved, "set here");
    EXPECT_TRUE(own_copy.empty());
    EXPECT_TRUE(layout::RunText::view_of("").empty());
}

// The cache's files are mapped, not read: a piece of one is a view of the same
// mapping, and stays as it was read when the file is replaced (by renaming, as every
// writer of the cache replaces its files) or removed by another build meanwhile.
TEST(MappedBytes, APieceIsOfTheMappingAndOutlivesTheFileReplacedAndRemoved) {
    test::ScratchDir dir;
    const fs::path file = dir.path() / "shelf";
    write_file_atomically(file, std::string("first shelf: ") + std::string(5000, 'x') + "end");
    Bytes piece;
    {
        const Bytes whole = read_file_bytes(file, /*mapped=*/true);
        ASSERT_EQ(whole.size(), 5016u);
        piece = whole.piece(13, 5003);
        EXPECT_EQ(piece.data(), whole.data() + 13) << "a view, not a copy";
        EXPECT_EQ(whole.piece(5010, 100).view(), "xxxend") << "cut at the end";
        EXPECT_EQ(whole.piece(6000, 1).size(), 0u);
    }
    write_file_atomically(file, "another build's shelf");
    EXPECT_EQ(piece.view(), std::string(5000, 'x') + "end");
    fs::remove(file);
    EXPECT_EQ(piece.view(), std::string(5000, 'x') + "end");
    // Bytes that are not mapped give a copy.
    const Bytes owned(std::string("abcdef"));
    EXPECT_EQ(owned.piece(2, 3).view(), "cde");
    EXPECT_EQ(owned.mapping(), nullptr);
}

// A writer that begins before its build knows whether it may replace the earlier
// file (the reading PDF, written while the print edition is still set: src/build)
// is asked with its new file complete, and a refusal leaves the earlier file and no
// temporary one.
TEST(WriteFileAtomically, AsksBeforeReplacingWithTheNewFileCompleteAndARefusalLeavesTheEarlierOne) {
    test::ScratchDir dir;
    const fs::path file = dir.path() / "book.pdf";
    write_file_atomically(file, "the earlier book");
    const auto fill = [](const fs::path& temporary) { test::spit(temporary, "the new book"); };
    struct Refused {};
    std::string seen;
    EXPECT_THROW(write_file_atomically(file, fill,
                                       [&] {
                                           for (const auto& e : fs::directory_iterator(dir.path()))
                                               if (e.path() != file) seen = test::slurp(e.path());
                                           throw Refused{};
                                       }),
                 Refused);
    EXPECT_EQ(seen, "the new book") << "complete when asked";
    EXPECT_EQ(test::slurp(file), "the earlier book");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1) << "a file left behind";
    write_file_atomically(file, fill, [] {});
    EXPECT_EQ(test::slurp(file), "the new book");
}

// A string made lasting is held as a mapping is: its bytes stay where they are
// while anything holds them (what folio watch keeps in memory between builds).
TEST(MappedBytes, ALastingStringStaysWhereItIsWhileHeld) {
    std::shared_ptr<const void> held;
    std::string_view seen;
    {
        const Bytes whole = Bytes::lasting(std::string(5000, 'y') + "end");
        ASSERT_NE(whole.mapping(), nullptr);
        const Bytes piece = whole.piece(4990, 100);
        EXPECT_EQ(piece.data(), whole.data() + 4990) << "a view, not a copy";
        EXPECT_EQ(piece.mapping(), whole.mapping());
        held = whole.mapping();
        seen = whole.view();
    }
    EXPECT_EQ(seen.substr(4990), "yyyyyyyyyyend");
    EXPECT_EQ(Bytes::lasting("").size(), 0u);
}

// A shelf a build is reading, replaced by another build's (renamed into place) or
// removed: the build reads the groups as the index it read named them.
TEST(ParagraphStore, AShelfReplacedOrRemovedWhileABuildReadsItIsReadAsItWas) {
    StoreDir d;
    {
        auto s = d.store();
        s->keep("a.md", s->key("one"), record_of(1));
        s->keep("b.md", s->key("two"), record_of(2));
        s->save();
    }
    ASSERT_EQ(d.files().size(), 1u);
    const fs::path shelf = d.files().front();
    auto s = d.store();
    EXPECT_EQ(s->recall("a.md", s->key("one")), record_of(1));
    write_file_atomically(shelf, std::string(fs::file_size(shelf), '\0'));
    EXPECT_EQ(s->recall("b.md", s->key("two")), record_of(2));
    EXPECT_EQ(s->take_counts().ignored, 0);
    fs::remove(shelf);
    EXPECT_EQ(s->recall("a.md", s->key("one")), record_of(1)) << "its group, opened, as it was";
}

TEST(ShelfIndex, RefusesWhatIsNotAnIndex) {
    const std::string index = cache::write_shelf_index({{MemoKey{1, 2}, {7, 0, 40}}, {MemoKey{0, 9}, {7, 40, 8}}});
    const auto back = cache::read_shelf_index(index);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->size(), 2u);
    EXPECT_EQ((*back)[0].first, (MemoKey{0, 9}));  // in the order of their keys
    EXPECT_EQ((*back)[0].second, (cache::ShelfPlace{7, 40, 8}));
    for (std::size_t n = 0; n < index.size(); ++n) EXPECT_FALSE(cache::read_shelf_index(index.substr(0, n))) << n;
    // A paragraph file is not an index: its records are not places.
    EXPECT_FALSE(cache::read_shelf_index(cache::write_paragraph_file({{MemoKey{1, 2}, "a record"}})));
}

// A group no article finishes (the front matter's, the contents'), still open when
// the build saves: its file too holds only what the build used.
TEST(ParagraphStore, AGroupStillOpenAtTheEndKeepsOnlyWhatTheBuildUsed) {
    StoreDir d;
    {
        auto s = d.store();
        s->keep("book.yaml", s->key("old"), record_of(1));
        s->keep("book.yaml", s->key("kept"), record_of(2));
        s->save();
    }
    {
        auto s = d.store();
        EXPECT_EQ(s->recall("book.yaml", s->key("kept")), record_of(2));
        s->keep("book.yaml", s->key("new"), record_of(3));
        s->save();
    }
    ASSERT_EQ(d.files().size(), 1u);
    const std::string bytes = test::slurp(d.files().front());
    const auto records = cache::read_paragraph_file(bytes);
    ASSERT_TRUE(records);
    EXPECT_EQ(records->size(), 2u);
    auto s = d.store();
    EXPECT_EQ(s->recall("book.yaml", s->key("old")), "");
    EXPECT_EQ(s->recall("book.yaml", s->key("kept")), record_of(2));
    EXPECT_EQ(s->recall("book.yaml", s->key("new")), record_of(3));
}

TEST(ParagraphStore, SweepsAwayWhatAKilledBuildLeftAndNothingAWriterHolds) {
    StoreDir d;
    fs::create_directories(d.folder());
    const fs::path abandoned = d.folder() / ".pdf-0-1.lines.tmp-a4242x";
    const fs::path held = d.folder() / ".pdf-0-2.lines.tmp-a4243x";
    test::spit(abandoned, "half a file");
    test::spit(held, "being written");
    const int fd = ::open(held.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // as a build still writing it holds it
    auto s = d.store();
    s->keep("a.md", s->key("one"), record_of(1));
    s->save();
    EXPECT_FALSE(fs::exists(abandoned));
    EXPECT_TRUE(fs::exists(held));
    ::close(fd);
}

// A temporary file a sweep removed before its writer held the lock is not the
// writer's: lock_new_temporary says so, and the writer makes another (else its
// records were lost when two stores of one build wrote and swept at once).
TEST(ParagraphStore, AWriterKnowsWhenASweepTookItsNewFile) {
    StoreDir d;
    fs::create_directories(d.folder());
    const fs::path file = d.folder() / ".pdf-0-3.lines.tmp-a4244x";
    test::spit(file, "");
    int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_TRUE(lock_new_temporary(fd));
    ::close(fd);
    fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    remove_abandoned_files(d.folder(), is_temporary_name);  // not locked yet
    EXPECT_FALSE(fs::exists(file));
    EXPECT_FALSE(lock_new_temporary(fd));
    ::close(fd);
}

TEST(ParagraphStore, AnotherFolioOrAnotherContextIsAnotherKey) {
    StoreDir d;
    auto s = d.store("folio 0.1.0+aaaa");
    auto other = d.store("folio 0.1.0+bbbb");
    EXPECT_FALSE(s->key("paragraph") == other->key("paragraph"));
    auto fonts = d.store("folio 0.1.0+aaaa");
    fonts->set_context("other fonts");
    EXPECT_FALSE(s->key("paragraph") == fonts->key("paragraph"));
    EXPECT_TRUE(s->key("paragraph") == d.store("folio 0.1.0+aaaa")->key("paragraph"));
}

TEST(ParagraphStore, InMemoryItKeepsWhatTheLastBuildUsedAndNoMore) {
    cache::ParagraphStore s(std::nullopt, "book", "pdf", "folio test");
    s.set_context("fonts");
    s.keep("a.md", s.key("one"), record_of(1));
    s.keep("a.md", s.key("two"), record_of(2));
    s.keep("b.md", s.key("three"), record_of(3));
    s.save();
    EXPECT_EQ(s.recall("a.md", s.key("one")), record_of(1));
    s.save();  // "two" and b.md were not used by this build
    EXPECT_EQ(s.recall("a.md", s.key("one")), record_of(1));
    EXPECT_EQ(s.recall("a.md", s.key("two")), "");
    EXPECT_EQ(s.recall("b.md", s.key("three")), "");
}

// Between the builds of folio watch, a group whose every record was used, and none
// set, keeps its bytes where they are; one that let a record go is copied without it.
TEST(ParagraphStore, InMemoryAGroupUsedWholeStaysWhereItIs) {
    cache::ParagraphStore s(std::nullopt, "book", "pdf", "folio test");
    s.set_context("fonts");
    s.keep("a.md", s.key("one"), record_of(1));
    s.keep("a.md", s.key("two"), record_of(2));
    s.save();
    const auto where = [&](const char* name) {
        const char* at = nullptr;
        s.read_kept("a.md", s.key(name), [&](const layout::ParagraphMemo::Kept& kept) {
            EXPECT_NE(kept.lasting, nullptr) << "read in place, as from a file";
            at = kept.record.data();
            return true;
        });
        return at;
    };
    const char* one = where("one");
    const char* two = where("two");
    ASSERT_NE(one, nullptr);
    ASSERT_NE(two, nullptr);
    s.save();
    EXPECT_EQ(where("one"), one);
    EXPECT_EQ(where("two"), two);
    s.save();
    EXPECT_EQ(s.recall("a.md", s.key("one")), record_of(1));
    s.save();  // "two" not used by this build: let go
    EXPECT_EQ(s.recall("a.md", s.key("one")), record_of(1));
    EXPECT_EQ(s.recall("a.md", s.key("two")), "");
}

TEST(ParagraphStore, InMemoryItHoldsNoMoreThanItsBudget) {
    cache::ParagraphStore s(std::nullopt, "book", "pdf", "folio test", /*memory_budget=*/3 * record_of(5).size());
    s.set_context("fonts");
    for (int i = 0; i < 5; ++i) s.keep("a.md", s.key(std::to_string(i)), record_of(5));
    EXPECT_EQ(s.take_counts().set, 5);
    s.save();
    int kept = 0;
    for (int i = 0; i < 5; ++i) kept += !s.recall("a.md", s.key(std::to_string(i))).empty();
    EXPECT_EQ(kept, 3);
    s.save();  // what was held and used stays within the budget: nothing more is kept
    s.keep("a.md", s.key("5"), record_of(5));
    s.save();
    EXPECT_EQ(s.recall("a.md", s.key("5")), "");
}

// Articles kept whole (layout/typeset.cpp): a book set again through the memo reads
// each article back instead of setting it, and prints the pages set without a
// memo, to the byte of the PDF, in both settings; an article changed is set again,
// alone. Every sample book: tables, turned tables, pictures, notes, languages.
TEST(ArticleMemo, ABookSetAgainReadsEachArticleBackAndPrintsTheSame) {
    for (const fs::path& dir : test::all_books()) {
        SCOPED_TRACE(dir.string());
        Diagnostics d;
        doc::Book book = book::load_book(dir, d);
        const layout::PrintStyle style = build::print_style(book, d);
        long articles = 0;
        book.for_each_article([&](const doc::Chapter&, const doc::Article&) { ++articles; });
        for (const bool print : {false, true}) {
            SCOPED_TRACE(print ? "print" : "reading");
            pdf::PdfOptions o;
            o.print = print;
            const auto pdf_of = [&](layout::ParagraphMemo* memo) {
                Diagnostics quiet;
                return pdf::render_pdf(print ? layout::typeset_for_print(book, style, quiet, nullptr, memo)
                                             : layout::typeset(book, style, quiet, nullptr, memo),
                                       book, o);
            };
            MapMemo memo;
            const std::string clean = pdf_of(nullptr);
            EXPECT_TRUE(pdf_of(&memo) == clean);
            EXPECT_GE(memo.kept, articles);
            memo.kept = memo.recalled = 0;
            EXPECT_TRUE(pdf_of(&memo) == clean) << "read back";
            EXPECT_EQ(memo.kept, 0);
            EXPECT_GE(memo.recalled, articles);
            {
                // Read back, the runs' glyphs and texts are views of the records the
                // memo gave as lasting, which the pages hold.
                Diagnostics quiet;
                const layout::Pages back = print ? layout::typeset_for_print(book, style, quiet, nullptr, &memo)
                                                 : layout::typeset(book, style, quiet, nullptr, &memo);
                std::size_t runs = 0, viewed = 0, texts_viewed = 0;
                for (const layout::Page& p : back.pages)
                    for (const layout::GlyphRun& r : p.runs) {
                        ++runs;
                        viewed += r.glyphs.viewed();
                        texts_viewed += r.text.viewed();
                    }
                EXPECT_GT(viewed, runs / 2);
                EXPECT_GT(texts_viewed, runs / 2);
                EXPECT_FALSE(back.lasting.empty());
            }

            // A word of one article: that article is set again, and kept whole.
            ASSERT_TRUE(test::add_to_first_article(book, " again"));
            memo.kept = memo.recalled = 0;
            const std::string edited = pdf_of(&memo);
            EXPECT_TRUE(edited == pdf_of(nullptr));
            EXPECT_FALSE(edited == clean);
            EXPECT_GE(memo.kept, 1);  // and, in print, what prints its pages if they moved
            EXPECT_GE(memo.recalled, articles - 1) << "every other article read back";
        }
    }
}

// A memo whose lasting records are buffers it hands out again once let go, at the
// same addresses (as a mapping unmapped and another mapped may be): a setting must
// hold every one its pages' glyphs are views of, though one of an earlier setting,
// let go since, had the same address.
class RecyclingMemo final : public layout::ParagraphMemo {
public:
    MapMemo inner;

    void set_context(std::string_view c) override { inner.set_context(c); }
    MemoKey key(std::string_view material) const override { return inner.key(material); }
    bool read_kept(const std::string& group, const MemoKey& k, const std::function<bool(const Kept&)>& read) override {
        std::string record = inner.recall(group, k);
        if (record.empty()) return false;
        std::shared_ptr<std::string> buffer;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_free.empty()) {
                buffer.reset(m_free.back(), [this](std::string* b) { let_go(b); });
                m_free.pop_back();
            }
        }
        if (!buffer) buffer.reset(new std::string, [this](std::string* b) { let_go(b); });
        *buffer = std::move(record);
        return read({*buffer, buffer});
    }
    void keep(const std::string& group, const MemoKey& k, std::string record) override {
        inner.keep(group, k, std::move(record));
    }
    void finish(const std::string& group) override { inner.finish(group); }
    ~RecyclingMemo() override {
        for (std::string* b : m_free) delete b;
    }

private:
    void let_go(std::string* b) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_free.push_back(b);
    }
    std::mutex m_mutex;
    std::vector<std::string*> m_free;
};

TEST(ArticleMemo, EachSettingHoldsTheRecordsItsGlyphsAreViewsOf) {
    Diagnostics d;
    const doc::Book book = book::load_book(test::source_dir() / "books/field-guide", d);
    const layout::PrintStyle style = build::print_style(book, d);
    const auto pdf_of = [&](layout::ParagraphMemo* memo) {
        Diagnostics quiet;
        return pdf::render_pdf(layout::typeset(book, style, quiet, nullptr, memo), book, {});
    };
    const std::string clean = pdf_of(nullptr);
    RecyclingMemo memo;
    EXPECT_TRUE(pdf_of(&memo) == clean);
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(pdf_of(&memo) == clean) << "read back, setting " << i;
}

// An article's record read back only whole: every cut and a record read against
// other texts are refused, and a record with a byte changed is refused or read
// into lines within the bounds (the fuzz target tries the rest).
TEST(ArticleMemo, ARecordThatIsNotWholeOrOutOfBoundsIsNotRead) {
    Diagnostics d;
    doc::Book book = book::load_book(test::source_dir() / "books/field-guide", d);
    const layout::PrintStyle style = build::print_style(book, d);
    MapMemo memo;
    layout::typeset(book, style, d, nullptr, &memo);
    // The largest record is an article's.
    std::string largest;
    for (const auto& [key, record] : memo.records)
        if (record.size() > largest.size()) largest = record;
    ASSERT_FALSE(largest.empty());
    layout::FontContext ctx(style);
    std::vector<const std::string*> texts;
    std::optional<layout::ArticleRecord> read;
    // Find the article whose texts it was written with.
    book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
        if (read) return;
        std::vector<const std::string*> mine;
        std::string ignored;
        KeyBytes k{ignored};
        doc::article_material(k, a, [&](const std::string& t) { mine.push_back(&t); });
        const layout::ElementRef outer[] = {layout::make_element("Document", nullptr, "en"), nullptr};
        read = layout::read_article_record(largest,
                                           {mine, ctx.fonts.get(), [](const std::string&) { return true; }, outer});
        if (read) texts = mine;
    });
    ASSERT_TRUE(read) << "the largest record is no article's";
    EXPECT_FALSE(read->flow.empty());
    const layout::ElementRef outer[] = {layout::make_element("Document", nullptr, "en"), nullptr};
    const layout::ArticleBounds bounds{texts, ctx.fonts.get(), [](const std::string&) { return true; }, outer};
    for (std::size_t n = 0; n < largest.size(); n += 1 + n / 50)
        EXPECT_FALSE(layout::read_article_record(std::string_view(largest).substr(0, n), bounds)) << n;
    EXPECT_FALSE(layout::read_article_record(largest + "x", bounds));
    const std::vector<const std::string*> none;
    const layout::ArticleBounds other{none, ctx.fonts.get(), [](const std::string&) { return true; }, outer};
    EXPECT_FALSE(layout::read_article_record(largest, other)) << "lines that begin in texts it does not have";
    for (std::size_t at = 0; at < largest.size(); at += 97) {
        std::string bent = largest;
        bent[at] = static_cast<char>(bent[at] ^ 0x5A);
        if (const auto r = layout::read_article_record(bent, bounds)) {
            EXPECT_LE(r->flow.size(), largest.size());
        }
    }
}

}  // namespace
}  // namespace folio
