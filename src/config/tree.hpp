// The one located reader of folio's settings files: book.yaml, article front
// matter (YAML between --- lines, TOML between +++ lines, as Hugo and Zola write
// it), a style's print.yaml. Both syntaxes are read into one tree of located nodes,
// so that every file gets the same checks (config/reader.hpp) and every value
// names its file:line:col. No yaml-cpp or toml++ type leaves src/config.
#pragma once

#include "core/error.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace folio::config {

// Lines: "Key: value" lines, as Pelican and MultiMarkdown write metadata (keys
// lowercased; an indented line continues the value above it).
enum class Syntax { Yaml, Toml, Lines };

struct Node;
using NodePtr = std::shared_ptr<const Node>;

// A value and where it was written. A YAML alias shares the node of its anchor (a
// "billion laughs" document stays as small as it was written; walking it whole is
// the one thing a reader must not do).
struct Node {
    enum class Kind { Null, Scalar, Sequence, Mapping };
    // What a scalar was written as. YAML's plain scalars have no type until read;
    // TOML's values carry theirs (a date-time is written out in ISO 8601).
    enum class Type { Plain, String, Integer, Float, Boolean, Date, DateTime, Time };

    Kind kind = Kind::Null;
    Type type = Type::Plain;
    std::string text;                            // Scalar
    std::vector<NodePtr> items;                  // Sequence
    std::vector<std::pair<NodePtr, NodePtr>> entries;  // Mapping: key (a Scalar) and value, as written
    SourceLocation where;

    bool is_null() const { return kind == Kind::Null; }
    bool is_scalar() const { return kind == Kind::Scalar; }
    bool is_sequence() const { return kind == Kind::Sequence; }
    bool is_mapping() const { return kind == Kind::Mapping; }

    // The value of the first entry whose key is `key`, or nullptr. (A key given
    // twice is refused when the file is read.)
    const Node* find(std::string_view key) const;
    // The key itself (where it was written), or nullptr.
    const Node* find_key(std::string_view key) const;
};

// Reads `text`, whose first line is line `first_line` of `file`. Lines may end at
// LF, CRLF or a lone CR. Throws a located folio::Error on a syntax error, a key
// given twice in one mapping, a key that is not a plain value, or nesting deeper
// than a settings file needs.
NodePtr parse(Syntax syntax, const std::string& file, std::string_view text, int first_line = 1);

}  // namespace folio::config
