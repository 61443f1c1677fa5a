// Deflated buffers kept from one build to the next: a PDF page's content stream
// or an EPUB page that comes out of a build as it came out of the one before is
// not compressed again. Kept in memory by the process that builds again (folio
// watch and serve), or in a file of the cache folder (--cache). Keyed by a hash
// of the bytes, the level and the form (zlib's wrapper or bare DEFLATE; xxHash's
// XXH3, 128 bits), seeded in a file with what makes the deflater's output what it
// is (folio's build and libdeflate's file), so an answer is always what
// compress::zlib or compress::deflate_raw gives for those bytes. Used by `build` only.
#pragma once

#include "core/compress.hpp"
#include "layout/paragraph.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace folio::cache {

class DeflatedStore final : public compress::DeflateMemo {
public:
    // A long book's streams beyond the budget are deflated at every build rather
    // than held (the 1,000-article book's two PDFs: about 80 MB of streams).
    static constexpr std::size_t kMemoryBudget = std::size_t{128} << 20;
    // In memory, from one build to the next in the same process.
    explicit DeflatedStore(std::size_t memory_budget = kMemoryBudget) : m_budget(memory_budget) {}
    // In `file`, read whole and checked before any of it is used (the paragraph
    // files' shape: cache/paragraphs.hpp), and written again by end_build() when a
    // build asked for other buffers than it holds. `stamp`: what the answers
    // depend on besides the bytes and the level.
    DeflatedStore(std::filesystem::path file, std::string_view stamp, std::size_t memory_budget = kMemoryBudget);

    std::string zlib(std::string_view bytes, int level) override;
    std::string deflate_raw(std::string_view bytes, int level) override;
    std::string remembered(std::string_view material, const std::function<std::string()>& make) override;

    // Reads the file, if it was not read yet; zlib() does at its first question,
    // and a build may do it sooner, on a thread that would otherwise wait.
    void open();

    // After a build: what it did not ask for is let go (and, in a file, the file
    // is written again without it). A file that cannot be written costs the next
    // build its speed, never this one its output: failures are ignored.
    void end_build();

    struct Counts {
        long reused = 0;    // buffers answered from an earlier build
        long deflated = 0;  // buffers compressed
        long ignored = 0;   // files not whole (truncated, altered, another format), ignored
    };
    // Since they were last taken.
    Counts take_counts();

private:
    struct Kept {
        std::string own;         // deflated in this process; empty when it is in the file's bytes
        std::string_view bytes;  // the deflated buffer: `own`, or a piece of m_file
        std::uint64_t build;     // the last build that asked for it
    };
    void open_locked();
    // The kept answer for `bytes` under `seed`, else `deflate(bytes)`, kept.
    template <class Deflate>
    std::string recall_or(std::string_view bytes, std::uint64_t seed, Deflate deflate);

    std::mutex m_mutex;
    std::unordered_map<layout::MemoKey, Kept, layout::MemoKeyHash>
        m_kept;  // nodes stay put: a Kept's view into its `own` holds
    std::size_t m_bytes = 0;
    std::size_t m_budget;
    std::uint64_t m_build = 1;
    std::uint64_t m_seed = 0;  // added to the level, the hash's seed
    std::optional<std::filesystem::path> m_path;
    bool m_opened = false;
    bool m_changed = false;  // the file no longer holds what is kept: something kept, let go, or the file damaged
    std::string m_file;      // the file's bytes, which kept buffers may point into
    Counts m_counts;
};

}  // namespace folio::cache
