#include "core/parallel.hpp"

namespace folio::detail {

WorkerPool& WorkerPool::instance() {
    // Never destroyed: a worker may still wait on its lock as the process ends.
    static WorkerPool* pool = new WorkerPool;
    return *pool;
}

WorkerPool::WorkerPool() {
    const std::size_t wanted = std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t t = 0; t < wanted; ++t) {
        try {
            std::thread(&WorkerPool::serve, this).detach();
            ++m_workers;
        } catch (const std::system_error&) {
            break;  // no thread to spare: the callers run their items themselves
        }
    }
}

void WorkerPool::offer(PoolJob& job, std::size_t helpers) {
    {
        std::lock_guard lock(m_mutex);
        // No more entries than workers: the rest would never be taken.
        helpers = std::min(helpers, m_workers > m_offers.size() ? m_workers - m_offers.size() : 0);
        m_offers.insert(m_offers.end(), helpers, &job);
    }
    if (helpers == 1)
        m_offered.notify_one();
    else if (helpers > 1)
        m_offered.notify_all();
}

void WorkerPool::withdraw(PoolJob& job) {
    std::unique_lock lock(m_mutex);
    std::erase(m_offers, &job);
    m_done.wait(lock, [&] { return job.running == 0; });
}

void WorkerPool::serve() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_offered.wait(lock, [&] { return !m_offers.empty(); });
        PoolJob* job = m_offers.front();
        m_offers.erase(m_offers.begin());
        ++job->running;
        lock.unlock();
        job->work(job->context);
        lock.lock();
        if (--job->running == 0) m_done.notify_all();
    }
}

}  // namespace folio::detail
