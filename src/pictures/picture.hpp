// The one picture reader (DESIGN §3): PNG, JPEG, GIF, WebP and SVG. The book loader
// reads every picture here once, into a doc::Resource whose facts (format, size,
// resolution) the typesetter and the preflight read; the PDF writer asks here for
// pixels or vector drawing. Nothing else opens or parses a picture.
//
// The kinds are told apart by their bytes, never by the file name. Decoders: stb_image
// (PNG, JPEG, GIF), libwebp (WebP), librsvg through cairo (SVG); tinyxml2 reads an SVG
// to sanitise it. Written here only what none of them does: reading the resolution a
// PNG, JPEG or GIF states, and checking that a GIF's first frame is complete.
#pragma once

#include "core/diagnostics.hpp"
#include "core/error.hpp"
#include "doc/model.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace folio::pictures {

// The format of `bytes`, from their first bytes (an SVG: an XML document whose root
// element is <svg>, after any byte-order mark, XML declaration, comments or
// doctype); nullopt for anything else.
std::optional<doc::PictureFormat> sniff(std::string_view bytes);

// The media type a writer declares for a format: "image/png" … "image/svg+xml".
const char* media_type(doc::PictureFormat format);

// Reads one picture from its bytes, once: sniffs its format; reads its size from
// its header and refuses one of more than doc::kMaxImagePixels before any pixel is
// decoded; decodes it once to prove it can be (a raster) or parses and sanitises it
// (an SVG, whose Resource then holds the sanitised bytes; what was removed is one
// warning at `where`). `path` is the book-relative path the Resource takes.
// Throws folio::Error at `where`, with a hint, for a picture no reader could show:
// empty, of another kind, corrupt or truncated, too large, or an SVG that is not
// well-formed XML.
doc::Resource read_picture(std::string path, std::string bytes, const SourceLocation& where,
                           Diagnostics& diagnostics);

// ---- SVG -----------------------------------------------------------------------------

// An SVG made safe to carry in a book: no script, foreignObject or event handler
// (on* attributes), no reference to anything outside the picture (an href that is not
// a local #fragment, data: included; a <style> with @import or a url() that is not
// #…; any other attribute with such a url()), no processing instruction or doctype.
// Everything else is kept.
struct SanitizedSvg {
    std::string xml;                   // the picture re-serialised, with an XML declaration
    std::vector<std::string> removed;  // what went, e.g. "2 script elements", in a stable order
};

// Throws folio::Error at `where` when `svg` is not a well-formed XML document whose
// root element is <svg>. `name` names the picture in the message.
SanitizedSvg sanitize_svg(std::string_view svg, const std::string& name, const SourceLocation& where);

// ---- pixels and drawing (for the PDF writer) -------------------------------------------

// 8-bit pixels, rows top to bottom, without padding.
struct Pixels {
    int width = 0, height = 0;
    int channels = 0;  // 1 gray, 2 gray and alpha, 3 RGB, 4 RGBA (alpha not premultiplied)
    std::string data;  // width * height * channels bytes
    bool has_alpha() const { return channels == 2 || channels == 4; }
};

// The pixels of a raster picture (a GIF's first frame). Throws folio::Error naming
// the picture when they cannot be read (read_picture has already checked that they
// can, so this is for a Resource made by hand).
Pixels decode(const doc::Resource& picture);

// The pixels as a PNG file (no filter, DEFLATE at `level`, 1-12): a stand-in in a
// format every reader shows, e.g. for a WebP in an EPUB 3.2 reader, or a proof page.
std::string encode_png(const Pixels& pixels, int level = 9);

// An SVG drawn into pixels (RGBA) for a place of width_pt x height_pt points at
// `ppi` pixels to the inch. Throws folio::Error.
Pixels rasterize_svg(const doc::Resource& picture, double width_pt, double height_pt, double ppi);

// An SVG drawn as vector onto one page of its intrinsic size (1 CSS pixel = 0.75 pt;
// a picture larger than 14,400 pt, the largest page PDF readers show, is scaled down
// to fit), returned as the bytes of a PDF document: the PDF writer imports that page
// as a Form XObject. Throws folio::Error.
std::string svg_to_pdf(const doc::Resource& picture);

// ---- fetched copies of remote pictures ------------------------------------------------

// Where `folio fetch` keeps its copy of the picture at `url`, as a book-relative path:
// fetched/<the first 16 hex digits of the SHA-1 of the URL, as written><any extension>
// (the command that fetches writes these files; the build never touches the
// network). nullopt when there is no such file.
std::optional<std::string> fetched_copy(const std::filesystem::path& book_root, std::string_view url);

}  // namespace folio::pictures
