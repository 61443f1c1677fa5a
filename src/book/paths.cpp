#include "book/paths.hpp"

#include <fnmatch.h>

#include <algorithm>

namespace folio::book {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void leaves(const SourceLocation& where, const char* what, std::string_view written) {
    throw Error(std::string(what) + " '" + std::string(written) + "' is outside the book folder", where,
                "every file of a book lives in its folder; copy the file into it");
}

// Follows symbolic links: the real path must stay under the real book folder.
void check_real_path(const fs::path& root, const std::string& rel, const SourceLocation& where, const char* what,
                     std::string_view written) {
    std::error_code ec;
    const fs::path real_root = fs::weakly_canonical(root, ec);
    if (ec) return;
    const fs::path real = fs::weakly_canonical(root / rel, ec);
    if (ec) return;
    const fs::path inside = real.lexically_relative(real_root);
    if (inside.empty() || *inside.begin() == "..") leaves(where, what, written);
}

}  // namespace

std::string book_relative(const fs::path& root, std::string_view written, const std::string& base,
                          const SourceLocation& where, const char* what) {
    const fs::path p(written);
    if (p.is_absolute() || (!written.empty() && written.front() == '~')) leaves(where, what, written);
    const fs::path joined = (fs::path(base) / p).lexically_normal();
    if (joined.empty() || *joined.begin() == "..") leaves(where, what, written);
    std::string rel = joined.generic_string();
    check_real_path(root, rel, where, what, written);
    return rel;
}

bool has_glob_characters(std::string_view pattern) { return pattern.find_first_of("*?[") != std::string_view::npos; }

std::vector<std::string> expand_glob(const fs::path& root, const std::string& pattern, const SourceLocation& where) {
    const std::string rel_pattern = book_relative(root, pattern, "", where, "glob");
    // Walk from the deepest folder that has no wildcard in it.
    std::string fixed;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = rel_pattern.find('/', start);
        if (slash == std::string::npos) break;
        const std::string_view part(rel_pattern.data() + start, slash - start);
        if (has_glob_characters(part)) break;
        fixed = rel_pattern.substr(0, slash);
        start = slash + 1;
    }
    const bool any_depth = rel_pattern.find("**") != std::string::npos;
    std::vector<std::string> out;
    std::error_code ec;
    const fs::path walk_from = fixed.empty() ? root : root / fixed;
    if (!fs::is_directory(walk_from, ec)) return out;
    // The walk starts inside the book (book_relative checked it) and does not follow
    // links to folders, so only a match that is itself a link can lead out: only
    // those are resolved (a few system calls each, for every article of a long book).
    auto consider = [&](const fs::directory_entry& entry) {
        if (!entry.is_regular_file(ec)) return;
        const std::string rel = entry.path().lexically_relative(root).generic_string();
        const int flags = any_depth ? 0 : FNM_PATHNAME;
        if (::fnmatch(rel_pattern.c_str(), rel.c_str(), flags | FNM_PERIOD) == 0) {
            if (entry.is_symlink(ec) || ec) check_real_path(root, rel, where, "glob match", rel);
            out.push_back(rel);
        }
    };
    if (any_depth) {
        for (const auto& entry : fs::recursive_directory_iterator(walk_from, ec)) consider(entry);
    } else {
        // Without '**' the pattern's depth is fixed: one level below `fixed` per component.
        const auto depth = std::count(rel_pattern.begin() + static_cast<std::ptrdiff_t>(start), rel_pattern.end(), '/');
        if (depth == 0) {
            for (const auto& entry : fs::directory_iterator(walk_from, ec)) consider(entry);
        } else {
            for (auto it = fs::recursive_directory_iterator(walk_from, ec); it != fs::recursive_directory_iterator();
                 it.increment(ec)) {
                if (it.depth() > depth) {
                    it.disable_recursion_pending();
                    continue;
                }
                consider(*it);
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace folio::book
