// What an article's licence is, as recognised from its front matter (see
// licence/recognise.hpp): plain data, so that every output reads the same terms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace folio::doc {

enum class LicenceFamily {
    Unknown,             // not recognised: `text` is all there is (nothing is guessed)
    CcBy,                // Creative Commons Attribution
    CcBySa,              // … ShareAlike
    CcByNd,              // … NoDerivatives (NoDerivs before 4.0)
    CcByNc,              // … NonCommercial
    CcByNcSa,            // … NonCommercial-ShareAlike
    CcByNcNd,            // … NonCommercial-NoDerivatives
    Cc0,                 // CC0 1.0 Universal public domain dedication
    PublicDomainMark,    // Public Domain Mark 1.0
    AllRightsReserved,   // "all rights reserved", or a © notice that grants nothing
    Mit,
    Apache,
    Bsd2Clause,
    Bsd3Clause,
    SpdxExpression,      // a licence expression of several (`MIT OR Apache-2.0`): see `terms`
    Prose,               // a permission written in words ("you may share … as long as you credit …")
};

struct Licence {
    LicenceFamily family = LicenceFamily::Unknown;
    std::string version;        // "4.0", "2.0"; empty when the family has none or none was given
    std::string jurisdiction;   // a CC port: "rs", "de"; empty for the international/unported licence
    std::string url;            // the canonical legal code URL; empty when not known
    std::string text;           // the `license:` text exactly as written
    std::string text_url;       // the `license_url:` exactly as written

    // What the terms ask.
    bool attribution = false;      // credit must be given
    bool share_alike = false;      // adaptations under the same terms
    bool no_derivatives = false;   // no adapted versions may be shared
    bool non_commercial = false;   // no commercial use

    // A prose permission: the names it asks to credit, as quoted (“Balkan Academia”),
    // and whether it asks for a link back.
    std::vector<std::string> credit_names;
    bool requires_link = false;
    bool requires_author = false;  // "credit the author", "with the author's name"

    // An SPDX expression: the licences it joins, in order, and how (`OR`: any one
    // of them may be chosen; `AND`: all apply).
    std::vector<Licence> terms;
    std::string conjunction;       // "OR" or "AND"

    bool recognised() const { return family != LicenceFamily::Unknown; }
};

// The family's short name: "CC BY-SA", "CC0", "MIT", "Apache", "prose", "unknown".
std::string_view family_name(LicenceFamily family);

// The short form of a recognised licence, as the CC and SPDX lists write it:
// "CC BY-SA 4.0", "CC BY 3.0 RS", "CC0 1.0", "MIT", "Apache-2.0", "BSD-3-Clause";
// "MIT OR Apache-2.0"; empty for prose and unknown text.
std::string short_name(const Licence& licence);

// Whether one of the terms (`&Licence::no_derivatives`, …) binds: the licence's own
// flag, or an SPDX expression's: under AND when any term has it, under OR only when
// every choice has it (the reuser may pick the one that does not).
bool binds(const Licence& licence, bool Licence::*term);

// Creative Commons by family: one of CcBy … CcByNcNd.
bool is_creative_commons_by(LicenceFamily family);

// A Creative Commons tool with a legal code to point at: the six licences, CC0 and
// the Public Domain Mark, recognised with their canonical address (the CC
// namespace's cc:license takes it).
bool has_creative_commons_url(const Licence& licence);

}  // namespace folio::doc
