// read_picture(): a picture's bytes -> a checked doc::Resource. The size comes from
// the header (stb_image, libwebp, librsvg), the pixels are decoded once to prove
// they can be, and the resolution a file states is read here: no library folio uses
// reports a PNG's pHYs chunk or a JPEG's JFIF or EXIF density.
#include "pictures/picture.hpp"

#include "core/text.hpp"
#include "pictures/detail.hpp"

#include <stb_image.h>
#include <webp/decode.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace folio::pictures {

namespace {

const std::string kRetryHint = "open it in an image editor and save it again as PNG or JPEG";

bool starts_with(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

std::uint32_t be32(std::string_view b, std::size_t i) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 3]));
}

unsigned byte(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }

[[noreturn]] void unreadable(const std::string& name, const std::string& why, const SourceLocation& where) {
    throw Error("image '" + name + "' cannot be read: " + why, where, kRetryHint);
}

// ---- stated resolution ---------------------------------------------------------------

// PNG: the pHYs chunk, when its unit is the metre (unit 0 gives an aspect ratio only).
double png_ppi(std::string_view b) {
    for (std::size_t at = 8; at + 12 <= b.size();) {
        const std::uint32_t length = be32(b, at);
        const std::string_view type = b.substr(at + 4, 4);
        if (type == "IDAT" || type == "IEND" || length > b.size() - at - 12) break;
        if (type == "pHYs" && length >= 9 && byte(b, at + 16) == 1) return be32(b, at + 8) * 0.0254;
        at += 12 + length;
    }
    return 0;
}

// An EXIF block (after "Exif\0\0"): XResolution and ResolutionUnit of IFD0 (TIFF 6.0
// §8, tags 282 and 296; the unit is the inch unless it says centimetre).
double exif_ppi(std::string_view tiff) {
    if (tiff.size() < 8) return 0;
    const bool little = starts_with(tiff, "II");
    if (!little && !starts_with(tiff, "MM")) return 0;
    auto u16 = [&](std::size_t i) -> std::uint32_t {
        if (i + 2 > tiff.size()) return 0;
        return little ? byte(tiff, i) | byte(tiff, i + 1) << 8 : byte(tiff, i) << 8 | byte(tiff, i + 1);
    };
    auto u32 = [&](std::size_t i) -> std::uint32_t {
        if (i + 4 > tiff.size()) return 0;
        return little ? u16(i) | u16(i + 2) << 16 : u16(i) << 16 | u16(i + 2);
    };
    const std::size_t ifd = u32(4);
    const std::uint32_t entries = u16(ifd);
    double resolution = 0;
    bool per_cm = false;
    for (std::uint32_t k = 0; k < entries && k < 512; ++k) {
        const std::size_t e = ifd + 2 + 12 * static_cast<std::size_t>(k);
        if (e + 12 > tiff.size()) break;
        const std::uint32_t tag = u16(e), type = u16(e + 2);
        if (tag == 282 && type == 5) {  // XResolution, a RATIONAL at an offset
            const std::size_t at = u32(e + 8);
            const std::uint32_t num = u32(at), den = u32(at + 4);
            if (den != 0) resolution = static_cast<double>(num) / den;
        } else if (tag == 296 && type == 3) {  // ResolutionUnit, a SHORT in place
            per_cm = u16(e + 8) == 3;
        }
    }
    return per_cm ? resolution * 2.54 : resolution;
}

// JPEG: the JFIF density (APP0) when it is in dots per inch or centimetre, else the
// EXIF resolution (APP1). Markers are walked up to the first scan.
double jpeg_ppi(std::string_view b) {
    double exif = 0;
    for (std::size_t at = 2; at + 4 <= b.size();) {
        if (byte(b, at) != 0xFF) break;
        const unsigned marker = byte(b, at + 1);
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            at += 2;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9) break;
        const std::size_t length = byte(b, at + 2) << 8 | byte(b, at + 3);
        if (length < 2 || at + 2 + length > b.size()) break;
        const std::string_view segment = b.substr(at + 4, length - 2);
        if (marker == 0xE0 && starts_with(segment, std::string_view("JFIF\0", 5)) && segment.size() >= 12) {
            const unsigned units = byte(segment, 7);
            const double x = byte(segment, 8) << 8 | byte(segment, 9);
            if (units == 1) return x;
            if (units == 2) return x * 2.54;
        } else if (marker == 0xE1 && starts_with(segment, std::string_view("Exif\0\0", 6)) && exif == 0) {
            exif = exif_ppi(segment.substr(6));
        }
        at += 2 + length;
    }
    return exif;
}

// ---- GIF -----------------------------------------------------------------------------

// Whether a GIF's first image is complete, from its block structure (GIF89a, §§17-24):
// stb_image reads past the end of a cut-short GIF as zeros and gives a picture of
// whatever it made of them, so it cannot tell.
// How many of a GIF's images are complete, counted up to `enough`.
int gif_frames(std::string_view b, int enough);

bool gif_first_frame_complete(std::string_view b) { return gif_frames(b, 1) >= 1; }

int gif_frames(std::string_view b, int enough) {
    int frames = 0;
    if (b.size() < 13) return frames;
    std::size_t at = 13;
    if (byte(b, 10) & 0x80) at += 3u << ((byte(b, 10) & 7) + 1);  // the global colour table
    auto sub_blocks = [&]() {
        while (at < b.size()) {
            const std::size_t length = byte(b, at++);
            if (length == 0) return true;
            at += length;
        }
        return false;
    };
    while (at < b.size()) {
        const unsigned kind = byte(b, at++);
        if (kind == 0x21) {  // an extension: its label, then data sub-blocks
            if (++at > b.size() || !sub_blocks()) return frames;
        } else if (kind == 0x2C) {  // an image: descriptor, local colour table, LZW code size, data
            if (at + 9 > b.size()) return frames;
            const unsigned flags = byte(b, at + 8);
            at += 9;
            if (flags & 0x80) at += 3u << ((flags & 7) + 1);
            if (++at > b.size() || !sub_blocks()) return frames;
            if (++frames >= enough) return frames;
        } else {
            return frames;  // the trailer, or not a block at all
        }
    }
    return frames;
}

// ---- WebP ----------------------------------------------------------------------------

std::string webp_status(VP8StatusCode status) {
    switch (status) {
        case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
        case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
        case VP8_STATUS_BITSTREAM_ERROR: return "its data is corrupt";
        case VP8_STATUS_UNSUPPORTED_FEATURE: return "it uses a feature libwebp does not support";
        case VP8_STATUS_NOT_ENOUGH_DATA: return "it is cut short";
        default: return "libwebp cannot decode it";
    }
}

}  // namespace

namespace detail {

Size raster_size(doc::PictureFormat format, std::string_view bytes, const std::string& name,
                 const SourceLocation& where) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error("image '" + name + "' is larger than 2 GB", where, "scale it down");
    if (format == doc::PictureFormat::WebP) {
        WebPBitstreamFeatures features;
        const VP8StatusCode status =
            WebPGetFeatures(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &features);
        if (status != VP8_STATUS_OK) unreadable(name, webp_status(status), where);
        return {features.width, features.height};
    }
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &w,
                               &h, &channels))
        unreadable(name, stbi_failure_reason(), where);
    return {w, h};
}

}  // namespace detail

std::optional<doc::PictureFormat> sniff(std::string_view b) {
    if (starts_with(b, "\x89PNG\r\n\x1a\n")) return doc::PictureFormat::Png;
    if (starts_with(b, "\xFF\xD8\xFF")) return doc::PictureFormat::Jpeg;
    if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return doc::PictureFormat::Gif;
    if (b.size() >= 12 && starts_with(b, "RIFF") && b.substr(8, 4) == "WEBP") return doc::PictureFormat::WebP;
    if (const auto root = detail::xml_root(b)) {
        const std::string_view name = detail::element_name(b, *root);
        if (name == "svg" || (name.size() > 4 && name.substr(name.size() - 4) == ":svg")) return doc::PictureFormat::Svg;
    }
    return std::nullopt;
}

const char* media_type(doc::PictureFormat format) {
    switch (format) {
        case doc::PictureFormat::Png: return "image/png";
        case doc::PictureFormat::Jpeg: return "image/jpeg";
        case doc::PictureFormat::Gif: return "image/gif";
        case doc::PictureFormat::WebP: return "image/webp";
        case doc::PictureFormat::Svg: return "image/svg+xml";
    }
    return "";
}

doc::Resource read_picture(std::string path, std::string bytes, const SourceLocation& where,
                           Diagnostics& diagnostics) {
    const std::string name = path;
    if (bytes.empty())
        throw Error("image '" + name + "' is empty", where, "the file has no bytes: copy or save the picture again");
    const std::optional<doc::PictureFormat> format = sniff(bytes);
    if (!format)
        throw Error("'" + name + "' is not a PNG, JPEG, GIF, WebP or SVG picture", where,
                    "convert it to PNG or JPEG (folio reads the kind from the file's bytes, not its name)");
    doc::Resource r;
    r.path = std::move(path);
    r.format = *format;
    r.media_type = media_type(*format);

    if (*format == doc::PictureFormat::Svg) {
        SanitizedSvg clean = sanitize_svg(bytes, name, where);
        if (!clean.removed.empty())
            diagnostics.warn_change(where, "SVG picture '" + name + "': removed " + text::join(clean.removed, ", "),
                             "a book carries no script and no reference to files or addresses outside the picture");
        const detail::SvgSize size = detail::svg_size(clean.xml, name, where);
        r.width = static_cast<int>(std::lround(size.width));
        r.height = static_cast<int>(std::lround(size.height));
        r.bytes = std::move(clean.xml);
        return r;
    }

    // Sized before decoding: a PNG of a few hundred bytes can claim 30,000 x 30,000
    // pixels, 3.6 GB once decoded.
    const detail::Size size = detail::raster_size(*format, bytes, name, where);
    if (size.width <= 0 || size.height <= 0) unreadable(name, "it has no pixels", where);
    if (size.width * size.height > doc::kMaxImagePixels)
        throw Error("image '" + name + "' is " + std::to_string(size.width) + " x " + std::to_string(size.height) +
                        " pixels, more than " + std::to_string(doc::kMaxImagePixels / 1'000'000) + " million",
                    where, "scale it down: 300 pixels to the inch of the printed size are enough");
    if (*format == doc::PictureFormat::Gif && !gif_first_frame_complete(bytes))
        unreadable(name, "its first frame is cut short or damaged", where);
    r.width = static_cast<int>(size.width);
    r.height = static_cast<int>(size.height);
    r.bytes = std::move(bytes);
    try {
        decode(r);  // once, to prove it can be
    } catch (const Error& e) {
        throw Error(e.message(), where, kRetryHint);
    }
    if (*format == doc::PictureFormat::Gif) r.animated = gif_frames(r.bytes, 2) >= 2;
    if (*format == doc::PictureFormat::WebP) {
        WebPBitstreamFeatures features;
        r.animated = WebPGetFeatures(reinterpret_cast<const std::uint8_t*>(r.bytes.data()), r.bytes.size(), &features) ==
                         VP8_STATUS_OK &&
                     features.has_animation;
    }
    if (*format == doc::PictureFormat::Png) r.ppi = png_ppi(r.bytes);
    if (*format == doc::PictureFormat::Jpeg) r.ppi = jpeg_ppi(r.bytes);
    return r;
}

}  // namespace folio::pictures
