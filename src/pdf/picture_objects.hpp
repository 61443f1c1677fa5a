// The PDF objects of the book's pictures, for write_pdf. Pixels and vector drawing
// come from folio::pictures; this file only writes them as PDF, with PoDoFo 0.9.8.
#pragma once

#include "doc/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace PoDoFo {
class PdfMemDocument;
class PdfObject;
}  // namespace PoDoFo

namespace folio::pdf {

struct PictureObject {
    PoDoFo::PdfObject* object = nullptr;
    // A Form XObject's box, in its own units; 0 for an image XObject (whose unit
    // square a page scales to the placed size).
    double form_width = 0, form_height = 0;
};

// Which PDF a picture is for: the reading PDF takes colour, transparency and PDF 1.4
// drawing; the print interior (PDF/X-1a:2001, PDF 1.3) takes 8-bit DeviceGray only.
enum class Target { Reading, Print };

// A raster picture as an image XObject. Reading: a JPEG passed through as it is
// (DCTDecode), any other picture 8-bit RGB or gray, Flate-compressed, with an /SMask
// for its transparency. Print: 8-bit gray, any transparency flattened onto white.
// Throws folio::Error naming the picture (the caller adds where the book shows it).
PictureObject raster_picture(PoDoFo::PdfMemDocument& doc, const doc::Resource& picture, Target target);

// An SVG picture drawn as vector: librsvg and cairo draw it into a one-page PDF,
// whose page becomes a Form XObject here (its content, and the objects its resources
// reach, copied). Print: the form is kept when it paints in solid colours only,
// which gray_content() turns to gray; otherwise the picture is rasterised in gray at
// 300 ppi for its largest placed size (width_pt x height_pt), as a press needs.
PictureObject svg_picture(PoDoFo::PdfMemDocument& doc, const doc::Resource& picture, Target target,
                          double width_pt, double height_pt);

// A content stream that paints in solid colours only, with its colour operators
// (rg RG k K, sc SC scn SCN in DeviceRGB or DeviceCMYK, and cs CS naming those spaces)
// turned into DeviceGray (Rec. 601 luma); nullopt when it shades (sh), paints an
// image or another XObject (BI, Do), or uses a colour space by name (a pattern, an
// ICC space), which gray operators cannot stand for.
std::optional<std::string> gray_content(std::string_view content);

}  // namespace folio::pdf
