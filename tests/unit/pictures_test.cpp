// The one picture reader (src/pictures) on pictures made here, byte by byte: each
// format's kind, size and stated resolution; damaged pictures as located errors;
// the SVG sanitiser; pixels, rasterised and vector SVG; fetched copies.
#include "core/compress.hpp"
#include "core/hash.hpp"
#include "pdf/picture_objects.hpp"
#include "pictures/picture.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <webp/encode.h>

#include <cmath>
#include <cstdint>

namespace folio {
namespace {

namespace fs = std::filesystem;

const SourceLocation kWhere{"book/articles/a.md", 3, 5};

// ---- pictures made here ----------------------------------------------------------------

void be32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

std::string png_chunk(const std::string& type, const std::string& data) {
    std::string out;
    be32(out, static_cast<std::uint32_t>(data.size()));
    out += type + data;
    be32(out, compress::crc32(type + data));
    return out;
}

// An RGBA PNG whose pixel (x, y) is colour(x, y), with a pHYs chunk when ppi > 0.
template <class F> std::string png(int w, int h, F colour, double ppi = 0) {
    pictures::Pixels p;
    p.width = w, p.height = h, p.channels = 4;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::uint32_t c = colour(x, y);  // 0xRRGGBBAA
            for (int shift = 24; shift >= 0; shift -= 8) p.data += static_cast<char>((c >> shift) & 0xFF);
        }
    std::string out = pictures::encode_png(p);
    if (ppi > 0) {
        std::string phys;
        const auto per_metre = static_cast<std::uint32_t>(std::lround(ppi / 0.0254));
        be32(phys, per_metre);
        be32(phys, per_metre);
        phys += '\x01';
        out.insert(8 + 25, png_chunk("pHYs", phys));  // after the signature and IHDR
    }
    return out;
}

std::string gray_png(int w, int h, double ppi = 0) {
    return png(w, h, [](int, int) { return 0x808080FFu; }, ppi);
}

// A JPEG (stb_image_write), its JFIF density set to `density` in `units` (0: none,
// 1: per inch, 2: per centimetre).
std::string jpeg(int w, int h, int units = 0, int density = 1) {
    std::string out;
    std::string rgb(static_cast<std::size_t>(w * h * 3), '\x60');
    stbi_write_jpg_to_func([](void* ctx, void* data, int size) {
        static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
    }, &out, w, h, 3, rgb.data(), 90);
    EXPECT_EQ(out.substr(6, 5), std::string("JFIF\0", 5));
    out[13] = static_cast<char>(units);
    out[14] = out[16] = static_cast<char>(density >> 8);
    out[15] = out[17] = static_cast<char>(density & 0xFF);
    return out;
}

// The same with an EXIF block stating `ppi` per inch (TIFF, little-endian: IFD0 with
// XResolution as a rational and ResolutionUnit 2), and no JFIF density.
std::string jpeg_with_exif(int w, int h, std::uint32_t ppi) {
    std::string tiff("II\x2a\x00\x08\x00\x00\x00", 8);
    auto le16 = [&](std::uint32_t v) { tiff += static_cast<char>(v & 0xFF), tiff += static_cast<char>(v >> 8); };
    auto le32 = [&](std::uint32_t v) { le16(v & 0xFFFF), le16(v >> 16); };
    le16(2);                              // two entries
    le16(282), le16(5), le32(1), le32(38);  // XResolution: a RATIONAL at offset 38
    le16(296), le16(3), le32(1), le16(2), le16(0);  // ResolutionUnit: inches
    le32(0);                              // no next IFD
    le32(ppi), le32(1);                   // at 38: ppi / 1
    const std::string exif = std::string("Exif\0\0", 6) + tiff;
    std::string segment("\xFF\xE1", 2);
    segment += static_cast<char>((exif.size() + 2) >> 8);
    segment += static_cast<char>((exif.size() + 2) & 0xFF);
    std::string out = jpeg(w, h);
    return out.insert(2, segment + exif);
}

// A GIF89a of one frame, four colours; its LZW codes are all literals (a clear code
// every 126 of them keeps every code 8 bits wide).
std::string gif(int w, int h) {
    std::string out("GIF89a", 6);
    auto le16 = [&](int v) { out += static_cast<char>(v & 0xFF), out += static_cast<char>(v >> 8); };
    le16(w), le16(h);
    out += "\x81";  // a global colour table of four entries
    out += std::string("\0\0", 2);
    out += std::string("\xFF\xFF\xFF\xC8\x28\x28\x28\x78\x28\x1E\x1E\xA0", 12);
    out += "\x2C";
    le16(0), le16(0), le16(w), le16(h);
    out += std::string("\0\x07", 2);
    std::string codes(1, '\x80');
    int literals = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            if (literals == 126) codes += '\x80', literals = 0;
            codes += static_cast<char>((x + y) % 4);
            ++literals;
        }
    codes += '\x81';
    for (std::size_t i = 0; i < codes.size(); i += 255) {
        const std::string block = codes.substr(i, 255);
        out += static_cast<char>(block.size());
        out += block;
    }
    out += std::string("\0\x3B", 2);
    return out;
}

// A lossless WebP (libwebp), left half opaque red, right half transparent.
std::string webp(int w, int h) {
    std::string rgba;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) rgba += x < w / 2 ? std::string("\xC8\x1E\x1E\xFF", 4) : std::string(4, '\0');
    std::uint8_t* out = nullptr;
    const std::size_t size =
        WebPEncodeLosslessRGBA(reinterpret_cast<const std::uint8_t*>(rgba.data()), w, h, w * 4, &out);
    std::string bytes(reinterpret_cast<const char*>(out), size);
    WebPFree(out);
    return bytes;
}

std::string svg(const std::string& attributes, const std::string& body = "<rect width=\"10\" height=\"10\"/>") {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" " + attributes + ">" + body + "</svg>";
}

doc::Resource read(const std::string& name, const std::string& bytes) {
    Diagnostics d;
    return pictures::read_picture(name, bytes, kWhere, d);
}

// The located error read_picture gives, or "" when it reads the picture.
std::string error_of(const std::string& name, const std::string& bytes) {
    try {
        read(name, bytes);
    } catch (const Error& e) {
        return e.format();
    }
    return "";
}

// ---- kinds, sizes and resolutions ------------------------------------------------------

TEST(Pictures, SniffsTheKindFromTheBytesNotTheName) {
    EXPECT_EQ(pictures::sniff(gray_png(2, 2)), doc::PictureFormat::Png);
    EXPECT_EQ(pictures::sniff(jpeg(8, 8)), doc::PictureFormat::Jpeg);
    EXPECT_EQ(pictures::sniff(gif(2, 2)), doc::PictureFormat::Gif);
    EXPECT_EQ(pictures::sniff(webp(2, 2)), doc::PictureFormat::WebP);
    EXPECT_EQ(pictures::sniff(svg("")), doc::PictureFormat::Svg);
    // An SVG after a byte-order mark, the XML declaration, a comment and a doctype
    // with an internal subset (as drawing programs write them).
    EXPECT_EQ(pictures::sniff("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "
                              "\"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [ <!ENTITY ns \"a>b\"> ]>\n" +
                              svg("")),
              doc::PictureFormat::Svg);
    EXPECT_EQ(pictures::sniff("<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>"), doc::PictureFormat::Svg);
    EXPECT_FALSE(pictures::sniff("BM\x36\x00\x00\x00"));  // a BMP
    EXPECT_FALSE(pictures::sniff("<html><svg></svg></html>"));
    EXPECT_FALSE(pictures::sniff("just text"));
    EXPECT_FALSE(pictures::sniff(""));
}

TEST(Pictures, PngSizeAndTheResolutionOfItsPhysChunk) {
    const doc::Resource r = read("images/a.png", gray_png(40, 30, 300));
    EXPECT_EQ(r.path, "images/a.png");
    EXPECT_EQ(r.format, doc::PictureFormat::Png);
    EXPECT_EQ(r.media_type, "image/png");
    EXPECT_EQ(r.width, 40);
    EXPECT_EQ(r.height, 30);
    EXPECT_NEAR(r.ppi, 300, 0.01);
    EXPECT_EQ(read("b.png", gray_png(5, 5)).ppi, 0) << "no pHYs: no stated resolution";
}

TEST(Pictures, JpegSizeAndItsJfifOrExifDensity) {
    doc::Resource r = read("a.jpg", jpeg(24, 16, 1, 72));
    EXPECT_EQ(r.format, doc::PictureFormat::Jpeg);
    EXPECT_EQ(r.media_type, "image/jpeg");
    EXPECT_EQ(r.width, 24);
    EXPECT_EQ(r.height, 16);
    EXPECT_EQ(r.ppi, 72);
    EXPECT_NEAR(read("b.jpg", jpeg(8, 8, 2, 118)).ppi, 299.72, 0.01);  // dots per centimetre
    EXPECT_EQ(read("c.jpg", jpeg(8, 8, 0, 1)).ppi, 0) << "an aspect ratio only";
    EXPECT_EQ(read("d.jpg", jpeg_with_exif(8, 8, 300)).ppi, 300);
}

TEST(Pictures, GifSizeAndItsFirstFramesPixels) {
    const doc::Resource r = read("a.gif", gif(5, 3));
    EXPECT_EQ(r.format, doc::PictureFormat::Gif);
    EXPECT_EQ(r.media_type, "image/gif");
    EXPECT_EQ(r.width, 5);
    EXPECT_EQ(r.height, 3);
    EXPECT_EQ(r.ppi, 0);
    const pictures::Pixels p = pictures::decode(r);
    ASSERT_EQ(p.width, 5);
    ASSERT_EQ(p.height, 3);
    ASSERT_EQ(p.channels, 4);
    // Pixel (1, 0) has colour 1 of the table: 200, 40, 40.
    EXPECT_EQ(static_cast<unsigned char>(p.data[4]), 200);
    EXPECT_EQ(static_cast<unsigned char>(p.data[5]), 40);
    EXPECT_EQ(static_cast<unsigned char>(p.data[0]), 255);  // pixel (0, 0): white
}

TEST(Pictures, WebpSizeAndItsTransparency) {
    const doc::Resource r = read("a.webp", webp(8, 6));
    EXPECT_EQ(r.format, doc::PictureFormat::WebP);
    EXPECT_EQ(r.media_type, "image/webp");
    EXPECT_EQ(r.width, 8);
    EXPECT_EQ(r.height, 6);
    const pictures::Pixels p = pictures::decode(r);
    ASSERT_EQ(p.channels, 4);
    ASSERT_TRUE(p.has_alpha());
    EXPECT_EQ(static_cast<unsigned char>(p.data[0]), 200);
    EXPECT_EQ(static_cast<unsigned char>(p.data[3]), 255);
    EXPECT_EQ(static_cast<unsigned char>(p.data[7 * 4 + 3]), 0);  // pixel (7, 0): transparent
}

TEST(Pictures, SvgSizeFromItsWidthAndHeightElseItsViewBoxElse300By150) {
    const doc::Resource mm = read("a.svg", svg("width=\"80mm\" height=\"50mm\" viewBox=\"0 0 160 100\""));
    EXPECT_EQ(mm.format, doc::PictureFormat::Svg);
    EXPECT_EQ(mm.media_type, "image/svg+xml");
    EXPECT_TRUE(mm.vector());
    EXPECT_EQ(mm.width, 302);  // 80 mm at 96 CSS pixels to the inch
    EXPECT_EQ(mm.height, 189);
    EXPECT_EQ(mm.ppi, 0);
    const doc::Resource pt = read("b.svg", svg("width=\"72pt\" height=\"36pt\""));
    EXPECT_EQ(pt.width, 96);
    EXPECT_EQ(pt.height, 48);
    const doc::Resource box = read("c.svg", svg("viewBox=\"0 0 24 12\""));
    EXPECT_EQ(box.width, 24);
    EXPECT_EQ(box.height, 12);
    const doc::Resource half = read("d.svg", svg("width=\"200\" viewBox=\"0 0 40 10\""));
    EXPECT_EQ(half.width, 200);
    EXPECT_EQ(half.height, 50);
    const doc::Resource none = read("e.svg", svg(""));
    EXPECT_EQ(none.width, 300);
    EXPECT_EQ(none.height, 150);
}

// ---- pictures no reader could show -----------------------------------------------------

TEST(Pictures, EmptyOrOfAnotherKindIsALocatedError) {
    EXPECT_NE(error_of("images/x.png", "").find("book/articles/a.md:3:5: error: image 'images/x.png' is empty"),
              std::string::npos);
    const std::string bmp = error_of("images/x.bmp", "BM\x36\x00\x00\x00 rest of a bitmap");
    EXPECT_NE(bmp.find("book/articles/a.md:3:5: error: 'images/x.bmp' is not a PNG, JPEG, GIF, WebP or SVG picture"),
              std::string::npos)
        << bmp;
    EXPECT_NE(bmp.find("hint: "), std::string::npos);
}

TEST(Pictures, TooManyPixelsIsRefusedFromTheHeader) {
    // A header claiming 20,000 x 20,000 pixels, and no pixel data at all.
    std::string ihdr;
    be32(ihdr, 20000);
    be32(ihdr, 20000);
    ihdr += std::string("\x08\x00\x00\x00\x00", 5);
    const std::string header = "\x89PNG\r\n\x1a\n" + png_chunk("IHDR", ihdr) + png_chunk("IEND", "");
    const std::string e = error_of("big.png", header);
    EXPECT_NE(e.find("a.md:3:5: error: image 'big.png' is 20000 x 20000 pixels, more than 100 million"), std::string::npos)
        << e;
}

TEST(Pictures, TruncatedGifWebpAndSvgAreLocatedErrors) {
    const std::string g = gif(60, 40);
    const std::string gif_error = error_of("cut.gif", g.substr(0, g.size() / 2));
    EXPECT_NE(gif_error.find("book/articles/a.md:3:5: error: image 'cut.gif' cannot be read"), std::string::npos)
        << gif_error;
    const std::string w = webp(64, 64);
    const std::string webp_error = error_of("cut.webp", w.substr(0, w.size() / 2));
    EXPECT_NE(webp_error.find("book/articles/a.md:3:5: error: image 'cut.webp' cannot be read"), std::string::npos)
        << webp_error;
    const std::string s = svg("width=\"10\" height=\"10\"", "<g><rect width=\"10\" height=\"10\"/></g>");
    const std::string svg_error = error_of("cut.svg", s.substr(0, s.size() - 12));
    EXPECT_NE(svg_error.find("book/articles/a.md:3:5: error: image 'cut.svg' is not well-formed XML"),
              std::string::npos)
        << svg_error;
    EXPECT_NE(error_of("bad.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>").find("is not well-formed XML"),
              std::string::npos);
}

// A GIF of several frames is known to move; a PDF, which cannot, shows the first
// and says so where the picture is first placed; an EPUB, which moves, says nothing.
TEST(Pictures, AnAnimatedGifIsKnownAndAPdfSaysItShowsTheFirstFrame) {
    const std::string still = gif(60, 40);
    const std::size_t image = still.find('\x2C', 13 + 12);  // after the header and colour table
    ASSERT_NE(image, std::string::npos);
    std::string moving = still;
    moving.insert(still.size() - 1, still.substr(image, still.size() - 1 - image));  // a second frame, before ';'
    EXPECT_FALSE(read("still.gif", still).animated);
    EXPECT_TRUE(read("moving.gif", moving).animated);
    EXPECT_FALSE(read("flat.webp", webp(16, 16)).animated);

    test::ScratchDir dir;
    test::spit(dir / "book/book.yaml", "title: T\nlanguage: en\ncredits: optional\nchapters:\n  - articles: [a.md]\n");
    test::spit(dir / "book/a.md", "# A\n\nText.\n\n![a gull](moving.gif)\n\n![a gull again](moving.gif)\n");
    test::spit(dir / "book/moving.gif", moving);
    const auto pdf = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "pdf"});
    ASSERT_EQ(pdf.exit_code, 0) << pdf.err;
    const std::string said = "a.md:5:1: warning: picture 'moving.gif' moves: the PDF shows its first frame";
    EXPECT_NE(pdf.err.find(said), std::string::npos) << pdf.err;
    EXPECT_EQ(pdf.err.find("moves:", pdf.err.find("moves:") + 1), std::string::npos) << "said once: " << pdf.err;
    const auto epub = test::run_folio({"build", (dir / "book").string(), "-o", (dir / "out").string(), "--format", "epub"});
    ASSERT_EQ(epub.exit_code, 0) << epub.err;
    EXPECT_EQ(epub.err.find("moves:"), std::string::npos) << epub.err;
}

TEST(Pictures, CorruptPngDataIsALocatedError) {
    std::string p = gray_png(64, 48);
    const std::size_t idat = p.find("IDAT") + 4;
    for (std::size_t i = idat + 2; i < idat + 12 && i < p.size() - 12; ++i) p[i] = '\xAA';
    EXPECT_NE(error_of("bad.png", p).find("a.md:3:5: error: image 'bad.png' cannot be read"), std::string::npos);
}

// ---- SVG sanitising --------------------------------------------------------------------

const std::string kHostileSvg =
    "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"https://evil.example/x.css\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"20\" "
    "height=\"20\" onload=\"alert(1)\">"
    "<script>alert(2)</script>"
    "<style>@import url(https://evil.example/y.css); rect { fill: blue }</style>"
    "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient></defs>"
    "<rect id=\"r\" width=\"10\" height=\"10\" fill=\"url(#g)\" onclick=\"steal()\"/>"
    "<circle cx=\"15\" cy=\"15\" r=\"4\" style=\"fill: url(https://evil.example/p.svg#x)\"/>"
    "<use xlink:href=\"#r\" x=\"10\"/>"
    "<image href=\"data:image/png;base64,AAAA\" width=\"5\" height=\"5\"/>"
    "<a xlink:href=\"https://evil.example/\"><text x=\"0\" y=\"20\">link</text></a>"
    "<foreignObject width=\"10\" height=\"10\"><div xmlns=\"http://www.w3.org/1999/xhtml\">html</div></foreignObject>"
    "<set attributeName=\"href\" to=\"javascript:alert(3)\"/>"
    "</svg>\n";

TEST(Pictures, SanitisingRemovesScriptEventsForeignObjectsAndOutsideReferences) {
    const pictures::SanitizedSvg s = pictures::sanitize_svg(kHostileSvg, "x.svg", kWhere);
    for (const char* gone : {"script", "alert", "onload", "onclick", "foreignObject", "evil.example", "data:",
                             "javascript", "xml-stylesheet", "@import", "<set"})
        EXPECT_EQ(s.xml.find(gone), std::string::npos) << gone << " is still in:\n" << s.xml;
    for (const char* kept : {"<rect id=\"r\" width=\"10\" height=\"10\" fill=\"url(#g)\"/>", "<circle cx=\"15\"",
                             "xlink:href=\"#r\"", "<linearGradient id=\"g\">", "<text x=\"0\" y=\"20\">link</text>",
                             "<image width=\"5\" height=\"5\"/>", "<g><text x=\"0\" y=\"20\">link</text></g>"})
        EXPECT_NE(s.xml.find(kept), std::string::npos) << kept << " is missing from:\n" << s.xml;
    EXPECT_EQ(s.xml.find("<a"), std::string::npos) << "a link in a picture leads nowhere in a book";
    EXPECT_EQ(s.xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg", 0), 0u) << s.xml;
    EXPECT_EQ(s.removed, (std::vector<std::string>{"1 script element", "1 foreignObject element",
                                                   "2 event attributes (on…)", "3 references outside the picture",
                                                   "1 style element with @import or url()",
                                                   "1 animation of a link or event"}));
}

TEST(Pictures, ASanitisedSvgIsOneWarningAndTheResourceHoldsTheCleanBytes) {
    Diagnostics d;
    const doc::Resource r = pictures::read_picture("images/x.svg", kHostileSvg, kWhere, d);
    ASSERT_EQ(d.warning_count(), 1u);
    const Diagnostic w = d.warnings().front();
    EXPECT_EQ(w.where.str(), "book/articles/a.md:3:5");
    EXPECT_NE(w.message.find("SVG picture 'images/x.svg': removed 1 script element, 1 foreignObject element"),
              std::string::npos)
        << w.message;
    EXPECT_EQ(r.bytes.find("script"), std::string::npos);
    EXPECT_EQ(r.width, 20);
    // A clean picture is no warning.
    Diagnostics quiet;
    pictures::read_picture("images/y.svg", svg("width=\"4\" height=\"4\""), kWhere, quiet);
    EXPECT_EQ(quiet.warning_count(), 0u);
}

// ---- drawing -----------------------------------------------------------------------------

TEST(Pictures, RasterisedSvgHasThePixelsOfItsPlace) {
    const doc::Resource r =
        read("r.svg", svg("width=\"10\" height=\"5\"", "<rect width=\"10\" height=\"5\" fill=\"#ff0000\"/>"));
    const pictures::Pixels p = pictures::rasterize_svg(r, 7.5, 3.75, 144);  // 7.5 pt at 144 ppi: 15 pixels
    ASSERT_EQ(p.width, 15);
    ASSERT_EQ(p.height, 8);
    ASSERT_EQ(p.channels, 4);
    const std::size_t middle = (4 * 15 + 7) * 4;
    EXPECT_EQ(static_cast<unsigned char>(p.data[middle]), 255);
    EXPECT_EQ(static_cast<unsigned char>(p.data[middle + 1]), 0);
    EXPECT_EQ(static_cast<unsigned char>(p.data[middle + 3]), 255);
    // Scaled to the place, not drawn at 1 pixel a unit: the far corner is painted too.
    const std::size_t corner = (6 * 15 + 14) * 4;
    EXPECT_EQ(static_cast<unsigned char>(p.data[corner]), 255);
    EXPECT_EQ(static_cast<unsigned char>(p.data[corner + 3]), 255);
}

// Text in an SVG is drawn with the system's fonts (librsvg asks pango, which asks
// fontconfig): the drawing has ink where the letters are.
TEST(Pictures, TextInAnSvgIsDrawn) {
    const doc::Resource r = read("t.svg", svg("width=\"60\" height=\"20\"",
                                              "<text x=\"2\" y=\"16\" font-family=\"DejaVu Sans\" "
                                              "font-size=\"16\">Hi</text>"));
    const pictures::Pixels p = pictures::rasterize_svg(r, 45, 15, 96);
    int inked = 0;
    for (std::size_t i = 3; i < p.data.size(); i += 4) inked += p.data[i] != 0;
    EXPECT_GT(inked, 20);
    EXPECT_LT(inked, p.width * p.height / 2);
}

TEST(Pictures, SvgToPdfIsOnePageOfTheIntrinsicSizeInPoints) {
    const doc::Resource r = read("r.svg", svg("width=\"96\" height=\"48\""));
    const std::string pdf = pictures::svg_to_pdf(r);
    EXPECT_EQ(pdf.rfind("%PDF-1.", 0), 0u);
    EXPECT_NE(pdf.find("/MediaBox [ 0 0 72 36 ]"), std::string::npos);
    EXPECT_NE(pdf.find("/Count 1"), std::string::npos);
}

TEST(Pictures, EncodedPngReadsBackToTheSamePixels) {
    const std::string bytes = png(3, 2, [](int x, int y) { return 0x10203040u + static_cast<std::uint32_t>(x * 256 + y); });
    const pictures::Pixels p = pictures::decode(read("p.png", bytes));
    ASSERT_EQ(p.channels, 4);
    EXPECT_EQ(static_cast<unsigned char>(p.data[4 * 4 + 0]), 0x10);  // pixel (1, 1)
    EXPECT_EQ(static_cast<unsigned char>(p.data[4 * 4 + 2]), 0x31);
    EXPECT_EQ(static_cast<unsigned char>(p.data[4 * 4 + 3]), 0x41);
}

// ---- fetched copies ------------------------------------------------------------------------

TEST(Pictures, Sha1OfAKnownText) {
    EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");  // FIPS 180-2, appendix A
}

TEST(Pictures, AFetchedCopyIsFoundByTheHashOfItsAddress) {
    test::ScratchDir dir;
    const std::string url = "https://example.org/photos/harbour.jpg";
    const std::string prefix = sha1_hex(url).substr(0, 16);
    EXPECT_FALSE(pictures::fetched_copy(dir.path(), url)) << "no fetched/ folder";
    fs::create_directories(dir / "fetched");
    test::spit(dir / "fetched" / (prefix + "0.png"), "not this one: the name goes on past the hash");
    EXPECT_FALSE(pictures::fetched_copy(dir.path(), url));
    test::spit(dir / "fetched" / (prefix + ".jpg"), jpeg(8, 8));
    EXPECT_EQ(pictures::fetched_copy(dir.path(), url), "fetched/" + prefix + ".jpg");
    EXPECT_FALSE(pictures::fetched_copy(dir.path(), url + "?v=2"));
}

// ---- SVG in the print PDF: solid colours to gray ---------------------------------------------

TEST(PrintSvg, SolidColoursBecomeGray) {
    EXPECT_EQ(pdf::gray_content("q 1 0 0 rg 0 0 10 10 re f 0 0 1 RG 2 w 0 0 m 5 5 l S Q"),
              "q 0.299 g 0 0 10 10 re f 0.114 G 2 w 0 0 m 5 5 l S Q");
    EXPECT_EQ(pdf::gray_content("0 0 0 1 k (rg and RG in a string) Tj"), "0 g (rg and RG in a string) Tj");
    EXPECT_EQ(pdf::gray_content("/DeviceRGB cs 1 1 1 sc"), "/DeviceGray cs 1 sc");
    EXPECT_EQ(pdf::gray_content("0.5 g 0.25 G"), "0.5 g 0.25 G");
}

TEST(PrintSvg, ShadingsImagesAndPatternsCannotBeGray) {
    EXPECT_FALSE(pdf::gray_content("/Sh0 sh"));
    EXPECT_FALSE(pdf::gray_content("q 10 0 0 10 0 0 cm /Im0 Do Q"));
    EXPECT_FALSE(pdf::gray_content("/Pattern cs /P0 scn 0 0 5 5 re f"));
    EXPECT_FALSE(pdf::gray_content("BI /W 1 /H 1 /BPC 8 /CS /RGB ID abc EI"));
}

}  // namespace
}  // namespace folio
