#include "book/credit.hpp"

namespace folio::book {

namespace {
bool ends_sentence(const std::string& s) {
    if (s.empty()) return true;
    const char c = s.back();
    return c == '.' || c == '!' || c == '?';
}
}  // namespace

bool has_credit(const doc::Credit& c) { return c.verbatim || !c.authors.empty() || !c.site.empty(); }

void compose_credit(doc::Credit& c, const std::string& title) {
    if (c.verbatim || !has_credit(c)) return;
    std::string s = "\u201C" + title + "\u201D";
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
    c.text = std::move(s);
}

}  // namespace folio::book
