#include "doc/labels.hpp"

#include "core/text.hpp"

namespace folio::doc {

namespace {

// The abbreviation of "page" by the language's primary subtag (and script, where
// the script changes the word).
std::string_view page_abbreviation(std::string_view lang) {
    const std::string tag = text::to_lower_ascii(lang);
    const std::string primary = tag.substr(0, tag.find('-'));
    const bool cyrillic = tag.find("-cyrl") != std::string::npos;
    if (primary == "sr") return cyrillic ? "стр." : "str.";
    if (primary == "hr" || primary == "bs" || primary == "sl" || primary == "sh") return "str.";
    if (primary == "mk" || primary == "bg" || primary == "ru") return "стр.";
    if (primary == "uk") return "с.";
    if (primary == "de") return "S.";
    if (primary == "sq") return "f.";
    if (primary == "pl" || primary == "cs" || primary == "sk") return "s.";
    if (primary == "hu") return "o.";
    if (primary == "el") return "σ.";
    return "p.";  // English, French, Spanish, Italian, Portuguese, Dutch and the rest
}

}  // namespace

std::string page_reference(std::string_view lang, std::string_view page_label) {
    return " (" + std::string(page_abbreviation(lang)) + "\u00A0" + std::string(page_label) + ")";
}

}  // namespace folio::doc
