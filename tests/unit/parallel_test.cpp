#include "core/parallel.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace folio {
namespace {

// Items finish out of order (the later ones are quicker); the reader, waiting for
// each in turn, finds what each item made, and reads them in order.
TEST(ParallelForReadInOrder, TheReaderFindsEachItemsResultInOrder) {
    constexpr std::size_t n = 200;
    std::vector<std::size_t> made(n, 0);
    std::vector<std::size_t> read;
    parallel_for_read_in_order(
        n,
        [&](std::size_t i) {
            if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200 * (n - i) / n));
            made[i] = i * i + 1;
        },
        [&](DoneInOrder& done) {
            for (std::size_t i = 0; i < n; ++i) {
                ASSERT_TRUE(done.wait(i));
                EXPECT_EQ(made[i], i * i + 1) << "item " << i << " read before it was made";
                read.push_back(i);
            }
        });
    ASSERT_EQ(read.size(), n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(read[i], i);
}

// An item that throws: the reader learns it (and stops there), every other item
// still runs, and the error of the lowest failing index is the one rethrown.
TEST(ParallelForReadInOrder, AFailedItemStopsTheReaderAndItsErrorIsRethrown) {
    constexpr std::size_t n = 100;
    std::atomic<std::size_t> ran{0};
    std::size_t stopped_at = n;
    try {
        parallel_for_read_in_order(
            n,
            [&](std::size_t i) {
                ++ran;
                if (i == 37 || i == 80) throw std::runtime_error("item " + std::to_string(i));
            },
            [&](DoneInOrder& done) {
                for (std::size_t i = 0; i < n; ++i)
                    if (!done.wait(i)) {
                        stopped_at = i;
                        return;
                    }
            });
        FAIL() << "the items' error was not rethrown";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "item 37");
    }
    EXPECT_EQ(ran.load(), n);
    EXPECT_EQ(stopped_at, 37u);
}

// The reader's own error comes out once the items have run.
TEST(ParallelForReadInOrder, TheReadersErrorIsRethrownAfterTheItems) {
    std::atomic<std::size_t> ran{0};
    EXPECT_THROW(parallel_for_read_in_order(
                     50, [&](std::size_t) { ++ran; },
                     [&](DoneInOrder& done) {
                         done.wait(3);
                         throw std::logic_error("reader");
                     }),
                 std::logic_error);
    EXPECT_EQ(ran.load(), 50u);
}

// Items run no further ahead of the reader than they are let: a slow reader (each
// read takes a while) never finds more than `ahead` items made and not yet read,
// however quick the items; and every item still runs and is read.
TEST(ParallelForReadInOrder, ItemsRunNoFurtherAheadOfTheReaderThanLet) {
    constexpr std::size_t n = 60, ahead = 4;
    std::atomic<std::size_t> started{0};
    std::atomic<std::size_t> taken{0};  // items the reader has taken: 0 … taken-1
    std::atomic<std::size_t> furthest{0};
    std::vector<char> made(n, 0);
    parallel_for_read_in_order(
        n,
        [&](std::size_t i) {
            ++started;
            // The reader waits for item `taken` at most: i < taken + ahead.
            std::size_t lead = i + 1 - std::min(i + 1, taken.load());
            for (std::size_t f = furthest.load(); lead > f && !furthest.compare_exchange_weak(f, lead);) {
            }
            made[i] = 1;
        },
        [&](DoneInOrder& done) {
            for (std::size_t i = 0; i < n; ++i) {
                ASSERT_TRUE(done.wait(i));
                EXPECT_TRUE(made[i]);
                std::this_thread::sleep_for(std::chrono::microseconds(300));
                taken = i + 1;
            }
        },
        ahead);
    EXPECT_EQ(started.load(), n);
    EXPECT_LE(furthest.load(), ahead) << "an item ran further ahead of the reader than let";
    EXPECT_GE(furthest.load(), 2u) << "the items never ran ahead of the reader";
}

// A reader that stops early lets every item run: none waits for room forever.
TEST(ParallelForReadInOrder, AReaderThatStopsEarlyHoldsNoItemBack) {
    std::atomic<std::size_t> ran{0};
    parallel_for_read_in_order(
        100, [&](std::size_t) { ++ran; }, [&](DoneInOrder& done) { done.wait(2); }, 3);
    EXPECT_EQ(ran.load(), 100u);
}

TEST(ParallelForReadInOrder, WithNoItemsTheReaderStillRuns) {
    bool read = false;
    parallel_for_read_in_order(
        0, [](std::size_t) {}, [&](DoneInOrder&) { read = true; });
    EXPECT_TRUE(read);
}

// Every item runs once, and of the items that throw, the lowest index's error is
// the one given (whichever thread ran it).
TEST(ParallelFor, EveryItemRunsOnceAndTheLowestIndexsErrorIsRethrown) {
    constexpr std::size_t n = 1000;
    std::vector<std::atomic<int>> runs(n);
    try {
        parallel_for(n, [&](std::size_t i) {
            ++runs[i];
            if (i == 700 || i == 10 || i == 500) throw std::runtime_error(std::to_string(i));
        });
        ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "10");
    }
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(runs[i].load(), 1) << i;
}

// Calls made at once from many threads, each of whose items calls again, all
// finish: a caller whose helpers are all taken runs its items itself.
TEST(ParallelFor, CallsAtOnceAndWithinItemsAllFinish) {
    std::atomic<long> done{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < 8; ++c)
        callers.emplace_back(
            [&] { parallel_for(50, [&](std::size_t) { parallel_for(10, [&](std::size_t) { ++done; }); }); });
    for (std::thread& t : callers) t.join();
    EXPECT_EQ(done.load(), 8 * 50 * 10);
}

// The helpers are made once and kept: a hundred calls are run by the caller and at
// most the pool's threads, not by a new thread each (one made for every call and
// ended after it ran its allocator's end-of-thread work, which the caller waited for).
TEST(ParallelFor, TheHelpersAreKeptFromCallToCall) {
    if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one core: the caller runs every item";
    std::mutex mutex;
    std::set<pid_t> threads;
    for (int call = 0; call < 100; ++call)
        parallel_for(8, [&](std::size_t) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));  // room for a helper to join in
            const std::lock_guard lock(mutex);
            threads.insert(::gettid());
        });
    EXPECT_GE(threads.size(), 2u) << "no helper ran an item";
    EXPECT_LE(threads.size(), 1 + std::size_t{std::thread::hardware_concurrency()});
}

}  // namespace
}  // namespace folio
