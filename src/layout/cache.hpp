// A cache shared by the threads that set a book's articles: words repeat (a few
// thousand make most of any text), so each is measured once. Split in shards, each
// with its own lock, so that threads seldom wait for each other.
//
// Each shard allocates its entries (the map's nodes and what the values hold) from
// one growing arena: an entry's parts then sit side by side, and a lookup costs one
// or two cache misses rather than one per part. Values that hold memory should be
// allocator-aware (std::pmr) to land in the arena too.
#pragma once

#include <array>
#include <memory_resource>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace folio::layout {

template <class Value>
class ShardedCache {
public:
    // The cached value for `key`, computing it with make() the first time. The
    // reference stays valid as long as the cache (the map's nodes never move).
    template <class Make>
    const Value& get(std::string_view key, Make&& make) {
        const std::size_t h = Hash{}(key);
        Shard& shard = m_shards[h % m_shards.size()];
        {
            std::lock_guard lock(shard.mutex);
            auto it = shard.map.find(key);
            if (it != shard.map.end()) return it->second;
        }
        Value value = make();
        std::lock_guard lock(shard.mutex);
        return shard.map.try_emplace(std::pmr::string(key, &shard.arena), std::move(value)).first->second;
    }

private:
    struct Hash {
        using is_transparent = void;  // find() by string_view, without making a string
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Shard {
        std::mutex mutex;
        std::pmr::monotonic_buffer_resource arena;
        std::pmr::unordered_map<std::pmr::string, Value, Hash, std::equal_to<>> map{&arena};
    };
    std::array<Shard, 32> m_shards;
};

}  // namespace folio::layout
