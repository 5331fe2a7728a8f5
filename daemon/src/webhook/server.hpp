// The webhook listener: connections (webhook/listener: the deadline, the
// connection cap, requests read whole) feed a bounded pool of workers
// (webhook/worker_pool) that run cpp-httplib's request parsing and routing
// in front of WebhookHandler. Owns the socket, the limits and graceful stop.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "webhook/handler.hpp"

namespace pgdialer::sync {

class Listener;
class WorkerPool;

struct WebhookServerOptions {
  std::string host = "127.0.0.1";
  int port = 8787;  // 0 = any free port (tests)
  std::size_t max_body_bytes = 256 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  // Requests handled at once, and read requests waiting for a worker; a
  // request finding the queue full is answered 503 at once.
  int worker_threads = 8;
  std::size_t queue_capacity = 64;
  // Open connections at most (fitted under RLIMIT_NOFILE at start); beyond
  // it a connection is answered 503 "too many connections".
  std::size_t max_connections = 1024;
  // From accept to the request's last byte (headers and body).
  std::chrono::milliseconds request_timeout{10000};
  // For writing the answer.
  std::chrono::milliseconds write_timeout{5000};
};

class WebhookServer {
 public:
  WebhookServer(WebhookHandler& handler, WebhookServerOptions options);
  ~WebhookServer();  // stops
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // Binds (accepting once this returns) and serves on background threads.
  // Throws std::runtime_error when it cannot bind.
  void start();
  // Stops accepting and drops connections still sending their request;
  // answers every request already read. Idempotent.
  void stop();
  int port() const { return port_; }
  // The connection cap in force (after fitting it under RLIMIT_NOFILE).
  std::size_t max_connections() const { return max_connections_; }

 private:
  class Router;

  WebhookHandler& handler_;
  WebhookServerOptions options_;
  std::unique_ptr<Router> http_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Listener> listener_;
  int port_ = -1;
  std::size_t max_connections_ = 0;
};

}  // namespace pgdialer::sync
