// A cache shared by the threads that set a book's articles: words repeat (a few
// thousand make most of any text), so each is shaped and hyphenated once. Split in
// shards, each with its own lock, so that threads seldom wait for each other.
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace folio::layout {

template <class Value>
class ShardedCache {
public:
    // The cached value for `key`, computing it with make() the first time. The
    // reference stays valid as long as the cache (the map's nodes never move).
    template <class Make>
    const Value& get(const std::string& key, Make&& make) {
        Shard& shard = m_shards[std::hash<std::string>{}(key) % m_shards.size()];
        {
            std::lock_guard lock(shard.mutex);
            auto it = shard.map.find(key);
            if (it != shard.map.end()) return it->second;
        }
        Value value = make();
        std::lock_guard lock(shard.mutex);
        return shard.map.emplace(key, std::move(value)).first->second;
    }

private:
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Value> map;
    };
    std::array<Shard, 32> m_shards;
};

}  // namespace folio::layout
