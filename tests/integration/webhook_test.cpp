// Call outcomes end to end (issue 4): the fake PhoneBurner simulates reps
// dialing and fires its webhooks over real HTTP at the real pgdialer-sync,
// which records them in real PostgreSQL. Every test compares what the
// database holds with the fake's own record of what happened (GET
// /_control/calls), never with numbers written into the test. Generous
// timeouts; no timing assertions.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace pgdialer::testing;
using std::chrono::seconds;

namespace {

constexpr const char* kSecret = "integration-webhook-secret-0123456789";
constexpr const char* kZone = "America/Chicago";

std::string str(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  return "";
}

std::string member(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it == o.MemberEnd() || it->value.IsNull() ? "" : str(it->value);
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject())
    throw std::runtime_error("not a JSON object: " + json.substr(0, 200));
  return d;
}

// One simulated call as the fake says it happened, in the database's
// vocabulary ("" = NULL).
struct TruthCall {
  std::string call_id, contact_id, phoneburner_contact_id, dial_session_id, disposition, agent_name, phone,
      start_time, end_time, notes, recording_url;
  bool connected = false;
  long long duration = 0;
};

std::vector<TruthCall> truth_calls(const rapidjson::Value& answer) {
  std::vector<TruthCall> out;
  for (const auto& c : answer["calls"].GetArray()) {
    TruthCall t;
    t.call_id = member(c, "call_id");
    t.contact_id = member(c, "lead_id");
    t.phoneburner_contact_id = member(c, "phoneburner_contact_id");
    t.dial_session_id = member(c, "dial_session_id");
    t.disposition = member(c, "disposition");
    t.agent_name = member(c, "agent_name");
    t.phone = member(c, "phone");
    t.start_time = member(c, "start_time");
    t.end_time = member(c, "end_time");
    for (const auto& n : c["call_notes"].GetArray()) t.notes += (t.notes.empty() ? "" : "\n") + str(n);
    t.recording_url = member(c, "recording_url");
    t.connected = c["connected"].GetBool();
    t.duration = c["duration_seconds"].GetInt64();
    out.push_back(t);
  }
  return out;
}

// The default disposition map, for the texts these tests use.
std::string outcome_of(const std::string& disposition) {
  static const std::map<std::string, std::string> map{
      {"No Answer", "no_answer"},   {"Left Message", "voicemail"},    {"Appointment", "meeting_set"},
      {"Interested", "interested"}, {"Qualified", "qualified"},       {"Not Interested", "disqualified"},
      {"Call Back", "callback"},    {"Wrong Number", "wrong_number"}, {"Do Not Call", "do_not_call"}};
  auto it = map.find(disposition);
  return it == map.end() ? "" : it->second;
}

// The key dialer.record_call_event dedupes a delivery by (docs/call-events.md).
std::string idempotency_key(const rapidjson::Value& delivery) {
  const std::string event = member(delivery, "event");
  if (event == "api_contact_displayed")
    return event + ":" + member(delivery["body"], "ds_id") + ":" + member(delivery, "phoneburner_contact_id");
  return event + ":" + member(delivery, "call_id");
}

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string lower = name_;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    db_ = std::make_unique<TestDatabase>("pgdialer_it_" + lower.substr(0, 48));
    fake_ = std::make_unique<FakePhoneBurner>(test_log_path(name_ + ".fake"));
    journal_dir_ = fresh_test_dir(name_ + ".journal");
    port_ = free_loopback_port();
  }

  // A test that fails while PostgreSQL is stopped must not leave it stopped
  // for the tests after it.
  void TearDown() override {
    if (postgres_stopped_) start_postgres();
  }
  void stop_postgres() {
    postgres_stopped_ = true;
    test_cluster("stop");
  }
  void start_postgres() {
    test_cluster("start");
    postgres_stopped_ = false;
    db_->reconnect();
  }

  std::map<std::string, std::string> daemon_env() const {
    const std::string base = "http://127.0.0.1:" + std::to_string(port_);
    return {{"PGDIALER_WEBHOOK_SECRET", kSecret},
            {"PGDIALER_LISTEN", "127.0.0.1:" + std::to_string(port_)},
            {"PGDIALER_WEBHOOK_BASE_URL", base},
            {"PGDIALER_JOURNAL_DIR", journal_dir_},
            {"PGDIALER_WEBHOOK_TIME_ZONE", kZone}};
  }

  // A daemon with the webhook listener, once it answers /healthz (503 while
  // events cannot reach PostgreSQL).
  std::unique_ptr<SyncDaemon> start_daemon(std::map<std::string, std::string> extra_env = {}) {
    auto env = daemon_env();
    for (auto& [k, v] : extra_env) env[k] = v;
    auto daemon = std::make_unique<SyncDaemon>(db_->sync_url(), fake_->base_url(),
                                               test_log_path(name_ + ".daemon"), env);
    bool up = wait_until(seconds(30), [&] {
      const int status = http_get(port_, "/healthz").status;
      return status == 200 || status == 503;
    });
    if (!up)
      throw std::runtime_error("the daemon's webhook listener did not come up on port " +
                               std::to_string(port_));
    return daemon;
  }

  // What `pgdialer-sync --print-webhook-url <target>` prints with the
  // daemon's settings: the URL an admin pastes into PhoneBurner.
  std::string printed_webhook_url(const std::string& target) {
    SyncDaemon cli(db_->sync_url(), fake_->base_url(), test_log_path(name_ + ".cli"), daemon_env(),
                   {"--print-webhook-url", target});
    auto line = cli.process().read_line(seconds(20));
    auto status = cli.process().wait(seconds(20));
    if (!line || !status || *status != 0)
      throw std::runtime_error("--print-webhook-url " + target + " failed");
    return *line;
  }

  // The path and query of a webhook URL on our listener.
  std::string target_of(const std::string& url) const {
    const std::string base = "http://127.0.0.1:" + std::to_string(port_);
    if (url.rfind(base, 0) != 0) throw std::runtime_error("not a URL of our listener: " + url);
    return url.substr(base.size());
  }

  void point_account_hook_at_daemon() {
    fake_->control("config", R"({"account_webhook_url":")" + printed_webhook_url("account") + R"("})");
  }

  static bool wait_until(std::chrono::milliseconds timeout, const std::function<bool()>& condition) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return condition();
  }

  std::string metrics() { return http_get(port_, "/metrics").body; }
  long long journal_depth() {
    auto reply = http_get(port_, "/healthz");
    if (reply.status != 200 && reply.status != 503) return -1;
    return parse(reply.body)["journal_depth"].GetInt64();
  }
  long long count(const std::string& sql) { return db_->sql().exec(sql).integer(0, 0); }

  // Pushes the contacts matching `where` into a new session; its id.
  long long push_session(const std::string& where, const std::string& name) {
    long long job =
        db_->rep()
            .exec("SELECT dialer.push(array_agg(c ORDER BY id), $1) FROM contacts c WHERE " + where, {name})
            .integer(0, 0);
    EXPECT_EQ(db_->wait_for_job(job, seconds(90)), "succeeded");
    return db_->sql()
        .exec("SELECT session_id FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)})
        .integer(0, 0);
  }

  std::string folder_of(long long session) {
    return db_->sql()
        .exec("SELECT phoneburner_folder_id FROM dialer.sessions WHERE id = $1", {std::to_string(session)})
        .text(0, 0);
  }

  // Launches the session; the PhoneBurner dial session it created.
  std::string launch(long long session) {
    long long job = db_->rep().exec("SELECT dialer.launch($1)", {std::to_string(session)}).integer(0, 0);
    EXPECT_EQ(db_->wait_for_job(job, seconds(90)), "succeeded");
    auto state = parse(fake_->state_json());
    for (const auto& ds : state["dial_sessions"].GetArray()) {
      if (ds["custom_data"].IsObject() &&
          member(ds["custom_data"], "pgdialer_session_id") == std::to_string(session)) {
        // Our callbacks, one per event, to this daemon.
        EXPECT_EQ(ds["callbacks"].Size(), 3u);
        return member(ds, "id");
      }
    }
    throw std::runtime_error("no dial session at the fake for session " + std::to_string(session));
  }

  rapidjson::Document simulate(const std::string& json) {
    return parse(fake_->control_json("simulate_calls", json));
  }

  // Every delivery of a run was answered 200.
  static void expect_all_delivered(const rapidjson::Value& run) {
    for (const auto& d : run["deliveries"].GetArray())
      EXPECT_EQ(d["status"].GetInt(), 200) << member(d, "event") << " of call " << member(d, "call_id")
                                           << " to " << member(d, "url") << ": " << member(d, "error");
  }

  // dialer.call_activity holds exactly these calls, with the fake's facts.
  void expect_calls_recorded(const std::vector<TruthCall>& truth, long long session) {
    auto rows = db_->sql().exec(
        "SELECT call_id, session_id, coalesce(dial_session_id, ''), coalesce(contact_id, ''), "
        "       coalesce(phoneburner_contact_id, ''), coalesce(agent_name, ''), coalesce(phone, ''), "
        "       coalesce(to_char(started_at AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS'), ''), "
        "       coalesce(to_char(ended_at AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS'), ''), "
        "       duration_seconds, connected, coalesce(disposition, ''), coalesce(outcome, ''), "
        "       coalesce(notes, ''), coalesce(recording_url, '') "
        "FROM dialer.call_activity ORDER BY call_id",
        {std::string(kZone)});
    std::map<std::string, int> by_id;
    for (int r = 0; r < rows.rows(); ++r) by_id[rows.text(r, 0)] = r;
    EXPECT_EQ(static_cast<size_t>(rows.rows()), truth.size()) << "calls recorded vs simulated";
    for (const auto& t : truth) {
      auto it = by_id.find(t.call_id);
      if (it == by_id.end()) {
        ADD_FAILURE() << "call " << t.call_id << " was not recorded";
        continue;
      }
      const int r = it->second;
      SCOPED_TRACE("call " + t.call_id);
      EXPECT_EQ(rows.text(r, 1), std::to_string(session));
      EXPECT_EQ(rows.text(r, 2), t.dial_session_id);
      EXPECT_EQ(rows.text(r, 3), t.contact_id);
      EXPECT_EQ(rows.text(r, 4), t.phoneburner_contact_id);
      EXPECT_EQ(rows.text(r, 5), t.agent_name);
      EXPECT_EQ(rows.text(r, 6), t.phone);
      EXPECT_EQ(rows.text(r, 7), t.start_time);
      EXPECT_EQ(rows.text(r, 8), t.end_time);
      EXPECT_EQ(rows.text(r, 9), std::to_string(t.duration));
      EXPECT_EQ(rows.boolean(r, 10), t.connected);
      EXPECT_EQ(rows.text(r, 11), t.disposition);
      EXPECT_EQ(rows.text(r, 12), outcome_of(t.disposition));
      EXPECT_EQ(rows.text(r, 13), t.notes);
      EXPECT_EQ(rows.text(r, 14), t.recording_url);
    }
  }

  // dialer.session_stats and dialer.session_contacts agree with the calls.
  void expect_session_views(const std::vector<TruthCall>& truth, long long session,
                            long long total_contacts) {
    struct PerContact {
      int attempts = 0;
      bool connected = false;
      long long talk = 0;
      std::set<std::string> outcomes;
      const TruthCall* last = nullptr;
    };
    std::map<std::string, PerContact> contacts;
    std::map<std::string, int> dispositions;
    long long talk = 0;
    for (const auto& t : truth) {
      PerContact& c = contacts[t.contact_id];
      ++c.attempts;
      c.connected = c.connected || t.connected;
      if (t.connected) c.talk += t.duration, talk += t.duration;
      if (!outcome_of(t.disposition).empty()) c.outcomes.insert(outcome_of(t.disposition));
      // The view's "latest": by start, then call id (ids grow).
      if (!c.last || std::make_pair(t.start_time, std::stoll(t.call_id)) >
                         std::make_pair(c.last->start_time, std::stoll(c.last->call_id)))
        c.last = &t;
      ++dispositions[t.disposition];
    }
    auto with = [&](const std::string& outcome) {
      long long n = 0;
      for (auto& [id, c] : contacts) n += c.outcomes.count(outcome);
      return std::to_string(n);
    };
    long long connected = 0;
    for (auto& [id, c] : contacts) connected += c.connected;

    auto s = db_->sql().exec(
        "SELECT total_contacts, dialed, connected, interested, qualified, meetings_set, disqualified, calls, "
        "       talk_time_seconds, connection_rate, dispositions::text "
        "FROM dialer.session_stats WHERE session_id = $1",
        {std::to_string(session)});
    ASSERT_EQ(s.rows(), 1);
    EXPECT_EQ(s.text(0, 0), std::to_string(total_contacts));
    EXPECT_EQ(s.text(0, 1), std::to_string(contacts.size()));
    EXPECT_EQ(s.text(0, 2), std::to_string(connected));
    EXPECT_EQ(s.text(0, 3), with("interested"));
    EXPECT_EQ(s.text(0, 4), with("qualified"));
    EXPECT_EQ(s.text(0, 5), with("meeting_set"));
    EXPECT_EQ(s.text(0, 6), with("disqualified"));
    EXPECT_EQ(s.text(0, 7), std::to_string(truth.size()));
    EXPECT_EQ(s.text(0, 8), std::to_string(talk));
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", 100.0 * connected / static_cast<double>(contacts.size()));
    EXPECT_EQ(s.text(0, 9), rate);
    auto breakdown = parse(s.text(0, 10));
    EXPECT_EQ(breakdown.MemberCount(), dispositions.size()) << s.text(0, 10);
    for (auto& [text, n] : dispositions) {
      auto it = breakdown.FindMember(text.c_str());
      EXPECT_TRUE(it != breakdown.MemberEnd() && it->value.GetInt64() == n)
          << text << " should be " << n << " in " << s.text(0, 10);
    }

    auto rows = db_->sql().exec(
        "SELECT contact_id, status, attempts, connected, talk_time_seconds, coalesce(last_disposition, ''), "
        "       coalesce(to_char(last_call_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI:SS'), '') "
        "FROM dialer.session_contacts WHERE session_id = $1",
        {std::to_string(session), std::string(kZone)});
    EXPECT_EQ(rows.rows(), total_contacts);
    for (int r = 0; r < rows.rows(); ++r) {
      SCOPED_TRACE("contact " + rows.text(r, 0));
      auto it = contacts.find(rows.text(r, 0));
      if (it == contacts.end()) {
        EXPECT_EQ(rows.text(r, 1), "pending");
        EXPECT_EQ(rows.text(r, 2), "0");
        continue;
      }
      const PerContact& c = it->second;
      EXPECT_EQ(rows.text(r, 1), outcome_of(c.last->disposition));
      EXPECT_EQ(rows.text(r, 2), std::to_string(c.attempts));
      EXPECT_EQ(rows.boolean(r, 3), c.connected);
      EXPECT_EQ(rows.text(r, 4), std::to_string(c.talk));
      EXPECT_EQ(rows.text(r, 5), c.last->disposition);
      EXPECT_EQ(rows.text(r, 6), c.last->start_time);
    }
  }

  std::string name_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<FakePhoneBurner> fake_;
  std::string journal_dir_;
  int port_ = 0;
  bool postgres_stopped_ = false;
};

}  // namespace

// Both sources into one session: a launched dial session's own callbacks,
// then a rep dialing the session's folder in PhoneBurner's UI (the account
// hook). The dashboard views must add up to exactly what was dialed.
TEST_F(WebhookTest, StatsViewsMatchTheSimulatedCallsFromBothWebhookSources) {
  db_->add_contacts(1, 9);  // none is do-not-call (every tenth is)
  db_->sql().exec("SELECT dialer.configure('contacts')");
  auto daemon = start_daemon();
  point_account_hook_at_daemon();
  long long session = push_session("true", "Both sources");
  const std::string ds = launch(session);

  auto by_session =
      simulate(R"({"dial_session_id":")" + ds +
               R"(","calls":12,"seed":11,)"
               R"("start":"2026-11-23 09:00:00",)"
               R"("dispositions":{"No Answer":4,"Left Message":2,"Appointment":2,"Interested":1,)"
               R"("Qualified":1,"Not Interested":2}})");
  expect_all_delivered(by_session);
  auto by_folder = simulate(R"({"folder_id":")" + folder_of(session) +
                            R"(","calls":7,"seed":12,)"
                            R"("start":"2026-11-23 13:00:00",)"
                            R"("dispositions":{"Call Back":2,"No Answer":3,"Interested":1,"Appointment":1},)"
                            R"("callback_days":3,"agent":{"user_id":"77","name":"Sarah Johnson"}})");
  expect_all_delivered(by_folder);
  ASSERT_EQ(member(by_folder["calls"][0], "agent_name"), "Sarah Johnson");
  // The callbacks' dates came back: on the calls, and as the contacts' next
  // action through the default write-back hook (the folder's calls are the
  // contacts' latest).
  EXPECT_EQ(count("SELECT count(*) FROM dialer.call_activity WHERE outcome = 'callback' "
                  "AND callback_date = (started_at AT TIME ZONE 'America/Chicago')::date + 3"),
            2);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.call_activity WHERE callback_date IS NOT NULL"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.contact_state s JOIN dialer.call_activity a "
                  "ON a.contact_id = s.contact_id AND a.outcome = 'callback' "
                  "WHERE s.next_action_type = 'call' AND s.next_action_date = a.callback_date "
                  "AND s.last_disposition = 'Call Back'"),
            2);

  auto all = parse(fake_->calls_json());
  auto truth = truth_calls(all);
  ASSERT_EQ(truth.size(), 19u);
  // Each source delivers synchronously and persists before answering 200,
  // so everything is there now.
  expect_calls_recorded(truth, session);
  expect_session_views(truth, session, 9);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events WHERE result <> 'recorded'"), 0);

  auto m = metrics();
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_accepted_total", {{"source", "session"}}),
            all["summary"]["deliveries"].GetDouble() - 7);
  EXPECT_EQ(
      metric_value(m, "pgdialer_webhooks_accepted_total", {{"source", "account"}, {"event", "api_calldone"}}),
      7);
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_rejected_total"), 0);
  // The whole queue, read from PostgreSQL at the scrape: the push and its launch.
  EXPECT_EQ(metric_value(m, "pgdialer_queue_jobs", {{"kind", "push"}, {"status", "succeeded"}}),
            count("SELECT count(*) FROM dialer.push_jobs WHERE kind = 'push' AND status = 'succeeded'"));
  EXPECT_EQ(metric_value(m, "pgdialer_queue_jobs", {{"kind", "launch"}, {"status", "succeeded"}}), 1);
}

// PhoneBurner re-delivers and reorders: every event of a launched dial
// session arrives (the calldone also through the account hook), some twice,
// callbegin sometimes after calldone. Each call is one row with calldone's
// facts, each delivery is stored once, and the counts do not move.
TEST_F(WebhookTest, DuplicateAndOutOfOrderDeliveriesCountOnceWithTheCalldonesFacts) {
  db_->add_contacts(1, 6);
  db_->sql().exec("SELECT dialer.configure('contacts')");
  auto daemon = start_daemon();
  point_account_hook_at_daemon();
  long long session = push_session("true", "Redelivered");
  const std::string ds = launch(session);

  auto run = simulate(R"({"dial_session_id":")" + ds +
                      R"(","calls":9,"seed":5,"duplicates":8,)"
                      R"("out_of_order":true,"also_account_webhook":true,"start":"2026-11-23 10:00:00",)"
                      R"("dispositions":["Appointment","No Answer","Interested","Left Message","Qualified",)"
                      R"("Not Interested","Appointment","No Answer","Interested"]})");
  expect_all_delivered(run);
  // The run really was out of order: some callbegin came after its calldone.
  std::map<std::string, std::string> first_event_of_call;
  int begin_after_done = 0, duplicates = 0;
  std::set<std::string> keys;
  for (const auto& d : run["deliveries"].GetArray()) {
    duplicates += d["duplicate"].GetBool();
    keys.insert(idempotency_key(d));
    const std::string event = member(d, "event"), call = member(d, "call_id");
    if (event == "api_contact_displayed") continue;
    if (!first_event_of_call.count(call)) first_event_of_call[call] = event;
  }
  for (auto& [call, event] : first_event_of_call) begin_after_done += event == "api_calldone";
  ASSERT_GT(begin_after_done, 0) << "the fake sent every callbegin first: nothing out of order was tested";
  // A duplicated calldone goes again to both of its URLs.
  ASSERT_GE(duplicates, 8);

  auto truth = truth_calls(run);
  expect_calls_recorded(truth, session);
  expect_session_views(truth, session, 6);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.call_activity "
                  "WHERE began_received_at IS NULL OR done_received_at IS NULL"),
            0)
      << "each call's callbegin and calldone both reached its row";

  // Each distinct event once; everything else was a duplicate, answered 200.
  auto stored = db_->sql().exec("SELECT idempotency_key FROM dialer.webhook_events ORDER BY idempotency_key");
  std::set<std::string> stored_keys;
  for (int r = 0; r < stored.rows(); ++r) stored_keys.insert(stored.text(r, 0));
  EXPECT_EQ(static_cast<size_t>(stored.rows()), stored_keys.size());
  EXPECT_EQ(stored_keys, keys);
  const double deliveries = run["deliveries"].Size();
  auto m = metrics();
  EXPECT_EQ(metric_value(m, "pgdialer_webhook_events_stored_total", {{"result", "duplicate"}}),
            deliveries - static_cast<double>(keys.size()));
  EXPECT_EQ(metric_value(m, "pgdialer_webhook_events_stored_total", {{"result", "recorded"}}),
            static_cast<double>(keys.size()));

  // A redelivery long after the fact changes nothing either.
  const auto& last = run["deliveries"][run["deliveries"].Size() - 1];
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  last["body"].Accept(w);
  auto before =
      db_->sql().exec("SELECT md5(string_agg(c::text, ',' ORDER BY call_id)) FROM dialer.call_activity c");
  ASSERT_EQ(http_post(port_, target_of(member(last, "url")), buf.GetString()).status, 200);
  EXPECT_EQ(db_->sql()
                .exec("SELECT md5(string_agg(c::text, ',' ORDER BY call_id)) FROM dialer.call_activity c")
                .text(0, 0),
            before.text(0, 0));
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events"), static_cast<long long>(keys.size()));
}

// Requests that are not PhoneBurner's (no or a wrong token) or not usable
// (too big, not JSON) are refused with their status, counted by reason on
// /metrics, and never stored; a good request next to them is.
TEST_F(WebhookTest, BadTokensOversizedAndMalformedBodiesAreRefusedCountedAndNeverStored) {
  db_->add_contacts(1, 3);
  auto daemon = start_daemon();
  const std::string account = target_of(printed_webhook_url("account"));
  const std::string session7 = target_of(printed_webhook_url("7"));
  const std::string session8 = target_of(printed_webhook_url("8"));
  const std::string token = account.substr(account.find("?s=") + 3);
  ASSERT_EQ(token.size(), 64u);
  std::string wrong = token;
  wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
  const std::string good =
      R"({"call_id":"990001","ds_id":"5001","status":"Interested","connected":"1",)"
      R"("duration":"61","start_time":"2026-11-23 09:00:00","end_time":"2026-11-23 09:01:01",)"
      R"("lead_id":"2","contact":{"user_id":"4001","phone":"9195000002"},)"
      R"("agent":{"user_id":"9","name":"Sarah Johnson"},"call_notes":[]})";

  // 401: no token, a wrong one, the account's token on a session URL and
  // another session's token.
  EXPECT_EQ(http_post(port_, "/phoneburner/account", good).status, 401);
  EXPECT_EQ(http_post(port_, "/phoneburner/account?s=" + wrong, good).status, 401);
  EXPECT_EQ(http_post(port_, "/phoneburner/session/7?s=" + token, good).status, 401);
  EXPECT_EQ(http_post(port_, "/phoneburner/session/7" + session8.substr(session8.find('?')), good).status,
            401);
  // 413: a body over the 256 KiB default, well-formed and correctly tokened.
  std::string big =
      R"({"call_id":"990002","lead_id":"3","call_notes":[")" + std::string(300 * 1024, 'x') + R"("]})";
  EXPECT_EQ(http_post(port_, account, big).status, 413);
  // 400: not JSON, not an object, empty.
  EXPECT_EQ(http_post(port_, account, R"({"call_id":"990003","lead_id":)").status, 400);
  EXPECT_EQ(http_post(port_, session7, R"([{"call_id":"990004"}])").status, 400);
  EXPECT_EQ(http_post(port_, account, "").status, 400);
  // 405 and 404.
  EXPECT_EQ(http_get(port_, account).status, 405);
  EXPECT_EQ(http_post(port_, "/phoneburner/elsewhere?s=" + token, good).status, 404);

  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.call_activity"), 0);
  // The same body with the right token is taken: the refusals above were
  // about the request, not the event.
  EXPECT_EQ(http_post(port_, account, good).status, 200);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events"), 1);
  EXPECT_EQ(db_->sql()
                .exec("SELECT call_id || ' ' || contact_id || ' ' || disposition FROM dialer.call_activity")
                .text(0, 0),
            "990001 2 Interested");

  auto m = metrics();
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_rejected_total", {{"reason", "unauthorized"}}), 4);
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_rejected_total", {{"reason", "too_large"}}), 1);
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_rejected_total", {{"reason", "malformed"}}), 3);
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_rejected_total", {{"reason", "method_not_allowed"}}), 1);
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_rejected_total", {{"reason", "not_found"}}), 1);
  EXPECT_EQ(metric_value(m, "pgdialer_webhooks_accepted_total"), 1);
  // The secret never reaches the log, whatever was refused.
  daemon.reset();
  std::ifstream log(test_log_path(name_ + ".daemon"));
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(kSecret), std::string::npos);
}

namespace {

// The webhook_events keys in the order PostgreSQL stored them.
std::vector<std::string> stored_keys_in_order(TestDatabase& db) {
  auto r = db.sql().exec("SELECT idempotency_key FROM dialer.webhook_events ORDER BY id");
  std::vector<std::string> keys;
  for (int i = 0; i < r.rows(); ++i) keys.push_back(r.text(i, 0));
  return keys;
}

// The keys of a run's deliveries in arrival order, first deliveries only.
std::vector<std::string> delivered_keys_in_order(const rapidjson::Value& run) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const auto& d : run["deliveries"].GetArray())
    if (seen.insert(idempotency_key(d)).second) keys.push_back(idempotency_key(d));
  return keys;
}

}  // namespace

// PostgreSQL goes away while reps dial: every webhook is still answered 200
// from the journal, and once PostgreSQL is back the journal is replayed in
// arrival order, each event once.
TEST_F(WebhookTest, WebhooksArrivingWhilePostgreSQLIsStoppedAreReplayedInOrderOnce) {
  db_->add_contacts(1, 8);
  auto daemon = start_daemon();
  point_account_hook_at_daemon();
  long long session = push_session("true", "Database down");
  const std::string folder = folder_of(session);

  stop_postgres();
  auto run = simulate(R"({"folder_id":")" + folder +
                      R"(","calls":10,"seed":3,"duplicates":3,)"
                      R"("out_of_order":true,"start":"2026-11-23 09:00:00"})");
  expect_all_delivered(run);
  const long long deliveries = run["deliveries"].Size();
  auto health = parse(http_get(port_, "/healthz").body);
  EXPECT_EQ(member(health, "database"), "unavailable");
  EXPECT_EQ(health["journal_depth"].GetInt64(), deliveries)
      << "every acknowledged delivery is in the journal";

  start_postgres();
  // Reps go on dialing while the journal may still be waiting for its
  // replay: the new events must not overtake the journaled ones.
  auto later =
      simulate(R"({"folder_id":")" + folder + R"(","calls":4,"seed":13,"start":"2026-11-23 12:00:00"})");
  expect_all_delivered(later);
  ASSERT_TRUE(wait_until(seconds(90), [&] { return journal_depth() == 0; }))
      << "the journal was not replayed";
  std::vector<std::string> expected = delivered_keys_in_order(run);
  for (auto& key : delivered_keys_in_order(later)) expected.push_back(key);
  EXPECT_EQ(stored_keys_in_order(*db_), expected);
  auto truth = truth_calls(parse(fake_->calls_json()));
  ASSERT_EQ(truth.size(), 14u);
  expect_calls_recorded(truth, session);
  expect_session_views(truth, session, 8);
  auto m = metrics();
  EXPECT_GE(metric_value(m, "pgdialer_webhook_events_stored_total", {{"path", "replay"}}), deliveries);
  EXPECT_EQ(metric_value(m, "pgdialer_webhook_events_stored_total"), deliveries + later["deliveries"].Size());
  EXPECT_EQ(metric_value(m, "pgdialer_webhook_events_stored_total", {{"result", "duplicate"}}), 3);
  EXPECT_GE(metric_value(m, "pgdialer_webhook_journal_appends_total"), deliveries);
  EXPECT_EQ(member(parse(http_get(port_, "/healthz").body), "database"), "available");
}

// The daemon is killed while acknowledged events wait in its journal, with
// PostgreSQL down, and restarted (as systemd would) while PostgreSQL is still
// down: the new daemon keeps acknowledging into the same journal, and once
// PostgreSQL is back replays everything in arrival order, nothing lost or
// doubled.
TEST_F(WebhookTest, EventsJournaledByAKilledDaemonAreReplayedByTheNextOne) {
  db_->add_contacts(1, 6);
  db_->sql().exec("SELECT dialer.configure('contacts')");
  auto daemon = start_daemon();
  point_account_hook_at_daemon();
  long long session = push_session("true", "Daemon killed");
  const std::string ds = launch(session);
  const std::string folder = folder_of(session);

  stop_postgres();
  auto by_session = simulate(R"({"dial_session_id":")" + ds +
                             R"(","calls":6,"seed":8,"duplicates":2,)"
                             R"("start":"2026-11-23 09:00:00"})");
  auto by_folder = simulate(R"({"folder_id":")" + folder +
                            R"(","calls":4,"seed":9,)"
                            R"("start":"2026-11-23 11:00:00"})");
  expect_all_delivered(by_session);
  expect_all_delivered(by_folder);
  const long long before_kill = by_session["deliveries"].Size() + by_folder["deliveries"].Size();
  ASSERT_EQ(journal_depth(), before_kill);
  daemon->process().signal(SIGKILL);
  ASSERT_TRUE(daemon->process().wait(seconds(10)).has_value());
  daemon.reset();

  // Same address (PhoneBurner's URLs do not change), same journal.
  auto restarted = start_daemon();
  ASSERT_EQ(journal_depth(), before_kill) << "the new daemon does not see the journaled events";
  auto after_restart = simulate(R"({"folder_id":")" + folder +
                                R"(","calls":3,"seed":10,)"
                                R"("start":"2026-11-23 12:00:00"})");
  expect_all_delivered(after_restart);
  const long long deliveries = before_kill + after_restart["deliveries"].Size();
  EXPECT_EQ(journal_depth(), deliveries);

  start_postgres();
  ASSERT_TRUE(wait_until(seconds(90), [&] { return journal_depth() == 0; }))
      << "the journal was not replayed";
  std::vector<std::string> expected;
  for (const auto* run : {&by_session, &by_folder, &after_restart})
    for (auto& key : delivered_keys_in_order(*run))
      if (std::find(expected.begin(), expected.end(), key) == expected.end()) expected.push_back(key);
  EXPECT_EQ(stored_keys_in_order(*db_), expected);
  auto truth = truth_calls(parse(fake_->calls_json()));
  ASSERT_EQ(truth.size(), 13u);
  expect_calls_recorded(truth, session);
  expect_session_views(truth, session, 6);
  EXPECT_EQ(metric_value(metrics(), "pgdialer_webhook_events_stored_total", {{"path", "replay"}}),
            deliveries);
}

// A wrong number and a do-not-call request are about the number, not the
// contact: after them, the next preview excludes every contact of the app's
// table that shares the number, through the write-back hook into that table.
TEST_F(WebhookTest, WrongNumberAndDoNotCallExcludeEveryContactSharingTheNumberFromTheNextPreview) {
  db_->add_contacts(1, 8);
  // 1, 2, 3 share one number and 4, 5, 6 another, written differently.
  db_->sql().exec(
      R"(UPDATE contacts SET phone = CASE id WHEN 2 THEN '919-500-0001' WHEN 3 THEN '+1 919 500 0001'
                                                        WHEN 5 THEN '9195000004' WHEN 6 THEN '+19195000004' END
                     WHERE id IN (2, 3, 5, 6))");
  db_->sql().exec(
      R"(ALTER TABLE contacts ADD COLUMN last_contact_method text, ADD COLUMN last_contact_outcome text,
                       ADD COLUMN phone_number_invalid boolean DEFAULT false, ADD COLUMN phone_invalid_reason text,
                       ADD COLUMN do_not_call_reason text, ADD COLUMN phoneburner_contact_id text)");
  // The write-back hook of docs/sql-reference.md, for this table.
  db_->sql().exec(R"(
      CREATE FUNCTION dialer_writeback(contact_id text, changes jsonb) RETURNS void LANGUAGE sql
      SET search_path FROM CURRENT
      AS $$
        UPDATE contacts c SET
          last_call_attempt_at = CASE WHEN changes ? 'last_call_attempt_at'
                                           AND (c.last_call_attempt_at IS NULL
                                                OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz)
                                      THEN (changes ->> 'last_call_attempt_at')::timestamptz
                                      ELSE c.last_call_attempt_at END,
          last_contact_method  = CASE WHEN changes ? 'last_contact_method'
                                           AND (c.last_call_attempt_at IS NULL
                                                OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz)
                                      THEN changes ->> 'last_contact_method' ELSE c.last_contact_method END,
          last_contact_outcome = CASE WHEN changes ? 'last_contact_outcome'
                                           AND (c.last_call_attempt_at IS NULL
                                                OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz)
                                      THEN changes ->> 'last_contact_outcome' ELSE c.last_contact_outcome END,
          phone_number_invalid = coalesce((changes ->> 'phone_number_invalid')::boolean, c.phone_number_invalid),
          phone_invalid_reason = coalesce(changes ->> 'phone_invalid_reason', c.phone_invalid_reason),
          do_not_call          = coalesce((changes ->> 'do_not_call')::boolean, c.do_not_call),
          do_not_call_reason   = coalesce(changes ->> 'do_not_call_reason', c.do_not_call_reason),
          do_not_call_source   = coalesce(changes ->> 'do_not_call_source', c.do_not_call_source),
          phoneburner_contact_id = coalesce(changes ->> 'phoneburner_contact_id', c.phoneburner_contact_id)
        WHERE c.id = contact_id::bigint
      $$)");
  db_->sql().exec("SELECT dialer.configure('contacts')");
  db_->sql().exec("SELECT dialer.configure_writeback('dialer_writeback(text, jsonb)')");
  // The hook runs with the daemon's rights: the docs' grant for this hook.
  db_->sql().exec(std::string("GRANT UPDATE ON contacts TO ") + TestDatabase::kSyncLogin);

  auto preview = [&] {
    auto d = parse(
        db_->sql().exec("SELECT dialer.preview(array_agg(c ORDER BY id))::text FROM contacts c").text(0, 0));
    std::map<std::string, std::string> excluded;  // contact -> category: reason
    for (const auto& e : d["exclusions"].GetArray())
      excluded[member(e, "contact_id")] = member(e, "category") + ": " + member(e, "reason");
    return excluded;
  };
  // Before: the first contact of each number is ready, the others are
  // duplicates of it.
  auto before = preview();
  EXPECT_EQ(before.size(), 4u);
  for (const char* id : {"1", "4", "7", "8"}) EXPECT_EQ(before.count(id), 0u) << id;

  auto daemon = start_daemon();
  point_account_hook_at_daemon();
  long long session = push_session("true", "Numbers");  // 1, 4, 7, 8
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE phoneburner_contact_id IS NOT NULL"), 4)
      << "the hook also receives the PhoneBurner contact id of each push";
  std::map<std::string, std::string> pb_id;
  for (auto& c : fake_->contacts()) pb_id[c.lead_id] = c.id;
  auto run = simulate(R"({"folder_id":")" + folder_of(session) + R"(","seed":4,"contact_ids":[")" +
                      pb_id["1"] + R"(",")" + pb_id["4"] + R"(",")" + pb_id["7"] +
                      R"("],"dispositions":["Wrong Number","Do Not Call","No Answer"]})");
  expect_all_delivered(run);
  ASSERT_EQ(member(run["calls"][0], "lead_id"), "1");
  ASSERT_EQ(member(run["calls"][1], "disposition"), "Do Not Call");

  auto after = preview();
  for (const char* id : {"1", "2", "3"}) {
    ASSERT_TRUE(after.count(id)) << "contact " << id << " sharing the wrong number is still ready";
    EXPECT_EQ(after[id].rfind("invalid_phone: Flagged as invalid", 0), 0u) << id << ": " << after[id];
  }
  for (const char* id : {"4", "5", "6"}) {
    ASSERT_TRUE(after.count(id)) << "contact " << id << " sharing the do-not-call number is still ready";
    EXPECT_EQ(after[id].rfind("do_not_call: ", 0), 0u) << id << ": " << after[id];
  }
  EXPECT_EQ(after["7"].rfind("recently_contacted: ", 0), 0u) << "7: " << after["7"];
  EXPECT_EQ(after.count("8"), 0u) << "8 was not called and shares no number: " << after["8"];

  // In the app's table, through the hook, and the number suppressed.
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE phone_number_invalid"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE phone_number_invalid AND id IN (1, 2, 3)"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE do_not_call AND do_not_call_source = 'requested'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE do_not_call AND id IN (4, 5, 6)"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM contacts WHERE last_contact_method = 'call'"), 3);
  auto suppressed = db_->sql().exec("SELECT phone_e164, source, call_id FROM dialer.suppressions");
  ASSERT_EQ(suppressed.rows(), 1);
  EXPECT_EQ(suppressed.text(0, 0), "+19195000004");
  EXPECT_EQ(suppressed.text(0, 1), "requested");
  EXPECT_EQ(suppressed.text(0, 2), member(run["calls"][1], "call_id"));
  EXPECT_EQ(count("SELECT count(*) FROM dialer.writeback_failures"), 0);

  // A contact added later with the do-not-call number, its own row not
  // flagged, is excluded by dialer.suppressions alone, and cannot be forced in.
  db_->sql().exec(
      "INSERT INTO contacts (id, first_name, last_name, phone) VALUES (99, 'New', 'Row', '(919) 500-0004')");
  auto later = preview();
  EXPECT_EQ(later["99"], "do_not_call: On the suppression list (requested)");
  EXPECT_THROW(db_->rep().exec("SELECT dialer.push(array_agg(c), 'Forced', NULL, "
                               "'{\"include\": [\"99\"], \"override_reason\": \"try\"}') "
                               "FROM contacts c WHERE id = 99"),
               std::exception);
}

// The journal is consumed in memory and cut only once drained, so a daemon
// killed halfway through a replay leaves every event on disk: the next one
// replays them all again, and those already stored are recognized as
// duplicates. A slow trigger keeps the replay going long enough to kill it.
TEST_F(WebhookTest, ADaemonKilledMidReplayLeavesNothingLostOrDoubled) {
  db_->add_contacts(1, 8);
  auto daemon = start_daemon();
  point_account_hook_at_daemon();
  long long session = push_session("true", "Killed mid-replay");
  const std::string folder = folder_of(session);

  stop_postgres();
  auto run = simulate(R"({"folder_id":")" + folder +
                      R"(","calls":60,"seed":21,"duplicates":5,)"
                      R"("start":"2026-11-23 09:00:00"})");
  expect_all_delivered(run);
  const long long deliveries = run["deliveries"].Size();
  ASSERT_EQ(journal_depth(), deliveries);
  start_postgres();
  db_->sql().exec(R"(
      CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$)");
  db_->sql().exec(
      "CREATE TRIGGER slow_down BEFORE INSERT ON dialer.webhook_events "
      "FOR EACH ROW EXECUTE FUNCTION slow_down()");

  ASSERT_TRUE(wait_until(seconds(90), [&] {
    return count("SELECT count(*) FROM dialer.webhook_events") >= 5;
  })) << "the replay did not start";
  daemon->process().signal(SIGKILL);
  ASSERT_TRUE(daemon->process().wait(seconds(10)).has_value());
  daemon.reset();
  // Its statement in flight still runs to its end: count once its backends
  // are gone.
  ASSERT_TRUE(wait_until(seconds(30), [&] {
    return count("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgdialer-sync/%'") == 0;
  }));
  const long long stored_before = count("SELECT count(*) FROM dialer.webhook_events");
  db_->sql().exec("DROP TRIGGER slow_down ON dialer.webhook_events");

  auto restarted = start_daemon();
  ASSERT_TRUE(wait_until(seconds(90), [&] { return journal_depth() == 0; }))
      << "the journal was not replayed";
  EXPECT_EQ(stored_keys_in_order(*db_), delivered_keys_in_order(run));
  auto truth = truth_calls(run);
  expect_calls_recorded(truth, session);
  expect_session_views(truth, session, 8);
  // The new daemon replayed the whole journal again, each event either
  // recorded now or recognized as stored by the killed one.
  auto m = metrics();
  EXPECT_EQ(metric_value(m, "pgdialer_webhook_events_stored_total", {{"path", "replay"}}), deliveries);
  EXPECT_EQ(metric_value(m, "pgdialer_webhook_events_stored_total", {{"result", "duplicate"}}),
            5 + stored_before);
}

namespace {

// systemd's side of sd_notify: a datagram socket the daemon finds through
// NOTIFY_SOCKET, collecting what it says (READY=1, WATCHDOG=1, STATUS=...).
class NotifySocket {
 public:
  NotifySocket() : path_("/tmp/pgdialer-it-notify-" + std::to_string(getpid())) {
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("cannot bind " + path_);
  }
  ~NotifySocket() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  // Collects messages until `enough` says so or `timeout` passes.
  bool wait_for(const std::function<bool(const std::vector<std::string>&)>& enough,
                std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!enough(messages_)) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) messages_.emplace_back(buffer, static_cast<size_t>(n));
    }
    return true;
  }
  static long long count(const std::vector<std::string>& messages, const std::string& line) {
    long long n = 0;
    for (const auto& m : messages) n += ("\n" + m + "\n").find("\n" + line + "\n") != std::string::npos;
    return n;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> messages_;
};

}  // namespace

// Under systemd (Type=notify, WatchdogSec=), a daemon started while
// PostgreSQL is down is the one thing between PhoneBurner and lost calls:
// it must report ready once it listens and keep petting the watchdog while
// it waits for PostgreSQL, or systemd kills it (start timeout, watchdog) and
// webhooks bounce during every restart.
TEST_F(WebhookTest, UnderSystemdADaemonWaitingForPostgreSQLIsReadyAndKeepsTheWatchdogHappy) {
  db_->add_contacts(1, 3);
  NotifySocket systemd;
  stop_postgres();
  auto daemon = start_daemon({{"NOTIFY_SOCKET", systemd.path()}, {"WATCHDOG_USEC", "1000000"}});
  // WatchdogSec=1: petted every half second; a few seconds of pets while
  // PostgreSQL stays away (the reconnect backoff naps longer than that).
  EXPECT_TRUE(systemd.wait_for(
      [](const std::vector<std::string>& m) {
        return NotifySocket::count(m, "READY=1") >= 1 && NotifySocket::count(m, "WATCHDOG=1") >= 6;
      },
      seconds(30)))
      << "no READY=1 or too few WATCHDOG=1 while PostgreSQL is down";
  EXPECT_TRUE(daemon->process().running());
  // And it does its job meanwhile.
  const std::string good = R"({"call_id":"990101","status":"No Answer","connected":"0","lead_id":"1",)"
                           R"("start_time":"2026-11-23 09:00:00","end_time":"2026-11-23 09:00:30"})";
  EXPECT_EQ(http_post(port_, target_of(printed_webhook_url("account")), good).status, 200);
  EXPECT_EQ(journal_depth(), 1);
  start_postgres();
  ASSERT_TRUE(wait_until(seconds(90), [&] { return journal_depth() == 0; }));
  EXPECT_EQ(count("SELECT count(*) FROM dialer.call_activity WHERE call_id = '990101'"), 1);
}

namespace {

// A call event for the account URL; `call_id` tells it apart.
std::string call_event(const std::string& call_id) {
  return R"({"call_id":")" + call_id +
         R"(","status":"No Answer","connected":"0","lead_id":"1",)"
         R"("start_time":"2026-11-23 09:00:00","end_time":"2026-11-23 09:00:30"})";
}

std::string health_reason(int port) {
  auto reply = http_get(port, "/healthz");
  if (reply.status != 503) return "";
  return member(parse(reply.body), "reason");
}

}  // namespace

// Issue 11: one event that always fails with an error outside class 22 (here
// a trigger the test adds raises 54001 for it, as a too deeply nested jsonb
// would) no longer blocks the events behind it: after its attempts it is set
// aside, the others are stored, and once the cause is gone one command puts
// it back, while the daemon runs.
TEST_F(WebhookTest, APoisonEventIsSetAsideTheOthersFlowAndOneCommandReplaysIt) {
  db_->add_contacts(1, 3);
  db_->sql().exec(R"(
    CREATE FUNCTION public.poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'poison event for the test' USING ERRCODE = '54001';
    END $$)");
  db_->sql().exec(R"(
    CREATE TRIGGER poison BEFORE INSERT ON dialer.webhook_events
      FOR EACH ROW WHEN (NEW.call_id = '990201') EXECUTE FUNCTION public.poison())");
  auto daemon = start_daemon({{"PGDIALER_WEBHOOK_MAX_ATTEMPTS", "2"}});
  const std::string account = target_of(printed_webhook_url("account"));
  // The poison event fails at once, so it is journaled; the rest queue behind it.
  ASSERT_EQ(http_post(port_, account, call_event("990201")).status, 200);
  for (const char* id : {"990202", "990203", "990204"})
    ASSERT_EQ(http_post(port_, account, call_event(id)).status, 200);
  ASSERT_TRUE(wait_until(seconds(60), [&] { return journal_depth() == 0; }))
      << "the events behind the poison one were not stored: " << health_reason(port_);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events WHERE call_id IN ('990202','990203','990204')"),
            3);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events WHERE call_id = '990201'"), 0);
  auto health = http_get(port_, "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_GT(parse(health.body)["held_bytes"].GetInt64(), 0);
  EXPECT_EQ(metric_value(metrics(), "pgdialer_webhook_events_set_aside_total"), 1);
  std::ifstream rejected(journal_dir_ + "/webhook-rejected.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(rejected, line));
  auto aside = parse(line);
  EXPECT_EQ(member(aside, "set_aside"), "true");
  EXPECT_NE(member(aside, "error").find("54001"), std::string::npos) << line;
  EXPECT_EQ(member(aside["event"], "call_id"), "990201");

  // Still failing: the command keeps it held and says so.
  auto replay = [&] {
    SyncDaemon cli(db_->sync_url(), fake_->base_url(), test_log_path(name_ + ".replay"), daemon_env(),
                   {"--replay-held"});
    std::string output;
    while (auto l = cli.process().read_line(seconds(60))) output += *l + "\n";
    auto status = cli.process().wait(seconds(60));
    return std::make_pair(status ? *status : -1, output);
  };
  auto [still_failing, first_output] = replay();
  EXPECT_EQ(still_failing, 1) << first_output;
  EXPECT_NE(first_output.find("1 still held"), std::string::npos) << first_output;
  // Fixed: one command puts it back.
  db_->sql().exec("DROP TRIGGER poison ON dialer.webhook_events");
  auto [fixed, output] = replay();
  EXPECT_EQ(fixed, 0) << output;
  EXPECT_NE(output.find("replayed 1 held webhook event(s) into PostgreSQL; 0 still held"), std::string::npos)
      << output;
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events WHERE call_id = '990201'"), 1);
  EXPECT_EQ(parse(http_get(port_, "/healthz").body)["held_bytes"].GetInt64(), 0);
}

// A failure that hits every event (the daemon's login lost EXECUTE on
// dialer.record_call_event: 42501) is not a poison event: every event stays
// journaled however many attempts pass, /healthz says why, and once the
// privilege is back they are stored in the order they arrived.
TEST_F(WebhookTest, APermissionErrorForEveryEventKeepsThemAllJournaledUntilGranted) {
  db_->add_contacts(1, 3);
  auto daemon = start_daemon({{"PGDIALER_WEBHOOK_MAX_ATTEMPTS", "2"}});
  const std::string account = target_of(printed_webhook_url("account"));
  db_->sql().exec("REVOKE EXECUTE ON FUNCTION dialer.record_call_event(jsonb) FROM dialer_sync");
  std::vector<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    const std::string id = std::to_string(990301 + i);
    ASSERT_EQ(http_post(port_, account, call_event(id)).status, 200);
    expected.push_back("api_calldone:" + id);
  }
  EXPECT_TRUE(wait_until(seconds(30), [&] {
    return health_reason(port_).find("every event fails") != std::string::npos;
  })) << health_reason(port_);
  // Well past the attempts (backoff 1 s, 2 s, 4 s ...): nothing set aside.
  std::this_thread::sleep_for(seconds(8));
  EXPECT_EQ(journal_depth(), 5);
  const std::string reason = health_reason(port_);
  EXPECT_NE(reason.find("42501"), std::string::npos) << reason;
  EXPECT_NE(reason.find("permission denied"), std::string::npos) << reason;
  EXPECT_EQ(parse(http_get(port_, "/healthz").body)["held_bytes"].GetInt64(), 0);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events"), 0);

  db_->sql().exec("GRANT EXECUTE ON FUNCTION dialer.record_call_event(jsonb) TO dialer_sync");
  ASSERT_TRUE(wait_until(seconds(90), [&] { return journal_depth() == 0; })) << health_reason(port_);
  EXPECT_EQ(stored_keys_in_order(*db_), expected);
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
}

// The journal's size cap: while PostgreSQL is away, deliveries past it get
// 503 (PhoneBurner sends them again), never a 200 for an event that was not
// kept. Every acknowledged event is stored once PostgreSQL is back, and a
// refused one is taken when it is sent again.
TEST_F(WebhookTest, PastTheJournalCapDeliveriesGet503AndNothingAcknowledgedIsLost) {
  db_->add_contacts(1, 3);
  auto daemon = start_daemon({{"PGDIALER_JOURNAL_MAX_BYTES", "4000"}});
  const std::string account = target_of(printed_webhook_url("account"));
  stop_postgres();
  std::vector<std::string> acknowledged, refused;
  for (int i = 0; i < 20; ++i) {
    const std::string id = std::to_string(990401 + i);
    const int status = http_post(port_, account, call_event(id)).status;
    ASSERT_TRUE(status == 200 || status == 503) << status;
    (status == 200 ? acknowledged : refused).push_back(id);
  }
  ASSERT_FALSE(acknowledged.empty());
  ASSERT_FALSE(refused.empty()) << "4000 bytes should not hold 20 events";
  for (std::size_t i = 0; i < acknowledged.size(); ++i)
    EXPECT_EQ(acknowledged[i], std::to_string(990401 + i)) << "a 503 came before a 200";
  EXPECT_NE(health_reason(port_).find("PGDIALER_JOURNAL_MAX_BYTES"), std::string::npos)
      << health_reason(port_);
  EXPECT_EQ(metric_value(metrics(), "pgdialer_webhooks_rejected_total", {{"reason", "journal_full"}}),
            static_cast<double>(refused.size()));
  start_postgres();
  ASSERT_TRUE(wait_until(seconds(90), [&] { return journal_depth() == 0; })) << health_reason(port_);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events"), static_cast<long long>(acknowledged.size()));
  // PhoneBurner's retries of the refused ones.
  for (const auto& id : refused) EXPECT_EQ(http_post(port_, account, call_event(id)).status, 200);
  EXPECT_EQ(count("SELECT count(*) FROM dialer.webhook_events"), 20);
  EXPECT_EQ(count("SELECT count(DISTINCT call_id) FROM dialer.webhook_events"), 20);
}
