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
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace folio {

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
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < std::min(cores, n); ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

// What parallel_for_read_in_order's reader waits on.
class DoneInOrder {
public:
    explicit DoneInOrder(std::size_t n) : m_state(n, Running) {}
    // Returns once item i has run: true if it returned, false if it threw.
    bool wait(std::size_t i) {
        std::unique_lock lock(m_mutex);
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

private:
    enum State : char { Running, Returned, Threw };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<State> m_state;
};

// Runs f(0) … f(n-1) on every core, as parallel_for does, and meanwhile read(done)
// on a thread of its own, which may wait for item i with done.wait(i) and then read
// what f(i) made (the wait orders it after f(i)'s writes). Without a thread to
// spare, read() runs once every item has. The items' errors come first (as
// parallel_for gives them), then the reader's; a reader that stops early is fine.
template <class F, class Read>
void parallel_for_read_in_order(std::size_t n, F&& f, Read&& read) {
    DoneInOrder done(n);
    std::exception_ptr read_failed;
    const auto reader = [&] {
        try {
            read(done);
        } catch (...) {
            read_failed = std::current_exception();
        }
    };
    std::thread reading;
    try {
        reading = std::thread(reader);
    } catch (const std::system_error&) {
        // No thread to spare: read once every item has run.
    }
    try {
        parallel_for(n, [&](std::size_t i) {
            try {
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
