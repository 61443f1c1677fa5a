// Typed, located reading of a settings tree (config/tree.hpp), with the same checks
// for every file folio reads: a value of the wrong shape is an error at its place,
// an unknown key gets a hint naming the nearest known one ("did you mean
// 'leading'?"), a value longer than any setting needs is refused.
#pragma once

#include "config/tree.hpp"
#include "core/diagnostics.hpp"
#include "core/text.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace folio::config {

// Room for a licence's whole text (CC BY 4.0's legal code is about 19 KB) in a
// `license:` or verbatim `credit:`; a value of 50 MB would be copied into every
// output and, as a title, set on every page's running head.
constexpr std::size_t kMaxValueBytes = 64 * 1024;

using Keys = std::span<const std::string_view>;

// The known key nearest to `key` (by edit distance, case ignored), when it is near
// enough to be a slip of the keyboard: "leadng" -> "leading".
std::optional<std::string> did_you_mean(std::string_view key, Keys known);

// "known keys: a, b, c" or "did you mean 'x'? known keys: …": the hint for an unknown key.
std::string unknown_key_hint(std::string_view key, Keys known);

[[noreturn]] void fail(const Node& node, const std::string& message, const std::string& hint = {});

// `what` names the node in messages ("front matter", "'print'").
void require_mapping(const Node& node, const std::string& what);

// The keys of `map` that are not in `known`, in the order written; each key that is
// not a plain name (a list or mapping used as a key) is warned about as it is met.
std::vector<const Node*> unknown_keys(const Node& map, Keys known, const std::string& what, Diagnostics& diagnostics);

// Warns about each unknown key of `map`, with a hint.
void check_keys(const Node& map, Keys known, const std::string& what, Diagnostics& diagnostics);

// A single value, trimmed; an error if it is a list or mapping, or too long.
std::string scalar(const Node& node, std::string_view key);

// map[key] as a single value, or nothing when absent or null.
std::optional<std::string> string(const Node& map, std::string_view key);
// The same, an error at the file's first line when absent or empty.
std::string required_string(const Node& map, std::string_view key, const std::string& hint);
// A value or a list of values ("author: Jane" or "author: [Jane, John]"); empty
// entries are left out.
std::optional<std::vector<std::string>> string_list(const Node& map, std::string_view key);
// true/false (yes/no, on/off in YAML), or an error.
std::optional<bool> boolean(const Node& map, std::string_view key);

// A date or a date and time, as authors' tools write them (text::parse_timestamp);
// an error, with a hint, when the value is not one.
std::optional<text::Timestamp> timestamp(const Node& map, std::string_view key);

}  // namespace folio::config
