// A fixed number of threads behind a queue of bounded length, for the
// webhook requests the listener has read whole. A full queue refuses work
// instead of growing: the caller answers 503 at once, so a burst costs a
// fixed amount of memory and a client never waits behind an unbounded line.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pgdialer::sync {

class WorkerPool {
 public:
  // `threads` >= 1 run the tasks; at most `queue_capacity` wait for one.
  WorkerPool(std::size_t threads, std::size_t queue_capacity);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` untouched) when the queue is full or
  // the pool is stopping. A task must not throw.
  bool try_submit(std::function<void()>& task);
  // Runs every task already queued, then joins the threads; idempotent.
  void stop();

  // Tasks waiting and running, for metrics and tests.
  std::size_t queued() const;
  std::size_t running() const;

 private:
  void work();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pgdialer::sync
