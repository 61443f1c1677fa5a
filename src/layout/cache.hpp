// A cache shared by the threads that set a book's articles: words repeat (a few
// thousand make most of any text), so each is measured once. Split in shards, each
// with its own lock, so that threads seldom wait for each other.
//
// Written for memory access, which is most of a lookup's cost: a shard is an
// open-addressing table of (hash, entry) slots, and each entry is one block of the
// shard's arena, its key followed by its value, packed as bytes by whoever caches
// (a measured word: layout/paragraph.cpp). A lookup then reads one slot and one
// block, front to back; std::unordered_map reads a bucket, the node before, and
// the node, each in a different place, and a value of vectors reads each of them
// somewhere else again. Packed, the 70,000 words of the 1,000-article bench book
// take 9 MB less than they took as four vectors each.
//
// Before the shard, each thread looks in a small table of its own, without a lock:
// a few hundred words make half of any text, and their slots then stay in the
// core's own cache instead of crossing to the other core with the shard's lock.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory_resource>
#include <mutex>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace folio::layout {

class ShardedCache {
public:
    ShardedCache() = default;
    ShardedCache(const ShardedCache&) = delete;
    ShardedCache& operator=(const ShardedCache&) = delete;

    // The bytes cached for `key`, made the first time by make(), which returns them
    // in anything with data() and size() (a std::string). They stay where they are
    // as long as the cache (entries never move), starting on an 8-byte boundary.
    template <class Make>
    std::span<const std::byte> get(std::string_view key, Make&& make) {
        const std::uint64_t h = std::hash<std::string_view>{}(key);
        Recent& recent = recent_of_this_thread();
        if (recent.owner != m_id) {  // another cache's, or none yet: its entries are not ours
            recent.slots.fill({});
            recent.owner = m_id;
        }
        auto& seen = recent.slots[(h >> 11) & (recent.slots.size() - 1)];
        if (seen.entry && seen.hash == h && seen.entry->key() == key) return seen.entry->value();
        Shard& shard = m_shards[h % m_shards.size()];
        {
            std::lock_guard lock(shard.mutex);
            if (const Entry* e = shard.find(key, h)) {
                seen = {h, e};
                return e->value();
            }
        }
        const auto value = make();  // outside the lock: other threads go on meanwhile
        const std::span<const std::byte> bytes = std::as_bytes(std::span(value.data(), value.size()));
        std::lock_guard lock(shard.mutex);
        const Entry* e = shard.find(key, h);  // made meanwhile by another thread?
        if (!e) e = &shard.insert(key, h, bytes);
        seen = {h, e};
        return e->value();
    }

private:
    // A block of the arena: this header, the key, and at the next 8-byte boundary
    // the value.
    struct Entry {
        std::uint32_t key_size, value_size;

        static std::size_t value_offset(std::size_t key_size) { return (sizeof(Entry) + key_size + 7) / 8 * 8; }
        std::string_view key() const { return {reinterpret_cast<const char*>(this + 1), key_size}; }
        std::span<const std::byte> value() const {
            return {reinterpret_cast<const std::byte*>(this) + value_offset(key_size), value_size};
        }
    };
    static_assert(sizeof(Entry) == 8);
    struct Slot {
        std::uint64_t hash = 0;
        const Entry* entry = nullptr;  // null: free
    };
    struct Shard {
        std::mutex mutex;
        std::pmr::monotonic_buffer_resource arena;
        std::vector<Slot> slots = std::vector<Slot>(64);  // a power of two, at most half full
        std::size_t size = 0;

        std::size_t first_slot(std::uint64_t h) const { return (h >> 5) & (slots.size() - 1); }  // not the shard's bits
        const Entry* find(std::string_view key, std::uint64_t h) const {
            for (std::size_t i = first_slot(h);; i = (i + 1) & (slots.size() - 1)) {
                const Slot& s = slots[i];
                if (!s.entry) return nullptr;
                if (s.hash == h && s.entry->key() == key) return s.entry;
            }
        }
        const Entry& insert(std::string_view key, std::uint64_t h, std::span<const std::byte> value) {
            constexpr std::size_t kMost = std::numeric_limits<std::uint32_t>::max();
            if (key.size() > kMost || value.size() > kMost) throw std::length_error("an entry too large for the cache");
            if (2 * (size + 1) > slots.size()) grow();
            const std::size_t at = Entry::value_offset(key.size());
            void* block = arena.allocate(at + value.size(), 8);
            auto* e =
                ::new (block) Entry{static_cast<std::uint32_t>(key.size()), static_cast<std::uint32_t>(value.size())};
            std::memcpy(e + 1, key.data(), key.size());
            if (!value.empty()) std::memcpy(static_cast<std::byte*>(block) + at, value.data(), value.size());
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
