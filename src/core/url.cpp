#include "core/url.hpp"

#include "core/text.hpp"

#include <nettle/base64.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

namespace folio::url {

bool has_scheme(std::string_view s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const char first = s[0];
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return false;
    for (char c : s.substr(0, colon))
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
              c == '.'))
            return false;
    return true;
}

Parts split(std::string_view s) {
    Parts p;
    if (const std::size_t hash = s.find('#'); hash != std::string_view::npos) {
        p.fragment = std::string(s.substr(hash + 1));
        p.has_fragment = true;
        s = s.substr(0, hash);
    }
    if (const std::size_t q = s.find('?'); q != std::string_view::npos) {
        p.query = std::string(s.substr(q + 1));
        p.has_query = true;
        s = s.substr(0, q);
    }
    if (has_scheme(s)) {
        const std::size_t colon = s.find(':');
        p.scheme = text::to_lower_ascii(s.substr(0, colon));
        s = s.substr(colon + 1);
    }
    if (s.substr(0, 2) == "//") {
        s.remove_prefix(2);
        const std::size_t slash = s.find('/');
        p.authority = text::to_lower_ascii(s.substr(0, slash));
        p.has_authority = true;
        s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
    }
    p.path = std::string(s);
    return p;
}

namespace {

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> out;
    const bool absolute = !path.empty() && path.front() == '/';
    std::size_t start = absolute ? 1 : 0;
    bool trailing_slash = false;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view segment = path.substr(start, end - start);
        trailing_slash = false;
        if (segment == "..") {
            if (!out.empty()) out.pop_back();
            trailing_slash = true;
        } else if (segment == ".") {
            trailing_slash = true;
        } else {
            out.push_back(segment);
        }
        start = end + 1;
    }
    std::string result = absolute ? "/" : "";
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i) result += '/';
        result += out[i];
    }
    if (trailing_slash && !result.empty() && result.back() != '/') result += '/';
    return result;
}

std::string recompose(const Parts& p) {
    std::string out;
    if (!p.scheme.empty()) out += p.scheme + ":";
    if (p.has_authority) out += "//" + p.authority;
    out += p.path;
    if (p.has_query) out += "?" + p.query;
    if (p.has_fragment) out += "#" + p.fragment;
    return out;
}

}  // namespace

std::string resolve(std::string_view reference, std::string_view base_text) {
    const Parts base = split(base_text);
    if (base.scheme.empty()) return "";
    Parts r = split(reference);
    Parts t;
    if (!r.scheme.empty()) {
        t = r;
        t.path = remove_dot_segments(r.path);
    } else {
        t.scheme = base.scheme;
        if (r.has_authority) {
            t.authority = r.authority;
            t.has_authority = true;
            t.path = remove_dot_segments(r.path);
            t.query = r.query;
            t.has_query = r.has_query;
        } else {
            t.authority = base.authority;
            t.has_authority = base.has_authority;
            if (r.path.empty()) {
                t.path = base.path;
                t.query = r.has_query ? r.query : base.query;
                t.has_query = r.has_query || base.has_query;
            } else {
                if (r.path.front() == '/') {
                    t.path = remove_dot_segments(r.path);
                } else {
                    std::string merged;
                    if (base.has_authority && base.path.empty())
                        merged = "/" + r.path;
                    else
                        merged = base.path.substr(0, base.path.rfind('/') + 1) + r.path;
                    t.path = remove_dot_segments(merged);
                }
                t.query = r.query;
                t.has_query = r.has_query;
            }
        }
    }
    t.fragment = r.fragment;
    t.has_fragment = r.has_fragment;
    return recompose(t);
}

std::string served_path(std::string_view reference) {
    const std::string_view path = reference.substr(0, reference.find_first_of("?#"));
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(path.size());
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 2 < path.size() && hex(path[i + 1]) >= 0 && hex(path[i + 2]) >= 0) {
            out += static_cast<char>(hex(path[i + 1]) * 16 + hex(path[i + 2]));
            i += 2;
        } else {
            out += path[i];
        }
    }
    return out;
}

std::optional<DataUrl> data_url(std::string_view url) {
    if (url.size() < 5 || text::to_lower_ascii(url.substr(0, 5)) != "data:") return std::nullopt;
    const std::size_t comma = url.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    const std::string header = text::to_lower_ascii(url.substr(5, comma - 5));
    if (header.size() < 7 || header.compare(header.size() - 7, 7, ";base64") != 0) return std::nullopt;
    DataUrl out;
    out.media_type = header.substr(0, std::min(header.find(';'), header.size()));
    // The base64 alphabet only: URLs may carry line breaks, spaces or escapes in it.
    std::string data = served_path(url.substr(comma + 1));
    data.erase(std::remove_if(data.begin(), data.end(), [](unsigned char c) { return std::isspace(c); }), data.end());
    if (data.empty() || data.size() % 4 != 0) return std::nullopt;
    // Nettle's decoder (folio's already, for SHA-1): padding only at the end.
    base64_decode_ctx context;
    base64_decode_init(&context);
    out.bytes.resize(BASE64_DECODE_LENGTH(data.size()));
    std::size_t length = out.bytes.size();
    if (!base64_decode_update(&context, &length, reinterpret_cast<std::uint8_t*>(out.bytes.data()), data.size(),
                              data.data()) ||
        !base64_decode_final(&context))
        return std::nullopt;
    out.bytes.resize(length);
    return out;
}

std::string key(std::string_view absolute) {
    const Parts p = split(absolute);
    std::string path = p.path;
    for (std::string_view index : {"index.html", "index.htm", "index.php"})
        if (path.size() >= index.size() && path.compare(path.size() - index.size(), index.size(), index) == 0 &&
            (path.size() == index.size() || path[path.size() - index.size() - 1] == '/'))
            path.erase(path.size() - index.size());
    while (!path.empty() && path.back() == '/') path.pop_back();
    std::string host = p.authority;
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    return host + path;
}

}  // namespace folio::url
