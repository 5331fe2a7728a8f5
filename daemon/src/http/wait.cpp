#include "http/wait.hpp"

#include <algorithm>
#include <thread>

namespace pgdialer::sync::http {

bool sleep_unless_stopped(std::chrono::steady_clock::duration duration,
                          const std::function<bool()>& should_stop) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + duration;
  for (;;) {
    if (should_stop && should_stop()) return false;
    const auto now = clock::now();
    if (now >= deadline) return true;
    const clock::duration slice = should_stop ? clock::duration(kStopPollInterval) : deadline - now;
    std::this_thread::sleep_for(std::min<clock::duration>(deadline - now, slice));
  }
}

}  // namespace pgdialer::sync::http
