#include "doc/licence.hpp"

#include <algorithm>
#include <cctype>

namespace folio::doc {

std::string_view family_name(LicenceFamily family) {
    switch (family) {
        case LicenceFamily::Unknown: return "unknown";
        case LicenceFamily::CcBy: return "CC BY";
        case LicenceFamily::CcBySa: return "CC BY-SA";
        case LicenceFamily::CcByNd: return "CC BY-ND";
        case LicenceFamily::CcByNc: return "CC BY-NC";
        case LicenceFamily::CcByNcSa: return "CC BY-NC-SA";
        case LicenceFamily::CcByNcNd: return "CC BY-NC-ND";
        case LicenceFamily::Cc0: return "CC0";
        case LicenceFamily::PublicDomainMark: return "Public Domain Mark";
        case LicenceFamily::AllRightsReserved: return "all rights reserved";
        case LicenceFamily::Mit: return "MIT";
        case LicenceFamily::Apache: return "Apache";
        case LicenceFamily::Bsd2Clause: return "BSD-2-Clause";
        case LicenceFamily::Bsd3Clause: return "BSD-3-Clause";
        case LicenceFamily::SpdxExpression: return "SPDX expression";
        case LicenceFamily::Prose: return "prose";
    }
    return "unknown";
}

bool is_creative_commons_by(LicenceFamily f) {
    return f == LicenceFamily::CcBy || f == LicenceFamily::CcBySa || f == LicenceFamily::CcByNd ||
           f == LicenceFamily::CcByNc || f == LicenceFamily::CcByNcSa || f == LicenceFamily::CcByNcNd;
}

std::string short_name(const Licence& l) {
    std::string s;
    switch (l.family) {
        case LicenceFamily::Unknown:
        case LicenceFamily::Prose:
        case LicenceFamily::AllRightsReserved: return "";
        case LicenceFamily::Mit:
        case LicenceFamily::Bsd2Clause:
        case LicenceFamily::Bsd3Clause: return std::string(family_name(l.family));
        case LicenceFamily::Apache: return "Apache-" + (l.version.empty() ? std::string("2.0") : l.version);
        case LicenceFamily::PublicDomainMark: return "PDM " + l.version;
        case LicenceFamily::SpdxExpression:
            for (const Licence& t : l.terms) s += (s.empty() ? "" : " " + l.conjunction + " ") + short_name(t);
            return s;
        default: break;
    }
    s = family_name(l.family);
    if (!l.version.empty()) s += " " + l.version;
    if (!l.jurisdiction.empty()) {
        s += ' ';
        for (char c : l.jurisdiction) s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

bool binds(const Licence& l, bool Licence::*term) {
    if (l.*term) return true;
    if (l.terms.empty()) return false;
    const auto binding = [term](const Licence& t) { return binds(t, term); };
    if (l.conjunction == "AND") return std::any_of(l.terms.begin(), l.terms.end(), binding);
    return std::all_of(l.terms.begin(), l.terms.end(), binding);
}

bool has_creative_commons_url(const Licence& licence) {
    return !licence.url.empty() &&
           (is_creative_commons_by(licence.family) || licence.family == LicenceFamily::Cc0 ||
            licence.family == LicenceFamily::PublicDomainMark);
}

}  // namespace folio::doc
