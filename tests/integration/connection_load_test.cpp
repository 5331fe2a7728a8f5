// The webhook listener under a connection flood (issue 11): a thousand idle
// connections and fifty slow-drip clients, kept up for the whole run (each
// one the daemon closes at its request deadline is opened again), while two
// hundred real deliveries arrive; then a burst past the connection cap.
// Every real delivery must be answered and stored exactly once. The figures
// (connections held, refused, delivery latency) are printed, never asserted:
// no timing assertions.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "harness.hpp"

using namespace pgdialer::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kSecret = "integration-webhook-secret-0123456789";
constexpr int kIdle = 1000;
constexpr int kDrip = 50;
constexpr int kDeliveries = 200;
constexpr int kSenders = 8;
constexpr int kMaxConnections = 1100;
constexpr int kRequestTimeoutSeconds = 5;
constexpr int kOverflow = 150;

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The idle and slow-drip connections, driven by one thread: idle ones send
// nothing, drip ones one byte of a request every second. Whenever the
// daemon closes one (at its deadline, or refusing it), it is reopened.
class Flood {
 public:
  Flood(int port, int idle, int drip) : port_(port) {
    for (int i = 0; i < idle + drip; ++i) {
      Conn c;
      c.drip = i >= idle;
      c.fd = connect_to(port_);
      conns_.push_back(c);
    }
    thread_ = std::thread([this] { run(); });
  }
  ~Flood() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    for (Conn& c : conns_)
      if (c.fd >= 0) ::close(c.fd);
    conns_.clear();
  }
  // Connections open now (from this side), and the most at once.
  int open() const { return open_; }
  int most_open() const { return most_open_; }
  long closed_silently() const { return closed_silently_; }
  long answered_408() const { return answered_408_; }
  long refused_503() const { return refused_503_; }

 private:
  struct Conn {
    int fd = -1;
    bool drip = false;
    std::size_t sent = 0;
    Clock::time_point next_byte;
    std::string received;
  };

  void run() {
    const std::string request =
        "POST /phoneburner/account HTTP/1.1\r\nHost: slow\r\nContent-Length: 100000\r\n\r\n";
    while (!stopping_) {
      std::vector<pollfd> fds;
      for (Conn& c : conns_) fds.push_back({c.fd, POLLIN, 0});
      ::poll(fds.data(), fds.size(), 50);
      const Clock::time_point now = Clock::now();
      int open = 0;
      for (std::size_t i = 0; i < conns_.size(); ++i) {
        Conn& c = conns_[i];
        if (c.fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
          char buffer[4096];
          const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
          if (n > 0) {
            c.received.append(buffer, static_cast<std::size_t>(n));
          } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            if (c.received.rfind("HTTP/1.1 408", 0) == 0)
              ++answered_408_;
            else if (c.received.rfind("HTTP/1.1 503", 0) == 0)
              ++refused_503_;
            else
              ++closed_silently_;
            ::close(c.fd);
            c = Conn{-1, c.drip};
          }
        }
        if (c.fd < 0) c.fd = connect_to(port_);
        if (c.fd < 0) continue;
        ++open;
        if (c.drip && now >= c.next_byte) {
          (void)::send(c.fd, request.data() + (c.sent++ % request.size()), 1, MSG_NOSIGNAL | MSG_DONTWAIT);
          c.next_byte = now + 1s;
        }
      }
      open_ = open;
      most_open_ = std::max<int>(most_open_, open);
    }
  }

  int port_;
  std::vector<Conn> conns_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> open_{0};
  std::atomic<int> most_open_{0};
  std::atomic<long> closed_silently_{0};
  std::atomic<long> answered_408_{0};
  std::atomic<long> refused_503_{0};
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t i = std::min(values.size() - 1, static_cast<std::size_t>(p * (values.size() - 1) + 0.5));
  return values[i];
}

// A call outcome for contact `lead`, as PhoneBurner's api_calldone sends it.
std::string calldone(int n, int lead) {
  return R"({"call_id":")" + std::to_string(770000 + n) +
         R"(","ds_id":"6001","status":"Interested","connected":"1","duration":"30",)"
         R"("start_time":"2026-11-23 09:00:00","end_time":"2026-11-23 09:00:30","lead_id":")" +
         std::to_string(lead) + R"(","contact":{"user_id":")" + std::to_string(5000 + lead) +
         R"(","phone":"9195000002"},"agent":{"user_id":"9","name":"Sarah Johnson"},"call_notes":[]})";
}

TEST(ConnectionLoad, RealDeliveriesAreAnsweredAndStoredOnceThroughAConnectionFlood) {
  // This process holds the flood's descriptors; the daemon, started from
  // it, inherits the raised limit too (and fits its cap under its own).
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  const rlim_t wanted = 4096;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  ASSERT_GE(limit.rlim_cur, static_cast<rlim_t>(kIdle + kDrip + kOverflow + 256))
      << "the descriptor limit is too low for the flood";

  TestDatabase db("pgdialer_it_connection_load");
  db.add_contacts(1, kDeliveries);
  FakePhoneBurner fake(test_log_path("ConnectionLoad.fake"));
  const int port = free_loopback_port();
  const std::map<std::string, std::string> env{
      {"PGDIALER_WEBHOOK_SECRET", kSecret},
      {"PGDIALER_LISTEN", "127.0.0.1:" + std::to_string(port)},
      {"PGDIALER_WEBHOOK_BASE_URL", "http://127.0.0.1:" + std::to_string(port)},
      {"PGDIALER_JOURNAL_DIR", fresh_test_dir("ConnectionLoad.journal")},
      {"PGDIALER_WEBHOOK_MAX_CONNECTIONS", std::to_string(kMaxConnections)},
      {"PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS", std::to_string(kRequestTimeoutSeconds)}};
  std::string account;
  {
    SyncDaemon cli(db.sync_url(), fake.base_url(), test_log_path("ConnectionLoad.cli"), env,
                   {"--print-webhook-url", "account"});
    auto line = cli.process().read_line(20s);
    ASSERT_TRUE(line);
    account = line->substr(("http://127.0.0.1:" + std::to_string(port)).size());
  }
  SyncDaemon daemon(db.sync_url(), fake.base_url(), test_log_path("ConnectionLoad.daemon"), env);
  const auto up_by = Clock::now() + 30s;
  while (http_get(port, "/healthz").status != 200 && Clock::now() < up_by) std::this_thread::sleep_for(100ms);
  ASSERT_EQ(http_get(port, "/healthz").status, 200);

  Flood flood(port, kIdle, kDrip);
  const auto flooded_by = Clock::now() + 20s;
  while (flood.open() < kIdle + kDrip && Clock::now() < flooded_by) std::this_thread::sleep_for(50ms);

  // The deliveries, spread over two request deadlines so they meet the
  // flood's reconnections; a 503 (refused or busy) is retried, as
  // PhoneBurner retries a delivery that was not answered 200.
  std::vector<double> latency_ms(kDeliveries, -1);
  std::vector<int> final_status(kDeliveries, 0);
  std::atomic<int> retries{0};
  std::atomic<double> server_open_peak{0};
  const auto started = Clock::now();
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      for (int n = s; n < kDeliveries; n += kSenders) {
        const auto begin = Clock::now();
        HttpReply reply;
        while (Clock::now() - begin < 40s) {
          reply = http_post(port, account, calldone(n, n + 1));
          if (reply.status == 200 || (reply.status != 503 && reply.status != 0)) break;
          ++retries;
          std::this_thread::sleep_for(200ms);
        }
        final_status[static_cast<std::size_t>(n)] = reply.status;
        latency_ms[static_cast<std::size_t>(n)] =
            std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
        if (n % 50 == 0) {
          const double open = metric_value(http_get(port, "/metrics").body, "pgdialer_webhook_connections");
          if (open > server_open_peak) server_open_peak = open;
        }
        std::this_thread::sleep_for(
            std::chrono::milliseconds(2 * kRequestTimeoutSeconds * 1000 * kSenders / kDeliveries));
      }
    });
  }
  for (std::thread& t : senders) t.join();
  const double delivery_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const int held_during_deliveries = flood.most_open();

  // A burst past the cap: the connections beyond it are answered 503.
  int burst_refused = 0, burst_held = 0;
  {
    std::vector<int> burst;
    for (int i = 0; i < kOverflow; ++i) burst.push_back(connect_to(port));
    // Refusals come at once; the others stay silent until their deadline.
    std::vector<std::string> answers(burst.size());
    std::vector<bool> ended(burst.size(), false);
    const auto listen_until = Clock::now() + 1500ms;
    while (Clock::now() < listen_until) {
      std::vector<pollfd> fds;
      for (std::size_t i = 0; i < burst.size(); ++i) fds.push_back({ended[i] ? -1 : burst[i], POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 100) <= 0) continue;
      for (std::size_t i = 0; i < burst.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buffer[1024];
        const ssize_t n = ::recv(burst[i], buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0)
          answers[i].append(buffer, static_cast<std::size_t>(n));
        else
          ended[i] = true;
      }
    }
    for (std::size_t i = 0; i < burst.size(); ++i) {
      if (burst[i] < 0) continue;
      if (answers[i].rfind("HTTP/1.1 503", 0) == 0 &&
          answers[i].find("too many connections") != std::string::npos)
        ++burst_refused;
      else if (answers[i].empty() && !ended[i])
        ++burst_held;
    }
    for (int fd : burst)
      if (fd >= 0) ::close(fd);
  }
  flood.stop();

  const std::string metrics = http_get(port, "/metrics").body;
  std::vector<double> answered;
  for (double ms : latency_ms)
    if (ms >= 0) answered.push_back(ms);
  std::printf(
      "connection load: %d idle + %d slow-drip connections (cap %d, request deadline %d s)\n"
      "  connections held by the flood: most at once %d; server's open-connection gauge peak %.0f\n"
      "  flood connections closed by the deadline: %ld idle (silently), %ld slow-drip (408)\n"
      "  refused (503 too many connections): %d of a %d-connection burst past the cap (%d held), "
      "%ld flood reconnections; server counted %.0f\n"
      "  %d deliveries in %.1f s by %d senders, %d retried after a 503; latency p50 %.1f ms, p99 %.1f ms, "
      "max %.1f ms\n",
      kIdle, kDrip, kMaxConnections, kRequestTimeoutSeconds, held_during_deliveries, server_open_peak.load(),
      flood.closed_silently(), flood.answered_408(), burst_refused, kOverflow, burst_held,
      flood.refused_503(),
      metric_value(metrics, "pgdialer_webhooks_rejected_total", {{"reason", "too_many_connections"}}),
      kDeliveries, delivery_seconds, kSenders, retries.load(), percentile(answered, 0.50),
      percentile(answered, 0.99), percentile(answered, 1.0));

  for (int n = 0; n < kDeliveries; ++n)
    EXPECT_EQ(final_status[static_cast<std::size_t>(n)], 200) << "delivery " << n;
  EXPECT_GT(burst_refused, 0) << "no connection past the cap was refused";
  auto count = [&](const std::string& sql) { return db.sql().exec(sql).integer(0, 0); };
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events"), kDeliveries);
  EXPECT_EQ(count("SELECT count(DISTINCT idempotency_key) FROM dialer.webhook_events"), kDeliveries);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.call_activity"), kDeliveries);
  EXPECT_EQ(
      count("SELECT count(*) FROM dialer.call_activity WHERE call_id::bigint BETWEEN 770000 AND 770199"),
      kDeliveries);
  EXPECT_EQ(metric_value(metrics, "pgdialer_webhooks_accepted_total"), kDeliveries);
}

}  // namespace
