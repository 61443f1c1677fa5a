// Recognising an article's licence (licence/recognise.hpp): Creative Commons by name,
// SPDX identifier and URL (ports and deeds too), CC0, the Public Domain Mark, all
// rights reserved, software licences and their SPDX expressions, and prose.
#include "licence/recognise.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

using doc::LicenceFamily;
using licence::recognise;

struct Cc {
    const char* text;
    const char* url;
    LicenceFamily family;
    const char* version;
    const char* port;
};

TEST(Licence, CreativeCommonsByNameShortNameSpdxAndUrl) {
    const Cc cases[] = {
        {"CC BY 4.0", "", LicenceFamily::CcBy, "4.0", ""},
        {"CC-BY-4.0", "", LicenceFamily::CcBy, "4.0", ""},
        {"cc by 4.0", "", LicenceFamily::CcBy, "4.0", ""},
        {"  CC   BY-SA   4.0 ", "", LicenceFamily::CcBySa, "4.0", ""},
        {"CC BY-SA 4.0", "", LicenceFamily::CcBySa, "4.0", ""},
        {"Creative Commons Attribution-ShareAlike 4.0 International", "", LicenceFamily::CcBySa, "4.0", ""},
        {"Creative Commons Attribution-ShareAlike 4.0 International License", "", LicenceFamily::CcBySa, "4.0", ""},
        {"This work is licensed under a Creative Commons Attribution 4.0 International License.", "",
         LicenceFamily::CcBy, "4.0", ""},
        {"CC BY-ND 4.0", "", LicenceFamily::CcByNd, "4.0", ""},
        {"Creative Commons Attribution-NoDerivs 3.0 Unported", "", LicenceFamily::CcByNd, "3.0", ""},
        {"CC BY-NC 2.0", "", LicenceFamily::CcByNc, "2.0", ""},
        {"Creative Commons Attribution-NonCommercial 2.5 Generic", "", LicenceFamily::CcByNc, "2.5", ""},
        {"CC BY-NC-SA 3.0", "", LicenceFamily::CcByNcSa, "3.0", ""},
        {"CC-BY-NC-SA-4.0", "", LicenceFamily::CcByNcSa, "4.0", ""},
        {"CC BY-NC-ND 4.0", "", LicenceFamily::CcByNcNd, "4.0", ""},
        {"Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International", "", LicenceFamily::CcByNcNd,
         "4.0", ""},
        {"CC BY 1.0", "", LicenceFamily::CcBy, "1.0", ""},
        {"CC BY 3.0 RS", "", LicenceFamily::CcBy, "3.0", "rs"},
        {"CC-BY-3.0-DE", "", LicenceFamily::CcBy, "3.0", "de"},
        {"Creative Commons Attribution 3.0 Serbia", "", LicenceFamily::CcBy, "3.0", "rs"},
        {"", "https://creativecommons.org/licenses/by/4.0/", LicenceFamily::CcBy, "4.0", ""},
        {"", "https://creativecommons.org/licenses/by-sa/4.0/deed.en", LicenceFamily::CcBySa, "4.0", ""},
        {"", "http://creativecommons.org/licenses/by-nd/4.0/legalcode", LicenceFamily::CcByNd, "4.0", ""},
        {"", "https://creativecommons.org/licenses/by-nc/3.0/rs/", LicenceFamily::CcByNc, "3.0", "rs"},
        {"", "https://creativecommons.org/licenses/by-nc-sa/2.0/hr/deed.sr", LicenceFamily::CcByNcSa, "2.0", "hr"},
        {"", "https://www.creativecommons.org/licenses/by-nc-nd/4.0/legalcode.de", LicenceFamily::CcByNcNd, "4.0", ""},
        {"", "https://creativecommons.org/licenses/by/1.0", LicenceFamily::CcBy, "1.0", ""},
        {"https://creativecommons.org/licenses/by-sa/3.0/", "", LicenceFamily::CcBySa, "3.0", ""},
        {"CC BY-SA", "https://creativecommons.org/licenses/by-sa/3.0/rs/", LicenceFamily::CcBySa, "3.0", "rs"},
        {"CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/", LicenceFamily::CcBySa, "4.0", ""},
    };
    for (const Cc& c : cases) {
        SCOPED_TRACE(std::string(c.text) + " | " + c.url);
        const doc::Licence l = recognise(c.text, c.url);
        EXPECT_EQ(l.family, c.family);
        EXPECT_EQ(l.version, c.version);
        EXPECT_EQ(l.jurisdiction, c.port);
        EXPECT_EQ(l.text, c.text) << "kept as written";
        EXPECT_EQ(l.text_url, c.url);
        EXPECT_TRUE(l.attribution);
    }
}

TEST(Licence, CreativeCommonsFlagsAndCanonicalUrl) {
    doc::Licence l = recognise("CC BY-NC-SA 4.0");
    EXPECT_TRUE(l.attribution && l.non_commercial && l.share_alike);
    EXPECT_FALSE(l.no_derivatives);
    EXPECT_EQ(l.url, "https://creativecommons.org/licenses/by-nc-sa/4.0/");
    EXPECT_EQ(doc::short_name(l), "CC BY-NC-SA 4.0");

    l = recognise("", "https://creativecommons.org/licenses/by-nc/3.0/rs/deed.sr_LATN");
    EXPECT_TRUE(l.non_commercial);
    EXPECT_FALSE(l.share_alike || l.no_derivatives);
    EXPECT_EQ(l.url, "https://creativecommons.org/licenses/by-nc/3.0/rs/");
    EXPECT_EQ(doc::short_name(l), "CC BY-NC 3.0 RS");

    l = recognise("CC BY-ND 4.0");
    EXPECT_TRUE(l.no_derivatives);
    EXPECT_FALSE(l.share_alike || l.non_commercial);

    l = recognise("CC BY");  // no version: recognised, but no address is made up
    EXPECT_EQ(l.family, LicenceFamily::CcBy);
    EXPECT_EQ(l.version, "");
    EXPECT_EQ(l.url, "");
}

TEST(Licence, PublicDomainDedicationAndMark) {
    for (const char* text : {"CC0", "CC0 1.0", "cc0 1.0 universal", "CC0-1.0", "CC0 1.0 Universal Public Domain Dedication"}) {
        SCOPED_TRACE(text);
        const doc::Licence l = recognise(text);
        EXPECT_EQ(l.family, LicenceFamily::Cc0);
        EXPECT_EQ(l.url, "https://creativecommons.org/publicdomain/zero/1.0/");
        EXPECT_FALSE(l.attribution || l.share_alike || l.no_derivatives || l.non_commercial);
    }
    EXPECT_EQ(recognise("", "https://creativecommons.org/publicdomain/zero/1.0/deed.en").family, LicenceFamily::Cc0);
    EXPECT_EQ(recognise("Public Domain Mark 1.0").family, LicenceFamily::PublicDomainMark);
    EXPECT_EQ(recognise("CC0").version, "1.0");
    const doc::Licence pdm = recognise("", "http://creativecommons.org/publicdomain/mark/1.0/");
    EXPECT_EQ(pdm.family, LicenceFamily::PublicDomainMark);
    EXPECT_EQ(pdm.url, "https://creativecommons.org/publicdomain/mark/1.0/");
}

TEST(Licence, AllRightsReservedGrantsNothing) {
    for (const char* text : {"All rights reserved", "© 2024 Ana Anić. All rights reserved.", "ALL RIGHTS RESERVED",
                             "Copyright 2023 Example Blog", "(c) 2020 Ben"}) {
        SCOPED_TRACE(text);
        const doc::Licence l = recognise(text);
        EXPECT_EQ(l.family, LicenceFamily::AllRightsReserved);
        EXPECT_EQ(l.url, "");
        EXPECT_EQ(l.text, text);
    }
}

TEST(Licence, SoftwareLicences) {
    struct Case {
        const char* text;
        const char* url;
        LicenceFamily family;
        const char* canonical;
    };
    const Case cases[] = {
        {"MIT", "", LicenceFamily::Mit, "https://opensource.org/licenses/MIT"},
        {"The MIT License", "", LicenceFamily::Mit, "https://opensource.org/licenses/MIT"},
        {"mit license", "", LicenceFamily::Mit, "https://opensource.org/licenses/MIT"},
        {"", "https://opensource.org/licenses/MIT", LicenceFamily::Mit, "https://opensource.org/licenses/MIT"},
        {"Apache-2.0", "", LicenceFamily::Apache, "https://www.apache.org/licenses/LICENSE-2.0"},
        {"Apache License, Version 2.0", "", LicenceFamily::Apache, "https://www.apache.org/licenses/LICENSE-2.0"},
        {"apache 2", "", LicenceFamily::Apache, "https://www.apache.org/licenses/LICENSE-2.0"},
        {"", "https://www.apache.org/licenses/LICENSE-2.0.html", LicenceFamily::Apache,
         "https://www.apache.org/licenses/LICENSE-2.0"},
        {"BSD-2-Clause", "", LicenceFamily::Bsd2Clause, "https://opensource.org/licenses/BSD-2-Clause"},
        {"Simplified BSD License", "", LicenceFamily::Bsd2Clause, "https://opensource.org/licenses/BSD-2-Clause"},
        {"BSD 3-Clause License", "", LicenceFamily::Bsd3Clause, "https://opensource.org/licenses/BSD-3-Clause"},
        {"", "https://spdx.org/licenses/BSD-3-Clause.html", LicenceFamily::Bsd3Clause,
         "https://opensource.org/licenses/BSD-3-Clause"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.text) + " | " + c.url);
        const doc::Licence l = recognise(c.text, c.url);
        EXPECT_EQ(l.family, c.family);
        EXPECT_EQ(l.url, c.canonical);
        EXPECT_TRUE(l.attribution) << "the notice must be kept";
    }
    EXPECT_EQ(recognise("Apache-2.0").version, "2.0");
    EXPECT_EQ(recognise("Apache").family, LicenceFamily::Unknown) << "no version, no licence named";
}

TEST(Licence, SpdxExpressions) {
    doc::Licence l = recognise("MIT OR Apache-2.0");
    ASSERT_EQ(l.family, LicenceFamily::SpdxExpression);
    EXPECT_EQ(l.conjunction, "OR");
    ASSERT_EQ(l.terms.size(), 2u);
    EXPECT_EQ(l.terms[0].family, LicenceFamily::Mit);
    EXPECT_EQ(l.terms[1].family, LicenceFamily::Apache);
    EXPECT_EQ(l.terms[1].url, "https://www.apache.org/licenses/LICENSE-2.0");
    EXPECT_EQ(doc::short_name(l), "MIT OR Apache-2.0");

    l = recognise("(CC-BY-4.0 AND CC-BY-SA-4.0)");
    ASSERT_EQ(l.family, LicenceFamily::SpdxExpression);
    EXPECT_EQ(l.conjunction, "AND");
    EXPECT_TRUE(l.share_alike) << "under AND every term applies";
    l = recognise("CC-BY-4.0 OR CC-BY-SA-4.0");
    EXPECT_FALSE(l.share_alike) << "under OR the reader may choose the one without";
    EXPECT_TRUE(l.attribution);

    EXPECT_EQ(recognise("MIT OR Apache-2.0 AND BSD-3-Clause").family, LicenceFamily::Unknown) << "mixed operators";
    EXPECT_EQ(recognise("MIT OR WTFPL").family, LicenceFamily::Unknown) << "a term folio does not know";
}

// The seed article's licence: a permission in words.
TEST(Licence, PermissionInProse) {
    const std::string text =
        "© All publications and posts on Balkanacademia.com are copyrighted. Author: Petrit Latifi. You may share "
        "and use the information on this blog as long as you credit \u201CBalkan Academia\u201D and \u201CPetrit "
        "Latifi\u201D and add a link to the blog.";
    const doc::Licence l = recognise(text);
    EXPECT_EQ(l.family, LicenceFamily::Prose);
    EXPECT_EQ(l.text, text);
    EXPECT_EQ(l.credit_names, (std::vector<std::string>{"Balkan Academia", "Petrit Latifi"}));
    EXPECT_TRUE(l.requires_link);
    EXPECT_TRUE(l.attribution);
    EXPECT_FALSE(l.non_commercial || l.no_derivatives || l.share_alike);
    EXPECT_EQ(l.url, "");
    EXPECT_EQ(doc::short_name(l), "");

    // Straight quotes, as typed; no link asked for; not for commercial use.
    const doc::Licence plain =
        recognise("Feel free to republish for non-commercial purposes if you credit \"Ana Anić\".");
    EXPECT_EQ(plain.family, LicenceFamily::Prose);
    EXPECT_EQ(plain.credit_names, std::vector<std::string>{"Ana Anić"});
    EXPECT_FALSE(plain.requires_link);
    EXPECT_TRUE(plain.non_commercial);
}

TEST(Licence, UnknownTextStaysVerbatim) {
    for (const char* text : {"Used with kind permission", "CC BY 4.0 except the photographs", "Creative Commons",
                             "GPL-3.0", "CC BY-SA-ND 4.0", "CC BY 4.0 RS", "whatever"}) {
        SCOPED_TRACE(text);
        const doc::Licence l = recognise(text);
        EXPECT_EQ(l.family, LicenceFamily::Unknown);
        EXPECT_EQ(l.text, text);
        EXPECT_EQ(l.url, "");
        EXPECT_FALSE(l.attribution);
    }
    EXPECT_EQ(recognise("", "https://example.org/terms").family, LicenceFamily::Unknown);
    EXPECT_EQ(recognise("", "https://creativecommons.org/licenses/by-xx/4.0/").family, LicenceFamily::Unknown);
    EXPECT_EQ(recognise("").family, LicenceFamily::Unknown);
    // Text and address naming two licences: which one holds is not guessed.
    EXPECT_EQ(recognise("CC BY 4.0", "https://creativecommons.org/licenses/by-sa/4.0/").family, LicenceFamily::Unknown);
    // Text folio does not know beside an address it does: the text decides.
    EXPECT_EQ(recognise("Used with permission", "https://creativecommons.org/licenses/by/4.0/").family,
              LicenceFamily::Unknown);
}

TEST(Licence, FamilyNames) {
    EXPECT_EQ(doc::family_name(LicenceFamily::CcByNcNd), "CC BY-NC-ND");
    EXPECT_EQ(doc::family_name(LicenceFamily::Prose), "prose");
    EXPECT_EQ(doc::short_name(recognise("CC0")), "CC0 1.0");
    EXPECT_EQ(doc::short_name(recognise("BSD-2-Clause")), "BSD-2-Clause");
}

// A book's `rights` sentence claims one licence for the whole book, by name or
// address; several different ones, or none, are no claim.
TEST(Licence, ClaimInABooksRights) {
    const auto by = licence::claimed_licence(
        "Text and images in this book are licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/): "
        "share and adapt them freely, with credit.");
    ASSERT_TRUE(by);
    EXPECT_EQ(by->family, LicenceFamily::CcBy);
    EXPECT_EQ(by->version, "4.0");
    const auto sa = licence::claimed_licence("Published under the Creative Commons Attribution-ShareAlike 4.0 "
                                             "International licence.");
    ASSERT_TRUE(sa);
    EXPECT_EQ(sa->family, LicenceFamily::CcBySa);
    EXPECT_TRUE(sa->share_alike);
    const auto url = licence::claimed_licence("See https://creativecommons.org/licenses/by-nd/3.0/rs/.");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->family, LicenceFamily::CcByNd);
    EXPECT_EQ(url->jurisdiction, "rs");
    EXPECT_FALSE(licence::claimed_licence("Compilation \u00A9 2026 the editor."));
    EXPECT_FALSE(licence::claimed_licence("Essays under CC BY 4.0, photographs under CC BY-NC 4.0."));
    EXPECT_FALSE(licence::claimed_licence("You may share this book as long as you credit us."));
    std::string many;
    for (int i = 0; i < 100000; ++i) many += "cc by ";
    EXPECT_FALSE(licence::claimed_licence(many));  // promptly: a text naming so many claims none
}

// A term binds an SPDX expression under AND when any licence has it, under OR only
// when every choice does.
TEST(Licence, TermsOfAnExpressionBind) {
    EXPECT_TRUE(doc::binds(recognise("CC BY-ND 4.0"), &doc::Licence::no_derivatives));
    EXPECT_FALSE(doc::binds(recognise("CC BY 4.0"), &doc::Licence::no_derivatives));
    EXPECT_TRUE(doc::binds(recognise("MIT AND CC-BY-NC-4.0"), &doc::Licence::non_commercial));
    EXPECT_FALSE(doc::binds(recognise("MIT OR CC-BY-NC-4.0"), &doc::Licence::non_commercial));
    EXPECT_TRUE(doc::binds(recognise("CC-BY-NC-4.0 OR CC-BY-NC-SA-4.0"), &doc::Licence::non_commercial));
}

// "Credit the author" asks for the author's name.
TEST(Licence, PermissionAskingForTheAuthor) {
    EXPECT_TRUE(recognise("You may republish it if you credit the author and link to the original.").requires_author);
    EXPECT_FALSE(recognise("You may share this post as long as you credit \u201CThe Harbour Review\u201D.").requires_author);
}

}  // namespace
}  // namespace folio
