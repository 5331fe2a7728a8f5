// The webhook listener's connections, before any HTTP logic: one thread with
// epoll accepts them, reads each request whole and only then hands it to a
// worker (webhook/server). cpp-httplib's own listener gives every connection
// a worker from the moment it is accepted, and its timeout is per recv(), so
// eight clients dripping a byte every few seconds, or a thousand idle
// connections, kept every worker busy and real deliveries waited minutes.
//
// Here a connection costs a descriptor and a buffer until its request is
// complete, and is bounded three ways:
//   - an overall deadline from accept to the request's last byte (headers and
//     body): past it, 408 if anything arrived, else a silent close;
//   - a cap on open connections (counting those handed to workers): beyond
//     it a new connection is answered 503 "too many connections" and closed;
//   - the header and body size limits (431, 413), read no further.
// Refusals are written by this thread without blocking, then the connection
// is half-closed and what the client still sends is discarded for a moment,
// so the client reads the answer instead of a reset.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "webhook/request_framing.hpp"

namespace pgdialer::sync {

struct ListenerOptions {
  std::string host = "127.0.0.1";
  int port = 8787;  // 0 = any free port (tests)
  std::size_t max_connections = 1024;
  std::chrono::milliseconds request_timeout{10000};
  FramingLimits limits;
};

// The open connections that hold a slot under the cap, and who hears of it.
struct ConnectionSlots {
  std::atomic<std::size_t> open{0};
  std::function<void(std::size_t open)> changed;  // optional; any thread
};

// An accepted socket: closing it (destructor) frees its slot, if it holds
// one (a connection refused over the cap does not).
class AcceptedSocket {
 public:
  AcceptedSocket(int fd, std::shared_ptr<ConnectionSlots> slots);
  ~AcceptedSocket();
  AcceptedSocket(const AcceptedSocket&) = delete;
  AcceptedSocket& operator=(const AcceptedSocket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
  std::shared_ptr<ConnectionSlots> slots_;
};

// One complete request, read whole; the socket is non-blocking.
struct ReceivedRequest {
  std::unique_ptr<AcceptedSocket> socket;
  std::string bytes;
  // The listener already sent "100 Continue" (the client asked for it).
  bool continue_sent = false;
};

class Listener {
 public:
  enum class Refusal {
    too_many_connections,  // 503: over the connection cap
    overloaded,            // 503: the worker queue is full
    timeout,               // 408: the request did not arrive within the deadline
    headers_too_large,     // 431
    too_large,             // 413
    malformed,             // 400: unusable framing
  };
  struct Callbacks {
    // Takes the request (true) or refuses it because the workers' queue is
    // full (false, the request untouched): the listener answers 503.
    std::function<bool(ReceivedRequest&)> dispatch;
    std::function<void(Refusal)> refused;               // optional
    std::function<void(std::size_t open)> connections;  // optional; any thread
  };

  Listener(ListenerOptions options, Callbacks callbacks);
  ~Listener();  // stop()
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds and listens; throws std::runtime_error naming the address.
  void bind();
  // Serves on a background thread (after bind()).
  void start();
  // Stops accepting and closes every connection still being read; requests
  // already dispatched are the workers' to finish. Idempotent.
  void stop();

  int port() const { return port_; }
  // Connections open now, including those dispatched and not yet answered.
  std::size_t open_connections() const { return slots_->open.load(); }
  std::size_t max_connections() const { return options_.max_connections; }

  // The body of each refusal, as the handler's refusals are shaped.
  static std::string refusal_response(Refusal refusal);

 private:
  struct Connection;
  void run();

  ListenerOptions options_;
  Callbacks callbacks_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  int port_ = -1;
  std::shared_ptr<ConnectionSlots> slots_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pgdialer::sync
