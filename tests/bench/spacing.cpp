// folio-bench-spacing: word-spacing figures of a justified PDF, measured from
// the XHTML that poppler's `pdftotext -bbox-layout FILE.pdf OUT.html` writes
// (pages > flow > block > line > word, each word with xMin/xMax/yMin/yMax in
// points).  Used by tests/bench/run.sh to compare folio's reading PDF with
// xelatex's PDF of the same Markdown.
//
//   folio-bench-spacing [--margins TOP,BOTTOM] [--show N] [LABEL=]FILE.html...
//
// Prints one table, one column per file.  --margins (points) drops the lines
// whose vertical centre lies in the top or bottom margin of the page (running
// heads, page numbers) before anything is counted.  --show N lists on standard
// error, per file, the N justified lines with the widest spread and the N
// loosest, the widow and orphan pages, and the first short lines.
//
// Words: pdftotext starts a new word at a change of font even where there is
// no space ("`-O2`." gives "-O2" and "."); words less than 0.75 pt apart are
// joined back.
//
// Justified lines: a line is *justified* if it is not the last line of its
// block, has at least 3 words, and its right edge is within 1 pt of the
// block's right edge.  The block's right edge is taken over the lines that end
// in a letter or digit, so that a line ending in a hyphen or punctuation that
// hangs into the margin (microtype's protrusion in LaTeX) neither moves the
// edge nor is left out (such a line counts if it reaches the edge).  A list
// marker or note number opening the line ("1.", "a)", a bullet or dash, "12")
// and the gap after it are left out.  Lines with a gap wider than twice the
// line's height are tab-like (a contents entry and its page number), not
// prose: they are counted apart and left out.
// For each justified line: the gaps between words (next xMin - this xMax),
// their spread (max - min) and standard deviation, and their mean.  A gap is
// measured between word boxes, i.e. from the advance width of a word's last
// glyph to the next word's first glyph: the space as set, not the distance
// between inked shapes.  The spread comes mostly from the wider space after
// punctuation that TeX sets by default (\nonfrenchspacing) and from spaces
// in other fonts; the "letter-to-letter" rows keep only the gaps between a
// word ending and a word starting with a letter or digit, to show the spacing
// of the glue itself.  Loose and tight lines compare a line's mean gap with
// the document's median gap.  The spacing CV is the coefficient of variation
// (population standard deviation / mean) of all gaps of all justified lines:
// how evenly the book is spaced, line to line and within lines.
//
// Short lines inside paragraphs: a text line (see below) of at least 3 words,
// not the last of its block, followed in the same block one leading below by a
// text line at the column's left edge (the same paragraph goes on, not a new
// list item), that stops more than 1 pt short of the column's right edge.
// Justified text has none.
//
// Hyphens: over all lines kept (not only the justified ones), a line ends
// with a hyphen if its last word ends with '-', U+2010 or U+00AD after a
// letter; runs are counted over consecutive lines in reading order.
//
// Widows and orphans (a heuristic, from positions only):
//   Text lines are the lines whose height is within 10% of the most common
//   line height (body text; most headings and the notes are left out).  The
//   column's edges are the most common xMin and xMax of text lines on odd and
//   on even pages; the leading is the most common step between consecutive
//   text lines.  A line is *full* if it reaches the right edge (within 1 pt).
//   Lines that start right of the column's middle (page numbers in the
//   contents) are ignored here.
//   widow:  the last text line of a page (with only smaller lines, notes,
//           below it) is full, and the next page opens with a short text line
//           at the left edge (not indented) after which a new paragraph
//           starts (the next line is indented, not a text line, or more than
//           1.4 leadings below): the last line of a paragraph carried over.
//   orphan: the last text line of a page is full, not a list item, and starts
//           a paragraph (it is indented, or the line above is not a text line
//           or more than 1.4 leadings above), and the next page opens with a
//           text line at the left edge: a paragraph's first line left behind.
//   Paragraphs in lists or quotations are mostly not seen; a heading set in
//   the body size (xelatex's ###) at the top of a page can pass for a widow.
//
// Page bottoms: from page 10 on, a page *runs on* when the next page opens
// (its topmost line inside the margins) with a text line, i.e. the text goes
// on overleaf rather than a title or heading starting there. Its bottom is the
// lowest yMax of its lines (body text or notes); the book's bottom line is the
// most common bottom of such pages, and a page ends *flush* when its bottom is
// within 1.5 pt of it (a note's descender and a body line's differ by less).

#include <tinyxml2.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr double kEdgeTolerance = 1.0;  // pt
constexpr double kMinSpace = 0.75;      // pt: a smaller gap between two words is no space

struct Word {
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    std::string text;
};

struct Line {
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    std::vector<Word> words;
    bool last_in_block = false;
    double block_right = 0;  // right edge of its block (see load)
    double height() const { return y1 - y0; }
};

struct Page {
    double width = 0, height = 0;
    std::vector<Line> lines;  // kept lines, in pdftotext's reading order
};

double attr(const tinyxml2::XMLElement* e, const char* name) {
    double v = 0;
    e->QueryDoubleAttribute(name, &v);
    return v;
}

// Iterates the children of `parent` named `name`.
template <class F>
void for_each_child(const tinyxml2::XMLElement* parent, const char* name, F f) {
    for (const tinyxml2::XMLElement* e = parent->FirstChildElement(name); e; e = e->NextSiblingElement(name)) f(e);
}

// The last code point of a UTF-8 string (0 if empty), and the one before it.
std::pair<char32_t, char32_t> last_two_code_points(std::string_view s) {
    char32_t cps[2] = {0, 0};
    std::size_t end = s.size();
    for (int k = 0; k < 2 && end > 0; ++k) {
        std::size_t start = end - 1;
        while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        const auto* p = reinterpret_cast<const unsigned char*>(s.data() + start);
        const std::size_t n = end - start;
        char32_t cp = 0;
        if (n == 1) cp = p[0];
        else if (n == 2) cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        else if (n == 3) cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        else if (n == 4) cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        cps[k] = cp;
        end = start;
    }
    return {cps[0], cps[1]};
}

// Letters and digits: ASCII, and everything from U+00C0 up except the
// general punctuation block (dashes, quotes) -- good enough for Latin text.
bool is_alnum(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (c >= 0x2000 && c <= 0x206F) return false;
    return c >= 0xC0 && c != 0xD7 && c != 0xF7;
}

bool ends_with_hyphen(const Line& l) {
    if (l.words.empty()) return false;
    const auto [last, before] = last_two_code_points(l.words.back().text);
    return (last == U'-' || last == 0x2010 || last == 0xAD) && is_alnum(before);
}

bool ends_alnum(const Line& l) {
    return !l.words.empty() && is_alnum(last_two_code_points(l.words.back().text).first);
}

struct Document {
    std::vector<Page> pages;
};

bool load(const std::string& path, std::optional<std::pair<double, double>> margins, Document& doc) {
    tinyxml2::XMLDocument xml;
    if (xml.LoadFile(path.c_str()) != tinyxml2::XML_SUCCESS) {
        std::cerr << "folio-bench-spacing: cannot read " << path << ": " << xml.ErrorStr() << "\n";
        return false;
    }
    const tinyxml2::XMLElement* html = xml.FirstChildElement("html");
    const tinyxml2::XMLElement* body = html ? html->FirstChildElement("body") : nullptr;
    const tinyxml2::XMLElement* d = body ? body->FirstChildElement("doc") : nullptr;
    if (!d) {
        std::cerr << "folio-bench-spacing: " << path << ": no html/body/doc: not from pdftotext -bbox-layout?\n";
        return false;
    }
    for_each_child(d, "page", [&](const tinyxml2::XMLElement* pe) {
        Page page;
        page.width = attr(pe, "width");
        page.height = attr(pe, "height");
        for_each_child(pe, "flow", [&](const tinyxml2::XMLElement* fe) {
            for_each_child(fe, "block", [&](const tinyxml2::XMLElement* be) {
                std::vector<Line> lines;
                for_each_child(be, "line", [&](const tinyxml2::XMLElement* le) {
                    Line l;
                    l.x0 = attr(le, "xMin");
                    l.x1 = attr(le, "xMax");
                    l.y0 = attr(le, "yMin");
                    l.y1 = attr(le, "yMax");
                    for_each_child(le, "word", [&](const tinyxml2::XMLElement* we) {
                        Word w;
                        w.x0 = attr(we, "xMin");
                        w.x1 = attr(we, "xMax");
                        w.y0 = attr(we, "yMin");
                        w.y1 = attr(we, "yMax");
                        if (const char* t = we->GetText()) w.text = t;
                        l.words.push_back(std::move(w));
                    });
                    if (l.words.empty()) return;
                    // pdftotext starts a new word at a change of font even
                    // with no space ("`-O2`." gives "-O2" and "."): join
                    // words that touch.
                    std::vector<Word> joined;
                    for (Word& w : l.words) {
                        if (!joined.empty() && w.x0 - joined.back().x1 < kMinSpace) {
                            joined.back().x1 = std::max(joined.back().x1, w.x1);
                            joined.back().text += w.text;
                        } else {
                            joined.push_back(std::move(w));
                        }
                    }
                    l.words = std::move(joined);
                    if (margins) {
                        const double centre = (l.y0 + l.y1) / 2;
                        if (centre < margins->first || centre > page.height - margins->second) return;
                    }
                    lines.push_back(std::move(l));
                });
                if (lines.empty()) return;
                // The block's right edge, over the lines that end in a letter
                // or digit (no protrusion); all lines if there are none.
                double right = -1e9, right_all = -1e9;
                for (const Line& l : lines) {
                    right_all = std::max(right_all, l.x1);
                    if (ends_alnum(l)) right = std::max(right, l.x1);
                }
                if (right < -1e8) right = right_all;
                for (Line& l : lines) l.block_right = right;
                lines.back().last_in_block = true;
                for (Line& l : lines) page.lines.push_back(std::move(l));
            });
        });
        doc.pages.push_back(std::move(page));
    });
    return true;
}

double mean(const std::vector<double>& v) {
    if (v.empty()) return NAN;
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

// Percentile p in [0, 100], linear interpolation between closest ranks.
double percentile(std::vector<double> v, double p) {
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    const double rank = p / 100.0 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

// Most common value of v rounded to `step`.
double mode(const std::vector<double>& v, double step) {
    std::map<long, int> counts;
    for (double x : v) ++counts[std::lround(x / step)];
    long best = 0;
    int best_n = -1;
    for (const auto& [k, n] : counts)
        if (n > best_n) best = k, best_n = n;
    return best_n < 0 ? NAN : static_cast<double>(best) * step;
}

struct Figures {
    std::size_t pages = 0, lines = 0, justified = 0, tab_lines = 0, gaps = 0;
    double gap_mean = NAN, gap_median = NAN, gap_max = NAN, gap_cv = NAN;
    double spread_mean = NAN, spread_median = NAN, spread_p95 = NAN, spread_max = NAN;
    double plain_spread_mean = NAN, plain_spread_p95 = NAN;
    double sd_mean = NAN;
    double line_mean_p5 = NAN, line_mean_p95 = NAN;
    std::size_t loose = 0, tight = 0;
    double width_median = NAN;
    std::size_t hyphen_lines = 0, hyphen_run = 0;
    double text_height = NAN, leading = NAN, left_odd = NAN, right_odd = NAN, left_even = NAN, right_even = NAN;
    std::size_t text_lines = 0, widows = 0, orphans = 0;
    std::vector<std::size_t> widow_pages, orphan_pages;  // 1-based
    std::size_t short_inside = 0;
    std::size_t running_on = 0, flush = 0;  // pages from 10 on whose text goes on overleaf; those ending flush
    std::vector<std::pair<std::size_t, const Line*>> short_examples;  // page, line
};

// A list item's marker ("1.", "iv.", "a)", a bullet or dash), which hangs
// before the item's text at a set distance, not a word space.
bool is_list_marker(std::string_view w) {
    static constexpr std::string_view kBullets[] = {
        "\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x80\xA3", "\xE2\x80\x93",  // bullets, en dash
        "\xE2\x80\x94", "\xE2\x88\x99", "\xC2\xB7",     "*",              "-"};              // em dash, dots
    for (std::string_view b : kBullets)
        if (w == b) return true;
    if (!w.empty() && w.size() <= 3 && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return true;  // a note's number
    if (w.size() < 2 || w.size() > 5 || (w.back() != '.' && w.back() != ')')) return false;
    return std::all_of(w.begin(), w.end() - 1, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); });
}

char32_t first_code_point(std::string_view s) {
    if (s.empty()) return 0;
    std::size_t n = 1;
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    return last_two_code_points(s.substr(0, n)).first;
}

struct Measured {  // one justified line, for --show
    std::size_t page;
    double spread, mean_gap;
    const Line* line;
};

Figures measure(const Document& doc, std::vector<Measured>* shown) {
    Figures f;
    f.pages = doc.pages.size();
    std::vector<double> gaps, spreads, plain_spreads, sds, widths, line_means;
    std::size_t run = 0;
    for (std::size_t p = 0; p < doc.pages.size(); ++p) {
        for (const Line& l : doc.pages[p].lines) {
            ++f.lines;
            if (ends_with_hyphen(l)) {
                ++f.hyphen_lines;
                f.hyphen_run = std::max(f.hyphen_run, ++run);
            } else {
                run = 0;
            }
            if (l.last_in_block || l.x1 < l.block_right - kEdgeTolerance) continue;
            const std::size_t first = is_list_marker(l.words.front().text) ? 1 : 0;
            if (l.words.size() < first + 3) continue;
            std::vector<double> g, plain;
            for (std::size_t i = first; i + 1 < l.words.size(); ++i) {
                g.push_back(l.words[i + 1].x0 - l.words[i].x1);
                // Between two letters or digits: no punctuation, which TeX
                // spaces more (\nonfrenchspacing), nor quotes or dashes.
                if (is_alnum(last_two_code_points(l.words[i].text).first) &&
                    is_alnum(first_code_point(l.words[i + 1].text)))
                    plain.push_back(g.back());
            }
            const auto [mn, mx] = std::minmax_element(g.begin(), g.end());
            if (*mx > 2 * l.height()) {
                ++f.tab_lines;
                continue;
            }
            ++f.justified;
            widths.push_back(l.x1 - l.x0);
            const double m = mean(g);
            double ss = 0;
            for (double x : g) ss += (x - m) * (x - m);
            sds.push_back(std::sqrt(ss / static_cast<double>(g.size())));
            spreads.push_back(*mx - *mn);
            if (plain.size() >= 2) {
                const auto [pmn, pmx] = std::minmax_element(plain.begin(), plain.end());
                plain_spreads.push_back(*pmx - *pmn);
            }
            line_means.push_back(m);
            gaps.insert(gaps.end(), g.begin(), g.end());
            if (shown) shown->push_back({p + 1, *mx - *mn, m, &l});
        }
    }
    f.gaps = gaps.size();
    if (!gaps.empty()) {
        f.gap_mean = mean(gaps);
        f.gap_median = percentile(gaps, 50);
        f.gap_max = *std::max_element(gaps.begin(), gaps.end());
        double ss = 0;
        for (double g : gaps) ss += (g - f.gap_mean) * (g - f.gap_mean);
        f.gap_cv = std::sqrt(ss / static_cast<double>(gaps.size())) / f.gap_mean;
        f.spread_mean = mean(spreads);
        f.spread_median = percentile(spreads, 50);
        f.spread_p95 = percentile(spreads, 95);
        f.spread_max = *std::max_element(spreads.begin(), spreads.end());
        f.plain_spread_mean = mean(plain_spreads);
        f.plain_spread_p95 = percentile(plain_spreads, 95);
        f.sd_mean = mean(sds);
        f.width_median = percentile(widths, 50);
        f.line_mean_p5 = percentile(line_means, 5);
        f.line_mean_p95 = percentile(line_means, 95);
        for (double m : line_means) {
            if (m > 1.5 * f.gap_median) ++f.loose;
            if (m < 0.75 * f.gap_median) ++f.tight;
        }
    }

    // --- widows and orphans (see the comment at the top) ---
    std::vector<double> heights;
    for (const Page& page : doc.pages)
        for (const Line& l : page.lines) heights.push_back(l.height());
    if (heights.empty()) return f;
    f.text_height = mode(heights, 0.25);
    auto is_text = [&](const Line& l) { return std::abs(l.height() - f.text_height) <= 0.1 * f.text_height; };

    // Lines of a page sorted top to bottom (pdftotext's order is by flow).
    std::vector<std::vector<const Line*>> sorted(doc.pages.size());
    auto sort_pages = [&](auto keep) {
        for (std::size_t p = 0; p < doc.pages.size(); ++p) {
            sorted[p].clear();
            for (const Line& l : doc.pages[p].lines)
                if (keep(l, p)) sorted[p].push_back(&l);
            std::stable_sort(sorted[p].begin(), sorted[p].end(),
                             [](const Line* a, const Line* b) { return a->y0 < b->y0; });
        }
    };
    sort_pages([](const Line&, std::size_t) { return true; });
    std::vector<double> lefts[2], rights[2], steps;  // [0] odd pages (1, 3, ...), [1] even
    for (std::size_t p = 0; p < doc.pages.size(); ++p) {
        const Line* above = nullptr;
        for (const Line* l : sorted[p]) {
            if (!is_text(*l)) {
                above = nullptr;
                continue;
            }
            ++f.text_lines;
            lefts[p % 2].push_back(l->x0);
            rights[p % 2].push_back(l->x1);
            if (above) steps.push_back(l->y0 - above->y0);
            above = l;
        }
    }
    f.left_odd = mode(lefts[0], 0.25);
    f.right_odd = mode(rights[0], 0.25);
    f.left_even = mode(lefts[1], 0.25);
    f.right_even = mode(rights[1], 0.25);
    const double leading = mode(steps, 0.25);
    f.leading = leading;
    auto left_of = [&](std::size_t p) { return p % 2 ? f.left_even : f.left_odd; };
    // Lines that stop short of the right edge inside a paragraph: the next
    // line, in the same block, continues at the column's left edge one
    // leading below.  Justified text has none.
    for (std::size_t p = 0; p < doc.pages.size(); ++p) {
        const auto& lines = doc.pages[p].lines;
        const double right = p % 2 ? f.right_even : f.right_odd;
        for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
            const Line& l = lines[i];
            const Line& n = lines[i + 1];
            if (l.last_in_block || l.words.size() < 3 || !is_text(l) || !is_text(n)) continue;
            if (std::abs(n.x0 - left_of(p)) > 1 || n.y0 - l.y0 > 1.2 * leading || n.y0 <= l.y0) continue;
            if (is_list_marker(l.words.front().text) || is_list_marker(n.words.front().text)) continue;
            if (l.x1 < right - kEdgeTolerance) {
                ++f.short_inside;
                if (f.short_examples.size() < 10) f.short_examples.push_back({p + 1, &l});
            }
        }
    }

    // Page bottoms (see the comment at the top), over every kept line.
    {
        std::vector<double> bottoms;
        for (std::size_t p = 9; p + 1 < doc.pages.size(); ++p) {
            if (sorted[p].empty() || sorted[p + 1].empty() || !is_text(*sorted[p + 1].front())) continue;
            double bottom = 0;
            for (const Line* l : sorted[p]) bottom = std::max(bottom, l->y1);
            bottoms.push_back(bottom);
        }
        const double line = mode(bottoms, 0.25);
        f.running_on = bottoms.size();
        for (double b : bottoms) f.flush += std::abs(b - line) <= 1.5;
    }

    // Leave out the lines that start right of the column's middle: page
    // numbers in the contents, right-aligned bits.
    sort_pages([&](const Line& l, std::size_t p) {
        return p % 2 ? l.x0 < (f.left_even + f.right_even) / 2 : l.x0 < (f.left_odd + f.right_odd) / 2;
    });
    auto full = [&](const Line& l, std::size_t p) {
        return l.x1 >= (p % 2 ? f.right_even : f.right_odd) - kEdgeTolerance;
    };
    // A text line at the column's left edge (not indented, not in a list or quotation).
    auto at_left = [&](const Line& l, std::size_t p) { return is_text(l) && std::abs(l.x0 - left_of(p)) <= 1; };
    // Does the line below `l` (index i on page p) start a new paragraph?
    auto next_starts = [&](std::size_t p, std::size_t i) {
        if (i + 1 >= sorted[p].size()) return true;
        const Line& l = *sorted[p][i];
        const Line& n = *sorted[p][i + 1];
        return !is_text(n) || n.x0 > left_of(p) + 2 || n.y0 - l.y0 > 1.4 * leading;
    };
    // The index of the last text line of a page with only smaller lines (notes) below it.
    auto bottom_text_line = [&](std::size_t p) -> std::ptrdiff_t {
        const auto& v = sorted[p];
        for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(v.size()) - 1; i >= 0; --i) {
            const Line& l = *v[static_cast<std::size_t>(i)];
            if (is_text(l)) return i;
            if (l.height() > 1.1 * f.text_height) return -1;
        }
        return -1;
    };
    for (std::size_t p = 0; p < doc.pages.size(); ++p) {
        const auto& v = sorted[p];
        // widow: the page opens with a paragraph's last line, carried over.
        const std::ptrdiff_t before = p > 0 ? bottom_text_line(p - 1) : -1;
        if (before >= 0 && full(*sorted[p - 1][static_cast<std::size_t>(before)], p - 1) && !v.empty() &&
            at_left(*v.front(), p) && !full(*v.front(), p) && next_starts(p, 0)) {
            ++f.widows;
            f.widow_pages.push_back(p + 1);
        }
        // orphan: the page closes with a paragraph's first line, continued overleaf.
        const std::ptrdiff_t b = bottom_text_line(p);
        if (b > 0 && p + 1 < doc.pages.size() && !sorted[p + 1].empty() && at_left(*sorted[p + 1].front(), p + 1)) {
            const auto bi = static_cast<std::size_t>(b);
            const Line& l = *v[bi];
            const Line& above = *v[bi - 1];
            const bool starts = l.x0 > left_of(p) + 2 || !is_text(above) || l.y0 - above.y0 > 1.4 * leading;
            if (starts && full(l, p) && !is_list_marker(l.words.front().text)) {
                ++f.orphans;
                f.orphan_pages.push_back(p + 1);
            }
        }
    }
    return f;
}

std::string fmt(double v, int decimals = 2) {
    if (std::isnan(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string fmt(std::size_t v) { return std::to_string(v); }

// --show N: the N justified lines with the widest spread and the N loosest,
// with their gaps, on standard error.
void print_extremes(const std::string& label, std::vector<Measured> v, std::size_t n) {
    auto print = [&](const char* title) {
        std::cerr << label << ": " << title << "\n";
        for (std::size_t i = 0; i < std::min(n, v.size()); ++i) {
            const Line& l = *v[i].line;
            std::cerr << "  p." << v[i].page << " spread " << fmt(v[i].spread) << " mean " << fmt(v[i].mean_gap)
                      << " gaps";
            for (std::size_t k = 0; k + 1 < l.words.size(); ++k) std::cerr << ' ' << fmt(l.words[k + 1].x0 - l.words[k].x1, 1);
            std::cerr << "\n   ";
            for (const Word& w : l.words) std::cerr << ' ' << w.text;
            std::cerr << "\n";
        }
    };
    std::stable_sort(v.begin(), v.end(), [](const Measured& a, const Measured& b) { return a.spread > b.spread; });
    print("widest spread");
    std::stable_sort(v.begin(), v.end(), [](const Measured& a, const Measured& b) { return a.mean_gap > b.mean_gap; });
    print("loosest");
}

int usage() {
    std::cerr << "usage: folio-bench-spacing [--margins TOP,BOTTOM] [--show N] [LABEL=]FILE.html...\n"
                 "Word-spacing figures of justified lines, from `pdftotext -bbox-layout` output.\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::optional<std::pair<double, double>> margins;
    std::size_t show = 0;
    std::vector<std::pair<std::string, std::string>> inputs;  // label, path
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--margins" && i + 1 < argc) {
            double top = 0, bottom = 0;
            char comma = 0;
            if (std::sscanf(argv[++i], "%lf%c%lf", &top, &comma, &bottom) != 3 || comma != ',') return usage();
            margins = std::pair{top, bottom};
        } else if (a == "--show" && i + 1 < argc) {
            show = static_cast<std::size_t>(std::strtoul(argv[++i], nullptr, 10));
        } else if (a == "-h" || a == "--help" || a.starts_with("--")) {
            return usage();
        } else {
            const auto eq = a.find('=');
            if (eq == std::string::npos) inputs.emplace_back(a, a);
            else inputs.emplace_back(a.substr(0, eq), a.substr(eq + 1));
        }
    }
    if (inputs.empty()) return usage();

    std::vector<Figures> figs;
    for (const auto& [label, path] : inputs) {
        Document doc;
        if (!load(path, margins, doc)) return 1;
        std::vector<Measured> measured;
        figs.push_back(measure(doc, show ? &measured : nullptr));
        if (show) {
            print_extremes(label, measured, show);
            std::cerr << label << ": widows on pages";
            for (std::size_t p : figs.back().widow_pages) std::cerr << ' ' << p;
            std::cerr << "\n" << label << ": orphans on pages";
            for (std::size_t p : figs.back().orphan_pages) std::cerr << ' ' << p;
            std::cerr << "\n" << label << ": short lines inside paragraphs (first ten)\n";
            const Figures& f = figs.back();
            for (const auto& [page, l] : f.short_examples) {
                std::cerr << "  p." << page << " right edge " << fmt(l->x1) << ":";
                for (const Word& w : l->words) std::cerr << ' ' << w.text;
                std::cerr << "\n";
            }
        }
    }

    using Row = std::pair<std::string, std::vector<std::string>>;
    std::vector<Row> rows;
    auto row = [&](std::string name, auto get) {
        std::vector<std::string> cells;
        for (const Figures& f : figs) cells.push_back(get(f));
        rows.emplace_back(std::move(name), std::move(cells));
    };
    row("pages", [](const Figures& f) { return fmt(f.pages); });
    row("lines (after margins)", [](const Figures& f) { return fmt(f.lines); });
    row("justified lines measured", [](const Figures& f) { return fmt(f.justified); });
    row("tab-like lines left out", [](const Figures& f) { return fmt(f.tab_lines); });
    row("gaps measured", [](const Figures& f) { return fmt(f.gaps); });
    row("median justified width, pt", [](const Figures& f) { return fmt(f.width_median); });
    row("mean gap, pt", [](const Figures& f) { return fmt(f.gap_mean); });
    row("median gap, pt", [](const Figures& f) { return fmt(f.gap_median); });
    row("largest gap, pt", [](const Figures& f) { return fmt(f.gap_max); });
    row("spacing CV (std dev / mean, all gaps)", [](const Figures& f) { return fmt(f.gap_cv, 3); });
    row("per-line spread (max-min): mean, pt", [](const Figures& f) { return fmt(f.spread_mean); });
    row("per-line spread: median, pt", [](const Figures& f) { return fmt(f.spread_median); });
    row("per-line spread: 95th pct, pt", [](const Figures& f) { return fmt(f.spread_p95); });
    row("per-line spread: max, pt", [](const Figures& f) { return fmt(f.spread_max); });
    row("  same, letter-to-letter gaps: mean, pt", [](const Figures& f) { return fmt(f.plain_spread_mean); });
    row("  same, letter-to-letter gaps: 95th pct, pt", [](const Figures& f) { return fmt(f.plain_spread_p95); });
    row("per-line std dev of gaps: mean, pt", [](const Figures& f) { return fmt(f.sd_mean); });
    row("short lines inside paragraphs (> 1 pt)", [](const Figures& f) { return fmt(f.short_inside); });
    row("per-line mean gap: 5th pct, pt", [](const Figures& f) { return fmt(f.line_mean_p5); });
    row("per-line mean gap: 95th pct, pt", [](const Figures& f) { return fmt(f.line_mean_p95); });
    row("loose lines (mean gap > 1.5 x median)", [](const Figures& f) { return fmt(f.loose); });
    row("  of justified lines, %", [](const Figures& f) {
        return f.justified ? fmt(100.0 * static_cast<double>(f.loose) / static_cast<double>(f.justified), 1) : "-";
    });
    row("tight lines (mean gap < 0.75 x median)", [](const Figures& f) { return fmt(f.tight); });
    row("lines ending with a hyphen", [](const Figures& f) { return fmt(f.hyphen_lines); });
    row("  per 100 lines", [](const Figures& f) {
        return f.lines ? fmt(100.0 * static_cast<double>(f.hyphen_lines) / static_cast<double>(f.lines)) : "-";
    });
    row("longest run of hyphen lines", [](const Figures& f) { return fmt(f.hyphen_run); });
    row("text line height, pt", [](const Figures& f) { return fmt(f.text_height); });
    row("text line step (leading), pt", [](const Figures& f) { return fmt(f.leading); });
    row("text column x, odd pages, pt", [](const Figures& f) { return fmt(f.left_odd) + "-" + fmt(f.right_odd); });
    row("text column x, even pages, pt", [](const Figures& f) { return fmt(f.left_even) + "-" + fmt(f.right_even); });
    row("pages from 10 whose text runs on", [](const Figures& f) { return fmt(f.running_on); });
    row("  of those, ending flush, %", [](const Figures& f) {
        return f.running_on ? fmt(100.0 * static_cast<double>(f.flush) / static_cast<double>(f.running_on), 1) : "-";
    });
    row("widows (heuristic)", [](const Figures& f) { return fmt(f.widows); });
    row("orphans (heuristic)", [](const Figures& f) { return fmt(f.orphans); });

    std::size_t name_w = 0;
    for (const Row& r : rows) name_w = std::max(name_w, r.first.size());
    std::vector<std::size_t> col_w;
    for (std::size_t c = 0; c < inputs.size(); ++c) {
        std::size_t w = inputs[c].first.size();
        for (const Row& r : rows) w = std::max(w, r.second[c].size());
        col_w.push_back(w);
    }
    auto print_row = [&](const std::string& name, const std::vector<std::string>& cells) {
        std::cout << name << std::string(name_w - name.size(), ' ');
        for (std::size_t c = 0; c < cells.size(); ++c)
            std::cout << "  " << std::string(col_w[c] - cells[c].size(), ' ') << cells[c];
        std::cout << "\n";
    };
    std::vector<std::string> labels;
    for (const auto& in : inputs) labels.push_back(in.first);
    print_row("", labels);
    for (const Row& r : rows) print_row(r.first, r.second);
    return 0;
}
