// A cache shared by the threads that set a book's articles: words repeat (a few
// thousand make most of any text), so each is measured once. Split in shards, each
// with its own lock, so that threads seldom wait for each other.
//
// Written for memory access, which is most of a lookup's cost: a shard is an
// open-addressing table of (hash, entry) slots, and each entry (key and value, with
// what the value holds when it is allocator-aware, std::pmr) sits in one arena.
// A lookup then reads one slot and one entry; std::unordered_map reads a bucket,
// the node before, and the node, each in a different place.
//
// Before the shard, each thread looks in a small table of its own, without a lock:
// a few hundred words make half of any text, and their slots then stay in the
// core's own cache instead of crossing to the other core with the shard's lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory_resource>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace folio::layout {

template <class Value>
class ShardedCache {
public:
    ShardedCache() = default;
    ShardedCache(const ShardedCache&) = delete;
    ShardedCache& operator=(const ShardedCache&) = delete;

    // The cached value for `key`, computing it with make() the first time. The
    // reference stays valid as long as the cache (entries never move).
    template <class Make>
    const Value& get(std::string_view key, Make&& make) {
        const std::uint64_t h = std::hash<std::string_view>{}(key);
        Recent& recent = recent_of_this_thread();
        if (recent.owner != m_id) {  // another cache's, or none yet: its entries are not ours
            recent.slots.fill({});
            recent.owner = m_id;
        }
        auto& seen = recent.slots[(h >> 11) & (recent.slots.size() - 1)];
        if (seen.entry && seen.hash == h && seen.entry->key == key) return seen.entry->value;
        Shard& shard = m_shards[h % m_shards.size()];
        {
            std::lock_guard lock(shard.mutex);
            if (const Entry* e = shard.find(key, h)) {
                seen = {h, e};
                return e->value;
            }
        }
        Value value = make();  // outside the lock: other threads go on meanwhile
        std::lock_guard lock(shard.mutex);
        const Entry* e = shard.find(key, h);  // made meanwhile by another thread?
        if (!e) e = &shard.insert(key, h, std::move(value));
        seen = {h, e};
        return e->value;
    }

private:
    struct Entry {
        std::pmr::string key;
        Value value;
        Entry(std::string_view k, Value&& v, std::pmr::memory_resource* arena)
            : key(k, arena), value(make_in(std::move(v), arena)) {}
        static Value make_in(Value&& v, std::pmr::memory_resource* arena) {
            if constexpr (std::uses_allocator_v<Value, std::pmr::polymorphic_allocator<>>)
                return std::make_obj_using_allocator<Value>(std::pmr::polymorphic_allocator<>(arena), std::move(v));
            else
                return std::move(v);
        }
    };
    struct Slot {
        std::uint64_t hash = 0;
        Entry* entry = nullptr;  // null: free
    };
    struct Shard {
        std::mutex mutex;
        std::pmr::monotonic_buffer_resource arena;
        std::vector<Slot> slots = std::vector<Slot>(64);  // a power of two, at most half full
        std::size_t size = 0;

        ~Shard() {
            for (Slot& s : slots)
                if (s.entry) s.entry->~Entry();
        }
        std::size_t first_slot(std::uint64_t h) const { return (h >> 5) & (slots.size() - 1); }  // not the shard's bits
        const Entry* find(std::string_view key, std::uint64_t h) const {
            for (std::size_t i = first_slot(h);; i = (i + 1) & (slots.size() - 1)) {
                const Slot& s = slots[i];
                if (!s.entry) return nullptr;
                if (s.hash == h && s.entry->key == key) return s.entry;
            }
        }
        const Entry& insert(std::string_view key, std::uint64_t h, Value&& value) {
            if (2 * (size + 1) > slots.size()) grow();
            Entry* e = std::pmr::polymorphic_allocator<Entry>(&arena).template new_object<Entry>(key, std::move(value), &arena);
            place({h, e});
            ++size;
            return *e;
        }
        void place(Slot s) {
            std::size_t i = first_slot(s.hash);
            while (slots[i].entry) i = (i + 1) & (slots.size() - 1);
            slots[i] = s;
        }
        void grow() {
            std::vector<Slot> old(2 * slots.size());
            old.swap(slots);
            for (const Slot& s : old)
                if (s.entry) place(s);
        }
    };
    // A thread's table of the entries it found last, by hash: entries never move, so
    // a pointer stays good while its cache lives, and `owner` (a number no other
    // cache has had) tells a table filled from a cache gone since.
    struct Recent {
        struct Seen {
            std::uint64_t hash = 0;
            const Entry* entry = nullptr;
        };
        std::uint64_t owner = 0;
        std::array<Seen, 8192> slots{};
    };
    static Recent& recent_of_this_thread() {
        thread_local Recent recent;  // one a thread, whatever asks
        return recent;
    }
    static inline std::atomic<std::uint64_t> s_caches{0};
    const std::uint64_t m_id = ++s_caches;
    std::array<Shard, 32> m_shards;
};

}  // namespace folio::layout
