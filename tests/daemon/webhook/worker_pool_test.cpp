// webhook/worker_pool: a fixed number of threads, a queue that refuses
// instead of growing, and a stop that finishes what was queued.
#include "webhook/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

namespace pgdialer::sync::testing {
namespace {

TEST(WorkerPool, RunsAtMostItsThreadsAtOnceAndRefusesBeyondTheQueue) {
  WorkerPool pool(2, 3);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  auto blocked = [&] {
    released.wait();
    ++ran;
  };
  int accepted = 0;
  for (int i = 0; i < 10; ++i) {
    std::function<void()> task = blocked;
    if (pool.try_submit(task)) {
      ++accepted;
    } else {
      EXPECT_TRUE(task) << "a refused task is handed back untouched";
    }
    // Let the threads take the first two before the queue is judged.
    if (i == 1)
      for (int wait = 0; wait < 1000 && pool.running() < 2; ++wait)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(pool.running(), 2u);
  EXPECT_EQ(pool.queued(), 3u);
  EXPECT_EQ(accepted, 5);  // 2 running + 3 queued
  release.set_value();
  pool.stop();
  EXPECT_EQ(ran, 5);
}

TEST(WorkerPool, StopRunsWhatWasQueuedThenRefuses) {
  WorkerPool pool(1, 100);
  std::atomic<int> ran{0};
  for (int i = 0; i < 50; ++i) {
    std::function<void()> task = [&] {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      ++ran;
    };
    ASSERT_TRUE(pool.try_submit(task));
  }
  pool.stop();
  EXPECT_EQ(ran, 50);
  std::function<void()> late = [&] { ++ran; };
  EXPECT_FALSE(pool.try_submit(late));
  pool.stop();  // idempotent
}

}  // namespace
}  // namespace pgdialer::sync::testing
