// Hostile inputs (issue 5, parts 3 and 5): each one built with the real folio
// binary. The outcome is either a clean build whose outputs are valid, or a located
// error (file:line:col: error: …) with the earlier outputs untouched and nothing left
// behind; never a signal, never a hang, never unbounded memory, and nothing in a book
// that a reader's device would run. Big inputs are made here, at test time.
#include "doc/typography.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <tinyxml2.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <functional>
#include <map>

namespace folio {
namespace {

namespace fs = std::filesystem;
using test::slurp;
using test::spit;

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer's shadow memory and quarantine: memory bounds are multiplied.
constexpr long kSanitizerFactor = 3;
#else
constexpr long kSanitizerFactor = 1;
#endif

constexpr long kMiB = 1024;  // ru_maxrss is in KiB

// A pathological input may take at most this many times as long (and as much
// memory) as a normal input of the same size, built the same way. folio's stages are
// linear (or n log n) in their input, so the ratios measured are 1-3; a stage that
// turned quadratic would give hundreds at these sizes (10 MB, 200,000 characters,
// 10,000 levels). 5 leaves room for constant factors that differ between shapes
// (one paragraph's line breaker holds more candidate breaks than many short ones;
// process start-up dominates a small book) and for two noisy shared cores.
constexpr double kMaxRatio = 5.0;

constexpr const char* kManifest =
    "title: Hostile Inputs\n"
    "author: [Ann Author]\n"
    "language: en\n"
    "date: 2026-01-01\n"
    "defaults:\n"
    "  site: Test Site\n"
    "  license: CC0 1.0\n"
    "chapters:\n"
    "  - title: One\n"
    "    articles: [articles/a.md]\n";

constexpr const char* kFrontMatter = "title: An Article\nauthor: Ann Author\n";

// The article's body starts on this line (after "---", two lines of front matter,
// "---" and a blank line).
constexpr int kBodyLine = 6;

// `n` bytes of ordinary English words, spaces between them.
std::string normal_words(std::size_t n) {
    static const char* words[] = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dogs",
                                  "while", "reading", "good", "books", "under", "a", "tree"};
    std::string out;
    out.reserve(n + 16);
    for (std::size_t i = 0; out.size() < n; ++i) {
        out += words[i % (sizeof words / sizeof *words)];
        out += ' ';
    }
    out.resize(n);
    return out;
}

// The same words cut into paragraphs of about `length` bytes.
std::string normal_paragraphs(std::size_t n, std::size_t length = 600) {
    const std::string words = normal_words(n);
    std::string out;
    out.reserve(n + n / length * 2 + 2);
    for (std::size_t at = 0; at < words.size(); at += length) {
        std::size_t end = std::min(words.size(), at + length);
        out.append(words, at, end - at);
        out += "\n\n";
    }
    return out;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
    return n;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// Every file of a folder, by name: what a reader finds there. The cache's folder
// is not an output: what a build that failed had set stays there for the next.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename() != ".folio-cache") out[e.path().filename().string()] = slurp(e.path());
    return out;
}

std::string names(const std::map<std::string, std::string>& files) {
    std::string out;
    for (const auto& [name, bytes] : files) out += name + " (" + std::to_string(bytes.size()) + " bytes)\n";
    return out;
}

// CRC-32 as PNG chunks carry it.
std::uint32_t crc32_of(const std::string& bytes) { return static_cast<std::uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size()))); }

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string png_chunk(const std::string& type, const std::string& data) {
    return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc32_of(type + data));
}

// A valid 8-bit grey PNG of w x h pixels, all mid-grey, deflated row by row (a
// 30,000 x 30,000 picture is 900 MB of pixels but under a megabyte of file).
std::string grey_png(std::uint32_t w, std::uint32_t h) {
    z_stream z{};
    deflateInit(&z, 9);
    std::string row(w + 1, '\x80');
    row[0] = 0;  // filter: none
    std::string idat;
    std::string buf(1 << 16, '\0');
    for (std::uint32_t y = 0; y <= h; ++y) {
        const bool last = y == h;
        z.next_in = last ? nullptr : reinterpret_cast<Bytef*>(row.data());
        z.avail_in = last ? 0 : static_cast<uInt>(row.size());
        do {
            z.next_out = reinterpret_cast<Bytef*>(buf.data());
            z.avail_out = static_cast<uInt>(buf.size());
            deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
            idat.append(buf.data(), buf.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    const std::string ihdr = be32(w) + be32(h) + std::string("\x08\x00\x00\x00\x00", 5);
    return std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) + png_chunk("IDAT", idat) + png_chunk("IEND", "");
}

// A small valid JPEG (stb_image_write), and the same with its frame header changed
// to claim w x h pixels.
std::string small_jpeg() {
    std::string out;
    std::vector<unsigned char> pixels(16 * 16 * 3, 200);
    stbi_write_jpg_to_func([](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<std::size_t>(size)); },
                           &out, 16, 16, 3, pixels.data(), 90);
    return out;
}

std::string jpeg_claiming(std::uint16_t w, std::uint16_t h) {
    std::string j = small_jpeg();
    for (std::size_t i = 2; i + 9 < j.size();) {
        const auto marker = static_cast<unsigned char>(j[i + 1]);
        const std::size_t len = (static_cast<unsigned char>(j[i + 2]) << 8) | static_cast<unsigned char>(j[i + 3]);
        if (marker == 0xC0 || marker == 0xC2) {
            j[i + 5] = static_cast<char>(h >> 8), j[i + 6] = static_cast<char>(h & 0xFF);
            j[i + 7] = static_cast<char>(w >> 8), j[i + 8] = static_cast<char>(w & 0xFF);
            return j;
        }
        i += 2 + len;
    }
    ADD_FAILURE() << "no frame header in the JPEG";
    return j;
}

tinyxml2::XMLDocument* parse_xml(tinyxml2::XMLDocument& doc, const std::string& bytes, const std::string& what) {
    if (doc.Parse(bytes.c_str(), bytes.size()) != tinyxml2::XML_SUCCESS) {
        ADD_FAILURE() << what << " is not well-formed XML: " << doc.ErrorStr();
        return nullptr;
    }
    return &doc;
}

// Visits every element under `root` in document order, without recursion (a test of deep nesting must
// not overflow its own stack).
void for_each_element(const tinyxml2::XMLElement* root, const std::function<void(const tinyxml2::XMLElement&)>& f) {
    std::vector<const tinyxml2::XMLElement*> stack{root};
    while (!stack.empty()) {
        const tinyxml2::XMLElement* e = stack.back();
        stack.pop_back();
        f(*e);
        for (const tinyxml2::XMLElement* c = e->LastChildElement(); c; c = c->PreviousSiblingElement())
            stack.push_back(c);
    }
}

// The text content of the first element named `name`, or "" (with a failure).
std::string text_of_first(const tinyxml2::XMLDocument& doc, const std::string& name) {
    std::string found;
    bool seen = false;
    for_each_element(doc.RootElement(), [&](const tinyxml2::XMLElement& e) {
        if (seen || name != e.Name()) return;
        seen = true;
        std::vector<const tinyxml2::XMLNode*> stack{&e};
        while (!stack.empty()) {
            const tinyxml2::XMLNode* n = stack.back();
            stack.pop_back();
            if (const auto* t = n->ToText()) found += t->Value();
            std::vector<const tinyxml2::XMLNode*> kids;
            for (const tinyxml2::XMLNode* c = n->FirstChild(); c; c = c->NextSibling()) kids.push_back(c);
            stack.insert(stack.end(), kids.rbegin(), kids.rend());
        }
    });
    if (!seen) ADD_FAILURE() << "no <" << name << ">";
    return found;
}

class Hostile : public ::testing::Test {
protected:
    fs::path book(const std::string& rel = "") const { return rel.empty() ? dir / "book" : dir / "book" / rel; }
    fs::path out(const std::string& name = "") const { return name.empty() ? dir / "out" : dir / "out" / name; }

    void write_book(const std::string& body, const std::string& front_matter = kFrontMatter,
                    const std::string& manifest = kManifest) {
        spit(book("book.yaml"), manifest);
        spit(book("articles/a.md"), "---\n" + front_matter + "---\n\n" + body);
    }

    test::MeasuredRun build(const std::string& format = "all", const std::string& book_dir = "book",
                            const std::string& out_dir = "out", test::RunLimits limits = {}) {
        return test::run_folio_measured({"build", book_dir, "-o", out_dir, "--format", format}, dir.path(), limits);
    }

    // The good book, built in every format: the outputs a bad input must not touch.
    void build_good_book() {
        write_book("A good article, with *emphasis*.\n");
        const auto r = build();
        ASSERT_EQ(r.exit_code, 0) << r.err;
        before = snapshot(out());
        ASSERT_EQ(before.size(), 4u) << names(before);  // the three formats and the permissions log
    }

    static void expect_no_crash(const test::MeasuredRun& r) {
        EXPECT_EQ(r.signal, 0) << "folio was killed by signal " << r.signal << "\n" << r.err.substr(0, 2000);
        EXPECT_FALSE(r.timed_out) << "folio hung";
    }

    static void expect_clean(const test::MeasuredRun& r) {
        expect_no_crash(r);
        EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 4000);
    }

    // The error, located; the outputs of the good book, byte for byte, and nothing else.
    void expect_located_error(const test::MeasuredRun& r, const std::string& located) {
        expect_no_crash(r);
        EXPECT_EQ(r.exit_code, 1) << r.err.substr(0, 4000);
        EXPECT_NE(r.err.find(located), std::string::npos) << "stderr was:\n" << r.err.substr(0, 4000);
        const auto now = snapshot(out());
        EXPECT_EQ(names(now), names(before)) << "the output folder changed";
        EXPECT_TRUE(now == before) << "an earlier output changed";
    }

    // Every entry readable (libzip checks the CRC), mimetype first, every XML
    // document well-formed.
    test::ZipContents check_epub(const fs::path& epub) {
        test::ZipContents z;
        try {
            z = test::read_zip(epub);
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();
            return z;
        }
        EXPECT_FALSE(z.names.empty());
        if (!z.names.empty()) {
            EXPECT_EQ(z.names.front(), "mimetype");
        }
        for (const auto& [name, bytes] : z.bytes) {
            const std::string ext = fs::path(name).extension().string();
            if (ext != ".xhtml" && ext != ".opf" && ext != ".ncx" && ext != ".xml") continue;
            tinyxml2::XMLDocument doc;
            parse_xml(doc, bytes, name);
        }
        return z;
    }

    static void check_pdf(const fs::path& pdf) {
        const auto r = test::run_command("qpdf --check " + quoted(pdf));
        EXPECT_EQ(r.exit_code, 0) << pdf << "\n" << r.out.substr(0, 2000);
        EXPECT_NE(r.out.find("No syntax or stream encoding errors found"), std::string::npos) << r.out.substr(0, 2000);
    }

    // epubcheck (as tests/validate/epubcheck.sh runs it): no message of any kind.
    static void expect_epubcheck_passes(const fs::path& epub) {
        const auto r = test::run_command("java -Xss64m -jar /usr/share/java/epubcheck.jar " + quoted(epub));
        EXPECT_EQ(r.exit_code, 0) << r.out;
        EXPECT_NE(r.out.find("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"), std::string::npos) << r.out;
    }

    // A field of pdfinfo's report ("Title", "Author"), UTF-8.
    static std::string pdf_info(const fs::path& pdf, const std::string& field) {
        const std::string info = test::run_command("pdfinfo -enc UTF-8 " + quoted(pdf)).out;
        const std::size_t at = info.find("\n" + field + ":");
        if (at == std::string::npos && info.rfind(field + ":", 0) != 0) return "<none>";
        std::size_t start = at == std::string::npos ? field.size() + 1 : at + field.size() + 2;
        while (start < info.size() && info[start] == ' ') ++start;
        return info.substr(start, info.find('\n', start) - start);
    }

    static std::string pdf_text(const fs::path& pdf) {
        return test::run_command("pdftotext -enc UTF-8 " + quoted(pdf) + " -").out;
    }

    // The PDF with its streams uncompressed and its objects in the open.
    std::string pdf_objects(const fs::path& pdf) {
        const fs::path qdf = dir / "qdf.pdf";
        const auto r = test::run_command("qpdf --qdf --object-streams=disable " + quoted(pdf) + " " + quoted(qdf));
        EXPECT_EQ(r.exit_code, 0) << r.out;
        return slurp(qdf);
    }

    // The two books built the same way; the first may take at most kMaxRatio times
    // as long, and as much memory, as the second. Noise only ever slows a run: when
    // the bound is passed, the pair runs once more and the faster run of each counts.
    void expect_bounded_ratio(const std::string& slow_book, const std::string& base_book,
                              const std::vector<std::string>& formats) {
        auto run = [&](const std::string& b, double& seconds, long& rss) {
            seconds = 0;
            rss = 0;
            for (const std::string& f : formats) {
                const auto r = build(f, b, "ratio-out");
                expect_clean(r);
                seconds += r.seconds;
                rss = std::max(rss, r.peak_rss_kb);
            }
        };
        double slow = 0, base = 0;
        long slow_rss = 0, base_rss = 0;
        run(slow_book, slow, slow_rss);
        run(base_book, base, base_rss);
        if (slow > kMaxRatio * base) {
            double s2 = 0, b2 = 0;
            long unused = 0;
            run(base_book, b2, unused);
            run(slow_book, s2, unused);
            slow = std::min(slow, s2);
            base = std::min(base, b2);
        }
        std::printf("[ ratio ] %s: %.2f s, %ld MiB; %s: %.2f s, %ld MiB; time ratio %.2f, memory ratio %.2f\n",
                    slow_book.c_str(), slow, slow_rss / kMiB, base_book.c_str(), base, base_rss / kMiB, slow / base,
                    static_cast<double>(slow_rss) / static_cast<double>(base_rss));
        EXPECT_LE(slow, kMaxRatio * base) << slow_book << " took " << slow << " s, " << base_book << " " << base << " s";
        EXPECT_LE(static_cast<double>(slow_rss), kMaxRatio * static_cast<double>(base_rss))
            << slow_book << " peaked at " << slow_rss << " KiB, " << base_book << " at " << base_rss << " KiB";
    }

    // A second book folder, for the normal input a pathological one is timed against.
    void write_book_at(const std::string& folder, const std::string& body) {
        spit(dir / folder / "book.yaml", kManifest);
        spit(dir / folder / "articles/a.md", std::string("---\n") + kFrontMatter + "---\n\n" + body);
    }

    test::ScratchDir dir;
    std::map<std::string, std::string> before;
};

// ---- text ------------------------------------------------------------------------------

TEST_F(Hostile, TenMegabyteParagraph) {
    const std::string paragraph = normal_words(10 << 20) + "\n";
    write_book(paragraph);
    write_book_at("normal", normal_paragraphs(10 << 20));
    const auto epub = build("epub");
    expect_clean(epub);
    const auto z = check_epub(out("book.epub"));
    ASSERT_TRUE(z.bytes.count("EPUB/text/a01.xhtml"));
    // The paragraph runs over many print pages: their markers (the page list) aside,
    // its text is all there.
    const std::string& xhtml = z.bytes.at("EPUB/text/a01.xhtml");
    std::string text;
    const std::string marker = "<span epub:type=\"pagebreak\"";
    std::size_t from = 0, markers = 0;
    for (std::size_t at = xhtml.find(marker); at != std::string::npos; at = xhtml.find(marker, from), ++markers) {
        text.append(xhtml, from, at - from);
        from = xhtml.find("/>", at) + 2;
    }
    text.append(xhtml, from);
    EXPECT_GT(markers, 100u);
    EXPECT_NE(text.find(paragraph.substr(0, 100000)), std::string::npos);
    const auto pdf = build("pdf");
    expect_clean(pdf);
    check_pdf(out("book.pdf"));
    EXPECT_NE(pdf_text(out("book.pdf")).find("the quick brown fox jumps over lazy dogs"), std::string::npos);
    expect_bounded_ratio("book", "normal", {"epub", "pdf"});
}

TEST_F(Hostile, WordOfTwoHundredThousandCharactersWithNoBreakPoint) {
    const std::string word(200000, 'x');
    write_book("Before " + word + " after.\n");
    write_book_at("normal", "Before " + normal_words(200000) + " after.\n");
    const auto r = build();
    expect_clean(r);
    const auto z = check_epub(out("book.epub"));
    EXPECT_NE(z.bytes.at("EPUB/text/a01.xhtml").find(word), std::string::npos);
    check_pdf(out("book.pdf"));
    check_pdf(out("book-print.pdf"));
    EXPECT_NE(pdf_text(out("book.pdf")).find("Before"), std::string::npos);
    expect_bounded_ratio("book", "normal", {"all"});
}

// Nesting: the Markdown stage keeps 32 levels and sets deeper content at that level.
class Nesting : public Hostile {
protected:
    void expect_capped(const std::string& markup, const std::string& element, int column) {
        write_book(markup + "deep\n");
        write_book_at("normal", normal_words(markup.size()) + "deep\n");
        const auto r = build();
        expect_clean(r);
        EXPECT_NE(r.err.find("book/articles/a.md:" + std::to_string(kBodyLine) + ":" + std::to_string(column) +
                             ": warning: quotes, lists or emphasis nested more than 32 levels deep"),
                  std::string::npos)
            << r.err;
        const auto z = check_epub(out("book.epub"));
        tinyxml2::XMLDocument doc;
        ASSERT_TRUE(parse_xml(doc, z.bytes.at("EPUB/text/a01.xhtml"), "a01.xhtml"));
        EXPECT_EQ(count(z.bytes.at("EPUB/text/a01.xhtml"), "<" + element + ">") +
                      count(z.bytes.at("EPUB/text/a01.xhtml"), "<" + element + " "),
                  32u);
        EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/a01.xhtml")).find("deep"), std::string::npos);
        check_pdf(out("book.pdf"));
        check_pdf(out("book-print.pdf"));
        EXPECT_NE(pdf_text(out("book.pdf")).find("deep"), std::string::npos);
        expect_bounded_ratio("book", "normal", {"all"});
    }
};

TEST_F(Nesting, TenThousandBlockQuotes) {
    std::string markup;
    for (int i = 0; i < 10000; ++i) markup += "> ";
    expect_capped(markup, "blockquote", 2 * 32 + 1);
}

TEST_F(Nesting, TenThousandListLevels) {
    std::string markup;
    for (int i = 0; i < 10000; ++i) markup += "- ";
    expect_capped(markup, "ul", 2 * 32 + 1);
}

TEST_F(Nesting, TenThousandOrderedListLevels) {
    std::string markup;
    for (int i = 0; i < 10000; ++i) markup += "1. ";
    expect_capped(markup, "ol", 3 * 32 + 1);
}

TEST_F(Nesting, TenThousandLevelsOfEmphasisLinksSpansAndDivs) {
    std::string body;
    for (int i = 0; i < 10000; ++i) body += "*";
    body += "emphasised";
    for (int i = 0; i < 10000; ++i) body += "*";
    body += "\n\n";
    for (int i = 0; i < 10000; ++i) body += "[";
    body += "linked";
    for (int i = 0; i < 10000; ++i) body += "](https://example.org/)";
    body += "\n\n";
    for (int i = 0; i < 10000; ++i) body += "<span lang=\"fr\">";
    body += "spanned";
    for (int i = 0; i < 10000; ++i) body += "</span>";
    body += "\n\n";
    for (int i = 0; i < 10000; ++i) body += "<div lang=\"de\">\n\n";
    body += "divided\n\n";
    for (int i = 0; i < 10000; ++i) body += "</div>\n\n";
    write_book(body);
    const auto r = build();
    expect_clean(r);
    EXPECT_NE(r.err.find("book/articles/a.md:6:1: warning: quotes, lists or emphasis nested more than 32 levels deep"),
              std::string::npos)
        << r.err.substr(0, 2000);
    EXPECT_EQ(r.err.find("raw HTML is not passed through"), std::string::npos) << "a closing tag went astray\n"
                                                                                << r.err.substr(0, 2000);
    const auto z = check_epub(out("book.epub"));
    const std::string& x = z.bytes.at("EPUB/text/a01.xhtml");
    const std::string text = test::visible_text(x);
    for (const char* word : {"emphasised", "linked", "spanned", "divided"})
        EXPECT_NE(text.find(word), std::string::npos) << word;
    EXPECT_LE(count(x, "<a "), 32u);
    EXPECT_LE(count(x, "<span ") - count(x, "<span epub:type=\"pagebreak\""), 32u);  // the print pages' markers aside
    EXPECT_LE(count(x, "<div "), 32u + 2);  // and the article's own, and its credit's
    check_pdf(out("book.pdf"));
    check_pdf(out("book-print.pdf"));
}

// Each level of quotes indents both sides by an em and a half: ten levels used to leave
// a measure of less than nothing. Indentation stops at half the text width.
TEST_F(Hostile, TwentyNestedQuotesStayOnThePage) {
    std::string body;
    for (int i = 0; i < 20; ++i) body += "> ";
    body += normal_words(3000) + "\n";
    write_book(body);
    const auto r = build("pdf");
    expect_clean(r);
    const std::string bbox = test::run_command("pdftotext -bbox " + quoted(out("book.pdf")) + " -").out;
    // <word xMin="…" yMin="…" xMax="…" yMax="…">, read by hand (std::regex sets off a
    // false maybe-uninitialized in GCC 12 under ASan).
    auto attribute = [&](std::size_t from, const std::string& name) {
        const std::size_t at = bbox.find(name + "=\"", from);
        return at == std::string::npos ? -1.0 : std::stod(bbox.substr(at + name.size() + 2, 24));
    };
    std::size_t words = 0;
    for (std::size_t at = bbox.find("<word "); at != std::string::npos; at = bbox.find("<word ", at + 1)) {
        ++words;
        const std::string tag = bbox.substr(at, bbox.find('>', at) - at);
        EXPECT_GE(attribute(at, "xMin"), 36.0) << tag;
        EXPECT_LE(attribute(at, "xMax"), 6 * 72.0 - 36.0) << tag;
    }
    EXPECT_GT(words, 500u);
    EXPECT_EQ(r.err.find("overfull"), std::string::npos) << r.err;
}

TEST_F(Hostile, NulAndOtherControlBytes) {
    static const char text[] = "nul\0byte, start of heading \x01, escape \x1B, delete \x7F, not a character \xEF\xBF\xBE.\n";
    write_book(std::string(text, sizeof text - 1));
    const auto r = build();
    expect_clean(r);
    const auto z = check_epub(out("book.epub"));
    const std::string& x = z.bytes.at("EPUB/text/a01.xhtml");
    EXPECT_EQ(x.find('\0'), std::string::npos);
    EXPECT_EQ(x.find('\x01'), std::string::npos);
    EXPECT_EQ(x.find('\x1B'), std::string::npos);
    EXPECT_NE(test::visible_text(x).find("nul\xEF\xBF\xBD" "byte"), std::string::npos) << "NUL becomes U+FFFD";
    check_pdf(out("book.pdf"));
    check_pdf(out("book-print.pdf"));
}

TEST_F(Hostile, NulByteInFrontMatterIsALocatedError) {
    build_good_book();
    static const char front[] = "title: A\0B\nauthor: Ann\n";
    write_book("text\n", std::string(front, sizeof front - 1));
    const auto r = build();
    expect_no_crash(r);
    if (r.exit_code == 0) {
        // yaml-cpp took it as text: then it must not reach the XML broken.
        check_epub(out("book.epub"));
    } else {
        expect_located_error(r, "book/articles/a.md:2:");
    }
}

TEST_F(Hostile, ByteOrderMarks) {
    write_book("A zero-width no-break \xEF\xBB\xBF space inside.\n");
    spit(book("book.yaml"), "\xEF\xBB\xBF" + std::string(kManifest));
    spit(book("articles/a.md"), "\xEF\xBB\xBF---\n" + std::string(kFrontMatter) + "---\n\nWith a mark.\n");
    const auto r = build();
    expect_clean(r);
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
    const auto z = check_epub(out("book.epub"));
    EXPECT_NE(z.bytes.at("EPUB/package.opf").find(">Hostile Inputs</dc:title>"), std::string::npos);
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/a01.xhtml")).find("An Article"), std::string::npos);
}

// CommonMark and YAML both end lines at LF, CRLF or a lone CR: so must the front matter.
TEST_F(Hostile, CrlfAndLoneCrLineEnds) {
    for (const std::string eol : {"\r\n", "\r"}) {
        SCOPED_TRACE(eol == "\r" ? "CR" : "CRLF");
        auto lines = [&](std::string s) {
            std::string out;
            for (char c : s) out += c == '\n' ? eol : std::string(1, c);
            return out;
        };
        spit(book("book.yaml"), lines(kManifest));
        spit(book("articles/a.md"), lines("---\ntitle: Line Ends\nauthor: Ann Author\n---\n\nFirst line\nsame "
                                          "paragraph.\n\nA [bad link](javascript:x).\n"));
        const auto r = build();
        expect_clean(r);
        EXPECT_NE(r.err.find("book/articles/a.md:9:3: warning: link 'javascript:x' uses an unsafe scheme"),
                  std::string::npos)
            << r.err;
        const auto z = check_epub(out("book.epub"));
        const std::string text = test::visible_text(z.bytes.at("EPUB/text/a01.xhtml"));
        EXPECT_NE(text.find("Line Ends"), std::string::npos) << text;
        EXPECT_NE(text.find("First line same paragraph."), std::string::npos) << text;
        EXPECT_EQ(text.find("title:"), std::string::npos) << "the front matter was taken for text: " << text;
        check_pdf(out("book.pdf"));
    }
}

TEST_F(Hostile, ZeroWidthAndBidirectionalControls) {
    const std::string controls =
        "zero\u200Bwidth, joiner \U0001F468\u200D\U0001F469, override \u202Eevil\u202C, isolates \u2066a\u2069 "
        "\u2067b\u2069 \u2068c\u2069, marks \u200E\u200F.";
    write_book(controls + "\n", "title: \"Title \u202E\u2066with controls\u2069\u202C\"\nauthor: Ann Author\n");
    const auto r = build();
    expect_clean(r);
    const auto z = check_epub(out("book.epub"));
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/a01.xhtml")).find(controls), std::string::npos);
    EXPECT_NE(z.bytes.at("EPUB/nav.xhtml").find("Title \u202E\u2066with controls\u2069\u202C"), std::string::npos);
    check_pdf(out("book.pdf"));
    check_pdf(out("book-print.pdf"));
    expect_epubcheck_passes(out("book.epub"));
}

TEST_F(Hostile, RightToLeftAndCjkPassages) {
    const std::string arabic = "\u0627\u0644\u0643\u062A\u0627\u0628 \u0627\u0644\u0639\u0631\u0628\u064A";
    const std::string hebrew = "\u05E1\u05E4\u05E8 \u05E2\u05D1\u05E8\u05D9";
    std::string cjk;
    for (int i = 0; i < 2000; ++i) cjk += "\u6F22\u5B57\u304B\u306A\u6587\u7AE0";  // no spaces: no break point
    write_book("<span lang=\"ar\">" + arabic + "</span> and <span lang=\"he\">" + hebrew + "</span>.\n\n" +
               "<div lang=\"zh\">\n\n" + cjk + "\n\n</div>\n");
    const auto r = build();
    expect_clean(r);
    const auto z = check_epub(out("book.epub"));
    const std::string text = test::visible_text(z.bytes.at("EPUB/text/a01.xhtml"));
    EXPECT_NE(text.find(arabic), std::string::npos);
    EXPECT_NE(text.find(hebrew), std::string::npos);
    EXPECT_NE(text.find(cjk), std::string::npos);
    check_pdf(out("book.pdf"));
    check_pdf(out("book-print.pdf"));
    expect_epubcheck_passes(out("book.epub"));
}

TEST_F(Hostile, CharactersInNoInstalledFont) {
    const std::string text = "Emoji \U0001F600, Linear B \U00010000\U00010001, private use \uE000\U000F0000, "
                             "last plane \U0010FFFD.";
    write_book(text + "\n");
    const auto r = build();
    expect_clean(r);
    EXPECT_NE(r.err.find("warning"), std::string::npos) << "a character in no font goes unmentioned";
    const auto z = check_epub(out("book.epub"));
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/a01.xhtml")).find(text), std::string::npos);
    check_pdf(out("book.pdf"));
    check_pdf(out("book-print.pdf"));
}

// ---- YAML ---------------------------------------------------------------------------------

// Nine levels of ten aliases each: a billion "lol"s if anything expanded them.
std::string billion_laughs() {
    std::string y = "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int level = 1; level <= 9; ++level) {
        y += "lol" + std::to_string(level) + ": &lol" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) y += (i ? ", *lol" : "*lol") + std::to_string(level - 1);
        y += "]\n";
    }
    return y;
}

constexpr long kSmallBookRss = 200 * kMiB;  // a small book takes about 25 MiB

TEST_F(Hostile, BillionLaughsInFrontMatter) {
    build_good_book();
    // lol9 is defined on line 13 of the file; the alias takes its place.
    write_book("text\n", "title: Laughs\nauthor: Ann Author\n" + billion_laughs() + "summary: *lol9\n");
    const auto r = build();
    expect_located_error(r, "book/articles/a.md:13:7: error: 'summary' must be a single value");
    EXPECT_LT(r.peak_rss_kb, kSmallBookRss * kSanitizerFactor);
}

TEST_F(Hostile, BillionLaughsInManifest) {
    build_good_book();
    std::string manifest = kManifest;
    manifest.insert(manifest.find("chapters:"), billion_laughs() + "author: *lol9\n");
    manifest.erase(manifest.find("author: [Ann Author]\n"), 21);
    spit(book("book.yaml"), manifest);
    const auto r = build();
    // The first item of the list is lol8's list, on line 15.
    expect_located_error(r, "book/book.yaml:15:7: error: 'author' must be a single value");
    EXPECT_LT(r.peak_rss_kb, kSmallBookRss * kSanitizerFactor);
}

TEST_F(Hostile, BillionLaughsUnderAnUnknownKeyIsOnlyWarnedAbout) {
    write_book("text\n", "title: Laughs\nauthor: Ann Author\n" + billion_laughs() + "laughs: *lol9\n");
    const auto r = build();
    expect_clean(r);
    EXPECT_NE(r.err.find("book/articles/a.md:14:1: warning: unknown key 'laughs' in front matter"), std::string::npos)
        << r.err;
    EXPECT_LT(r.peak_rss_kb, kSmallBookRss * kSanitizerFactor);
    check_epub(out("book.epub"));
}

TEST_F(Hostile, FiftyMegabyteValueUnderAnUnknownKey) {
    write_book("text\n", std::string(kFrontMatter) + "notes: \"" + std::string(50 << 20, 'x') + "\"\n");
    const auto r = build();
    expect_clean(r);
    EXPECT_NE(r.err.find("book/articles/a.md:4:1: warning: unknown key 'notes'"), std::string::npos) << r.err;
    // yaml-cpp holds the text a few times over while it reads it.
    EXPECT_LT(r.peak_rss_kb, 1024 * kMiB * kSanitizerFactor);
}

TEST_F(Hostile, FiftyMegabyteTitleIsALocatedError) {
    build_good_book();
    write_book("text\n", "title: \"" + std::string(50 << 20, 'x') + "\"\nauthor: Ann Author\n");
    const auto r = build();
    expect_located_error(r, "book/articles/a.md:2:8: error: 'title' is 52428800 bytes long");
    EXPECT_LT(r.peak_rss_kb, 1024 * kMiB * kSanitizerFactor);
}

TEST_F(Hostile, FiftyMegabyteValueInTheManifestIsALocatedError) {
    build_good_book();
    std::string manifest = kManifest;
    manifest.insert(manifest.find("chapters:"), "rights: " + std::string(50 << 20, 'r') + "\n");
    spit(book("book.yaml"), manifest);
    const auto r = build();
    expect_located_error(r, "book/book.yaml:8:9: error: 'rights' is 52428800 bytes long");
}

TEST_F(Hostile, HundredThousandOpenBracketsInFrontMatter) {
    build_good_book();
    write_book("text\n", "title: Deep\nauthor: " + std::string(100000, '[') + "\n");
    const auto r = build();
    // yaml-cpp gives up, and marks the place, at the end of the line.
    expect_located_error(r, "book/articles/a.md:4:1: error: YAML nested more than");
    EXPECT_LT(r.peak_rss_kb, kSmallBookRss * kSanitizerFactor);
}

TEST_F(Hostile, HundredThousandOpenBracesInTheManifest) {
    build_good_book();
    std::string manifest = kManifest;
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += "{a: ";
    manifest.insert(manifest.find("chapters:"), "subtitle: " + deep + "\n");
    spit(book("book.yaml"), manifest);
    const auto r = build();
    expect_located_error(r, "book/book.yaml:8:");
    EXPECT_NE(r.err.find("error: YAML nested more than"), std::string::npos) << r.err.substr(0, 2000);
    EXPECT_LT(r.peak_rss_kb, kSmallBookRss * kSanitizerFactor);
}

TEST_F(Hostile, HundredThousandOpenBracketsInAStylesPrintSettings) {
    build_good_book();
    std::string manifest = kManifest;
    manifest.insert(manifest.find("chapters:"), "style: mine\n");
    spit(book("book.yaml"), manifest);
    spit(book("mine/print.yaml"), "trim: " + std::string(100000, '[') + "\n");
    const auto r = build();
    expect_located_error(r, "book/mine/print.yaml:2:1: error: YAML nested more than");
}

TEST_F(Hostile, DuplicateKeyInFrontMatter) {
    build_good_book();
    write_book("text\n", "title: One\nauthor: Ann Author\ntitle: Two\n");
    expect_located_error(build(), "book/articles/a.md:4:1: error: 'title' is given twice\nhint: first at "
                                  "book/articles/a.md:2:1");
}

TEST_F(Hostile, DuplicateKeysInTheManifest) {
    build_good_book();
    for (const auto& [from, to, located] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"language: en\n", "language: en\nlanguage: fr\n", "book/book.yaml:4:1: error: 'language' is given twice"},
             {"  license: CC0 1.0\n", "  license: CC0 1.0\n  license: All rights reserved\n",
              "book/book.yaml:8:3: error: 'license' is given twice"},
             {"    articles: [articles/a.md]\n", "    articles: [articles/a.md]\n    articles: [articles/b.md]\n",
              "book/book.yaml:11:5: error: 'articles' is given twice"}}) {
        SCOPED_TRACE(located);
        std::string manifest = kManifest;
        manifest.replace(manifest.find(from), from.size(), to);
        write_book("text\n", kFrontMatter, manifest);
        expect_located_error(build(), located);
    }
}

TEST_F(Hostile, NonStringKeys) {
    write_book("text\n", "title: Keys\nauthor: Ann Author\n? [a, b]\n: complex\n1: one\n{x: y}: flow\n");
    const auto r = build();
    expect_clean(r);
    EXPECT_NE(r.err.find("book/articles/a.md:4:3: warning: a key in front matter must be a name, not a list or "
                         "mapping"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("book/articles/a.md:6:1: warning: unknown key '1' in front matter"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("book/articles/a.md:7:1: warning: a key in front matter must be a name"), std::string::npos)
        << r.err;
    const auto z = check_epub(out("book.epub"));
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/a01.xhtml")).find("Keys"), std::string::npos);
}

TEST_F(Hostile, TabsForIndentation) {
    build_good_book();
    write_book("text\n", "title: Tabs\nauthor:\n\t- Ann Author\n");
    expect_located_error(build(), "book/articles/a.md:4:2: error: YAML syntax error");
    std::string manifest = kManifest;
    manifest.replace(manifest.find("  site:"), 2, "\t");
    write_book("text\n", kFrontMatter, manifest);
    expect_located_error(build(), "book/book.yaml:6:");
}

// ---- markup -------------------------------------------------------------------------------

// After entities are resolved and whitespace and controls dropped, lowercased: what a
// browser would take for the scheme.
bool unsafe_url(std::string v) {
    std::string s;
    for (char c : v)
        if (static_cast<unsigned char>(c) > 0x20) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* scheme : {"javascript:", "vbscript:", "data:", "file:"})
        if (s.rfind(scheme, 0) == 0) return true;
    return false;
}

TEST_F(Hostile, UnsafeLinkSchemesAreDroppedWithAWarning) {
    const std::string body =
        "Inline [a](javascript:alert(1)) [b](JavaScript:alert(2)) [c]( javascript:alert(3)) "
        "[d](jav&#x09;ascript:alert(4)) [e](&#106;avascript:alert(5)) [f](javascript&#58;alert(6))\n"
        "[g](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) [h](vbscript:msgbox(8)) [i](VBScript:x) "
        "[j](<javascript:alert(10)>) [k](file:///etc/passwd)\n"
        "Autolinks <javascript:alert(12)> <JAVASCRIPT:alert(13)> <data:text/html,x> <vbscript:x>\n"
        "Reference [l][r1] [m][r2], raw <a href=\"javascript:alert(16)\">raw</a> <script>alert(17)</script> "
        "<img src=\"javascript:alert(18)\" onerror=alert(18)>\n"
        "[n](\njavascript:alert(19)) and [safe](https://example.org/safe) and <https://example.org/auto>.\n\n"
        "[r1]: javascript:alert(20)\n"
        "[r2]: <  JaVaScRiPt:alert(21)>\n";
    write_book(body);
    const auto r = build();
    expect_clean(r);
    EXPECT_GE(count(r.err, "uses an unsafe scheme and is dropped"), 16u) << r.err;
    EXPECT_NE(r.err.find("book/articles/a.md:6:8: warning: link 'javascript:alert(1)' uses an unsafe scheme"),
              std::string::npos)
        << r.err;
    const auto z = check_epub(out("book.epub"));
    std::size_t links = 0;
    for (const auto& [name, bytes] : z.bytes) {
        if (fs::path(name).extension() != ".xhtml") continue;
        tinyxml2::XMLDocument doc;
        ASSERT_TRUE(parse_xml(doc, bytes, name));
        for_each_element(doc.RootElement(), [&](const tinyxml2::XMLElement& e) {
            EXPECT_STRNE(e.Name(), "script") << name;
            for (const tinyxml2::XMLAttribute* a = e.FirstAttribute(); a; a = a->Next()) {
                EXPECT_FALSE(unsafe_url(a->Value())) << name << ": " << a->Name() << "=" << a->Value();
                EXPECT_NE(std::string(a->Name()).rfind("on", 0), 0u) << name << ": " << a->Name();
            }
            if (std::string(e.Name()) == "a" && name == "EPUB/text/a01.xhtml") {
                const std::string href = e.Attribute("href") ? e.Attribute("href") : "";
                if (href.rfind("https://", 0) == 0) ++links;
            }
        });
    }
    EXPECT_EQ(links, 2u) << "the safe links are kept";
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/a01.xhtml")).find("safe"), std::string::npos);
    for (const char* pdf : {"book.pdf", "book-print.pdf"}) {
        check_pdf(out(pdf));
        std::string objects = pdf_objects(out(pdf));
        std::transform(objects.begin(), objects.end(), objects.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        for (const char* bad : {"javascript", "vbscript", "data:", "file:", "/launch", "/js", "/submitform"})
            EXPECT_EQ(objects.find(bad), std::string::npos) << pdf << " holds " << bad;
        EXPECT_EQ(count(objects, "/uri (https://example.org/safe)") + count(objects, "/uri (https://example.org/auto)"),
                  std::string(pdf) == "book.pdf" ? 2u : 0u)
            << pdf;
    }
}

// Characters that mean something to XML, a CDATA end, quotes: in every value.
TEST_F(Hostile, MetadataIsEscapedEverywhere) {
    const std::string nasty = "A <b>&amp; ]]> \"q\" 'a' </title> &";
    const std::string manifest = "title: '" + std::string("Book ") + "A <b>&amp; ]]> \"q\" ''a'' </title> &" +
                                 "'\nsubtitle: \"Sub <i>&\"\nauthor: ['Ann <Author> & \"Co\"']\n"
                                 "publisher: \"Pub ]]> &lt;\"\nrights: \"Rights <&> ]]>\"\nlanguage: en\n"
                                 "date: 2026-01-01\ncredits: required\nchapters:\n  - title: \"Chapter <&>\"\n"
                                 "    articles: [articles/a.md]\n";
    const std::string front = "title: 'Article " + std::string("A <b>&amp; ]]> \"q\" ''a'' </title> &") +
                              "'\nauthor: 'Writer <w> & ]]>'\nsite: 'Site \"<s>\" &amp;'\n"
                              "source: 'https://example.org/?a=1&b=<2>'\nlicense: 'Licence ]]> <l> & \"x\"'\n"
                              "summary: 'Summary <&> ]]> \"'\n";
    write_book("text\n", front, manifest);
    const auto r = build();
    expect_clean(r);
    // Titles are running text, names and credits get typographic quotes: the
    // quotes of these values are printed as the book's typography sets them.
    const std::string book_title = doc::typographic_text("Book " + nasty, "en");
    const std::string article_title = doc::typographic_text("Article " + nasty, "en");
    const std::string author = doc::typographic_quotes("Ann <Author> & \"Co\"", "en");
    const std::string site = doc::typographic_quotes("Site \"<s>\" &amp;", "en");
    const std::string licence = doc::typographic_quotes("Licence ]]> <l> & \"x\"", "en");
    ASSERT_NE(author, "Ann <Author> & \"Co\"");  // the mapping did apply
    const auto z = check_epub(out("book.epub"));

    tinyxml2::XMLDocument opf;
    ASSERT_TRUE(parse_xml(opf, z.bytes.at("EPUB/package.opf"), "package.opf"));
    EXPECT_EQ(text_of_first(opf, "dc:title"), book_title);
    EXPECT_EQ(text_of_first(opf, "dc:creator"), author);
    EXPECT_EQ(text_of_first(opf, "dc:publisher"), "Pub ]]> &lt;");
    EXPECT_NE(text_of_first(opf, "dc:rights").find("Rights <&> ]]>"), std::string::npos);

    tinyxml2::XMLDocument ncx;
    ASSERT_TRUE(parse_xml(ncx, z.bytes.at("EPUB/toc.ncx"), "toc.ncx"));
    EXPECT_EQ(text_of_first(ncx, "docTitle"), book_title);
    EXPECT_NE(z.bytes.at("EPUB/toc.ncx").find("Article A &lt;b&gt;&amp;amp;"), std::string::npos);

    tinyxml2::XMLDocument nav;
    ASSERT_TRUE(parse_xml(nav, z.bytes.at("EPUB/nav.xhtml"), "nav.xhtml"));
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/nav.xhtml")).find(article_title), std::string::npos);
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/nav.xhtml")).find("Chapter <&>"), std::string::npos);

    const std::string article = test::visible_text(z.bytes.at("EPUB/text/a01.xhtml"));
    EXPECT_NE(article.find(article_title), std::string::npos) << article;
    EXPECT_NE(article.find("Writer <w> & ]]>"), std::string::npos) << article;
    EXPECT_NE(article.find(site), std::string::npos) << article;
    EXPECT_NE(article.find("https://example.org/?a=1&b=<2>"), std::string::npos) << article;
    EXPECT_NE(article.find(licence), std::string::npos) << article;
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/titlepage.xhtml")).find(book_title), std::string::npos);
    EXPECT_NE(test::visible_text(z.bytes.at("EPUB/text/copyright.xhtml")).find("Rights <&> ]]>"), std::string::npos);
    expect_epubcheck_passes(out("book.epub"));

    for (const char* pdf : {"book.pdf", "book-print.pdf"}) {
        SCOPED_TRACE(pdf);
        check_pdf(out(pdf));
        EXPECT_EQ(pdf_info(out(pdf), "Title"), book_title);
        EXPECT_EQ(pdf_info(out(pdf), "Author"), author);
        EXPECT_EQ(pdf_info(out(pdf), "Subject"), "Sub <i>&");
        const std::string objects = pdf_objects(out(pdf));
        // The packet's element, between its two processing instructions.
        const std::size_t begin = objects.find("<x:xmpmeta");
        const std::size_t end = objects.find("<?xpacket end=\"w\"?>");
        ASSERT_NE(begin, std::string::npos);
        ASSERT_NE(end, std::string::npos);
        ASSERT_NE(objects.rfind("<?xpacket begin=", begin), std::string::npos);
        const std::string xmp = objects.substr(begin, end - begin);
        tinyxml2::XMLDocument doc;
        ASSERT_TRUE(parse_xml(doc, xmp, "the XMP packet"));
        EXPECT_EQ(text_of_first(doc, "dc:title"), book_title);
        EXPECT_EQ(text_of_first(doc, "dc:creator"), author);
        EXPECT_NE(text_of_first(doc, "dc:rights").find("Rights <&> ]]>"), std::string::npos);
        EXPECT_NE(text_of_first(doc, "dc:contributor").find(licence), std::string::npos);
    }
}

// ---- files --------------------------------------------------------------------------------

class Images : public Hostile {
protected:
    // The good book, then an article showing `name` with `bytes`, on line 6 column 1.
    test::MeasuredRun build_with_image(const std::string& name, const std::string& bytes) {
        build_good_book();
        if (HasFatalFailure()) return {};
        spit(book("images/" + name), bytes);
        write_book("![a picture](../images/" + name + ")\n");
        return build();
    }
};

TEST_F(Images, GoodPngBuilds) {
    const auto r = build_with_image("good.png", grey_png(64, 48));
    expect_clean(r);
    EXPECT_NE(test::run_command("pdfimages -list " + quoted(out("book.pdf"))).out.find("   64    48  "), std::string::npos);
}

TEST_F(Images, ZeroBytes) {
    expect_located_error(build_with_image("empty.png", ""),
                         "book/articles/a.md:6:1: error: image 'images/empty.png' is empty");
}

TEST_F(Images, ABitmapIsNotAPictureABookTakes) {
    expect_located_error(build_with_image("old.bmp", std::string("BM\x3a\x00\x00\x00\x00\x00", 8) + std::string(50, '\0')),
                         "book/articles/a.md:6:1: error: 'images/old.bmp' is not a PNG, JPEG, GIF, WebP or SVG picture");
}

TEST_F(Images, CorruptPixelData) {
    std::string png = grey_png(64, 48);
    const std::size_t idat = png.find("IDAT") + 4;
    for (std::size_t i = idat + 2; i < idat + 40; ++i) png[i] = '\xAA';
    expect_located_error(build_with_image("corrupt.png", png), "book/articles/a.md:6:1: error: image 'images/corrupt.png' "
                                                                "cannot be read");
}

TEST_F(Images, TruncatedPng) {
    const std::string png = grey_png(640, 480);
    expect_located_error(build_with_image("truncated.png", png.substr(0, png.size() / 2)),
                         "book/articles/a.md:6:1: error: image 'images/truncated.png' cannot be read");
}

TEST_F(Images, TruncatedJpegHeader) {
    expect_located_error(build_with_image("truncated.jpg", small_jpeg().substr(0, 40)),
                         "book/articles/a.md:6:1: error: image 'images/truncated.jpg' cannot be read");
}

TEST_F(Images, PngClaimingThirtyThousandPixelsSquareIsRefusedBeforeDecoding) {
    const auto r = build_with_image("huge.png", grey_png(30000, 30000));
    expect_located_error(r, "book/articles/a.md:6:1: error: image 'images/huge.png' is 30000 x 30000 pixels");
    // Decoded, its pixels alone would take 900 MB.
    EXPECT_LT(r.peak_rss_kb, kSmallBookRss * kSanitizerFactor);
}

TEST_F(Images, JpegClaimingThirtyThousandPixelsSquareIsRefusedBeforeDecoding) {
    const auto r = build_with_image("huge.jpg", jpeg_claiming(30000, 30000));
    expect_located_error(r, "book/articles/a.md:6:1: error: image 'images/huge.jpg' is 30000 x 30000 pixels");
    EXPECT_LT(r.peak_rss_kb, kSmallBookRss * kSanitizerFactor);
}

// The media type an EPUB declares is the one of the bytes, whatever the name says.
TEST_F(Images, PngNamedJpg) {
    const auto r = build_with_image("photo.jpg", grey_png(64, 48));
    expect_clean(r);
    const auto z = check_epub(out("book.epub"));
    tinyxml2::XMLDocument opf;
    ASSERT_TRUE(parse_xml(opf, z.bytes.at("EPUB/package.opf"), "package.opf"));
    bool found = false;
    for_each_element(opf.RootElement(), [&](const tinyxml2::XMLElement& e) {
        const char* href = e.Attribute("href");
        if (std::string(e.Name()) != "item" || !href || std::string(href).find("photo") == std::string::npos) return;
        found = true;
        EXPECT_STREQ(e.Attribute("media-type"), "image/png") << href;
        ASSERT_TRUE(z.bytes.count(std::string("EPUB/") + href)) << href;
        EXPECT_EQ(z.bytes.at(std::string("EPUB/") + href).substr(1, 3), "PNG");
    });
    EXPECT_TRUE(found);
    expect_epubcheck_passes(out("book.epub"));
    check_pdf(out("book.pdf"));
    EXPECT_NE(test::run_command("pdfimages -list " + quoted(out("book.pdf"))).out.find("   64    48  "), std::string::npos);
}

// A style of the book's own whose print settings name fonts.
class StyleFonts : public Hostile {
protected:
    // A build whose style names Broken.ttf (`bytes`) where the default style names
    // the font after `key`, of an article of `body`.
    test::MeasuredRun build_with_font(const std::string& bytes,
                                      const std::string& key = "  regular: ", const std::string& body = "text\n") {
        build_good_book();
        if (HasFatalFailure()) return {};
        std::string manifest = kManifest;
        manifest.insert(manifest.find("chapters:"), "style: mine\n");
        std::string print = slurp(test::source_dir() / "styles/default/print.yaml");
        const std::size_t at = print.find(key);
        EXPECT_NE(at, std::string::npos);
        const std::size_t path_at = at + key.size();  // up to a comment or the line's end
        print.replace(path_at, print.find_first_of(" \n", path_at) - path_at, (dir / "Broken.ttf").string());
        line =
            static_cast<int>(std::count(print.begin(), print.begin() + static_cast<std::ptrdiff_t>(path_at), '\n')) + 1;
        column = static_cast<int>(path_at - print.rfind('\n', path_at));
        spit(book("mine/print.yaml"), print);
        if (bytes != "<missing>") spit(dir / "Broken.ttf", bytes);
        write_book(body, kFrontMatter, manifest);
        return build("pdf");
    }
    std::string located(const std::string& message) const {
        return "book/mine/print.yaml:" + std::to_string(line) + ":" + std::to_string(column) + ": error: font '" +
               (dir / "Broken.ttf").string() + "': " + message;
    }
    int line = 0, column = 0;
};

// print.yaml is read like every settings file: a key given twice is an error at
// its second place, a misspelt one a warning naming the key it resembles.
TEST_F(Hostile, PrintSettingsGivenTwiceOrMisspelt) {
    build_good_book();
    ASSERT_FALSE(HasFatalFailure());
    std::string manifest = kManifest;
    manifest.insert(manifest.find("chapters:"), "style: mine\n");
    const std::string print = slurp(test::source_dir() / "styles/default/print.yaml");
    write_book("text\n", kFrontMatter, manifest);
    spit(book("mine/print.yaml"), print + "size: 11pt\n");
    const int size_line = static_cast<int>(std::count(print.begin(), print.begin() + static_cast<std::ptrdiff_t>(print.find("\nsize:")), '\n')) + 2;
    expect_located_error(build("pdf"), "book/mine/print.yaml:" + std::to_string(std::count(print.begin(), print.end(), '\n') + 1) +
                                           ":1: error: 'size' is given twice\nhint: first at book/mine/print.yaml:" +
                                           std::to_string(size_line) + ":1");
    spit(book("mine/print.yaml"), print + "leadng: 15pt\n");
    const auto r = build("pdf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("book/mine/print.yaml:" + std::to_string(std::count(print.begin(), print.end(), '\n') + 1) +
                         ":1: warning: unknown key 'leadng' in the print settings\nhint: did you mean 'leading'?"),
              std::string::npos)
        << r.err;
    const auto strict = test::run_folio({"build", "book", "-o", "out", "--format", "pdf", "--strict"}, dir.path());
    EXPECT_EQ(strict.exit_code, 3) << strict.err;
}

// A book's own style may carry its fonts: a relative path is read from the style's
// folder, wherever folio is started (here, from the folder above the book).
TEST_F(StyleFonts, RelativePathIsReadFromTheStyleFolder) {
    build_good_book();
    ASSERT_FALSE(HasFatalFailure());
    std::string manifest = kManifest;
    manifest.insert(manifest.find("chapters:"), "style: mine\n");
    std::string print = slurp(test::source_dir() / "styles/default/print.yaml");
    const std::string key = "  regular: ";
    const std::size_t at = print.find(key);
    ASSERT_NE(at, std::string::npos);
    print.replace(at + key.size(), print.find('\n', at) - at - key.size(), "fonts/Body.ttf");
    spit(book("mine/print.yaml"), print);
    fs::create_directories(book("mine/fonts"));
    fs::copy_file("/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf", book("mine/fonts/Body.ttf"));
    write_book("text\n", kFrontMatter, manifest);
    const auto r = build("pdf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(StyleFonts, Missing) {
    const auto r = build_with_font("<missing>");
    expect_located_error(r, located("cannot read font file"));
}

TEST_F(StyleFonts, NotAFont) {
    const auto r = build_with_font(std::string(5000, 'x'));
    expect_located_error(r, located("not a font file (no glyphs)"));
}

TEST_F(StyleFonts, Truncated) {
    const std::string charis = slurp("/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf");
    ASSERT_GT(charis.size(), 100000u);
    const auto r = build_with_font(charis.substr(0, 4096));
    expect_located_error(r,
                         "book/mine/print.yaml:" + std::to_string(line) + ":" + std::to_string(column) + ": error: ");
    EXPECT_NE(r.err.find((dir / "Broken.ttf").string()), std::string::npos) << r.err;
}

// A fallback font is read when a character first needs it, while the articles are
// set on every core and the pages made on another thread: a broken one is an
// error there, located where the style names it, and the build stops (no hang, no
// output replaced).
TEST_F(StyleFonts, ABrokenFallbackIsALocatedErrorWhenACharacterNeedsIt) {
    const auto r = build_with_font(std::string(5000, 'x'), "  fallback:\n    - ",
                                   "Plain words first, then a Greek one: \u03BB\u03CC\u03B3\u03BF\u03C2.\n");
    expect_located_error(r, located("not a font file (no glyphs)"));
    EXPECT_EQ(column, 7);
}

// A book on a read-only file system builds into a folder elsewhere. Permission bits do
// not stop root, so the book is mounted read-only in a mount namespace of its own.
TEST_F(Hostile, ReadOnlyBookFolder) {
    write_book("A book that cannot be written to.\n");
    spit(dir / "run.sh", "set -e\nmount --bind book book\nmount -o remount,bind,ro book book\n"
                         "if touch book/probe 2>/dev/null; then echo 'still writable'; exit 90; fi\n"
                         "\"$1\" build book -o elsewhere --format all -q || exit 91\n"
                         "if \"$1\" build book -o book/out --format epub -q 2>err; then exit 92; fi\n"
                         "cat err\n");
    std::string command = "cd " + quoted(dir.path()) + " && ";
    if (::geteuid() == 0) {
        if (test::run_command("unshare -m true").exit_code != 0)
            GTEST_SKIP() << "running as root without mount namespaces: a read-only book cannot be made";
        command += "unshare -m sh run.sh " + quoted(test::folio_binary());
    } else {
        fs::permissions(book(), fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                        fs::perm_options::remove);
        fs::permissions(book("articles"), fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                        fs::perm_options::remove);
        spit(dir / "run-user.sh", "set -e\n\"$1\" build book -o elsewhere --format all -q || exit 91\n"
                                  "if \"$1\" build book -o book/out --format epub -q 2>err; then exit 92; fi\ncat err\n");
        command += "sh run-user.sh " + quoted(test::folio_binary());
    }
    const auto r = test::run_command(command);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("book/out: error: cannot create output folder"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(dir / "elsewhere/book.epub"));
    check_epub(dir / "elsewhere/book.epub");
    check_pdf(dir / "elsewhere/book.pdf");
    check_pdf(dir / "elsewhere/book-print.pdf");
    EXPECT_FALSE(fs::exists(book("out")));
}

// The output folder fills up: a file may grow no larger than the limit (RLIMIT_FSIZE),
// and a write past it fails with EFBIG once folio ignores SIGXFSZ, whose default
// action kills the process. The earlier book stays, and no partial file is left.
TEST_F(Hostile, OutputFolderFillsUp) {
    build_good_book();
    std::size_t largest = 0;
    for (const auto& [name, bytes] : before) largest = std::max(largest, bytes.size());
    // Words that do not compress well, so that every output outgrows the limit.
    std::string words;
    std::uint32_t x = 12345;
    for (int i = 0; i < 60000; ++i) {
        x = x * 1103515245u + 12345u;
        words += static_cast<char>('a' + (x >> 16) % 26);
        if (i % 7 == 6) words += ' ';
    }
    write_book(words + "\n");
    for (const char* format : {"epub", "pdf", "print"}) {
        SCOPED_TRACE(format);
        test::RunLimits limits;
        limits.file_size = static_cast<long long>(largest) + 4096;
        const auto r = build(format, "book", "out", limits);
        const std::string file = std::string(format) == "epub" ? "book.epub" : std::string(format) == "pdf" ? "book.pdf" : "book-print.pdf";
        expect_located_error(r, "out/" + file + ": error: cannot write output: File too large");
    }
}

// The three outputs are written at the same time: when all fail, the error is the
// first output's (the EPUB's) at every run, whichever writer failed first, and every
// writer's temporary file is gone.
TEST_F(Hostile, EveryOutputFailingAtOnceReportsTheFirst) {
    build_good_book();
    std::size_t smallest = SIZE_MAX;
    for (const auto& [name, bytes] : before) smallest = std::min(smallest, bytes.size());
    std::string words;
    std::uint32_t x = 54321;
    for (int i = 0; i < 60000; ++i) {
        x = x * 1103515245u + 12345u;
        words += static_cast<char>('a' + (x >> 16) % 26);
        if (i % 7 == 6) words += ' ';
    }
    write_book(words + "\n");
    for (int run = 0; run < 3; ++run) {
        SCOPED_TRACE(run);
        test::RunLimits limits;
        limits.file_size = static_cast<long long>(smallest) + 4096;  // under every output of the new book
        const auto r = build("all", "book", "out", limits);
        expect_located_error(r, "out/book.epub: error: cannot write output: File too large");
        EXPECT_EQ(r.err.find("book.pdf"), std::string::npos) << r.err.substr(0, 4000);
    }
}

}  // namespace
}  // namespace folio
