#include "book/credit.hpp"

#include "doc/typography.hpp"

namespace folio::book {

namespace {
bool ends_sentence(const std::string& s) {
    if (s.empty()) return true;
    const char c = s.back();
    return c == '.' || c == '!' || c == '?';
}

// The line from the fields, with the title already in its quotation marks.
std::string composed_line(const doc::Credit& c, const std::string& quoted_title) {
    std::string s = quoted_title;
    if (!c.authors.empty()) s += " by " + text::join_names(c.authors);
    if (!c.site.empty()) s += ", published in " + c.site;
    if (!c.source.empty()) s += (c.site.empty() ? ", " : ": ") + c.source;
    s += '.';
    if (!c.license.empty()) {
        s += " Licence: " + c.license;
        if (!c.license_url.empty()) s += " (" + c.license_url + ")";
        if (!ends_sentence(s)) s += '.';
    } else if (!c.license_url.empty()) {
        s += " Licence: " + c.license_url;
    }
    return s;
}
}  // namespace

bool has_credit(const doc::Credit& c) { return c.verbatim || !c.authors.empty() || !c.site.empty(); }

void compose_credit(doc::Credit& c, const std::string& title) {
    if (c.verbatim || !has_credit(c)) return;
    c.text = composed_line(c, "\u201C" + title + "\u201D");
}

void compose_typographic_credit(doc::Credit& c, const std::string& title, std::string_view lang) {
    // The fields as the metadata carries them, so that they read as the line does.
    for (std::string& name : c.authors) name = doc::typographic_quotes(name, lang);
    c.site = doc::typographic_quotes(c.site, lang);
    c.license = doc::typographic_quotes(c.license, lang);
    if (c.verbatim) {
        c.text = doc::typographic_quotes(c.text, lang);
        return;
    }
    if (!has_credit(c)) return;
    // Straight quotes around the title, so that one pass pairs them with the title's
    // own and sets each at its depth.
    c.text = doc::typographic_quotes(composed_line(c, "\"" + doc::typographic_dashes(title) + "\""), lang);
}

}  // namespace folio::book
