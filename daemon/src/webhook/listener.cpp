#include "webhook/listener.hpp"

#include <netdb.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "common/log.hpp"

namespace pgdialer::sync {
namespace {

using Clock = std::chrono::steady_clock;

// How long a refused connection is kept after its answer, discarding what
// the client still sends, so that closing it does not reset the answer away.
constexpr std::chrono::milliseconds kLinger{1000};
constexpr std::size_t kMaxLingerDiscard = 1024 * 1024;
// Connections refused over the cap that may linger at once; past this they
// are closed right after the answer is written.
constexpr std::size_t kMaxRefusedLingering = 64;
// Deadlines are checked this often: the deadline's resolution.
constexpr std::chrono::milliseconds kSweepInterval{100};
// After accept() ran out of descriptors, wait this long before trying again
// (the listening socket stays readable: retrying at once would spin).
constexpr std::chrono::milliseconds kAcceptPause{100};
constexpr int kBacklog = 1024;

std::string response(const char* status, const std::string& message, bool retry_after) {
  const std::string body = "{\"status\":\"error\",\"message\":\"" + message + "\"}\n";
  std::string out = std::string("HTTP/1.1 ") + status + "\r\nContent-Type: application/json\r\n";
  if (retry_after) out += "Retry-After: 1\r\n";
  out += "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return out;
}

void send_best_effort(int fd, const std::string& bytes) {
  // Small and first on a fresh connection: the socket buffer takes it whole.
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

AcceptedSocket::AcceptedSocket(int fd, std::shared_ptr<ConnectionSlots> slots)
    : fd_(fd), slots_(std::move(slots)) {
  if (!slots_) return;
  const std::size_t open = ++slots_->open;
  if (slots_->changed) slots_->changed(open);
}

AcceptedSocket::~AcceptedSocket() {
  ::close(fd_);
  if (!slots_) return;
  const std::size_t open = --slots_->open;
  if (slots_->changed) slots_->changed(open);
}

struct Listener::Connection {
  std::unique_ptr<AcceptedSocket> socket;
  std::string received;
  Clock::time_point deadline;
  bool continue_sent = false;
  bool lingering = false;  // answered (refused): discarding until closed
  bool over_cap = false;   // refused over the cap: counted in refused_lingering
  std::size_t discarded = 0;
};

std::string Listener::refusal_response(Refusal refusal) {
  switch (refusal) {
    case Refusal::too_many_connections:
      return response("503 Service Unavailable", "too many connections", true);
    case Refusal::overloaded: return response("503 Service Unavailable", "server busy", true);
    case Refusal::timeout: return response("408 Request Timeout", "request not received in time", false);
    case Refusal::headers_too_large:
      return response("431 Request Header Fields Too Large", "headers too large", false);
    case Refusal::too_large: return response("413 Payload Too Large", "body too large", false);
    case Refusal::malformed: return response("400 Bad Request", "malformed request", false);
  }
  return response("500 Internal Server Error", "internal error", false);
}

Listener::Listener(ListenerOptions options, Callbacks callbacks)
    : options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      slots_(std::make_shared<ConnectionSlots>()) {
  slots_->changed = callbacks_.connections;
}

Listener::~Listener() {
  stop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void Listener::bind() {
  const std::string address = options_.host + ":" + std::to_string(options_.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options_.port);
  if (int rc = ::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    throw std::runtime_error("cannot listen on " + address + ": " + ::gai_strerror(rc));
  std::string error = "no address";
  for (addrinfo* a = found; a && listen_fd_ < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, kBacklog) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      continue;
    }
    listen_fd_ = fd;
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0) throw std::runtime_error("cannot listen on " + address + ": " + error);
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
}

void Listener::start() {
  if (listen_fd_ < 0) throw std::logic_error("Listener::start() before bind()");
  stopping_ = false;
  thread_ = std::thread([this] {
    try {
      run();
    } catch (const std::exception& e) {
      log::error(std::string("webhooks: listener failed: ") + e.what());
    }
  });
}

void Listener::stop() {
  stopping_ = true;
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    (void)::write(wake_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  // Closed now, not at destruction: a client connecting after the stop is
  // refused by the kernel instead of waiting in a backlog nobody accepts.
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

void Listener::run() {
  const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
  std::unordered_map<int, Connection> connections;
  std::size_t refused_lingering = 0;  // over the cap, answered, lingering
  auto watch = [&](int fd, int op) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    ::epoll_ctl(epoll, op, fd, &event);
  };
  watch(listen_fd_, EPOLL_CTL_ADD);
  watch(wake_fd_, EPOLL_CTL_ADD);

  auto close_connection = [&](std::unordered_map<int, Connection>::iterator it) {
    ::epoll_ctl(epoll, EPOLL_CTL_DEL, it->first, nullptr);
    if (it->second.over_cap) --refused_lingering;
    connections.erase(it);
  };
  // Answers, half-closes, and lingers (the socket stays watched).
  auto refuse = [&](Connection& c, Refusal why) {
    // Counted before it is written: whoever reads the answer sees it counted.
    if (callbacks_.refused) callbacks_.refused(why);
    send_best_effort(c.socket->fd(), refusal_response(why));
    ::shutdown(c.socket->fd(), SHUT_WR);
    c.lingering = true;
    c.received.clear();
    c.received.shrink_to_fit();
    c.deadline = Clock::now() + kLinger;
  };
  const std::size_t buffer_cap =
      options_.limits.max_header_bytes + 2 * options_.limits.max_body_bytes + 64 * 1024;

  // What arrived on a connection being read: frame it, then dispatch or refuse.
  auto on_readable = [&](std::unordered_map<int, Connection>::iterator it) {
    Connection& c = it->second;
    const int fd = c.socket->fd();
    char buffer[16 * 1024];
    for (int reads = 0; reads < 8; ++reads) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        close_connection(it);  // gone: nobody to answer
        return;
      }
      if (n < 0) break;
      if (c.lingering) {
        c.discarded += static_cast<std::size_t>(n);
        if (c.discarded > kMaxLingerDiscard) {
          close_connection(it);
          return;
        }
        continue;
      }
      c.received.append(buffer, static_cast<std::size_t>(n));
      if (c.received.size() > buffer_cap) return refuse(c, Refusal::too_large);
      const RequestFrame frame = frame_request(c.received, options_.limits);
      switch (frame.state) {
        case RequestFrame::State::incomplete:
          if (frame.expects_continue && !c.continue_sent) {
            send_best_effort(fd, "HTTP/1.1 100 Continue\r\n\r\n");
            c.continue_sent = true;
          }
          continue;
        case RequestFrame::State::headers_too_large: return refuse(c, Refusal::headers_too_large);
        case RequestFrame::State::body_too_large: return refuse(c, Refusal::too_large);
        case RequestFrame::State::malformed: return refuse(c, Refusal::malformed);
        case RequestFrame::State::complete: {
          ::epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
          ReceivedRequest request;
          request.socket = std::move(c.socket);
          c.received.resize(frame.size);
          request.bytes = std::move(c.received);
          request.continue_sent = c.continue_sent;
          if (callbacks_.dispatch(request)) {
            connections.erase(it);
            return;
          }
          c.socket = std::move(request.socket);
          watch(fd, EPOLL_CTL_ADD);
          return refuse(c, Refusal::overloaded);
        }
      }
    }
  };

  Clock::time_point next_accept_warning;
  auto accept_all = [&]() -> bool {
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Once a minute at most: it recurs every pause while the limit is hit.
          const Clock::time_point now = Clock::now();
          if (now < next_accept_warning) return false;
          next_accept_warning = now + std::chrono::minutes(1);
          log::warning(std::string("webhooks: cannot accept a connection: ") + std::strerror(errno) +
                       " (raise LimitNOFILE or lower PGDIALER_WEBHOOK_MAX_CONNECTIONS)");
          return false;
        }
        return true;  // EAGAIN: all taken
      }
      const Clock::time_point now = Clock::now();
      if (slots_->open.load() >= options_.max_connections) {
        Connection c;
        c.socket = std::make_unique<AcceptedSocket>(fd, nullptr);  // holds no slot
        if (refused_lingering >= kMaxRefusedLingering) {
          if (callbacks_.refused) callbacks_.refused(Refusal::too_many_connections);
          send_best_effort(fd, refusal_response(Refusal::too_many_connections));
          continue;  // closed by c's destructor
        }
        ++refused_lingering;
        c.over_cap = true;
        auto [it, inserted] = connections.emplace(fd, std::move(c));
        watch(fd, EPOLL_CTL_ADD);
        refuse(it->second, Refusal::too_many_connections);
        continue;
      }
      Connection c;
      c.socket = std::make_unique<AcceptedSocket>(fd, slots_);
      c.deadline = now + options_.request_timeout;
      connections.emplace(fd, std::move(c));
      watch(fd, EPOLL_CTL_ADD);
    }
  };

  bool accepting = true;
  Clock::time_point resume_accepting;
  Clock::time_point next_sweep = Clock::now() + kSweepInterval;
  std::vector<epoll_event> events(256);
  while (!stopping_) {
    const int ready = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()),
                                   static_cast<int>(kSweepInterval.count()));
    if (ready < 0 && errno != EINTR)
      throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
    for (int i = 0; i < ready && !stopping_; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == wake_fd_) continue;
      if (fd == listen_fd_) {
        if (!accept_all()) {
          ::epoll_ctl(epoll, EPOLL_CTL_DEL, listen_fd_, nullptr);
          accepting = false;
          resume_accepting = Clock::now() + kAcceptPause;
        }
        continue;
      }
      auto it = connections.find(fd);
      if (it != connections.end()) on_readable(it);
    }
    const Clock::time_point now = Clock::now();
    if (!accepting && now >= resume_accepting) {
      watch(listen_fd_, EPOLL_CTL_ADD);
      accepting = true;
    }
    if (now < next_sweep) continue;
    next_sweep = now + kSweepInterval;
    for (auto it = connections.begin(); it != connections.end();) {
      auto current = it++;
      Connection& c = current->second;
      if (now < c.deadline) continue;
      // 408 only to a client that started a request; an idle one just goes.
      if (!c.lingering && c.received.find_first_not_of("\r\n") != std::string::npos)
        refuse(c, Refusal::timeout);
      else
        close_connection(current);
    }
  }
  for (auto it = connections.begin(); it != connections.end();) close_connection(it++);
  ::close(epoll);
}

}  // namespace pgdialer::sync
