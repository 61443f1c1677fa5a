// SVG: sanitised with tinyxml2 (the XML library folio already builds its EPUB with),
// sized, rasterised and drawn as PDF by librsvg through cairo. Written here: finding
// the root element past the prolog (tinyxml2 cannot skip a doctype's internal
// subset) and the rules of what a book may not carry.
#include "pictures/detail.hpp"
#include "pictures/picture.hpp"

#include "core/shared_library.hpp"
#include "core/text.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <tinyxml2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

namespace folio::pictures {

namespace detail {

std::optional<std::size_t> xml_root(std::string_view b) {
    std::size_t at = b.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    auto starts = [&](std::string_view s) { return b.substr(at, s.size()) == s; };
    while (at < b.size()) {
        const char c = b[at];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++at;
        } else if (starts("<?")) {  // the XML declaration, a processing instruction
            const std::size_t end = b.find("?>", at + 2);
            if (end == std::string_view::npos) return std::nullopt;
            at = end + 2;
        } else if (starts("<!--")) {
            const std::size_t end = b.find("-->", at + 4);
            if (end == std::string_view::npos) return std::nullopt;
            at = end + 3;
        } else if (starts("<!DOCTYPE")) {
            // Up to the '>' outside quotes and outside the internal subset's brackets.
            char quote = 0;
            int depth = 0;
            for (at += 9; at < b.size(); ++at) {
                const char d = b[at];
                if (quote) {
                    if (d == quote) quote = 0;
                } else if (d == '"' || d == '\'') {
                    quote = d;
                } else if (d == '[') {
                    ++depth;
                } else if (d == ']') {
                    --depth;
                } else if (d == '>' && depth <= 0) {
                    break;
                }
            }
            if (at >= b.size()) return std::nullopt;
            ++at;
        } else if (c == '<' && at + 1 < b.size() && (std::isalpha(static_cast<unsigned char>(b[at + 1])) ||
                                                     b[at + 1] == '_' || b[at + 1] == ':')) {
            return at;
        } else {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string_view element_name(std::string_view b, std::size_t at) {
    const std::size_t begin = at + 1;
    std::size_t end = begin;
    while (end < b.size() && !std::strchr(" \t\r\n/>", b[end])) ++end;
    return b.substr(begin, end - begin);
}

}  // namespace detail

namespace {

// ---- sanitising ----------------------------------------------------------------------

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view local_name(std::string_view name) {
    const std::size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// A url(…) whose target is not a fragment of this picture (url(#gradient)).
bool has_outside_url(std::string_view value) {
    const std::string v = lower(value);
    for (std::size_t at = v.find("url("); at != std::string::npos; at = v.find("url(", at + 4)) {
        std::size_t k = at + 4;
        while (k < v.size() && (v[k] == ' ' || v[k] == '\t' || v[k] == '\n' || v[k] == '\r' || v[k] == '"' ||
                                v[k] == '\''))
            ++k;
        if (k >= v.size() || v[k] != '#') return true;
    }
    return false;
}

bool local_reference(std::string_view href) {
    href = text::trim(href);
    return href.empty() || href.front() == '#';
}

// What is removed, in the order the warning names it.
enum Removal { Script, ForeignObject, Handler, EventAttribute, Reference, Style, Animation, kRemovals };
constexpr std::array<const char*, kRemovals> kSingular = {
    "script element", "foreignObject element", "handler element", "event attribute (on…)",
    "reference outside the picture", "style element with @import or url()", "animation of a link or event"};
constexpr std::array<const char*, kRemovals> kPlural = {
    "script elements", "foreignObject elements", "handler elements", "event attributes (on…)",
    "references outside the picture", "style elements with @import or url()", "animations of a link or event"};

class Cleaner {
public:
    std::array<int, kRemovals> counts{};

    void element(tinyxml2::XMLElement* e) {
        std::vector<std::string> drop;
        for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
            const std::string local = lower(local_name(a->Name()));
            if (local.rfind("on", 0) == 0) {
                drop.push_back(a->Name()), ++counts[EventAttribute];
            } else if (local == "href" ? !local_reference(a->Value()) : has_outside_url(a->Value())) {
                drop.push_back(a->Name()), ++counts[Reference];
            }
        }
        for (const std::string& name : drop) e->DeleteAttribute(name.c_str());
        // A link inside a picture leads nowhere in a book (and epubcheck asks each for
        // a title): it stays a group of what it holds.
        if (lower(local_name(e->Name())) == "a") {
            const std::string name = e->Name();
            const std::size_t colon = name.find(':');
            e->SetName(((colon == std::string::npos ? std::string() : name.substr(0, colon + 1)) + "g").c_str());
            for (const char* href : {"href", "xlink:href"}) e->DeleteAttribute(href);
        }
        for (tinyxml2::XMLNode* child = e->FirstChild(); child;) {
            tinyxml2::XMLNode* next = child->NextSibling();
            if (child->ToUnknown() || child->ToDeclaration()) {
                e->DeleteChild(child);  // a doctype or processing instruction inside: not SVG
            } else if (tinyxml2::XMLElement* c = child->ToElement()) {
                if (const int why = removal(*c); why >= 0) {
                    ++counts[static_cast<std::size_t>(why)];
                    e->DeleteChild(c);
                } else {
                    element(c);
                }
            }
            child = next;
        }
    }

    std::vector<std::string> removed() const {
        std::vector<std::string> out;
        for (std::size_t k = 0; k < counts.size(); ++k) {
            if (counts[k] == 0) continue;
            const char* what = counts[k] == 1 ? kSingular[k] : kPlural[k];
            out.push_back(std::to_string(counts[k]) + " " + std::string(what));
        }
        return out;
    }

private:
    // Why an element goes whole, or -1.
    static int removal(const tinyxml2::XMLElement& e) {
        const std::string local = lower(local_name(e.Name()));
        if (local == "script") return Script;
        if (local == "foreignobject") return ForeignObject;
        if (local == "handler" || local == "listener") return Handler;
        if (local == "set" || local.rfind("animate", 0) == 0) {
            // SMIL can set an attribute later: a link's target, or an event handler.
            const char* target = e.Attribute("attributeName");
            const std::string attr = lower(local_name(target ? target : ""));
            if (attr == "href" || attr.rfind("on", 0) == 0) return Animation;
        }
        if (local == "style") {
            std::string css;
            for (const tinyxml2::XMLNode* n = e.FirstChild(); n; n = n->NextSibling())
                if (const tinyxml2::XMLText* t = n->ToText()) css += t->Value();
            if (lower(css).find("@import") != std::string::npos || has_outside_url(css)) return Style;
        }
        return -1;
    }
};

std::string xml_problem(tinyxml2::XMLError e) {
    switch (e) {
        case tinyxml2::XML_ERROR_PARSING_ELEMENT: return "an element is cut short or never closed";
        case tinyxml2::XML_ERROR_PARSING_ATTRIBUTE: return "an attribute is malformed";
        case tinyxml2::XML_ERROR_PARSING_TEXT: return "text or an entity is malformed";
        case tinyxml2::XML_ERROR_PARSING_CDATA: return "a CDATA section is never closed";
        case tinyxml2::XML_ERROR_PARSING_COMMENT: return "a comment is never closed";
        case tinyxml2::XML_ERROR_MISMATCHED_ELEMENT: return "an end tag does not match its start tag";
        case tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED:
            return "elements nest more than " + std::to_string(TINYXML2_MAX_ELEMENT_DEPTH) + " deep";
        case tinyxml2::XML_ERROR_EMPTY_DOCUMENT: return "it holds no element";
        default: return tinyxml2::XMLDocument::ErrorIDToName(e);
    }
}

// ---- librsvg and cairo ---------------------------------------------------------------

// librsvg and cairo, loaded on the first SVG picture (core/shared_library.hpp says
// why): each function typed by its header, found by name. GLib's two come through
// librsvg, which depends on GLib.
struct Drawing {
    SharedLibrary rsvg{"librsvg-2.so.2", "install the Debian package librsvg2-2, which draws SVG pictures"};
    SharedLibrary cairo{"libcairo.so.2", "install the Debian package libcairo2, which draws SVG pictures"};
    FOLIO_SHARED_FUNCTION(rsvg, rsvg_handle_new_from_data, rsvg_handle_new_from_data);
    FOLIO_SHARED_FUNCTION(rsvg, rsvg_handle_set_dpi, rsvg_handle_set_dpi);
    FOLIO_SHARED_FUNCTION(rsvg, rsvg_handle_render_document, rsvg_handle_render_document);
    FOLIO_SHARED_FUNCTION(rsvg, rsvg_handle_get_intrinsic_size_in_pixels, rsvg_handle_get_intrinsic_size_in_pixels);
    FOLIO_SHARED_FUNCTION(rsvg, rsvg_handle_get_intrinsic_dimensions, rsvg_handle_get_intrinsic_dimensions);
    FOLIO_SHARED_FUNCTION(rsvg, g_error_free, g_error_free);
    FOLIO_SHARED_FUNCTION(rsvg, g_object_unref, g_object_unref);
    FOLIO_SHARED_FUNCTION(cairo, cairo_create, cairo_create);
    FOLIO_SHARED_FUNCTION(cairo, cairo_destroy, cairo_destroy);
    FOLIO_SHARED_FUNCTION(cairo, cairo_image_surface_create, cairo_image_surface_create);
    FOLIO_SHARED_FUNCTION(cairo, cairo_image_surface_get_data, cairo_image_surface_get_data);
    FOLIO_SHARED_FUNCTION(cairo, cairo_image_surface_get_stride, cairo_image_surface_get_stride);
    FOLIO_SHARED_FUNCTION(cairo, cairo_pdf_surface_create_for_stream, cairo_pdf_surface_create_for_stream);
    FOLIO_SHARED_FUNCTION(cairo, cairo_pdf_surface_restrict_to_version, cairo_pdf_surface_restrict_to_version);
    FOLIO_SHARED_FUNCTION(cairo, cairo_show_page, cairo_show_page);
    FOLIO_SHARED_FUNCTION(cairo, cairo_status_to_string, cairo_status_to_string);
    FOLIO_SHARED_FUNCTION(cairo, cairo_surface_destroy, cairo_surface_destroy);
    FOLIO_SHARED_FUNCTION(cairo, cairo_surface_finish, cairo_surface_finish);
    FOLIO_SHARED_FUNCTION(cairo, cairo_surface_flush, cairo_surface_flush);
    FOLIO_SHARED_FUNCTION(cairo, cairo_surface_status, cairo_surface_status);
};

// The libraries, loaded once (a load that failed is tried again by the next picture).
const Drawing& drawing() {
    static const Drawing d;
    return d;
}

struct GErrorFree {
    void operator()(GError* e) const { drawing().g_error_free(e); }
};
struct HandleUnref {
    void operator()(RsvgHandle* h) const { drawing().g_object_unref(h); }
};
struct SurfaceDestroy {
    void operator()(cairo_surface_t* s) const { drawing().cairo_surface_destroy(s); }
};
struct ContextDestroy {
    void operator()(cairo_t* c) const { drawing().cairo_destroy(c); }
};
using Handle = std::unique_ptr<RsvgHandle, HandleUnref>;
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using Context = std::unique_ptr<cairo_t, ContextDestroy>;

std::string message_of(GError* error) {
    std::unique_ptr<GError, GErrorFree> owned(error);
    return owned && owned->message ? owned->message : "librsvg cannot read it";
}

// Loaded from memory with no base file: librsvg then reads nothing but these bytes.
Handle load(std::string_view svg, const std::string& name, const SourceLocation& where) {
    try {
        drawing();
    } catch (const Error& e) {
        throw Error("image '" + name + "' cannot be read: " + e.message(), where, e.hint());
    }
    GError* error = nullptr;
    Handle h(drawing().rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
    if (!h)
        throw Error("image '" + name + "' cannot be read: " + message_of(error), where,
                    "open it in an SVG editor such as Inkscape and save it again as plain SVG");
    drawing().rsvg_handle_set_dpi(h.get(), 96);  // CSS: 96 pixels to the inch
    return h;
}

double css_pixels(const RsvgLength& l) {
    switch (l.unit) {
        case RSVG_UNIT_PX: return l.length;
        case RSVG_UNIT_IN: return l.length * 96;
        case RSVG_UNIT_CM: return l.length * 96 / 2.54;
        case RSVG_UNIT_MM: return l.length * 96 / 25.4;
        case RSVG_UNIT_PT: return l.length * 96 / 72;
        case RSVG_UNIT_PC: return l.length * 16;
        case RSVG_UNIT_EM: return l.length * 16;  // the initial font size
        case RSVG_UNIT_EX: return l.length * 8;
        default: return 0;  // a percentage: of a container the picture does not have
    }
}

void render(RsvgHandle* h, cairo_t* cr, double width, double height, const std::string& name) {
    const RsvgRectangle viewport{0, 0, width, height};
    GError* error = nullptr;
    if (!drawing().rsvg_handle_render_document(h, cr, &viewport, &error))
        throw Error("image '" + name + "' cannot be drawn: " + message_of(error), {name});
}

}  // namespace

namespace detail {

SvgSize svg_size(std::string_view svg, const std::string& name, const SourceLocation& where) {
    const Handle h = load(svg, name, where);
    SvgSize s;
    if (!drawing().rsvg_handle_get_intrinsic_size_in_pixels(h.get(), &s.width, &s.height)) s = {};
    if (!(s.width > 0 && s.height > 0)) {
        gboolean has_width = false, has_height = false, has_viewbox = false;
        RsvgLength width{}, height{};
        RsvgRectangle viewbox{};
        drawing().rsvg_handle_get_intrinsic_dimensions(h.get(), &has_width, &width, &has_height, &height, &has_viewbox, &viewbox);
        s.width = has_width ? css_pixels(width) : 0;
        s.height = has_height ? css_pixels(height) : 0;
        if (has_viewbox && viewbox.width > 0 && viewbox.height > 0) {
            if (s.width > 0 && !(s.height > 0)) {
                s.height = s.width * viewbox.height / viewbox.width;
            } else if (s.height > 0 && !(s.width > 0)) {
                s.width = s.height * viewbox.width / viewbox.height;
            } else if (!(s.width > 0)) {
                s.width = viewbox.width, s.height = viewbox.height;
            }
        }
        // What a browser gives a replaced element of no size of its own (CSS 2 §10.3.2).
        if (!(s.width > 0)) s.width = 300;
        if (!(s.height > 0)) s.height = 150;
    }
    // Whole pixels, at least one, at most a million (the facts are ints).
    s.width = std::clamp(std::round(s.width), 1.0, 1e6);
    s.height = std::clamp(std::round(s.height), 1.0, 1e6);
    return s;
}

}  // namespace detail

SanitizedSvg sanitize_svg(std::string_view svg, const std::string& name, const SourceLocation& where) {
    const std::string hint = "open it in an SVG editor such as Inkscape and save it again as plain SVG";
    const std::optional<std::size_t> root = detail::xml_root(svg);
    if (!root) throw Error("image '" + name + "' is not an SVG picture: no root element", where, hint);
    tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
    doc.Parse(svg.data() + *root, svg.size() - *root);
    if (doc.Error()) {
        const auto line = std::count(svg.begin(), svg.begin() + static_cast<std::ptrdiff_t>(*root), '\n') +
                          doc.ErrorLineNum();
        throw Error("image '" + name + "' is not well-formed XML: " + xml_problem(doc.ErrorID()) + " (line " +
                        std::to_string(line) + " of the picture)",
                    where, hint);
    }
    tinyxml2::XMLElement* e = doc.RootElement();
    if (!e || local_name(e->Name()) != "svg")
        throw Error("image '" + name + "' is not an SVG picture: its root element is not <svg>", where, hint);
    // An <svg> written inline in HTML needs no namespace (HTML's parser gives it
    // one); as a file of its own it must declare it, or readers and epubcheck take
    // its elements for no SVG at all.
    if (!e->Attribute("xmlns")) e->SetAttribute("xmlns", "http://www.w3.org/2000/svg");
    Cleaner cleaner;
    cleaner.element(e);
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    e->Accept(&printer);
    SanitizedSvg out;
    out.xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out.xml.append(printer.CStr(), static_cast<std::size_t>(printer.CStrSize() - 1));
    out.xml += '\n';
    out.removed = cleaner.removed();
    return out;
}

Pixels rasterize_svg(const doc::Resource& r, double width_pt, double height_pt, double ppi) {
    const double w = std::ceil(width_pt / 72 * ppi), h = std::ceil(height_pt / 72 * ppi);
    if (!(w >= 1 && h >= 1) || w * h > static_cast<double>(doc::kMaxImagePixels))
        throw Error("image '" + r.path + "' cannot be drawn at " + std::to_string(static_cast<long long>(w)) + " x " +
                        std::to_string(static_cast<long long>(h)) + " pixels",
                    {r.path});
    const int pw = static_cast<int>(w), ph = static_cast<int>(h);
    const Handle handle = load(r.bytes, r.path, {r.path});
    const Surface surface(drawing().cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph));
    if (drawing().cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw Error("image '" + r.path + "' cannot be drawn: out of memory", {r.path});
    {
        const Context cr(drawing().cairo_create(surface.get()));
        render(handle.get(), cr.get(), pw, ph, r.path);
    }
    drawing().cairo_surface_flush(surface.get());
    // cairo's ARGB32 is premultiplied, one native-endian 32-bit word a pixel.
    const unsigned char* data = drawing().cairo_image_surface_get_data(surface.get());
    const int stride = drawing().cairo_image_surface_get_stride(surface.get());
    Pixels p;
    p.width = pw;
    p.height = ph;
    p.channels = 4;
    p.data.resize(static_cast<std::size_t>(pw) * static_cast<std::size_t>(ph) * 4);
    for (int y = 0; y < ph; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        for (int x = 0; x < pw; ++x) {
            const std::uint32_t v = row[x];
            const unsigned a = v >> 24;
            const auto un = [&](unsigned c) { return a == 0 ? 0u : std::min(255u, (c * 255 + a / 2) / a); };
            char* out = p.data.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(pw) + x) * 4;
            out[0] = static_cast<char>(un((v >> 16) & 0xFF));
            out[1] = static_cast<char>(un((v >> 8) & 0xFF));
            out[2] = static_cast<char>(un(v & 0xFF));
            out[3] = static_cast<char>(a);
        }
    }
    return p;
}

std::string svg_to_pdf(const doc::Resource& r) {
    constexpr double kLargestPage = 14400;  // points: 200 in, the most PDF readers show (PDF 1.7, Annex C)
    double w = r.width * 0.75, h = r.height * 0.75;
    if (const double over = std::max(w, h) / kLargestPage; over > 1) w /= over, h /= over;
    const Handle handle = load(r.bytes, r.path, {r.path});
    std::string out;
    const cairo_write_func_t write = [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
    };
    const Surface surface(drawing().cairo_pdf_surface_create_for_stream(write, &out, w, h));
    drawing().cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_4);
    {
        const Context cr(drawing().cairo_create(surface.get()));
        render(handle.get(), cr.get(), w, h, r.path);
        drawing().cairo_show_page(cr.get());
    }
    drawing().cairo_surface_finish(surface.get());
    if (drawing().cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw Error("image '" + r.path + "' cannot be drawn: " + drawing().cairo_status_to_string(drawing().cairo_surface_status(surface.get())),
                    {r.path});
    return out;
}

}  // namespace folio::pictures
