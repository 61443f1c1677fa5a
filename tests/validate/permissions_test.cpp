// The permissions log (OUT/<name>-permissions.csv): one row per article, and each
// row's pages are where a reader of the print edition finds the article and its
// credit (pdftotext), its EPUB document the one that holds the credit.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace folio {
namespace {

namespace fs = std::filesystem;

using Row = std::map<std::string, std::string>;

// RFC 4180, strictly: CRLF after every record, quoted fields with doubled quotes.
std::vector<Row> parse_csv(const std::string& csv) {
    std::vector<std::vector<std::string>> records(1);
    std::string field;
    bool quoted = false, was_quoted = false;
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char c = csv[i];
        if (quoted) {
            if (c != '"') field += c;
            else if (i + 1 < csv.size() && csv[i + 1] == '"') field += csv[++i];
            else quoted = false;
        } else if (c == '"') {
            EXPECT_TRUE(field.empty()) << "a quote inside an unquoted field at byte " << i;
            quoted = was_quoted = true;
        } else if (c == ',') {
            records.back().push_back(std::move(field));
            field.clear();
        } else if (c == '\r') {
            EXPECT_EQ(csv.at(i + 1), '\n') << "a CR not followed by LF at byte " << i;
            records.back().push_back(std::move(field));
            field.clear();
            ++i;
            records.emplace_back();
        } else {
            EXPECT_NE(c, '\n') << "a bare LF at byte " << i;
            field += c;
        }
    }
    EXPECT_FALSE(quoted);
    EXPECT_TRUE(records.back().empty() && field.empty()) << "the last record has no CRLF";
    records.pop_back();
    (void)was_quoted;
    std::vector<Row> rows;
    for (std::size_t r = 1; r < records.size(); ++r) {
        EXPECT_EQ(records[r].size(), records[0].size()) << "record " << r;
        Row row;
        for (std::size_t k = 0; k < records[0].size() && k < records[r].size(); ++k) row[records[0][k]] = records[r][k];
        rows.push_back(std::move(row));
    }
    return rows;
}

// The print PDF's page labels: label -> physical page number (1-based), from the
// /PageLabels ranges as qpdf reads them (roman "/r" or decimal "/D" from "/St").
std::map<std::string, int> page_numbers(const fs::path& pdf, int page_count) {
    const std::string json = test::run_command("qpdf --json --json-key=pagelabels '" + pdf.string() + "'").out;
    struct Range { int index; bool roman; int start; };
    std::vector<Range> ranges;
    for (std::size_t at = json.find("\"index\":"); at != std::string::npos; at = json.find("\"index\":", at + 1)) {
        Range r{std::stoi(json.substr(at + 8)), json.find("\"/r\"", at) < json.find('}', at), 1};
        if (const std::size_t st = json.find("\"/St\":", at); st < json.find('}', at)) r.start = std::stoi(json.substr(st + 6));
        ranges.push_back(r);
    }
    auto roman = [](int n) {
        static const std::pair<int, const char*> numerals[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                                {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                                {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                                {1, "i"}};
        std::string out;
        for (const auto& [value, letters] : numerals)
            for (; n >= value; n -= value) out += letters;
        return out;
    };
    std::map<std::string, int> numbers;
    for (std::size_t k = 0; k < ranges.size(); ++k) {
        const int end = k + 1 < ranges.size() ? ranges[k + 1].index : page_count;
        for (int i = ranges[k].index; i < end; ++i) {
            const int n = ranges[k].start + (i - ranges[k].index);
            numbers[ranges[k].roman ? roman(n) : std::to_string(n)] = i + 1;
        }
    }
    return numbers;
}

// Each page's text, whitespace collapsed and address breaks joined.
std::vector<std::string> page_texts(const fs::path& pdf) {
    const std::string all = test::run_command("pdftotext -enc UTF-8 '" + pdf.string() + "' -").out;
    std::vector<std::string> pages;
    std::stringstream in(all);
    for (std::string page; std::getline(in, page, '\f');) pages.push_back(test::join_address_breaks(test::normalize_space(page)));
    return pages;
}

// The first `n` words of a text.
std::string first_words(const std::string& text, int n) {
    std::istringstream in(test::normalize_space(text));
    std::string out, word;
    for (int i = 0; i < n && in >> word; ++i) out += (out.empty() ? "" : " ") + word;
    return out;
}

void expect_log_matches_print(const fs::path& book_dir, const std::string& name, std::size_t articles) {
    SCOPED_TRACE(book_dir.string());
    test::ScratchDir out;
    const auto r = test::run_folio({"build", book_dir.string(), "-o", out.path().string(), "--format", "all", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<Row> rows = parse_csv(test::slurp(out / (name + "-permissions.csv")));
    ASSERT_EQ(rows.size(), articles);
    const fs::path print = out / (name + "-print.pdf");
    const std::vector<std::string> pages = page_texts(print);
    const std::map<std::string, int> number = page_numbers(print, static_cast<int>(pages.size()));
    const auto zip = test::read_zip(out / (name + ".epub"));
    for (const Row& row : rows) {
        SCOPED_TRACE(row.at("file"));
        const std::string credit = row.at("credit");
        ASSERT_FALSE(credit.empty());
        // The credit block begins on its page: its first words are there.
        ASSERT_TRUE(number.count(row.at("credit_print_page"))) << "no page labelled " << row.at("credit_print_page");
        const int credit_page = number.at(row.at("credit_print_page"));
        EXPECT_NE(pages.at(credit_page - 1).find(test::join_address_breaks(first_words(credit, 8))), std::string::npos)
            << "credit not on page " << row.at("credit_print_page") << " (" << credit_page << "): "
            << pages.at(credit_page - 1);
        // The article's pages run from its title to its credit.
        const std::string range = row.at("print_pages");
        const std::size_t dash = range.find("\u2013");
        const std::string from = range.substr(0, dash);
        const std::string to = dash == std::string::npos ? from : range.substr(dash + 3);
        ASSERT_TRUE(number.count(from) && number.count(to)) << range;
        EXPECT_LE(number.at(from), credit_page);
        EXPECT_GE(number.at(to), credit_page);
        EXPECT_NE(pages.at(number.at(from) - 1).find(first_words(row.at("title"), 2)), std::string::npos)
            << "title not on the article's first page " << from;
        // The EPUB document named holds the credit.
        ASSERT_TRUE(zip.bytes.count(row.at("epub_document"))) << row.at("epub_document");
        EXPECT_NE(test::visible_text(zip.bytes.at(row.at("epub_document"))).find(test::normalize_space(credit)),
                  std::string::npos);
    }
}

TEST(Permissions, SampleBooksLogWhereEachCreditIsPrinted) {
    expect_log_matches_print(test::source_dir() / "books/balkan-academia", "balkan-academia", 1);
    expect_log_matches_print(test::source_dir() / "books/field-guide", "field-guide", 10);
}

TEST(Permissions, GeneratedBookOfAHundredArticles) {
    test::ScratchDir dir;
    ASSERT_EQ(test::run_command(std::string(FOLIO_BENCH_GEN) + " '" + (dir / "book").string() + "' 100").exit_code, 0);
    expect_log_matches_print(dir / "book", "book", 100);
}

// Fields with commas, quotes and line ends are quoted; an EPUB-only build writes the
// log with its page columns empty; --stats json carries the same rows.
TEST(Permissions, QuotedFieldsEpubOnlyAndStats) {
    test::ScratchDir dir;
    test::spit(dir / "book/book.yaml", "title: Log\nlanguage: en\ntypography: plain\nchapters:\n  - articles: [a.md]\n");
    test::spit(dir / "book/a.md",
               "---\ntitle: 'Ports, \"quays\" and piers'\nauthor: [Ana, Ben]\nsite: Harbour\n"
               "source: https://example.org/a\nlicense: CC BY 4.0\n"
               "license_url: https://creativecommons.org/licenses/by/4.0/\n---\nText.\n");
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "epub", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string csv = test::slurp(dir / "out/book-permissions.csv");
    EXPECT_NE(csv.find("a.md,\"Ports, \"\"quays\"\" and piers\",Ana; Ben,Harbour,https://example.org/a,CC BY 4.0,"
                        "https://creativecommons.org/licenses/by/4.0/,CC BY,"),
              std::string::npos)
        << csv;
    const std::vector<Row> rows = parse_csv(csv);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("epub_document"), "EPUB/text/a01.xhtml");
    EXPECT_EQ(rows[0].at("print_pages"), "");
    EXPECT_EQ(rows[0].at("credit_print_page"), "");
    EXPECT_NE(rows[0].at("credit").find("CC BY 4.0"), std::string::npos);

    const auto s = test::run_folio(
        {"build", (dir / "book").string(), "-o", (dir / "out2").string(), "--format", "all", "-q", "--stats", "json"});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_NE(s.out.find("\"permissions\": [{\"file\": \"a.md\", \"title\": \"Ports, \\\"quays\\\" and piers\""),
              std::string::npos)
        << s.out;
    const std::vector<Row> built = parse_csv(test::slurp(dir / "out2/book-permissions.csv"));
    ASSERT_EQ(built.size(), 1u);
    EXPECT_NE(s.out.find("\"credit_print_page\": \"" + built[0].at("credit_print_page") + "\""), std::string::npos);
    EXPECT_FALSE(built[0].at("credit_print_page").empty());
}

}  // namespace
}  // namespace folio
