#include "preflight/preflight.hpp"

#include "layout/print_rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

namespace folio::preflight {

namespace {

constexpr double kInch = 72;
constexpr double kMinPpi = 300;         // what the three stores ask of a picture as printed
constexpr double kPpiTolerance = 0.5;   // a rounding, not a picture short of pixels

// The rules as the stores publish them for a black and white paperback on white
// paper (see README, "The preflight", for the sources).
struct StoreRules {
    Store store;
    int min_pages, max_pages;
    double min_edge;          // content from the top, bottom and outside trim edges
    bool gutter_by_count;     // KDP's inside margin by page count; else min_edge inside too
    double min_text = 0;      // smallest text size, points (0: no published rule)
    double min_rule = 0;      // thinnest rule, points
};

const StoreRules kStores[] = {
    // KDP: 24-828 pages; 0.25 in outside, top and bottom without bleed; the gutter
    // table; 7 pt text; lines of 0.75 pt (Paperback Manual Review Checklist, margins page).
    {Store::Kdp, 24, 828, 0.25 * kInch, true, 7, 0.75},
    // IngramSpark: 18-1,200 pages; rules and text 0.5 in from the trim (File Setup Tips).
    {Store::IngramSpark, 18, 1200, 0.5 * kInch, false, 0, 0},
    // Lulu: 32-800 pages perfect bound; a 0.5 in safety margin inside the trim.
    {Store::Lulu, 32, 800, 0.5 * kInch, false, 0, 0},
};

std::string inches(double points) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g in", points / kInch);
    return buf;
}

// How close a page's content comes to each trim edge, in points.
struct Extent {
    double left = 1e9, right = -1e9, top = 1e9, bottom = -1e9;
    bool empty() const { return right < left; }
    void add(double l, double t, double r, double b) {
        left = std::min(left, l);
        right = std::max(right, r);
        top = std::min(top, t);
        bottom = std::max(bottom, b);
    }
};

// Each glyph's ink, asked of the font once: HarfBuzz reads it from the glyph's
// outline at every question, and a long book's print pages hold millions of
// glyphs of a few hundred kinds (the 1,000-article book: a tenth of a build).
class Inks {
public:
    explicit Inks(const layout::FontSet& fonts) : m_fonts(fonts) {}
    // The highest and the lowest ink of a run's glyphs, in font units (0 and 0 for
    // none above or below the baseline). The font's table is found once a run, not
    // once a glyph: a long book's pages hold millions.
    std::pair<int, int> of(const layout::GlyphRun& r) {
        const auto f = static_cast<std::size_t>(r.font);
        if (f >= m_known.size()) m_known.resize(f + 1);
        std::vector<Known>& known = m_known[f];
        const layout::Font& font = m_fonts[r.font];
        if (known.empty()) known.resize(font.glyph_count());
        const std::size_t count = known.size();
        int top = 0, bottom = 0;
        for (const layout::PlacedGlyph& g : r.glyphs) {
            std::pair<int, int> ink;
            if (g.gid < count) {
                Known& k = known[g.gid];
                if (!k.asked) k = {true, font.ink(g.gid)};
                ink = k.ink;
            } else {
                ink = font.ink(g.gid);  // none such: the font says what it says
            }
            top = std::max(top, ink.first);
            bottom = std::min(bottom, ink.second);
        }
        return {top, bottom};
    }
    const layout::FontSet& fonts() const { return m_fonts; }

private:
    struct Known {
        bool asked = false;
        std::pair<int, int> ink{};
    };
    const layout::FontSet& m_fonts;
    std::vector<std::vector<Known>> m_known;  // by font, by glyph
};

// The extent of runs, rules and pictures, in the coordinates they are placed in.
Extent extent_of(const layout::Marks& marks, Inks& inks) {
    Extent e;
    for (const layout::GlyphRun& r : marks.runs) {
        if (r.glyphs.empty()) continue;
        const layout::Font& f = inks.fonts()[r.font];
        const double scale = r.size / f.units_per_em();
        const layout::PlacedGlyph& last = r.glyphs.back();
        const auto [top, bottom] = inks.of(r);  // the ink of the run's glyphs, not the font's whole height
        e.add(r.x + r.glyphs.front().x, r.y - top * scale, r.x + last.x + f.advance(last.gid) * scale * r.hscale,
              r.y - bottom * scale);
    }
    for (const layout::Rule& r : marks.rules) e.add(r.x, r.y - r.thickness / 2, r.x + r.width, r.y + r.thickness / 2);
    for (const layout::PlacedImage& im : marks.images) e.add(im.x, im.y, im.x + im.width, im.y + im.height);
    return e;
}

// A page's extent, turned content turned back onto the page (`height` high): its
// x runs up from the page's foot, its y from the left edge.
Extent extent_of(const layout::Page& page, Inks& inks, double height) {
    Extent e = extent_of(static_cast<const layout::Marks&>(page), inks);
    if (page.turned) {
        const Extent t = extent_of(*page.turned, inks);
        if (!t.empty()) e.add(t.top, height - t.right, t.bottom, height - t.left);
    }
    return e;
}

bool blank(const layout::Page& p) { return p.runs.empty() && p.rules.empty() && p.images.empty() && !p.turned; }

}  // namespace

const char* store_name(Store s) {
    switch (s) {
        case Store::Kdp: return "KDP";
        case Store::IngramSpark: return "IngramSpark";
        case Store::Lulu: return "Lulu";
    }
    return "";
}

std::vector<Finding> check(const layout::Pages& pages, const layout::PrintStyle& style) {
    const bool bleed = style.bleed != layout::Bleed::None;
    std::vector<Finding> out;
    const int count = static_cast<int>(pages.pages.size());
    const double W = pages.width, H = pages.height;

    // Measured once: the content's nearest approach to each edge, the smallest text,
    // the thinnest rule, every picture under the resolution a press asks, blank runs.
    double nearest_edge = 1e9, nearest_inside = 1e9, smallest_text = 1e9, thinnest_rule = 1e9;
    int edge_page = 0, inside_page = 0, text_page = 0, rule_page = 0, blank_run = 0, longest_blank = 0,
        blank_page = 0, raster_images = 0;
    std::vector<std::pair<int, const layout::PlacedImage*>> low_resolution;  // page, picture
    Inks inks(*pages.fonts);
    for (int i = 0; i < count; ++i) {
        const layout::Page& p = pages.pages[static_cast<std::size_t>(i)];
        blank_run = blank(p) ? blank_run + 1 : 0;
        if (blank_run > longest_blank) longest_blank = blank_run, blank_page = i + 2 - blank_run;
        const Extent e = extent_of(p, inks, H);
        if (!e.empty()) {
            const bool recto = i % 2 == 0;  // page 1 is a recto: its inside edge is on the left
            const double inside = recto ? e.left : W - e.right;
            const double outside = recto ? W - e.right : e.left;
            const double edge = std::min({outside, e.top, H - e.bottom});
            if (edge < nearest_edge) nearest_edge = edge, edge_page = i + 1;
            if (inside < nearest_inside) nearest_inside = inside, inside_page = i + 1;
        }
        // The page's marks, upright and turned alike.
        auto check_marks = [&](const layout::Marks& m) {
            for (const layout::GlyphRun& r : m.runs)
                if (!r.glyphs.empty() && r.size < smallest_text) smallest_text = r.size, text_page = i + 1;
            for (const layout::Rule& r : m.rules)
                if (r.thickness < thinnest_rule) thinnest_rule = r.thickness, rule_page = i + 1;
            // The resolution as the typesetter placed the picture: one it placed at exactly
            // 300 ppi is not "299 ppi" for a rounding. A vector picture has none.
            for (const layout::PlacedImage& im : m.images) {
                if (im.ppi <= 0) continue;
                ++raster_images;
                if (im.ppi < kMinPpi - kPpiTolerance) low_resolution.emplace_back(i + 1, &im);
            }
        };
        check_marks(p);
        if (p.turned) check_marks(*p.turned);
    }

    for (StoreRules s : kStores) {
        if (s.store == Store::Kdp) {
            if (bleed) s.min_edge = 0.375 * kInch;  // KDP: 0.375 in from the trim when the book bleeds
            if (style.paper == layout::Paper::Cream) s.max_pages = 776;
        }
        auto add = [&](std::string rule, Verdict v, int page, std::string detail, std::string hint = {}) {
            out.push_back({s.store, std::move(rule), v, page, std::move(detail), std::move(hint)});
        };
        if (count < s.min_pages)
            add("page count", Verdict::Failure, 0,
                std::to_string(count) + " pages, under " + store_name(s.store) + "'s minimum of " +
                    std::to_string(s.min_pages) + " (it prints " + std::to_string(s.min_pages) + "-" +
                    std::to_string(s.max_pages) + ")",
                "the store prints no book this short; add content rather than blank pages");
        else if (count > s.max_pages)
            add("page count", Verdict::Failure, 0,
                std::to_string(count) + " pages, over " + store_name(s.store) + "'s maximum of " +
                    std::to_string(s.max_pages) + " (it prints " + std::to_string(s.min_pages) + "-" +
                    std::to_string(s.max_pages) + ")",
                "split the book in volumes, or choose a larger trim");
        else
            add("page count", Verdict::Pass, 0,
                std::to_string(count) + " pages, within " + std::to_string(s.min_pages) + "-" +
                    std::to_string(s.max_pages));
        if (nearest_edge < s.min_edge - 0.01)
            add("margins", Verdict::Failure, edge_page,
                "content " + inches(nearest_edge) + " from the trim, under " + inches(s.min_edge),
                "widen the style's margins (print.yaml)");
        else
            add("margins", Verdict::Pass, 0, "content at least " + inches(nearest_edge) + " from the outside, top and "
                                             "bottom edges (" + inches(s.min_edge) + " asked)");
        const double gutter = s.gutter_by_count ? layout::kdp_gutter(count) : s.min_edge;
        if (nearest_inside < gutter - 0.01)
            add("gutter", Verdict::Failure, inside_page,
                "content " + inches(nearest_inside) + " from the inside edge, under " + inches(gutter),
                "widen the style's inner margin (print.yaml)");
        else
            add("gutter", Verdict::Pass, 0,
                "content at least " + inches(nearest_inside) + " from the inside edge (" + inches(gutter) + " asked)");
        add("fonts", Verdict::Pass, 0, "every font embedded and subset, as TrueType (no Type 3)");
        if (s.min_text > 0) {
            if (smallest_text < s.min_text - 0.001)
                add("text size", Verdict::Failure, text_page,
                    "text of " + std::to_string(smallest_text).substr(0, 4) + " pt, under " +
                        std::to_string(static_cast<int>(s.min_text)) + " pt",
                    "raise the style's smallest size (note_size)");
            else
                add("text size", Verdict::Pass, 0, "no text under " + std::to_string(static_cast<int>(s.min_text)) + " pt");
        }
        if (s.min_rule > 0) {
            if (thinnest_rule < s.min_rule - 0.001)
                add("rules", Verdict::Failure, rule_page, "a rule of " + std::to_string(thinnest_rule).substr(0, 4) +
                                                              " pt, under 0.75 pt", "thicken it in the style");
            else
                add("rules", Verdict::Pass, 0, "no rule thinner than 0.75 pt");
            add("gray fills", Verdict::Pass, 0, "no gray fill (text and rules are 100 % black)");
        }
        for (const auto& [page, im] : low_resolution)
            add("image resolution", Verdict::Warning, page,
                "'" + im->resource + "' (" + im->where.str() + ") at " + std::to_string(std::lround(im->ppi)) +
                    " ppi as placed, under 300",
                "give a picture of more pixels, or print it smaller");
        if (low_resolution.empty())
            add("image resolution", Verdict::Pass, 0,
                raster_images > 0 ? "every image at 300 ppi or more" : "no image, or vector pictures only");
        add("colour", Verdict::Pass, 0, "DeviceGray only; images converted to gray, transparency flattened");
        // KDP's bleed is on three sides, the others' on four: a page of the other
        // shape is the wrong size for the store, its most common rejection.
        const layout::Bleed wanted = s.store == Store::Kdp ? layout::Bleed::Kdp : layout::Bleed::All;
        const std::string trim = "a TrimBox of " + inches(W) + " x " + inches(H) + " on every page";
        if (!bleed)
            add("page boxes", Verdict::Pass, 0, trim + ", no bleed");
        else if (style.bleed == wanted)
            add("page boxes", Verdict::Pass, 0,
                trim + (wanted == layout::Bleed::Kdp ? ", inside a BleedBox 0.125 in larger on the top, bottom and outer edge"
                                                     : ", inside a BleedBox 0.125 in larger on every side"));
        else
            add("page boxes", Verdict::Failure, 0,
                std::string("bleed on ") + (style.bleed == layout::Bleed::Kdp ? "three sides" : "four sides") + "; " +
                    store_name(s.store) + " prints from a page 0.125 in larger on " +
                    (wanted == layout::Bleed::Kdp ? "the top, bottom and outer edge" : "every side"),
                std::string("build this store's file with bleed: ") + (wanted == layout::Bleed::Kdp ? "kdp" : "all"));
        if (count % 2 != 0)
            add("page parity", Verdict::Failure, count, "an odd page count", "folio pads print books: report this");
        else
            add("page parity", Verdict::Pass, 0, "an even page count");
        if (longest_blank > 2 && longest_blank < count)
            add("blank pages", Verdict::Failure, blank_page, std::to_string(longest_blank) + " blank pages in a row",
                "no more than two");
        else
            add("blank pages", Verdict::Pass, 0, "never more than two blank pages in a row");
    }
    return out;
}

std::vector<Finding> check_licences(const doc::Book& book) {
    std::string articles;
    int count = 0;
    book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
        if (!doc::binds(a.credit.licence, &doc::Licence::non_commercial)) return;
        ++count;
        articles += (articles.empty() ? "" : ", ") + a.path + " (" +
                    (a.credit.license.empty() ? a.credit.license_url : a.credit.license) + ")";
    });
    std::vector<Finding> out;
    for (Store store : {Store::Kdp, Store::IngramSpark, Store::Lulu}) {
        if (count == 0)
            out.push_back({store, "licences", Verdict::Pass, 0, "no article forbids commercial use", {}});
        else if (!book.for_sale)
            out.push_back({store, "licences", Verdict::Pass, 0,
                           std::to_string(count) + " NonCommercial article(s), in a book not for sale (for_sale: false)", {}});
        else
            out.push_back({store, "licences", Verdict::Failure, 0,
                           std::to_string(count) + " article(s) under a NonCommercial licence, and a store's listing "
                           "is a sale: " + articles,
                           "leave them out, obtain the authors' permission for a sale, or set for_sale: false in "
                           "book.yaml if the book will not be sold (the copyright page then says so)"});
    }
    return out;
}

std::string report(const std::vector<Finding>& findings) {
    std::string out;
    for (const Finding& f : findings) {
        const char* v = f.verdict == Verdict::Pass ? "pass" : f.verdict == Verdict::Warning ? "warning" : "FAIL";
        char line[96];
        std::snprintf(line, sizeof line, "  %-12s %-17s %-8s", store_name(f.store), f.rule.c_str(), v);
        out += line;
        if (f.page > 0) out += "page " + std::to_string(f.page) + ": ";
        out += f.detail;
        if (!f.hint.empty() && f.verdict != Verdict::Pass) out += " (" + f.hint + ")";
        out += '\n';
    }
    return out;
}

}  // namespace folio::preflight
