#include "cache/deflated.hpp"

#include "cache/paragraphs.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace folio::cache {

namespace fs = std::filesystem;

DeflatedStore::DeflatedStore(fs::path prefix, std::string_view stamp, std::size_t memory_budget)
    : m_budget(memory_budget), m_seed(XXH3_64bits(stamp.data(), stamp.size())), m_prefix(std::move(prefix)) {}

fs::path DeflatedStore::bin_file(const fs::path& prefix, std::size_t bin) {
    char name[4];
    std::snprintf(name, sizeof name, "-%02zx", bin);
    fs::path out = prefix;
    out += name;
    return out;
}

void DeflatedStore::open() {
    std::lock_guard lock(m_mutex);
    open_locked();
}

void DeflatedStore::open_locked() {
    if (m_opened) return;
    m_opened = true;
    if (!m_prefix) return;
    for (std::size_t bin = 0; bin < kBins; ++bin) {
        Bytes& file = m_files[bin];
        try {
            file = read_file_bytes(bin_file(*m_prefix, bin), /*mapped=*/true);  // replaced only by renaming
        } catch (const Error&) {
            continue;  // none yet
        }
        // The records are pieces of the file, which is not changed while any is kept.
        const std::optional<std::vector<KeyedRecord>> records = read_paragraph_file(file.view());
        if (!records) {
            file = Bytes();
            ++m_counts.ignored;
            m_changed[bin] = true;  // written again whole
            continue;
        }
        for (const auto& [key, record] : *records) {
            if (bin_of(key) != bin) {  // not this bin's: the file is written again without it
                m_changed[bin] = true;
                continue;
            }
            if (m_bytes + record.size() > m_budget) break;
            // Buffers from the files were asked for by no build of this process yet.
            if (m_kept.try_emplace(key, Kept{{}, record, 0}).second) m_bytes += record.size();
        }
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
    if (m_bytes + deflated.size() > m_budget) {
        ++m_counts.deflated;
        return deflated;
    }
    const auto [it, fresh] = m_kept.try_emplace(key, Kept{deflated, {}, m_build});
    if (!fresh) {
        // Made meanwhile by another thread (two pages alike, drawn at once): counted
        // as the answer it is, so that the counts do not depend on the threads' timing.
        it->second.build = m_build;
        ++m_counts.reused;
        return deflated;
    }
    ++m_counts.deflated;
    it->second.bytes = it->second.own;
    m_bytes += deflated.size();
    m_changed[bin_of(key)] = true;
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
        m_changed[bin_of(it->first)] = true;
        it = m_kept.erase(it);
    }
    ++m_build;
    if (!m_prefix || std::none_of(m_changed.begin(), m_changed.end(), [](bool c) { return c; })) return;
    std::array<std::vector<KeyedRecord>, kBins> bins;
    for (const auto& [key, kept] : m_kept)
        if (m_changed[bin_of(key)]) bins[bin_of(key)].emplace_back(key, kept.bytes);
    std::error_code ec;
    fs::create_directories(m_prefix->parent_path(), ec);
    for (std::size_t bin = 0; bin < kBins; ++bin) {
        if (!m_changed[bin]) continue;
        m_changed[bin] = false;
        std::vector<KeyedRecord>& records = bins[bin];
        if (records.empty()) {
            fs::remove(bin_file(*m_prefix, bin), ec);
            continue;
        }
        // In the order of their keys, so that the same buffers give the same file.
        std::sort(records.begin(), records.end(), [](const KeyedRecord& a, const KeyedRecord& b) {
            return std::pair(a.first.low, a.first.high) < std::pair(b.first.low, b.first.high);
        });
        const auto [header, body] = paragraph_file_pieces(records);
        replace_file_quickly(bin_file(*m_prefix, bin), {header, body});
    }
    // The one file that earlier builds of folio kept them all in, if the folder has it.
    fs::remove(*m_prefix, ec);
    tend_folder(m_prefix->parent_path());
}

DeflatedStore::Counts DeflatedStore::take_counts() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_counts, {});
}

}  // namespace folio::cache
