#include "book/yaml_fields.hpp"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <map>

namespace folio::book {

namespace {
// Room for a licence's whole text (CC BY 4.0's legal code is about 19 KB) in a
// `license:` or verbatim `credit:`; a value of 50 MB would be copied into every
// output and, as a title, set on every page's running head.
constexpr std::size_t kMaxValueBytes = 64 * 1024;
}  // namespace

YamlDoc::YamlDoc(std::string file, const std::string& text, int first_line)
    : m_file(std::move(file)), m_line_offset(first_line - 1) {
    try {
        // YAML ends lines at LF, CRLF or a lone CR; yaml-cpp knows only the first two.
        m_root = YAML::Load(text.find('\r') == std::string::npos ? text : text::lf_line_ends(text));
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp stops at a depth of its own (to save its stack), but says "bad file".
        throw Error("YAML nested more than " + std::to_string(e.depth() - 1) + " levels deep",
                    {m_file, e.mark.line + 1 + m_line_offset, e.mark.column + 1}, "no value of a book nests so deep");
    } catch (const YAML::ParserException& e) {
        // yaml-cpp marks are 0-based.
        throw Error("YAML syntax error: " + e.msg, {m_file, e.mark.line + 1 + m_line_offset, e.mark.column + 1},
                    "check the indentation, and quote values that contain ': ' or start with a special character");
    } catch (const YAML::Exception& e) {
        throw Error(std::string("cannot read YAML: ") + e.what(), {m_file, first_line, 1});
    }
}

SourceLocation YamlDoc::where(const YAML::Node& node) const {
    const YAML::Mark m = node.Mark();
    if (m.is_null()) return {m_file, m_line_offset + 1, 0};
    return {m_file, m.line + 1 + m_line_offset, m.column + 1};
}

void YamlDoc::fail(const YAML::Node& node, const std::string& message, const std::string& hint) const {
    throw Error(message, where(node), hint);
}

void YamlDoc::require_mapping(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) fail(node, what + " must be a mapping of keys to values", "write one 'key: value' per line");
}

void YamlDoc::check_keys(const YAML::Node& map, std::initializer_list<const char*> known,
                                const std::string& where_desc, Diagnostics& diagnostics) const {
    // yaml-cpp keeps a key given twice, and map[key] finds the first: an article
    // would silently take one of two titles or licences.
    std::map<std::string, SourceLocation> seen;
    for (const auto& kv : map) {
        if (!kv.first.IsScalar()) {
            diagnostics.warn(where(kv.first), "a key in " + where_desc + " must be a name, not a list or mapping",
                             "write one 'key: value' per line");
            continue;
        }
        const std::string key = kv.first.Scalar();
        if (auto [it, fresh] = seen.emplace(key, where(kv.first)); !fresh)
            fail(kv.first, "'" + key + "' is given twice", "first at " + it->second.str() + "; keep one of them");
        const bool ok = std::any_of(known.begin(), known.end(), [&](const char* k) { return key == k; });
        if (!ok) {
            std::string list;
            for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
            diagnostics.warn(where(kv.first), "unknown key '" + key + "' in " + where_desc, "known keys: " + list);
        }
    }
}

std::string YamlDoc::scalar(const YAML::Node& node, const char* key) const {
    if (!node.IsScalar())
        fail(node, std::string("'") + key + "' must be a single value", "write it on one line after the colon");
    if (node.Scalar().size() > kMaxValueBytes)
        fail(node, std::string("'") + key + "' is " + std::to_string(node.Scalar().size()) + " bytes long",
             "a value may have at most " + std::to_string(kMaxValueBytes) + " bytes");
    return node.Scalar();
}

std::optional<std::string> YamlDoc::string(const YAML::Node& map, const char* key) const {
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return std::nullopt;
    return std::string(text::trim(scalar(node, key)));
}

std::string YamlDoc::required_string(const YAML::Node& map, const char* key, const std::string& hint) const {
    auto value = string(map, key);
    if (!value || value->empty()) throw Error(std::string("missing '") + key + "'", {m_file, 1, 1}, hint);
    return *value;
}

std::optional<std::vector<std::string>> YamlDoc::string_list(const YAML::Node& map, const char* key) const {
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return std::nullopt;
    std::vector<std::string> out;
    if (node.IsSequence()) {
        for (const auto& item : node) {
            std::string s(text::trim(scalar(item, key)));
            if (!s.empty()) out.push_back(std::move(s));
        }
    } else {
        std::string s(text::trim(scalar(node, key)));
        if (!s.empty()) out.push_back(std::move(s));
    }
    return out;
}

std::optional<text::Date> YamlDoc::date(const YAML::Node& map, const char* key) const {
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return std::nullopt;
    const std::string value = scalar(node, key);
    auto d = text::parse_date(value);
    if (!d)
        fail(node, std::string("'") + key + "' must be a date YYYY-MM-DD, got \"" + value + "\"",
             "write it like 2024-05-03");
    return d;
}

}  // namespace folio::book
