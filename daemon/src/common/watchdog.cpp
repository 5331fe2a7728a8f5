#include "common/watchdog.hpp"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <mutex>
#include <thread>

namespace pgdialer::sync::service {
namespace {

class Watchdog {
 public:
  Watchdog() {
    uint64_t usec = 0;
    enabled_ = sd_watchdog_enabled(0, &usec) > 0;
    every_ = std::chrono::microseconds(usec / 2);
  }
  void pet() {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (now - last_ >= every_) {
      sd_notify(0, "WATCHDOG=1");
      last_ = now;
    }
  }

 private:
  bool enabled_ = false;
  std::chrono::microseconds every_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
};

// One per process, read from the environment on first use.
Watchdog& watchdog() {
  static Watchdog instance;
  return instance;
}

}  // namespace

void ready(const std::string& status) { sd_notify(0, ("READY=1\nSTATUS=" + status).c_str()); }

void status(const std::string& status) { sd_notify(0, ("STATUS=" + status).c_str()); }

void stopping() { sd_notify(0, "STOPPING=1"); }

void pet_watchdog() { watchdog().pet(); }

void nap(std::chrono::milliseconds duration, const std::atomic<bool>& stop) {
  auto until = std::chrono::steady_clock::now() + duration;
  while (!stop && std::chrono::steady_clock::now() < until) {
    pet_watchdog();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace pgdialer::sync::service
