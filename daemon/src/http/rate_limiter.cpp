#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace pgdialer::sync::http {

RateLimiter::RateLimiter(double per_second, double burst)
    : interval_(per_second > 0 && std::isfinite(per_second)
                    ? std::chrono::nanoseconds(static_cast<long long>(std::llround(1e9 / per_second)))
                    : std::chrono::nanoseconds(0)),
      tolerance_(std::chrono::nanoseconds(static_cast<long long>(
          std::llround((std::max(burst, 1.0) - 1.0) * static_cast<double>(interval_.count()))))),
      next_() {}

RateLimiter::clock::time_point RateLimiter::reserve(clock::time_point now) {
  if (unlimited()) return now;
  std::lock_guard<std::mutex> lock(mutex_);
  // After an idle spell the bucket is full: the schedule restarts from now,
  // less the burst allowance.
  if (next_ < now - tolerance_) next_ = now - tolerance_;
  const clock::time_point allowed = std::max(now, next_);
  next_ += interval_;
  // A slot earlier than now (burst) is taken now; the schedule still advances.
  return allowed;
}

}  // namespace pgdialer::sync::http
