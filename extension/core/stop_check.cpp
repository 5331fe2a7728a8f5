#include "stop_check.hpp"

#include <atomic>

namespace pgdialer {

namespace {
// Atomic only so that a test installing a hook while another thread polls is
// well defined; the backend is single-threaded.
std::atomic<StopHook> stop_hook{nullptr};
}  // namespace

void set_stop_hook(StopHook hook) noexcept { stop_hook.store(hook, std::memory_order_relaxed); }

void check_stop() {
  StopHook hook = stop_hook.load(std::memory_order_relaxed);
  if (hook != nullptr && hook()) throw Interrupted();
}

}  // namespace pgdialer
