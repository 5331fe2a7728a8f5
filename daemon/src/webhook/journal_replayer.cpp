#include "webhook/journal_replayer.hpp"

#include <algorithm>
#include <exception>

#include "common/log.hpp"

namespace pgdialer::sync {

void JournalReplayer::start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void JournalReplayer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JournalReplayer::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

bool JournalReplayer::pass() {
  // Nothing may escape this thread: a failure here is logged and retried.
  try {
    if (!sink_.connect()) {
      store_.note_unreachable("cannot connect to PostgreSQL (see the log)");
      return false;
    }
    return store_.replay([this] {
      std::lock_guard<std::mutex> lock(mutex_);
      return stopping_;
    });
  } catch (const std::exception& e) {
    log::error(std::string("webhooks: journal replay failed: ") + e.what());
  } catch (...) {
    log::error("webhooks: journal replay failed (unknown exception)");
  }
  return false;
}

void JournalReplayer::run() {
  std::chrono::milliseconds backoff = timing_.first_backoff;
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      woken_ = false;
    }
    const bool healthy = pass();
    std::unique_lock<std::mutex> lock(mutex_);
    if (healthy) {
      backoff = timing_.first_backoff;
      changed_.wait_for(lock, timing_.idle_check, [this] { return stopping_ || woken_; });
    } else {
      changed_.wait_for(lock, backoff, [this] { return stopping_; });
      backoff = std::min(timing_.max_backoff, backoff * 2);
    }
  }
}

}  // namespace pgdialer::sync
