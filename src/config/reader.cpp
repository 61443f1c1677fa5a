#include "config/reader.hpp"

#include <algorithm>

namespace folio::config {

namespace {

// Levenshtein distance, ASCII case ignored: keys are short, so the plain table will do.
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = (a[i - 1] | 0x20) == (b[j - 1] | 0x20);
            const std::size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = row[j];
            row[j] = next;
        }
    }
    return row[b.size()];
}

std::string list_of(Keys known) {
    std::string out;
    for (std::string_view k : known) out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
}

}  // namespace

std::optional<std::string> did_you_mean(std::string_view key, Keys known) {
    if (key.size() > 64) return std::nullopt;
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (std::string_view k : known) {
        const std::size_t d = distance(key, k);
        // One slip in a short key, two in a longer one, never half the key.
        const std::size_t allowed = std::min<std::size_t>(k.size() <= 4 ? 1 : 2, (k.size() + 1) / 3);
        if (key == k || d > allowed) continue;
        if (!best || d < best_distance) best = std::string(k), best_distance = d;
    }
    return best;
}

std::string unknown_key_hint(std::string_view key, Keys known) {
    const std::string list = "known keys: " + list_of(known);
    if (auto near = did_you_mean(key, known)) return "did you mean '" + *near + "'? " + list;
    return list;
}

void fail(const Node& node, const std::string& message, const std::string& hint) {
    throw Error(message, node.where, hint);
}

void require_mapping(const Node& node, const std::string& what) {
    if (!node.is_mapping()) fail(node, what + " must be a mapping of keys to values", "write one 'key: value' per line");
}

std::vector<const Node*> unknown_keys(const Node& map, Keys known, const std::string& what, Diagnostics& diagnostics) {
    std::vector<const Node*> out;
    for (const auto& [k, v] : map.entries) {
        if (!k->is_scalar()) {
            diagnostics.warn(k->where, "a key in " + what + " must be a name, not a list or mapping",
                             "write one 'key: value' per line");
            continue;
        }
        if (std::find(known.begin(), known.end(), k->text) == known.end()) out.push_back(k.get());
    }
    return out;
}

void check_keys(const Node& map, Keys known, const std::string& what, Diagnostics& diagnostics) {
    for (const Node* k : unknown_keys(map, known, what, diagnostics))
        diagnostics.warn(k->where, "unknown key '" + k->text + "' in " + what, unknown_key_hint(k->text, known));
}

std::string scalar(const Node& node, std::string_view key) {
    if (!node.is_scalar())
        fail(node, "'" + std::string(key) + "' must be a single value", "write it on one line after the colon");
    if (node.text.size() > kMaxValueBytes)
        fail(node, "'" + std::string(key) + "' is " + std::to_string(node.text.size()) + " bytes long",
             "a value may have at most " + std::to_string(kMaxValueBytes) + " bytes");
    return std::string(text::trim(node.text));
}

std::optional<std::string> string(const Node& map, std::string_view key) {
    const Node* node = map.find(key);
    if (!node || node->is_null()) return std::nullopt;
    return scalar(*node, key);
}

std::string required_string(const Node& map, std::string_view key, const std::string& hint) {
    auto value = string(map, key);
    if (!value || value->empty()) throw Error("missing '" + std::string(key) + "'", {map.where.file, 1, 1}, hint);
    return *value;
}

std::optional<std::vector<std::string>> string_list(const Node& map, std::string_view key) {
    const Node* node = map.find(key);
    if (!node || node->is_null()) return std::nullopt;
    std::vector<std::string> out;
    if (node->is_sequence()) {
        for (const NodePtr& item : node->items) {
            if (item->is_null()) continue;
            std::string s = scalar(*item, key);
            if (!s.empty()) out.push_back(std::move(s));
        }
    } else {
        std::string s = scalar(*node, key);
        if (!s.empty()) out.push_back(std::move(s));
    }
    return out;
}

std::optional<bool> boolean(const Node& map, std::string_view key) {
    const Node* node = map.find(key);
    if (!node || node->is_null()) return std::nullopt;
    const std::string v = text::to_lower_ascii(scalar(*node, key));
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
    fail(*node, "'" + std::string(key) + "' must be true or false, got \"" + v + "\"");
}

std::optional<text::Timestamp> timestamp(const Node& map, std::string_view key) {
    const Node* node = map.find(key);
    if (!node || node->is_null()) return std::nullopt;
    const std::string value = scalar(*node, key);
    std::string why;
    auto t = text::parse_timestamp(value, &why);
    if (!t)
        fail(*node, "'" + std::string(key) + "' must be a date, got \"" + value + "\" (" + why + ")",
             "write it like 2024-05-03, or with a time and zone: 2024-05-03T10:20:00+02:00");
    return t;
}

}  // namespace folio::config
