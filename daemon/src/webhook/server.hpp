// The webhook listener: cpp-httplib's threaded server in front of
// WebhookHandler. Owns the socket, the body size limit (413 is decided here,
// because httplib reads the body before routing) and graceful stop.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "webhook/handler.hpp"

namespace httplib {
class Server;
}

namespace pgdialer::sync {

struct WebhookServerOptions {
  std::string host = "127.0.0.1";
  int port = 8787;  // 0 = any free port (tests)
  std::size_t max_body_bytes = 256 * 1024;
  int worker_threads = 8;
};

class WebhookServer {
 public:
  WebhookServer(WebhookHandler& handler, WebhookServerOptions options);
  ~WebhookServer();  // stops
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // Binds (accepting once this returns) and serves on a background thread.
  // Throws std::runtime_error when it cannot bind.
  void start();
  // Stops accepting, lets requests in flight finish; idempotent.
  void stop();
  int port() const { return port_; }

 private:
  WebhookHandler& handler_;
  WebhookServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = -1;
  std::atomic<bool> loop_ended_{false};
};

}  // namespace pgdialer::sync
