#include "layout/break_lines.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

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
    std::shared_ptr<Node> previous;
};

}  // namespace

std::optional<std::vector<Break>> break_lines(const std::vector<Item>& items, const std::vector<double>& line_widths,
                                              const BreakParams& params) {
    if (items.empty() || line_widths.empty()) return std::vector<Break>{};
    auto width_of_line = [&](std::size_t line) {
        return line < line_widths.size() ? line_widths[line] : line_widths.back();
    };

    double sum_w = 0, sum_y = 0, sum_z = 0;  // running sums up to the current item
    std::vector<std::shared_ptr<Node>> active{
        std::make_shared<Node>(Node{0, 0, 2, 0, 0, 0, 0, 0, false, 0, items.front().hang_left, nullptr})};

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
                std::shared_ptr<Node> from;
                double ratio = 0;
            };
            Candidate best[4][3];
            std::vector<std::shared_ptr<Node>> still_active;
            still_active.reserve(active.size());
            for (auto& a : active) {
                const double natural = sum_w - a->total_width + penalty_width - a->hang_left;
                const double target = width_of_line(a->line);
                double ratio;
                if (natural < target) {
                    const double stretch = sum_y - a->total_stretch + params.emergency_stretch;
                    ratio = stretch > 0 ? (target - natural) / stretch : kInfinity;
                } else if (natural > target) {
                    const double shrink = sum_z - a->total_shrink;
                    ratio = shrink > 0 ? (target - natural) / shrink : -kInfinity;
                } else {
                    ratio = 0;
                }
                // A node whose line is already overfull can only get worse: deactivate.
                const bool deactivate = ratio < -1 || (item.type == Item::Type::Penalty && penalty <= -kInfinity);
                if (!deactivate) still_active.push_back(a);
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
                if (flagged && a->flagged) d += params.double_hyphen_demerits;
                if (penalty <= -kInfinity && natural < params.short_last_line * target)
                    d += params.short_last_line_demerits;
                const int run = flagged ? a->hyphens + 1 : 0;
                if (params.max_consecutive_hyphens > 0 && run > params.max_consecutive_hyphens) continue;
                const int fit = fitness_class(ratio);
                if (std::abs(fit - a->fitness) > 1) d += params.adj_demerits;
                d += a->demerits;
                Candidate& slot = best[fit][std::min(run, 2)];
                if (d < slot.demerits) slot = {d, a, ratio};
            }
            active = std::move(still_active);

            // TeX's \finalhyphendemerits: charged when the last line starts after a
            // hyphen, i.e. when a forced break follows a flagged one.
            for (int fit = 0; fit < 4; ++fit) {
                for (int run = 0; run < 3; ++run) {
                    Candidate& c = best[fit][run];
                    if (!c.from) continue;
                    if (penalty <= -kInfinity && c.from->flagged) c.demerits += params.final_hyphen_demerits;
                    double w, y, z, hang;
                    sums_after(b, w, y, z, hang);
                    active.push_back(std::make_shared<Node>(
                        Node{b, c.from->line + 1, fit, w, y, z, c.demerits, c.ratio, flagged, run, hang, c.from}));
                }
            }
            if (active.empty()) return std::nullopt;
        }
        if (item.type == Item::Type::Box) {
            sum_w += item.width, sum_y += item.stretch, sum_z += item.shrink;
        } else if (item.type == Item::Type::Glue) {
            sum_w += item.width, sum_y += item.stretch, sum_z += item.shrink;
        }
    }

    // The chosen path ends at the last item (the forced break).
    std::shared_ptr<Node> best;
    for (const auto& a : active)
        if (a->position == items.size() - 1 && (!best || a->demerits < best->demerits)) best = a;
    if (!best) return std::nullopt;
    std::vector<Break> out;
    for (auto n = best; n && n->previous; n = n->previous) out.push_back({n->position, n->ratio, n->flagged});
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace folio::layout
