// Deflated buffers kept from one build to the next: a PDF page's content stream
// or an EPUB page that comes out of a build as it came out of the one before is
// not compressed again. Kept in memory by the process that builds again (folio
// watch and serve), or in files of the cache folder (--cache). Keyed by a hash
// of the bytes, the level and the form (zlib's wrapper or bare DEFLATE; xxHash's
// XXH3, 128 bits), seeded in a file with what makes the deflater's output what it
// is (folio's build and libdeflate's file), so an answer is always what
// compress::zlib or compress::deflate_raw gives for those bytes. remembered()
// keeps any answer made from a material the same way: a PDF page's stream with its
// elements, an EPUB article's page, and (in a store of their own, "parsed-") the
// articles' Markdown parsed. Used by `build` only.
#pragma once

#include "core/compress.hpp"
#include "core/files.hpp"
#include "layout/paragraph.hpp"

#include <array>
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
    // In kBins files named `prefix` and a bin's number ("deflated-1f"), each read
    // whole and checked before any of it is used (the paragraph files' shape:
    // cache/paragraphs.hpp), and written again by end_build() when a build asked
    // for other buffers than it holds in that bin. A buffer's bin is a part of its
    // key: a build after an edit deflates a few pages and lets a few go, and writes
    // those few bins again rather than every page of the book (the 1,000-article
    // book's 40 MB as one file: 0.15 s at the end of each build, on one core).
    // `stamp`: what the answers depend on besides the bytes and the level.
    static constexpr std::size_t kBins = 32;
    DeflatedStore(std::filesystem::path prefix, std::string_view stamp, std::size_t memory_budget = kMemoryBudget);
    // A bin's file.
    static std::filesystem::path bin_file(const std::filesystem::path& prefix, std::size_t bin);

    std::string zlib(std::string_view bytes, int level) override;
    std::string deflate_raw(std::string_view bytes, int level) override;
    std::string remembered(std::string_view material, const std::function<std::string()>& make) override;

    // Reads the file, if it was not read yet; zlib() does at its first question,
    // and a build may do it sooner, on a thread that would otherwise wait.
    void open();

    // After a build: what it did not ask for is let go (and, in files, each bin
    // whose buffers changed is written again). A file that cannot be written costs the next
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
        std::string_view bytes;  // the deflated buffer: `own`, or a piece of a bin's file
        std::uint64_t build;     // the last build that asked for it
    };
    void open_locked();
    static std::size_t bin_of(const layout::MemoKey& key) { return static_cast<std::size_t>(key.high % kBins); }
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
    std::optional<std::filesystem::path> m_prefix;
    bool m_opened = false;
    // Bins whose file no longer holds what is kept: something kept, let go, or the file damaged.
    std::array<bool, kBins> m_changed{};
    std::array<Bytes, kBins> m_files;  // the bins' files' bytes, which kept buffers may point into
    Counts m_counts;
};

}  // namespace folio::cache
