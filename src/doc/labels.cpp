#include "doc/labels.hpp"

#include "core/text.hpp"

#include <array>

namespace folio::doc {

namespace {

// book.yaml's names for the members of Labels, in the same order.
constexpr std::array<std::string_view, 23> kKeys = {
    "contents",  "credits",   "credit", "copyright", "title_page",   "cover",   "cover_alt",
    "beginning", "landmarks", "notes",  "by",        "and",          "published_in", "licence",
    "no_credit", "articles_licence", "published_by", "published_on", "published_by_on", "page", "pages", "not_for_sale",
    "permission"};
constexpr std::size_t kKeyCount = kKeys.size();

std::string* member(Labels& l, std::size_t i) {
    std::string* const members[] = {&l.contents,     &l.credits,      &l.credit,          &l.copyright,
                                    &l.title_page,   &l.cover,        &l.cover_alt,       &l.beginning,
                                    &l.landmarks,    &l.notes,        &l.by,              &l.and_,
                                    &l.published_in, &l.licence,      &l.no_credit,       &l.articles_licence,
                                    &l.published_by, &l.published_on, &l.published_by_on, &l.page, &l.pages, &l.not_for_sale,
                                    &l.permission};
    static_assert(sizeof(members) / sizeof(members[0]) == kKeyCount, "one key per label");
    return members[i];
}

// The abbreviation of "page" by the language's primary subtag, for the languages
// whose other words the table does not hold.
std::string_view page_abbreviation(std::string_view primary) {
    if (primary == "sl") return "str.";
    if (primary == "mk" || primary == "bg" || primary == "ru") return "стр.";
    if (primary == "uk") return "с.";
    if (primary == "pl" || primary == "cs" || primary == "sk") return "s.";
    if (primary == "hu") return "o.";
    if (primary == "el") return "σ.";
    return "p.";  // English, Portuguese, Dutch and the rest
}

// Serbian, Croatian and Bosnian credit lines name the authors after a comma
// ("„Naslov“, Ana Petrović, objavljeno u publikaciji Vreme"): a word for "by" would
// have to agree with the authors' number and case, which a table cannot do. For
// the same reason the site follows a noun in apposition ("u publikaciji Vreme"),
// which leaves the name in the nominative, and the publisher is named after a
// colon ("Izdavač: …"), as an impressum does.
const Labels kSerbianLatin{
    .contents = "Sadržaj",
    .credits = "Izvori",  // the page Serbian anthologies call "Izvori" (sources of the texts)
    .credit = "Izvor",
    .copyright = "Autorska prava",
    .title_page = "Naslovna strana",
    .cover = "Korice",
    .cover_alt = "Korice knjige {title}",
    .beginning = "Početak",
    .landmarks = "Delovi knjige",
    .notes = "Napomene",
    .by = ",",
    .and_ = "i",
    .published_in = "objavljeno u publikaciji",
    .licence = "Licenca:",
    .no_credit = "Izvor nije naveden.",
    .articles_licence = "Svaki članak u ovoj knjizi objavljen je pod sopstvenom licencom, navedenom posle članka i "
                        "na stranici sa izvorima.",
    .published_by = "Izdavač: {publisher}.",
    .published_on = "Objavljeno {date}.",
    .published_by_on = "Izdavač: {publisher}, {date}.",
    .page = "str.",
    .pages = "Stranice",
    .not_for_sale = "Nije za prodaju.",
    .permission = "Objavljeno uz dozvolu: {permission}.",
};

const Labels kSerbianCyrillic{
    .contents = "Садржај",
    .credits = "Извори",
    .credit = "Извор",
    .copyright = "Ауторска права",
    .title_page = "Насловна страна",
    .cover = "Корице",
    .cover_alt = "Корице књиге {title}",
    .beginning = "Почетак",
    .landmarks = "Делови књиге",
    .notes = "Напомене",
    .by = ",",
    .and_ = "и",
    .published_in = "објављено у публикацији",
    .licence = "Лиценца:",
    .no_credit = "Извор није наведен.",
    .articles_licence = "Сваки чланак у овој књизи објављен је под сопственом лиценцом, наведеном после чланка и "
                        "на страници са изворима.",
    .published_by = "Издавач: {publisher}.",
    .published_on = "Објављено {date}.",
    .published_by_on = "Издавач: {publisher}, {date}.",
    .page = "стр.",
    .pages = "Странице",
    .not_for_sale = "Није за продају.",
    .permission = "Објављено уз дозволу: {permission}.",
};

// Croatian: ijekavian, "nakladnik" for the publisher, "licencija" as Croatian
// standard usage writes it.
const Labels kCroatian{
    .contents = "Sadržaj",
    .credits = "Izvori",
    .credit = "Izvor",
    .copyright = "Autorska prava",
    .title_page = "Naslovna stranica",
    .cover = "Naslovnica",
    .cover_alt = "Naslovnica knjige {title}",
    .beginning = "Početak",
    .landmarks = "Dijelovi knjige",
    .notes = "Bilješke",
    .by = ",",
    .and_ = "i",
    .published_in = "objavljeno u publikaciji",
    .licence = "Licencija:",
    .no_credit = "Izvor nije naveden.",
    .articles_licence = "Svaki članak u ovoj knjizi objavljen je pod vlastitom licencijom, navedenom nakon članka "
                        "i na stranici s izvorima.",
    .published_by = "Nakladnik: {publisher}.",
    .published_on = "Objavljeno {date}.",
    .published_by_on = "Nakladnik: {publisher}, {date}.",
    .page = "str.",
    .pages = "Stranice",
    .not_for_sale = "Nije za prodaju.",
    .permission = "Objavljeno uz dopuštenje: {permission}.",
};

const Labels kBosnian{
    .contents = "Sadržaj",
    .credits = "Izvori",
    .credit = "Izvor",
    .copyright = "Autorska prava",
    .title_page = "Naslovna stranica",
    .cover = "Korice",
    .cover_alt = "Korice knjige {title}",
    .beginning = "Početak",
    .landmarks = "Dijelovi knjige",
    .notes = "Bilješke",
    .by = ",",
    .and_ = "i",
    .published_in = "objavljeno u publikaciji",
    .licence = "Licenca:",
    .no_credit = "Izvor nije naveden.",
    .articles_licence = "Svaki članak u ovoj knjizi objavljen je pod vlastitom licencom, navedenom nakon članka i "
                        "na stranici s izvorima.",
    .published_by = "Izdavač: {publisher}.",
    .published_on = "Objavljeno {date}.",
    .published_by_on = "Izdavač: {publisher}, {date}.",
    .page = "str.",
    .pages = "Stranice",
    .not_for_sale = "Nije za prodaju.",
    .permission = "Objavljeno uz dozvolu: {permission}.",
};

const Labels kAlbanian{
    .contents = "Përmbajtja",
    .credits = "Burimet",
    .credit = "Burimi",
    .copyright = "E drejta e autorit",
    .title_page = "Faqja e titullit",
    .cover = "Kopertina",
    .cover_alt = "Kopertina e librit {title}",
    .beginning = "Fillimi",
    .landmarks = "Pjesët e librit",
    .notes = "Shënime",
    .by = "nga",
    .and_ = "dhe",
    .published_in = "botuar në",
    .licence = "Licenca:",
    .no_credit = "Burimi nuk është dhënë.",
    .articles_licence = "Çdo artikull në këtë libër botohet me licencën e vet, të shënuar pas artikullit dhe në "
                        "faqen e burimeve.",
    .published_by = "Botuar nga {publisher}.",
    .published_on = "Botuar më {date}.",
    .published_by_on = "Botuar nga {publisher}, {date}.",
    .page = "f.",
    .pages = "Faqet",
    .not_for_sale = "Nuk është për shitje.",
    .permission = "Botuar me leje: {permission}.",
};

// German books head the page of sources "Quellennachweis(e)"; the copyright page
// is the "Impressum".
const Labels kGerman{
    .contents = "Inhalt",
    .credits = "Quellennachweise",
    .credit = "Quellennachweis",
    .copyright = "Impressum",
    .title_page = "Titelseite",
    .cover = "Umschlag",
    .cover_alt = "Umschlag von {title}",
    .beginning = "Anfang",
    .landmarks = "Orientierungspunkte",
    .notes = "Anmerkungen",
    .by = "von",
    .and_ = "und",
    .published_in = "erschienen in",
    .licence = "Lizenz:",
    .no_credit = "Keine Quellenangabe.",
    .articles_licence = "Jeder Beitrag in diesem Buch steht unter seiner eigenen Lizenz, die nach dem Beitrag und "
                        "in den Quellennachweisen angegeben ist.",
    .published_by = "Erschienen bei {publisher}.",
    .published_on = "Erschienen am {date}.",
    .published_by_on = "Erschienen bei {publisher}, {date}.",
    .page = "S.",
    .pages = "Seiten",
    .not_for_sale = "Unverkäuflich.",
    .permission = "Abdruck mit Genehmigung: {permission}.",
};

// French sets a no-break space before a colon ("Licence : …").
const Labels kFrench{
    .contents = "Table des matières",
    .credits = "Crédits",
    .credit = "Crédit",
    .copyright = "Droits d’auteur",
    .title_page = "Page de titre",
    .cover = "Couverture",
    .cover_alt = "Couverture de {title}",
    .beginning = "Début",
    .landmarks = "Repères",
    .notes = "Notes",
    .by = "par",
    .and_ = "et",
    .published_in = "publié dans",
    .licence = "Licence\u00A0:",
    .no_credit = "Aucun crédit indiqué.",
    .articles_licence = "Chaque article de ce livre paraît sous sa propre licence, indiquée après l’article et dans "
                        "les crédits.",
    .published_by = "Publié par {publisher}.",
    .published_on = "Publié le {date}.",
    .published_by_on = "Publié par {publisher}, {date}.",
    .page = "p.",
    .pages = "Pages",
    .not_for_sale = "Ne peut être vendu.",
    .permission = "Reproduit avec autorisation\u00A0: {permission}.",
};

// Spanish: the title page is the "portada", the cover the "cubierta". ("y" becomes
// "e" before a name beginning with an i sound; a table cannot know that, and a book
// may set `and`.)
const Labels kSpanish{
    .contents = "Índice",
    .credits = "Créditos",
    .credit = "Crédito",
    .copyright = "Derechos de autor",
    .title_page = "Portada",
    .cover = "Cubierta",
    .cover_alt = "Cubierta de {title}",
    .beginning = "Inicio",
    .landmarks = "Puntos de referencia",
    .notes = "Notas",
    .by = "de",
    .and_ = "y",
    .published_in = "publicado en",
    .licence = "Licencia:",
    .no_credit = "Sin créditos.",
    .articles_licence = "Cada artículo de este libro se publica con su propia licencia, indicada tras el artículo y "
                        "en la página de créditos.",
    .published_by = "Publicado por {publisher}.",
    .published_on = "Publicado el {date}.",
    .published_by_on = "Publicado por {publisher}, {date}.",
    .page = "p.",
    .pages = "Páginas",
    .not_for_sale = "Prohibida su venta.",
    .permission = "Reproducido con permiso: {permission}.",
};

// Italian: the title page is the "frontespizio"; a text appears "su" a site or a paper.
const Labels kItalian{
    .contents = "Indice",
    .credits = "Crediti",
    .credit = "Crediti",
    .copyright = "Diritti d’autore",
    .title_page = "Frontespizio",
    .cover = "Copertina",
    .cover_alt = "Copertina di {title}",
    .beginning = "Inizio",
    .landmarks = "Punti di riferimento",
    .notes = "Note",
    .by = "di",
    .and_ = "e",
    .published_in = "pubblicato su",
    .licence = "Licenza:",
    .no_credit = "Nessun credito indicato.",
    .articles_licence = "Ogni articolo di questo libro è pubblicato con la propria licenza, indicata dopo l’articolo "
                        "e nella pagina dei crediti.",
    .published_by = "Pubblicato da {publisher}.",
    .published_on = "Pubblicato il {date}.",
    .published_by_on = "Pubblicato da {publisher}, {date}.",
    .page = "p.",
    .pages = "Pagine",
    .not_for_sale = "Vietata la vendita.",
    .permission = "Riprodotto con autorizzazione: {permission}.",
};

struct Language {
    std::string primary;
    bool cyrillic = false;  // Serbian only: the script its words are written in
};

Language language_of_tag(std::string_view lang) {
    const std::string tag = text::to_lower_ascii(lang);
    Language out{tag.substr(0, tag.find('-'))};
    if (out.primary == "sh") {  // Serbo-Croatian, written in Latin
        out.primary = "sr";
    } else if (out.primary == "sr") {
        out.cyrillic = tag.find("-latn") == std::string::npos;
    }
    return out;
}

// Phrases that say "each article" and "the articles' own terms", lower case, by
// language, for rights_name_articles_licences.
struct Phrases {
    std::vector<std::string_view> each, own;
};

Phrases phrases_for(const Language& l) {
    if (l.primary == "sr" && l.cyrillic)
        return {{"сваки чланак", "сваки текст", "сви чланци", "сви текстови"},
                {"сопствен", "својом лиценц", "својим услов", "извори"}};
    if (l.primary == "sr" || l.primary == "hr" || l.primary == "bs")
        return {{"svaki članak", "svaki tekst", "svi članci", "svi tekstovi"},
                {"sopstven", "vlastit", "svojom licenc", "svojim uvjet", "svojim uslov", "izvori"}};
    if (l.primary == "de")
        return {{"jeder beitrag", "jeder artikel", "alle beiträge", "jeder text"},
                {"eigene lizenz", "eigenen lizenz", "eigenen bedingungen", "quellennachweis"}};
    if (l.primary == "fr") return {{"chaque article", "chaque texte"}, {"propre licence", "propres conditions", "crédits"}};
    if (l.primary == "es")
        return {{"cada artículo", "cada texto"}, {"propia licencia", "propias condiciones", "créditos"}};
    if (l.primary == "it")
        return {{"ogni articolo", "ciascun articolo", "ogni testo"}, {"propria licenza", "proprie condizioni", "crediti"}};
    if (l.primary == "sq") return {{"çdo artikull", "secili artikull"}, {"licencën e vet", "kushtet e veta", "burimet"}};
    return {};
}

std::string lower(std::string_view s) {
    std::u32string u = text::to_u32(s);
    for (char32_t& c : u) c = text::to_lower(c);
    return text::to_utf8(u);
}

}  // namespace

std::span<const std::string_view> label_keys() { return kKeys; }

std::string* find_label(Labels& labels, std::string_view key) {
    for (std::size_t i = 0; i < kKeyCount; ++i)
        if (kKeys[i] == key) return member(labels, i);
    return nullptr;
}

Labels labels_for(std::string_view lang) {
    const Language l = language_of_tag(lang);
    if (l.primary == "sr") return l.cyrillic ? kSerbianCyrillic : kSerbianLatin;
    if (l.primary == "hr") return kCroatian;
    if (l.primary == "bs") return kBosnian;  // also bs-Cyrl, which the table has no words for
    if (l.primary == "sq") return kAlbanian;
    if (l.primary == "de") return kGerman;
    if (l.primary == "fr") return kFrench;
    if (l.primary == "es") return kSpanish;
    if (l.primary == "it") return kItalian;
    Labels english;
    english.page = page_abbreviation(l.primary);
    return english;
}

std::string fill_label(std::string_view pattern,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
    std::string out;
    std::size_t i = 0;
    while (i < pattern.size()) {
        const std::size_t open = pattern.find('{', i);
        if (open == std::string_view::npos) break;
        const std::size_t close = pattern.find('}', open);
        if (close == std::string_view::npos) break;
        const std::string_view name = pattern.substr(open + 1, close - open - 1);
        out.append(pattern.substr(i, open - i));
        bool filled = false;
        for (const auto& [k, v] : values)
            if (k == name) out.append(v), filled = true;
        if (!filled) out.append(pattern.substr(open, close - open + 1));
        i = close + 1;
    }
    out.append(pattern.substr(std::min(i, pattern.size())));
    return out;
}

std::string join_names(const std::vector<std::string>& names, const Labels& labels) {
    if (names.size() <= 1) return names.empty() ? std::string() : names[0];
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i == names.size() - 1)
            out += " " + labels.and_ + " ";
        else if (i)
            out += ", ";
        out += names[i];
    }
    return out;
}

std::string page_reference(const Labels& labels, std::string_view page_label) {
    return " (" + labels.page + "\u00A0" + std::string(page_label) + ")";
}

bool rights_name_articles_licences(std::string_view rights, std::string_view lang, const Labels& labels) {
    const std::string r = lower(rights);
    if (!labels.articles_licence.empty() && r.find(lower(labels.articles_licence)) != std::string::npos) return true;
    auto says = [&](const std::vector<std::string_view>& phrases) {
        for (std::string_view p : phrases)
            if (r.find(p) != std::string::npos) return true;
        return false;
    };
    // English always, for a book in one language whose rights are written in English.
    const Phrases english{{"each article", "every article", "each of the articles"},
                          {"the credits", "own licence", "own license", "own terms"}};
    if (says(english.each) && says(english.own)) return true;
    const Phrases own = phrases_for(language_of_tag(lang));
    return says(own.each) && says(own.own);
}

}  // namespace folio::doc
