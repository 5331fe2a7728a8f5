// push_bench: the push queue end to end, for `make bench` (scripts/bench.sh).
//
// Real PostgreSQL (a fresh database on the bench cluster, made by the
// integration tests' harness), the real pgdialer-sync binary and the fake
// PhoneBurner over HTTP on loopback. Three measurements:
//
//   1. enqueue -> first contact: small pushes (5 contacts) into an idle,
//      LISTENing daemon with its default settings; from just before the
//      COMMIT of the transaction that called dialer.push to the moment the
//      fake logged the job's first POST /contacts (its request log records
//      CLOCK_MONOTONIC, which this process reads as steady_clock). The floor
//      is the same commit's NOTIFY reaching a LISTEN connection of our own.
//      Two series: a new session per push (a folder is made first) and
//      pushes into one existing session.
//   2. throughput: 1,000 and 10,000 contacts with the fake answering every
//      request after --latency-ms, against the ideal
//      max(contacts x latency / concurrency, contacts / rate limit).
//      Measured over the whole job (claimed -> finished, the job row's own
//      timestamps), which includes the folder, the custom-field check and
//      recording every outcome in PostgreSQL.
//   3. the daemons' peak RSS (VmHWM) just before they are stopped.
//
// Never fails on timings. Exits 1 when a job does not succeed or the fake
// does not hold exactly the contacts pushed (lines marked WRONG), 2 on usage.
//
//   PGDIALER_TEST_DATABASE_URL  libpq conninfo of a maintenance database (required)
//   PGDIALER_TEST_LOG_DIR       where the daemon and fake logs go (default /tmp)
#include <httplib.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

using namespace pgdialer::testing;
using pgdialer::sync::PgConnection;
using Clock = std::chrono::steady_clock;

namespace {

// SIGINT/SIGTERM/SIGHUP: stop at the next check and unwind, so the harness's
// destructors stop the daemon and the fake and drop the database (dying on
// the signal would leave a daemon working whatever database comes next).
std::atomic<bool> interrupted{false};
extern "C" void on_stop_signal(int) { interrupted = true; }

void install_signal_handlers() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed stdout (| head) must not kill us before the cleanup
}

void check_interrupted() {
  if (interrupted) throw std::runtime_error("interrupted");
}

struct Options {
  int pushes = 100;
  int contacts_per_push = 5;
  std::vector<int> sizes{1000, 10000};
  int latency_ms = 150;
  int concurrency = 20;
  double requests_per_second = 100;
  // A job projected to take longer than this times its ideal (after 20 s)
  // is cancelled and reported with its projection, so a slow daemon cannot
  // make the bench run for half an hour.
  double give_up_ratio = 3.0;
  bool latency = true;
  bool throughput = true;
  std::string series = "new,existing";
};

void usage() {
  std::fputs(
      "usage: push_bench [--pushes N] [--contacts-per-push N] [--sizes N,N] [--latency-ms N]\n"
      "                  [--concurrency N] [--requests-per-second R] [--series new,existing]\n"
      "                  [--give-up-ratio X] [--skip-latency] [--skip-throughput]\n",
      stderr);
}

std::optional<Options> parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " wants a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") return std::nullopt;
    if (a == "--pushes")
      o.pushes = std::stoi(value());
    else if (a == "--contacts-per-push")
      o.contacts_per_push = std::stoi(value());
    else if (a == "--latency-ms")
      o.latency_ms = std::stoi(value());
    else if (a == "--concurrency")
      o.concurrency = std::stoi(value());
    else if (a == "--requests-per-second")
      o.requests_per_second = std::stod(value());
    else if (a == "--series")
      o.series = value();
    else if (a == "--give-up-ratio")
      o.give_up_ratio = std::stod(value());
    else if (a == "--skip-latency")
      o.latency = false;
    else if (a == "--skip-throughput")
      o.throughput = false;
    else if (a == "--sizes") {
      o.sizes.clear();
      std::stringstream in(value());
      std::string n;
      while (std::getline(in, n, ',')) o.sizes.push_back(std::stoi(n));
    } else {
      return std::nullopt;
    }
  }
  if (o.pushes < 1 || o.contacts_per_push < 1 || o.concurrency < 1 || o.requests_per_second <= 0)
    return std::nullopt;
  return o;
}

long long now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

// Nearest-rank percentile of `v` (not empty), p in (0, 1].
double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::max<size_t>(rank, 1) - 1];
}

std::string with_commas(long long n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string fmt(const char* f, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, a);
  return buf;
}

// ---- the fake's request log --------------------------------------------------

struct LoggedRequest {
  long long seq = 0;
  std::string route;
  std::string body;
  int status = 0;
  long long duration_ms = 0;
  long long logged_unix_us = 0;
  long long logged_monotonic_us = 0;
};

class FakeLog {
 public:
  explicit FakeLog(const std::string& base_url) {
    // http://127.0.0.1:PORT/rest/1
    auto colon = base_url.rfind(':');
    port_ = std::stoi(base_url.substr(colon + 1));
  }
  long long next_seq() {
    rapidjson::Document d = get("/_control/requests?since=999999999999");
    return d["next_seq"].GetInt64();
  }
  std::vector<LoggedRequest> since(long long seq) {
    rapidjson::Document d = get("/_control/requests?since=" + std::to_string(seq));
    std::vector<LoggedRequest> out;
    for (const auto& r : d["requests"].GetArray()) {
      LoggedRequest l;
      l.seq = r["seq"].GetInt64();
      l.route = r["route"].GetString();
      l.body = r["body"].GetString();
      l.status = r["status"].GetInt();
      l.duration_ms = r["duration_ms"].GetInt64();
      if (!r.HasMember("logged_monotonic_us"))
        throw std::runtime_error(
            "the fake's request log has no logged_monotonic_us: rebuild fake-phoneburner");
      l.logged_unix_us = r["logged_unix_us"].GetInt64();
      l.logged_monotonic_us = r["logged_monotonic_us"].GetInt64();
      out.push_back(std::move(l));
    }
    return out;
  }
  // Live contacts per folder (category_id), from the state dump.
  std::map<std::string, long long> contacts_by_folder() {
    rapidjson::Document d = get("/_control/state");
    std::map<std::string, long long> out;
    for (const auto& c : d["contacts"].GetArray()) {
      auto cat = c.FindMember("category_id");
      std::string folder;
      if (cat != c.MemberEnd())
        folder = cat->value.IsString() ? cat->value.GetString() : std::to_string(cat->value.GetInt64());
      ++out[folder];
    }
    return out;
  }

 private:
  rapidjson::Document get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    auto r = client.Get(path.c_str());
    if (!r || r->status != 200) throw std::runtime_error("fake GET " + path + " failed");
    rapidjson::Document d;
    d.Parse(r->body.c_str());
    if (d.HasParseError()) throw std::runtime_error("fake GET " + path + ": bad JSON");
    return d;
  }
  int port_;
};

// ---- NOTIFY watcher: our own LISTEN connection --------------------------------

// Timestamps each dialer_push NOTIFY as it arrives (the floor any LISTENing
// daemon could reach), and the final status of jobs from dialer_progress, so
// we wait for a job without polling the database.
class Watcher {
 public:
  explicit Watcher(const std::string& url) : conn_(url, "push_bench/listen") {
    conn_.exec("LISTEN dialer_push");
    conn_.exec("LISTEN dialer_progress");
    thread_ = std::thread([this] { run(); });
  }
  ~Watcher() {
    stop_ = true;
    thread_.join();
  }
  std::optional<long long> notified_us(long long job) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = notified_.find(job);
    if (it == notified_.end()) return std::nullopt;
    return it->second;
  }
  // The job's final status, or "" after `timeout`.
  std::string wait_final(long long job, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return final_.count(job) > 0; });
    auto it = final_.find(job);
    return it == final_.end() ? "" : it->second;
  }

 private:
  void run() {
    PGconn* c = conn_.raw();
    while (!stop_) {
      pollfd fd{PQsocket(c), POLLIN, 0};
      int ready = poll(&fd, 1, 100);
      long long t = now_us();
      if (ready <= 0) continue;
      if (!PQconsumeInput(c)) {
        std::fprintf(stderr, "push_bench: listen connection lost: %s", PQerrorMessage(c));
        return;
      }
      while (PGnotify* n = PQnotifies(c)) {
        std::string channel = n->relname, extra = n->extra;
        PQfreemem(n);
        std::lock_guard<std::mutex> lock(mutex_);
        if (channel == "dialer_push") {
          notified_.emplace(std::atoll(extra.c_str()), t);
        } else {
          rapidjson::Document d;
          d.Parse(extra.c_str());
          if (d.HasParseError() || !d.IsObject() || !d.HasMember("job_id") || !d.HasMember("status"))
            continue;
          std::string status = d["status"].GetString();
          if (status != "queued" && status != "running") final_[d["job_id"].GetInt64()] = status;
        }
        cv_.notify_all();
      }
    }
  }

  PgConnection conn_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<long long, long long> notified_;
  std::map<long long, std::string> final_;
};

// ---- the daemon's process -----------------------------------------------------

struct ProcStats {
  long long hwm_kb = 0, rss_kb = 0;
  double cpu_s = 0;
  int threads = 0;
};

ProcStats proc_stats(int pid) {
  ProcStats s;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) s.hwm_kb = std::atoll(line.c_str() + 6);
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kb = std::atoll(line.c_str() + 6);
    if (line.rfind("Threads:", 0) == 0) s.threads = std::atoi(line.c_str() + 8);
  }
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = all.rfind(')');
  if (close != std::string::npos) {
    std::istringstream rest(all.substr(close + 2));
    std::vector<std::string> f;
    std::string x;
    while (rest >> x) f.push_back(x);
    // after the name: state(0) ... utime(11) stime(12)
    if (f.size() > 12)
      s.cpu_s = static_cast<double>(std::atoll(f[11].c_str()) + std::atoll(f[12].c_str())) /
                static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return s;
}

// Waits until the daemon has logged "ready" (its token check is done and it
// LISTENs), so a measurement never includes its start-up.
void wait_ready(const std::string& log_path, std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    check_interrupted();
    std::ifstream in(log_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("ready worker=") != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("pgdialer-sync did not log ready within the timeout (see " + log_path + ")");
}

// Environment for a daemon with its defaults except `overrides`: an empty
// value makes pgdialer-sync use its default (the harness sets test values).
std::map<std::string, std::string> daemon_env(std::map<std::string, std::string> overrides) {
  std::map<std::string, std::string> env{{"PGDIALER_POLL_SECONDS", ""},
                                         {"PGDIALER_LEASE_SECONDS", ""},
                                         {"PGDIALER_REQUESTS_PER_SECOND", ""},
                                         {"PGDIALER_CONCURRENCY", ""}};
  for (auto& [k, v] : overrides) env[k] = v;
  return env;
}

// "KEY=default, ..." for the settings pgdialer-sync --help documents, so the
// output says what "defaults" meant for the binary measured.
std::string daemon_defaults(const std::vector<std::string>& keys) {
  std::string program = std::getenv("PGDIALER_SYNC") && *std::getenv("PGDIALER_SYNC")
                            ? std::getenv("PGDIALER_SYNC")
                            : PGDIALER_SYNC_PATH;
  Subprocess help({program, "--help"}, {}, "/dev/null");
  std::string out;
  while (auto line = help.read_line(std::chrono::seconds(10))) {
    for (const auto& key : keys) {
      if (line->find(key) == std::string::npos) continue;
      auto at = line->find("(default ");
      if (at == std::string::npos) continue;
      std::string value = line->substr(at + 9);
      value = value.substr(0, value.find_first_of(";)"));
      out += (out.empty() ? "" : ", ") + key + "=" + value;
    }
  }
  return out.empty() ? "(pgdialer-sync --help lists no defaults)" : out;
}

// ---- results ------------------------------------------------------------------

struct Target {
  std::string what, measured;
  std::optional<bool> met;
};
std::vector<Target> targets;
std::vector<std::pair<std::string, long long>> rss_peaks;  // daemon, VmHWM kB
bool wrong = false;

void report_wrong(const std::string& what) {
  std::printf("   WRONG: %s\n", what.c_str());
  wrong = true;
}

// ---- pushes -------------------------------------------------------------------

struct Pushed {
  long long job = 0;
  long long before_commit_us = 0;  // steady_clock, just before COMMIT
  long long committed_us = 0;      // COMMIT returned
};

Pushed push(TestDatabase& db, int first_id, int n, const std::string& session_name,
            std::optional<long long> session_id) {
  auto& sql = db.rep();  // a rep pushes, as in production
  sql.exec("BEGIN");
  auto r = sql.exec(
      "SELECT dialer.push(array_agg(c ORDER BY id), nullif($1, ''), $2::bigint, '{}') "
      "FROM contacts c WHERE id BETWEEN $3::bigint AND $3::bigint + $4::int - 1",
      {session_name, session_id ? std::optional<std::string>(std::to_string(*session_id)) : std::nullopt,
       std::to_string(first_id), std::to_string(n)});
  Pushed p;
  p.job = r.integer(0, 0);
  p.before_commit_us = now_us();
  sql.exec("COMMIT");
  p.committed_us = now_us();
  return p;
}

struct JobRow {
  std::string status;
  long long total = 0, created = 0;
  double claimed_to_finished_s = 0;
  long long started_unix_us = 0, finished_unix_us = 0;
  std::string folder;
};

JobRow job_row(TestDatabase& db, long long job) {
  auto r = db.sql().exec(
      "SELECT j.status, j.total, (dialer.push_status(j.id) -> 'counts' ->> 'created')::bigint, "
      "       extract(epoch FROM j.finished_at - j.started_at), "
      "       (extract(epoch FROM j.started_at) * 1e6)::bigint, (extract(epoch FROM j.finished_at) * "
      "1e6)::bigint, "
      "       coalesce(s.phoneburner_folder_id, '') "
      "FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id WHERE j.id = $1",
      {std::to_string(job)});
  JobRow row;
  row.status = r.text(0, 0);
  row.total = r.integer(0, 1);
  row.created = r.is_null(0, 2) ? 0 : r.integer(0, 2);
  row.claimed_to_finished_s = r.is_null(0, 3) ? 0 : std::atof(r.text(0, 3).c_str());
  row.started_unix_us = r.is_null(0, 4) ? 0 : r.integer(0, 4);
  row.finished_unix_us = r.is_null(0, 5) ? 0 : r.integer(0, 5);
  row.folder = r.text(0, 6);
  return row;
}

std::string wait_final(Watcher& watcher, TestDatabase& db, long long job, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    check_interrupted();
    std::string status = watcher.wait_final(job, std::chrono::seconds(1));
    if (!status.empty()) return status;
  }
  return job_row(db, job).status;  // a missed notification: read it
}

bool is_contact_create(const LoggedRequest& r) { return r.route == "POST /rest/1/contacts"; }

// ---- 1. enqueue -> first contact ---------------------------------------------------

struct LatencySeries {
  std::string name;
  std::vector<double> first_contact_ms, notify_ms, first_request_ms, request_to_contact_ms, commit_ms;
};

void print_series_line(const char* label, const std::vector<double>& v, double floor_p50 = 0) {
  std::printf("   %-58s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms", label, percentile(v, 0.5),
              percentile(v, 0.99), percentile(v, 1.0));
  if (floor_p50 > 0) std::printf("  = %.0fx the floor (p50)", percentile(v, 0.5) / floor_p50);
  std::printf("\n");
}

void run_latency(const Options& o, TestDatabase& db, FakePhoneBurner& fake, int first_id) {
  std::printf("\n== Push queue: enqueue -> first contact at the fake\n");
  std::printf(
      "   %d pushes of %d contacts each per series, one at a time, each 0.3-0.7 s after the\n"
      "   previous job finished, into a daemon idle in LISTEN dialer_push; fake PhoneBurner\n"
      "   without added latency. Measured from just before the COMMIT to the fake logging the\n"
      "   job's first POST /contacts (when its answer was ready). pgdialer-sync defaults:\n"
      "   %s.\n",
      o.pushes, o.contacts_per_push,
      daemon_defaults({"PGDIALER_POLL_SECONDS", "PGDIALER_CONCURRENCY", "PGDIALER_REQUESTS_PER_SECOND",
                       "PGDIALER_LEASE_SECONDS"})
          .c_str());
  fake.control("config", R"({"latency_ms": 0})");
  FakeLog log(fake.base_url());
  const std::string daemon_log = test_log_path("push_bench_latency.daemon");
  std::remove(daemon_log.c_str());
  SyncDaemon daemon(db.sync_url(), fake.base_url(), daemon_log, daemon_env({}));
  wait_ready(daemon_log, std::chrono::seconds(60));
  Watcher watcher(db.url());
  std::mt19937 random(7);

  std::vector<LatencySeries> all;
  std::stringstream series_list(o.series);
  std::string kind;
  int next_id = first_id;
  while (std::getline(series_list, kind, ',')) {
    if (kind != "new" && kind != "existing") throw std::invalid_argument("unknown series " + kind);
    LatencySeries s;
    s.name =
        kind == "new" ? "a new session per push (folder made first)" : "pushes into one existing session";
    std::optional<long long> session;
    // One unmeasured push first: a fresh daemon's first job, and for the
    // second series the session (and its folder) the others add to.
    for (int i = -1; i < o.pushes; ++i) {
      check_interrupted();
      // The daemon is idle: back from its last claim and waiting in LISTEN.
      std::this_thread::sleep_for(std::chrono::milliseconds(300 + random() % 400));
      long long seq = log.next_seq();
      std::string name = "Bench " + kind + " " + std::to_string(i + 1);
      Pushed p = push(db, next_id, o.contacts_per_push, kind == "existing" && session ? "" : name,
                      kind == "existing" ? session : std::nullopt);
      next_id += o.contacts_per_push;
      std::string status = wait_final(watcher, db, p.job, std::chrono::seconds(60));
      if (status != "succeeded") {
        report_wrong("latency push job " + std::to_string(p.job) + " ended " +
                     (status.empty() ? "in a timeout" : status));
        continue;
      }
      if (kind == "existing" && !session)
        session = db.sql()
                      .exec("SELECT session_id FROM dialer.push_jobs WHERE id = $1", {std::to_string(p.job)})
                      .integer(0, 0);
      if (i < 0) continue;
      std::vector<LoggedRequest> reqs = log.since(seq - 1);
      auto first_contact = std::find_if(reqs.begin(), reqs.end(), is_contact_create);
      if (reqs.empty() || first_contact == reqs.end()) {
        report_wrong("no POST /contacts logged for job " + std::to_string(p.job));
        continue;
      }
      auto notified = watcher.notified_us(p.job);
      s.first_contact_ms.push_back((first_contact->logged_monotonic_us - p.before_commit_us) / 1e3);
      s.first_request_ms.push_back((reqs.front().logged_monotonic_us - p.before_commit_us) / 1e3);
      s.request_to_contact_ms.push_back(
          (first_contact->logged_monotonic_us - reqs.front().logged_monotonic_us) / 1e3);
      s.commit_ms.push_back((p.committed_us - p.before_commit_us) / 1e3);
      if (notified) s.notify_ms.push_back((*notified - p.before_commit_us) / 1e3);
      JobRow row = job_row(db, p.job);
      if (row.created != o.contacts_per_push)
        report_wrong("job " + std::to_string(p.job) + " created " + std::to_string(row.created) + " of " +
                     std::to_string(o.contacts_per_push));
    }
    if (s.first_contact_ms.empty()) continue;
    std::printf("\n   %s:\n", s.name.c_str());
    double floor_p50 = s.notify_ms.empty() ? 0 : percentile(s.notify_ms, 0.5);
    if (!s.notify_ms.empty())
      print_series_line("floor: COMMIT -> NOTIFY at our own LISTEN connection", s.notify_ms);
    print_series_line("COMMIT -> first POST /contacts at the fake", s.first_contact_ms, floor_p50);
    print_series_line("  of which COMMIT -> the daemon's first request of the job", s.first_request_ms);
    print_series_line("  of which first request -> first POST /contacts", s.request_to_contact_ms);
    print_series_line("  (COMMIT itself, returned to the pushing client)", s.commit_ms);
    all.push_back(std::move(s));
  }

  ProcStats st = proc_stats(daemon.process().pid());
  std::printf("\n   daemon after %zu series: peak RSS (VmHWM) %.1f MB, RSS %.1f MB, %d threads, %.2f s CPU\n",
              all.size(), st.hwm_kb / 1024.0, st.rss_kb / 1024.0, st.threads, st.cpu_s);
  for (auto& s : all) {
    double p99 = percentile(s.first_contact_ms, 0.99);
    targets.push_back(
        {std::string("first contact p99 < 100 ms, ") +
             (s.name.rfind("a new", 0) == 0 ? "new session each push" : "existing session"),
         fmt("p50 %.1f ms, ", percentile(s.first_contact_ms, 0.5)) + fmt("p99 %.1f ms", p99) +
             (s.notify_ms.empty() ? std::string()
                                  : fmt(" (NOTIFY floor p99 %.1f ms)", percentile(s.notify_ms, 0.99))),
         p99 < 100});
  }
  rss_peaks.push_back({"latency daemon", st.hwm_kb});
}

// ---- 2. throughput ----------------------------------------------------------------

// Most requests the fake was serving at once: each logged request was in
// flight from (answered - duration) to answered.
int max_in_flight(const std::vector<LoggedRequest>& reqs) {
  std::vector<std::pair<long long, int>> events;
  for (const auto& r : reqs) {
    events.push_back({r.logged_monotonic_us - r.duration_ms * 1000, +1});
    events.push_back({r.logged_monotonic_us, -1});
  }
  std::sort(events.begin(), events.end());
  int now = 0, most = 0;
  for (auto& e : events) most = std::max(most, now += e.second);
  return most;
}

void run_throughput(const Options& o, TestDatabase& db, FakePhoneBurner& fake) {
  const double latency_s = o.latency_ms / 1000.0;
  std::printf("\n== Push queue: throughput, fake PhoneBurner answering every request after %d ms\n",
              o.latency_ms);
  std::printf(
      "   pgdialer-sync with PGDIALER_CONCURRENCY=%d and PGDIALER_REQUESTS_PER_SECOND=%g (other\n"
      "   settings default). Ideal = max(contacts x %.3f s / %d, contacts / %g per s): the\n"
      "   contact writes alone, perfectly overlapped. Measured: the whole job, claimed ->\n"
      "   finished (push_jobs.started_at -> finished_at), which also makes the folder, checks\n"
      "   the custom fields once and records every outcome in PostgreSQL.\n",
      o.concurrency, o.requests_per_second, latency_s, o.concurrency, o.requests_per_second);
  fake.control("config", "{\"latency_ms\": " + std::to_string(o.latency_ms) + "}");
  FakeLog log(fake.base_url());
  const std::string daemon_log = test_log_path("push_bench_throughput.daemon");
  std::remove(daemon_log.c_str());
  SyncDaemon daemon(db.sync_url(), fake.base_url(), daemon_log,
                    daemon_env({{"PGDIALER_CONCURRENCY", std::to_string(o.concurrency)},
                                {"PGDIALER_REQUESTS_PER_SECOND", fmt("%g", o.requests_per_second)}}));
  wait_ready(daemon_log, std::chrono::seconds(60));
  Watcher watcher(db.url());

  for (int n : o.sizes) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long long seq = log.next_seq();
    Pushed p = push(db, 1, n, "Bench throughput " + std::to_string(n), std::nullopt);
    const long long items = job_row(db, p.job).total;
    const double ideal = std::max(items * latency_s / o.concurrency, items / o.requests_per_second);
    std::printf("\n   %s contacts pushed:\n", with_commas(n).c_str());
    // Wait for the job; give up (cancel) when it is clearly far off its ideal.
    std::string status;
    std::optional<double> projected;
    long long done_at_cancel = 0;
    double elapsed_at_cancel = 0;
    while (status.empty()) {
      check_interrupted();
      status = watcher.wait_final(p.job, std::chrono::seconds(1));
      if (!status.empty()) break;
      auto r = db.sql().exec(
          "SELECT status, done, extract(epoch FROM clock_timestamp() - started_at) FROM dialer.push_jobs "
          "WHERE id = $1",
          {std::to_string(p.job)});
      if (r.text(0, 0) != "queued" && r.text(0, 0) != "running") {
        status = r.text(0, 0);
        break;
      }
      if (r.is_null(0, 2)) continue;  // not claimed yet
      const long long done = r.integer(0, 1);
      const double elapsed = std::atof(r.text(0, 2).c_str());
      const double guess = done > 0 ? elapsed * static_cast<double>(items) / done : 1e9;
      if ((elapsed >= 20 && guess > o.give_up_ratio * ideal) || elapsed > 10 * ideal + 120) {
        projected = guess;
        done_at_cancel = done;
        elapsed_at_cancel = elapsed;
        db.sql().exec("SELECT dialer.cancel($1)", {std::to_string(p.job)});
        // The daemon sees the cancel at its next lease renewal.
        status = wait_final(watcher, db, p.job, std::chrono::seconds(120));
        break;
      }
    }
    JobRow row = job_row(db, p.job);
    if (projected) {
      std::printf(
          "   NOT FINISHED: cancelled after %.1f s with %s of %s contacts done (projected %.0f s, over\n"
          "   %.0fx the ideal; status now %s). Figures below are for the part that ran.\n",
          elapsed_at_cancel, with_commas(done_at_cancel).c_str(), with_commas(items).c_str(), *projected,
          o.give_up_ratio, status.c_str());
    } else if (status != "succeeded") {
      report_wrong("job " + std::to_string(p.job) + " ended " + (status.empty() ? "in a timeout" : status) +
                   " (status now " + row.status + ")");
      continue;
    }
    const double measured = projected ? *projected : row.claimed_to_finished_s;
    std::vector<LoggedRequest> reqs = log.since(seq - 1);
    std::vector<LoggedRequest> writes;
    for (auto& r : reqs)
      if (is_contact_create(r)) writes.push_back(r);
    std::printf("   %-44s %8.2f s; ideal %.2f s = max(%s x %.3f s / %d, %s / %g per s) -> %.2fx\n",
                projected ? "job claimed -> finished (PROJECTED)" : "job claimed -> finished", measured,
                ideal, with_commas(items).c_str(), latency_s, o.concurrency, with_commas(items).c_str(),
                o.requests_per_second, measured / ideal);
    if (!writes.empty()) {
      double first_sent = writes.front().logged_monotonic_us - writes.front().duration_ms * 1000;
      double phase = (writes.back().logged_monotonic_us - first_sent) / 1e6;
      long long head_us =
          writes.front().logged_unix_us - writes.front().duration_ms * 1000 - row.started_unix_us;
      long long tail_us = row.finished_unix_us - writes.back().logged_unix_us;
      std::string before;
      for (auto& r : reqs) {
        if (is_contact_create(r)) break;
        before += (before.empty() ? "" : ", ") + r.route.substr(0, r.route.find(' ')) + " " +
                  r.route.substr(r.route.find("/rest/1") + 7);
      }
      const double ideal_rate = items / ideal;
      if (projected)
        std::printf(
            "   %-44s %8.2f s: %s POST /contacts, %.1f/s vs the ideal %.0f/s (%.1fx slower), "
            "at most %d in flight\n",
            "contact writes while it ran (until stopped)", phase,
            with_commas(static_cast<long long>(writes.size())).c_str(), writes.size() / phase, ideal_rate,
            ideal_rate / (writes.size() / phase), max_in_flight(reqs));
      else
        std::printf(
            "   %-44s %8.2f s = %.2fx the ideal; %s POST /contacts, %.1f/s, at most %d requests in flight\n",
            "contact writes: first sent -> last answered", phase, phase / ideal,
            with_commas(static_cast<long long>(writes.size())).c_str(), writes.size() / phase,
            max_in_flight(reqs));
      std::printf("   %-44s %8.2f s (%s)\n", "claimed -> first contact write sent", head_us / 1e6,
                  before.empty() ? "no request before it" : before.c_str());
      if (!projected)
        std::printf("   %-44s %8.2f s (outcomes recorded, job finished)\n",
                    "last contact answered -> finished", tail_us / 1e6);
      if (!projected && static_cast<long long>(writes.size()) != items)
        std::printf("   (%zu POST /contacts for %lld items: retries)\n", writes.size(), items);
    }
    ProcStats st = proc_stats(daemon.process().pid());
    std::string payload_bytes =
        db.sql()
            .exec("SELECT round(avg(octet_length(payload::text))) FROM dialer.push_items WHERE job_id = $1",
                  {std::to_string(p.job)})
            .text(0, 0);
    std::printf(
        "   %-44s %8.1f MB (RSS now %.1f MB, %d threads, %.2f s CPU so far; payloads %s bytes each)\n",
        "daemon peak RSS (VmHWM) so far", st.hwm_kb / 1024.0, st.rss_kb / 1024.0, st.threads, st.cpu_s,
        payload_bytes.c_str());
    if (!projected && row.created != items)
      report_wrong("job " + std::to_string(p.job) + " created " + std::to_string(row.created) + " of " +
                   std::to_string(items));
    long long held = log.contacts_by_folder()[row.folder];
    if (!projected && held != items)
      report_wrong("the fake holds " + std::to_string(held) + " contacts in folder " + row.folder + ", not " +
                   std::to_string(items));
    targets.push_back({with_commas(n) + " contacts within 1.2x of ideal",
                       (projected ? "projected " : "") + fmt("%.2f s", measured) + fmt(" vs %.2f s", ideal) +
                           fmt(" = %.2fx", measured / ideal),
                       measured / ideal <= 1.2});
  }
  ProcStats st = proc_stats(daemon.process().pid());
  rss_peaks.push_back({"throughput daemon", st.hwm_kb});
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "push_bench: %s\n", e.what());
  }
  if (!options) {
    usage();
    bool help = argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0);
    return help ? 0 : 2;
  }
  const Options& o = *options;
  setvbuf(stdout, nullptr, _IOLBF, 0);
  install_signal_handlers();
  try {
    const auto started = Clock::now();
    TestDatabase db("pgdialer_bench_push");
    int largest = o.throughput ? *std::max_element(o.sizes.begin(), o.sizes.end()) : 0;
    int series = static_cast<int>(std::count(o.series.begin(), o.series.end(), ',')) + 1;
    const int latency_first_id = 1000001;
    if (largest > 0) db.add_contacts(1, largest);
    if (o.latency) db.add_contacts(latency_first_id, (o.pushes + 1) * o.contacts_per_push * series);
    // Every contact passes the rules, so items = contacts pushed; talking
    // points make the payloads as large as the demo's SourceCo contacts
    // (about 850 bytes of JSON), which matters for the daemon's memory.
    db.sql().exec(
        "UPDATE contacts SET do_not_call = false, call_talking_points = left(repeat("
        "'Ask about add-on acquisitions in the Southeast, their current platform companies, dry powder "
        "and timing of the next close; mention the recent deal in ' || company || '. ', 6), 560)");
    db.sql().exec("VACUUM ANALYZE contacts");
    std::printf("push_bench: database %s, %s contacts\n", "pgdialer_bench_push",
                db.sql().exec("SELECT count(*) FROM contacts").text(0, 0).c_str());

    // One fake for the whole run: the database keeps every session's folder
    // id (unique), and a second fake would hand out the same ids again.
    FakePhoneBurner fake(test_log_path("push_bench.fake"),
                         {"--request-log-size", std::to_string(2 * largest + 1000)});
    if (o.latency) run_latency(o, db, fake, latency_first_id);
    if (o.throughput && !o.sizes.empty()) run_throughput(o, db, fake);

    long long peak = 0;
    std::string peak_of;
    for (auto& [who, kb] : rss_peaks)
      if (kb > peak) peak = kb, peak_of = who;
    if (peak > 0) {
      std::printf("\n== pgdialer-sync peak RSS (VmHWM from /proc just before stopping each daemon)\n");
      for (auto& [who, kb] : rss_peaks) std::printf("   %-44s %8.1f MB\n", who.c_str(), kb / 1024.0);
      targets.push_back({"daemon peak RSS < 30 MB", fmt("%.1f MB", peak / 1024.0) + " (" + peak_of + ")",
                         peak < 30 * 1024});
    }

    std::printf("\n== Push queue targets\n");
    std::printf("   %-50s %-58s %s\n", "target", "measured", "met");
    for (auto& t : targets)
      std::printf("   %-50s %-58s %s\n", t.what.c_str(), t.measured.c_str(),
                  !t.met   ? "n/a"
                  : *t.met ? "yes"
                           : "NO");
    std::printf("\npush_bench done in %.0f s; daemon and fake logs in %s\n",
                std::chrono::duration<double>(Clock::now() - started).count(),
                test_log_path("push_bench_*").c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "push_bench: %s\n", e.what());
    return 1;
  }
  return wrong ? 1 : 0;
}
