#include "layout/break_lines.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace folio::layout {

double badness(double r) {
    if (r < -1) return kInfinity + 1;  // overfull: infeasible
    const double b = 100 * std::abs(r * r * r);
    return std::min(b, kInfinity);
}

namespace {

// TeX's fitness classes (§817): 0 very loose, 1 loose, 2 decent, 3 tight.
int fitness_class(double r) {
    if (r < -0.5) return 3;
    const double b = badness(r);
    if (r > 0 && b >= 100) return 0;
    if (r > 0 && b > 12) return 1;
    return 2;
}

struct Node {
    std::size_t position;
    std::size_t line;  // number of lines that end at or before this break
    int fitness;
    double total_width, total_stretch, total_shrink;  // sums of the items before this break's successor
    double demerits;
    double ratio;
    bool flagged;
    int hyphens;  // lines in a row, ending here, that end with a hyphen
    double hang_left;  // protrusion of the first character of the line that starts here
    std::size_t previous;  // index in the nodes, or kNone for the paragraph's start
};

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Drops the nodes no active node leads back to, keeping the others in order (a
// node's previous comes before it), so that a long paragraph's memory stays in
// proportion to its live nodes.
void compact(std::vector<Node>& nodes, std::vector<std::size_t>& active) {
    std::vector<std::size_t> moved(nodes.size(), kNone);  // old index -> new, kNone: dead
    for (std::size_t a : active)
        for (std::size_t n = a; n != kNone && moved[n] == kNone; n = nodes[n].previous) moved[n] = 0;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (moved[i] == kNone) continue;
        moved[i] = kept;
        Node& n = nodes[kept++] = nodes[i];
        if (n.previous != kNone) n.previous = moved[n.previous];
    }
    nodes.resize(kept);
    for (std::size_t& a : active) a = moved[a];
}

}  // namespace

std::optional<std::vector<Break>> break_lines(const std::vector<Item>& items, const std::vector<double>& line_widths,
                                              const BreakParams& params) {
    if (items.empty() || line_widths.empty()) return std::vector<Break>{};
    auto width_of_line = [&](std::size_t line) {
        return line < line_widths.size() ? line_widths[line] : line_widths.back();
    };

    double sum_w = 0, sum_y = 0, sum_z = 0;  // running sums up to the current item
    // The nodes, linked by index: a paragraph makes thousands, and shared pointers
    // cost an atomic count on every copy. In a vector, not a deque: a node is read at
    // every legal break for each active node, and a deque's index costs a division
    // (1 % of a PDF build); the dead are dropped by compact, so a paragraph of
    // megabytes keeps only its live nodes.
    std::vector<Node> nodes{Node{0, 0, 2, 0, 0, 0, 0, 0, false, 0, items.front().hang_left, kNone}};
    std::vector<std::size_t> active{0}, still_active;
    std::size_t compact_at = 4096;  // nodes made before the dead are dropped

    // After a break at b, the next line starts after the glue and penalties that
    // follow it (they vanish at a break, §837): the sums that node b carries, and
    // the protrusion of the box that starts the next line.
    auto sums_after = [&](std::size_t b, double& w, double& y, double& z, double& hang) {
        w = sum_w, y = sum_y, z = sum_z, hang = 0;
        for (std::size_t i = b; i < items.size(); ++i) {
            const Item& it = items[i];
            if (it.type == Item::Type::Box) {
                hang = it.hang_left;
                break;
            }
            if (it.type == Item::Type::Penalty && it.penalty <= -kInfinity && i > b) break;
            if (it.type == Item::Type::Glue) w += it.width, y += it.stretch, z += it.shrink;
        }
    };

    for (std::size_t b = 0; b < items.size(); ++b) {
        const Item& item = items[b];
        bool legal = false;
        if (item.type == Item::Type::Penalty) {
            legal = item.penalty < kInfinity;
        } else if (item.type == Item::Type::Glue) {
            legal = b > 0 && items[b - 1].type == Item::Type::Box;
        }
        if (legal) {
            const double penalty_width = (item.type == Item::Type::Penalty ? item.width : 0) - item.hang_right;
            const double penalty = item.type == Item::Type::Penalty ? item.penalty : 0;
            const bool flagged = item.type == Item::Type::Penalty && item.flagged;

            // Best candidate per fitness class (§829–§836) and, beyond TeX, per length
            // of the run of hyphenated lines it ends (0, 1, 2).
            struct Candidate {
                double demerits = std::numeric_limits<double>::infinity();
                std::size_t from = kNone;
                double ratio = 0;
            };
            Candidate best[4][3];
            still_active.clear();
            for (const std::size_t index : active) {
                const Node& a = nodes[index];
                const double natural = sum_w - a.total_width + penalty_width - a.hang_left;
                const double target = width_of_line(a.line);
                double ratio;
                if (natural < target) {
                    const double stretch = sum_y - a.total_stretch + params.emergency_stretch;
                    ratio = stretch > 0 ? (target - natural) / stretch : kInfinity;
                } else if (natural > target) {
                    const double shrink = sum_z - a.total_shrink;
                    ratio = shrink > 0 ? (target - natural) / shrink : -kInfinity;
                } else {
                    ratio = 0;
                }
                // A node whose line is already overfull can only get worse: deactivate.
                const bool deactivate = ratio < -1 || (item.type == Item::Type::Penalty && penalty <= -kInfinity);
                if (!deactivate) still_active.push_back(index);
                if (ratio < -1) continue;
                const double bad = badness(ratio);
                if (bad > params.tolerance) continue;

                double d;
                const double base = params.line_penalty + bad;
                if (penalty >= 0) {
                    d = base * base + penalty * penalty;
                } else if (penalty > -kInfinity) {
                    d = base * base - penalty * penalty;
                } else {
                    d = base * base;
                }
                if (flagged && a.flagged) d += params.double_hyphen_demerits;
                if (penalty <= -kInfinity && natural < params.short_last_line * target)
                    d += params.short_last_line_demerits;
                const int run = flagged ? a.hyphens + 1 : 0;
                if (params.max_consecutive_hyphens > 0 && run > params.max_consecutive_hyphens) continue;
                const int fit = fitness_class(ratio);
                if (std::abs(fit - a.fitness) > 1) d += params.adj_demerits;
                d += a.demerits;
                Candidate& slot = best[fit][std::min(run, 2)];
                if (d < slot.demerits) slot = {d, index, ratio};
            }
            std::swap(active, still_active);

            // TeX's \finalhyphendemerits: charged when the last line starts after a
            // hyphen, i.e. when a forced break follows a flagged one.
            bool summed = false;
            double w = 0, y = 0, z = 0, hang = 0;
            for (int fit = 0; fit < 4; ++fit) {
                for (int run = 0; run < 3; ++run) {
                    Candidate& c = best[fit][run];
                    if (c.from == kNone) continue;
                    const Node& from = nodes[c.from];
                    if (penalty <= -kInfinity && from.flagged) c.demerits += params.final_hyphen_demerits;
                    if (!summed) sums_after(b, w, y, z, hang), summed = true;
                    active.push_back(nodes.size());
                    const Node next{b, from.line + 1, fit, w, y, z, c.demerits, c.ratio, flagged, run, hang, c.from};
                    nodes.push_back(next);  // may move the nodes: `from` is not read after
                }
            }
            if (active.empty()) return std::nullopt;
            if (nodes.size() >= compact_at) {
                compact(nodes, active);
                compact_at = std::max<std::size_t>(4096, nodes.size() + nodes.size() / 2);
            }
        }
        if (item.type == Item::Type::Box) {
            sum_w += item.width, sum_y += item.stretch, sum_z += item.shrink;
        } else if (item.type == Item::Type::Glue) {
            sum_w += item.width, sum_y += item.stretch, sum_z += item.shrink;
        }
    }

    // The chosen path ends at the last item (the forced break).
    std::size_t best = kNone;
    for (const std::size_t a : active)
        if (nodes[a].position == items.size() - 1 && (best == kNone || nodes[a].demerits < nodes[best].demerits))
            best = a;
    if (best == kNone) return std::nullopt;
    std::vector<Break> out;
    for (std::size_t n = best; n != kNone && nodes[n].previous != kNone; n = nodes[n].previous)
        out.push_back({nodes[n].position, nodes[n].ratio, nodes[n].flagged});
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace folio::layout
