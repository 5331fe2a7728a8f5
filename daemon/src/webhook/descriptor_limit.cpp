#include "webhook/descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace pgdialer::sync {

std::size_t fit_descriptor_limit(std::size_t connections, std::string* warning) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return connections;
  const rlim_t wanted = static_cast<rlim_t>(connections + kReservedDescriptors);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    // prlimit() rather than setrlimit(): the unit's SystemCallFilter=~@resources
    // forbids the setrlimit system call (fatally), not prlimit64.
    if (::prlimit(0, RLIMIT_NOFILE, &raised, nullptr) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted) return connections;
  const std::size_t fit = limit.rlim_cur > kReservedDescriptors + 1
                              ? static_cast<std::size_t>(limit.rlim_cur) - kReservedDescriptors
                              : 1;
  *warning = "the descriptor limit (" + std::to_string(limit.rlim_cur) + ", LimitNOFILE) leaves room for " +
             std::to_string(fit) +
             " webhook connections, not PGDIALER_WEBHOOK_MAX_CONNECTIONS=" + std::to_string(connections) +
             ": serving " + std::to_string(fit);
  return fit;
}

}  // namespace pgdialer::sync
