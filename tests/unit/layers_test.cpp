// The house stays one-way (DESIGN.md §3): every #include under src/ is read, and an
// include that crosses the layers in a direction the design does not draw fails
// here, as does a library's header outside the one folder that may use it.
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <tuple>
#include <map>
#include <set>

namespace folio {
namespace {

namespace fs = std::filesystem;

// Each folder of src/ and the folders its files may include (besides its own).
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"core", {}},
    {"styles", {}},
    {"config", {"core"}},
    {"doc", {"core"}},
    {"markdown", {"core", "doc"}},
    {"pictures", {"core", "doc"}},
    {"licence", {"core", "doc"}},
    {"book", {"core", "config", "doc", "licence", "markdown", "pictures", "styles"}},
    {"epub", {"core", "doc", "pictures"}},
    {"layout", {"core", "config", "doc", "pictures"}},
    {"pdf", {"core", "doc", "layout", "pictures"}},
    {"preflight", {"core", "doc", "layout", "licence", "pictures"}},
    {"cache", {"core", "doc", "layout"}},
    {"build", {"core", "doc", "book", "cache", "epub", "layout", "pdf", "preflight", "styles"}},
    {"sources", {"core", "config", "doc", "book", "markdown", "pictures"}},
    {"proof", {"core", "build", "layout", "pictures"}},
    {"serve", {"core", "build", "epub", "proof"}},
    {"cli", {"core", "build", "sources", "proof", "serve"}},
};

// A library's headers, and the folders that may include them: no cmark type
// outside src/markdown, no PoDoFo outside src/pdf, no libzip outside src/epub …
const std::map<std::string, std::set<std::string>> kLibraries = {
    {"cmark-gfm", {"markdown"}},
    {"podofo/", {"pdf"}},
    {"zip.h", {"epub"}},
    {"yaml-cpp/", {"config"}},
    {"toml++/", {"config"}},
    {"tinyxml2.h", {"epub", "pictures"}},
    {"hb-subset.h", {"pdf", "pictures"}},
    {"stb_image", {"pictures"}},
    {"librsvg/", {"pictures"}},
    {"cairo", {"pictures"}},
    {"webp/", {"pictures"}},
    {"curl/", {"sources"}},
    {"poppler/", {"proof"}},
    {"httplib.h", {"serve"}},
    {"xxhash.h", {"cache"}},
    {"CLI/", {"cli"}},
    {"hyphen.h", {"layout"}},
};

struct Include {
    std::string file;  // relative to src/
    int line;
    std::string target;
    bool angle;
};

std::vector<Include> includes_under(const fs::path& src) {
    std::vector<Include> out;
    for (const auto& e : fs::recursive_directory_iterator(src)) {
        const std::string ext = e.path().extension().string();
        if (!e.is_regular_file() || (ext != ".hpp" && ext != ".cpp" && ext != ".h")) continue;
        std::ifstream in(e.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            const std::size_t hash = line.find_first_not_of(" \t");
            if (hash == std::string::npos || line.compare(hash, 8, "#include") != 0) continue;
            const std::size_t open = line.find_first_of("\"<", hash + 8);
            if (open == std::string::npos) continue;
            const std::size_t close = line.find(line[open] == '"' ? '"' : '>', open + 1);
            out.push_back({e.path().lexically_relative(src).generic_string(), n, line.substr(open + 1, close - open - 1),
                           line[open] == '<'});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Include& a, const Include& b) { return std::tie(a.file, a.line) < std::tie(b.file, b.line); });
    return out;
}

std::string folder_of(const std::string& path) { return path.substr(0, path.find('/')); }

// Each include the design does not allow, as "file:line: what".
std::vector<std::string> crossings(const std::vector<Include>& all) {
    std::vector<std::string> out;
    for (const Include& inc : all) {
        const std::string from = folder_of(inc.file);
        const auto allowed = kAllowed.find(from);
        if (allowed == kAllowed.end()) {
            out.push_back(inc.file + ": src/" + from + " is a folder the design does not name");
            continue;
        }
        if (!inc.angle) {
            const std::string to = folder_of(inc.target);
            if (to != from && !allowed->second.count(to))
                out.push_back(inc.file + ":" + std::to_string(inc.line) + ": src/" + from + " includes " + inc.target);
            continue;
        }
        for (const auto& [header, folders] : kLibraries)
            if (inc.target.rfind(header, 0) == 0 && !folders.count(from))
                out.push_back(inc.file + ":" + std::to_string(inc.line) + ": <" + inc.target +
                              "> outside the folders that own it");
    }
    return out;
}

TEST(Layers, EveryIncludeFollowsTheDesign) {
    const std::vector<Include> all = includes_under(test::source_dir() / "src");
    ASSERT_GT(all.size(), 100u);  // the walk found the code
    const std::vector<std::string> found = crossings(all);
    std::string list;
    for (const auto& c : found) list += c + "\n";
    EXPECT_TRUE(found.empty()) << list;
}

// The check itself can fail: crossings written into a scratch tree are caught.
TEST(Layers, ACrossingIsFound) {
    test::ScratchDir dir;
    test::spit(dir / "src/epub/bad.cpp",
               "#include \"epub/package.hpp\"\n#include \"layout/pages.hpp\"\n#include <podofo/podofo.h>\n");
    test::spit(dir / "src/gadgets/x.cpp", "#include \"core/error.hpp\"\n");
    EXPECT_EQ(crossings(includes_under(dir / "src")),
              (std::vector<std::string>{"epub/bad.cpp:2: src/epub includes layout/pages.hpp",
                                        "epub/bad.cpp:3: <podofo/podofo.h> outside the folders that own it",
                                        "gadgets/x.cpp: src/gadgets is a folder the design does not name"}));
}

}  // namespace
}  // namespace folio
