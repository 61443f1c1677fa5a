#include "layout/style.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include "config/reader.hpp"

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

double length(const config::Node& n, const char* what) {
    try {
        if (!n.is_scalar()) throw std::invalid_argument("not a scalar");
        return parse_length(n.text);
    } catch (const std::exception&) {
        throw Error(std::string("'") + what + "' must be a length such as 0.75in, 19mm or 10.5pt", n.where);
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

RunningHead running_head(const config::Node& n) {
    static const std::map<std::string, RunningHead> kinds{{"none", RunningHead::None},
                                                          {"book", RunningHead::Book},
                                                          {"chapter", RunningHead::Chapter},
                                                          {"article", RunningHead::Article}};
    auto it = kinds.find(n.is_scalar() ? n.text : "");
    if (it == kinds.end()) throw Error("a running head is one of: book, chapter, article, none", n.where);
    return it->second;
}

constexpr std::string_view kStyleKeys[] = {"trim",         "bleed",       "paper",        "margins",
                                           "fonts",        "size",        "leading",      "heading_sizes",
                                           "note_size",    "note_leading", "running_heads"};
constexpr std::string_view kMarginKeys[] = {"inner", "outer", "top", "bottom"};
constexpr std::string_view kFontKeys[] = {"regular", "italic", "bold", "bold_italic", "mono", "fallback"};
constexpr std::string_view kHeadKeys[] = {"verso", "recto"};

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

PrintStyle parse_print_style(const std::string& yaml, const std::string& file, Diagnostics& diagnostics) {
    const config::NodePtr tree = config::parse(config::Syntax::Yaml, file, yaml, 1);
    const config::Node& root = *tree;
    PrintStyle s;
    if (!root.is_mapping()) throw Error("print settings must be a mapping", {file, 1, 1});
    const std::string what = "the print settings";
    config::check_keys(root, kStyleKeys, what, diagnostics);
    for (const char* key : {"trim", "bleed", "paper"})
        if (const config::Node* n = root.find(key)) apply_print_setting(s, key, config::scalar(*n, key), n->where);
    if (const config::Node* m = root.find("margins")) {
        config::require_mapping(*m, "'margins'");
        config::check_keys(*m, kMarginKeys, "'margins'", diagnostics);
        if (const auto* n = m->find("inner")) s.inner = length(*n, "inner");
        if (const auto* n = m->find("outer")) s.outer = length(*n, "outer");
        if (const auto* n = m->find("top")) s.top = length(*n, "top");
        if (const auto* n = m->find("bottom")) s.bottom = length(*n, "bottom");
    }
    const config::Node* f = root.find("fonts");
    if (!f || !f->is_mapping())
        throw Error("missing 'fonts'", {file, 1, 1}, "name the font files: regular, italic, bold, bold_italic, mono");
    config::check_keys(*f, kFontKeys, "'fonts'", diagnostics);
    // A relative font path is relative to the folder of the print.yaml that names it
    // (a book's own style carries its fonts), not to wherever folio was started.
    const std::filesystem::path style_dir = std::filesystem::path(file).parent_path();
    auto font_path = [&](const config::Node& n, const char* key) {
        const std::string written = config::scalar(n, key);
        std::string path = written.empty() || std::filesystem::path(written).is_absolute()
                               ? written
                               : (style_dir / written).lexically_normal().string();
        s.font_where.emplace(path, n.where);
        return path;
    };
    auto font = [&](const char* key) {
        const config::Node* n = f->find(key);
        if (!n || !n->is_scalar()) throw Error(std::string("missing font '") + key + "'", f->where);
        return font_path(*n, key);
    };
    s.regular = font("regular");
    s.italic = font("italic");
    s.bold = font("bold");
    s.bold_italic = font("bold_italic");
    s.mono = font("mono");
    if (const config::Node* fb = f->find("fallback")) {
        if (fb->is_sequence())
            for (const config::NodePtr& x : fb->items) s.fallback.push_back(font_path(*x, "fallback"));
        else if (!fb->is_null())
            s.fallback.push_back(font_path(*fb, "fallback"));
    }
    if (const auto* n = root.find("size")) s.size = length(*n, "size");
    if (const auto* n = root.find("leading")) s.leading = length(*n, "leading");
    if (const config::Node* h = root.find("heading_sizes")) {
        s.heading_sizes.clear();
        if (h->is_sequence())
            for (const config::NodePtr& x : h->items) s.heading_sizes.push_back(length(*x, "heading_sizes"));
        else
            s.heading_sizes.push_back(length(*h, "heading_sizes"));
        if (s.heading_sizes.empty()) s.heading_sizes.push_back(s.size);
    }
    if (const auto* n = root.find("note_size")) s.note_size = length(*n, "note_size");
    if (const auto* n = root.find("note_leading")) s.note_leading = length(*n, "note_leading");
    if (const config::Node* r = root.find("running_heads")) {
        config::require_mapping(*r, "'running_heads'");
        config::check_keys(*r, kHeadKeys, "'running_heads'", diagnostics);
        if (const auto* n = r->find("verso")) s.verso = running_head(*n);
        if (const auto* n = r->find("recto")) s.recto = running_head(*n);
    }
    if (s.text_width() < 72 || s.text_height() < 144)
        throw Error("the margins leave too little room for text", {file, 1, 1});
    return s;
}

void style_material(KeyBytes& out, const PrintStyle& style) {
    // Every field of PrintStyle is written here: one added must be too.
    static_assert(sizeof(PrintStyle) == 384, "the style's fields changed: write them in style_material");
    for (double v : {style.page_width, style.page_height, style.inner, style.outer, style.top, style.bottom, style.size,
                     style.leading, style.note_size, style.note_leading, style.image_ppi, style.min_image_width,
                     style.min_text_size})
        out.number(v);
    for (const std::string* f : {&style.regular, &style.italic, &style.bold, &style.bold_italic, &style.mono})
        out.text(*f);
    out.number(static_cast<std::uint64_t>(style.fallback.size()));
    for (const std::string& f : style.fallback) out.text(f);
    out.number(static_cast<std::uint64_t>(style.font_where.size()));
    for (const auto& [file, where] : style.font_where) {
        out.text(file);
        out.text(where.file);
        out.number(where.line);
        out.number(where.column);
    }
    out.number(static_cast<std::uint64_t>(style.heading_sizes.size()));
    for (double v : style.heading_sizes) out.number(v);
    out.number(static_cast<int>(style.verso));
    out.number(static_cast<int>(style.recto));
    out.number(static_cast<int>(style.bleed));
    out.number(static_cast<int>(style.paper));
    out.number(style.page_references);
}

}  // namespace folio::layout
