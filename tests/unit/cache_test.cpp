#include "layout/cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace folio::layout {
namespace {

// What the cache gave, as text.
std::string text_of(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool aligned_to_8(std::span<const std::byte> bytes) {
    return reinterpret_cast<std::uintptr_t>(bytes.data()) % 8 == 0;
}

TEST(ShardedCache, MakesEachValueOnceAndKeepsItInPlace) {
    ShardedCache cache;
    int made = 0;
    std::vector<const std::byte*> first;
    // Values of every length from none to 40 bytes, after keys of every length: each
    // begins on an 8-byte boundary, whatever its key's length.
    const auto value_of = [](int i) {
        return std::string(static_cast<std::size_t>(i % 41), static_cast<char>('a' + i % 26));
    };
    for (int i = 0; i < 5000; ++i) {  // enough to grow every shard's table several times
        const std::string key = "word" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 13), '-');
        const std::span<const std::byte> v = cache.get(key, [&] {
            ++made;
            return value_of(i);
        });
        EXPECT_EQ(text_of(v), value_of(i));
        EXPECT_TRUE(aligned_to_8(v)) << key;
        first.push_back(v.data());
    }
    EXPECT_EQ(made, 5000);
    for (int i = 0; i < 5000; ++i) {
        const std::string key = "word" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 13), '-');
        const std::span<const std::byte> again = cache.get(key, [&] {
            ++made;
            return std::string("not again");
        });
        EXPECT_EQ(again.data(), first[static_cast<std::size_t>(i)]);  // the same entry, where it was
        EXPECT_EQ(text_of(again), value_of(i));
    }
    EXPECT_EQ(made, 5000);
}

TEST(ShardedCache, GivesEveryThreadTheSameEntry) {
    ShardedCache cache;
    std::vector<std::vector<const std::byte*>> seen(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 3000; ++i) {
                const std::string key = std::to_string((i * 7 + static_cast<int>(t)) % 1000);
                seen[t].push_back(cache.get(key, [&] { return key; }).data());
            }
        });
    for (auto& th : threads) th.join();
    std::vector<const std::byte*> by_key(1000, nullptr);
    for (std::size_t t = 0; t < seen.size(); ++t)
        for (int i = 0; i < 3000; ++i) {
            const int key = (i * 7 + static_cast<int>(t)) % 1000;
            const std::byte* p = seen[t][static_cast<std::size_t>(i)];
            if (!by_key[static_cast<std::size_t>(key)]) by_key[static_cast<std::size_t>(key)] = p;
            ASSERT_EQ(p, by_key[static_cast<std::size_t>(key)]) << "key " << key;
            ASSERT_EQ(std::string(reinterpret_cast<const char*>(p), std::to_string(key).size()), std::to_string(key));
        }
}

// A thread remembers the entries it found last, without the shard's lock: what it
// remembers of one cache must never answer for another, even one made in the same
// place after the first is gone (the typesetter makes a cache per book it sets).
TEST(ShardedCache, WhatAThreadRemembersOfOneCacheIsNotAnothers) {
    alignas(ShardedCache) unsigned char place[sizeof(ShardedCache)];
    auto* first = new (place) ShardedCache;
    EXPECT_EQ(text_of(first->get("word", [] { return std::string("first"); })), "first");
    EXPECT_EQ(text_of(first->get("word", [] { return std::string("unused"); })), "first");
    first->~ShardedCache();
    auto* second = new (place) ShardedCache;  // same address, new cache
    int made = 0;
    const std::span<const std::byte> n = second->get("word", [&] {
        ++made;
        return std::string("second!");
    });
    EXPECT_EQ(made, 1);
    EXPECT_EQ(text_of(n), "second!");
    // Two caches used in turn by one thread: each answers with its own entries.
    ShardedCache other;
    for (int round = 0; round < 3; ++round) {
        EXPECT_EQ(text_of(other.get("word", [] { return std::string("other"); })), "other");
        EXPECT_EQ(text_of(second->get("word", [] { return std::string("unused"); })), "second!");
    }
    second->~ShardedCache();
}

// Keys whose hashes fall on the same remembered slot (there are a few thousand
// slots): each still finds its own entry.
TEST(ShardedCache, KeysSharingARememberedSlotKeepTheirOwnEntries) {
    ShardedCache cache;
    for (int round = 0; round < 2; ++round)
        for (int i = 0; i < 40000; ++i) {
            const std::string key = "k" + std::to_string(i);
            ASSERT_EQ(text_of(cache.get(key, [&] { return key; })), key);
        }
}

}  // namespace
}  // namespace folio::layout
