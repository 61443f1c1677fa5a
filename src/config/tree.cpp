#include "config/tree.hpp"

#include "core/text.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <charconv>
#include <cstdio>
#include <map>

namespace folio::config {

const Node* Node::find(std::string_view key) const {
    for (const auto& [k, v] : entries)
        if (k->is_scalar() && k->text == key) return v.get();
    return nullptr;
}

const Node* Node::find_key(std::string_view key) const {
    for (const auto& [k, v] : entries)
        if (k->is_scalar() && k->text == key) return k.get();
    return nullptr;
}

namespace {

// Deeper than any settings file needs; past it the readers' recursion (and ours)
// would be at the mercy of the input.
constexpr int kMaxDepth = 64;

void refuse_duplicates(const Node& map) {
    std::map<std::string_view, const SourceLocation*> seen;
    for (const auto& [k, v] : map.entries) {
        if (!k->is_scalar()) continue;
        if (auto [it, fresh] = seen.emplace(k->text, &k->where); !fresh)
            throw Error("'" + k->text + "' is given twice", k->where,
                        "first at " + it->second->str() + "; keep one of them");
    }
}

// ---- YAML (yaml-cpp) -----------------------------------------------------------------

class YamlReader {
public:
    YamlReader(const std::string& file, int line_offset) : m_file(file), m_offset(line_offset) {}

    NodePtr convert(const YAML::Node& y, int depth) {
        const YAML::Mark mark = y.Mark();
        // An alias is the node of its anchor: convert each node once (its place in the
        // file names it), so that aliases are shared, never expanded. Not an empty
        // value: yaml-cpp places it at the token after it, which in `defaults:` followed
        // by `chapters:` is the next key, and the key would be read as the empty value.
        const bool placed = !mark.is_null() && y.IsDefined() && !y.IsNull();
        if (placed)
            if (auto it = m_done.find(mark.pos); it != m_done.end()) return it->second;
        if (depth > kMaxDepth)
            throw Error("YAML nested more than " + std::to_string(kMaxDepth) + " levels deep", where(y),
                        "no value of a book nests so deep");
        auto n = std::make_shared<Node>();
        n->where = where(y);
        switch (y.Type()) {
            case YAML::NodeType::Scalar:
                n->kind = Node::Kind::Scalar;
                n->text = y.Scalar();
                // yaml-cpp tags a quoted scalar "!", a plain one "?".
                n->type = y.Tag() == "!" ? Node::Type::String : Node::Type::Plain;
                break;
            case YAML::NodeType::Sequence:
                n->kind = Node::Kind::Sequence;
                for (const auto& item : y) n->items.push_back(convert(item, depth + 1));
                break;
            case YAML::NodeType::Map:
                n->kind = Node::Kind::Mapping;
                for (const auto& kv : y) n->entries.emplace_back(convert(kv.first, depth + 1), convert(kv.second, depth + 1));
                refuse_duplicates(*n);
                break;
            default:
                break;  // null, undefined
        }
        if (placed) m_done.emplace(mark.pos, n);
        return n;
    }

    SourceLocation where(const YAML::Node& y) const {
        const YAML::Mark m = y.Mark();
        if (m.is_null()) return {m_file, m_offset + 1, 0};
        return {m_file, m.line + 1 + m_offset, m.column + 1};
    }

private:
    const std::string& m_file;
    int m_offset;
    std::map<int, NodePtr> m_done;  // by position in the text
};

NodePtr parse_yaml(const std::string& file, std::string_view text, int first_line) {
    const int offset = first_line - 1;
    YAML::Node root;
    try {
        // YAML ends lines at LF, CRLF or a lone CR; yaml-cpp knows only the first two.
        const std::string source = text.find('\r') == std::string_view::npos ? std::string(text) : text::lf_line_ends(text);
        root = YAML::Load(source);
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp stops at a depth of its own (to save its stack), but says "bad file".
        throw Error("YAML nested more than " + std::to_string(e.depth() - 1) + " levels deep",
                    {file, e.mark.line + 1 + offset, e.mark.column + 1}, "no value of a book nests so deep");
    } catch (const YAML::ParserException& e) {
        // yaml-cpp marks are 0-based.
        throw Error("YAML syntax error: " + e.msg, {file, e.mark.line + 1 + offset, e.mark.column + 1},
                    "check the indentation, and quote values that contain ': ' or start with a special character");
    } catch (const YAML::Exception& e) {
        throw Error(std::string("cannot read YAML: ") + e.what(), {file, first_line, 1});
    }
    YamlReader reader(file, offset);
    return reader.convert(root, 0);
}

// ---- TOML (toml++) -------------------------------------------------------------------

std::string two(int v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
}

std::string iso_date(const toml::date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year), static_cast<int>(d.month),
                  static_cast<int>(d.day));
    return buf;
}

std::string iso_time(const toml::time& t) {
    std::string s = two(t.hour) + ":" + two(t.minute) + ":" + two(t.second);
    if (t.nanosecond) {
        char buf[16];
        std::snprintf(buf, sizeof buf, ".%09u", static_cast<unsigned>(t.nanosecond));
        std::string frac = buf;
        while (frac.back() == '0') frac.pop_back();
        s += frac;
    }
    return s;
}

class TomlReader {
public:
    TomlReader(const std::string& file, int line_offset) : m_file(file), m_offset(line_offset) {}

    SourceLocation where(const toml::source_region& r) const {
        if (r.begin.line == 0) return {m_file, m_offset + 1, 0};
        return {m_file, static_cast<int>(r.begin.line) + m_offset, static_cast<int>(r.begin.column)};
    }

    NodePtr convert(const toml::node& t, int depth) {
        if (depth > kMaxDepth)
            throw Error("TOML nested more than " + std::to_string(kMaxDepth) + " levels deep", where(t.source()),
                        "no value of a book nests so deep");
        auto n = std::make_shared<Node>();
        n->where = where(t.source());
        n->kind = Node::Kind::Scalar;
        if (const toml::table* table = t.as_table()) {
            n->kind = Node::Kind::Mapping;
            for (const auto& [key, value] : *table) {
                auto k = std::make_shared<Node>();
                k->kind = Node::Kind::Scalar;
                k->type = Node::Type::String;
                k->text = std::string(key.str());
                k->where = where(key.source());
                n->entries.emplace_back(std::move(k), convert(value, depth + 1));
            }
        } else if (const toml::array* array = t.as_array()) {
            n->kind = Node::Kind::Sequence;
            for (const toml::node& item : *array) n->items.push_back(convert(item, depth + 1));
        } else if (auto s = t.value<std::string>(); s && t.is_string()) {
            n->type = Node::Type::String;
            n->text = *s;
        } else if (const auto* i = t.as_integer()) {
            n->type = Node::Type::Integer;
            n->text = std::to_string(i->get());
        } else if (const auto* f = t.as_floating_point()) {
            n->type = Node::Type::Float;
            char buf[32];
            const auto r = std::to_chars(buf, buf + sizeof buf, f->get());
            n->text.assign(buf, r.ptr);
        } else if (const auto* b = t.as_boolean()) {
            n->type = Node::Type::Boolean;
            n->text = b->get() ? "true" : "false";
        } else if (const auto* d = t.as_date()) {
            n->type = Node::Type::Date;
            n->text = iso_date(d->get());
        } else if (const auto* tm = t.as_time()) {
            n->type = Node::Type::Time;
            n->text = iso_time(tm->get());
        } else if (const auto* dt = t.as_date_time()) {
            const toml::date_time& v = dt->get();
            n->type = Node::Type::DateTime;
            n->text = iso_date(v.date) + "T" + iso_time(v.time);
            if (v.offset) {
                const int minutes = v.offset->minutes;
                if (minutes == 0) {
                    n->text += "Z";
                } else {
                    const int a = minutes < 0 ? -minutes : minutes;
                    n->text += (minutes < 0 ? "-" : "+") + two(a / 60) + ":" + two(a % 60);
                }
            }
        }
        return n;
    }

private:
    const std::string& m_file;
    int m_offset;
};

NodePtr parse_toml(const std::string& file, std::string_view text, int first_line) {
    const std::string source = text.find('\r') == std::string_view::npos ? std::string(text) : text::lf_line_ends(text);
    TomlReader reader(file, first_line - 1);
    try {
        const toml::table table = toml::parse(source);
        return reader.convert(table, 0);
    } catch (const toml::parse_error& e) {
        // toml++ names a key given twice itself, without the place of the first.
        throw Error("TOML syntax error: " + std::string(e.description()), reader.where(e.source()),
                    "check the quotes and brackets; strings are written in quotes in TOML: title = \"…\"");
    }
}

// ---- metadata lines (Pelican, MultiMarkdown) -----------------------------------------

NodePtr parse_lines(const std::string& file, std::string_view text, int first_line) {
    auto map = std::make_shared<Node>();
    map->kind = Node::Kind::Mapping;
    map->where = {file, first_line, 1};
    std::shared_ptr<Node> last;
    int line = first_line;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view l = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (!text::trim(l).empty()) {
            if ((l.front() == ' ' || l.front() == '\t') && last) {
                last->text += " " + std::string(text::trim(l));
            } else {
                const std::size_t colon = l.find(':');
                if (colon == std::string_view::npos || colon == 0)
                    throw Error("a metadata line must be 'Key: value'", {file, line, 1},
                                "end the metadata with a blank line before the text");
                auto key = std::make_shared<Node>();
                key->kind = Node::Kind::Scalar;
                key->type = Node::Type::String;
                key->text = text::to_lower_ascii(text::trim(l.substr(0, colon)));
                key->where = {file, line, 1};
                auto value = std::make_shared<Node>();
                value->kind = Node::Kind::Scalar;
                value->text = std::string(text::trim(l.substr(colon + 1)));
                std::size_t at = colon + 1;
                while (at < l.size() && (l[at] == ' ' || l[at] == '\t')) ++at;
                value->where = {file, line, static_cast<int>(at) + 1};
                map->entries.emplace_back(key, value);
                last = value;
            }
        }
        ++line;
    }
    refuse_duplicates(*map);
    return map;
}

}  // namespace

NodePtr parse(Syntax syntax, const std::string& file, std::string_view text, int first_line) {
    switch (syntax) {
        case Syntax::Yaml: return parse_yaml(file, text, first_line);
        case Syntax::Toml: return parse_toml(file, text, first_line);
        case Syntax::Lines: break;
    }
    return parse_lines(file, text, first_line);
}

}  // namespace folio::config
