// Every article's credit, verbatim, in the EPUB a reader opens: after the article,
// on the credits page, and in the package metadata.
#include "book/load_book.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <tinyxml2.h>

namespace folio {
namespace {

namespace fs = std::filesystem;

using test::all_books;

// The text of every <meta> in the OPF, entities resolved.
std::vector<std::string> opf_meta_values(const std::string& opf) {
    tinyxml2::XMLDocument doc;
    EXPECT_EQ(doc.Parse(opf.c_str(), opf.size()), tinyxml2::XML_SUCCESS);
    std::vector<std::string> out;
    const auto* md = doc.RootElement()->FirstChildElement("metadata");
    for (const auto* e = md->FirstChildElement(); e; e = e->NextSiblingElement())
        if (e->GetText()) out.push_back(test::normalize_space(e->GetText()));
    return out;
}

TEST(Credits, EveryCreditVerbatimInTextAndMetadata) {
    for (const fs::path& dir : all_books()) {
        SCOPED_TRACE(dir.string());
        Diagnostics d;
        const doc::Book book = book::load_book(dir, d);
        test::ScratchDir out;
        const auto r = test::run_folio({"build", dir.string(), "-o", out.path().string(), "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto zip = test::read_zip(out / (book.name + ".epub"));
        const std::string credits_page = test::visible_text(zip.bytes.at("EPUB/text/credits.xhtml"));
        const auto meta = opf_meta_values(zip.bytes.at("EPUB/package.opf"));
        book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            if (a.credit.text.empty()) {
                EXPECT_EQ(book.credits, doc::CreditPolicy::Optional) << a.path;
                return;
            }
            const std::string credit = test::normalize_space(a.credit.text);
            const std::string page = test::visible_text(zip.bytes.at("EPUB/text/" + a.id + ".xhtml"));
            EXPECT_NE(page.find(credit), std::string::npos) << a.path << ": credit not after the article";
            EXPECT_NE(credits_page.find(credit), std::string::npos) << a.path << ": credit not on the credits page";
            EXPECT_NE(std::find(meta.begin(), meta.end(), credit), meta.end()) << a.path << ": credit not in metadata";
        });
    }
}

// The seed article, faithfully: every paragraph of the original, in order, and the
// site's permission line verbatim; none of the web page's chrome.
TEST(Credits, SeedArticleIsCompleteAndItsPermissionVerbatim) {
    const std::string original = test::slurp(test::source_dir() / "tests/fixtures/seed/balkan-academia-original.txt");
    test::ScratchDir out;
    const auto r =
        test::run_folio({"build", (test::source_dir() / "books/balkan-academia").string(), "-o", out.path().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto zip = test::read_zip(out / "balkan-academia.epub");
    const std::string text = test::visible_text(zip.bytes.at("EPUB/text/a01.xhtml"));

    std::vector<std::string> paragraphs;
    std::size_t start = 0;
    while (start < original.size()) {
        std::size_t end = original.find("\n\n", start);
        if (end == std::string::npos) end = original.size();
        const std::string p = test::normalize_space(original.substr(start, end - start));
        if (!p.empty()) paragraphs.push_back(p);
        start = end + 2;
    }
    ASSERT_GE(paragraphs.size(), 12u);
    const std::string permission = paragraphs.back();
    EXPECT_EQ(permission.rfind("© All publications and posts on Balkanacademia.com are copyrighted.", 0), 0u);
    EXPECT_NE(text.find(permission), std::string::npos) << "the permission line is not verbatim";
    EXPECT_NE(text.find("Petrit Latifi"), std::string::npos);
    EXPECT_NE(text.find("https://balkanacademia.com"), std::string::npos);

    std::size_t at = 0;
    int found = 0;
    for (const std::string& p : paragraphs) {
        // Page chrome and the caption of a photo the book does not have.
        if (p == "← Back" || p.rfind("Thank you for your response", 0) == 0 || p == "Photo from TPZ.AL" ||
            p == permission)
            continue;
        const std::size_t pos = text.find(p, at);
        if (pos == std::string::npos && p.find("Serbia Owes the World") == 0) continue;  // the title line, twice
        ASSERT_NE(pos, std::string::npos) << "missing or out of order: " << p.substr(0, 80);
        at = pos + p.size();
        ++found;
    }
    EXPECT_GE(found, 10);
    EXPECT_EQ(text.find("← Back"), std::string::npos);
    EXPECT_EQ(text.find("Thank you for your response"), std::string::npos);
}

}  // namespace
}  // namespace folio
