// Shared by the files of src/pictures only.
#pragma once

#include "core/error.hpp"
#include "doc/model.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace folio::pictures::detail {

// Where the root element of an XML document starts ('<'), after a byte-order mark,
// white space, the XML declaration, processing instructions, comments and a doctype
// (with its internal subset); nullopt when something else comes first.
std::optional<std::size_t> xml_root(std::string_view bytes);

// The root element's name at `at` ("svg", "svg:svg").
std::string_view element_name(std::string_view bytes, std::size_t at);

// A picture's size in pixels as its header states it, without decoding any pixel.
// Throws Error("image '…' cannot be read: …") at `where`.
struct Size {
    long long width = 0, height = 0;
};
Size raster_size(doc::PictureFormat format, std::string_view bytes, const std::string& name,
                 const SourceLocation& where);

// The intrinsic size of an (already sanitised) SVG in CSS pixels, as a browser takes
// it: from its width and height, else from its viewBox, else 300 x 150. Loading it
// with librsvg also proves that librsvg can read it. Throws Error at `where`.
struct SvgSize {
    double width = 0, height = 0;
};
SvgSize svg_size(std::string_view svg, const std::string& name, const SourceLocation& where);

}  // namespace folio::pictures::detail
