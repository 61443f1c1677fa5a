// parallel_for: runs f(0) … f(n-1) on every core. Work items must be independent.
// If any throw, the exception of the lowest index is rethrown after all have run, so
// that the error a user sees does not depend on thread timing.
// parallel_for_read_in_order: the same, while a reader on a thread of its own takes
// each item's result in index order as soon as it is done.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace folio {

namespace detail {

// What parallel_for offers its helpers: `work` takes items until none are left, and
// throws nothing (the items' errors are kept apart).
struct PoolJob {
    void (*work)(void* context);
    void* context;
    int running = 0;  // helpers in work(), under the pool's lock
};

// The threads that help parallel_for's callers, made once for the process and
// waiting between calls. A thread made for every call and ended after it ran its
// allocator's end-of-thread work each time (mimalloc gives back the thread's heap),
// and the caller's join waited for it: in a build after an edit of the 1,000-article
// book, 2.6 % of the samples. As many as the cores: a worker keeps its allocator's
// free pages for its next job, and twice as many raised the 1,000-article reading
// PDF's peak by about 25 MB (to 270-295 MB, against its bound of 300) for 0.93 of
// the time of a build after an edit.
class WorkerPool {
public:
    static WorkerPool& instance();
    // Offers `job` to `helpers` workers (or as many as are free of other offers).
    void offer(PoolJob& job, std::size_t helpers);
    // No worker starts `job` after this; returns once none runs it.
    void withdraw(PoolJob& job);

private:
    WorkerPool();
    void serve();
    std::mutex m_mutex;
    std::condition_variable m_offered, m_done;
    std::vector<PoolJob*> m_offers;  // one entry a helper wanted
    std::size_t m_workers = 0;
};

}  // namespace detail

template <class F>
void parallel_for(std::size_t n, F&& f) {
    std::vector<std::exception_ptr> errors(n);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) {
            try {
                f(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    if (std::min(cores, n) > 1) {
        // The caller works too: without a free helper it runs every item itself.
        detail::PoolJob job{[](void* w) { (*static_cast<decltype(worker)*>(w))(); }, &worker};
        detail::WorkerPool& pool = detail::WorkerPool::instance();
        pool.offer(job, std::min(cores, n) - 1);
        worker();
        pool.withdraw(job);
    } else {
        worker();
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

// What parallel_for_read_in_order's reader waits on, and its items wait for: room
// ahead of the reader.
class DoneInOrder {
public:
    DoneInOrder(std::size_t n, std::size_t ahead) : m_state(n, Running), m_ahead(ahead) {}
    // Returns once item i has run: true if it returned, false if it threw. The
    // reader has taken every item before i.
    bool wait(std::size_t i) {
        std::unique_lock lock(m_mutex);
        if (i > m_taken) {
            m_taken = i;
            m_changed.notify_all();
        }
        m_changed.wait(lock, [&] { return m_state[i] != Running; });
        return m_state[i] == Returned;
    }
    void mark(std::size_t i, bool returned) {
        {
            std::lock_guard lock(m_mutex);
            m_state[i] = returned ? Returned : Threw;
        }
        m_changed.notify_all();
    }
    // Returns once item i is no more than `ahead` items past the one the reader
    // waits for, or the reader has stopped.
    void wait_for_room(std::size_t i) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_closed || i < m_taken + m_ahead; });
    }
    // The reader reads no more: no item waits for room.
    void close() {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_changed.notify_all();
    }

private:
    enum State : char { Running, Returned, Threw };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<State> m_state;
    std::size_t m_ahead;
    std::size_t m_taken = 0;  // the item the reader last waited for
    bool m_closed = false;
};

// Runs f(0) … f(n-1) on every core, as parallel_for does, and meanwhile read(done)
// on a thread of its own, which may wait for item i with done.wait(i) and then read
// what f(i) made (the wait orders it after f(i)'s writes). An item starts only
// once the reader waits for one at most `ahead` before it: what the items make
// and the reader frees is never held for more than that many at once, however
// much faster than the reader they run. Without a thread to spare, read() runs
// once every item has. The items' errors come first (as parallel_for gives them),
// then the reader's; a reader that stops early is fine.
template <class F, class Read>
void parallel_for_read_in_order(std::size_t n, F&& f, Read&& read,
                                std::size_t ahead = std::numeric_limits<std::size_t>::max() / 2) {
    std::thread reading;
    DoneInOrder done(n, ahead);
    std::exception_ptr read_failed;
    const auto reader = [&] {
        try {
            read(done);
        } catch (...) {
            read_failed = std::current_exception();
        }
        done.close();
    };
    try {
        reading = std::thread(reader);
    } catch (const std::system_error&) {
        // No thread to spare: read once every item has run, which none waits for.
        done.close();
    }
    try {
        parallel_for(n, [&](std::size_t i) {
            try {
                done.wait_for_room(i);
                f(i);
            } catch (...) {
                done.mark(i, false);
                throw;
            }
            done.mark(i, true);
        });
    } catch (...) {
        if (reading.joinable()) reading.join();
        throw;
    }
    if (reading.joinable())
        reading.join();
    else
        reader();
    if (read_failed) std::rethrow_exception(read_failed);
}

}  // namespace folio
