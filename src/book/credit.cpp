#include "book/credit.hpp"

#include "core/text.hpp"
#include "doc/typography.hpp"

#include <cctype>

namespace folio::book {

namespace {
bool ends_sentence(const std::string& s) {
    if (s.empty()) return true;
    const char c = s.back();
    return c == '.' || c == '!' || c == '?';
}

// `by` follows the title after a space, or straight after it when it begins with
// punctuation (the "," of Serbian, Croatian and Bosnian lines).
std::string by_word(const std::string& by) {
    const unsigned char first = by.empty() ? ' ' : static_cast<unsigned char>(by[0]);
    return (first < 0x80 && std::ispunct(first) ? "" : " ") + by + " ";
}

// The sentence a `permission:` is printed in: "Used by permission: Ana, 3 May 2025."
std::string permission_sentence(const doc::Credit& c, const doc::Labels& labels) {
    std::string_view p = text::trim(c.permission);
    while (p.ends_with('.')) p.remove_suffix(1);
    return doc::fill_label(labels.permission, {{"permission", p}});
}

// The line from the fields, with the title already in its quotation marks.
std::string composed_line(const doc::Credit& c, const std::string& quoted_title, const doc::Labels& labels) {
    std::string s = quoted_title;
    if (!c.authors.empty()) s += by_word(labels.by) + doc::join_names(c.authors, labels);
    if (!c.site.empty()) s += ", " + labels.published_in + " " + c.site;
    if (!c.source.empty()) s += (c.site.empty() ? ", " : ": ") + c.source;
    s += '.';
    if (!c.license.empty()) {
        s += " " + labels.licence + " " + c.license;
        if (!c.license_url.empty()) s += " (" + c.license_url + ")";
        if (!ends_sentence(s)) s += '.';
    } else if (!c.license_url.empty()) {
        s += " " + labels.licence + " " + c.license_url;
    }
    if (!text::trim(c.permission).empty()) s += " " + permission_sentence(c, labels);
    return s;
}
}  // namespace

bool has_credit(const doc::Credit& c) { return c.verbatim || !c.authors.empty() || !c.site.empty(); }

void compose_licence_line(doc::Credit& c, const doc::Labels& labels) {
    c.licence_line.clear();
    // A verbatim credit line may leave the licence out; the licence is still owed.
    if (!c.verbatim || c.text.empty()) return;
    if (!c.license.empty() && c.text.find(c.license) == std::string::npos) {
        c.licence_line = labels.licence + " " + c.license;
        if (!c.license_url.empty() && c.text.find(c.license_url) == std::string::npos)
            c.licence_line += " (" + c.license_url + ")";
    } else if (c.license.empty() && !c.license_url.empty() && c.text.find(c.license_url) == std::string::npos) {
        c.licence_line = labels.licence + " " + c.license_url;
    }
    // So is a permission the line does not state.
    const std::string_view permission = text::trim(c.permission);
    if (!permission.empty() && c.text.find(permission) == std::string::npos) {
        if (!ends_sentence(c.licence_line)) c.licence_line += '.';
        c.licence_line += (c.licence_line.empty() ? "" : " ") + permission_sentence(c, labels);
    }
}

void compose_credit(doc::Credit& c, const std::string& title, const doc::Labels& labels) {
    if (!c.verbatim && has_credit(c)) c.text = composed_line(c, "\u201C" + title + "\u201D", labels);
    compose_licence_line(c, labels);
}

void compose_typographic_credit(doc::Credit& c, const std::string& title, std::string_view lang,
                                const doc::Labels& labels) {
    // The fields as the metadata carries them, so that they read as the line does.
    for (std::string& name : c.authors) name = doc::typographic_quotes(name, lang);
    c.site = doc::typographic_quotes(c.site, lang);
    c.license = doc::typographic_quotes(c.license, lang);
    c.permission = doc::typographic_quotes(c.permission, lang);
    if (c.verbatim) {
        c.text = doc::typographic_quotes(c.text, lang);
        compose_licence_line(c, labels);
        return;
    }
    if (!has_credit(c)) return;
    // Straight quotes around the title, so that one pass pairs them with the title's
    // own and sets each at its depth.
    c.text = doc::typographic_quotes(composed_line(c, "\"" + doc::typographic_dashes(title) + "\"", labels), lang);
}

}  // namespace folio::book
