// The fault and load run (issue 11): many reps pushing at once into several
// pgdialer-sync daemons sharing one queue, while the fake PhoneBurner injects
// latency, 429s, 5xx, malformed answers and connections dropped after a
// write, PostgreSQL is restarted, daemons are SIGKILLed and started again,
// and webhooks arrive throughout at every daemon's listener: real call
// outcomes (posted as PhoneBurner does, retried until answered 200, and
// simulated by the fake from the pushed folders) and hostile requests (bad
// token, too deep, too big, garbage, NUL, slow drip). Loopback only.
//
// Then it waits for every job to finish and every journal to drain, and
// checks the main guarantee end to end: every pushed contact is held by the
// fake exactly once in its session's folder, every job succeeded, every
// acknowledged event is stored exactly once, nothing hostile is stored. It
// prints one summary block and asserts lost = 0 and duplicated = 0.
//
// Sized by PGDIALER_FAULT_LOAD: unset, the bounded form `make test` runs
// (about half a minute); "full" (make test-faults) 50 callers and 3 daemons
// for a few minutes. PGDIALER_FAULT_LOAD_SECONDS overrides the length of the
// fault phase. A hard deadline stops every thread and fails the test.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "harness.hpp"

using namespace pgdialer::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using pgdialer::sync::DbError;
using pgdialer::sync::PgConnection;

namespace {

constexpr const char* kSecret = "fault-load-webhook-secret-0123456789";
constexpr int kRequestTimeoutSeconds = 2;
// Call ids: events posted by the senders, and hostile bodies (never stored).
constexpr long long kSentCallIds = 700000000;
constexpr long long kHostileCallIds = 990000000;

struct Plan {
  std::string form;
  int callers = 0;
  int pushes_per_caller = 0;
  int daemons = 0;
  int pg_restarts = 0;
  int kills = 0;
  int contacts = 0;
  int list_size = 0;
  int senders = 0;
  int events_per_sender = 0;
  int simulations = 0;
  int hostile_threads = 0;
  int drip_threads = 0;
  std::chrono::seconds fault_phase{0};
  std::chrono::seconds deadline{0};
  // The fake's knobs during the whole run.
  int latency_ms = 0;
  double rate_limit_rate = 0, error_rate = 0, drop_after_write_rate = 0, malformed_rate = 0;
};

Plan plan_from_environment() {
  const char* form = std::getenv("PGDIALER_FAULT_LOAD");
  Plan p;
  if (form && std::string(form) == "full") {
    p = Plan{"full", 50, 5, 3, 2, 8, 3000, 60, 8, 150, 12, 2, 2, 150s, 330s, 10, 0.03, 0.03, 0.02, 0.01};
  } else {
    p = Plan{"bounded", 10, 2, 2, 1, 1, 400, 30, 4, 30, 2, 1, 1, 12s, 90s, 5, 0.02, 0.02, 0.02, 0.01};
  }
  if (const char* s = std::getenv("PGDIALER_FAULT_LOAD_SECONDS"); s && std::atoi(s) > 0)
    p.fault_phase = std::chrono::seconds(std::atoi(s));
  return p;
}

std::string str(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return "";
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject())
    throw std::runtime_error("not a JSON object: " + json.substr(0, 200));
  return d;
}

// An api_calldone as PhoneBurner's account webhook sends it.
std::string calldone(long long call_id, int lead) {
  return R"({"call_id":")" + std::to_string(call_id) +
         R"(","ds_id":"6001","status":"Interested","connected":"1","duration":"30",)"
         R"("start_time":"2026-11-23 09:00:00","end_time":"2026-11-23 09:00:30","lead_id":")" +
         std::to_string(lead) + R"(","contact":{"user_id":")" + std::to_string(5000 + lead) +
         R"(","phone":"9195000002"},"agent":{"user_id":"9","name":"Sarah Johnson"},"call_notes":[]})";
}

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

// A slow-drip client: one byte of a request every 250 ms. The daemon's
// request deadline should end it with a 408 (or a close); the status line
// it got, 0 when it got none (closed silently, or nobody listening).
int slow_drip(int port, const std::string& target, Clock::time_point give_up) {
  const int fd = connect_to(port);
  if (fd < 0) return -1;
  const std::string request =
      "POST " + target +
      " HTTP/1.1\r\nHost: drip\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n" +
      std::string(4000, ' ');
  std::string received;
  std::size_t sent = 0;
  bool closed = false;
  while (!closed && Clock::now() < give_up) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 250) > 0) {
      char buffer[512];
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0)
        received.append(buffer, static_cast<std::size_t>(n));
      else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
        closed = true;
      continue;
    }
    if (sent < request.size()) (void)::send(fd, request.data() + sent++, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  ::close(fd);
  if (received.rfind("HTTP/1.1 ", 0) == 0) return std::atoi(received.c_str() + 9);
  return 0;
}

// One daemon: its own listener port and journal, restarted in place after
// a kill (PhoneBurner's URLs do not change, the journal is replayed).
struct DaemonSlot {
  int port = 0;
  std::string journal;
  std::map<std::string, std::string> env;
  std::unique_ptr<SyncDaemon> process;
};

// A push a caller made and saw committed.
struct PushRecord {
  long long job = 0;
  long long session = 0;
  int first = 0, last = 0;  // the contact ids pushed (a range)
};

struct EventOutcome {
  bool acknowledged = false;
  bool rejected = false;  // answered 200 "rejected": kept for review, not stored
};

class FaultLoadRun {
 public:
  explicit FaultLoadRun(Plan plan) : plan_(std::move(plan)), random_(20261123) {}

  void run() {
    started_ = Clock::now();
    hard_deadline_ = started_ + plan_.deadline;
    db_ = std::make_unique<TestDatabase>("pgdialer_it_fault_load");
    db_->add_contacts(1, plan_.contacts);
    fake_ = std::make_unique<FakePhoneBurner>(test_log_path("FaultLoad.fake"));
    char knobs[400];
    std::snprintf(knobs, sizeof knobs,
                  R"({"latency_ms":%d,"rate_limit_rate":%g,"retry_after_s":1,"error_rate":%g,)"
                  R"("drop_after_write_rate":%g,"malformed_rate":%g,"seed":11})",
                  plan_.latency_ms, plan_.rate_limit_rate, plan_.error_rate, plan_.drop_after_write_rate,
                  plan_.malformed_rate);
    fake_->control("config", knobs);
    start_daemons();

    fault_phase_end_ = Clock::now() + plan_.fault_phase;
    std::vector<std::thread> threads;
    for (int c = 0; c < plan_.callers; ++c) threads.emplace_back([this, c] { guarded([&] { caller(c); }); });
    for (int s = 0; s < plan_.senders; ++s) threads.emplace_back([this, s] { guarded([&] { sender(s); }); });
    for (int h = 0; h < plan_.hostile_threads; ++h)
      threads.emplace_back([this, h] { guarded([&] { hostile(h); }); });
    for (int d = 0; d < plan_.drip_threads; ++d)
      threads.emplace_back([this, d] { guarded([&] { dripper(d); }); });
    threads.emplace_back([this] { guarded([&] { simulator(); }); });
    guarded([&] { chaos(); });
    for (auto& t : threads) t.join();
    load_done_ = Clock::now();
    std::printf("fault load: load and faults done at %.0f s; waiting for the jobs and the journals\n",
                std::chrono::duration<double>(load_done_ - started_).count());
    std::fflush(stdout);

    guarded([&] { drain(); });
    drained_ = Clock::now();
  }

  const Plan& plan() const { return plan_; }
  TestDatabase& db() { return *db_; }
  FakePhoneBurner& fake() { return *fake_; }
  std::vector<DaemonSlot>& slots() { return slots_; }
  std::vector<PushRecord> pushes() {
    std::lock_guard<std::mutex> lock(mu_);
    return pushes_;
  }
  std::map<std::string, EventOutcome> events() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  std::vector<std::string> errors() {
    std::lock_guard<std::mutex> lock(mu_);
    return errors_;
  }
  Clock::time_point started() const { return started_; }
  Clock::time_point load_done() const { return load_done_; }
  Clock::time_point drained() const { return drained_; }
  int pg_restarts() const { return pg_restarts_; }
  int kills() const { return kills_; }
  long push_retries() const { return push_retries_; }
  long acknowledged_while_down() const { return acknowledged_while_down_; }
  long event_attempts() const { return event_attempts_; }
  long simulated_calls() const { return simulated_calls_; }
  long simulated_deliveries() const { return simulated_deliveries_; }
  long simulations_run() const { return simulations_run_; }
  std::map<std::string, long> hostile_sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return hostile_sent_;
  }
  std::map<std::string, long> hostile_answers() {
    std::lock_guard<std::mutex> lock(mu_);
    return hostile_answers_;
  }
  bool timed_out() const { return Clock::now() >= hard_deadline_; }

 private:
  void guarded(const std::function<void()>& body) {
    try {
      body();
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mu_);
      errors_.push_back(e.what());
    }
  }
  bool before_deadline() const { return Clock::now() < hard_deadline_; }
  // Sleeps until `when`, or less if the hard deadline comes first.
  void sleep_until(Clock::time_point when) const {
    std::this_thread::sleep_until(std::min(when, hard_deadline_));
  }
  double unit() {
    std::lock_guard<std::mutex> lock(random_mu_);
    return std::uniform_real_distribution<double>(0, 1)(random_);
  }
  int pick(int n) { return std::min(n - 1, static_cast<int>(unit() * n)); }

  void start_daemons() {
    for (int i = 0; i < plan_.daemons; ++i) {
      DaemonSlot slot;
      slot.port = free_loopback_port();
      slot.journal = fresh_test_dir("FaultLoad.journal" + std::to_string(i));
      slot.env = {{"PGDIALER_WORKER_ID", "fault-load-" + std::to_string(i)},
                  {"PGDIALER_WEBHOOK_SECRET", kSecret},
                  {"PGDIALER_LISTEN", "127.0.0.1:" + std::to_string(slot.port)},
                  {"PGDIALER_WEBHOOK_BASE_URL", "http://127.0.0.1:" + std::to_string(slot.port)},
                  {"PGDIALER_JOURNAL_DIR", slot.journal},
                  {"PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS", std::to_string(kRequestTimeoutSeconds)},
                  {"PGDIALER_CONCURRENCY", "5"}};
      slots_.push_back(std::move(slot));
    }
    // The account URL's token depends on the secret only: the same path
    // opens the account route of every daemon.
    {
      SyncDaemon cli(db_->sync_url(), fake_->base_url(), test_log_path("FaultLoad.cli"), slots_[0].env,
                     {"--print-webhook-url", "account"});
      auto line = cli.process().read_line(20s);
      if (!line) throw std::runtime_error("--print-webhook-url account printed nothing");
      const std::string base = "http://127.0.0.1:" + std::to_string(slots_[0].port);
      account_target_ = line->substr(base.size());
    }
    for (int i = 0; i < plan_.daemons; ++i) start_daemon(i);
    for (int i = 0; i < plan_.daemons; ++i) {
      const auto up_by = Clock::now() + 30s;
      while (http_get(slots_[i].port, "/healthz").status != 200 && Clock::now() < up_by)
        std::this_thread::sleep_for(100ms);
    }
  }
  void start_daemon(int i) {
    slots_[i].process =
        std::make_unique<SyncDaemon>(db_->sync_url(), fake_->base_url(),
                                     test_log_path("FaultLoad.daemon" + std::to_string(i)), slots_[i].env);
  }

  // ---- the faults that are not the fake's: kills and PostgreSQL restarts
  void chaos() {
    // Evenly spread, kills between the restarts; each at a jittered time.
    std::vector<std::pair<double, char>> acts;
    for (int r = 0; r < plan_.pg_restarts; ++r) acts.push_back({(r + 1.0) / (plan_.pg_restarts + 1), 'r'});
    for (int k = 0; k < plan_.kills; ++k)
      acts.push_back({(k + 0.5 + 0.4 * (unit() - 0.5)) / plan_.kills, 'k'});
    std::sort(acts.begin(), acts.end());
    const auto begin = Clock::now();
    for (auto [at, what] : acts) {
      sleep_until(begin + std::chrono::duration_cast<Clock::duration>(plan_.fault_phase * at));
      if (!before_deadline()) return;
      if (what == 'r') {
        postgres_down_ = true;
        test_cluster("stop");
        std::this_thread::sleep_for(1500ms);
        test_cluster("start");
        postgres_down_ = false;
        ++pg_restarts_;
      } else {
        const int i = pick(plan_.daemons);
        slots_[i].process->process().signal(SIGKILL);
        slots_[i].process->process().wait(10s);
        ++kills_;
        std::this_thread::sleep_for(std::chrono::milliseconds(200 + pick(600)));
        start_daemon(i);
      }
    }
    sleep_until(fault_phase_end_);
  }

  // ---- pushes: each caller its own connection as a rep, its own sessions
  void caller(int c) {
    const std::string login = c % 2 ? TestDatabase::kMike : TestDatabase::kSarah;
    std::unique_ptr<PgConnection> conn;
    std::map<long long, int> my_jobs_in;  // session -> jobs this caller committed into it
    long long session = 0;
    std::mt19937 random(static_cast<unsigned>(c) * 7919u + 1);
    const int span = std::max(1, plan_.contacts - plan_.list_size);
    const auto begin = Clock::now();
    for (int k = 0; k < plan_.pushes_per_caller; ++k) {
      // Spread over the fault phase, jittered.
      const double at =
          (k + std::uniform_real_distribution<double>(0, 0.9)(random)) / plan_.pushes_per_caller;
      sleep_until(begin + std::chrono::duration_cast<Clock::duration>(plan_.fault_phase * at));
      // Overlapping lists: neighbours share contacts, and a later push into
      // the same session repeats part of the earlier one (updates).
      const int first = 1 + static_cast<int>((c * 97L + k * (plan_.list_size / 2)) % span);
      const int last = first + plan_.list_size - 1;
      const bool new_session = session == 0 || random() % 3 == 0;
      const std::string name = "Fault load caller " + std::to_string(c) + " push " + std::to_string(k);
      PushRecord record{0, new_session ? 0 : session, first, last};
      while (before_deadline() && record.job == 0) {
        try {
          if (!conn) conn = std::make_unique<PgConnection>(db_->url_as(login), "fault-load-caller");
          record.job = conn->exec(
                               "SELECT dialer.push(array_agg(c ORDER BY id), nullif($1, ''), "
                               "nullif($2, '')::bigint) FROM contacts c WHERE id BETWEEN $3 AND $4",
                               {new_session ? name : "", new_session ? "" : std::to_string(session),
                                std::to_string(first), std::to_string(last)})
                           .integer(0, 0);
        } catch (const DbError& e) {
          if (!e.connection_lost()) throw;  // a refused push is a failure of the run
          // The server went away mid-push: did the push commit? Ask, once
          // it is back, the way an app would (by the session's name, or the
          // number of jobs of this caller's session), then push again if not.
          conn.reset();
          ++push_retries_;
          record.job = resolve_lost_push(new_session, name, session, my_jobs_in);
          if (record.job == 0) std::this_thread::sleep_for(300ms);
        }
      }
      if (record.job == 0) return;
      if (new_session) {
        record.session = admin_integer("SELECT session_id FROM dialer.push_jobs WHERE id = $1",
                                       {std::to_string(record.job)});
        session = record.session;
      }
      ++my_jobs_in[record.session];
      std::lock_guard<std::mutex> lock(mu_);
      pushes_.push_back(record);
    }
  }

  // The job of a push whose answer was lost, 0 when it did not commit.
  long long resolve_lost_push(bool new_session, const std::string& name, long long session,
                              const std::map<long long, int>& my_jobs_in) {
    while (before_deadline()) {
      try {
        if (new_session)
          return admin_integer(
              "SELECT coalesce(max(j.id), 0) FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = "
              "j.session_id WHERE s.name = $1",
              {name});
        auto it = my_jobs_in.find(session);
        const long long mine = it == my_jobs_in.end() ? 0 : it->second;
        const long long jobs = admin_integer("SELECT count(*) FROM dialer.push_jobs WHERE session_id = $1",
                                             {std::to_string(session)});
        if (jobs == mine) return 0;
        return admin_integer("SELECT max(id) FROM dialer.push_jobs WHERE session_id = $1",
                             {std::to_string(session)});
      } catch (const DbError&) {
        std::this_thread::sleep_for(300ms);
      }
    }
    return 0;
  }

  long long admin_integer(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
    PgConnection admin(db_->url(), "fault-load-check");
    return admin.exec(sql, params).integer(0, 0);
  }

  // ---- webhooks: real call outcomes, retried until answered 200
  void sender(int s) {
    const auto begin = Clock::now();
    for (int n = 0; n < plan_.events_per_sender && before_deadline(); ++n) {
      sleep_until(begin + std::chrono::duration_cast<Clock::duration>(plan_.fault_phase * n /
                                                                      plan_.events_per_sender));
      const long long call_id = kSentCallIds + s * 100000LL + n;
      const int lead = 1 + static_cast<int>(call_id % plan_.contacts);
      const std::string key = "api_calldone:" + std::to_string(call_id);
      const DaemonSlot& slot = slots_[static_cast<std::size_t>((s + n) % plan_.daemons)];
      {
        std::lock_guard<std::mutex> lock(mu_);
        events_[key];
      }
      // As PhoneBurner: the same URL again until it answers 200.
      const auto give_up = Clock::now() + 45s;
      while (before_deadline() && Clock::now() < give_up) {
        ++event_attempts_;
        HttpReply reply = http_post(slot.port, account_target_, calldone(call_id, lead));
        if (reply.status == 200) {
          if (postgres_down_) ++acknowledged_while_down_;
          std::lock_guard<std::mutex> lock(mu_);
          EventOutcome& outcome = events_[key];
          outcome.acknowledged = true;
          outcome.rejected = reply.body.find("\"rejected\"") != std::string::npos;
          break;
        }
        std::this_thread::sleep_for(250ms);
      }
    }
  }

  // ---- webhooks the fake sends: reps dialing pushed folders
  void simulator() {
    const auto begin = Clock::now();
    for (int i = 0; i < plan_.simulations && before_deadline(); ++i) {
      sleep_until(begin + std::chrono::duration_cast<Clock::duration>(plan_.fault_phase *
                                                                      (0.3 + 0.7 * i / plan_.simulations)));
      std::string folder;
      try {
        PgConnection admin(db_->url(), "fault-load-simulator");
        auto r = admin.exec(
            "SELECT phoneburner_folder_id FROM dialer.sessions WHERE contact_count > 0 "
            "AND phoneburner_folder_id IS NOT NULL ORDER BY random() LIMIT 1");
        if (r.rows() == 1) folder = r.text(0, 0);
      } catch (const DbError&) {
        continue;  // PostgreSQL is restarting: the next run
      }
      if (folder.empty()) continue;
      const DaemonSlot& slot = slots_[static_cast<std::size_t>(pick(plan_.daemons))];
      fake_->control("config", R"({"account_webhook_url":"http://127.0.0.1:)" + std::to_string(slot.port) +
                                   account_target_ + R"("})");
      rapidjson::Document run;
      try {
        run = parse(fake_->control_json(
            "simulate_calls", R"({"folder_id":")" + folder + R"(","calls":8,"seed":)" +
                                  std::to_string(i + 1) +
                                  R"(,"duplicates":2,"out_of_order":true,"timeout_ms":3000,"retries":5,)"
                                  R"("retry_delay_ms":400})"));
      } catch (const std::exception&) {
        continue;  // e.g. 409: the folder's contacts are not all there yet
      }
      ++simulations_run_;
      simulated_calls_ += run["calls"].Size();
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& d : run["deliveries"].GetArray()) {
        ++simulated_deliveries_;
        const std::string key = str(d["event"]) + ":" + str(d["call_id"]);
        EventOutcome& outcome = events_[key];
        if (d["status"].IsInt() && d["status"].GetInt() == 200) outcome.acknowledged = true;
      }
    }
  }

  // ---- hostile requests: each must be refused, none stored
  void hostile(int h) {
    const std::string token = account_target_.substr(account_target_.find("?s=") + 3);
    std::string wrong = token;
    wrong[5] = wrong[5] == 'a' ? 'b' : 'a';
    long long n = 0;
    while (before_deadline() && Clock::now() < fault_phase_end_) {
      const long long call_id = kHostileCallIds + h * 1000000LL + n++;
      const std::string valid = calldone(call_id, 1);
      static const char* kinds[] = {"bad_token", "too_deep", "oversized", "garbage", "nul"};
      const std::string kind = kinds[pick(5)];
      std::string target = account_target_, body;
      if (kind == "bad_token") {
        target = "/phoneburner/account?s=" + wrong;
        body = valid;
      } else if (kind == "too_deep") {
        body = R"({"call_id":")" + std::to_string(call_id) + R"(","lead_id":"1","x":)" +
               std::string(20000, '[') + std::string(20000, ']') + "}";
      } else if (kind == "oversized") {
        body = R"({"call_id":")" + std::to_string(call_id) + R"(","lead_id":"1","call_notes":[")" +
               std::string(300 * 1024, 'x') + R"("]})";
      } else if (kind == "garbage") {
        body.resize(64 + pick(2000));
        for (char& ch : body) ch = static_cast<char>(pick(256));
      } else {
        body = valid;
        body.insert(body.find("\"call_notes\""), R"("notes":"a\u0000b",)");
      }
      const int port = slots_[static_cast<std::size_t>(pick(plan_.daemons))].port;
      HttpReply reply = http_post(port, target, body);
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++hostile_sent_[kind];
        ++hostile_answers_[reply.status == 0 ? "no answer" : std::to_string(reply.status)];
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50 + pick(150)));
    }
  }

  void dripper(int d) {
    while (before_deadline() && Clock::now() < fault_phase_end_) {
      const int port = slots_[static_cast<std::size_t>((d + pick(plan_.daemons)) % plan_.daemons)].port;
      const int status =
          slow_drip(port, account_target_, Clock::now() + std::chrono::seconds(kRequestTimeoutSeconds + 6));
      std::lock_guard<std::mutex> lock(mu_);
      ++hostile_sent_["slow_drip"];
      ++hostile_answers_[status == -1 ? "no answer" : status == 0 ? "closed" : std::to_string(status)];
    }
  }

  // ---- after the faults: every job finished, every journal drained
  void drain() {
    db_->reconnect();
    while (before_deadline()) {
      try {
        const long long open =
            db_->sql()
                .exec("SELECT count(*) FROM dialer.push_jobs WHERE status IN ('queued', 'running')")
                .integer(0, 0);
        if (open == 0) break;
      } catch (const DbError&) {
        db_->reconnect();
      }
      std::this_thread::sleep_for(200ms);
    }
    for (DaemonSlot& slot : slots_) {
      while (before_deadline()) {
        HttpReply health = http_get(slot.port, "/healthz");
        if (health.status == 200 && parse(health.body)["journal_depth"].GetInt64() == 0) break;
        std::this_thread::sleep_for(200ms);
      }
    }
  }

  Plan plan_;
  std::mt19937_64 random_;
  std::mutex random_mu_;
  std::mutex mu_;
  Clock::time_point started_, hard_deadline_, fault_phase_end_, load_done_, drained_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<FakePhoneBurner> fake_;
  std::vector<DaemonSlot> slots_;
  std::string account_target_;
  std::vector<PushRecord> pushes_;
  std::map<std::string, EventOutcome> events_;
  std::vector<std::string> errors_;
  std::map<std::string, long> hostile_sent_, hostile_answers_;
  std::atomic<int> pg_restarts_{0}, kills_{0};
  // While PostgreSQL is stopped, deliveries are acknowledged from the journals.
  std::atomic<bool> postgres_down_{false};
  std::atomic<long> acknowledged_while_down_{0};
  std::atomic<long> push_retries_{0}, event_attempts_{0}, simulated_calls_{0}, simulated_deliveries_{0},
      simulations_run_{0};
};

std::string joined(const std::map<std::string, long>& counts) {
  std::string out;
  for (const auto& [k, n] : counts) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(n);
  return out.empty() ? "none" : out;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

TEST(FaultLoad, NothingAcknowledgedIsLostAndNothingIsDoneTwice) {
  FaultLoadRun run(plan_from_environment());
  const Plan& plan = run.plan();
  run.run();
  // Past the deadline the figures below say what was left undone.
  const bool timed_out = run.timed_out();
  for (const auto& e : run.errors()) ADD_FAILURE() << "a thread of the run failed: " << e;
  TestDatabase& db = run.db();
  auto sql = [&](const std::string& q) { return db.sql().exec(q); };

  // ---- jobs: every push the callers saw committed, and no other, succeeded
  const std::vector<PushRecord> pushes = run.pushes();
  std::map<std::string, long> job_statuses;
  auto jobs = sql("SELECT id, status FROM dialer.push_jobs WHERE kind = 'push' ORDER BY id");
  std::set<long long> job_ids;
  for (int r = 0; r < jobs.rows(); ++r) {
    ++job_statuses[jobs.text(r, 1)];
    job_ids.insert(std::stoll(jobs.text(r, 0)));
  }
  std::set<long long> pushed_ids;
  for (const auto& p : pushes) pushed_ids.insert(p.job);
  EXPECT_EQ(pushes.size(), static_cast<std::size_t>(plan.callers * plan.pushes_per_caller));
  EXPECT_EQ(job_ids, pushed_ids) << "the jobs in PostgreSQL are not the pushes the callers made";
  EXPECT_EQ(job_statuses["succeeded"], static_cast<long>(jobs.rows())) << joined(job_statuses);
  // Jobs a kill, a restart or PhoneBurner's failures interrupted, taken up again.
  const long long jobs_retried =
      sql("SELECT count(*) FROM dialer.push_jobs WHERE kind = 'push' AND attempts > 1").integer(0, 0);

  // ---- contacts: each session's folder holds its contacts, each once
  std::map<long long, std::set<std::string>> expected;  // session -> contact ids
  long contacts_pushed = 0;
  for (const auto& p : pushes)
    for (int id = p.first; id <= p.last; ++id)
      if (id % 10 != 0) expected[p.session].insert(std::to_string(id)), ++contacts_pushed;
  std::map<std::string, long long> session_of_folder;
  auto folders = sql("SELECT id, coalesce(phoneburner_folder_id, '') FROM dialer.sessions");
  for (int r = 0; r < folders.rows(); ++r)
    session_of_folder[folders.text(r, 1)] = std::stoll(folders.text(r, 0));
  std::map<std::pair<long long, std::string>, int> held;  // (session, contact) -> copies
  long held_elsewhere = 0, held_total = 0;
  for (const auto& c : run.fake().contacts()) {
    ++held_total;
    auto it = session_of_folder.find(c.category_id);
    if (it == session_of_folder.end() || c.category_id.empty()) {
      ++held_elsewhere;
      continue;
    }
    ++held[{it->second, c.lead_id}];
  }
  long contacts_lost = 0, contacts_duplicated = 0, contacts_unexpected = 0, expected_total = 0;
  for (const auto& [session, ids] : expected) {
    expected_total += static_cast<long>(ids.size());
    for (const auto& id : ids) {
      auto it = held.find({session, id});
      if (it == held.end())
        ++contacts_lost;
      else if (it->second > 1)
        contacts_duplicated += it->second - 1;
    }
  }
  for (const auto& [key, copies] : held)
    if (!expected.count(key.first) || !expected[key.first].count(key.second)) contacts_unexpected += copies;
  const long long links = sql("SELECT count(*) FROM dialer.contact_links").integer(0, 0);
  std::map<std::string, long> item_statuses;
  auto items = sql("SELECT status, count(*) FROM dialer.push_items GROUP BY 1");
  for (int r = 0; r < items.rows(); ++r) item_statuses[items.text(r, 0)] = std::stol(items.text(r, 1));

  // ---- events: every acknowledged one stored, once; nothing hostile stored
  const auto events = run.events();
  std::map<std::string, long long> stored;  // key -> rows
  auto rows = sql("SELECT idempotency_key, count(*) FROM dialer.webhook_events GROUP BY 1");
  for (int r = 0; r < rows.rows(); ++r) stored[rows.text(r, 0)] = std::stoll(rows.text(r, 1));
  long sent = 0, acknowledged = 0, rejected = 0, stored_of_sent = 0, events_lost = 0, events_duplicated = 0;
  for (const auto& [key, outcome] : events) {
    ++sent;
    acknowledged += outcome.acknowledged;
    rejected += outcome.rejected;
    auto it = stored.find(key);
    if (it != stored.end()) ++stored_of_sent;
    if (outcome.acknowledged && !outcome.rejected && it == stored.end()) {
      ++events_lost;
      if (events_lost <= 5) ADD_FAILURE() << "acknowledged event " << key << " was not stored";
    }
  }
  long stored_unsent = 0;
  for (const auto& [key, n] : stored) {
    if (n > 1) events_duplicated += n - 1;
    if (!events.count(key)) ++stored_unsent;
  }
  events_duplicated +=
      sql("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM dialer.call_activity "
          "GROUP BY call_id) c")
          .integer(0, 0);
  const long long hostile_stored =
      sql("SELECT count(*) FROM dialer.webhook_events WHERE call_id ~ '^99[0-9]{7}$'").integer(0, 0);
  long set_aside = 0;
  for (auto& slot : run.slots()) {
    std::error_code ec;
    const auto held_size = std::filesystem::file_size(slot.journal + "/webhook-held", ec);
    if (!ec) set_aside += static_cast<long>(held_size);
  }
  auto hostile_sent = run.hostile_sent();
  auto hostile_answers = run.hostile_answers();
  long hostile_total = 0, hostile_refused = 0, hostile_accepted = 0;
  for (const auto& [k, n] : hostile_sent) hostile_total += n;
  for (const auto& [status, n] : hostile_answers) {
    const int code = std::atoi(status.c_str());
    if (code >= 400 && code < 500) hostile_refused += n;
    if (code >= 200 && code < 300) hostile_accepted += n;
  }

  // ---- the fake's counters: what it injected
  auto state = parse(run.fake().state_json());
  std::map<std::string, long> faults;
  long faults_total = 0;
  for (const auto& f : state["counters"]["faults"].GetObject()) {
    faults[f.name.GetString()] = static_cast<long>(f.value.GetInt64());
    faults_total += static_cast<long>(f.value.GetInt64());
  }

  const long lost = contacts_lost + events_lost;
  const long duplicated = contacts_duplicated + events_duplicated;
  std::printf("== fault and load run (%s): %.0f s (faults %lld s, load done at %.0f s, drained at %.0f s)\n",
              plan.form.c_str(), seconds_between(run.started(), run.drained()),
              static_cast<long long>(plan.fault_phase.count()),
              seconds_between(run.started(), run.load_done()), seconds_between(run.started(), run.drained()));
  std::printf("  callers: %d, each its own connection, %d pushes each; %ld retried after losing the server\n",
              plan.callers, plan.pushes_per_caller, run.push_retries());
  std::printf(
      "  daemons: %d sharing the queue; SIGKILLed %d times (restarted in place); PostgreSQL restarts: %d\n",
      plan.daemons, run.kills(), run.pg_restarts());
  std::printf("  jobs: %zu pushed, %s; %lld needed more than one attempt\n", pushes.size(),
              joined(job_statuses).c_str(), jobs_retried);
  std::printf("  contacts: %ld pushed in %zu sessions (%ld distinct per session); items %s; links %lld\n",
              contacts_pushed, expected.size(), expected_total, joined(item_statuses).c_str(), links);
  std::printf(
      "    held by the fake: %ld (%ld outside our folders); lost %ld, duplicated %ld, unexpected %ld\n",
      held_total, held_elsewhere, contacts_lost, contacts_duplicated, contacts_unexpected);
  std::printf("  faults injected by the fake (latency %d ms on every request): %ld: %s\n", plan.latency_ms,
              faults_total, joined(faults).c_str());
  std::printf(
      "  webhook events: sent %ld (%ld posted in %ld attempts; %ld simulated deliveries of %ld calls in %ld "
      "runs)\n"
      "    acknowledged %ld (%ld posted ones while PostgreSQL was down), stored %ld, rejected %ld, stored "
      "without being sent %ld, set aside %ld bytes\n"
      "    lost (acknowledged, not stored) %ld, duplicated %ld\n",
      sent, static_cast<long>(plan.senders * plan.events_per_sender), run.event_attempts(),
      run.simulated_deliveries(), run.simulated_calls(), run.simulations_run(), acknowledged,
      run.acknowledged_while_down(), stored_of_sent, rejected, stored_unsent, set_aside, events_lost,
      events_duplicated);
  std::printf("  hostile requests: sent %ld (%s); answers %s; refused %ld, accepted %ld, stored %lld\n",
              hostile_total, joined(hostile_sent).c_str(), joined(hostile_answers).c_str(), hostile_refused,
              hostile_accepted, hostile_stored);
  std::printf("  lost = %ld, duplicated = %ld\n", lost, duplicated);
  std::fflush(stdout);

  EXPECT_FALSE(timed_out) << "the run passed its hard deadline of " << plan.deadline.count() << " s";
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(contacts_unexpected, 0);
  EXPECT_EQ(held_elsewhere, 0);
  EXPECT_EQ(links, expected_total);
  EXPECT_EQ(held_total, expected_total);
  EXPECT_EQ(rejected, 0);
  EXPECT_EQ(stored_unsent, 0);
  EXPECT_EQ(set_aside, 0);
  EXPECT_EQ(hostile_accepted, 0);
  EXPECT_EQ(hostile_stored, 0);
  EXPECT_GT(hostile_refused, 0);
  EXPECT_EQ(run.kills(), plan.kills);
  EXPECT_EQ(run.pg_restarts(), plan.pg_restarts);
  EXPECT_GT(faults_total, 0) << "the fake injected no fault";
  EXPECT_GT(acknowledged, 0);
  // Every event posted by the senders was answered 200 in the end (they
  // retry as PhoneBurner does), so each is in PostgreSQL.
  long posted_acknowledged = 0;
  for (const auto& [key, outcome] : events)
    if (key.rfind("api_calldone:7", 0) == 0) posted_acknowledged += outcome.acknowledged;
  EXPECT_EQ(posted_acknowledged, static_cast<long>(plan.senders * plan.events_per_sender));

  for (auto& slot : run.slots()) {
    slot.process->process().signal(SIGTERM);
    auto status = slot.process->process().wait(30s);
    EXPECT_TRUE(status.has_value() && *status == 0) << "a daemon did not stop cleanly on SIGTERM";
  }
}

}  // namespace
