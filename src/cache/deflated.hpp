// Deflated buffers kept from one build to the next in the same process (folio
// watch and serve): a PDF page's content stream that comes out of a build as it
// came out of the one before is not compressed again. Keyed by a hash of the
// bytes and the level (xxHash's XXH3, 128 bits), so an answer is always what
// compress::zlib gives for those bytes. Used by `build` only.
#pragma once

#include "core/compress.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace folio::cache {

class DeflatedStore final : public compress::DeflateMemo {
public:
    // A long book's streams beyond the budget are deflated at every build rather
    // than held (the 1,000-article book's two PDFs: about 80 MB of streams).
    static constexpr std::size_t kMemoryBudget = std::size_t{128} << 20;
    explicit DeflatedStore(std::size_t memory_budget = kMemoryBudget) : m_budget(memory_budget) {}

    std::string zlib(std::string_view bytes, int level) override;

    // After a build: what it did not ask for is let go.
    void end_build();

    struct Counts {
        long reused = 0;    // buffers answered from an earlier build
        long deflated = 0;  // buffers compressed
    };
    // Since they were last taken.
    Counts take_counts();

private:
    struct Key {
        std::uint64_t low, high;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const { return static_cast<std::size_t>(k.low); }
    };
    struct Kept {
        std::string bytes;
        std::uint64_t build;  // the last build that asked for it
    };

    std::mutex m_mutex;
    std::unordered_map<Key, Kept, KeyHash> m_kept;
    std::size_t m_bytes = 0;
    std::size_t m_budget;
    std::uint64_t m_build = 0;
    Counts m_counts;
};

}  // namespace folio::cache
