#include "cache/deflated.hpp"

#include "cache/paragraphs.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

#include <xxhash.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace folio::cache {

namespace fs = std::filesystem;

DeflatedStore::DeflatedStore(fs::path file, std::string_view stamp, std::size_t memory_budget)
    : m_budget(memory_budget), m_seed(XXH3_64bits(stamp.data(), stamp.size())), m_path(std::move(file)) {}

void DeflatedStore::open() {
    std::lock_guard lock(m_mutex);
    open_locked();
}

void DeflatedStore::open_locked() {
    if (m_opened) return;
    m_opened = true;
    if (!m_path) return;
    try {
        m_file = read_file(*m_path);
    } catch (const Error&) {
        return;  // none yet
    }
    // The records are pieces of m_file, which is not changed while any is kept.
    const std::optional<std::vector<KeyedRecord>> records = read_paragraph_file(m_file);
    if (!records) {
        std::string().swap(m_file);
        ++m_counts.ignored;
        m_changed = true;  // written again whole
        return;
    }
    for (const auto& [key, record] : *records) {
        if (m_bytes + record.size() > m_budget) break;
        // Buffers from the file were asked for by no build of this process yet.
        if (m_kept.try_emplace(key, Kept{{}, record, 0}).second) m_bytes += record.size();
    }
}

std::string DeflatedStore::zlib(std::string_view bytes, int level) {
    return recall_or(bytes, m_seed + static_cast<std::uint64_t>(level),
                     [level](std::string_view b) { return compress::zlib(b, level); });
}

std::string DeflatedStore::deflate_raw(std::string_view bytes, int level) {
    // Another seed for the bare stream: the same bytes at the same level are another answer.
    return recall_or(bytes, m_seed + 100 + static_cast<std::uint64_t>(level),
                     [level](std::string_view b) { return compress::deflate_raw(b, level); });
}

std::string DeflatedStore::remembered(std::string_view material, const std::function<std::string()>& make) {
    // A third seed: material is not the bytes of a buffer to deflate.
    return recall_or(material, m_seed + 200, [&make](std::string_view) { return make(); });
}

template <class Deflate>
std::string DeflatedStore::recall_or(std::string_view bytes, std::uint64_t seed, Deflate deflate) {
    const XXH128_hash_t h = XXH3_128bits_withSeed(bytes.data(), bytes.size(), seed);
    const layout::MemoKey key{h.low64, h.high64};
    {
        std::lock_guard lock(m_mutex);
        open_locked();
        if (auto it = m_kept.find(key); it != m_kept.end()) {
            it->second.build = m_build;
            ++m_counts.reused;
            return std::string(it->second.bytes);
        }
    }
    std::string deflated = deflate(bytes);  // outside the lock: other pages go on meanwhile
    std::lock_guard lock(m_mutex);
    ++m_counts.deflated;
    if (m_bytes + deflated.size() <= m_budget) {
        const auto [it, fresh] = m_kept.try_emplace(key, Kept{deflated, {}, m_build});
        if (fresh) {
            it->second.bytes = it->second.own;
            m_bytes += deflated.size();
            m_changed = true;
        }
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
        m_changed = true;
    }
    ++m_build;
    if (!m_path || !m_changed) return;
    m_changed = false;
    // In the order of their keys, so that the same buffers give the same file.
    std::vector<KeyedRecord> records;
    records.reserve(m_kept.size());
    for (const auto& [key, kept] : m_kept) records.emplace_back(key, kept.bytes);
    std::sort(records.begin(), records.end(), [](const KeyedRecord& a, const KeyedRecord& b) {
        return std::pair(a.first.low, a.first.high) < std::pair(b.first.low, b.first.high);
    });
    std::error_code ec;
    fs::create_directories(m_path->parent_path(), ec);
    const auto [header, body] = paragraph_file_pieces(records);
    replace_file_quickly(*m_path, {header, body});
    tend_folder(m_path->parent_path());
}

DeflatedStore::Counts DeflatedStore::take_counts() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_counts, {});
}

}  // namespace folio::cache
