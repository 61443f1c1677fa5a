#include "licence/recognise.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace folio::licence {

namespace {

using doc::Licence;
using doc::LicenceFamily;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Words: lowercase ASCII, split at spaces and at the punctuation names are written
// with ("CC-BY-SA-4.0", "Apache License, Version 2.0", "(MIT)"); a dot stays inside a
// version number and ends a sentence otherwise.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string w;
    const auto flush = [&] {
        while (!w.empty() && w.back() == '.') w.pop_back();
        if (!w.empty()) out.push_back(w);
        w.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_space(c) || c == '-' || c == '_' || c == ',' || c == '(' || c == ')' || c == ':' || c == ';' ||
            c == '/' || c == '"' || c == '\'') {
            flush();
        } else {
            w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    flush();
    return out;
}

// Words a licence's name is written with that name nothing themselves.
const std::set<std::string> kFiller = {"this", "work", "article", "post", "text", "content", "is", "are", "licensed",
                                       "licenced", "released", "published", "available", "under", "a", "an", "the",
                                       "terms", "of", "license", "licence", "international", "unported", "generic",
                                       "public", "legal", "code", "deed", "version", "v", "universal", "cc"};

// A version as the licences write it: "4.0", "4" and "v4.0" all mean 4.0.
std::optional<std::string> version_word(std::string w) {
    if (!w.empty() && w[0] == 'v') w.erase(0, 1);
    static const std::array<std::pair<const char*, const char*>, 7> kVersions = {
        {{"1.0", "1.0"}, {"1", "1.0"}, {"2.0", "2.0"}, {"2", "2.0"}, {"2.5", "2.5"}, {"3.0", "3.0"}, {"3", "3.0"}}};
    for (const auto& [spelled, v] : kVersions)
        if (w == spelled) return v;
    if (w == "4.0" || w == "4") return "4.0";
    if (w == "1.1") return "1.1";
    return std::nullopt;
}

// The ports' names in English, for "Creative Commons Attribution 3.0 Serbia"; the
// two-letter codes of the URLs are taken as written.
const std::array<std::pair<const char*, const char*>, 24> kPorts = {{
    {"serbia", "rs"},      {"croatia", "hr"},   {"germany", "de"},     {"austria", "at"},     {"france", "fr"},
    {"spain", "es"},       {"italy", "it"},     {"netherlands", "nl"}, {"poland", "pl"},      {"switzerland", "ch"},
    {"us", "us"},          {"usa", "us"},       {"australia", "au"},   {"canada", "ca"},      {"brazil", "br"},
    {"japan", "jp"},       {"slovenia", "si"},  {"montenegro", "me"},  {"macedonia", "mk"},   {"greece", "gr"},
    {"portugal", "pt"},    {"romania", "ro"},   {"bulgaria", "bg"},    {"igo", "igo"},
}};

Licence with_family(LicenceFamily f) {
    Licence l;
    l.family = f;
    return l;
}

void set_cc_flags(Licence& l) {
    l.attribution = doc::is_creative_commons_by(l.family);
    l.share_alike = l.family == LicenceFamily::CcBySa || l.family == LicenceFamily::CcByNcSa;
    l.no_derivatives = l.family == LicenceFamily::CcByNd || l.family == LicenceFamily::CcByNcNd;
    l.non_commercial =
        l.family == LicenceFamily::CcByNc || l.family == LicenceFamily::CcByNcSa || l.family == LicenceFamily::CcByNcNd;
}

std::optional<LicenceFamily> cc_family(bool nc, bool sa, bool nd) {
    if (sa && nd) return std::nullopt;
    if (nc) return sa ? LicenceFamily::CcByNcSa : nd ? LicenceFamily::CcByNcNd : LicenceFamily::CcByNc;
    return sa ? LicenceFamily::CcBySa : nd ? LicenceFamily::CcByNd : LicenceFamily::CcBy;
}

// The canonical legal-code URL of a recognised licence (with a version, for CC).
void set_canonical_url(Licence& l) {
    const auto cc_code = [&]() -> std::string {
        switch (l.family) {
            case LicenceFamily::CcBy: return "by";
            case LicenceFamily::CcBySa: return "by-sa";
            case LicenceFamily::CcByNd: return "by-nd";
            case LicenceFamily::CcByNc: return "by-nc";
            case LicenceFamily::CcByNcSa: return "by-nc-sa";
            case LicenceFamily::CcByNcNd: return "by-nc-nd";
            default: return "";
        }
    };
    if (doc::is_creative_commons_by(l.family)) {
        if (l.version.empty()) return;  // "CC BY" alone: which version is not known
        l.url = "https://creativecommons.org/licenses/" + cc_code() + "/" + l.version + "/";
        if (!l.jurisdiction.empty()) l.url += l.jurisdiction + "/";
    } else if (l.family == LicenceFamily::Cc0) {
        l.url = "https://creativecommons.org/publicdomain/zero/1.0/";
    } else if (l.family == LicenceFamily::PublicDomainMark) {
        l.url = "https://creativecommons.org/publicdomain/mark/1.0/";
    } else if (l.family == LicenceFamily::Mit) {
        l.url = "https://opensource.org/licenses/MIT";
    } else if (l.family == LicenceFamily::Apache) {
        l.url = "https://www.apache.org/licenses/LICENSE-" + l.version;
    } else if (l.family == LicenceFamily::Bsd2Clause) {
        l.url = "https://opensource.org/licenses/BSD-2-Clause";
    } else if (l.family == LicenceFamily::Bsd3Clause) {
        l.url = "https://opensource.org/licenses/BSD-3-Clause";
    }
}

// Creative Commons by name: "CC BY-NC-SA 4.0", "CC-BY-SA-3.0-RS" (SPDX), "Creative
// Commons Attribution-NonCommercial-ShareAlike 4.0 International", "Creative Commons
// Attribution 3.0 Serbia". Every word must be understood.
std::optional<Licence> cc_by_name(const std::vector<std::string>& w) {
    const auto has = [&](const char* s) { return std::find(w.begin(), w.end(), s) != w.end(); };
    const bool by_words = has("creative") && has("commons");
    if (!has("cc") && !by_words) return std::nullopt;
    bool by = false, nc = false, sa = false, nd = false;
    std::string version, port;
    for (std::size_t i = 0; i < w.size(); ++i) {
        const std::string& x = w[i];
        const std::string next = i + 1 < w.size() ? w[i + 1] : "";
        if (x == "creative" || x == "commons") continue;
        if (x == "by" || x == "attribution") {
            by = true;
        } else if (x == "nc" || x == "noncommercial") {
            nc = true;
        } else if (x == "sa" || x == "sharealike") {
            sa = true;
        } else if (x == "nd" || x == "noderivatives" || x == "noderivs") {
            nd = true;
        } else if ((x == "non" || x == "no") && next == "commercial") {
            nc = true, ++i;
        } else if (x == "share" && next == "alike") {
            sa = true, ++i;
        } else if (x == "no" && (next == "derivatives" || next == "derivs" || next == "derivative")) {
            nd = true, ++i;
        } else if (auto v = version_word(x); v && version.empty() && *v != "1.1") {
            version = *v;
        } else if (!version.empty() && port.empty() && version != "4.0" && x.size() == 2 &&
                   std::all_of(x.begin(), x.end(), [](char c) { return c >= 'a' && c <= 'z'; }) && !kFiller.contains(x)) {
            port = x;
        } else if (auto it = std::find_if(kPorts.begin(), kPorts.end(), [&](const auto& p) { return x == p.first; });
                   it != kPorts.end() && !version.empty() && port.empty() && version != "4.0") {
            port = it->second;
        } else if (x == "united" && next == "states" && !version.empty() && port.empty() && version != "4.0") {
            port = "us", ++i;
        } else if (!kFiller.contains(x)) {
            return std::nullopt;
        }
    }
    if (!by) return std::nullopt;
    const auto family = cc_family(nc, sa, nd);
    if (!family) return std::nullopt;
    Licence l = with_family(*family);
    l.version = version;
    l.jurisdiction = port;
    set_cc_flags(l);
    return l;
}

std::optional<Licence> other_by_name(const std::vector<std::string>& w) {
    std::vector<std::string> rest;  // the words that name something
    for (const std::string& x : w)
        if (!kFiller.contains(x) || x == "cc") rest.push_back(x);
    const auto is = [&](std::initializer_list<const char*> names) {
        return std::equal(rest.begin(), rest.end(), names.begin(), names.end(),
                          [](const std::string& a, const char* b) { return a == b; });
    };
    if (is({"cc0"}) || is({"cc0", "1.0"}) || is({"cc", "zero"}) || is({"cc", "zero", "1.0"}) ||
        is({"creative", "commons", "zero"}) || is({"creative", "commons", "zero", "1.0"}) ||
        is({"cc0", "domain", "dedication"}) || is({"cc0", "1.0", "domain", "dedication"}))
        return with_family(LicenceFamily::Cc0);
    if (is({"domain", "mark"}) || is({"domain", "mark", "1.0"}) || is({"pdm"}) || is({"pdm", "1.0"}))
        return with_family(LicenceFamily::PublicDomainMark);
    if (is({"mit"})) return with_family(LicenceFamily::Mit);
    if (!rest.empty() && rest[0] == "apache") {
        if (rest.size() != 2) return std::nullopt;  // "Apache License" alone: which version is not known
        const auto v = version_word(rest[1]);
        if (!v || (*v != "1.0" && *v != "1.1" && *v != "2.0")) return std::nullopt;
        Licence l = with_family(LicenceFamily::Apache);
        l.version = *v;
        return l;
    }
    if (is({"bsd", "2", "clause"}) || is({"2", "clause", "bsd"}) || is({"simplified", "bsd"}) ||
        is({"freebsd"}))
        return with_family(LicenceFamily::Bsd2Clause);
    if (is({"bsd", "3", "clause"}) || is({"3", "clause", "bsd"}) || is({"new", "bsd"}) || is({"modified", "bsd"}) ||
        is({"revised", "bsd"}))
        return with_family(LicenceFamily::Bsd3Clause);
    return std::nullopt;
}

std::optional<Licence> by_name(std::string_view text) {
    const std::vector<std::string> w = words(text);
    if (w.empty()) return std::nullopt;
    if (auto l = other_by_name(w)) return l;
    return cc_by_name(w);
}

// A legal-code, deed or SPDX URL.
std::optional<Licence> by_url(std::string_view url) {
    std::string u = text::to_lower_ascii(text::trim(url));
    for (const char* scheme : {"https://", "http://"})
        if (u.starts_with(scheme)) u.erase(0, std::string_view(scheme).size());
    if (u.starts_with("www.")) u.erase(0, 4);
    if (const std::size_t q = u.find_first_of("?#"); q != std::string::npos) u.erase(q);
    std::vector<std::string> parts;
    for (std::size_t from = 0; from <= u.size();) {
        const std::size_t slash = std::min(u.find('/', from), u.size());
        if (slash > from) parts.push_back(u.substr(from, slash - from));
        from = slash + 1;
    }
    if (parts.empty()) return std::nullopt;
    const std::string& host = parts[0];
    // The page within a licence's folder: a deed or the legal code, in any language.
    const auto page = [](const std::string& p) {
        return p.starts_with("deed") || p.starts_with("legalcode") || p == "index.html";
    };
    if (host == "creativecommons.org") {
        if (parts.size() >= 4 && parts[1] == "licenses") {
            const std::vector<std::string> code = words(parts[2]);
            if (code.empty() || code[0] != "by") return std::nullopt;
            bool nc = false, sa = false, nd = false;
            for (std::size_t i = 1; i < code.size(); ++i) {
                if (code[i] == "nc") nc = true;
                else if (code[i] == "sa") sa = true;
                else if (code[i] == "nd") nd = true;
                else return std::nullopt;
            }
            const auto family = cc_family(nc, sa, nd);
            const auto version = version_word(parts[3]);
            if (!family || !version || parts[3].find('.') == std::string::npos) return std::nullopt;
            Licence l = with_family(*family);
            l.version = *version;
            std::size_t i = 4;
            if (i < parts.size() && !page(parts[i])) l.jurisdiction = parts[i++];
            if (i < parts.size() && page(parts[i])) ++i;
            if (i != parts.size()) return std::nullopt;
            set_cc_flags(l);
            return l;
        }
        if (parts.size() >= 4 && parts[1] == "publicdomain" && parts[3] == "1.0" &&
            (parts.size() == 4 || (parts.size() == 5 && page(parts[4])))) {
            if (parts[2] == "zero") return with_family(LicenceFamily::Cc0);
            if (parts[2] == "mark") return with_family(LicenceFamily::PublicDomainMark);
        }
        return std::nullopt;
    }
    if (host == "apache.org" && parts.size() == 3 && parts[1] == "licenses") {
        std::string p = parts[2];
        if (p.ends_with(".html") || p.ends_with(".txt")) p.erase(p.rfind('.'));
        if (!p.starts_with("license-")) return std::nullopt;
        const auto v = version_word(p.substr(8));
        if (!v || (*v != "1.0" && *v != "1.1" && *v != "2.0")) return std::nullopt;
        Licence l = with_family(LicenceFamily::Apache);
        l.version = *v;
        return l;
    }
    const bool osi = host == "opensource.org" && parts.size() == 3 && (parts[1] == "licenses" || parts[1] == "license");
    const bool spdx = host == "spdx.org" && parts.size() == 3 && parts[1] == "licenses";
    if (osi || spdx) {
        std::string id = parts[2];
        if (id.ends_with(".html") || id.ends_with(".php") || id.ends_with(".json")) id.erase(id.rfind('.'));
        if (id == "mit") return with_family(LicenceFamily::Mit);
        if (id == "apache-2.0" || id == "apache2.0") {
            Licence l = with_family(LicenceFamily::Apache);
            l.version = "2.0";
            return l;
        }
        if (id == "bsd-2-clause") return with_family(LicenceFamily::Bsd2Clause);
        if (id == "bsd-3-clause") return with_family(LicenceFamily::Bsd3Clause);
        if (spdx) return by_name(parts[2]);  // CC-BY-SA-4.0.html and the like
    }
    return std::nullopt;
}

void finish(Licence& l) {
    if (l.family == LicenceFamily::Mit || l.family == LicenceFamily::Apache || l.family == LicenceFamily::Bsd2Clause ||
        l.family == LicenceFamily::Bsd3Clause)
        l.attribution = true;  // each asks that its notice be kept with the work
    if (l.family == LicenceFamily::Cc0 || l.family == LicenceFamily::PublicDomainMark) l.version = "1.0";  // the only one
    set_canonical_url(l);
}

// An SPDX licence expression of licences folio knows: "MIT OR Apache-2.0",
// "(MIT AND CC-BY-4.0)". The operators are upper case, as SPDX writes them.
std::optional<Licence> spdx_expression(std::string_view text) {
    std::string s(text::trim(text));
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
    std::string conjunction;
    std::vector<std::string> operands;
    std::string current;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t end = i;
        while (end < s.size() && !is_space(s[end])) ++end;
        const std::string word = s.substr(i, end - i);
        if (word == "OR" || word == "AND") {
            if (!conjunction.empty() && conjunction != word) return std::nullopt;  // mixed: not recognised
            conjunction = word;
            operands.push_back(current);
            current.clear();
        } else if (!word.empty()) {
            current += (current.empty() ? "" : " ") + word;
        }
        i = end + 1;
    }
    operands.push_back(current);
    if (conjunction.empty() || operands.size() < 2) return std::nullopt;
    Licence l = with_family(LicenceFamily::SpdxExpression);
    l.conjunction = conjunction;
    for (std::string& op : operands) {
        if (op.size() >= 2 && op.front() == '(' && op.back() == ')') op = op.substr(1, op.size() - 2);
        if (op.find(' ') != std::string::npos) return std::nullopt;  // an SPDX identifier is one word
        auto t = by_name(op);
        if (!t) return std::nullopt;
        finish(*t);
        t->text = op;
        // Every one applies under AND; under OR the reader may choose the least.
        if (conjunction == "AND") {
            l.attribution |= t->attribution, l.share_alike |= t->share_alike;
            l.no_derivatives |= t->no_derivatives, l.non_commercial |= t->non_commercial;
        }
        l.terms.push_back(std::move(*t));
    }
    if (conjunction == "OR") {
        l.attribution = std::all_of(l.terms.begin(), l.terms.end(), [](const Licence& t) { return t.attribution; });
        l.share_alike = std::all_of(l.terms.begin(), l.terms.end(), [](const Licence& t) { return t.share_alike; });
        l.no_derivatives = std::all_of(l.terms.begin(), l.terms.end(), [](const Licence& t) { return t.no_derivatives; });
        l.non_commercial = std::all_of(l.terms.begin(), l.terms.end(), [](const Licence& t) { return t.non_commercial; });
    }
    return l;
}

bool contains_any(const std::string& haystack, std::initializer_list<const char*> needles) {
    return std::any_of(needles.begin(), needles.end(),
                       [&](const char* n) { return haystack.find(n) != std::string::npos; });
}

// Text in quotation marks, in the order written: “…”, „…“, «…», "…".
std::vector<std::string> quoted(std::string_view text) {
    static const std::array<std::pair<std::string_view, std::string_view>, 6> kMarks = {{
        {"\u201C", "\u201D"}, {"\u201E", "\u201C"}, {"\u201E", "\u201D"}, {"\u00AB", "\u00BB"}, {"\u2018", "\u2019"},
        {"\"", "\""},
    }};
    std::vector<std::string> found;
    std::size_t i = 0;
    while (i < text.size()) {
        bool matched = false;
        for (const auto& [open, close] : kMarks) {
            if (text.substr(i, open.size()) != open) continue;
            const std::size_t end = text.find(close, i + open.size());
            if (end == std::string_view::npos) continue;
            const std::string_view inner = text::trim(text.substr(i + open.size(), end - i - open.size()));
            if (!inner.empty()) found.emplace_back(inner);
            i = end + close.size();
            matched = true;
            break;
        }
        if (!matched) ++i;
    }
    return found;
}

// The sentence of `text` that holds byte `at` (ended by . ! ? or the text's end).
std::string_view sentence_at(std::string_view text, std::size_t at) {
    std::size_t begin = at, end = at;
    const auto ends = [](char c) { return c == '.' || c == '!' || c == '?'; };
    while (begin > 0 && !ends(text[begin - 1])) --begin;
    while (end < text.size() && !ends(text[end])) ++end;
    return text.substr(begin, end - begin);
}

// A permission in words, or a notice that grants nothing.
std::optional<Licence> by_prose(std::string_view text) {
    const std::string lower = text::to_lower_ascii(text);
    static const std::initializer_list<const char*> kGrants = {
        "you may ",       "you can ",          "you are free to", "permission is granted", "is permitted",
        "are permitted",  "feel free to",      "may be shared",   "may be reproduced",     "may be republished",
        "may be used",    "may be copied",     "may be reprinted", "free to share",        "free to republish",
        "welcome to share", "welcome to republish", "permission to"};
    const std::size_t grant = [&] {
        std::size_t first = std::string::npos;
        for (const char* g : kGrants) first = std::min(first, lower.find(g));
        return first;
    }();
    const bool copyright = lower.find("all rights reserved") != std::string::npos ||
                           contains_any(lower, {"\u00A9", "(c) ", "copyright"});
    if (grant == std::string::npos) {
        if (!copyright) return std::nullopt;
        return with_family(LicenceFamily::AllRightsReserved);
    }
    Licence l = with_family(LicenceFamily::Prose);
    // The names it asks to credit: the quoted ones in the sentence that grants, or in
    // one that speaks of credit.
    const std::string_view granting = sentence_at(text, grant);
    for (const std::string& name : quoted(granting)) l.credit_names.push_back(name);
    if (l.credit_names.empty()) {
        for (const char* word : {"credit", "attribut", "cite", "mention", "acknowledg"}) {
            const std::size_t at = lower.find(word);
            if (at == std::string::npos) continue;
            l.credit_names = quoted(sentence_at(text, at));
            if (!l.credit_names.empty()) break;
        }
    }
    l.attribution = !l.credit_names.empty() ||
                    contains_any(lower, {"credit", "attribut", "cite ", "mention", "acknowledg", "name the author"});
    l.requires_link = contains_any(lower, {"link", "hyperlink", "url"});
    l.requires_author = contains_any(lower, {"the author", "author's name", "author\u2019s name", "authors' names",
                                             "name of the author", "author name"});
    l.non_commercial = contains_any(lower, {"non-commercial", "noncommercial", "not for commercial", "no commercial",
                                            "not commercial", "non commercial"});
    l.no_derivatives = contains_any(lower, {"without modif", "unaltered", "unchanged", "without chang", "not modify",
                                            "not alter", "not edit", "no derivative", "in full"});
    l.share_alike = contains_any(lower, {"same licen", "same terms", "same conditions"});
    return l;
}

bool looks_like_url(std::string_view s) {
    s = text::trim(s);
    return (s.starts_with("http://") || s.starts_with("https://") || s.starts_with("creativecommons.org/") ||
            s.starts_with("www.")) &&
           s.find(' ') == std::string_view::npos;
}

bool same_licence(const Licence& a, const Licence& b) {
    return a.family == b.family && (a.version.empty() || b.version.empty() || a.version == b.version) &&
           (a.jurisdiction.empty() || b.jurisdiction.empty() || a.jurisdiction == b.jurisdiction);
}

}  // namespace

Licence recognise(std::string_view text, std::string_view url) {
    const std::string_view t = text::trim(text);
    std::optional<Licence> from_text;
    if (!t.empty()) {
        if (looks_like_url(t)) from_text = by_url(t);
        if (!from_text && !looks_like_url(t)) from_text = spdx_expression(t);
        if (!from_text && !looks_like_url(t)) from_text = by_name(t);
        if (!from_text && !looks_like_url(t)) from_text = by_prose(t);
    }
    const std::optional<Licence> from_url = text::trim(url).empty() ? std::nullopt : by_url(url);
    Licence l;
    if (from_text && from_url) {
        if (same_licence(*from_text, *from_url)) {
            l = *from_text;
            if (l.version.empty()) l.version = from_url->version;
            if (l.jurisdiction.empty()) l.jurisdiction = from_url->jurisdiction;
        }  // else: two licences named; which one holds is not folio's to guess
    } else if (from_text) {
        l = *from_text;
    } else if (from_url && (t.empty() || looks_like_url(t))) {
        l = *from_url;  // a text folio does not know beside a URL it does: the text decides, and it is unknown
    }
    if (l.family != LicenceFamily::SpdxExpression) finish(l);
    if (doc::is_creative_commons_by(l.family)) set_cc_flags(l);
    l.text = std::string(text);
    l.text_url = std::string(url);
    return l;
}

std::optional<Licence> claimed_licence(std::string_view rights) {
    std::vector<Licence> named;
    // Legal-code addresses, as written in a sentence: "(https://…/by/4.0/)."
    for (std::size_t i = 0; i < rights.size();) {
        while (i < rights.size() && is_space(rights[i])) ++i;
        std::size_t end = i;
        while (end < rights.size() && !is_space(rights[end])) ++end;
        std::string_view token = rights.substr(i, end - i);
        while (!token.empty() && std::string_view("(<[\"'").find(token.front()) != std::string_view::npos)
            token.remove_prefix(1);
        while (!token.empty() && std::string_view(").,;:>]\"'").find(token.back()) != std::string_view::npos)
            token.remove_suffix(1);
        if (looks_like_url(token))
            if (auto l = by_url(token)) named.push_back(*l);
        i = end;
    }
    // Names: the longest run of words from "CC" or "Creative" that names a licence.
    // A text naming dozens of licences claims no one of them; the bound also keeps
    // hostile input from costing more than a few hundred tries.
    const std::vector<std::string> w = words(rights);
    int starts = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] != "cc" && w[i] != "cc0" && w[i] != "creative") continue;
        if (++starts > 32) return std::nullopt;
        std::optional<Licence> longest;
        std::size_t last = i;
        for (std::size_t j = i + 1; j <= std::min(w.size(), i + 12); ++j) {
            const std::vector<std::string> run(w.begin() + static_cast<std::ptrdiff_t>(i),
                                               w.begin() + static_cast<std::ptrdiff_t>(j));
            std::optional<Licence> l = other_by_name(run);
            if (!l) l = cc_by_name(run);
            if (l) longest = l, last = j - 1;
        }
        if (longest) named.push_back(*longest), i = last;
    }
    if (named.empty()) return std::nullopt;
    Licence l = named.front();
    for (const Licence& other : named) {
        if (!same_licence(l, other)) return std::nullopt;  // several: no one licence is claimed
        if (l.version.empty()) l.version = other.version;
        if (l.jurisdiction.empty()) l.jurisdiction = other.jurisdiction;
    }
    finish(l);
    if (doc::is_creative_commons_by(l.family)) set_cc_flags(l);
    l.text = std::string(rights);
    return l;
}

}  // namespace folio::licence
