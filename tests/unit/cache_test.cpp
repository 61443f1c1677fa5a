#include "layout/cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory_resource>
#include <string>
#include <thread>
#include <vector>

namespace folio::layout {
namespace {

// An allocator-aware value, as the typesetter's measured words are.
struct Numbers {
    using allocator_type = std::pmr::polymorphic_allocator<>;
    std::pmr::vector<int> values;
    Numbers() = default;
    explicit Numbers(const allocator_type& a) : values(a) {}
    Numbers(const Numbers& o, const allocator_type& a) : values(o.values, a) {}
    Numbers(Numbers&& o, const allocator_type& a) : values(std::move(o.values), a) {}
    Numbers(const Numbers&) = default;
    Numbers(Numbers&&) = default;
};

Numbers numbers_of(const std::string& key) {
    Numbers n;
    for (char c : key) n.values.push_back(c);
    return n;
}

TEST(ShardedCache, MakesEachValueOnceAndKeepsItInPlace) {
    ShardedCache<Numbers> cache;
    int made = 0;
    std::vector<const Numbers*> first;
    for (int i = 0; i < 5000; ++i) {  // enough to grow every shard's table several times
        const std::string key = "word" + std::to_string(i);
        first.push_back(&cache.get(key, [&] { ++made; return numbers_of(key); }));
    }
    EXPECT_EQ(made, 5000);
    for (int i = 0; i < 5000; ++i) {
        const std::string key = "word" + std::to_string(i);
        const Numbers& again = cache.get(key, [&] { ++made; return Numbers{}; });
        EXPECT_EQ(&again, first[static_cast<std::size_t>(i)]);  // the same entry, where it was
        EXPECT_EQ(std::string(again.values.begin(), again.values.end()), key);
    }
    EXPECT_EQ(made, 5000);
}

TEST(ShardedCache, GivesEveryThreadTheSameEntry) {
    ShardedCache<Numbers> cache;
    std::vector<std::vector<const Numbers*>> seen(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 3000; ++i) {
                const std::string key = std::to_string((i * 7 + static_cast<int>(t)) % 1000);
                seen[t].push_back(&cache.get(key, [&] { return numbers_of(key); }));
            }
        });
    for (auto& th : threads) th.join();
    std::vector<const Numbers*> by_key(1000, nullptr);
    for (std::size_t t = 0; t < seen.size(); ++t)
        for (int i = 0; i < 3000; ++i) {
            const int key = (i * 7 + static_cast<int>(t)) % 1000;
            const Numbers* p = seen[t][static_cast<std::size_t>(i)];
            if (!by_key[static_cast<std::size_t>(key)]) by_key[static_cast<std::size_t>(key)] = p;
            ASSERT_EQ(p, by_key[static_cast<std::size_t>(key)]) << "key " << key;
            ASSERT_EQ(std::string(p->values.begin(), p->values.end()), std::to_string(key));
        }
}

// A thread remembers the entries it found last, without the shard's lock: what it
// remembers of one cache must never answer for another, even one made in the same
// place after the first is gone (the typesetter makes a cache per book it sets).
TEST(ShardedCache, WhatAThreadRemembersOfOneCacheIsNotAnothers) {
    alignas(ShardedCache<Numbers>) unsigned char place[sizeof(ShardedCache<Numbers>)];
    auto* first = new (place) ShardedCache<Numbers>;
    EXPECT_EQ(first->get("word", [] { return numbers_of("first"); }).values.size(), 5u);
    EXPECT_EQ(first->get("word", [] { return numbers_of("unused"); }).values.size(), 5u);
    first->~ShardedCache();
    auto* second = new (place) ShardedCache<Numbers>;  // same address, new cache
    int made = 0;
    const Numbers& n = second->get("word", [&] {
        ++made;
        return numbers_of("second!");
    });
    EXPECT_EQ(made, 1);
    EXPECT_EQ(std::string(n.values.begin(), n.values.end()), "second!");
    // Two caches used in turn by one thread: each answers with its own entries.
    ShardedCache<Numbers> other;
    for (int round = 0; round < 3; ++round) {
        EXPECT_EQ(other.get("word", [] { return numbers_of("other"); }).values.size(), 5u);
        EXPECT_EQ(second->get("word", [] { return numbers_of("unused"); }).values.size(), 7u);
    }
    second->~ShardedCache();
}

// Keys whose hashes fall on the same remembered slot (there are a few thousand
// slots): each still finds its own entry.
TEST(ShardedCache, KeysSharingARememberedSlotKeepTheirOwnEntries) {
    ShardedCache<Numbers> cache;
    for (int round = 0; round < 2; ++round)
        for (int i = 0; i < 40000; ++i) {
            const std::string key = "k" + std::to_string(i);
            const Numbers& n = cache.get(key, [&] { return numbers_of(key); });
            ASSERT_EQ(std::string(n.values.begin(), n.values.end()), key);
        }
}

}  // namespace
}  // namespace folio::layout
