#include "common/shutdown.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "common/config.hpp"

namespace pgdialer::sync {
namespace {

std::atomic<bool> stopping{false};
std::atomic<int> signals_received{0};

extern "C" void on_signal(int) {
  // A second signal means "now": exit without draining.
  if (signals_received.fetch_add(1) >= 1) std::_Exit(kExitFailure);
  stopping = true;
}

}  // namespace

void install_signal_handlers() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;  // no SA_RESTART: poll() returns EINTR and we look around
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

const std::atomic<bool>& stop_requested() { return stopping; }

}  // namespace pgdialer::sync
