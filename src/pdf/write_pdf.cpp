#include "pdf/write_pdf.hpp"

#include "core/compress.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/key_bytes.hpp"
#include "core/numbers.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "doc/matter.hpp"
#include "pdf/output_device.hpp"
#include "pdf/picture_objects.hpp"

#include <hb-subset.h>
#include <podofo/podofo.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

namespace folio::pdf {

namespace {

using namespace PoDoFo;

PdfString utf8(const std::string& s) { return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str())); }

// Appends a number with at most 3 decimals and no trailing zeros ("12.5", "-0.25",
// "3"): written millions of times in a long book, so with integers, in place.
void append_number(std::string& s, double v) {
    long long thousandths = round_to_integer(v * 1000);
    if (thousandths < 0) s += '-', thousandths = -thousandths;
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, thousandths / 1000).ptr;
    s.append(buf, end);
    if (int frac = static_cast<int>(thousandths % 1000)) {
        char digits[4] = {'.', static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                          static_cast<char>('0' + frac % 10)};
        std::size_t n = 4;
        while (digits[n - 1] == '0') --n;
        s.append(digits, n);
    }
}

// Appends `bytes` as a PDF hexadecimal string ("<6869>"): the same string as a
// literal one, with nothing to escape.
void append_hex_string(std::string& s, std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    s += '<';
    for (unsigned char c : bytes) {
        s += kDigits[c >> 4];
        s += kDigits[c & 15];
    }
    s += '>';
}

// Whether a glyph's known text is `text`: asked for every glyph of a book, whose
// texts are a character or two, so compared here rather than through memcmp.
bool same_text(const std::string& known, std::string_view text) {
    if (known.size() != text.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (known[i] != text[i]) return false;
    return true;
}

constexpr const char* kPdfxVersion = "PDF/X-1:2001";
constexpr const char* kPdfxConformance = "PDF/X-1a:2001";

// A number as append_number() writes it.
double rounded(double v) {
    return static_cast<double>(round_to_integer(v * 1000)) / 1000.0;
}

// A content stream, written operand by operand into one growing string.
struct Content {
    std::string s;
    void integer(long long v) {
        char buf[24];
        s.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    }
    Content& operator<<(double v) {
        append_number(s, v);
        s += ' ';
        return *this;
    }
    Content& operator<<(std::string_view op) {
        s.append(op);
        return *this;
    }

    // Tagged content (PDF 1.7 §14.6, §14.8.2): marks of one element in turn share one
    // marked-content sequence; marks of none are artifacts. Null `mcids`: untagged.
    std::vector<layout::ElementRef>* mcids = nullptr;
    bool open = false;
    const layout::Element* current = nullptr;
    void mark(const layout::ElementRef& e) {
        if (!mcids || (open && e.get() == current)) return;
        close_mark();
        open = true;
        current = e.get();
        if (!e) {
            s += "/Artifact BMC ";
            return;
        }
        s += '/';
        s += e->type;
        s += "<</MCID ";
        integer(static_cast<long long>(mcids->size()));
        s += ">>BDC ";
        mcids->push_back(e);
    }
    // A Span element's content that reads as `utf16` (hex UTF-16BE), marked so itself:
    // a sequence of its own, not one nested in its paragraph's (which pdfinfo's and
    // other readers' extraction of a tagged PDF do not follow).
    void mark_span(const layout::ElementRef& e, const std::string& utf16) {
        close_mark();
        open = true;
        current = e.get();
        s += "/Span<</MCID ";
        integer(static_cast<long long>(mcids->size()));
        s += "/ActualText<FEFF";
        s += utf16;
        s += ">>>BDC ";
        mcids->push_back(e);
    }
    void close_mark() {
        if (!open) return;
        s += "EMC\n";
        open = false;
        current = nullptr;
    }
};

std::string pdf_date(std::int64_t t) {
    const std::string iso = text::iso_timestamp(t);  // YYYY-MM-DDThh:mm:ssZ
    return "D:" + iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + iso.substr(11, 2) + iso.substr(14, 2) +
           iso.substr(17, 2) + "Z";
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : text::xml_safe(s)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// UTF-16BE hex of a UTF-8 string, for ToUnicode.
std::string utf16_hex(std::string_view s) {
    std::string out;
    char buf[8];
    for (char32_t c : text::to_u32(s)) {
        if (c >= 0x10000) {
            const char32_t v = c - 0x10000;
            std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(0xD800 + (v >> 10)));
            out += buf;
            std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
        } else {
            std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(c));
        }
        out += buf;
    }
    return out;
}

// What a font needs in the PDF: the glyphs used, and the text each stands for.
struct FontUse {
    std::map<std::uint32_t, std::string> glyphs;  // gid -> text (first seen wins)
    std::vector<bool> ambiguous;                  // by gid: shown for more than one text
    bool any_ambiguous = false;
    std::vector<std::uint16_t> code;              // by gid: the CID the content names it by (empty: the gid)
    std::uint32_t space = 0;                      // the space's glyph, written at word spaces when tagged (0: none)
    std::string resource;                         // "F0"
    PdfObject* object = nullptr;

    std::uint32_t code_of(std::uint32_t gid) const { return gid < code.size() ? code[gid] : gid; }
};

// A font program as embedded: TrueType outlines whole (FontFile2), or the bare CFF
// table of an OpenType font with PostScript outlines (FontFile3 /CIDFontType0C, which
// PDF 1.3 and so PDF/X-1a allow; /OpenType would need PDF 1.6).
struct FontProgram {
    std::string bytes;
    bool cff = false;
    std::vector<std::uint16_t> code;  // see FontUse::code
};

// Whether a CFF table is CID-keyed: its Top DICT starts with the ROS operator (12 30),
// as the CFF specification (Adobe TN 5176, §18) requires of a CIDFont. Hand-written:
// HarfBuzz does not say, and it decides how the PDF names glyphs (PDF 1.7 §9.7.4.2:
// CIDs go through a CID-keyed font's charset, and are glyph ids in any other).
bool cid_keyed(std::string_view cff) {
    auto byte = [&](std::size_t i) { return i < cff.size() ? static_cast<unsigned char>(cff[i]) : 0u; };
    // An INDEX: count (2 bytes), offSize, count+1 offsets, data; returns where its data
    // starts and the first object's bounds.
    auto index = [&](std::size_t at, std::size_t& first, std::size_t& first_end) {
        const std::size_t count = byte(at) << 8 | byte(at + 1);
        if (count == 0) return at + 2;
        const std::size_t size = byte(at + 2);
        auto offset = [&](std::size_t k) {
            std::size_t v = 0;
            for (std::size_t b = 0; b < size; ++b) v = v << 8 | byte(at + 3 + k * size + b);
            return v;
        };
        const std::size_t data = at + 3 + (count + 1) * size - 1;  // offsets count from 1
        first = data + offset(0);
        first_end = data + offset(1);
        return data + offset(count);
    };
    std::size_t a = 0, b = 0;
    const std::size_t top = index(byte(2), a, b);  // past the Name INDEX (the header is byte(2) long)
    std::size_t dict = 0, dict_end = 0;
    index(top, dict, dict_end);
    // Skip the operands of the first operator (CFF §4: numbers are 28, 29, 30..., 32-254).
    std::size_t i = dict;
    while (i < dict_end) {
        const unsigned v = byte(i);
        if (v == 28) i += 3;
        else if (v == 29) i += 5;
        else if (v == 30) {
            while (i < dict_end && (byte(i) & 0x0F) != 0x0F && (byte(i) >> 4) != 0x0F) ++i;
            ++i;
        } else if (v >= 32 && v <= 246) i += 1;
        else if (v >= 247 && v <= 254) i += 2;
        else break;  // an operator
    }
    return byte(i) == 12 && byte(i + 1) == 30;
}

class Writer {
public:
    Writer(layout::Pages& pages, const doc::Book& book, const PdfOptions& options)
        : m_pages(pages), m_book(book), m_options(options) {}

    // Writes the document to `device`.
    void run(PdfOutputDevice& device) {
        // PoDoFo logs to stderr as it works (the parser each trailer it reads, when an
        // SVG's drawing is imported); folio speaks through its own errors and warnings.
        PdfError::EnableLogging(false);
        m_doc.SetPdfVersion(m_options.print ? ePdfVersion_1_3 : ePdfVersion_1_7);
        collect_fonts();
        create_pages();
        embed_fonts();
        embed_images();
        contents();
        if (!m_options.print) {  // a press takes no links, bookmarks or destinations
            destinations();
            for (std::size_t i = 0; i < m_pages.pages.size(); ++i) links(static_cast<int>(i));
            outline();
        }
        if (tagged()) structure();
        page_labels();
        metadata();
        m_doc.Write(&device);
    }

private:
    const layout::Font& font(layout::FontId id) const { return (*m_pages.fonts)[id]; }

    // The reading PDF is tagged (PDF/UA-1) unless the options say not; the print
    // interior (PDF/X-1a, PDF 1.3) never is.
    bool tagged() const { return !m_options.print && m_options.tagged; }

    // The page objects and the page tree, written here as plain objects: PoDoFo 0.9.8
    // walks its page tree for every page it creates or fetches (quadratic in a long
    // book), and CreatePage() frees the PdfPage* it returned before.
    void create_pages() {
        PdfObject* root = m_doc.GetPagesTree()->GetObject();
        PdfArray kids;
        for (std::size_t i = 0; i < m_pages.pages.size(); ++i) {
            const Boxes b = boxes(i);
            PdfObject* page = m_doc.GetObjects().CreateObject("Page");
            page->GetDictionary().AddKey("Parent", root->Reference());
            page->GetDictionary().AddKey("MediaBox", box(0, 0, b.media_width, b.media_height));
            if (m_options.print) {
                page->GetDictionary().AddKey("TrimBox",
                                             box(b.trim_x, b.trim_y, b.trim_x + m_pages.width, b.trim_y + m_pages.height));
                if (m_options.bleed != layout::Bleed::None)
                    page->GetDictionary().AddKey("BleedBox", box(0, 0, b.media_width, b.media_height));
            }
            kids.push_back(page->Reference());
            m_page.push_back(page);
        }
        root->GetDictionary().AddKey("Kids", kids);
        root->GetDictionary().AddKey("Count", PdfVariant(static_cast<pdf_int64>(m_pages.pages.size())));
    }

    // A page's boxes: with bleed, 0.125 in of paper beyond the trim on the top, the
    // bottom and the outer edge (KDP: right on a recto, left on a verso) or on all
    // four sides; the content is moved by the trim's offset.
    struct Boxes {
        double media_width, media_height, trim_x, trim_y;
    };
    Boxes boxes(std::size_t index) const {
        constexpr double kBleed = 9;
        const double W = m_pages.width, H = m_pages.height;
        if (!m_options.print || m_options.bleed == layout::Bleed::None) return {W, H, 0, 0};
        if (m_options.bleed == layout::Bleed::All) return {W + 2 * kBleed, H + 2 * kBleed, kBleed, kBleed};
        const bool recto = index % 2 == 0;  // page 1 is a recto
        return {W + kBleed, H + 2 * kBleed, recto ? 0 : kBleed, kBleed};
    }

    // A rectangle, written as the links are (see links()).
    static PdfVariant box(double x0, double y0, double x1, double y1) {
        std::string s = "[";
        for (double v : {x0, y0, x1, y1}) {
            if (s.size() > 1) s += ' ';
            append_number(s, v);
        }
        s += ']';
        return PdfVariant(PdfData(s.data(), s.size()));
    }

    // "12 0 R": asked for some 50,000 times in a tagged book, so formatted in place
    // (a short string: no allocation).
    static std::string reference(const PdfObject* o) {
        char number[24], generation[8];
        const char* number_end = std::to_chars(number, number + sizeof number, o->Reference().ObjectNumber()).ptr;
        const char* generation_end =
            std::to_chars(generation, generation + sizeof generation, o->Reference().GenerationNumber()).ptr;
        std::string out(number, static_cast<std::size_t>(number_end - number));
        out += ' ';
        out.append(generation, static_cast<std::size_t>(generation_end - generation));
        out += " R";
        return out;
    }

    // The glyphs each font shows and the text each stands for (the first text seen
    // wins, and a text wins over none), gathered through a table by glyph id:
    // millions of glyphs in a long book. Runs of pages are read on every core, and
    // their tables merged in page order, which gives what reading in order gives.
    void collect_fonts() {
        // A glyph's state in a table: not shown, shown for one text, shown for two.
        enum : std::uint8_t { Unseen, Shown, ShownForTwo };
        // A font's glyphs, by gid: each one's state and the text it was first shown
        // for; and, for a glyph shown for a text of one byte, Shown << 8 | that byte
        // (else 0): nearly every glyph of a book is met again for the one byte it was
        // met for, and that is told by one comparison.
        struct Glyphs {
            std::vector<std::uint8_t> state;
            std::vector<std::string> text;
            std::vector<std::uint16_t> one_byte;
        };
        using Table = std::map<layout::FontId, Glyphs>;
        const std::size_t n = m_pages.pages.size();
        const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
        const std::size_t parts = std::clamp<std::size_t>(n / 64, 1, cores);  // a short book: one part
        std::vector<Table> tables(parts);
        parallel_for(parts, [&](std::size_t part) {
            Table& t = tables[part];
            std::optional<layout::FontId> last;  // the runs before's font, whose table is `of`
            Glyphs* of = nullptr;
            for (std::size_t i = part * n / parts; i < (part + 1) * n / parts; ++i)
                for (const layout::GlyphRun& r : runs_of(m_pages.pages[i])) {
                    if (last != r.font) {
                        last = r.font;
                        of = &t[r.font];
                        if (of->state.empty()) {
                            of->state.resize(font(r.font).glyph_count(), Unseen);
                            of->text.resize(font(r.font).glyph_count());
                            of->one_byte.resize(font(r.font).glyph_count());
                        }
                    }
                    const std::size_t glyphs = of->state.size();
                    std::size_t offset = 0;
                    for (const layout::PlacedGlyph& g : r.glyphs) {
                        if (g.text_length == 1 && g.gid < glyphs && offset < r.text.size() &&
                            of->one_byte[g.gid] == (Shown << 8 | static_cast<unsigned char>(r.text[offset]))) {
                            ++offset;  // shown again for its one byte: nothing new
                            continue;
                        }
                        if (g.gid < glyphs) {
                            const std::string_view text = std::string_view(r.text).substr(offset, g.text_length);
                            std::uint8_t& s = of->state[g.gid];
                            std::string& known = of->text[g.gid];
                            if (s == Unseen || (known.empty() && g.text_length)) {
                                s = s == Unseen ? Shown : ShownForTwo;  // was shown for no text
                                known.assign(text);
                            } else if (s == Shown && !same_text(known, text)) {
                                s = ShownForTwo;
                            }
                            of->one_byte[g.gid] =
                                s == Shown && known.size() == 1
                                    ? static_cast<std::uint16_t>(Shown << 8 | static_cast<unsigned char>(known[0]))
                                    : 0;
                        }
                        offset += g.text_length;
                    }
                }
        });
        Table& all = tables.front();
        for (std::size_t part = 1; part < parts; ++part)
            for (auto& [font, here] : tables[part]) {
                Glyphs& both = all[font];
                if (both.state.empty()) {
                    both = std::move(here);
                    continue;
                }
                for (std::size_t gid = 0; gid < here.state.size(); ++gid) {
                    if (here.state[gid] == Unseen) continue;
                    // Shown for two texts here or there, or for one here and another there.
                    const bool two = here.state[gid] == ShownForTwo || both.state[gid] == ShownForTwo ||
                                     (both.state[gid] == Shown && both.text[gid] != here.text[gid]);
                    if (both.state[gid] == Unseen || (both.text[gid].empty() && !here.text[gid].empty()))
                        both.text[gid] = std::move(here.text[gid]);
                    both.state[gid] = two ? ShownForTwo : Shown;
                }
            }
        m_widths.resize(m_pages.fonts->size());
        for (auto& [font, glyphs] : all) {
            const std::vector<std::uint8_t>& state = glyphs.state;
            std::vector<double>& widths = m_widths[static_cast<std::size_t>(font)];
            FontUse& use = m_fonts[font];
            use.ambiguous.assign(state.size(), false);
            for (std::size_t gid = 0; gid < state.size(); ++gid) {
                if (state[gid] == Unseen) continue;
                if (widths.size() <= gid) widths.resize(gid + 1);
                widths[gid] = width_of(font, static_cast<std::uint32_t>(gid));
                if (state[gid] == ShownForTwo) use.ambiguous[gid] = use.any_ambiguous = true;
                use.glyphs.emplace(static_cast<std::uint32_t>(gid), std::move(glyphs.text[gid]));
            }
            // Word spaces, in a tagged PDF, as the font's space: unless it shows something else too.
            const std::uint32_t space = this->font(font).glyph(U' ');
            if (tagged() && space != 0 && space < state.size()) {
                auto [it, fresh] = use.glyphs.emplace(space, " ");
                if (fresh || (it->second == " " && !use.ambiguous[space])) {
                    use.space = space;
                    if (widths.size() <= space) widths.resize(space + 1);
                    widths[space] = width_of(font, space);
                }
            }
        }
    }

    // The font cut down to the glyphs the book uses. TrueType keeps its glyph ids
    // (RETAIN_GIDS), so the content streams name glyphs by their ids in the whole font.
    // A CFF font is renumbered instead: kept ids would keep an entry for every glyph
    // of the font (115 KB for three glyphs of Noto Serif CJK); the content names a
    // glyph by its new id, or, in a CID-keyed font, by its CID, which the subset keeps.
    // A CID-keyed font is taken to number its CIDs as its glyphs (the Identity ordering
    // of Noto CJK and Source Han); a font keyed by a registered ordering would need
    // its charset read.
    static FontProgram subset(const layout::Font& f, const FontUse& use) {
        auto has_table = [&](hb_tag_t tag) {
            hb_blob_t* t = hb_face_reference_table(f.face(), tag);
            const bool has = hb_blob_get_length(t) > 0;
            hb_blob_destroy(t);
            return has;
        };
        const bool cff = has_table(HB_TAG('C', 'F', 'F', ' '));
        if (has_table(HB_TAG('C', 'F', 'F', '2')))
            throw Error("cannot embed a CFF2 (variable) font in a PDF", {f.path()}, "name a static instance of the font");
        hb_subset_input_t* input = hb_subset_input_create_or_fail();
        if (!input) throw Error("cannot subset font", {f.path()});
        hb_set_t* glyphs = hb_subset_input_glyph_set(input);
        hb_set_add(glyphs, 0);
        for (const auto& [gid, unused] : use.glyphs) hb_set_add(glyphs, gid);
        if (!cff) hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_RETAIN_GIDS);
        hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(f.face(), input);
        hb_subset_input_destroy(input);
        hb_face_t* cut = plan ? hb_subset_plan_execute_or_fail(plan) : nullptr;
        if (!cut) {
            hb_subset_plan_destroy(plan);
            throw Error("cannot subset font", {f.path()}, "the font file may be damaged");
        }
        FontProgram out;
        out.cff = cff;
        hb_blob_t* blob = cff ? hb_face_reference_table(cut, HB_TAG('C', 'F', 'F', ' ')) : hb_face_reference_blob(cut);
        unsigned length = 0;
        const char* data = hb_blob_get_data(blob, &length);
        out.bytes.assign(data, length);
        hb_blob_destroy(blob);
        if (cff && !cid_keyed(out.bytes)) {
            const hb_map_t* old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
            out.code.resize(use.glyphs.empty() ? 1 : use.glyphs.rbegin()->first + 1);
            for (const auto& [gid, unused] : use.glyphs)
                out.code[gid] = static_cast<std::uint16_t>(hb_map_get(old_to_new, gid));
        }
        hb_face_destroy(cut);
        hb_subset_plan_destroy(plan);
        if (out.bytes.empty()) throw Error("cannot subset font", {f.path()}, "the font file may be damaged");
        return out;
    }

    // Hand-written: PoDoFo 0.9.8 embeds fonts only through its own encoder, which
    // neither shapes nor keeps glyph ids reached by shaping (ligatures, alternates).
    // hb-subset keeps the ids (RETAIN_GIDS), and the objects are written here.
    void embed_fonts() {
        // The subsets are cut and compressed on every core first; the objects after.
        std::vector<std::pair<layout::FontId, const FontUse*>> order;
        for (const auto& [id, use] : m_fonts) order.emplace_back(id, &use);
        std::vector<FontProgram> programs(order.size());
        std::vector<std::string> compressed(order.size());
        parallel_for(order.size(), [&](std::size_t i) {
            programs[i] = subset(font(order[i].first), *order[i].second);
            compressed[i] = compress::zlib(programs[i].bytes, 6);
        });
        int n = 0;
        for (auto& [id, use] : m_fonts) {
            const layout::Font& f = font(id);
            FontProgram& program = programs[static_cast<std::size_t>(n)];
            use.code = std::move(program.code);
            const std::string& deflated = compressed[static_cast<std::size_t>(n)];
            use.resource = "F" + std::to_string(n++);
            const double scale = 1000.0 / f.units_per_em();

            // A subset tag from what the subset holds: stable from build to build.
            std::uint64_t h = 1469598103934665603ull;
            for (const auto& [gid, t] : use.glyphs) h = (h ^ gid) * 1099511628211ull;
            for (char c : f.postscript_name()) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
            std::string tag;
            for (int i = 0; i < 6; ++i) tag += static_cast<char>('A' + (h >> (i * 5)) % 26);
            const std::string base = tag + "+" + f.postscript_name();

            PdfObject* file = m_doc.GetObjects().CreateObject();
            if (program.cff)
                file->GetDictionary().AddKey("Subtype", PdfName("CIDFontType0C"));
            else
                file->GetDictionary().AddKey("Length1", PdfVariant(static_cast<pdf_int64>(program.bytes.size())));
            file->GetStream()->Set(deflated.data(), static_cast<pdf_long>(deflated.size()), TVecFilters());
            file->GetDictionary().AddKey("Filter", PdfName("FlateDecode"));

            PdfObject* descriptor = m_doc.GetObjects().CreateObject("FontDescriptor");
            PdfDictionary& d = descriptor->GetDictionary();
            d.AddKey("FontName", PdfName(base));
            d.AddKey("Flags", PdfVariant(static_cast<pdf_int64>(f.italic_angle() != 0 ? 32 + 64 : 32)));
            PdfArray bbox;
            bbox.push_back(PdfVariant(static_cast<pdf_int64>(-200)));
            bbox.push_back(PdfVariant(static_cast<pdf_int64>(std::lround(f.descender() * scale))));
            bbox.push_back(PdfVariant(static_cast<pdf_int64>(1200)));
            bbox.push_back(PdfVariant(static_cast<pdf_int64>(std::lround(f.ascender() * scale))));
            d.AddKey("FontBBox", bbox);
            d.AddKey("ItalicAngle", PdfVariant(static_cast<pdf_int64>(f.italic_angle())));
            d.AddKey("Ascent", PdfVariant(static_cast<pdf_int64>(std::lround(f.ascender() * scale))));
            d.AddKey("Descent", PdfVariant(static_cast<pdf_int64>(std::lround(f.descender() * scale))));
            d.AddKey("CapHeight", PdfVariant(static_cast<pdf_int64>(std::lround(f.cap_height() * scale))));
            d.AddKey("StemV", PdfVariant(static_cast<pdf_int64>(80)));
            d.AddKey(program.cff ? "FontFile3" : "FontFile2", file->Reference());

            // W: widths of the glyphs used, in runs of consecutive codes (a font's codes
            // rise with its glyph ids). Written as the links are (see links()).
            std::string w = "[";
            for (auto it = use.glyphs.begin(); it != use.glyphs.end();) {
                const std::uint32_t first = use.code_of(it->first);
                w += std::to_string(first) + '[';
                std::uint32_t next = first;
                while (it != use.glyphs.end() && use.code_of(it->first) == next) {
                    if (next != first) w += ' ';
                    append_number(w, width_of(id, it->first));
                    ++it, ++next;
                }
                w += ']';
            }
            w += ']';
            PdfObject* cid = m_doc.GetObjects().CreateObject("Font");
            PdfDictionary& c = cid->GetDictionary();
            c.AddKey("Subtype", PdfName(program.cff ? "CIDFontType0" : "CIDFontType2"));
            c.AddKey("BaseFont", PdfName(base));
            PdfDictionary info;
            info.AddKey("Registry", PdfString("Adobe"));
            info.AddKey("Ordering", PdfString("Identity"));
            info.AddKey("Supplement", PdfVariant(static_cast<pdf_int64>(0)));
            c.AddKey("CIDSystemInfo", info);
            c.AddKey("FontDescriptor", descriptor->Reference());
            c.AddKey("W", PdfVariant(PdfData(w.data(), w.size())));
            if (!program.cff) c.AddKey("CIDToGIDMap", PdfName("Identity"));

            // ToUnicode: each glyph id to the characters it shows.
            std::string cmap =
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
            std::vector<std::pair<std::uint32_t, std::string>> mapped;
            for (const auto& [gid, t] : use.glyphs)
                if (!t.empty()) mapped.emplace_back(use.code_of(gid), t);
            for (std::size_t i = 0; i < mapped.size(); i += 100) {
                const std::size_t n_here = std::min<std::size_t>(100, mapped.size() - i);
                cmap += std::to_string(n_here) + " beginbfchar\n";
                for (std::size_t k = i; k < i + n_here; ++k) {
                    char gid[16];
                    std::snprintf(gid, sizeof gid, "<%04X>", mapped[k].first);
                    cmap += std::string(gid) + " <" + utf16_hex(mapped[k].second) + ">\n";
                }
                cmap += "endbfchar\n";
            }
            cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
            PdfObject* to_unicode = m_doc.GetObjects().CreateObject();
            to_unicode->GetStream()->Set(cmap.data(), static_cast<pdf_long>(cmap.size()));

            PdfObject* type0 = m_doc.GetObjects().CreateObject("Font");
            PdfDictionary& t0 = type0->GetDictionary();
            t0.AddKey("Subtype", PdfName("Type0"));
            t0.AddKey("BaseFont", PdfName(base));
            t0.AddKey("Encoding", PdfName("Identity-H"));
            PdfArray descendants;
            descendants.push_back(cid->Reference());
            t0.AddKey("DescendantFonts", descendants);
            t0.AddKey("ToUnicode", to_unicode->Reference());
            use.object = type0;
        }
    }

    // A glyph's advance in the PDF's glyph space (1/1000 em), to three decimals, as
    // written in W. Whole numbers would put a small correction between most glyphs.
    double width_of(layout::FontId id, std::uint32_t gid) const {
        const layout::Font& f = font(id);
        return static_cast<double>(std::llround(f.advance(gid) * 1000000.0 / f.units_per_em())) / 1000.0;
    }

    // Each picture once, however often it is placed: through folio::pictures, which
    // decodes or draws it. A picture that cannot be written is an error located where
    // the book first shows it.
    void embed_images() {
        std::map<std::string, const layout::PlacedImage*> first;  // by resource: its first placement
        std::map<std::string, std::pair<double, double>> largest;  // by resource: its largest placed size
        for (const layout::Page& p : m_pages.pages)
            for (const layout::PlacedImage& im : images_of(p)) {
                first.emplace(im.resource, &im);
                auto& [w, h] = largest[im.resource];
                w = std::max(w, im.width), h = std::max(h, im.height);
            }
        const Target target = m_options.print ? Target::Print : Target::Reading;
        int n = 0;
        for (const auto& [path, placed] : first) {
            const doc::Resource* r = m_book.resource(path);
            if (!r) continue;
            try {
                PictureObject o = r->vector()
                                      ? svg_picture(m_doc, *r, target, largest[path].first, largest[path].second)
                                      : raster_picture(m_doc, *r, target);
                m_images[path] = {(o.form_width > 0 ? "Fm" : "Im") + std::to_string(n++), o.object, o.form_width,
                                  o.form_height};
            } catch (const Error& e) {
                throw Error(e.message(), placed->where, e.hint());
            } catch (const PdfError& e) {
                throw Error("image '" + path + "' cannot be written to the PDF: " +
                                PdfError::ErrorName(e.GetError()),
                            placed->where, "open it in an image editor and save it again as PNG or JPEG");
            }
        }
    }

    // A page's runs, upright and turned alike.
    static std::vector<std::reference_wrapper<const layout::GlyphRun>> runs_of(const layout::Page& p) {
        std::vector<std::reference_wrapper<const layout::GlyphRun>> out(p.runs.begin(), p.runs.end());
        if (p.turned) out.insert(out.end(), p.turned->runs.begin(), p.turned->runs.end());
        return out;
    }
    static std::vector<std::reference_wrapper<const layout::PlacedImage>> images_of(const layout::Page& p) {
        std::vector<std::reference_wrapper<const layout::PlacedImage>> out(p.images.begin(), p.images.end());
        if (p.turned) out.insert(out.end(), p.turned->images.begin(), p.turned->images.end());
        return out;
    }

    // The content stream of a page: pure, so pages are written on every core.
    // With `mcids`, the content is marked (tagged PDF): each element's marks as
    // marked content whose MCID indexes `mcids`, anything else as an artifact.
    std::string page_stream(const layout::Page& page, const Boxes& b, std::vector<layout::ElementRef>* mcids) const {
        Content c;
        c.s.reserve(4096);
        c.mcids = mcids;
        if (b.trim_x != 0 || b.trim_y != 0) c << "1 0 0 1 " << b.trim_x << b.trim_y << "cm\n";  // onto the trim
        marks(c, page, m_pages.height);
        if (page.turned) {
            // A quarter turn anticlockwise, as LaTeX's sidewaystable turns a table
            // rather than the page (/Rotate): the page stays portrait like every other
            // page of the interior. The turned page is as high as the page is wide.
            c << "q 0 1 -1 0 " << m_pages.width << "0 cm\n";
            marks(c, *page.turned, m_pages.width);
            c.close_mark();
            c << "Q\n";
        }
        c.close_mark();
        return std::move(c.s);
    }

    // Rules, pictures and text, on a page `H` points high.
    void marks(Content& c, const layout::Marks& m, double H) const {
        for (const layout::Rule& r : m.rules) {
            c.mark(nullptr);  // rules are the page's furniture
            c << "q 0 G " << r.thickness << "w " << r.x << H - r.y << "m " << r.x + r.width << H - r.y << "l S Q\n";
        }
        for (const layout::PlacedImage& im : m.images) {
            auto it = m_images.find(im.resource);
            if (it == m_images.end()) continue;
            // An image fills the unit square; a form its box, scaled to the place.
            const ImageObject& o = it->second;
            const double sx = o.form_width > 0 ? im.width / o.form_width : im.width;
            const double sy = o.form_height > 0 ? im.height / o.form_height : im.height;
            c.mark(im.element);
            c << "q " << sx << "0 0 " << sy << im.x << H - im.y - im.height << "cm /" << o.name << " Do Q\n";
        }
        c.close_mark();  // marked content nests in a text object, or holds it whole: here, in it
        if (!m.runs.empty()) c << "BT 0 g\n";
        // The text state as the reader computes it: the font set last and where the
        // line matrix stands (both carry over from run to run inside BT).
        layout::FontId font = -1;
        double size = 0, line_x = 0, line_y = 0, hscale = 1;
        for (const layout::GlyphRun& r : m.runs) {
            if (r.glyphs.empty()) continue;
            c.mark(r.artifact ? nullptr : r.element);
            if (r.font != font || r.size != size) {
                c << "/" << m_fonts.at(r.font).resource << " " << r.size << "Tf ";
                font = r.font;
                size = r.size;
            }
            // Font expansion: Tz scales the glyphs and the TJ adjustments, not Td.
            if (r.hscale != hscale) {
                c << rounded(r.hscale * 100) << "Tz ";
                hscale = r.hscale;
            }
            // Td moves from the last run's start. Each move is written rounded and the
            // next is measured from where that one went, so roundings never add up.
            const double dx = rounded(r.x + r.glyphs.front().x - line_x);
            const double dy = rounded(H - r.y - line_y);
            c << dx << dy << "Td [(";
            line_x += dx;
            line_y += dy;
            // Each glyph where the layout put it: the difference between that place and
            // the reader's pen after the previous glyph becomes a TJ adjustment in whole
            // thousandths of an em (a hundredth of a point at 10 pt), which closes one
            // hex string of glyph ids and opens the next; the pen then moves by what
            // was written, so the roundings do not add up along a line either.
            //
            // A cluster whose glyphs ToUnicode cannot give back is wrapped in a span
            // whose ActualText holds its characters (PDF 1.7 §14.9.4), which pdftotext
            // and readers extract instead of the glyphs' ToUnicode: one that shows a
            // glyph the book shows for another text too (the replacement mark of two
            // characters in no font, a vowel sign), or one of several glyphs (a
            // Devanagari syllable: ToUnicode gives its text to the first glyph, and an
            // extractor sets a space where the others stand without text).
            const std::vector<double>& widths = m_widths[static_cast<std::size_t>(r.font)];
            const FontUse& use = m_fonts.at(r.font);
            const double em = r.size / 1000.0 * hscale;
            double pen = r.glyphs.front().x;
            // The glyphs go through a buffer on the stack: one append per few dozen
            // glyphs, not one per glyph (a long book shows millions).
            char buf[256];
            std::size_t used = 0;
            auto flush = [&] {
                c.s.append(buf, used);
                used = 0;
            };
            // A glyph's two-byte code in a literal string, half the bytes of hex (and
            // of what is deflated): a parenthesis and a backslash escaped, and a
            // carriage return, which a reader would take for a line end (PDF 1.7 §7.3.4.2).
            auto put_code = [&](std::uint32_t code) {
                for (const auto byte : {static_cast<char>((code >> 8) & 0xFF), static_cast<char>(code & 0xFF)}) {
                    if (byte == '(' || byte == ')' || byte == '\\') buf[used++] = '\\';
                    if (byte == '\r') {
                        buf[used++] = '\\';
                        buf[used++] = 'r';
                    } else {
                        buf[used++] = byte;
                    }
                }
            };
            // A word space, as the font's space glyph where a tagged PDF has one.
            const bool spaced = c.mcids && use.space != 0;
            auto space_after = [&](std::size_t k) {
                if (!spaced || !r.glyphs[k].space_after) return;
                if (used > sizeof buf - 48) flush();
                put_code(use.code_of(use.space));
                pen += widths[use.space] * em;
            };
            auto show = [&](const layout::PlacedGlyph& g) {
                if (used > sizeof buf - 48) flush();  // room for an adjustment and a glyph
                if (const long long adjust = round_to_integer((pen - g.x) / em)) {
                    buf[used++] = ')';
                    used = static_cast<std::size_t>(std::to_chars(buf + used, buf + sizeof buf, adjust).ptr - buf);
                    buf[used++] = '(';
                    pen -= static_cast<double>(adjust) * em;
                }
                put_code(use.code_of(g.gid));
                pen += (g.gid < widths.size() ? widths[g.gid] : 0) * em;
            };
            // A font with no glyph shown for two texts, and a run whose every glyph is a
            // cluster of its own (Latin text): nothing to wrap.
            if (!use.any_ambiguous && std::all_of(r.glyphs.begin(), r.glyphs.end(),
                                                  [](const layout::PlacedGlyph& g) { return g.text_length > 0; })) {
                for (std::size_t k = 0; k < r.glyphs.size(); ++k) {
                    show(r.glyphs[k]);
                    space_after(k);
                }
                flush();
                c << ")] TJ\n";
                continue;
            }
            std::size_t span_end = 0, offset = 0;  // glyph after the open span (0: none open)
            for (std::size_t k = 0; k < r.glyphs.size(); ++k) {
                const layout::PlacedGlyph& g = r.glyphs[k];
                if (span_end == k && k > 0) {
                    flush();
                    if (c.mcids) {  // back to the run's element
                        c << ")] TJ ";
                        c.mark(r.artifact ? nullptr : r.element);
                        c << "[(";
                    } else {
                        c << ")] TJ EMC [(";
                    }
                    span_end = 0;
                }
                if (k == 0 || g.text_length > 0) {  // a cluster starts
                    std::size_t end = k + 1, length = g.text_length;
                    while (end < r.glyphs.size() && r.glyphs[end].text_length == 0) ++end;
                    bool faithful = end == k + 1;  // several glyphs: extractors space them apart
                    for (std::size_t e = k; e < end && faithful; ++e)
                        faithful = !(r.glyphs[e].gid < use.ambiguous.size() && use.ambiguous[r.glyphs[e].gid]);
                    if (!faithful && c.mcids && r.element && !r.artifact) {
                        // Tagged: a Span element of the run's, its content a sequence of its own.
                        flush();
                        c << ")] TJ ";
                        const layout::ElementRef span =
                            layout::make_span_reading_as(r.element, std::string(r.text.substr(offset, length)));
                        c.mark_span(span, utf16_hex(span->actual_text));
                        c << "[(";
                        span_end = end;
                    } else if (!faithful && !c.mcids) {
                        flush();
                        c << ")] TJ /Span <</ActualText <FEFF" << utf16_hex(r.text.substr(offset, length))
                          << ">>> BDC [(";
                        span_end = end;
                    }
                }
                offset += g.text_length;
                show(g);
                if (span_end == k + 1 && c.mcids) {  // closed before a space follows
                    flush();
                    c << ")] TJ ";
                    c.mark(r.artifact ? nullptr : r.element);
                    c << "[(";
                    span_end = 0;
                }
                space_after(k);
            }
            flush();
            c << (span_end && !c.mcids ? ")] TJ EMC\n" : ")] TJ\n");
        }
        if (hscale != 1) c << "100 Tz ";  // the text state outlives ET: leave it as found
        c.close_mark();
        if (!m.runs.empty()) c << "ET\n";
    }

    // Level 1: half the time of level 3, for a file about 8 % larger (100-article
    // synthetic book: 2.34 MB against 2.16 MB; xelatex's is 1.74 MB).
    static constexpr int kStreamLevel = 1;

    // Page i's content stream, deflated; the marked sequences' elements in m_mcids[i].
    std::string deflated_stream(std::size_t i, const layout::Page& page) {
        return compress::zlib(page_stream(page, boxes(i), tagged() ? &m_mcids[i] : nullptr), kStreamLevel);
    }

    // What every page's stream depends on beside the page's own marks and place, as
    // a digest: whether it is tagged and the page's size; each font's resource name,
    // the codes, widths and ambiguity of its glyphs and its space glyph; each
    // picture's resource name and box. (Widths and ambiguity are those of the glyphs
    // the book shows: a glyph shown anywhere for the first time makes every page new.)
    std::string stream_context() const {
        std::string bytes;
        KeyBytes m{bytes};
        m.number(static_cast<std::uint8_t>(tagged() | m_options.print << 1));
        m.number(m_pages.width);
        m.number(m_pages.height);
        for (const auto& [id, use] : m_fonts) {
            m.number(id);
            m.text(use.resource);
            m.number(use.space);
            m.number(use.any_ambiguous);
            m.array(std::vector<std::uint8_t>(use.ambiguous.begin(), use.ambiguous.end()));
            m.array(use.code);
            m.array(m_widths[static_cast<std::size_t>(id)]);
        }
        for (const auto& [resource, o] : m_images) {
            m.text(resource);
            m.text(o.name);
            m.number(o.form_width);
            m.number(o.form_height);
        }
        const auto digest = sha1(bytes);
        return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
    }

    // A page's marks as its stream reads them, appended to `m`: every field marks()
    // writes from, and each element as an index among the page's `elements` (in the
    // order met, its type written the first time), since the stream tells elements
    // apart by identity.
    static void marks_material(KeyBytes& m, const layout::Marks& marks,
                               std::vector<const layout::ElementRef*>& elements) {
        const auto element = [&](const layout::ElementRef& e) {
            if (!e) return m.number(std::int32_t{-1});
            // Most runs are lines of the paragraph the run before was in: the last first.
            for (std::size_t k = elements.size(); k-- > 0;)
                if (elements[k]->get() == e.get()) return m.number(static_cast<std::int32_t>(k));
            m.number(static_cast<std::int32_t>(elements.size()));
            m.text(e->type);
            elements.push_back(&e);
        };
        m.array(marks.rules);  // four doubles each
        m.number(static_cast<std::uint64_t>(marks.images.size()));
        for (const layout::PlacedImage& im : marks.images) {
            m.text(im.resource);
            m.number(im.x);
            m.number(im.y);
            m.number(im.width);
            m.number(im.height);
            element(im.element);
        }
        m.number(static_cast<std::uint64_t>(marks.runs.size()));
        for (const layout::GlyphRun& r : marks.runs) {
            m.number(r.font);
            m.number(r.size);
            m.number(r.x);
            m.number(r.y);
            m.number(r.hscale);
            m.number(r.artifact);
            element(r.element);
            m.text(r.text);
            m.array(r.glyphs);  // two shorts and a float each: no padding
        }
    }

    // deflated_stream(), through the memo: a page whose marks, place on the sheet and
    // `context` (stream_context()) come again is not drawn nor deflated again. Kept
    // with its stream: the elements of its marked sequences, as indices among the
    // page's (marks_material()), or none if a sequence's element is not one of them
    // (a Span made as the stream is written: such a page is drawn at every build).
    std::string remembered_stream(std::size_t i, const layout::Page& page, std::string_view context) {
        thread_local std::string material;  // reused: one a page, thousands of pages
        material.assign(context);
        const Boxes b = boxes(i);
        material.append(reinterpret_cast<const char*>(&b.trim_x), sizeof b.trim_x);
        material.append(reinterpret_cast<const char*>(&b.trim_y), sizeof b.trim_y);
        std::vector<const layout::ElementRef*> elements;
        KeyBytes m{material};
        marks_material(m, page, elements);
        m.number(page.turned != nullptr);
        if (page.turned) marks_material(m, *page.turned, elements);
        // Kept: a count of indices (or kNotReplayed, and nothing more), the indices,
        // the stream.
        constexpr std::uint32_t kNotReplayed = 0xFFFFFFFF;
        std::optional<std::string> fresh;  // the stream, when drawn here
        // A page drawn at every build is deflated through the memo still: its stream
        // comes out the same.
        const auto drawn = [&] {
            return m_options.deflated->zlib(page_stream(page, boxes(i), tagged() ? &m_mcids[i] : nullptr),
                                            kStreamLevel);
        };
        const std::string kept = m_options.deflated->remembered(material, [&] {
            const std::string stream = page_stream(page, boxes(i), tagged() ? &m_mcids[i] : nullptr);
            std::unordered_map<const layout::Element*, std::uint32_t> index_of;
            for (std::size_t k = 0; k < elements.size(); ++k)
                index_of.emplace(elements[k]->get(), static_cast<std::uint32_t>(k));
            std::vector<std::uint32_t> indices;
            for (const layout::ElementRef& e : tagged() ? m_mcids[i] : std::vector<layout::ElementRef>{}) {
                const auto it = index_of.find(e.get());
                if (it == index_of.end()) {
                    fresh = m_options.deflated->zlib(stream, kStreamLevel);
                    return std::string(reinterpret_cast<const char*>(&kNotReplayed), 4);
                }
                indices.push_back(it->second);
            }
            fresh = compress::zlib(stream, kStreamLevel);
            const auto count = static_cast<std::uint32_t>(indices.size());
            std::string value(reinterpret_cast<const char*>(&count), sizeof count);
            value.append(reinterpret_cast<const char*>(indices.data()), indices.size() * sizeof(std::uint32_t));
            return value + *fresh;
        });
        if (fresh) return std::move(*fresh);
        // Kept before: its elements back in their places, and its stream as it was.
        const std::uint32_t count = kept.size() >= 4 ? read_u32(kept, 0) : kNotReplayed;
        const std::size_t stream_at = 4 * (std::size_t{1} + count);
        if (count == kNotReplayed || kept.size() < stream_at || (count > 0 && !tagged())) return drawn();
        std::vector<layout::ElementRef> mcids(count);
        for (std::uint32_t k = 0; k < count; ++k) {
            const std::uint32_t index = read_u32(kept, 4 * (std::size_t{1} + k));
            if (index >= elements.size()) return drawn();
            mcids[k] = *elements[index];
        }
        if (tagged()) m_mcids[i] = std::move(mcids);
        return kept.substr(stream_at);
    }

    static std::uint32_t read_u32(std::string_view s, std::size_t at) {
        std::uint32_t v = 0;
        std::memcpy(&v, s.data() + at, sizeof v);
        return v;
    }

    void contents() {
        // Streams built and deflated on every core, then handed to PoDoFo as they
        // are: it would compress them one at a time.
        const std::size_t n = m_pages.pages.size();
        if (tagged()) m_mcids.assign(n, {});
        std::vector<std::string> streams(n);
        std::vector<std::set<layout::FontId>> fonts_of_page(n);
        for (std::size_t i = 0; i < n; ++i)
            for (const layout::GlyphRun& r : runs_of(m_pages.pages[i]))
                if (!r.glyphs.empty()) fonts_of_page[i].insert(r.font);
        const std::string context = m_options.deflated ? stream_context() : std::string();
        parallel_for(n, [&](std::size_t i) {
            layout::Page& page = m_pages.pages[i];
            streams[i] = m_options.deflated ? remembered_stream(i, page, context) : deflated_stream(i, page);
            std::vector<layout::GlyphRun>().swap(page.runs);  // written: free the glyphs
            if (page.turned) std::vector<layout::GlyphRun>().swap(page.turned->runs);
        });
        for (std::size_t i = 0; i < n; ++i) {
            const layout::Page& page = m_pages.pages[i];
            // Written as the links are (see links()): a dictionary on every page.
            std::string fonts, xobjects;
            for (layout::FontId f : fonts_of_page[i])
                fonts += '/' + m_fonts.at(f).resource + ' ' + reference(m_fonts.at(f).object);
            std::set<std::string> named;
            for (const layout::PlacedImage& im : images_of(page)) {
                auto it = m_images.find(im.resource);
                if (it != m_images.end() && named.insert(it->second.name).second)
                    xobjects += '/' + it->second.name + ' ' + reference(it->second.object);
            }
            std::string resources = "<<";
            if (!fonts.empty()) resources += "/Font<<" + fonts + ">>";
            if (!xobjects.empty()) resources += "/XObject<<" + xobjects + ">>";
            resources += ">>";
            PdfDictionary& p = m_page[i]->GetDictionary();
            p.AddKey("Resources", PdfVariant(PdfData(resources.data(), resources.size())));
            PdfObject* stream = m_doc.GetObjects().CreateObject();
            stream->GetStream()->Set(streams[i].data(), static_cast<pdf_long>(streams[i].size()), TVecFilters());
            stream->GetDictionary().AddKey("Filter", PdfName("FlateDecode"));
            std::string().swap(streams[i]);
            p.AddKey("Contents", stream->Reference());
            if (tagged()) {
                p.AddKey("StructParents", PdfVariant(static_cast<pdf_int64>(i)));
                p.AddKey("Tabs", PdfName("S"));  // annotations in the order of the structure (PDF/UA-1 §7.18.3)
            }
        }
    }

    // The named destinations as one sorted /Names array under the catalog's /Dests:
    // PoDoFo's AddNamedDestination inserts one at a time into its tree (quadratic).
    void destinations() {
        std::map<std::string_view, std::pair<int, double>> dests;  // sorted by name, as the tree requires
        for (std::size_t i = 0; i < m_pages.pages.size(); ++i)
            for (const layout::Anchor& a : m_pages.pages[i].anchors)
                dests.emplace(a.name, std::make_pair(static_cast<int>(i), a.y));
        // One piece of PDF syntax, as the links are (see links()): a book has a
        // destination for every article, heading and note.
        std::string names = "[";
        for (const auto& [name, where] : dests) {
            m_dest_page.emplace(name, where.first);
            append_hex_string(names, name);
            const PdfReference& page = m_page[static_cast<std::size_t>(where.first)]->Reference();
            names += '[' + std::to_string(page.ObjectNumber()) + ' ' + std::to_string(page.GenerationNumber()) +
                     " R/XYZ 0 ";
            append_number(names, std::min(m_pages.height, m_pages.height - where.second + 4));
            names += " 0]";
        }
        names += ']';
        PdfObject* tree = m_doc.GetObjects().CreateObject(PdfDictionary());
        tree->GetDictionary().AddKey("Names", PdfVariant(PdfData(names.data(), names.size())));
        PdfDictionary root;
        root.AddKey("Dests", tree->Reference());
        m_doc.GetCatalog()->GetDictionary().AddKey("Names", root);
    }

    // Link annotations written as plain objects: PoDoFo's PdfAnnotation stamps /M
    // with the current time, which would make every build differ. Each is one piece
    // of PDF syntax, written here: PoDoFo writes every name, number and string of a
    // dictionary through printf or a std::ostringstream of its own, and a book holds
    // thousands of links (writing them took a tenth of a long book's PDF time).
    void links(int index) {
        const layout::Page& page = m_pages.pages[static_cast<std::size_t>(index)];
        if (page.links.empty()) return;
        PdfArray annots;
        std::string d;
        for (const layout::LinkArea& l : page.links) {
            if (l.uri.empty() && !m_dest_page.count(l.destination)) continue;
            d.assign("<</Type/Annot/Subtype/Link/Rect[");
            append_number(d, l.x);
            d += ' ';
            append_number(d, m_pages.height - l.y - l.height);
            d += ' ';
            append_number(d, l.x + l.width);
            d += ' ';
            append_number(d, m_pages.height - l.y);
            d += "]/Border[0 0 0]";
            if (tagged()) {
                // Its Link element (structure()) and the description PDF/UA asks of a link (§7.18.5).
                const std::size_t key = m_pages.pages.size() + m_links.size();
                d += "/StructParent ";
                d += std::to_string(key);
                d += "/Contents";
                append_hex_string(d, l.uri.empty() ? l.destination : l.uri);
            }
            if (!l.uri.empty()) {
                d += "/A<</S/URI/URI";
                append_hex_string(d, l.uri);
                d += ">>";
            } else {
                d += "/Dest";
                append_hex_string(d, l.destination);
            }
            d += ">>";
            PdfObject* annot = m_doc.GetObjects().CreateObject(PdfVariant(PdfData(d.data(), d.size())));
            annots.push_back(annot->Reference());
            if (tagged()) m_links.push_back({annot, static_cast<std::size_t>(index), l.element});
        }
        if (!annots.empty()) m_page[static_cast<std::size_t>(index)]->GetDictionary().AddKey("Annots", annots);
    }

    // The outline (bookmarks), two levels, as plain objects pointing at named
    // destinations (PdfOutlineItem needs PdfPage objects, see create_pages).
    void outline() {
        struct Item {
            PdfObject* object;
            std::vector<PdfObject*> children;
        };
        std::vector<Item> top;
        for (const layout::OutlineEntry& e : m_pages.outline) {
            if (!m_dest_page.count(e.destination)) continue;
            PdfObject* o = m_doc.GetObjects().CreateObject();
            o->GetDictionary().AddKey("Title", utf8(e.title));
            o->GetDictionary().AddKey("Dest", PdfString(e.destination));
            if (e.level == 0 || top.empty())
                top.push_back({o, {}});
            else
                top.back().children.push_back(o);
        }
        if (top.empty()) return;
        PdfObject* root = m_doc.GetObjects().CreateObject("Outlines");
        auto link = [](const std::vector<PdfObject*>& list, PdfObject* parent) {
            for (std::size_t i = 0; i < list.size(); ++i) {
                PdfDictionary& d = list[i]->GetDictionary();
                d.AddKey("Parent", parent->Reference());
                if (i > 0) d.AddKey("Prev", list[i - 1]->Reference());
                if (i + 1 < list.size()) d.AddKey("Next", list[i + 1]->Reference());
            }
            parent->GetDictionary().AddKey("First", list.front()->Reference());
            parent->GetDictionary().AddKey("Last", list.back()->Reference());
        };
        std::vector<PdfObject*> tops;
        pdf_int64 count = 0;
        for (const Item& item : top) {
            tops.push_back(item.object);
            ++count;
            if (item.children.empty()) continue;
            link(item.children, item.object);
            // Open: a positive count of visible descendants.
            item.object->GetDictionary().AddKey("Count", PdfVariant(static_cast<pdf_int64>(item.children.size())));
            count += static_cast<pdf_int64>(item.children.size());
        }
        link(tops, root);
        root->GetDictionary().AddKey("Count", PdfVariant(count));
        m_doc.GetCatalog()->GetDictionary().AddKey("Outlines", root->Reference());
        m_doc.GetCatalog()->GetDictionary().AddKey("PageMode", PdfName("UseOutlines"));
    }

    // The structure tree (PDF 1.7 §14.7; PDF/UA-1 §7): the pages' elements in the order
    // the pages first show them, each under its parent; each element's content as
    // MCIDs on the page of its first (plain numbers) or marked-content references
    // (on the others); a Link element per link annotation, holding it by an OBJR; the
    // parent tree from each page's MCIDs and each annotation back to the elements.
    // Only standard structure types are used: no role map.
    void structure() {
        // The tree in plain data first, then each element written as one piece of PDF
        // syntax, as the links are (see links()): a book has an element for every
        // paragraph, item and cell, and PoDoFo writes each key of a dictionary through
        // printf (building them through its dictionaries took a fifth of the PDF's time).
        struct Kid {
            enum class Kind { Mcid, Element, Link } kind;
            std::size_t value;  // the MCID, the element's index, the link's index
            std::size_t page;
        };
        struct Node {
            const layout::Element* element;
            std::size_t parent;  // index, or npos: the root's child
            std::size_t page;    // its /Pg: where its content begins
            std::size_t first_kid = 0, kid_count = 0;  // its kids: kids[first_kid, first_kid + kid_count)
            PdfObject* object = nullptr;
        };
        constexpr std::size_t npos = static_cast<std::size_t>(-1);
        // Each kid as it is found, with its element's index: grouped by element after,
        // in one array. A book has hundreds of thousands of elements, and a vector of
        // kids apiece, grown one by one, was a third of this function's time.
        std::vector<std::pair<std::size_t, Kid>> found;
        std::size_t marked = m_links.size();
        for (const auto& page : m_mcids) marked += page.size();
        found.reserve(2 * marked);
        // The elements' index in one arena (declared first: freed last): a heap node
        // apiece, scattered in memory, is slow to walk and to free. An element holds
        // one marked piece or more, or is an ancestor of some: `marked` is about their
        // number, and reserving it spares the table its growth.
        std::pmr::monotonic_buffer_resource arena;
        std::vector<Node> nodes;
        nodes.reserve(marked);
        std::pmr::unordered_map<const layout::Element*, std::size_t> index(&arena);
        index.reserve(marked);
        std::vector<std::vector<std::size_t>> page_nodes(m_mcids.size());  // page -> MCID -> node
        std::vector<const layout::Element*> chain;                         // node()'s, kept for its capacity
        auto node = [&](const layout::ElementRef& e, std::size_t page) {
            // The element and those of its ancestors not seen yet, outermost first.
            chain.clear();
            for (const layout::Element* a = e.get(); a && !index.count(a); a = a->parent.get()) chain.push_back(a);
            for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
                const layout::Element* a = *it;
                const std::size_t parent = a->parent ? index.at(a->parent.get()) : npos;
                index.emplace(a, nodes.size());
                if (parent != npos) found.push_back({parent, {Kid::Kind::Element, nodes.size(), page}});
                nodes.push_back({a, parent, page});
            }
            return index.at(e.get());
        };
        for (std::size_t i = 0; i < m_mcids.size(); ++i)
            for (std::size_t mcid = 0; mcid < m_mcids[i].size(); ++mcid) {
                const std::size_t n = node(m_mcids[i][mcid], i);
                found.push_back({n, {Kid::Kind::Mcid, mcid, i}});
                page_nodes[i].push_back(n);
            }
        // Each link annotation a Link element of what holds its text (the root's first
        // child when nothing does).
        std::vector<std::size_t> link_parent(m_links.size(), npos);
        for (std::size_t k = 0; k < m_links.size(); ++k) {
            const LinkAnnotation& l = m_links[k];
            std::size_t parent = npos;
            if (l.element) parent = node(l.element, l.page);
            else if (!nodes.empty()) parent = 0;
            if (parent == npos) continue;
            link_parent[k] = parent;
            found.push_back({parent, {Kid::Kind::Link, k, l.page}});
        }
        // Grouped by element, each element's in the order found (a counting sort).
        // Each element's count, then where its kids start; the count, cleared, then
        // counts them in again as they are placed.
        std::vector<Kid> kids(found.size());
        for (const auto& [n, kid] : found) ++nodes[n].kid_count;
        for (std::size_t at = 0; Node & n : nodes) {
            n.first_kid = at;
            at += std::exchange(n.kid_count, 0);
        }
        for (const auto& [n, kid] : found) kids[nodes[n].first_kid + nodes[n].kid_count++] = kid;
        std::vector<std::pair<std::size_t, Kid>>().swap(found);
        const auto kids_of = [&](const Node& n) {
            return std::span<const Kid>(kids).subspan(n.first_kid, n.kid_count);
        };
        PdfObject* tree_root = m_doc.GetObjects().CreateObject("StructTreeRoot");
        if (nodes.empty()) return;
        // Objects numbered first, written after: an element names its parent and its kids.
        for (Node& n : nodes) n.object = m_doc.GetObjects().CreateObject(PdfVariant());
        std::vector<PdfObject*> link_objects(m_links.size(), nullptr);
        for (std::size_t k = 0; k < m_links.size(); ++k)
            if (link_parent[k] != npos) link_objects[k] = m_doc.GetObjects().CreateObject(PdfVariant());
        // The language in force at `e`: the nearest ancestor's that has one, else the book's.
        auto lang_of = [&](const layout::Element* e) -> const std::string& {
            for (; e; e = e->parent.get())
                if (!e->lang.empty()) return e->lang;
            return m_book.language;
        };
        // Each Figure's box on its page (PDF 1.7 §14.8.5.4.3, Layout BBox): where a
        // reader that reflows or magnifies finds the picture the Alt describes.
        std::unordered_map<const layout::Element*, std::array<double, 4>> figure_box;
        for (std::size_t i = 0; i < m_pages.pages.size(); ++i) {
            const layout::Page& p = m_pages.pages[i];
            const Boxes b = boxes(i);
            for (const layout::PlacedImage& im : p.images)
                if (im.element)
                    figure_box.emplace(im.element.get(),
                                       std::array<double, 4>{b.trim_x + im.x, b.trim_y + m_pages.height - im.y - im.height,
                                                             b.trim_x + im.x + im.width, b.trim_y + m_pages.height - im.y});
            if (p.turned)  // drawn a quarter turn anticlockwise (page_stream): x' = y from the top, y' = x
                for (const layout::PlacedImage& im : p.turned->images)
                    if (im.element)
                        figure_box.emplace(im.element.get(),
                                           std::array<double, 4>{b.trim_x + im.y, b.trim_y + im.x,
                                                                 b.trim_x + im.y + im.height, b.trim_y + im.x + im.width});
        }
        // Element IDs (a note's), sorted for the IDTree: each named by the first element
        // that has it.
        std::map<std::string, PdfObject*> ids;
        std::vector<char> names_id(nodes.size(), 0);
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (!nodes[i].element->id.empty() && ids.emplace(nodes[i].element->id, nodes[i].object).second)
                names_id[i] = 1;
        // Each element written on every core: numbered, they are independent, and this
        // loop ran alone at the end of a long book's build, the other core idle.
        constexpr std::size_t kPerPart = 2048;
        parallel_for((nodes.size() + kPerPart - 1) / kPerPart, [&](std::size_t part) {
            std::string d;
            auto text_string = [&](const std::string& utf8_text) {  // a PDF text string: UTF-16BE, in hex
                d += "<FEFF";
                d += utf16_hex(utf8_text);
                d += '>';
            };
            for (std::size_t i = part * kPerPart; i < std::min(nodes.size(), (part + 1) * kPerPart); ++i) {
                const Node& n = nodes[i];
                const layout::Element& e = *n.element;
                // (/Type is optional in a structure element, and /Pg needed only by the MCIDs
                // it holds as plain numbers: a book has tens of thousands of elements.)
                d.assign("<</S/");
                d += e.type;
                d += "/P ";
                d += reference(n.parent == npos ? tree_root : nodes[n.parent].object);
                const std::span<const Kid> node_kids = kids_of(n);
                const bool holds_mcids = std::any_of(node_kids.begin(), node_kids.end(), [&](const Kid& k) {
                    return k.kind == Kid::Kind::Mcid && k.page == n.page;
                });
                if (holds_mcids) {
                    d += "/Pg ";
                    d += reference(m_page[n.page]);
                }
                if (!e.lang.empty() && e.lang != lang_of(e.parent.get())) {
                    d += "/Lang";
                    text_string(e.lang);
                }
                if (!e.alt.empty() || e.type == "Figure") {
                    d += "/Alt";
                    text_string(e.alt);
                }
                if (!e.actual_text.empty()) {
                    d += "/ActualText";
                    text_string(e.actual_text);
                }
                if (!e.scope.empty()) d += "/A<</O/Table/Scope/" + e.scope + ">>";
                if (auto box = figure_box.find(&e); box != figure_box.end()) {
                    d += "/A<</O/Layout/BBox[";
                    for (double v : box->second) {
                        d += ' ';
                        append_number(d, v);
                    }
                    d += "]>>";
                }
                if (names_id[i]) {
                    d += "/ID";
                    append_hex_string(d, e.id);
                }
                d += "/K";
                if (node_kids.size() != 1) d += '[';
                for (const Kid& k : node_kids) {
                    d += ' ';
                    if (k.kind == Kid::Kind::Element) {
                        d += reference(nodes[k.value].object);
                    } else if (k.kind == Kid::Kind::Link) {
                        d += reference(link_objects[k.value]);
                    } else if (k.page == n.page) {
                        d += std::to_string(k.value);
                    } else {  // content on another page than the element's first
                        d += "<</Type/MCR/Pg " + reference(m_page[k.page]) + "/MCID " + std::to_string(k.value) + ">>";
                    }
                }
                if (node_kids.size() != 1) d += ']';
                d += ">>";
                static_cast<PdfVariant&>(*n.object) = PdfVariant(PdfData(d.data(), d.size()));
            }
        });
        std::string d;
        for (std::size_t k = 0; k < m_links.size(); ++k) {
            if (!link_objects[k]) continue;
            const std::string page = reference(m_page[m_links[k].page]);
            d.assign("<</S/Link/P ");
            d += reference(nodes[link_parent[k]].object);
            d += "/Pg " + page + "/K<</Type/OBJR/Obj " + reference(m_links[k].object) + "/Pg " + page + ">>>>";
            static_cast<PdfVariant&>(*link_objects[k]) = PdfVariant(PdfData(d.data(), d.size()));
        }
        // The parent tree: each page's MCIDs, then each link annotation, to their elements.
        d.assign("[");
        for (std::size_t i = 0; i < page_nodes.size(); ++i) {
            d += std::to_string(i);
            d += '[';
            for (std::size_t n : page_nodes[i]) {
                d += reference(nodes[n].object);
                d += ' ';
            }
            d += ']';
        }
        for (std::size_t k = 0; k < m_links.size(); ++k) {
            if (!link_objects[k]) continue;
            d += std::to_string(m_pages.pages.size() + k) + ' ' + reference(link_objects[k]) + ' ';
        }
        d += ']';
        PdfObject* parent_tree = m_doc.GetObjects().CreateObject(PdfDictionary());
        parent_tree->GetDictionary().AddKey("Nums", PdfVariant(PdfData(d.data(), d.size())));
        PdfDictionary& root = tree_root->GetDictionary();
        PdfArray top;  // the Document (elements made with no root would stand beside it)
        for (const Node& n : nodes)
            if (n.parent == npos) top.push_back(n.object->Reference());
        root.AddKey("K", top);
        root.AddKey("ParentTree", parent_tree->Reference());
        root.AddKey("ParentTreeNextKey", PdfVariant(static_cast<pdf_int64>(m_pages.pages.size() + m_links.size())));
        if (!ids.empty()) {  // a name tree of one node (PDF 1.7 §14.7.2)
            d.assign("[");
            for (const auto& [id, o] : ids) {
                append_hex_string(d, id);
                d += ' ' + reference(o) + ' ';
            }
            d += ']';
            PdfObject* id_tree = m_doc.GetObjects().CreateObject(PdfDictionary());
            id_tree->GetDictionary().AddKey("Names", PdfVariant(PdfData(d.data(), d.size())));
            root.AddKey("IDTree", id_tree->Reference());
        }
        PdfDictionary& catalog = m_doc.GetCatalog()->GetDictionary();
        catalog.AddKey("StructTreeRoot", tree_root->Reference());
        PdfDictionary mark_info;
        mark_info.AddKey("Marked", PdfVariant(true));
        catalog.AddKey("MarkInfo", mark_info);
        PdfDictionary preferences;
        preferences.AddKey("DisplayDocTitle", PdfVariant(true));  // the title, not the file name (PDF/UA-1 §7.1)
        catalog.AddKey("ViewerPreferences", preferences);
        std::vector<std::vector<layout::ElementRef>>().swap(m_mcids);
        m_links.clear();
    }

    void page_labels() {
        PdfArray nums;
        for (const layout::LabelRange& r : m_pages.labels) {
            nums.push_back(PdfVariant(static_cast<pdf_int64>(r.start)));
            PdfDictionary label;
            label.AddKey("S", PdfName(r.style == layout::LabelRange::Style::Roman ? "r" : "D"));
            if (r.first != 1) label.AddKey("St", PdfVariant(static_cast<pdf_int64>(r.first)));
            nums.push_back(label);
        }
        PdfDictionary labels;
        labels.AddKey("Nums", nums);
        m_doc.GetCatalog()->GetDictionary().AddKey("PageLabels", labels);
    }

    std::vector<std::string> credits() const {
        std::vector<std::string> out;
        m_book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            if (!a.credit.text.empty()) out.push_back(a.credit.statement());  // the licence line too
        });
        return out;
    }

    // The PDF/X-1a:2001 identification: the version keys, Trapped, and an output
    // intent naming a registered condition (CGATS TR 001, the US web offset
    // characterization in the ICC registry, which needs no embedded profile).
    void pdfx(PdfInfo& info) {
        PdfDictionary& d = info.GetObject()->GetDictionary();
        d.AddKey("GTS_PDFXVersion", PdfString(kPdfxVersion));
        d.AddKey("GTS_PDFXConformance", PdfString(kPdfxConformance));
        d.AddKey("Trapped", PdfName("False"));
        PdfDictionary intent;
        intent.AddKey("Type", PdfName("OutputIntent"));
        intent.AddKey("S", PdfName("GTS_PDFX"));
        intent.AddKey("OutputConditionIdentifier", PdfString("CGATS TR 001"));
        intent.AddKey("OutputCondition", PdfString("SWOP (Publication) Grade 5 Paper"));
        intent.AddKey("RegistryName", PdfString("http://www.color.org"));
        intent.AddKey("Info", PdfString("CGATS TR 001-1995 (SWOP)"));
        PdfArray intents;
        intents.push_back(intent);
        m_doc.GetCatalog()->GetDictionary().AddKey("OutputIntents", intents);
    }

    void metadata() {
        PdfInfo* info = m_doc.GetInfo();
        info->SetTitle(utf8(m_book.title));
        info->SetAuthor(utf8(doc::join_names(m_book.authors, m_book.labels)));
        info->SetCreator(utf8(m_options.generator));
        info->SetProducer(utf8(m_options.generator + " (PoDoFo 0.9.8)"));
        if (!m_book.subtitle.empty()) info->SetSubject(utf8(m_book.subtitle));
        info->SetCustomKey(PdfName("Rights"), utf8(doc::rights_statement(m_book)));
        std::string all;
        for (const std::string& c : credits()) all += (all.empty() ? "" : "\n") + c;
        info->SetCustomKey(PdfName("Credits"), utf8(all));
        const std::string date = pdf_date(m_options.date);
        info->GetObject()->GetDictionary().AddKey("CreationDate", PdfString(date));
        info->GetObject()->GetDictionary().AddKey("ModDate", PdfString(date));
        if (m_options.print) {
            pdfx(*info);
        } else {
            m_doc.GetCatalog()->GetDictionary().AddKey("Lang", utf8(m_book.language));  // PDF 1.4
        }

        const std::string iso = text::iso_timestamp(m_options.date);
        std::string x = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
                        "xmlns:xmpRights=\"http://ns.adobe.com/xap/1.0/rights/\" "
                        "xmlns:cc=\"http://creativecommons.org/ns#\" "
                        "xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\" "
                        "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n";
        x += "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(m_book.title) + "</rdf:li></rdf:Alt></dc:title>\n";
        x += "<dc:creator><rdf:Seq>";
        for (const std::string& a : m_book.authors) x += "<rdf:li>" + xml_escape(a) + "</rdf:li>";
        x += "</rdf:Seq></dc:creator>\n";
        x += "<dc:language><rdf:Bag><rdf:li>" + xml_escape(m_book.language) + "</rdf:li></rdf:Bag></dc:language>\n";
        x += "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(doc::rights_statement(m_book)) + "</rdf:li></rdf:Alt></dc:rights>\n";
        x += "<dc:contributor><rdf:Bag>";
        for (const std::string& c : credits()) x += "<rdf:li>" + xml_escape(c) + "</rdf:li>";
        x += "</rdf:Bag></dc:contributor>\n";
        x += "<dc:identifier>" + xml_escape(m_book.identifier) + "</dc:identifier>\n";
        // The terms of use (XMP Rights Management): the book's rights, then each
        // article's credit with the licence it owes. One licence address for the whole
        // book (every article under the same licence) is its web statement, and for
        // Creative Commons its cc:license; under several licences neither can be one
        // address, and the usage terms name each.
        std::string terms = doc::rights_statement(m_book);
        for (const std::string& c : credits()) terms += "\n" + c;
        x += "<xmpRights:Marked>True</xmpRights:Marked>\n";
        x += "<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(terms) +
             "</rdf:li></rdf:Alt></xmpRights:UsageTerms>\n";
        std::optional<std::string> web;
        bool one = true, creative_commons = true;
        m_book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
            const doc::Licence& l = a.credit.licence;
            const std::string url = !l.url.empty() ? l.url : l.text_url;
            if (!web) web = url;
            one = one && !url.empty() && url == *web;
            creative_commons = creative_commons && doc::has_creative_commons_url(l);
        });
        if (web && one) {
            x += "<xmpRights:WebStatement>" + xml_escape(*web) + "</xmpRights:WebStatement>\n";
            if (creative_commons) x += "<cc:license rdf:resource=\"" + xml_escape(*web) + "\"/>\n";
        }
        x += "<xmp:CreateDate>" + iso + "</xmp:CreateDate>\n<xmp:ModifyDate>" + iso + "</xmp:ModifyDate>\n";
        x += "<xmp:CreatorTool>" + xml_escape(m_options.generator) + "</xmp:CreatorTool>\n";
        x += "<pdf:Producer>" + xml_escape(m_options.generator + " (PoDoFo 0.9.8)") + "</pdf:Producer>\n";
        if (tagged()) x += "<pdfuaid:part>1</pdfuaid:part>\n";  // PDF/UA-1 (ISO 14289-1 §5)
        if (m_options.print)
            x += "<pdf:Trapped>False</pdf:Trapped>\n<pdfx:GTS_PDFXVersion>" + std::string(kPdfxVersion) +
                 "</pdfx:GTS_PDFXVersion>\n<pdfx:GTS_PDFXConformance>" + kPdfxConformance +
                 "</pdfx:GTS_PDFXConformance>\n";
        x += "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
        PdfObject* meta = m_doc.GetObjects().CreateObject("Metadata");
        meta->GetDictionary().AddKey("Subtype", PdfName("XML"));
        meta->GetStream()->Set(x.data(), static_cast<pdf_long>(x.size()), TVecFilters());
        m_doc.GetCatalog()->GetDictionary().AddKey("Metadata", meta->Reference());
    }

    layout::Pages& m_pages;  // owned by render_pdf; contents() frees the glyphs it has written
    const doc::Book& m_book;
    const PdfOptions& m_options;
    PdfMemDocument m_doc;
    std::map<layout::FontId, FontUse> m_fonts;
    std::vector<std::vector<double>> m_widths;  // font -> glyph id -> width_of(), for the glyphs used
    struct ImageObject {
        std::string name;  // its resource name: "Im0" for an image, "Fm1" for a form
        PdfObject* object = nullptr;
        double form_width = 0, form_height = 0;  // a form's box; 0 for an image
    };
    std::map<std::string, ImageObject> m_images;  // by the book's resource path
    std::map<std::string, int> m_dest_page;
    std::vector<PdfObject*> m_page;
    std::vector<std::vector<layout::ElementRef>> m_mcids;  // page -> MCID -> its element (tagged)
    struct LinkAnnotation {
        PdfObject* object;
        std::size_t page;
        layout::ElementRef element;  // what holds the link's text
    };
    std::vector<LinkAnnotation> m_links;  // in order of their /StructParent keys, after the pages'
};

// Writes `pages` as a PDF to `device`. PoDoFo stamps a new document's information
// with the time through localtime(), whose answer is one static buffer for the
// whole process, and a build writes its two PDFs at the same time: documents are
// begun one at a time. (The stamp is then replaced by the book's date.)
void write_document(layout::Pages& pages, const doc::Book& book, const PdfOptions& options, PdfOutputDevice& device) {
    static std::mutex beginning;
    std::unique_lock lock(beginning);
    Writer writer(pages, book, options);
    lock.unlock();
    writer.run(device);
}

}  // namespace

std::string render_pdf(layout::Pages pages, const doc::Book& book, const PdfOptions& options) {
    try {
        std::string out;
        BufferedDevice device([&](std::string_view bytes) { out.append(bytes); });
        write_document(pages, book, options, device);
        device.finish();
        return out;
    } catch (const PdfError& e) {
        throw Error(std::string("cannot write the PDF: ") + PdfError::ErrorName(e.GetError()));
    }
}

void write_pdf(const std::filesystem::path& path, layout::Pages pages, const doc::Book& book,
               const PdfOptions& options) {
    // PoDoFo writes straight into the temporary file: a long book's PDF is not held
    // in memory twice more (PoDoFo's buffer and a copy of it).
    const auto fill = [&](const std::filesystem::path& temporary) {
        // Through a stream whose state folio checks: PoDoFo's own file device (stdio)
        // ignores a failed write, and a full disk or a file-size limit then left a
        // cut-off PDF under the book's name.
        std::fstream file(temporary, std::ios::out | std::ios::binary | std::ios::trunc);
        const auto failed = [&] {
            return Error(std::string("cannot write output: ") + std::strerror(errno), {path.string()},
                         "the earlier file, if any, is unchanged");
        };
        if (!file) throw failed();
        try {
            BufferedDevice device([&](std::string_view bytes) {
                file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            });
            write_document(pages, book, options, device);
            device.finish();
        } catch (const PdfError& e) {
            throw Error(std::string("cannot write the PDF: ") + PdfError::ErrorName(e.GetError()), {path.string()});
        }
        file.flush();
        if (!file) throw failed();
        file.close();
        if (file.fail()) throw failed();
    };
    write_file_atomically(path, fill, options.before_replacing);
}

}  // namespace folio::pdf
