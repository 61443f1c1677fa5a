#include "doc/model.hpp"

#include <algorithm>

namespace folio::doc {

const Resource* Book::resource(std::string_view path) const {
    auto it = std::lower_bound(resources.begin(), resources.end(), path,
                               [](const Resource& r, std::string_view p) { return r.path < p; });
    return it != resources.end() && it->path == path ? &*it : nullptr;
}

const char* file_extension(PictureFormat format) {
    switch (format) {
        case PictureFormat::Png: return ".png";
        case PictureFormat::Jpeg: return ".jpg";
        case PictureFormat::Gif: return ".gif";
        case PictureFormat::WebP: return ".webp";
        case PictureFormat::Svg: return ".svg";
    }
    return "";
}

std::size_t Book::article_count() const {
    std::size_t n = 0;
    for (const Chapter& c : chapters) n += c.articles.size();
    return n;
}

namespace {
void append_plain(std::string& out, const Inlines& inlines) {
    for (const Inline& in : inlines) {
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Text> || std::is_same_v<T, Code>) {
                    out += v.text;
                } else if constexpr (std::is_same_v<T, LineBreak>) {
                    out += ' ';
                } else if constexpr (std::is_same_v<T, Image>) {
                    out += v.alt;
                } else if constexpr (std::is_same_v<T, NoteRef>) {
                    // a note call is not part of the running text
                } else {
                    append_plain(out, v.content);
                }
            },
            in.value);
    }
}
}  // namespace

std::string plain_text(const Inlines& inlines) {
    std::string out;
    append_plain(out, inlines);
    return out;
}

}  // namespace folio::doc
