#include "layout/style.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <stdexcept>

namespace folio::layout {

double parse_length(const std::string& text) {
    const std::string t(text::trim(text));
    std::size_t used = 0;
    const double value = std::stod(t, &used);
    const std::string unit(text::trim(std::string_view(t).substr(used)));
    if (unit == "pt") return value;
    if (unit == "in") return value * 72;
    if (unit == "mm") return value * 72 / 25.4;
    if (unit == "cm") return value * 72 / 2.54;
    throw std::invalid_argument("unit");
}

namespace {

SourceLocation where(const std::string& file, const YAML::Node& n) {
    const YAML::Mark m = n.Mark();
    return m.is_null() ? SourceLocation{file, 1, 1} : SourceLocation{file, m.line + 1, m.column + 1};
}

double length(const std::string& file, const YAML::Node& n, const char* what) {
    try {
        if (!n.IsScalar()) throw std::invalid_argument("not a scalar");
        return parse_length(n.Scalar());
    } catch (const std::exception&) {
        throw Error(std::string("'") + what + "' must be a length such as 0.75in, 19mm or 10.5pt", where(file, n));
    }
}

// "6x9in", "5.5x8.5in", "a5" -> width, height.
std::pair<double, double> trim_size(const std::string& text, const SourceLocation& at) {
    const std::string t = text::to_lower_ascii(text::trim(text));
    if (t == "a5") return {148 * 72 / 25.4, 210 * 72 / 25.4};
    const std::size_t x = t.find('x');
    try {
        if (x == std::string::npos) throw std::invalid_argument("no x");
        std::string unit;
        for (const char* u : {"in", "mm", "cm", "pt"})
            if (t.size() > 2 && t.compare(t.size() - 2, 2, u) == 0) unit = u;
        if (unit.empty()) throw std::invalid_argument("no unit");
        const std::string w = t.substr(0, x), h = t.substr(x + 1);
        return {parse_length(w + unit), parse_length(h)};
    } catch (const std::exception&) {
        throw Error("'trim' must be a size such as 6x9in or a preset (a5)", at);
    }
}

RunningHead running_head(const std::string& file, const YAML::Node& n) {
    static const std::map<std::string, RunningHead> kinds{{"none", RunningHead::None},
                                                          {"book", RunningHead::Book},
                                                          {"chapter", RunningHead::Chapter},
                                                          {"article", RunningHead::Article}};
    auto it = kinds.find(n.IsScalar() ? n.Scalar() : "");
    if (it == kinds.end()) throw Error("a running head is one of: book, chapter, article, none", where(file, n));
    return it->second;
}

}  // namespace

void apply_print_setting(PrintStyle& s, const std::string& key, const std::string& value, const SourceLocation& at) {
    const std::string v = text::to_lower_ascii(text::trim(value));
    if (key == "trim") {
        std::tie(s.page_width, s.page_height) = trim_size(value, at);
    } else if (key == "bleed") {
        if (v == "none") s.bleed = Bleed::None;
        else if (v == "kdp") s.bleed = Bleed::Kdp;
        else if (v == "all") s.bleed = Bleed::All;
        else throw Error("'bleed' is one of: none, kdp, all", at, "kdp: top, bottom and outer edge; all: four sides");
    } else if (key == "paper") {
        if (v == "white") s.paper = Paper::White;
        else if (v == "cream") s.paper = Paper::Cream;
        else throw Error("'paper' is one of: white, cream", at);
    } else {
        throw Error("unknown print setting '" + key + "'", at, "the print settings are trim, bleed and paper");
    }
}

PrintStyle parse_print_style(const std::string& yaml, const std::string& file) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml.find('\r') == std::string::npos ? yaml : text::lf_line_ends(yaml));
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp stops at a depth of its own (to save its stack), but says "bad file".
        throw Error("YAML nested more than " + std::to_string(e.depth() - 1) + " levels deep",
                    {file, e.mark.line + 1, e.mark.column + 1});
    } catch (const YAML::ParserException& e) {
        throw Error("YAML syntax error: " + e.msg, {file, e.mark.line + 1, e.mark.column + 1});
    }
    PrintStyle s;
    if (!root.IsMap()) throw Error("print settings must be a mapping", {file, 1, 1});
    for (const char* key : {"trim", "bleed", "paper"})
        if (auto n = root[key]) apply_print_setting(s, key, n.Scalar(), where(file, n));
    if (auto m = root["margins"]) {
        if (m["inner"]) s.inner = length(file, m["inner"], "inner");
        if (m["outer"]) s.outer = length(file, m["outer"], "outer");
        if (m["top"]) s.top = length(file, m["top"], "top");
        if (m["bottom"]) s.bottom = length(file, m["bottom"], "bottom");
    }
    const YAML::Node f = root["fonts"];
    if (!f || !f.IsMap()) throw Error("missing 'fonts'", {file, 1, 1}, "name the font files: regular, italic, bold, bold_italic, mono");
    // A relative font path is relative to the folder of the print.yaml that names it
    // (a book's own style carries its fonts), not to wherever folio was started.
    const std::filesystem::path style_dir = std::filesystem::path(file).parent_path();
    auto font_path = [&](const YAML::Node& n) {
        const std::string written = n.Scalar();
        std::string path = written.empty() || std::filesystem::path(written).is_absolute()
                               ? written
                               : (style_dir / written).lexically_normal().string();
        s.font_where.emplace(path, where(file, n));
        return path;
    };
    auto font = [&](const char* key) {
        if (!f[key] || !f[key].IsScalar()) throw Error(std::string("missing font '") + key + "'", where(file, f));
        return font_path(f[key]);
    };
    s.regular = font("regular");
    s.italic = font("italic");
    s.bold = font("bold");
    s.bold_italic = font("bold_italic");
    s.mono = font("mono");
    if (auto fb = f["fallback"])
        for (const auto& x : fb) s.fallback.push_back(font_path(x));
    if (root["size"]) s.size = length(file, root["size"], "size");
    if (root["leading"]) s.leading = length(file, root["leading"], "leading");
    if (auto h = root["heading_sizes"]) {
        s.heading_sizes.clear();
        for (const auto& x : h) s.heading_sizes.push_back(length(file, x, "heading_sizes"));
        if (s.heading_sizes.empty()) s.heading_sizes.push_back(s.size);
    }
    if (root["note_size"]) s.note_size = length(file, root["note_size"], "note_size");
    if (root["note_leading"]) s.note_leading = length(file, root["note_leading"], "note_leading");
    if (auto r = root["running_heads"]) {
        if (r["verso"]) s.verso = running_head(file, r["verso"]);
        if (r["recto"]) s.recto = running_head(file, r["recto"]);
    }
    if (s.text_width() < 72 || s.text_height() < 144)
        throw Error("the margins leave too little room for text", {file, 1, 1});
    return s;
}

}  // namespace folio::layout
