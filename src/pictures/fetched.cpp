#include "pictures/picture.hpp"

#include "core/hash.hpp"

namespace folio::pictures {

// `folio fetch BOOK` downloads each remote picture once into BOOK/fetched/, named by
// the address it came from; a build finds the copy by that name and never goes to
// the network itself.
std::optional<std::string> fetched_copy(const std::filesystem::path& book_root, std::string_view url) {
    const std::string prefix = sha1_hex(url).substr(0, 16);
    std::error_code ec;
    std::optional<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(book_root / "fetched", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        if (name.size() > prefix.size() && name[prefix.size()] != '.') continue;
        if (!entry.is_regular_file(ec)) continue;
        if (!found || name < *found) found = name;  // the same one whatever order the folder lists
    }
    if (found) return "fetched/" + *found;
    return std::nullopt;
}

}  // namespace folio::pictures
