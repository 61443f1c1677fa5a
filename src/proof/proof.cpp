#include "proof/proof.hpp"
#include "build/build.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "layout/print_rules.hpp"
#include "pictures/picture.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <unistd.h>

namespace folio::proof {

namespace fs = std::filesystem;

namespace {

struct Rgb {
    unsigned char r, g, b;
};

// What the proof draws over the pages: printers' colours, and a grey where a spread
// has no page (before the first recto, after the last verso).
constexpr Rgb kTrim{0, 150, 255};
constexpr Rgb kBleedEdge{220, 0, 0};
constexpr Rgb kGutter{255, 190, 0};
constexpr Rgb kNoPage{208, 208, 208};
constexpr double kGutterTint = 0.22;  // how much of the gutter's colour shows over the page

// An RGB picture, rows top to bottom.
class Canvas {
public:
    Canvas(int width, int height, Rgb fill) : m_pixels{width, height, 3, {}} {
        m_pixels.data.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
        for (std::size_t i = 0; i < m_pixels.data.size(); i += 3) set_at(i, fill);
    }
    int width() const { return m_pixels.width; }
    int height() const { return m_pixels.height; }
    const pictures::Pixels& pixels() const { return m_pixels; }

    Rgb get(int x, int y) const {
        const std::size_t i = index(x, y);
        const auto& d = m_pixels.data;
        return {static_cast<unsigned char>(d[i]), static_cast<unsigned char>(d[i + 1]),
                static_cast<unsigned char>(d[i + 2])};
    }
    void put(int x, int y, Rgb c) {
        if (x >= 0 && y >= 0 && x < width() && y < height()) set_at(index(x, y), c);
    }
    void tint(int x0, int y0, int x1, int y1, Rgb c, double amount) {
        for (int y = std::max(y0, 0); y < std::min(y1, height()); ++y)
            for (int x = std::max(x0, 0); x < std::min(x1, width()); ++x) {
                const Rgb p = get(x, y);
                auto mix = [&](unsigned char a, unsigned char b) {
                    return static_cast<unsigned char>(std::lround(a * (1 - amount) + b * amount));
                };
                set_at(index(x, y), {mix(p.r, c.r), mix(p.g, c.g), mix(p.b, c.b)});
            }
    }
    void fill(int x0, int y0, int x1, int y1, Rgb c) {
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) put(x, y, c);
    }
    // The outline of a box, `thickness` pixels inside its edges.
    void outline(int x0, int y0, int x1, int y1, Rgb c, int thickness) {
        for (int t = 0; t < thickness; ++t) {
            for (int x = x0; x < x1; ++x) {
                put(x, y0 + t, c);
                put(x, y1 - 1 - t, c);
            }
            for (int y = y0; y < y1; ++y) {
                put(x0 + t, y, c);
                put(x1 - 1 - t, y, c);
            }
        }
    }
    void paste(const Canvas& from, int at_x, int at_y) {
        for (int y = 0; y < from.height(); ++y)
            for (int x = 0; x < from.width(); ++x) put(at_x + x, at_y + y, from.get(x, y));
    }
    // Smaller by a whole factor, each pixel the mean of the block it stands for.
    Canvas shrunk(int factor) const {
        Canvas out(std::max(1, width() / factor), std::max(1, height() / factor), {255, 255, 255});
        for (int y = 0; y < out.height(); ++y)
            for (int x = 0; x < out.width(); ++x) {
                long r = 0, g = 0, b = 0, n = 0;
                for (int dy = 0; dy < factor; ++dy)
                    for (int dx = 0; dx < factor; ++dx) {
                        const int sx = x * factor + dx, sy = y * factor + dy;
                        if (sx >= width() || sy >= height()) continue;
                        const Rgb p = get(sx, sy);
                        r += p.r, g += p.g, b += p.b, ++n;
                    }
                out.put(x, y, {static_cast<unsigned char>(r / n), static_cast<unsigned char>(g / n),
                               static_cast<unsigned char>(b / n)});
            }
        return out;
    }

private:
    std::size_t index(int x, int y) const {
        return (static_cast<std::size_t>(y) * static_cast<std::size_t>(width()) + static_cast<std::size_t>(x)) * 3;
    }
    void set_at(std::size_t i, Rgb c) {
        m_pixels.data[i] = static_cast<char>(c.r);
        m_pixels.data[i + 1] = static_cast<char>(c.g);
        m_pixels.data[i + 2] = static_cast<char>(c.b);
    }
    pictures::Pixels m_pixels;
};

// One page of the print PDF as pixels, with its trim, bleed edge and gutter drawn.
// `recto`: a right-hand page, bound on its left.
Canvas draw_page(const poppler::page& page, const poppler::page_renderer& renderer, double dpi, double gutter_pt,
                 bool recto) {
    const poppler::image image = renderer.render_page(&page, dpi, dpi);
    if (!image.is_valid()) throw Error("the print PDF's page could not be drawn");
    Canvas canvas(image.width(), image.height(), {255, 255, 255});
    const char* data = image.const_data();
    for (int y = 0; y < image.height(); ++y) {
        const auto* row = reinterpret_cast<const unsigned char*>(data + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row());
        for (int x = 0; x < image.width(); ++x) {
            const unsigned char* p = row + x * 4;  // ARGB32, in memory B, G, R, A on this little-endian machine
            canvas.put(x, y, {p[2], p[1], p[0]});
        }
    }
    // The boxes in pixels, from the media box's top left (PDF's y grows upward).
    const poppler::rectf media = page.page_rect(poppler::media_box);
    const poppler::rectf trim = page.page_rect(poppler::trim_box);
    const double k = dpi / 72.0;
    const int left = static_cast<int>(std::lround((trim.x() - media.x()) * k));
    const int right = static_cast<int>(std::lround((trim.x() + trim.width() - media.x()) * k));
    const int top = static_cast<int>(std::lround((media.y() + media.height() - trim.y() - trim.height()) * k));
    const int bottom = static_cast<int>(std::lround((media.y() + media.height() - trim.y()) * k));
    const int gutter = static_cast<int>(std::lround(gutter_pt * k));
    if (recto) canvas.tint(left, top, left + gutter, bottom, kGutter, kGutterTint);
    else canvas.tint(right - gutter, top, right, bottom, kGutter, kGutterTint);
    const int line = std::max(1, static_cast<int>(std::lround(dpi / 100)));
    // The bleed's outer edge, on the sides that bleed (KDP's bleed spares the spine).
    const int w = canvas.width(), h = canvas.height();
    if (top > 0) canvas.fill(0, 0, w, line, kBleedEdge);
    if (bottom < h) canvas.fill(0, h - line, w, h, kBleedEdge);
    if (left > 0) canvas.fill(0, 0, line, h, kBleedEdge);
    if (right < w) canvas.fill(w - line, 0, w, h, kBleedEdge);
    canvas.outline(left, top, right, bottom, kTrim, line);
    return canvas;
}

// Replaces `dir` by `fresh` (a complete folder beside it): the old one goes only
// once the new one stands in its place.
void replace_folder(const fs::path& fresh, const fs::path& dir) {
    std::error_code ec;
    const fs::path old = dir.parent_path() / ("." + dir.filename().string() + ".old-" + std::to_string(::getpid()));
    const bool had = fs::exists(dir, ec);
    if (had) fs::rename(dir, old, ec);
    if (!ec) fs::rename(fresh, dir, ec);
    if (ec) {
        if (had && !fs::exists(dir)) fs::rename(old, dir);
        fs::remove_all(fresh);
        throw Error("cannot replace the proof folder: " + ec.message(), {dir.generic_string()});
    }
    fs::remove_all(old, ec);
}

}  // namespace

struct PrintProof::Impl {
    std::unique_ptr<poppler::document> document;
    poppler::page_renderer renderer;
    double gutter_pt = 0;
    mutable std::mutex mutex;  // Poppler's document is not to be drawn from two threads at once

    // Spread `n` as pixels, the half without a page grey.
    Canvas spread(int n, double dpi) {
        const int count = document->pages();
        const int verso = 2 * (n - 1), recto = verso + 1;  // page numbers; 0 and count+1 are no page
        std::unique_ptr<poppler::page> left(verso >= 1 && verso <= count ? document->create_page(verso - 1) : nullptr);
        std::unique_ptr<poppler::page> right(recto <= count ? document->create_page(recto - 1) : nullptr);
        std::optional<Canvas> l, r;
        if (left) l = draw_page(*left, renderer, dpi, gutter_pt, false);
        if (right) r = draw_page(*right, renderer, dpi, gutter_pt, true);
        if (!l && !r) throw Error("no spread " + std::to_string(n) + " in a book of " + std::to_string(count) + " pages");
        const Canvas& one = l ? *l : *r;
        Canvas out(one.width() * 2, one.height(), kNoPage);
        if (l) out.paste(*l, 0, 0);
        if (r) out.paste(*r, one.width(), 0);
        return out;
    }
};

PrintProof::PrintProof(const fs::path& print_pdf) : m(std::make_unique<Impl>()) {
    m->document.reset(poppler::document::load_from_file(print_pdf.string()));
    if (!m->document || m->document->is_locked())
        throw Error("cannot read the print PDF", {print_pdf.generic_string()});
    m->renderer.set_render_hint(poppler::page_renderer::antialiasing);
    m->renderer.set_render_hint(poppler::page_renderer::text_antialiasing);
    m->renderer.set_image_format(poppler::image::format_argb32);
    // KDP's least inside margin for this page count: nothing that matters may lie there.
    m->gutter_pt = layout::kdp_gutter(m->document->pages());
}

PrintProof::~PrintProof() = default;

int PrintProof::pages() const { return m->document->pages(); }

std::string PrintProof::label(int page) const {
    std::lock_guard lock(m->mutex);
    std::unique_ptr<poppler::page> p(m->document->create_page(page - 1));
    if (!p) return {};
    const poppler::byte_array utf8 = p->label().to_utf8();
    return std::string(utf8.begin(), utf8.end());
}

std::string PrintProof::spread_png(int n, double dpi) const {
    std::lock_guard lock(m->mutex);
    return pictures::encode_png(m->spread(n, dpi).pixels(), 6);
}

std::vector<fs::path> write_proof(const fs::path& book_dir, const ProofOptions& options, Diagnostics& diagnostics) {
    build::Options build_options;
    build_options.out_dir = options.out_dir;
    build_options.formats = {build::Format::Print};
    const std::vector<fs::path> built =
        build::build_book(book_dir, build_options, build::BuildContext::from_environment(), diagnostics);
    const fs::path pdf = built.front();
    std::string name = pdf.stem().string();
    name.erase(name.size() - std::string_view("-print").size());
    const PrintProof proof(pdf);

    const fs::path dir = options.out_dir / (name + "-proof");
    const fs::path fresh = options.out_dir / ("." + name + "-proof.tmp-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(fresh, ec);
    ensure_directory(fresh);
    std::vector<fs::path> written;
    try {
        std::vector<Canvas> thumbnails;
        constexpr int kThumbnailFactor = 6;  // 25 dpi from 150
        for (int n = 1; n <= proof.spreads(); ++n) {
            const Canvas spread = proof.m->spread(n, options.dpi);
            char file[32];
            std::snprintf(file, sizeof file, "spread-%03d.png", n);
            write_file_atomically(fresh / file, pictures::encode_png(spread.pixels(), 6));
            written.push_back(dir / file);
            thumbnails.push_back(spread.shrunk(kThumbnailFactor));
        }
        // The contact sheet: the spreads in rows of four, as a proof sheet lays them out.
        constexpr int kColumns = 4, kGap = 12;
        const int tw = thumbnails.front().width(), th = thumbnails.front().height();
        const int columns = std::min<int>(kColumns, static_cast<int>(thumbnails.size()));
        const int rows = (static_cast<int>(thumbnails.size()) + kColumns - 1) / kColumns;
        Canvas sheet(kGap + columns * (tw + kGap), kGap + rows * (th + kGap), {255, 255, 255});
        for (std::size_t i = 0; i < thumbnails.size(); ++i)
            sheet.paste(thumbnails[i], kGap + static_cast<int>(i % kColumns) * (tw + kGap),
                        kGap + static_cast<int>(i / kColumns) * (th + kGap));
        write_file_atomically(fresh / "contact-sheet.png", pictures::encode_png(sheet.pixels(), 6));
        written.push_back(dir / "contact-sheet.png");
    } catch (...) {
        fs::remove_all(fresh, ec);
        throw;
    }
    replace_folder(fresh, dir);
    written.insert(written.begin(), pdf);
    return written;
}

}  // namespace folio::proof
