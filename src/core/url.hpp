// Web addresses as articles write them, for linking a collection: split into their
// parts, made absolute against a page's address, compared. Only what folio needs
// of RFC 3986; no network.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace folio::url {

struct Parts {
    std::string scheme;     // lowercase, without ':' ("https"); empty for a relative reference
    std::string authority;  // lowercase host[:port], without "//"; empty when none
    bool has_authority = false;
    std::string path;       // as written ("/blog/x/", "../y", "")
    std::string query;      // without '?', empty when none
    std::string fragment;   // without '#', empty when none
    bool has_query = false, has_fragment = false;
};

Parts split(std::string_view reference);

// Whether `s` starts with a scheme ("https:", "mailto:").
bool has_scheme(std::string_view s);

// `reference` resolved against the absolute address `base` (RFC 3986 §5.2, with
// dot segments removed). Returns "" when `base` has no scheme.
std::string resolve(std::string_view reference, std::string_view base);

// The file a relative or site-relative reference names, as a web server finds it:
// without its query and fragment, and with its %XX escapes decoded
// ("my%20photo.png?w=600" -> "my photo.png"). An escape that is not two hex digits
// stays as written.
std::string served_path(std::string_view reference);

// A data: URL (RFC 2397) whose data is in base64, as editors paste pictures into a
// post: its media type, lowercase and without parameters ("image/png"), and its
// bytes. None for another kind of URL, data not in base64, or base64 that does not
// decode.
struct DataUrl {
    std::string media_type;
    std::string bytes;
};
std::optional<DataUrl> data_url(std::string_view url);

// An address reduced for comparison: "https://Site.example/blog/x/index.html?q#f" ->
// "site.example/blog/x": no scheme, query, fragment, "index.html" or trailing '/'.
std::string key(std::string_view absolute);

}  // namespace folio::url
