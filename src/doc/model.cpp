#include "doc/model.hpp"

#include <algorithm>
#include <type_traits>

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
        doc::visit(
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

namespace {

// Moving inlines and blocks, as shrinking their arrays does, must not copy them.
static_assert(std::is_nothrow_move_constructible_v<Inline> && std::is_nothrow_move_constructible_v<Block>);
// A text run, the most common inline, sets the size of all of them (see InlineValue).
static_assert(sizeof(Inline) <= sizeof(Text) + sizeof(void*));

void fit_to_size(Inlines& list) {
    list.shrink_to_fit();
    for (Inline& in : list)
        doc::visit(
            [](auto& v) {
                if constexpr (requires { v.text.shrink_to_fit(); }) v.text.shrink_to_fit();
                if constexpr (requires { v.content.shrink_to_fit(); }) fit_to_size(v.content);
            },
            in.value);
}

}  // namespace

void fit_to_size(Blocks& blocks) {
    blocks.shrink_to_fit();
    for (Block& b : blocks)
        std::visit(
            [](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Paragraph> || std::is_same_v<T, Heading>) {
                    fit_to_size(v.content);
                } else if constexpr (std::is_same_v<T, CodeBlock>) {
                    v.text.shrink_to_fit();
                } else if constexpr (std::is_same_v<T, BlockQuote> || std::is_same_v<T, Div>) {
                    fit_to_size(v.content);
                } else if constexpr (std::is_same_v<T, Figure>) {
                    fit_to_size(v.content);
                    fit_to_size(v.caption);
                } else if constexpr (std::is_same_v<T, List>) {
                    v.items.shrink_to_fit();
                    for (Blocks& item : v.items) fit_to_size(item);
                } else if constexpr (std::is_same_v<T, Table>) {
                    for (Inlines& cell : v.header) fit_to_size(cell);
                    for (std::vector<Inlines>& row : v.rows)
                        for (Inlines& cell : row) fit_to_size(cell);
                }
            },
            b.value);
}

std::string plain_text(const Inlines& inlines) {
    std::string out;
    append_plain(out, inlines);
    return out;
}

}  // namespace folio::doc
