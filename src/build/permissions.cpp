#include "build/permissions.hpp"
#include "epub/package.hpp"

#include <map>

namespace folio::build {

namespace {

// Where each article lies in the print edition, read from the anchors the setter
// leaves: "a03" on the article's first page, "a03-credit" where its credit begins.
// Every article opens a page, so it ends on the last page with anything on it before
// the next article, chapter opener or the credits page opens.
class PrintPlaces {
public:
    PrintPlaces(const doc::Book& book, const layout::Pages& print) : m_print(print) {
        for (std::size_t i = 0; i < print.pages.size(); ++i)
            for (const layout::Anchor& anchor : print.pages[i].anchors) m_page_of.try_emplace(anchor.name, i);
        auto opens = [&](const std::string& id) {
            if (auto it = m_page_of.find(id); it != m_page_of.end()) m_openings.push_back(it->second);
        };
        for (const doc::Chapter& c : book.chapters) {
            opens(c.id);
            for (const doc::Article& a : c.articles) opens(a.id);
        }
        opens("credits");
    }

    std::string pages_of(const doc::Article& a) const {
        const auto first = page_of(a.id);
        if (!first) return {};
        std::size_t last = m_print.pages.size() - 1;
        for (std::size_t opening : m_openings)
            if (opening > *first) last = std::min(last, opening - 1);
        while (last > *first && blank(m_print.pages[last])) --last;
        const std::string& from = m_print.pages[*first].label;
        return last == *first ? from : from + "\u2013" + m_print.pages[last].label;
    }

    std::string credit_page_of(const doc::Article& a) const {
        const auto page = page_of(a.id + "-credit");
        return page ? m_print.pages[*page].label : std::string();
    }

private:
    std::optional<std::size_t> page_of(const std::string& anchor) const {
        const auto it = m_page_of.find(anchor);
        if (it == m_page_of.end()) return std::nullopt;
        return it->second;
    }

    // A page left empty so that the next opens on a recto.
    static bool blank(const layout::Page& page) {
        return page.runs.empty() && page.images.empty() && page.rules.empty() && !page.turned;
    }

    const layout::Pages& m_print;
    std::map<std::string, std::size_t> m_page_of;
    std::vector<std::size_t> m_openings;
};

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

// RFC 4180 §2: a field holding a comma, a quote or a line end is quoted, its quotes doubled.
std::string csv_field(const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string out = "\"";
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

}  // namespace

std::vector<Permission> permissions(const doc::Book& book, const layout::Pages* print) {
    std::optional<PrintPlaces> places;
    if (print) places.emplace(book, *print);
    std::vector<Permission> rows;
    book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
        Permission row;
        row.file = a.path;
        row.title = a.title;
        row.authors = joined(a.credit.authors.empty() ? a.authors : a.credit.authors);
        row.site = a.credit.site;
        row.source = a.credit.source;
        row.licence = a.credit.license;
        row.licence_url = a.credit.license_url;
        row.licence_family = std::string(doc::family_name(a.credit.licence.family));
        row.permission = a.credit.permission;
        row.credit = a.credit.statement();
        row.epub_document = "EPUB/" + epub::document_of(a.id);
        if (places) {
            row.print_pages = places->pages_of(a);
            row.credit_print_page = places->credit_page_of(a);
        }
        rows.push_back(std::move(row));
    });
    return rows;
}

std::string permissions_csv(const std::vector<Permission>& rows) {
    std::string out =
        "file,title,author,site,source,licence,licence_url,licence_family,permission,credit,epub_document,print_pages,"
        "credit_print_page\r\n";
    for (const Permission& r : rows) {
        bool first = true;
        for (const std::string* field : {&r.file, &r.title, &r.authors, &r.site, &r.source, &r.licence,
                                         &r.licence_url, &r.licence_family, &r.permission, &r.credit, &r.epub_document, &r.print_pages,
                                         &r.credit_print_page}) {
            if (!first) out += ',';
            first = false;
            out += csv_field(*field);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace folio::build
