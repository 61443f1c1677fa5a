// Every article's credit, verbatim, in the EPUB a reader opens: after the article,
// on the credits page, and in the package metadata.
#include "book/load_book.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <sstream>

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
            // The metadata's citation: the credit line, then the licence line it owes.
            const std::string statement = test::normalize_space(a.credit.statement());
            EXPECT_NE(std::find(meta.begin(), meta.end(), statement), meta.end()) << a.path << ": credit not in metadata";
            if (!a.credit.licence_line.empty()) {
                EXPECT_NE(page.find(test::normalize_space(a.credit.licence_line)), std::string::npos) << a.path;
            }
        });
    }
}

// The licence a verbatim `credit:` leaves out is still owed, and every output takes
// it from the one composition (book/credit.hpp): the credit block, the EPUB's
// per-article bibliographicCitation, the PDFs' /Credits entry and XMP contributors.
TEST(Credits, LicenceAfterAVerbatimCreditReachesEveryOutput) {
    test::ScratchDir dir;
    test::spit(dir / "book/book.yaml", "title: Owed\nlanguage: en\nchapters:\n  - title: One\n    articles:\n"
                                       "      - articles/one.md\n");
    test::spit(dir / "book/articles/one.md",
               "---\ntitle: One\ncredit: \"Text and photographs: Ana Example, https://example.org/one\"\n"
               "license: CC BY-SA 4.0\nlicense_url: https://creativecommons.org/licenses/by-sa/4.0/\n---\n\n"
               "A short article.\n");
    const std::string credit = "Text and photographs: Ana Example, https://example.org/one";
    const std::string licence = "Licence: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)";

    Diagnostics d;
    const doc::Book book = book::load_book(dir / "book", d);
    const doc::Credit& c = book.chapters.at(0).articles.at(0).credit;
    EXPECT_EQ(c.licence.family, doc::LicenceFamily::CcBySa);
    EXPECT_EQ(c.licence.version, "4.0");
    EXPECT_EQ(c.licence_line, licence);
    EXPECT_EQ(c.statement(), credit + " " + licence);

    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "all", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto zip = test::read_zip(dir / "out/book.epub");
    const auto meta = opf_meta_values(zip.bytes.at("EPUB/package.opf"));
    EXPECT_NE(std::find(meta.begin(), meta.end(), credit + " " + licence), meta.end()) << "bibliographicCitation";
    EXPECT_NE(test::visible_text(zip.bytes.at("EPUB/text/a01.xhtml")).find(licence), std::string::npos);

    for (const char* pdf : {"book.pdf", "book-print.pdf"}) {
        SCOPED_TRACE(pdf);
        const fs::path qdf = dir / "q.pdf";
        const auto q = test::run_command("qpdf --qdf --object-streams=disable '" + (dir / "out" / pdf).string() + "' '" +
                                         qdf.string() + "'");
        ASSERT_EQ(q.exit_code, 0) << q.out;
        const std::string objects = test::slurp(qdf);
        // The Info dictionary's strings, as qpdf's JSON gives them: UTF-8 after "u:".
        const std::string json = test::run_command("qpdf --json=2 '" + (dir / "out" / pdf).string() + "'").out;
        const std::size_t at = json.find("\"/Credits\": \"");
        ASSERT_NE(at, std::string::npos);
        const std::string entry = json.substr(at, json.find('\n', at) - at);
        EXPECT_NE(entry.find(credit + " " + licence), std::string::npos) << entry;
        const std::size_t xmp = objects.find("<dc:contributor>");
        ASSERT_NE(xmp, std::string::npos);
        const std::string contributors = objects.substr(xmp, objects.find("</dc:contributor>", xmp) - xmp);
        EXPECT_NE(contributors.find(credit + " " + licence), std::string::npos) << contributors;
        // The terms of use: marked, the credit with its licence, one licence for the book.
        EXPECT_NE(objects.find("<xmpRights:Marked>True</xmpRights:Marked>"), std::string::npos);
        const std::size_t terms = objects.find("<xmpRights:UsageTerms>");
        ASSERT_NE(terms, std::string::npos);
        EXPECT_NE(objects.substr(terms, objects.find("</xmpRights:UsageTerms>", terms) - terms).find(credit + " " + licence),
                  std::string::npos);
        EXPECT_NE(objects.find("<xmpRights:WebStatement>https://creativecommons.org/licenses/by-sa/4.0/</xmpRights:WebStatement>"),
                  std::string::npos);
        EXPECT_NE(objects.find("<cc:license rdf:resource=\"https://creativecommons.org/licenses/by-sa/4.0/\"/>"),
                  std::string::npos);
    }
    const std::string& opf = zip.bytes.at("EPUB/package.opf");
    EXPECT_NE(opf.find("prefix=\"cc: http://creativecommons.org/ns#\""), std::string::npos);
    EXPECT_NE(opf.find("<link rel=\"cc:license\" href=\"https://creativecommons.org/licenses/by-sa/4.0/\" refines=\"#a01\"/>"),
              std::string::npos)
        << opf;
}

// Articles under different licences: the usage terms name each, no one address
// stands for the book, and only the Creative Commons article has a cc:license.
TEST(Credits, UsageTermsOfABookUnderSeveralLicences) {
    test::ScratchDir dir;
    test::spit(dir / "book/book.yaml", "title: Mixed\nlanguage: en\nrights: Each article keeps its licence.\n"
                                       "chapters:\n  - articles: [a.md, b.md]\n");
    test::spit(dir / "book/a.md", "---\ntitle: A\nauthor: Ana\nlicense: CC BY-NC 4.0\n---\nText.\n");
    test::spit(dir / "book/b.md", "---\ntitle: B\nauthor: Ben\nlicense: MIT\n---\nText.\n");
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "all", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* pdf : {"book.pdf", "book-print.pdf"}) {
        SCOPED_TRACE(pdf);
        const fs::path qdf = dir / "q.pdf";
        ASSERT_EQ(test::run_command("qpdf --qdf --object-streams=disable '" + (dir / "out" / pdf).string() + "' '" +
                                    qdf.string() + "'")
                      .exit_code,
                  0);
        const std::string objects = test::slurp(qdf);
        const std::size_t terms = objects.find("<xmpRights:UsageTerms>");
        ASSERT_NE(terms, std::string::npos);
        const std::string usage = objects.substr(terms, objects.find("</xmpRights:UsageTerms>", terms) - terms);
        for (const char* owed : {"Each article keeps its licence.", "CC BY-NC 4.0", "MIT"})
            EXPECT_NE(usage.find(owed), std::string::npos) << owed << " in " << usage;
        EXPECT_EQ(objects.find("<xmpRights:WebStatement>"), std::string::npos);
        EXPECT_EQ(objects.find("<cc:license "), std::string::npos);
    }
    const std::string opf = test::read_zip(dir / "out/book.epub").bytes.at("EPUB/package.opf");
    EXPECT_NE(opf.find("<link rel=\"cc:license\" href=\"https://creativecommons.org/licenses/by-nc/4.0/\" refines=\"#a01\"/>"),
              std::string::npos)
        << opf;
    EXPECT_EQ(opf.find("refines=\"#a02\"/>"), std::string::npos);
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

    // Its licence is a permission in prose: whom it asks to credit, and a link.
    Diagnostics d;
    const doc::Book book = book::load_book(test::source_dir() / "books/balkan-academia", d);
    const doc::Licence& licence = book.chapters.at(0).articles.at(0).credit.licence;
    EXPECT_EQ(licence.family, doc::LicenceFamily::Prose);
    EXPECT_EQ(licence.credit_names, (std::vector<std::string>{"Balkan Academia", "Petrit Latifi"}));
    EXPECT_TRUE(licence.requires_link);
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

namespace folio {
namespace {

// A print-on-demand listing is a sale: check --print fails a book with a
// NonCommercial article, naming it, on every store; `for_sale: false` passes that
// rule, and the copyright page then says the book is not for sale.
TEST(Licences, NonCommercialArticleInABookForSale) {
    test::ScratchDir dir;
    const std::string manifest = "title: NC\nlanguage: en\nchapters:\n  - articles: [a.md, b.md]\n";
    test::spit(dir / "book/book.yaml", manifest);
    test::spit(dir / "book/a.md", "---\ntitle: A\nauthor: Ana\nlicense: CC BY-NC-SA 4.0\n---\nText.\n");
    test::spit(dir / "book/b.md", "---\ntitle: B\nauthor: Ben\nlicense: CC BY 4.0\n---\nText.\n");
    auto licence_lines = [](const std::string& out) {
        std::string lines;
        std::istringstream in(out);
        for (std::string line; std::getline(in, line);)
            if (line.find(" licences ") != std::string::npos) lines += line + "\n";
        return lines;
    };
    const auto sold = test::run_folio({"check", "--print", (dir / "book").string()});
    EXPECT_EQ(sold.exit_code, 1) << sold.out << sold.err;
    const std::string failing = licence_lines(sold.out);
    for (const char* store : {"KDP", "IngramSpark", "Lulu"}) {
        const std::size_t at = failing.find(store);
        ASSERT_NE(at, std::string::npos) << failing;
        const std::string line = failing.substr(at, failing.find('\n', at) - at);
        EXPECT_NE(line.find("FAIL"), std::string::npos) << line;
        EXPECT_NE(line.find("a.md (CC BY-NC-SA 4.0)"), std::string::npos) << line;
        EXPECT_EQ(line.find("b.md"), std::string::npos) << line;
    }

    test::spit(dir / "book/book.yaml", manifest + "for_sale: false\n");
    const auto given = test::run_folio({"check", "--print", (dir / "book").string()});
    const std::string passing = licence_lines(given.out);
    EXPECT_EQ(passing.find("FAIL"), std::string::npos) << passing;
    EXPECT_NE(passing.find("not for sale"), std::string::npos) << passing;
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "all", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(test::run_command("pdftotext '" + (dir / "out/book-print.pdf").string() + "' -").out.find("Not for sale."),
              std::string::npos);
    EXPECT_NE(test::visible_text(test::read_zip(dir / "out/book.epub").bytes.at("EPUB/text/copyright.xhtml"))
                  .find("Not for sale."),
              std::string::npos);
}

// A one-chapter book of the given articles (name, front matter and body), with
// `extra` lines in its book.yaml.
void write_book(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& articles,
                const std::string& extra = {}) {
    std::string list;
    for (const auto& [name, text] : articles) {
        list += (list.empty() ? "" : ", ") + name;
        test::spit(dir / name, text);
    }
    test::spit(dir / "book.yaml", "title: Licences\nlanguage: en\n" + extra + "chapters:\n  - articles: [" + list + "]\n");
}

// NoDerivatives: what folio would leave out of an ND article is an error naming the
// licence; the same article under CC BY builds, with a warning.
TEST(Licences, NoDerivativesArticleLosingAPicture) {
    test::ScratchDir dir;
    const std::string body = "Before ![a map of the coast](maps/coast.png) after.\n";
    write_book(dir / "book", {{"nd.md", "---\ntitle: ND\nauthor: Ana\nlicense: CC BY-ND 4.0\n---\n" + body},
                              {"by.md", "---\ntitle: BY\nauthor: Ben\nlicense: CC BY 4.0\n---\n" + body}});
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("nd.md:6:8: error: image 'maps/coast.png' does not exist; the article is under CC BY-ND "
                         "4.0, whose NoDerivatives terms forbid sharing a changed version"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("by.md:6:8: warning: image 'maps/coast.png' does not exist"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out/book.epub"));

    // Raw HTML dropped is a change too; a missing alt text or a bad language tag is not.
    write_book(dir / "book", {{"nd.md", "---\ntitle: ND\nauthor: Ana\nlicense: CC BY-NC-ND 4.0\n---\n"
                                        "Text <span lang=\"not a tag\">kept</span>.\n\n<script>x()</script>\n"}});
    const auto html = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string()});
    EXPECT_EQ(html.exit_code, 1);
    EXPECT_NE(html.err.find("error: <script> is dropped with its content; the article is under CC BY-NC-ND 4.0"),
              std::string::npos)
        << html.err;
    EXPECT_NE(html.err.find("warning: 'not a tag' is not a language tag"), std::string::npos) << html.err;
}

// A permission in prose is met by the credit: the seed's words with a credit that
// leaves out "Balkan Academia" fail at the credit, naming it; the sample book as it
// is builds.
TEST(Licences, SeedPermissionInProseNeedsEveryNameAndALink) {
    const std::string seed_licence =
        "'\u00A9 All publications and posts on Balkanacademia.com are copyrighted. Author: Petrit Latifi. You may "
        "share and use the information on this blog as long as you credit \u201CBalkan Academia\u201D and \u201CPetrit "
        "Latifi\u201D and add a link to the blog.'";
    test::ScratchDir dir;
    write_book(dir / "book", {{"a.md", "---\ntitle: A\nauthor: Petrit Latifi\nlicense: " + seed_licence +
                                           "\ncredit: By Petrit Latifi.\n---\nText.\n"}});
    const auto r = test::run_folio({"check", (dir / "book").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("a.md:5:9: error: the article's licence asks to credit \u201CBalkan Academia\u201D, and its "
                         "credit does not name it\nhint: add it to the article's 'credit:'"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("credit \u201CPetrit Latifi\u201D"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a.md:5:9: error: the article's licence asks for a link, and its credit gives none"),
              std::string::npos)
        << r.err;

    // Named, with the link: it passes.
    write_book(dir / "book", {{"a.md", "---\ntitle: A\nauthor: Petrit Latifi\nlicense: " + seed_licence +
                                           "\ncredit: By Petrit Latifi for Balkan Academia, "
                                           "https://balkanacademia.com/a.\n---\nText.\n"}});
    const auto named = test::run_folio({"check", (dir / "book").string()});
    EXPECT_EQ(named.exit_code, 0) << named.err;

    const auto sample = test::run_folio({"check", (test::source_dir() / "books/balkan-academia").string()});
    EXPECT_EQ(sample.exit_code, 0) << sample.err;
}

// A book's `rights` that claims one licence may not relicense an article under
// other terms; a `rights` that leaves each article its licence claims nothing.
TEST(Licences, BookClaimedUnderOneLicenceCannotRelicenseShareAlike) {
    test::ScratchDir dir;
    const std::vector<std::pair<std::string, std::string>> articles = {
        {"by.md", "---\ntitle: BY\nauthor: Ana\nlicense: CC BY 4.0\n---\nText.\n"},
        {"sa.md", "---\ntitle: SA\nauthor: Ben\nlicense: CC BY-SA 4.0\n---\nText.\n"},
        {"zero.md", "---\ntitle: Zero\nauthor: Cy\nlicense: CC0 1.0\n---\nText.\n"}};
    write_book(dir / "book", articles, "rights: \"This book is licensed under CC BY 4.0.\"\n");
    const auto r = test::run_folio({"check", (dir / "book").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("book.yaml:3:9: error: 'rights' claims CC BY 4.0 for the whole book, but "), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("/book/sa.md is under CC BY-SA 4.0: ShareAlike terms keep it"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("by.md is under"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("zero.md"), std::string::npos) << r.err;

    write_book(dir / "book", articles,
               "rights: \"Selection \u00A9 2026 Ed. Each article keeps its own licence; see the credits.\"\n");
    const auto own = test::run_folio({"check", (dir / "book").string()});
    EXPECT_EQ(own.exit_code, 0) << own.err;
}

// Rights reserved: an error unless the article says who granted the permission, which
// the credit then prints in every output.
TEST(Licences, AllRightsReservedNeedsAPermissionWhichTheCreditPrints) {
    test::ScratchDir dir;
    const std::string head = "---\ntitle: Reserved\nauthor: Dee\nlicense: \u00A9 2024 Dee. All rights reserved.\n";
    write_book(dir / "book", {{"a.md", head + "---\nText.\n"}});
    const auto r = test::run_folio({"check", (dir / "book").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("a.md:4:10: error: the article's licence, '\u00A9 2024 Dee. All rights reserved.', reserves "
                         "all rights"),
              std::string::npos)
        << r.err;

    write_book(dir / "book", {{"a.md", head + "permission: Dee, by e-mail, 3 May 2025\n---\nText.\n"}});
    const auto built =
        test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "all", "-q"});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    const std::string sentence = "Used by permission: Dee, by e-mail, 3 May 2025.";
    const auto zip = test::read_zip(dir / "out/book.epub");
    EXPECT_NE(test::visible_text(zip.bytes.at("EPUB/text/a01.xhtml")).find(sentence), std::string::npos);
    EXPECT_NE(zip.bytes.at("EPUB/package.opf").find(sentence), std::string::npos);
    // The permissions log keeps who granted it.
    EXPECT_NE(test::slurp(dir / "out/book-permissions.csv").find(",all rights reserved,\"Dee, by e-mail, 3 May 2025\","),
              std::string::npos)
        << test::slurp(dir / "out/book-permissions.csv");
    for (const char* pdf : {"out/book.pdf", "out/book-print.pdf"}) {
        const std::string text =
            test::normalize_space(test::run_command("pdftotext '" + (dir / pdf).string() + "' -").out);
        EXPECT_NE(text.find(sentence), std::string::npos) << pdf;
    }
}

// Terms folio does not know are printed as written, with a note; nothing is guessed.
TEST(Licences, UnrecognisedTermsAreNotedNotGuessed) {
    test::ScratchDir dir;
    write_book(dir / "book", {{"a.md", "---\ntitle: A\nauthor: Eve\nlicense: Free for good people\n---\nText.\n"}});
    const auto r = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--strict"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("a.md:4:10: note: the licence 'Free for good people' is not one folio knows"),
              std::string::npos)
        << r.err;
    EXPECT_NE(test::visible_text(test::read_zip(dir / "out/book.epub").bytes.at("EPUB/text/a01.xhtml"))
                  .find("Licence: Free for good people"),
              std::string::npos);
}

}  // namespace
}  // namespace folio
