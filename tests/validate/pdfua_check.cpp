// folio-pdfua-check FILE.pdf: the machine-checkable failure conditions of the
// Matterhorn Protocol 1.1 (PDF Association) that apply to folio's reading PDF, each
// reported as "FILE: [checkpoint] what, where"; exit status 1 when any fails.
//
//   01-004/01-005  content neither marked (MCID) nor an artifact; an MCID no element holds
//   01-007         a page with marked content and no /StructParents; a ParentTree entry missing
//   06-001..003    no XMP metadata, no pdfuaid:part 1, no dc:title
//   07-001/07-002  no ViewerPreferences /DisplayDocTitle true
//   11-006         no /Lang on the catalogue
//   13-004         a Figure without /Alt
//   14-002/14-003  the first numbered heading is not H1; a heading level skipped on the way down
//   15-003         a TH without a /Scope attribute
//   28-002/28-011  a link annotation outside any Link element, or without /StructParent
//   (and MarkInfo /Marked true, a StructTreeRoot: the document is tagged at all)
//
// Reads the file with PoDoFo: the content streams operator by operator, the
// structure tree element by element. What it cannot judge (whether alt text is
// meaningful, whether the reading order is the logical one) is for a reader.
#include <podofo/podofo.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace PoDoFo;

namespace {

struct Checker {
    std::string file;
    PdfMemDocument doc;
    int failures = 0;
    std::map<std::string, int> counts;  // by checkpoint, for the summary: a checkpoint is reported 5 times at most

    void fail(const std::string& checkpoint, const std::string& what) {
        ++failures;
        if (++counts[checkpoint] <= 5) std::cout << file << ": [" << checkpoint << "] " << what << "\n";
    }

    // Whether a string object holds text: PoDoFo 0.9.8 does not decode every hex
    // string as UTF-16 (GetStringUtf8 is then empty), so its bytes, less a BOM.
    static bool has_text(const PdfObject* o) {
        if (!o || !(o->IsString() || o->IsHexString())) return false;
        const PdfString& str = o->GetString();
        if (str.IsUnicode()) return !str.GetStringUtf8().empty();
        std::string bytes(str.GetString() ? str.GetString() : "", str.GetLength());
        if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF') bytes.erase(0, 2);
        return !bytes.empty();
    }

    PdfObject* resolve(PdfObject* o) {
        while (o && o->IsReference()) o = doc.GetObjects().GetObject(o->GetReference());
        return o;
    }
    PdfObject* key(PdfObject* dict, const char* name) {
        dict = resolve(dict);
        if (!dict || !dict->IsDictionary()) return nullptr;
        return resolve(dict->GetDictionary().GetKey(PdfName(name)));
    }

    // Page object number -> index, for the structure tree's /Pg.
    std::map<pdf_objnum, int> page_index;
    // (page, MCID) the content marks, and those the structure holds.
    std::set<std::pair<int, long long>> marked, held;
    std::set<pdf_objnum> annotations_held;  // by OBJR
    int last_heading = 0;                    // 0: none yet

    void catalogue() {
        PdfObject* cat = doc.GetCatalog();
        PdfObject* mark_info = key(cat, "MarkInfo");
        PdfObject* marked_key = key(mark_info, "Marked");
        if (!marked_key || !marked_key->IsBool() || !marked_key->GetBool()) fail("01-001", "MarkInfo /Marked is not true");
        if (!key(cat, "StructTreeRoot")) fail("01-001", "no StructTreeRoot: the document is not tagged");
        PdfObject* lang = key(cat, "Lang");
        if (!has_text(lang))
            fail("11-006", "no /Lang on the catalogue");
        PdfObject* display = key(key(cat, "ViewerPreferences"), "DisplayDocTitle");
        if (!display || !display->IsBool() || !display->GetBool())
            fail("07-001", "ViewerPreferences /DisplayDocTitle is not true");
        PdfObject* meta = key(cat, "Metadata");
        if (!meta || !meta->HasStream()) {
            fail("06-001", "no XMP metadata stream");
            return;
        }
        char* buffer = nullptr;
        pdf_long length = 0;
        meta->GetStream()->GetFilteredCopy(&buffer, &length);
        const std::string xmp(buffer, static_cast<std::size_t>(length));
        podofo_free(buffer);
        if (xmp.find("<pdfuaid:part>1</pdfuaid:part>") == std::string::npos &&
            xmp.find("pdfuaid:part=\"1\"") == std::string::npos)
            fail("06-002", "XMP has no pdfuaid:part 1");
        const auto title = xmp.find("<dc:title>");
        if (title == std::string::npos || xmp.find("<rdf:li", title) == std::string::npos ||
            xmp.find("</rdf:li>", title) == xmp.find(">", xmp.find("<rdf:li", title)) + 1)
            fail("06-003", "XMP has no dc:title");
    }

    // Every painting operator inside marked content with an MCID, or inside an artifact.
    void contents() {
        const int n = doc.GetPageCount();
        for (int i = 0; i < n; ++i) {
            PdfPage* page = doc.GetPage(i);
            page_index[page->GetObject()->Reference().ObjectNumber()] = i;
            PdfContentsTokenizer tokens(page);
            EPdfContentsType type;
            const char* keyword = nullptr;
            PdfVariant operand;
            std::vector<PdfVariant> operands;
            // The open marked-content sequences: 1 an MCID's, 2 an artifact's, 0 other.
            std::vector<int> open;
            int mcids_here = 0;
            auto covered = [&] {
                for (int k : open)
                    if (k != 0) return true;
                return false;
            };
            static const std::set<std::string> painting = {"Tj", "TJ", "'", "\"", "Do", "S", "s", "f", "F", "f*",
                                                           "B", "B*", "b", "b*", "sh", "BI"};
            while (tokens.ReadNext(type, keyword, operand)) {
                if (type == ePdfContentsType_Variant) {
                    operands.push_back(operand);
                    continue;
                }
                if (type != ePdfContentsType_Keyword) continue;
                const std::string op = keyword;
                if (op == "BMC" || op == "BDC") {
                    const std::string tag = operands.empty() || !operands.front().IsName()
                                                ? std::string()
                                                : operands.front().GetName().GetName();
                    int kind = tag == "Artifact" ? 2 : 0;
                    if (op == "BDC" && operands.size() >= 2 && operands[1].IsDictionary()) {
                        const PdfObject* mcid = operands[1].GetDictionary().GetKey(PdfName("MCID"));
                        if (mcid && mcid->IsNumber()) {
                            kind = 1;
                            ++mcids_here;
                            if (!marked.insert({i, mcid->GetNumber()}).second)
                                fail("01-004", "MCID " + std::to_string(mcid->GetNumber()) + " used twice on page " +
                                                   std::to_string(i + 1));
                        }
                    }
                    open.push_back(kind);
                } else if (op == "EMC") {
                    if (!open.empty()) open.pop_back();
                } else if (painting.count(op) && !covered()) {
                    fail("01-005", "content (" + op + ") neither tagged nor an artifact on page " + std::to_string(i + 1));
                }
                operands.clear();
            }
            if (mcids_here > 0 && !key(page->GetObject(), "StructParents"))
                fail("01-007", "page " + std::to_string(i + 1) + " has marked content and no /StructParents");
            PdfObject* annots = key(page->GetObject(), "Annots");
            if (annots && annots->IsArray())
                for (PdfObject& a : annots->GetArray()) {
                    PdfObject* annot = resolve(&a);
                    PdfObject* subtype = key(annot, "Subtype");
                    if (!subtype || !subtype->IsName() || subtype->GetName().GetName() != "Link") continue;
                    if (!key(annot, "StructParent"))
                        fail("28-011", "a link annotation on page " + std::to_string(i + 1) + " has no /StructParent");
                    link_annotations.push_back({i, annot->Reference().ObjectNumber()});
                }
        }
    }
    std::vector<std::pair<int, pdf_objnum>> link_annotations;

    // The structure tree, depth first: reading order.
    void element(PdfObject* e, int page, int depth) {
        e = resolve(e);
        if (!e || depth > 256) return;
        if (e->IsNumber()) {  // an MCID on the parent's page
            held.insert({page, e->GetNumber()});
            return;
        }
        if (e->IsArray()) {
            for (PdfObject& k : e->GetArray()) element(&k, page, depth + 1);
            return;
        }
        if (!e->IsDictionary()) return;
        if (PdfObject* pg = e->GetDictionary().GetKey(PdfName("Pg")); pg && pg->IsReference()) {
            auto it = page_index.find(pg->GetReference().ObjectNumber());
            if (it != page_index.end()) page = it->second;
        }
        PdfObject* type = key(e, "Type");
        const std::string t = type && type->IsName() ? type->GetName().GetName() : std::string();
        if (t == "MCR") {
            PdfObject* mcid = key(e, "MCID");
            if (mcid && mcid->IsNumber()) held.insert({page, mcid->GetNumber()});
            return;
        }
        if (t == "OBJR") {
            PdfObject* obj = e->GetDictionary().GetKey(PdfName("Obj"));
            if (obj && obj->IsReference()) annotations_held.insert(obj->GetReference().ObjectNumber());
            return;
        }
        PdfObject* s = key(e, "S");
        const std::string role = s && s->IsName() ? s->GetName().GetName() : std::string();
        if (role == "Figure") {
            PdfObject* alt = key(e, "Alt");
            if (!has_text(alt))
                fail("13-004", "a Figure without Alt (page " + std::to_string(page + 1) + ")");
        }
        if (role == "TH") {
            bool scoped = false;
            PdfObject* a = key(e, "A");
            auto has_scope = [&](PdfObject* d) {
                PdfObject* scope = key(d, "Scope");
                return scope && scope->IsName();
            };
            if (a && a->IsDictionary()) scoped = has_scope(a);
            if (a && a->IsArray())
                for (PdfObject& d : a->GetArray()) scoped = scoped || has_scope(resolve(&d));
            if (!scoped) fail("15-003", "a TH without Scope (page " + std::to_string(page + 1) + ")");
        }
        if (role.size() == 2 && role[0] == 'H' && role[1] >= '1' && role[1] <= '6') {
            const int level = role[1] - '0';
            if (last_heading == 0 && level != 1)
                fail("14-002", "the first heading is " + role + ", not H1 (page " + std::to_string(page + 1) + ")");
            else if (last_heading > 0 && level > last_heading + 1)
                fail("14-003", "H" + std::to_string(last_heading) + " followed by " + role + " (page " +
                                   std::to_string(page + 1) + ")");
            last_heading = level;
        }
        if (PdfObject* k = e->GetDictionary().GetKey(PdfName("K"))) element(k, page, depth + 1);
    }

    void structure() {
        PdfObject* root = key(doc.GetCatalog(), "StructTreeRoot");
        if (!root) return;
        if (!key(root, "ParentTree")) fail("01-007", "StructTreeRoot has no ParentTree");
        if (PdfObject* k = root->GetDictionary().GetKey(PdfName("K"))) element(k, -1, 0);
        for (const auto& m : marked)
            if (!held.count(m))
                fail("01-004", "MCID " + std::to_string(m.second) + " on page " + std::to_string(m.first + 1) +
                                   " is in no structure element");
        for (const auto& [page, number] : link_annotations)
            if (!annotations_held.count(number))
                fail("28-002", "a link annotation on page " + std::to_string(page + 1) + " is in no Link element");
    }

    int run() {
        PdfError::EnableLogging(false);
        try {
            doc.Load(file.c_str());
            catalogue();
            contents();
            structure();
        } catch (const PdfError& e) {
            std::cout << file << ": cannot read: " << PdfError::ErrorName(e.GetError()) << "\n";
            return 2;
        }
        for (const auto& [checkpoint, count] : counts)
            if (count > 5) std::cout << file << ": [" << checkpoint << "] " << count - 5 << " more\n";
        if (failures == 0) std::cout << file << ": PDF/UA checks passed (" << marked.size() << " marked contents)\n";
        return failures ? 1 : 0;
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: folio-pdfua-check FILE.pdf...\n";
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        Checker c;
        c.file = argv[i];
        status = std::max(status, c.run());
    }
    return status;
}
