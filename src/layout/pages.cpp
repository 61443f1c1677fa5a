#include "layout/pages.hpp"

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace folio::layout {

// The names are few (the standard structure types, the book's languages): each
// spelling is kept once, for the life of the process. Each thread keeps its own
// table of the names it has asked for, so that it seldom locks.
ElementName::ElementName(std::string_view s) {
    if (s.empty()) return;
    thread_local std::unordered_map<std::string_view, const std::string*> known;  // views of the names kept
    if (const auto it = known.find(s); it != known.end()) {
        m_name = it->second;
        return;
    }
    static std::mutex mutex;
    // Never freed: names outlive every element.
    static std::unordered_set<std::string>* const names = new std::unordered_set<std::string>();
    {
        std::lock_guard lock(mutex);
        m_name = &*names->emplace(s).first;
    }
    known.emplace(*m_name, m_name);
}

const std::string& no_text() {
    static const std::string empty;
    return empty;
}

namespace {
std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", v + 0.0);  // + 0.0: no "-0.0000"
    return buf;
}

void dump_marks(std::string& out, const Marks& m, const std::string& indent) {
    for (const auto& r : m.runs)
        out += indent + "run font " + std::to_string(r.font) + " size " + num(r.size) + " at " + num(r.x) + " " +
               num(r.y) + " glyphs " + std::to_string(r.glyphs.size()) + " width " +
               num(r.glyphs.empty() ? 0 : r.glyphs.back().x) + (r.hscale != 1 ? " scale " + num(r.hscale) : "") +
               " \"" + r.text.str() + "\"\n";
    for (const auto& r : m.rules)
        out += indent + "rule " + num(r.x) + " " + num(r.y) + " width " + num(r.width) + " thick " + num(r.thickness) +
               "\n";
    for (const auto& im : m.images)
        out += indent + "image " + im.resource + " " + num(im.x) + " " + num(im.y) + " " + num(im.width) + " x " +
               num(im.height) + (im.ppi > 0 ? " ppi " + num(im.ppi) : std::string(" vector")) + "\n";
}
}  // namespace

std::string dump(const Pages& p) {
    std::string out = "pages " + std::to_string(p.pages.size()) + " size " + num(p.width) + " x " + num(p.height) + "\n";
    if (p.fonts)
        for (std::size_t i = 0; i < p.fonts->size(); ++i)
            out += "font " + std::to_string(i) + " " +
                   std::filesystem::path(p.fonts->path(static_cast<FontId>(i))).filename().string() + "\n";
    for (const auto& o : p.outline) out += "outline " + std::to_string(o.level) + " " + o.destination + " " + o.title + "\n";
    for (std::size_t i = 0; i < p.pages.size(); ++i) {
        const Page& page = p.pages[i];
        out += "page " + std::to_string(i + 1) + " label " + page.label + "\n";
        for (const auto& a : page.anchors) out += "  anchor " + a.name + " y " + num(a.y) + "\n";
        dump_marks(out, page, "  ");
        if (page.turned) {
            out += "  turned\n";
            dump_marks(out, *page.turned, "    ");
        }
        for (const auto& l : page.links)
            out += "  link " + num(l.x) + " " + num(l.y) + " " + num(l.width) + " x " + num(l.height) + " " +
                   (l.uri.empty() ? "#" + l.destination : l.uri) + "\n";
    }
    return out;
}

}  // namespace folio::layout
