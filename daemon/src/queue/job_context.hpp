// What a runner needs to work one claimed job, handed over by the Worker in
// one piece: the settings, the queue's SQL calls on the worker's connection,
// the PhoneBurner client to use and the stop request. The worker builds one
// context per kind of job, so each runner gets the client that suits it
// (pushes abort their requests on shutdown, launches let theirs finish).
#pragma once

#include <atomic>

#include "common/config.hpp"
#include "phoneburner/client.hpp"
#include "queue/push_queue.hpp"

namespace pgdialer::sync {

struct JobContext {
  const Config& config;
  PushQueue& queue;  // its connection, worker id and metrics are the worker's
  PhoneBurnerClient& client;
  const std::atomic<bool>& stopping;
};

}  // namespace pgdialer::sync
