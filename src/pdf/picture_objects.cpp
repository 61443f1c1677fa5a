#include "pdf/picture_objects.hpp"

#include "core/compress.hpp"
#include "core/error.hpp"
#include "pictures/picture.hpp"

#include <podofo/podofo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

namespace folio::pdf {

namespace {

using namespace PoDoFo;

PdfVariant integer(long long v) { return PdfVariant(static_cast<pdf_int64>(v)); }

// An 8-bit image XObject of `samples`, Flate-compressed.
PdfObject* image_object(PdfMemDocument& doc, int width, int height, const char* colour_space,
                        const std::string& samples) {
    const std::string deflated = compress::zlib(samples, 6);
    PdfObject* image = doc.GetObjects().CreateObject("XObject");
    image->GetStream()->Set(deflated.data(), static_cast<pdf_long>(deflated.size()), TVecFilters());
    PdfDictionary& d = image->GetDictionary();
    d.AddKey("Subtype", PdfName("Image"));
    d.AddKey("Width", integer(width));
    d.AddKey("Height", integer(height));
    d.AddKey("ColorSpace", PdfName(colour_space));
    d.AddKey("BitsPerComponent", integer(8));
    d.AddKey("Filter", PdfName("FlateDecode"));
    return image;
}

// For a press: 8-bit DeviceGray (Rec. 601 luma), any transparency flattened onto the
// white of the paper, since PDF/X-1a allows neither colour nor soft masks.
PdfObject* gray_image(PdfMemDocument& doc, const pictures::Pixels& p) {
    const std::size_t n = static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height);
    const auto channels = static_cast<std::size_t>(p.channels);
    std::string gray(n, '\0');
    for (std::size_t i = 0; i < n; ++i) {
        const auto* px = reinterpret_cast<const unsigned char*>(p.data.data()) + i * channels;
        const double luma = channels >= 3 ? 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2] : px[0];
        const double alpha = channels == 2 ? px[1] / 255.0 : channels == 4 ? px[3] / 255.0 : 1.0;
        gray[i] = static_cast<char>(std::lround(luma * alpha + 255.0 * (1.0 - alpha)));
    }
    return image_object(doc, p.width, p.height, "DeviceGray", gray);
}

// For reading: the colours as they are, and the transparency as a soft mask (PDF 1.4),
// left out when every pixel is opaque.
PdfObject* colour_image(PdfMemDocument& doc, const pictures::Pixels& p) {
    const std::size_t n = static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height);
    const auto channels = static_cast<std::size_t>(p.channels);
    const std::size_t colours = p.has_alpha() ? channels - 1 : channels;
    std::string samples, alpha;
    samples.reserve(n * colours);
    if (p.has_alpha()) alpha.reserve(n);
    bool opaque = true;
    for (std::size_t i = 0; i < n; ++i) {
        const char* px = p.data.data() + i * channels;
        samples.append(px, colours);
        if (p.has_alpha()) {
            alpha += px[colours];
            opaque = opaque && static_cast<unsigned char>(px[colours]) == 255;
        }
    }
    PdfObject* image = image_object(doc, p.width, p.height, colours >= 3 ? "DeviceRGB" : "DeviceGray", samples);
    if (p.has_alpha() && !opaque)
        image->GetDictionary().AddKey("SMask", image_object(doc, p.width, p.height, "DeviceGray", alpha)->Reference());
    return image;
}

// ---- importing cairo's page ----------------------------------------------------------

// Copies the objects a value reaches from `src` into `dst`, each once (fonts are
// shared by several resources), streams as they are encoded. Not PoDoFo 0.9.8's
// PdfXObject(const PdfMemDocument&, int, PdfDocument*): through PdfDocument::Append
// it copies every object of the source, its catalog, page tree and cairo's Info
// with the time of drawing, into the book: orphans, and bytes that differ from
// build to build.
class Importer {
public:
    Importer(const PdfMemDocument& src, PdfMemDocument& dst) : m_src(src), m_dst(dst) {}

    PdfObject copy(const PdfObject& v) {
        if (v.IsReference()) return PdfObject(object(v.GetReference())->Reference());
        if (v.IsDictionary()) {
            PdfDictionary d;
            for (const auto& [key, value] : v.GetDictionary().GetKeys()) d.AddKey(key, copy(*value));
            return PdfObject(d);
        }
        if (v.IsArray()) {
            PdfArray a;
            for (const PdfObject& item : v.GetArray()) a.push_back(copy(item));
            return PdfObject(a);
        }
        return v;
    }

private:
    PdfObject* object(const PdfReference& ref) {
        if (auto it = m_copied.find(ref); it != m_copied.end()) return it->second;
        const PdfObject* from = m_src.GetObjects().GetObject(ref);
        if (!from) {  // a dangling reference is null (PDF 1.7 §7.3.10)
            PdfObject* null = m_dst.GetObjects().CreateObject(PdfVariant());
            return m_copied[ref] = null;
        }
        PdfObject* to = m_dst.GetObjects().CreateObject(from->IsDictionary() ? PdfVariant(PdfDictionary()) : PdfVariant());
        m_copied[ref] = to;  // before its content: objects may point back
        if (from->HasStream()) {
            char* raw = nullptr;
            pdf_long length = 0;
            from->GetStream()->GetCopy(&raw, &length);
            std::unique_ptr<char, void (*)(void*)> owned(raw, podofo_free);
            to->GetStream()->Set(raw, length, TVecFilters());  // as encoded: its /Filter is copied with the dictionary
        }
        const PdfObject value = copy(*from);
        if (value.IsDictionary()) {
            for (const auto& [key, item] : value.GetDictionary().GetKeys())
                if (key != PdfName::KeyLength) to->GetDictionary().AddKey(key, *item);
        } else {
            static_cast<PdfVariant&>(*to) = value;
        }
        return to;
    }

    const PdfMemDocument& m_src;
    PdfMemDocument& m_dst;
    std::map<PdfReference, PdfObject*> m_copied;
};

const PdfObject* resolve(const PdfMemDocument& doc, const PdfObject* v) {
    for (int hops = 0; v && v->IsReference() && hops < 32; ++hops) v = doc.GetObjects().GetObject(v->GetReference());
    return v;
}

// The page's content, decoded, its streams joined.
std::string page_content(const PdfMemDocument& doc, const PdfPage& page) {
    std::string out;
    auto append = [&](const PdfObject* stream) {
        stream = resolve(doc, stream);
        if (!stream || !stream->HasStream()) return;
        char* data = nullptr;
        pdf_long length = 0;
        stream->GetStream()->GetFilteredCopy(&data, &length);
        std::unique_ptr<char, void (*)(void*)> owned(data, podofo_free);
        out.append(data, static_cast<std::size_t>(length));
        out += '\n';
    };
    const PdfObject* contents = resolve(doc, page.GetContents());
    if (contents && contents->IsArray()) {
        for (const PdfObject& part : contents->GetArray()) append(&part);
    } else {
        append(contents);
    }
    return out;
}

// Whether what a page's resources hold can be painted in gray by gray_content(): no
// shading or pattern, no image or form, no Type 3 font (the print PDF has none), and
// graphics states without transparency or transfer functions (PDF/X-1a forbids both).
bool solid_resources(const PdfMemDocument& doc, const PdfObject* resources) {
    resources = resolve(doc, resources);
    if (!resources || !resources->IsDictionary()) return true;
    const PdfDictionary& r = resources->GetDictionary();
    for (const char* kind : {"Shading", "Pattern", "XObject"}) {
        const PdfObject* d = resolve(doc, r.GetKey(kind));
        if (d && d->IsDictionary() && !d->GetDictionary().GetKeys().empty()) return false;
    }
    if (const PdfObject* states = resolve(doc, r.GetKey("ExtGState")); states && states->IsDictionary()) {
        for (const auto& [name, value] : states->GetDictionary().GetKeys()) {
            const PdfObject* gs = resolve(doc, value);
            if (!gs || !gs->IsDictionary()) continue;
            const PdfDictionary& g = gs->GetDictionary();
            for (const char* alpha : {"CA", "ca"})
                if (const PdfObject* a = resolve(doc, g.GetKey(alpha)); a && (a->IsNumber() || a->IsReal()) &&
                                                                        a->GetReal() < 0.999)
                    return false;
            if (const PdfObject* mask = resolve(doc, g.GetKey("SMask")); mask && !(mask->IsName() && mask->GetName() == PdfName("None")))
                return false;
            if (const PdfObject* bm = resolve(doc, g.GetKey("BM"));
                bm && !(bm->IsName() && (bm->GetName() == PdfName("Normal") || bm->GetName() == PdfName("Compatible"))))
                return false;
            if (g.HasKey("TR") || g.HasKey("TR2")) return false;
        }
    }
    if (const PdfObject* fonts = resolve(doc, r.GetKey("Font")); fonts && fonts->IsDictionary()) {
        for (const auto& [name, value] : fonts->GetDictionary().GetKeys()) {
            const PdfObject* f = resolve(doc, value);
            const PdfObject* subtype = f && f->IsDictionary() ? resolve(doc, f->GetDictionary().GetKey("Subtype")) : nullptr;
            if (subtype && subtype->IsName() && subtype->GetName() == PdfName("Type3")) return false;
        }
    }
    return true;
}

// The keys of PDF 1.4 transparency, at their neutral values once solid_resources()
// has passed: left out of a print file, which is PDF 1.3.
void drop_transparency_keys(PdfMemDocument& doc, PdfObject* resources) {
    if (!resources || !resources->IsDictionary()) return;
    PdfObject* states = resources->GetDictionary().GetKey("ExtGState");
    if (states && states->IsReference()) states = doc.GetObjects().GetObject(states->GetReference());
    if (!states || !states->IsDictionary()) return;
    for (auto& [name, value] : states->GetDictionary().GetKeys()) {
        PdfObject* gs = value->IsReference() ? doc.GetObjects().GetObject(value->GetReference()) : value;
        if (!gs || !gs->IsDictionary()) continue;
        for (const char* key : {"CA", "ca", "SMask", "BM", "AIS", "TK"}) gs->GetDictionary().RemoveKey(key);
    }
}

// ---- content streams -----------------------------------------------------------------

// The tokens of a content stream (PDF 1.7 §7.2, §8.2), enough to find each operator
// and its operands: written here, as PoDoFo 0.9.8's tokenizer does not give where a
// token stands in the stream, which a rewrite that keeps the rest needs.
struct Token {
    enum Kind { Number, Name, Other, Open, Close, Operator } kind;
    std::size_t begin, end;
};

bool is_white(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool is_delimiter(char c) { return std::string_view("()<>[]{}/%").find(c) != std::string_view::npos; }

std::vector<Token> tokens(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        const std::size_t start = i;
        if (is_white(c)) {
            ++i;
        } else if (c == '%') {
            while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
        } else if (c == '(') {  // a string: balanced parentheses, backslash escapes
            int depth = 0;
            for (; i < s.size(); ++i) {
                if (s[i] == '\\') {
                    ++i;
                } else if (s[i] == '(') {
                    ++depth;
                } else if (s[i] == ')' && --depth == 0) {
                    ++i;
                    break;
                }
            }
            out.push_back({Token::Other, start, i});
        } else if (c == '<' && i + 1 < s.size() && s[i + 1] == '<') {
            i += 2;
            out.push_back({Token::Open, start, i});
        } else if (c == '>' && i + 1 < s.size() && s[i + 1] == '>') {
            i += 2;
            out.push_back({Token::Close, start, i});
        } else if (c == '<') {  // a hex string
            const std::size_t end = s.find('>', i);
            i = end == std::string_view::npos ? s.size() : end + 1;
            out.push_back({Token::Other, start, i});
        } else if (c == '[' || c == '{') {
            out.push_back({Token::Open, start, ++i});
        } else if (c == ']' || c == '}' || c == ')' || c == '>') {
            out.push_back({Token::Close, start, ++i});
        } else {
            ++i;
            while (i < s.size() && !is_white(s[i]) && !is_delimiter(s[i])) ++i;
            const std::string_view word = s.substr(start, i - start);
            Token::Kind kind = Token::Operator;
            if (c == '/')
                kind = Token::Name;
            else if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')
                kind = Token::Number;
            else if (word == "true" || word == "false" || word == "null")
                kind = Token::Other;
            out.push_back({kind, start, i});
            if (kind == Token::Operator && word == "BI") return {out.back()};  // an inline image: binary data follows
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> gray_content(std::string_view s) {
    const std::vector<Token> all = tokens(s);
    auto text = [&](const Token& t) { return s.substr(t.begin, t.end - t.begin); };
    auto number = [&](const Token& t) { return std::strtod(std::string(text(t)).c_str(), nullptr); };
    auto gray = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", std::clamp(v, 0.0, 1.0));
        return std::string(buf);
    };
    // The colour space each of fill and stroke paints in: components 1, 3 or 4.
    int fill = 1, stroke = 1;
    std::string out;
    std::size_t copied = 0;  // s[0, copied) is in out
    std::vector<Token> operands;
    int depth = 0;
    auto replace = [&](std::size_t begin, std::size_t end, const std::string& with) {
        out.append(s.substr(copied, begin - copied));
        out += with;
        copied = end;
    };
    for (const Token& t : all) {
        if (t.kind == Token::Open) ++depth;
        if (t.kind == Token::Close) depth = std::max(0, depth - 1);
        if (t.kind != Token::Operator || depth > 0) {
            operands.push_back(t);
            continue;
        }
        const std::string_view op = text(t);
        const std::size_t from = operands.empty() ? t.begin : operands.front().begin;
        auto numbers = [&](std::size_t n) {
            if (operands.size() != n) return false;
            for (const Token& o : operands)
                if (o.kind != Token::Number) return false;
            return true;
        };
        if (op == "sh" || op == "BI" || op == "ID" || op == "Do") return std::nullopt;
        if ((op == "rg" || op == "RG") && numbers(3)) {
            const double y = 0.299 * number(operands[0]) + 0.587 * number(operands[1]) + 0.114 * number(operands[2]);
            replace(from, t.end, gray(y) + (op == "rg" ? " g" : " G"));
        } else if ((op == "k" || op == "K") && numbers(4)) {
            const double ink = 0.3 * number(operands[0]) + 0.59 * number(operands[1]) + 0.11 * number(operands[2]) +
                               number(operands[3]);
            replace(from, t.end, gray(1 - std::min(1.0, ink)) + (op == "k" ? " g" : " G"));
        } else if (op == "cs" || op == "CS") {
            if (operands.size() != 1 || operands[0].kind != Token::Name) return std::nullopt;
            const std::string_view space = text(operands[0]);
            const int components = space == "/DeviceGray" ? 1 : space == "/DeviceRGB" ? 3 : space == "/DeviceCMYK" ? 4 : 0;
            if (components == 0) return std::nullopt;  // a pattern, or a space named in the resources
            (op == "cs" ? fill : stroke) = components;
            replace(from, t.end, std::string("/DeviceGray ") + std::string(op));
        } else if (op == "sc" || op == "scn" || op == "SC" || op == "SCN") {
            const int components = op[0] == 's' ? fill : stroke;
            if (!numbers(static_cast<std::size_t>(components))) return std::nullopt;
            double y = number(operands[0]);
            if (components == 3)
                y = 0.299 * number(operands[0]) + 0.587 * number(operands[1]) + 0.114 * number(operands[2]);
            if (components == 4)
                y = 1 - std::min(1.0, 0.3 * number(operands[0]) + 0.59 * number(operands[1]) +
                                          0.11 * number(operands[2]) + number(operands[3]));
            replace(from, t.end, gray(y) + " " + std::string(op));
        }
        operands.clear();
    }
    out.append(s.substr(copied));
    return out;
}

PictureObject raster_picture(PdfMemDocument& doc, const doc::Resource& r, Target target) {
    if (target == Target::Reading && r.format == doc::PictureFormat::Jpeg) {
        // Passed through as DCT, its colour space as the file has it (PoDoFo reads it).
        try {
            PdfImage image(&doc);
            image.LoadFromJpegData(reinterpret_cast<const unsigned char*>(r.bytes.data()),
                                   static_cast<pdf_long>(r.bytes.size()));
            return {image.GetObject()};
        } catch (const PdfError&) {
            // A JPEG libjpeg refuses but stb_image reads: decoded below.
        }
    }
    const pictures::Pixels pixels = pictures::decode(r);
    return {target == Target::Print ? gray_image(doc, pixels) : colour_image(doc, pixels)};
}

PictureObject svg_picture(PdfMemDocument& doc, const doc::Resource& r, Target target, double width_pt,
                          double height_pt) {
    const std::string drawn = pictures::svg_to_pdf(r);
    PdfMemDocument src;
    src.LoadFromBuffer(drawn.data(), static_cast<long>(drawn.size()));
    const PdfPage* page = src.GetPage(0);
    if (!page) throw Error("image '" + r.path + "' cannot be drawn: no page", {r.path});
    std::string content = page_content(src, *page);
    const bool print = target == Target::Print;
    if (print) {
        // Vector in gray where the drawing is solid colours only (most diagrams,
        // icons and logos): sharp at any size and small. Anything else (gradients,
        // filters, embedded pictures, transparency) would need colour or transparency
        // that PDF/X-1a forbids, so it is rasterised in gray at 300 ppi.
        std::optional<std::string> gray = solid_resources(src, page->GetResources()) ? gray_content(content)
                                                                                     : std::nullopt;
        if (!gray) return {gray_image(doc, pictures::rasterize_svg(r, width_pt, height_pt, 300))};
        content = std::move(*gray);
    }
    Importer importer(src, doc);
    const PdfRect box = page->GetMediaBox();
    const std::string deflated = compress::zlib(content, 6);
    PdfObject* form = doc.GetObjects().CreateObject("XObject");
    form->GetStream()->Set(deflated.data(), static_cast<pdf_long>(deflated.size()), TVecFilters());
    PdfDictionary& d = form->GetDictionary();
    d.AddKey("Subtype", PdfName("Form"));
    d.AddKey("FormType", integer(1));
    PdfArray bbox;
    for (double v : {box.GetLeft(), box.GetBottom(), box.GetLeft() + box.GetWidth(), box.GetBottom() + box.GetHeight()})
        bbox.push_back(PdfVariant(v));
    d.AddKey("BBox", bbox);
    if (box.GetLeft() != 0 || box.GetBottom() != 0) {  // the box's corner to the origin, where pages place it
        PdfArray matrix;
        for (double v : {1.0, 0.0, 0.0, 1.0, -box.GetLeft(), -box.GetBottom()}) matrix.push_back(PdfVariant(v));
        d.AddKey("Matrix", matrix);
    }
    d.AddKey("Filter", PdfName("FlateDecode"));
    if (const PdfObject* resources = page->GetResources()) {
        d.AddKey("Resources", importer.copy(*resources));
        if (print) drop_transparency_keys(doc, d.GetKey("Resources"));
    }
    // cairo groups a page for transparency; a form keeps that in a reading PDF only.
    if (const PdfObject* group = page->GetObject()->GetDictionary().GetKey("Group"); group && !print)
        d.AddKey("Group", importer.copy(*group));
    return {form, box.GetWidth(), box.GetHeight()};
}

}  // namespace folio::pdf
