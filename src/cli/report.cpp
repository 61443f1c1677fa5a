#include "cli/report.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>

namespace folio::cli {

bool verbose = false;

void print_warnings(const Diagnostics& diagnostics) {
    const std::vector<Diagnostic> all = diagnostics.warnings();
    constexpr std::size_t kShown = 3;
    std::map<std::string, std::vector<const Diagnostic*>> by_kind;
    for (const Diagnostic& d : all) by_kind[d.kind.empty() ? d.message : d.kind].push_back(&d);
    for (const Diagnostic& d : all) {
        const std::string kind = d.kind.empty() ? d.message : d.kind;
        const auto& same = by_kind[kind];
        if (verbose || same.size() <= kShown) {
            std::cerr << d.format() << '\n';
            continue;
        }
        if (same.front() != &d) continue;  // summarised at the first
        std::string places;
        for (std::size_t i = 0; i < kShown; ++i) places += (i ? ", " : "") + same[i]->where.str();
        Diagnostic summary = d;
        summary.where = {};
        summary.message = kind + " (" + std::to_string(same.size()) + " places: " + places + ", …)";
        summary.hint = d.hint.empty() ? "--verbose lists every place" : d.hint + " (--verbose lists every place)";
        std::cerr << summary.format() << '\n';
    }
}

void print_errors(const Diagnostics& diagnostics) {
    constexpr std::size_t kMaxErrorsShown = 50;
    const std::vector<Diagnostic> errors = diagnostics.errors();
    for (std::size_t i = 0; i < errors.size() && i < kMaxErrorsShown; ++i) std::cerr << errors[i].format() << '\n';
    if (errors.size() > kMaxErrorsShown)
        std::cerr << "folio: " << errors.size() - kMaxErrorsShown << " more errors not shown (" << errors.size()
                  << " in all)\n";
}

void report_build(const serve::BuildOutcome& o) {
    char line[512];
    std::snprintf(line, sizeof line, "folio: build %d%s%s%s: %s in %.2f s", o.number, o.changed.empty() ? "" : " (",
                  o.changed.c_str(), o.changed.empty() ? "" : " changed)", o.ok ? "built" : "FAILED", o.seconds);
    std::string out = line;
    if (o.ok && o.stats) out += ", " + std::to_string(o.stats->pages) + " pages";
    if (o.ok) out += ", " + std::to_string(o.new_warnings) + " new warning" + (o.new_warnings == 1 ? "" : "s");
    if (!o.ok) out += "; the last good outputs are kept";
    std::cout << out << std::endl;
    if (o.number == 1 || o.new_warnings > 0 || !o.ok) print_warnings(o.diagnostics);
    if (!o.ok) {
        print_errors(o.diagnostics);
        if (!o.error.empty()) std::cerr << o.error << '\n';
    }
    std::cerr.flush();
}

std::atomic<bool> stop_watching{false};

namespace {
void on_interrupt(int) { stop_watching = true; }
}  // namespace

void stop_on_interrupt() {
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
}

}  // namespace folio::cli
