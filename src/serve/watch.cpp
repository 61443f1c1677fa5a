#include "serve/watch.hpp"
#include "core/error.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <system_error>

namespace folio::serve {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
                                  IN_DELETE_SELF | IN_ATTRIB;

// An inotify instance over a folder and every folder under it; folders made later
// are added as they appear.
class Watcher {
public:
    Watcher(const fs::path& root, const fs::path& skip) : m_root(root), m_skip(skip) {
        m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (m_fd < 0) throw Error(std::string("cannot watch the book folder: ") + std::strerror(errno), {root.generic_string()});
        add_tree(root);
    }
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;
    ~Watcher() { ::close(m_fd); }

    // Waits up to `timeout` for changes; returns the book-relative paths of the files
    // that matter, in the order they changed (empty: none).
    std::vector<std::string> wait(std::chrono::milliseconds timeout) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
        std::vector<std::string> changed;
        alignas(inotify_event) char buffer[16384];
        for (;;) {
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n <= 0) break;
            for (ssize_t at = 0; at < n;) {
                const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
                at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
                const auto dir = m_dirs.find(e->wd);
                if (dir == m_dirs.end() || e->len == 0) continue;
                const fs::path path = dir->second / e->name;
                if (ignored(path)) continue;
                if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO))) add_tree(path);
                changed.push_back(path.lexically_relative(m_root).generic_string());
            }
        }
        return changed;
    }

private:
    void add_tree(const fs::path& dir) {
        if (ignored(dir) && dir != m_root) return;
        const int wd = ::inotify_add_watch(m_fd, dir.c_str(), kEvents | IN_ONLYDIR);
        if (wd < 0) {
            if (dir == m_root)
                throw Error(std::string("cannot watch the book folder: ") + std::strerror(errno), {dir.generic_string()});
            return;  // gone already, or not ours to read: its files cannot be part of the book
        }
        m_dirs[wd] = dir;
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_directory(ec) && !it->is_symlink(ec)) add_tree(it->path());
    }

    // The output folder (when it is inside the book), hidden files and folders, and
    // editors' swap and backup files.
    bool ignored(const fs::path& path) const {
        if (!m_skip.empty()) {
            const auto rel = path.lexically_relative(m_skip);
            if (!rel.empty() && *rel.begin() != "..") return true;
        }
        const std::string name = path.filename().string();
        return name.empty() || name.front() == '.' || name.back() == '~' || name.ends_with(".swp") ||
               name.ends_with(".swx") || name.front() == '#';
    }

    fs::path m_root, m_skip;
    int m_fd = -1;
    std::map<int, fs::path> m_dirs;
};

fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    const fs::path a = fs::weakly_canonical(fs::absolute(p), ec);
    return ec ? fs::absolute(p).lexically_normal() : a;
}

std::set<std::string> formatted(const std::vector<Diagnostic>& list) {
    std::set<std::string> out;
    for (const Diagnostic& d : list) out.insert(d.format());
    return out;
}

}  // namespace

void watch(const fs::path& book_dir, const WatchOptions& options, const build::BuildContext& context,
           const std::function<void(const BuildOutcome&)>& report, const std::atomic<bool>& stop) {
    const fs::path root = absolute_normal(book_dir);
    Watcher watcher(root, absolute_normal(options.build.out_dir));
    // Each build sets again only the paragraphs an edit changed: the others are kept
    // in memory from the build before.
    build::Options build_options = options.build;
    if (!build_options.kept) build_options.kept = build::keep_paragraphs_between_builds();
    std::set<std::string> previous_warnings;
    std::string changed;
    for (int number = 1; !stop; ++number) {
        BuildOutcome outcome;
        outcome.number = number;
        outcome.changed = changed;
        layout::LayoutStats stats;
        const auto start = std::chrono::steady_clock::now();
        try {
            outcome.written = build::build_book(book_dir, build_options, context, outcome.diagnostics,
                                                build::Strictness::WarningsPass, &stats, &outcome.preflight, nullptr,
                                                &outcome.articles);
            outcome.ok = true;
            for (build::Format f : options.build.formats)
                if (f != build::Format::Epub) outcome.stats = stats;
        } catch (const Error& e) {
            outcome.error = e.format();
        } catch (const ErrorsReported&) {
            // The errors are in outcome.diagnostics.
        }
        outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const std::set<std::string> warnings = formatted(outcome.diagnostics.warnings());
        for (const std::string& w : warnings) outcome.new_warnings += previous_warnings.count(w) == 0;
        if (outcome.ok) previous_warnings = warnings;
        report(outcome);

        // Wait for a change, then for the edits to settle (an editor's save is often
        // several events: a temporary file, a rename, a change of mode).
        std::vector<std::string> paths;
        while (!stop && paths.empty()) paths = watcher.wait(std::chrono::milliseconds(100));
        for (std::vector<std::string> more; !stop && !(more = watcher.wait(options.settle)).empty();)
            paths.insert(paths.end(), more.begin(), more.end());
        // The change is named by the first file still there: a temporary file an
        // editor or `sed -i` wrote and renamed over the article is gone.
        const auto there = std::find_if(paths.begin(), paths.end(), [&](const std::string& p) {
            std::error_code ec;
            return fs::exists(root / p, ec);
        });
        changed = paths.empty() ? std::string() : there != paths.end() ? *there : paths.front();
    }
}

}  // namespace folio::serve
