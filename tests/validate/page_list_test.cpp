// The print edition's page list in the EPUB (issue 13 §1), end to end: every page
// of the print PDF that prints a folio is listed in nav.xhtml's page-list and the
// NCX's pageList, and the words after the marker labelled N are the words at the
// top of the print page whose folio is N (pdftotext -f P -l P). On both sample
// books and a generated one; the same EPUB from `--format epub` alone; none of it
// under `page_list: false`.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <cctype>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace folio {
namespace {

namespace fs = std::filesystem;

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::vector<std::string> words_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// Tags out, the few entities folio writes resolved.
std::string strip_tags(const std::string& xml) {
    std::string out;
    bool in_tag = false;
    for (char c : xml) {
        if (c == '<') in_tag = true;
        else if (c == '>') {
            in_tag = false;
            out += ' ';  // block boundaries; inline ones split no word that matters here
        } else if (!in_tag) out += c;
    }
    for (auto [from, to] : {std::pair{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}}) {
        for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + 1))
            out.replace(at, std::string(from).size(), to);
    }
    return out;
}

// An inline tag inside a word (<em>, </a>) must not split it: join the text of
// inline elements without a space, blocks with one.
// (Read by hand: std::regex sets off GCC 12's maybe-uninitialized warning inside
// <regex> under the sanitizers, an error with -Werror.)
std::string text_after(const std::string& xhtml, std::size_t from) {
    const std::string piece = xhtml.substr(from, 4000);
    std::string out;
    for (std::size_t i = 0; i < piece.size();) {
        if (piece[i] == '<') {
            const std::size_t close = piece.find('>', i);
            if (close == std::string::npos) break;
            std::size_t name = i + 1 + (i + 1 < piece.size() && piece[i + 1] == '/');
            std::size_t end = name;
            while (end < close && piece[end] != ' ' && piece[end] != '/') ++end;
            const std::string tag = piece.substr(name, end - name);
            static const char* const kInline[] = {"em", "strong", "a", "code", "span", "del", "sup", "sub"};
            if (std::find(std::begin(kInline), std::end(kInline), tag) != std::end(kInline)) {
                i = close + 1;  // an inline tag: dropped, the word stays whole
                continue;
            }
            out.append(piece, i, close + 1 - i);
            i = close + 1;
            continue;
        }
        out += piece[i++];
    }
    return strip_tags(out);
}

struct Listed {
    std::string label, href;
};

std::vector<Listed> page_list_of(const std::string& nav) {
    std::vector<Listed> out;
    const std::size_t start = nav.find("epub:type=\"page-list\"");
    if (start == std::string::npos) return out;
    const std::string list = nav.substr(start, nav.find("</nav>", start) - start);
    const std::string open = "<a href=\"";
    for (std::size_t at = list.find(open); at != std::string::npos; at = list.find(open, at + 1)) {
        const std::size_t href_end = list.find('"', at + open.size());
        if (href_end == std::string::npos || list.compare(href_end, 2, "\">") != 0) continue;
        const std::size_t text_end = list.find('<', href_end + 2);
        if (text_end == std::string::npos || list.compare(text_end, 4, "</a>") != 0 || text_end == href_end + 2) continue;
        out.push_back({list.substr(href_end + 2, text_end - href_end - 2), list.substr(at + open.size(), href_end - at - open.size())});
    }
    return out;
}

// Print follows a web link's words with its address, " (example.org/a)", which the
// EPUB does not: dropped from the print text, also when it breaks over lines or
// over a page turn, so that the print pages read as the EPUB's text.
void drop_web_addresses(std::vector<std::vector<std::string>>& pages) {
    const auto address_like = [](std::string_view token) {
        return token.find('/') != std::string_view::npos || token.find('@') != std::string_view::npos ||
               token.starts_with("example.") || token.starts_with("www.");
    };
    bool open = false;  // inside an address that began on an earlier line
    for (std::vector<std::string>& lines : pages) {
        std::vector<std::string> kept;
        for (const std::string& line : lines) {
            std::string rest = line, out;
            bool cut_at_start = false;  // the line began with (the rest of) an address
            if (open) {
                const std::size_t close = rest.find(')');
                if (close == std::string::npos) continue;
                rest.erase(0, close + 1);
                open = false;
                cut_at_start = true;
            }
            for (std::size_t i = 0; i < rest.size();) {
                if (rest[i] == '(') {
                    std::size_t end = i + 1;
                    while (end < rest.size() && rest[end] != ' ' && rest[end] != ')') ++end;
                    const std::string_view token(rest.data() + i + 1, end - i - 1);
                    if (address_like(token) && (end == rest.size() || rest[end] == ')')) {
                        while (!out.empty() && out.back() == ' ') out.pop_back();
                        cut_at_start = cut_at_start || out.empty();
                        if (end == rest.size()) open = true;
                        i = end + 1;
                        continue;
                    }
                }
                out += rest[i++];
            }
            out = test::normalize_space(out);
            // The punctuation after an address that began a line belongs to the word
            // before it (on this page, or on the one before).
            while (cut_at_start && !out.empty() && std::string_view(",.;:!?").find(out[0]) != std::string_view::npos) {
                if (!kept.empty()) kept.back() += out[0];
                out = test::normalize_space(out.substr(1));
            }
            if (!out.empty()) kept.push_back(out);
        }
        lines = std::move(kept);
    }
}

// The print PDF's pages: physical number -> its lines, and folio -> physical number.
struct PrintPages {
    std::vector<std::vector<std::string>> lines;  // [0] unused
    std::map<std::string, int> by_folio;
};

PrintPages read_print(const fs::path& pdf) {
    PrintPages out;
    const auto info = test::run_command("pdfinfo " + quoted(pdf));
    const std::size_t at = info.out.find("Pages:");
    EXPECT_NE(at, std::string::npos) << info.out;
    const int n = at == std::string::npos ? 0 : std::stoi(info.out.substr(at + 6));
    out.lines.resize(static_cast<std::size_t>(n) + 1);
    for (int p = 1; p <= n; ++p) {
        const auto text = test::run_command("pdftotext -f " + std::to_string(p) + " -l " + std::to_string(p) + " " +
                                            quoted(pdf) + " -");
        std::istringstream in(text.out);
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line.back() == '\f') line.pop_back();
            if (!test::normalize_space(line).empty()) out.lines[static_cast<std::size_t>(p)].push_back(test::normalize_space(line));
        }
        // The folio is the page's last line, a number (roman in the front matter);
        // none on blank and display pages.
        const auto& ls = out.lines[static_cast<std::size_t>(p)];
        const auto is_label = [](const std::string& l) {
            return !l.empty() && (std::all_of(l.begin(), l.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
                                  l.find_first_not_of("ivxlcdm") == std::string::npos);
        };
        if (!ls.empty() && is_label(ls.back())) out.by_folio.emplace(ls.back(), p);
    }
    drop_web_addresses(out.lines);
    return out;
}

// Whether the page's text begins with `after` (the words after a marker): its
// first line, or its second when the first is the running head, starts with the
// marked word (after a list item's marker) (or the end of it, when a hyphenated word runs over the page turn)
// followed by the next words of that line.
bool page_begins_with(const std::vector<std::string>& page, const std::vector<std::string>& after, std::string& why) {
    if (after.empty()) {
        why = "no text after the marker";
        return false;
    }
    for (std::size_t li = 0; li < std::min<std::size_t>(2, page.size()); ++li) {
        std::vector<std::string> line = words_of(page[li]);
        // A list item's marker ("4.", "–") is the typesetter's, not the text's: the
        // EPUB numbers its list items itself.
        auto list_marker = [](const std::string& w) {
            if (w == "\u2013" || w == "\u2022") return true;
            if (w.size() < 2 || w.back() != '.') return false;
            return std::all_of(w.begin(), w.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
        };
        if (line.size() > 1 && list_marker(line[0])) line.erase(line.begin());
        if (line.empty()) continue;
        const std::string& first = line[0];
        const bool starts = first == after[0] ||
                            (after[0].size() > first.size() && after[0].compare(after[0].size() - first.size(), first.size(), first) == 0);
        if (!starts) continue;
        bool same = true;
        // The next words of the line, but not its last (a hyphen may break it).
        for (std::size_t k = 1; k + 1 < line.size() && k < after.size() && k < 4; ++k) same = same && line[k] == after[k];
        if (same) return true;
    }
    why = "page begins \"" + (page.empty() ? std::string() : page[0]) + " / " + (page.size() > 1 ? page[1] : "") +
          "\", the EPUB after the marker \"";
    for (std::size_t k = 0; k < std::min<std::size_t>(after.size(), 6); ++k) why += after[k] + " ";
    why += "\"";
    return false;
}

struct Checked {
    int listed = 0, marked = 0, matched = 0;
};

Checked check_book(const fs::path& book, const fs::path& out) {
    Checked c;
    const auto r = test::run_folio({"build", book.string(), "-o", out.string(), "--format", "all", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string name = book.filename().string();
    const test::ZipContents zip = test::read_zip(out / (name + ".epub"));
    const PrintPages print = read_print(out / (name + "-print.pdf"));
    const std::vector<Listed> list = page_list_of(zip.bytes.at("EPUB/nav.xhtml"));
    EXPECT_FALSE(list.empty()) << name;
    // Every page with a folio is listed, in order.
    std::vector<std::string> folios;
    for (std::size_t p = 1; p < print.lines.size(); ++p)
        for (const auto& [label, page] : print.by_folio)
            if (page == static_cast<int>(p)) folios.push_back(label);
    std::vector<std::string> labels;
    for (const Listed& l : list) labels.push_back(l.label);
    EXPECT_EQ(labels, folios) << name;
    for (const Listed& l : list) {
        ++c.listed;
        const std::size_t hash = l.href.find('#');
        EXPECT_NE(hash, std::string::npos) << l.href;
        if (hash == std::string::npos) continue;
        const std::string id = l.href.substr(hash + 1);
        if (id != "page-" + l.label) continue;  // no marker of its own: sent to the one before
        ++c.marked;
        const std::string& xhtml = zip.bytes.at("EPUB/" + l.href.substr(0, hash));
        const std::string span = "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"" + id +
                                 "\" aria-label=\"" + l.label + "\"/>";
        const std::size_t at = xhtml.find(span);
        EXPECT_NE(at, std::string::npos) << name << " " << l.href;
        if (at == std::string::npos) continue;
        const auto page = print.by_folio.find(l.label);
        EXPECT_NE(page, print.by_folio.end()) << l.label;
        if (page == print.by_folio.end()) continue;
        std::string why;
        const bool ok = page_begins_with(print.lines[static_cast<std::size_t>(page->second)],
                                         words_of(text_after(xhtml, at + span.size())), why);
        EXPECT_TRUE(ok) << name << " page " << l.label << ": " << why;
        c.matched += ok;
    }
    // The NCX lists the same pages.
    const std::string& ncx = zip.bytes.at("EPUB/toc.ncx");
    std::size_t targets = 0;
    for (std::size_t at = ncx.find("<pageTarget "); at != std::string::npos; at = ncx.find("<pageTarget ", at + 1)) ++targets;
    EXPECT_EQ(targets, list.size()) << name;
    // The package names the edition whose pages these are.
    const std::string& opf = zip.bytes.at("EPUB/package.opf");
    EXPECT_NE(opf.find("<meta refines=\"#print-source\" property=\"source-of\">pagination</meta>"), std::string::npos);
    EXPECT_NE(opf.find(">pageBreakMarkers<"), std::string::npos);
    EXPECT_NE(opf.find(">printPageNumbers<"), std::string::npos);
    std::cout << name << ": " << c.listed << " pages listed, " << c.marked << " with a marker of their own, "
              << c.matched << " beginning with the marked words" << std::endl;  // flushed before the next fork
    return c;
}

TEST(PageList, MarkersBeginThePrintPagesOfTheSampleBooks) {
    test::ScratchDir dir;
    for (const char* book : {"balkan-academia", "field-guide"}) {
        const Checked c = check_book(test::source_dir() / "books" / book, dir / book);
        EXPECT_EQ(c.matched, c.marked) << book;
        // Only pages that run on from a page of the contents or the credits, or begin
        // with a picture, have no marker of their own.
        EXPECT_GE(c.marked * 10, c.listed * 8) << book;
    }
}

TEST(PageList, MarkersBeginThePrintPagesOfAGeneratedBook) {
    test::ScratchDir dir;
    ASSERT_EQ(test::run_command(std::string(FOLIO_BENCH_GEN) + " " + quoted(dir / "gen") + " 12").exit_code, 0);
    const Checked c = check_book(dir / "gen", dir / "out");
    EXPECT_EQ(c.matched, c.marked);
    EXPECT_GE(c.marked * 10, c.listed * 9);
    // epubcheck finds nothing to say (the sample books are checked by ctest's epubcheck.*).
    const auto check = test::run_command(quoted(test::source_dir() / "tests/validate/epubcheck.sh") + " " +
                                         quoted(test::folio_binary()) + " " + quoted(dir / "gen") + " " +
                                         quoted(dir / "epubcheck") + " 2>&1");
    EXPECT_EQ(check.exit_code, 0) << check.out;
}

// An EPUB-only build breaks the print edition's pages without drawing them
// (layout::print_page_positions): the same EPUB as a build with the print PDF, also
// for a book long enough for its gutter to widen (a second layout of every article).
TEST(PageList, AnEpubAloneHasTheSamePageList) {
    test::ScratchDir dir;
    ASSERT_EQ(test::run_command(std::string(FOLIO_BENCH_GEN) + " " + quoted(dir / "gen") + " 40").exit_code, 0);
    for (const fs::path& book : {test::source_dir() / "books" / "field-guide", dir / "gen"}) {
        const std::string name = book.filename().string();
        ASSERT_EQ(test::run_folio({"build", book.string(), "-o", (dir / "all").string(), "--format", "all", "-q"}).exit_code, 0);
        ASSERT_EQ(test::run_folio({"build", book.string(), "-o", (dir / "epub").string(), "--format", "epub", "-q"}).exit_code, 0);
        EXPECT_EQ(test::slurp(dir / "all" / (name + ".epub")), test::slurp(dir / "epub" / (name + ".epub"))) << name;
    }
    // Long enough: the print edition's gutter is past its first step.
    const std::string info = test::run_command("pdfinfo " + quoted(dir / "all" / "gen-print.pdf")).out;
    const std::size_t at = info.find("Pages:");
    ASSERT_NE(at, std::string::npos);
    EXPECT_GT(std::stoi(info.substr(at + 6)), 150) << info;
}

// A book of more than 700 articles takes the widest gutter from its first page
// on: an EPUB-only build then writes each article's page as the print edition is
// set, and releases its text (epub::PackageAhead). The EPUB is the one a build
// with the print PDF writes, byte for byte.
TEST(PageList, ALongEpubWrittenAheadIsTheSame) {
    test::ScratchDir dir;
    ASSERT_EQ(test::run_command(std::string(FOLIO_BENCH_GEN) + " " + quoted(dir / "long") + " 701").exit_code, 0);
    const std::string book = (dir / "long").string();
    ASSERT_EQ(test::run_folio({"build", book, "-o", (dir / "all").string(), "--format", "all", "-q"}).exit_code, 0);
    ASSERT_EQ(test::run_folio({"build", book, "-o", (dir / "epub").string(), "--format", "epub", "-q"}).exit_code, 0);
    const std::string epub = test::slurp(dir / "epub" / "long.epub");
    EXPECT_EQ(test::slurp(dir / "all" / "long.epub"), epub);
    const test::ZipContents zip = test::read_zip(dir / "epub" / "long.epub");
    std::size_t marked = 0;
    for (const auto& [name, bytes] : zip.bytes) {
        EXPECT_EQ(bytes.find("<!--"), std::string::npos) << name;  // no placeholder left
        if (name.starts_with("EPUB/text/a"))
            for (std::size_t at = bytes.find("doc-pagebreak"); at != std::string::npos;
                 at = bytes.find("doc-pagebreak", at + 1))
                ++marked;
    }
    EXPECT_GT(marked, 2000u);  // the articles' pages, marked in their text
}

TEST(PageList, PageListFalseLeavesItOut) {
    test::ScratchDir dir;
    test::copy_tree(test::source_dir() / "books" / "field-guide", dir / "book");
    std::string manifest = test::slurp(dir / "book" / "book.yaml");
    manifest += "\npage_list: false\n";
    test::spit(dir / "book" / "book.yaml", manifest);
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "epub", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const test::ZipContents zip = test::read_zip(dir / "out" / "book.epub");
    EXPECT_EQ(zip.bytes.at("EPUB/nav.xhtml").find("page-list"), std::string::npos);
    EXPECT_EQ(zip.bytes.at("EPUB/toc.ncx").find("pageList"), std::string::npos);
    EXPECT_EQ(zip.bytes.at("EPUB/package.opf").find("source-of"), std::string::npos);
    for (const auto& [name, bytes] : zip.bytes) EXPECT_EQ(bytes.find("doc-pagebreak"), std::string::npos) << name;
}

}  // namespace
}  // namespace folio
