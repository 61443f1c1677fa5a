// Typed, located access to YAML mappings (yaml-cpp), so that every error in
// book.yaml or front matter names file:line:col. No yaml-cpp type leaves src/book.
#pragma once

#include "core/diagnostics.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace folio::book {

// A YAML document parsed from `text`, whose first line is line `first_line` of `file`.
class YamlDoc {
public:
    YamlDoc(std::string file, const std::string& text, int first_line);

    const YAML::Node& root() const { return m_root; }
    const std::string& file() const { return m_file; }

    SourceLocation where(const YAML::Node& node) const;

    // The mapping's keys, or an error if `node` is not a mapping.
    void require_mapping(const YAML::Node& node, const std::string& what) const;

    // Warns about each key of `map` not in `known`, and each that is not a plain
    // scalar; throws on a key given twice.
    void check_keys(const YAML::Node& map, std::initializer_list<const char*> known, const std::string& where_desc,
                           Diagnostics& diagnostics) const;

    std::optional<std::string> string(const YAML::Node& map, const char* key) const;
    std::string required_string(const YAML::Node& map, const char* key, const std::string& hint) const;
    // A string or a list of strings ("author: Jane" or "author: [Jane, John]").
    std::optional<std::vector<std::string>> string_list(const YAML::Node& map, const char* key) const;
    std::optional<text::Date> date(const YAML::Node& map, const char* key) const;

    [[noreturn]] void fail(const YAML::Node& node, const std::string& message, const std::string& hint = {}) const;

private:
    std::string scalar(const YAML::Node& node, const char* key) const;

    std::string m_file;
    int m_line_offset;
    YAML::Node m_root;
};

}  // namespace folio::book
