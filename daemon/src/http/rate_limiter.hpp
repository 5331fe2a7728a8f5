// Client-side pacing shared by every thread using one PhoneBurner client.
//
// PhoneBurner documents no rate limit; production clients space their calls
// (about 200 ms apart) and back off on 429. This is a token bucket in its
// "virtual scheduling" form: each caller reserves the next free slot under a
// mutex and then sleeps *outside* it until that slot, so callers are served
// in arrival order and nobody holds the lock while waiting.
#pragma once

#include <chrono>
#include <mutex>

namespace pgdialer::sync::http {

class RateLimiter {
 public:
  using clock = std::chrono::steady_clock;

  // `per_second` <= 0 means unlimited. `burst` requests may go back to back
  // after an idle period (at least 1).
  explicit RateLimiter(double per_second, double burst = 1.0);

  // Reserves one request slot and returns when it may be sent (>= now). A
  // caller that then gives up (shutdown) simply wastes its slot.
  clock::time_point reserve(clock::time_point now);

  bool unlimited() const { return interval_.count() <= 0; }

 private:
  std::mutex mutex_;
  std::chrono::nanoseconds interval_;   // 1 / rate
  std::chrono::nanoseconds tolerance_;  // (burst - 1) * interval
  clock::time_point next_;              // theoretical arrival time of the next request
};

}  // namespace pgdialer::sync::http
