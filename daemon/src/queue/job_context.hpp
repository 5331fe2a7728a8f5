// What a runner needs to work one claimed job, handed over by the Worker in
// one piece: the settings, the queue's SQL calls on the worker's connection,
// the PhoneBurner account the job names (its credential's client) and the
// stop request. The worker builds one context per job, with the client of
// the job's account that suits its kind (pushes abort their requests on
// shutdown, launches let theirs finish).
#pragma once

#include <atomic>
#include <string>

#include "common/config.hpp"
#include "phoneburner/client.hpp"
#include "queue/push_queue.hpp"

namespace pgdialer::sync {

struct JobContext {
  const Config& config;
  PushQueue& queue;  // its connection, worker id and metrics are the worker's
  PhoneBurnerClient& client;
  const std::string& credential;  // the account's credential name, for messages
  const std::atomic<bool>& stopping;
};

// The start of the error a job gets when PhoneBurner refuses its account's
// token (or its OAuth refresh): the job waits for the credential to be fixed.
inline std::string rejected_credential(const std::string& credential) {
  return "PhoneBurner rejected credential \"" + credential + "\"";
}

}  // namespace pgdialer::sync
