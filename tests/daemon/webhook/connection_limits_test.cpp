// webhook/server's connection limits, over real loopback sockets: the
// overall request deadline (headers and body), the connection cap and its
// refusal, the bounded worker queue, and that idle or slow connections do
// not hold the workers real deliveries need.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <thread>

#include "webhook/event_journal.hpp"
#include "webhook/event_store.hpp"
#include "webhook/server.hpp"
#include "webhook/test_support.hpp"
#include "webhook/token.hpp"

namespace pgdialer::sync::testing {
namespace {

using namespace std::chrono_literals;
constexpr const char* kSecret = "test-secret-0123456789abcdef";

// A plain TCP client, to send requests as slowly or as partly as wanted.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Everything until the server closes, or `timeout` passes.
  std::string read_all(std::chrono::milliseconds timeout = 5000ms) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        timed_out_ = true;
        return out;
      }
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return out;
      out.append(buffer, static_cast<std::size_t>(n));
    }
  }
  // Reads until `text` has arrived (or the timeout).
  std::string read_until(const std::string& text, std::chrono::milliseconds timeout = 5000ms) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (out.find(text) == std::string::npos && std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }
  bool timed_out() const { return timed_out_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool timed_out_ = false;
};

std::string post(const std::string& target, const std::string& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string account_target() { return "/phoneburner/account?s=" + account_token(kSecret); }

std::string event(int n) { return R"({"call_id":")" + std::to_string(n) + R"(","status":"No Answer"})"; }

// A sink that holds every record() until released: a worker busy for as
// long as the test wants.
class GatedSink : public EventSink {
 public:
  SinkResult record(const std::string& event_json) override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    return {SinkStatus::stored, "recorded"};
  }
  bool connect() override { return true; }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  bool wait_entered(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return entered_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  int entered_ = 0;
};

template <typename Sink>
struct Fixture {
  explicit Fixture(WebhookServerOptions options)
      : journal(dir.path()),
        rejected_events(dir.path(), 0),
        store(journal, rejected_events, sink, metrics),
        handler(WebhookSettings{kSecret, "America/Chicago"}, store, metrics) {
    declare_daemon_metrics(metrics);
    options.port = 0;
    server = std::make_unique<WebhookServer>(handler, options);
    server->start();
  }
  double rejected(const char* reason) {
    return metrics.value("pgdialer_webhooks_rejected_total", {{"reason", reason}});
  }

  TempDir dir;
  Sink sink;
  MetricsRegistry metrics;
  EventJournal journal;
  RejectedStore rejected_events;
  EventStore store;
  WebhookHandler handler;
  std::unique_ptr<WebhookServer> server;
};

WebhookServerOptions options(std::chrono::milliseconds timeout, int workers = 1) {
  WebhookServerOptions o;
  o.request_timeout = timeout;
  o.worker_threads = workers;
  return o;
}

TEST(ConnectionLimits, ASlowDripClientIsCutAtTheRequestDeadlineWith408) {
  Fixture<FakeSink> f(options(1000ms));
  RawClient drip(f.server->port());
  ASSERT_TRUE(drip.connected());
  const std::string request = post(account_target(), event(1));
  // One byte every 100 ms: each recv() is quick, the request never ends in time.
  const auto start = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  while (sent < request.size() && std::chrono::steady_clock::now() - start < 3s) {
    if (!drip.send(request.substr(sent++, 1))) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_LT(sent, request.size()) << "the connection outlived its deadline";
  const std::string answer = drip.read_all();
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
  EXPECT_EQ(f.rejected("timeout"), 1);
  EXPECT_EQ(f.sink.calls(), 0);
}

TEST(ConnectionLimits, AnIdleConnectionIsClosedSilentlyAtTheDeadline) {
  Fixture<FakeSink> f(options(500ms));
  RawClient idle(f.server->port());
  ASSERT_TRUE(idle.connected());
  const std::string answer = idle.read_all(5000ms);
  EXPECT_FALSE(idle.timed_out()) << "still open after the deadline";
  EXPECT_EQ(answer, "");
  EXPECT_EQ(f.rejected("timeout"), 0);
}

TEST(ConnectionLimits, IdleAndSlowConnectionsHoldNoWorker) {
  // One worker, two hundred idle connections and ten slow ones with a long
  // deadline: a real delivery is still answered at once.
  Fixture<FakeSink> f(options(30000ms, 1));
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 200; ++i) held.push_back(std::make_unique<RawClient>(f.server->port()));
  for (int i = 0; i < 10; ++i) {
    held.push_back(std::make_unique<RawClient>(f.server->port()));
    held.back()->send("POST /phoneburner/account HTTP/1.1\r\nContent-Le");
  }
  RawClient real(f.server->port());
  ASSERT_TRUE(real.send(post(account_target(), event(7))));
  const std::string answer = real.read_all(5000ms);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_EQ(f.sink.stored().size(), 1u);
  // The answered connection's slot is freed just after its close.
  for (int i = 0; i < 1000 && f.metrics.value("pgdialer_webhook_connections", {}) != 210; ++i)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(f.metrics.value("pgdialer_webhook_connections", {}), 210);
}

TEST(ConnectionLimits, ConnectionsBeyondTheCapAreRefusedWith503AndAReason) {
  WebhookServerOptions o = options(30000ms);
  o.max_connections = 3;
  Fixture<FakeSink> f(o);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<RawClient>(f.server->port()));
  // The listener accepts in order: wait until it holds all three.
  for (int i = 0; i < 500 && f.metrics.value("pgdialer_webhook_connections", {}) < 3; ++i)
    std::this_thread::sleep_for(1ms);
  RawClient refused(f.server->port());
  ASSERT_TRUE(refused.send(post(account_target(), event(1))));
  const std::string answer = refused.read_all();
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("too many connections"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  EXPECT_EQ(f.rejected("too_many_connections"), 1);
  EXPECT_EQ(f.sink.calls(), 0);
  // A slot freed is a slot to use.
  held.pop_back();
  for (int i = 0; i < 500 && f.metrics.value("pgdialer_webhook_connections", {}) > 2; ++i)
    std::this_thread::sleep_for(1ms);
  RawClient next(f.server->port());
  ASSERT_TRUE(next.send(post(account_target(), event(2))));
  const std::string ok = next.read_all();
  EXPECT_EQ(ok.rfind("HTTP/1.1 200", 0), 0u) << ok;
}

TEST(ConnectionLimits, AFullWorkerQueueIs503ServerBusyAndQueuedRequestsAreAnswered) {
  WebhookServerOptions o = options(30000ms, 1);
  o.queue_capacity = 1;
  Fixture<GatedSink> f(o);
  RawClient running(f.server->port());
  ASSERT_TRUE(running.send(post(account_target(), event(1))));
  ASSERT_TRUE(f.sink.wait_entered(1));  // the one worker is busy
  RawClient queued(f.server->port());
  ASSERT_TRUE(queued.send(post(account_target(), event(2))));
  std::this_thread::sleep_for(200ms);  // read and queued
  RawClient busy(f.server->port());
  ASSERT_TRUE(busy.send(post(account_target(), event(3))));
  const std::string refused = busy.read_all();
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("server busy"), std::string::npos) << refused;
  EXPECT_EQ(f.rejected("overloaded"), 1);
  f.sink.open();
  EXPECT_EQ(running.read_all().rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(queued.read_all().rfind("HTTP/1.1 200", 0), 0u);
}

TEST(ConnectionLimits, StopAnswersTheRequestsAlreadyRead) {
  WebhookServerOptions o = options(30000ms, 1);
  Fixture<GatedSink> f(o);
  RawClient running(f.server->port());
  ASSERT_TRUE(running.send(post(account_target(), event(1))));
  ASSERT_TRUE(f.sink.wait_entered(1));
  RawClient queued(f.server->port());
  ASSERT_TRUE(queued.send(post(account_target(), event(2))));
  std::this_thread::sleep_for(200ms);
  auto stopped = std::async(std::launch::async, [&] { f.server->stop(); });
  std::this_thread::sleep_for(100ms);
  f.sink.open();
  stopped.get();
  EXPECT_EQ(running.read_all().rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(queued.read_all().rfind("HTTP/1.1 200", 0), 0u);
}

TEST(ConnectionLimits, ExpectContinueGetsOneInterimAnswerBeforeTheBody) {
  Fixture<FakeSink> f(options(5000ms));
  RawClient client(f.server->port());
  const std::string body = event(9);
  ASSERT_TRUE(client.send("POST " + account_target() + " HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n" +
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  const std::string interim = client.read_until("\r\n\r\n");
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(client.send(body));
  const std::string answer = client.read_all();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_EQ(answer.find("100 Continue"), std::string::npos) << answer;
  EXPECT_EQ(f.sink.stored().size(), 1u);
}

TEST(ConnectionLimits, OversizedHeadersAndBodiesAreRefusedBeforeTheyArrive) {
  WebhookServerOptions o = options(5000ms);
  o.max_body_bytes = 100;
  o.max_header_bytes = 1024;
  Fixture<FakeSink> f(o);
  RawClient headers(f.server->port());
  ASSERT_TRUE(headers.send("GET /healthz HTTP/1.1\r\nX: " + std::string(2000, 'a')));
  const std::string a = headers.read_all();
  EXPECT_EQ(a.rfind("HTTP/1.1 431", 0), 0u) << a;
  RawClient body(f.server->port());
  ASSERT_TRUE(body.send("POST " + account_target() + " HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n{"));
  const std::string b = body.read_all();
  EXPECT_EQ(b.rfind("HTTP/1.1 413", 0), 0u) << b;
  EXPECT_NE(b.find("body too large"), std::string::npos) << b;
  EXPECT_EQ(f.rejected("headers_too_large"), 1);
  EXPECT_EQ(f.rejected("too_large"), 1);
  EXPECT_EQ(f.sink.calls(), 0);
}

TEST(ConnectionLimits, AChunkedDeliveryIsReadWhole) {
  Fixture<FakeSink> f(options(5000ms));
  RawClient client(f.server->port());
  const std::string body = event(5);
  std::string request =
      "POST " + account_target() + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  request += std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n";
  ASSERT_TRUE(client.send(request));
  const std::string answer = client.read_all();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  ASSERT_EQ(f.sink.stored().size(), 1u);
}

}  // namespace
}  // namespace pgdialer::sync::testing
