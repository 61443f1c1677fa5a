#include "cache/deflated.hpp"

#include <xxhash.h>

#include <utility>

namespace folio::cache {

std::string DeflatedStore::zlib(std::string_view bytes, int level) {
    const XXH128_hash_t h = XXH3_128bits_withSeed(bytes.data(), bytes.size(), static_cast<XXH64_hash_t>(level));
    const Key key{h.low64, h.high64};
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_kept.find(key); it != m_kept.end()) {
            it->second.build = m_build;
            ++m_counts.reused;
            return it->second.bytes;
        }
    }
    std::string deflated = compress::zlib(bytes, level);  // outside the lock: other pages go on meanwhile
    std::lock_guard lock(m_mutex);
    ++m_counts.deflated;
    if (m_bytes + deflated.size() <= m_budget) {
        const auto [it, fresh] = m_kept.try_emplace(key, Kept{deflated, m_build});
        if (fresh) m_bytes += deflated.size();
    }
    return deflated;
}

void DeflatedStore::end_build() {
    std::lock_guard lock(m_mutex);
    for (auto it = m_kept.begin(); it != m_kept.end();) {
        if (it->second.build == m_build) {
            ++it;
            continue;
        }
        m_bytes -= it->second.bytes.size();
        it = m_kept.erase(it);
    }
    ++m_build;
}

DeflatedStore::Counts DeflatedStore::take_counts() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_counts, {});
}

}  // namespace folio::cache
