// decode(): a raster picture's pixels, 8 bits a channel. stb_image decodes PNG,
// JPEG and GIF (the first frame); libwebp decodes WebP (libwebpdemux the first
// frame of an animated one).
#include "pictures/picture.hpp"

#include "core/compress.hpp"
#include "pictures/detail.hpp"

#include <stb_image.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace folio::pictures {

namespace {

[[noreturn]] void unreadable(const doc::Resource& r, const std::string& why) {
    throw Error("image '" + r.path + "' cannot be read: " + why, {r.path});
}

Pixels decode_webp(const doc::Resource& r) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(r.bytes.data());
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(data, r.bytes.size(), &features) != VP8_STATUS_OK) unreadable(r, "its header is damaged");
    Pixels p;
    p.width = features.width;
    p.height = features.height;
    if (features.has_animation) {
        // The first frame, composed on the canvas as a browser shows it before it moves.
        const WebPData webp{data, r.bytes.size()};
        WebPAnimDecoderOptions options;
        if (!WebPAnimDecoderOptionsInit(&options)) unreadable(r, "libwebp cannot decode it");
        options.color_mode = MODE_RGBA;
        options.use_threads = 0;
        std::unique_ptr<WebPAnimDecoder, void (*)(WebPAnimDecoder*)> decoder(WebPAnimDecoderNew(&webp, &options),
                                                                             WebPAnimDecoderDelete);
        WebPAnimInfo info;
        std::uint8_t* frame = nullptr;
        int timestamp = 0;
        if (!decoder || !WebPAnimDecoderGetInfo(decoder.get(), &info) ||
            !WebPAnimDecoderGetNext(decoder.get(), &frame, &timestamp) || !frame)
            unreadable(r, "its first frame cannot be decoded");
        p.width = static_cast<int>(info.canvas_width);
        p.height = static_cast<int>(info.canvas_height);
        p.channels = 4;
        p.data.assign(reinterpret_cast<const char*>(frame), static_cast<std::size_t>(p.width) * p.height * 4);
        return p;
    }
    p.channels = features.has_alpha ? 4 : 3;
    p.data.resize(static_cast<std::size_t>(p.width) * p.height * static_cast<std::size_t>(p.channels));
    auto* out = reinterpret_cast<std::uint8_t*>(p.data.data());
    const int stride = p.width * p.channels;
    const std::uint8_t* ok = features.has_alpha
                                 ? WebPDecodeRGBAInto(data, r.bytes.size(), out, p.data.size(), stride)
                                 : WebPDecodeRGBInto(data, r.bytes.size(), out, p.data.size(), stride);
    if (!ok) unreadable(r, "its data is corrupt or cut short");
    return p;
}

}  // namespace

Pixels decode(const doc::Resource& r) {
    if (r.vector()) throw Error("image '" + r.path + "' is an SVG picture: it is drawn, not decoded", {r.path});
    // Sized again before decoding, for a Resource made by hand.
    const detail::Size size = detail::raster_size(r.format, r.bytes, r.path, {r.path});
    if (size.width <= 0 || size.height <= 0 || size.width * size.height > doc::kMaxImagePixels)
        unreadable(r, std::to_string(size.width) + " x " + std::to_string(size.height) + " pixels is out of bounds");
    if (r.format == doc::PictureFormat::WebP) return decode_webp(r);
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(r.bytes.data()), static_cast<int>(r.bytes.size()), &w,
                              &h, &channels, 0),
        stbi_image_free);
    if (!pixels) unreadable(r, stbi_failure_reason());
    // A GIF comes as RGBA whatever it holds (stb_image's choice for every frame).
    Pixels p;
    p.width = w;
    p.height = h;
    p.channels = channels;
    p.data.assign(reinterpret_cast<const char*>(pixels.get()),
                  static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * static_cast<std::size_t>(channels));
    return p;
}

std::string encode_png(const Pixels& p, int level) {
    // PNG (ISO/IEC 15948): signature, IHDR, one IDAT, IEND; each chunk with its CRC.
    auto chunk = [](std::string& out, std::string_view type, std::string_view data) {
        auto be32 = [&](std::uint32_t v) {
            for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
        };
        be32(static_cast<std::uint32_t>(data.size()));
        const std::size_t from = out.size();
        out.append(type);
        out.append(data);
        be32(compress::crc32(std::string_view(out).substr(from)));
    };
    static constexpr char kColourType[] = {0, 0, 4, 2, 6};  // by channels: gray, gray+alpha, RGB, RGBA
    std::string header;
    for (std::uint32_t v : {static_cast<std::uint32_t>(p.width), static_cast<std::uint32_t>(p.height)})
        for (int shift = 24; shift >= 0; shift -= 8) header += static_cast<char>((v >> shift) & 0xFF);
    header += '\x08';
    header += kColourType[std::clamp(p.channels, 1, 4)];
    header.append(3, '\0');  // deflate, adaptive filtering, no interlace
    const std::size_t row = static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.channels);
    std::string raw;
    raw.reserve((row + 1) * static_cast<std::size_t>(p.height));
    for (int y = 0; y < p.height; ++y) {
        raw += '\0';  // filter type 0: the row as it is
        raw.append(p.data, static_cast<std::size_t>(y) * row, row);
    }
    std::string out("\x89PNG\r\n\x1a\n", 8);
    chunk(out, "IHDR", header);
    chunk(out, "IDAT", compress::zlib(raw, level));
    chunk(out, "IEND", {});
    return out;
}

}  // namespace folio::pictures
