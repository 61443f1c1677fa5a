#include "book/licences.hpp"

#include "core/text.hpp"
#include "licence/recognise.hpp"

#include <algorithm>
#include <utility>

namespace folio::book {

namespace {

// Text with its quotation marks and apostrophes straight: a name asked for as
// “Ana’s Notes” is met by a credit that prints 'Ana's Notes' in other marks.
std::string straight(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::string_view rest = s.substr(i);
        bool replaced = false;
        for (std::string_view mark : {"\u2018", "\u2019", "\u201A"})
            if (rest.starts_with(mark)) out += '\'', i += mark.size(), replaced = true;
        if (!replaced)
            for (std::string_view mark : {"\u201C", "\u201D", "\u201E", "\u00AB", "\u00BB"})
                if (rest.starts_with(mark)) out += '"', i += mark.size(), replaced = true;
        if (!replaced) out += s[i++];
    }
    return out;
}

// How the licence is named in a message: its short form, else its words as written.
std::string named(const doc::Licence& l) {
    if (std::string s = doc::short_name(l); !s.empty()) return s;
    std::string t = l.text.empty() ? l.text_url : l.text;
    if (std::u32string u = text::to_u32(t); u.size() > 80) t = text::to_utf8(u.substr(0, 77)) + "…";
    return "'" + t + "'";
}

// Whether `claim` may stand for the article's licence: the same licence (a version
// or port left out on either side matches), or an article in the public domain.
bool claim_covers(const doc::Licence& claim, const doc::Licence& article) {
    if (article.family == doc::LicenceFamily::Cc0 || article.family == doc::LicenceFamily::PublicDomainMark)
        return true;
    if (article.family != claim.family) return false;
    if (article.family == doc::LicenceFamily::SpdxExpression)
        return article.terms.size() == claim.terms.size() && doc::short_name(article) == doc::short_name(claim);
    return (article.version.empty() || claim.version.empty() || article.version == claim.version) &&
           article.jurisdiction == claim.jurisdiction;
}

// Why the claim cannot stand for the article's terms, most binding reason first.
std::string why_not_relicensed(const doc::Licence& l) {
    if (doc::binds(l, &doc::Licence::no_derivatives))
        return "NoDerivatives terms let it be shared only as it is, under its own licence";
    if (doc::binds(l, &doc::Licence::share_alike))
        return "ShareAlike terms keep it, and what is made from it, under its own licence";
    if (doc::binds(l, &doc::Licence::non_commercial))
        return "its terms forbid commercial use, which the claim would allow";
    if (l.family == doc::LicenceFamily::AllRightsReserved || l.family == doc::LicenceFamily::Prose)
        return "a permission to include it is not a licence to offer it to others under other terms";
    if (!l.recognised()) return "its terms are not a licence folio knows to allow that";
    return "a licence lets others use the work on its own terms; a collection cannot grant it under other ones";
}

}  // namespace

void check_credit_against_licence(const doc::Credit& c, const TermsWritten& where, Diagnostics& diagnostics) {
    const doc::Licence& l = c.licence;
    const SourceLocation at = where.license_at.file.empty() ? SourceLocation{where.file, 1, 1} : where.license_at;
    const SourceLocation credit_at = !where.credit_at.file.empty() ? where.credit_at : at;
    // The credit proper: the licence it quotes is not a credit (a prose permission
    // names what it asks for), nor is the line folio adds after a verbatim credit.
    std::string credit = c.text;
    if (const std::string_view quoted = text::trim(c.license); !quoted.empty())
        for (std::size_t from; (from = credit.find(quoted)) != std::string::npos;) credit.erase(from, quoted.size());
    const std::string said = straight(credit);
    if (l.family == doc::LicenceFamily::Prose) {
        const std::string fix = c.verbatim ? "add it to the article's 'credit:'"
                                           : "name it in 'site:' or 'author:', or give a verbatim 'credit:' that does";
        for (const std::string& name : l.credit_names)
            if (said.find(straight(name)) == std::string::npos)
                diagnostics.error(Error(
                    "the article's licence asks to credit \u201C" + name + "\u201D, and its credit does not name it",
                    c.verbatim ? credit_at : at, fix + ", exactly as the licence writes it"));
        if (l.requires_link && said.find("://") == std::string::npos && said.find("www.") == std::string::npos)
            diagnostics.error(Error("the article's licence asks for a link, and its credit gives none",
                                    c.verbatim ? credit_at : at,
                                    c.verbatim ? "add the address it was published at to 'credit:'"
                                               : "give the address it was published at in 'source:' (the credit "
                                                 "then links to it)"));
        if (l.requires_author &&
            (c.authors.empty() || std::none_of(c.authors.begin(), c.authors.end(), [&](const std::string& a) {
                 return said.find(straight(a)) != std::string::npos;
             })))
            diagnostics.error(Error("the article's licence asks for the author's name, and its credit gives none", at,
                                    "give it in 'author:'"));
    } else if (l.family == doc::LicenceFamily::AllRightsReserved && text::trim(c.permission).empty()) {
        diagnostics.error(
            Error("the article's licence, " + named(l) + ", reserves all rights: nothing lets the book reprint it", at,
                  "ask the rights holder, then say who granted it and when in the article's front matter "
                  "(permission: \"Ana Anić, by e-mail, 3 May 2025\"; the credit prints it), or leave the "
                  "article out"));
    } else if (!l.recognised() && !text::trim(l.text).empty()) {
        diagnostics.note(at,
                         "the licence " + named(l) +
                             " is not one folio knows: it is printed as written, and "
                             "nothing it asks is checked",
                         "check its terms by hand; 'license:' takes a licence's name (CC BY 4.0, MIT) or its "
                         "words as the author wrote them");
    }
}

void hold_to_no_derivatives(const doc::Book& book, const std::map<std::string, std::string>& file_of,
                            Diagnostics& diagnostics) {
    std::map<std::string, std::string> reason_for;  // by the file diagnostics name
    book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
        if (!doc::binds(a.credit.licence, &doc::Licence::no_derivatives)) return;
        const auto file = file_of.find(a.id);
        if (file == file_of.end()) return;
        reason_for[file->second] =
            "the article is under " + named(a.credit.licence) +
            ", whose NoDerivatives terms forbid sharing a changed version (make the source whole so that nothing is "
            "left out or changed, or leave the article out)";
    });
    if (reason_for.empty()) return;
    diagnostics.hold_changes([&](const SourceLocation& where) {
        const auto it = reason_for.find(where.file);
        return it == reason_for.end() ? std::string() : it->second;
    });
}

void check_rights_claim(const doc::Book& book, const SourceLocation& rights_at,
                        const std::map<std::string, std::string>& file_of, Diagnostics& diagnostics) {
    if (book.rights.empty() || doc::rights_name_articles_licences(book.rights, book.language, book.labels)) return;
    const std::optional<doc::Licence> claim = licence::claimed_licence(book.rights);
    if (!claim) return;
    bool hinted = false;  // the way out is given once
    book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
        const doc::Licence& l = a.credit.licence;
        if (claim_covers(*claim, l)) return;
        const auto file = file_of.find(a.id);
        const std::string path = file == file_of.end() ? a.path : file->second;
        diagnostics.error(Error(
            "'rights' claims " + doc::short_name(*claim) + " for the whole book, but " + path + " is under " +
                (l.text.empty() && l.text_url.empty() ? "no stated licence" : named(l)) + ": " + why_not_relicensed(l),
            rights_at,
            std::exchange(hinted, true)
                ? ""
                : "let 'rights' speak for the book's own part and leave each article its licence, e.g. "
                  "rights: \"Selection and arrangement \u00A9 2026 the editor. Each article keeps its own "
                  "licence; see the credits.\""));
    });
}

}  // namespace folio::book
