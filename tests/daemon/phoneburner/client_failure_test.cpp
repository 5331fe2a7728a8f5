// PhoneBurnerClient when things go wrong: the Failure kind of each fault the
// fake can inject (and whether the fake applied the write), retries and
// their limits, Retry-After, shutdown, and the token never leaking into a
// message. Retry timing is only ever asserted as a lower bound.
#include "phoneburner/client_fixture.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

namespace pgdialer::sync::testing {
namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;
using FailureTest = FakeClientTest;

constexpr const char* kPayload =
    R"({"first_name":"Ann","phone":"5551234567","custom_fields":{"Case ID":"42"}})";

// ---- 429 and 5xx ------------------------------------------------------------

TEST_F(FailureTest, RateLimitedWriteIsRetriedAfterRetryAfterAndAppliedOnce) {
  fail_next(R"({"count":1,"status":429,"retry_after_s":1,"method":"POST","path":"/rest/1/contacts"})");
  auto c = client();
  std::string id;
  const auto start = clock::now();
  const Result r = c->create_contact(kPayload, "lead-1", "", &id);
  const auto took = clock::now() - start;
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_FALSE(id.empty());
  // backoff_base is 1 ms: only Retry-After can account for a one-second pause.
  EXPECT_GE(took, milliseconds(950));
  EXPECT_EQ(request_statuses("POST", "/rest/1/contacts"), (std::vector<std::string>{"429", "201"}));
  EXPECT_EQ(stored_contacts().size(), 1u);
}

TEST_F(FailureTest, RetryAfterIsReportedWhenRetriesAreExhausted) {
  fail_next(R"({"count":1,"status":429,"retry_after_s":7})");
  ClientOptions o = options();
  o.max_retries = 0;
  o.backoff_cap = milliseconds(60000);
  const Result r = client(o)->check_token(nullptr);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_EQ(r.http_status, 429);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(*r.retry_after, seconds(7));
  EXPECT_EQ(r.attempts, 1);
}

TEST_F(FailureTest, ARetryAfterBeyondTheBackoffCapIsLeftToTheCaller) {
  fail_next(R"({"count":1,"status":429,"retry_after_s":120})");
  ClientOptions o = options();
  o.backoff_cap = milliseconds(2000);
  const auto start = clock::now();
  const Result r = client(o)->check_token(nullptr);
  EXPECT_EQ(r.failure, Failure::retryable);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(*r.retry_after, seconds(120));
  EXPECT_EQ(count_requests("GET", "/rest/1/members/me"), 1);
  EXPECT_LT(clock::now() - start, seconds(60));  // it did not sit out the two minutes
}

TEST_F(FailureTest, ServerErrorsOnAWriteAreRetriedAndTheContactCreatedOnce) {
  fail_next(R"({"count":2,"status":503,"method":"POST","path":"/rest/1/contacts"})");
  std::string id;
  const Result r = client()->create_contact(kPayload, "lead-1", "", &id);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(request_statuses("POST", "/rest/1/contacts"), (std::vector<std::string>{"503", "503", "201"}));
  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0]["contact_user_id"], id);
}

TEST_F(FailureTest, ServerErrorsOnAnUpdateAreRetried) {
  const std::string id = seed_contact("first_name=Old");
  fail_next(R"({"count":1,"status":500,"method":"PUT"})");
  fail_next(R"({"count":1,"status":429,"retry_after_s":0,"method":"PUT"})");
  const Result r = client()->update_contact(id, R"({"first_name":"New"})", "", "");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(stored_contacts()[0]["first_name"], "New");
}

TEST_F(FailureTest, ServerErrorsOnAReadAreRetried) {
  fail_next(R"({"count":2,"status":502,"method":"GET"})");
  std::string member;
  const Result r = client()->check_token(&member);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(member, "1208450");
  EXPECT_EQ(r.attempts, 3);
}

TEST_F(FailureTest, GatewayTimeoutOnAWriteIsUnknownAndNotRetried) {
  fail_next(R"({"count":5,"status":504,"method":"POST","path":"/rest/1/contacts"})");
  const Result r = client()->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(r.http_status, 504);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(count_requests("POST", "/rest/1/contacts"), 1);
  EXPECT_NE(r.message.find("may have been applied"), std::string::npos) << r.message;
}

TEST_F(FailureTest, MaxRetriesIsRespected) {
  fail_next(R"({"count":50,"status":503})");
  ClientOptions o = options();
  o.max_retries = 3;
  const Result r = client(o)->check_token(nullptr);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.attempts, 4);
  EXPECT_EQ(count_requests("GET", "/rest/1/members/me"), 4);  // the first try and three retries
}

TEST_F(FailureTest, MaxRetriesZeroMeansOneRequest) {
  fail_next(R"({"count":50,"status":500,"method":"POST"})");
  ClientOptions o = options();
  o.max_retries = 0;
  const Result r = client(o)->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_EQ(count_requests("POST", "/rest/1/contacts"), 1);
  EXPECT_EQ(stored_contacts().size(), 0u);
}

// ---- connections dropped ----------------------------------------------------

TEST_F(FailureTest, DropAfterWriteOnCreateIsUnknownAndTheFakeAppliedIt) {
  fail_next(R"({"count":1,"drop_after_write":true,"method":"POST","path":"/rest/1/contacts"})");
  std::string id = "unset";
  const Result r = client()->create_contact(kPayload, "lead-77", "", &id);
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(id, "unset");
  EXPECT_NE(r.message.find("may have been applied"), std::string::npos) << r.message;
  // Not re-sent: PhoneBurner does not de-duplicate, a retry would make two.
  EXPECT_EQ(request_statuses("POST", "/rest/1/contacts"), (std::vector<std::string>{"0"}));
  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0]["lead_id"], "lead-77");
}

TEST_F(FailureTest, DropAfterWriteOnUpdateIsUnknownAndTheFakeAppliedIt) {
  const std::string id = seed_contact("first_name=Old");
  fail_next(R"({"count":1,"drop_after_write":true,"method":"PUT"})");
  const Result r = client()->update_contact(id, R"({"first_name":"New"})", "", "");
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(count_requests("PUT", "/rest/1/contacts/" + id), 1);
  EXPECT_EQ(stored_contacts()[0]["first_name"], "New");
}

// libcurl silently re-sends a request that got no answer on a *reused*
// connection; for a POST that would create the contact twice. Writes must go
// out on a fresh connection so a drop stays a drop.
TEST_F(FailureTest, AWriteIsNeverResentOnAPooledConnection) {
  auto c = client();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(c->check_token(nullptr).ok());  // a warm keep-alive connection
  fail_next(R"({"count":1,"drop_after_write":true,"method":"POST","path":"/rest/1/contacts"})");
  const Result r = c->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::unknown) << r.message;
  EXPECT_EQ(count_requests("POST", "/rest/1/contacts"), 1);
  EXPECT_EQ(stored_contacts().size(), 1u);
}

// drop_before_write closes the connection after the whole request arrived,
// without applying it. On the wire that is the same as drop_after_write (the
// request left, no answer came back), so the client cannot know the write
// did not land: it must say unknown, not retry it blindly.
TEST_F(FailureTest, DropBeforeWriteIsIndistinguishableAndAlsoUnknown) {
  fail_next(R"({"count":1,"drop_before_write":true,"method":"POST","path":"/rest/1/contacts"})");
  const Result r = client()->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(count_requests("POST", "/rest/1/contacts"), 1);
  EXPECT_EQ(stored_contacts().size(), 0u);  // and indeed nothing was applied
  // A later call on the same client works (no poisoned connection).
  std::string id;
  const Result again = client()->create_contact(kPayload, "lead-1", "", &id);
  ASSERT_TRUE(again.ok()) << again.message;
  EXPECT_EQ(stored_contacts().size(), 1u);
}

TEST_F(FailureTest, NothingListeningIsRetryableAndNothingWasSent) {
  const std::string url = base_url();
  server_->stop();  // the port is closed now
  ClientOptions o = options();
  o.base_url = url;
  o.max_retries = 2;
  const Result r = client(o)->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_NE(r.message.find("not sent"), std::string::npos) << r.message;
}

// ---- final answers ----------------------------------------------------------

TEST_F(FailureTest, WrongTokenIsAuthAndNotRetried) {
  ClientOptions o = options();
  o.token = "pat-wrong-0000";
  const Result r = client(o)->check_token(nullptr);
  EXPECT_EQ(r.failure, Failure::auth);
  EXPECT_EQ(r.http_status, 401);
  EXPECT_NE(r.message.find("Invalid access token"), std::string::npos) << r.message;
  EXPECT_EQ(count_requests("GET", "/rest/1/members/me"), 1);
}

TEST_F(FailureTest, ExpiredTokenOnAWriteIsAuthAndNothingApplied) {
  fail_next(R"({"count":3,"status":401,"method":"POST"})");
  const Result r = client()->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::auth);
  EXPECT_NE(r.message.find("Expired oauth token (code 40109)"), std::string::npos) << r.message;
  EXPECT_EQ(count_requests("POST", "/rest/1/contacts"), 1);
  EXPECT_EQ(stored_contacts().size(), 0u);
}

TEST_F(FailureTest, ValidationErrorIsRejectedWithTheApisReason) {
  fail_next(R"({"count":3,"status":400,"method":"POST","path":"/rest/1/contacts"})");
  const Result r = client()->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::rejected);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_NE(r.message.find("Bad Request (code 40001)"), std::string::npos) << r.message;
  EXPECT_EQ(count_requests("POST", "/rest/1/contacts"), 1);
}

// ---- malformed success bodies -----------------------------------------------

TEST_F(FailureTest, MalformedSuccessOnAWriteIsUnknownAndNotRetried) {
  fail_next(R"({"count":1,"malformed":true,"method":"POST","path":"/rest/1/contacts"})");
  std::string id = "unset";
  const Result r = client()->create_contact(kPayload, "lead-1", "", &id);
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(r.http_status, 201);
  EXPECT_EQ(id, "unset");
  EXPECT_EQ(count_requests("POST", "/rest/1/contacts"), 1);
  EXPECT_EQ(stored_contacts().size(), 1u);  // the fake did apply it
}

TEST_F(FailureTest, MalformedSuccessOnAReadIsRetried) {
  const std::string id = seed_contact("first_name=Ann&lead_id=L1");
  fail_next(R"({"count":2,"malformed":true,"method":"GET"})");
  RemoteContact got;
  const Result r = client()->get_contact(id, &got);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.lead_id, "L1");
  EXPECT_EQ(count_requests("GET", "/rest/1/contacts/" + id), 3);
}

TEST_F(FailureTest, MalformedReadsThatNeverHealRunOutOfRetries) {
  fail_next(R"({"count":50,"malformed":true,"method":"GET"})");
  ClientOptions o = options();
  o.max_retries = 2;
  std::vector<Folder> folders;
  const Result r = client(o)->list_folders(&folders);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_TRUE(folders.empty());
  EXPECT_EQ(count_requests("GET", "/rest/1/folders"), 3);
}

// ---- POST /dialsession is never retried --------------------------------------

std::vector<std::string> two_payloads() {
  return {R"({"first_name":"A","phone":"5550001111"})", R"({"first_name":"B","phone":"5550002222"})"};
}

TEST_F(FailureTest, DialSessionIsNotRetriedOnAServerError) {
  fail_next(R"({"count":5,"status":503,"path":"/rest/1/dialsession"})");
  DialSession session;
  const Result r = client()->create_dial_session("s", two_payloads(), {}, "", {}, &session);
  EXPECT_EQ(r.failure, Failure::retryable);  // safe to retry, but that is the caller's call
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(count_requests("POST", "/rest/1/dialsession"), 1);
  EXPECT_EQ(state()["dial_sessions"].Size(), 0u);
}

TEST_F(FailureTest, DialSessionIsNotRetriedOnARateLimit) {
  fail_next(R"({"count":5,"status":429,"retry_after_s":0,"path":"/rest/1/dialsession"})");
  DialSession session;
  const Result r = client()->create_dial_session("s", two_payloads(), {}, "", {}, &session);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_EQ(count_requests("POST", "/rest/1/dialsession"), 1);
}

TEST_F(FailureTest, DialSessionDropIsUnknownAndTheSessionExists) {
  fail_next(R"({"count":1,"drop_after_write":true,"path":"/rest/1/dialsession"})");
  DialSession session;
  const Result r = client()->create_dial_session("s", two_payloads(), {}, "", {}, &session);
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(session.redirect_url, "");
  EXPECT_EQ(count_requests("POST", "/rest/1/dialsession"), 1);
  EXPECT_EQ(state()["dial_sessions"].Size(), 1u);
}

TEST_F(FailureTest, DialSessionMalformedAnswerIsUnknown) {
  fail_next(R"({"count":1,"malformed":true,"path":"/rest/1/dialsession"})");
  DialSession session;
  const Result r = client()->create_dial_session("s", two_payloads(), {}, "", {}, &session);
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(count_requests("POST", "/rest/1/dialsession"), 1);
  // The message must not carry the one-time login link of the cut answer.
  EXPECT_EQ(r.message.find("/dialsession/launch/"), std::string::npos) << r.message;
}

// ---- shutdown ---------------------------------------------------------------

// should_stop that turns true `after` from now (polled from the client's thread).
std::function<bool()> stop_after(milliseconds after) {
  const auto at = clock::now() + after;
  return [at] { return clock::now() >= at; };
}

TEST_F(FailureTest, StopBeforeSendingSendsNothing) {
  ClientOptions o = options();
  o.should_stop = [] { return true; };
  const Result r = client(o)->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::stopped);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_EQ(request_log()["requests"].Size(), 0u);
}

TEST_F(FailureTest, StopCutsARetryAfterWaitShort) {
  fail_next(R"({"count":1,"status":429,"retry_after_s":40})");
  ClientOptions o = options();
  o.backoff_cap = milliseconds(120000);  // so the 40 s Retry-After would be waited out
  o.should_stop = stop_after(milliseconds(200));
  const auto start = clock::now();
  const Result r = client(o)->check_token(nullptr);
  const auto took = clock::now() - start;
  EXPECT_EQ(r.failure, Failure::stopped);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_NE(r.message.find("429"), std::string::npos) << "keeps the last failure: " << r.message;
  EXPECT_EQ(count_requests("GET", "/rest/1/members/me"), 1);
  EXPECT_LT(took, seconds(30));  // far less than the 40 s the server asked for
}

TEST_F(FailureTest, StopCutsAPacingWaitShort) {
  ClientOptions o = options();
  o.requests_per_second = 0.01;  // one request per 100 s
  std::atomic<bool> stop{false};
  o.should_stop = [&] { return stop.load(); };
  auto c = client(o);
  // The client allows a burst of 3 before pacing starts.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c->check_token(nullptr).ok());
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(200));
    stop = true;
  });
  const auto start = clock::now();
  const Result r = c->check_token(nullptr);
  const auto took = clock::now() - start;
  stopper.join();
  EXPECT_EQ(r.failure, Failure::stopped);
  EXPECT_EQ(count_requests("GET", "/rest/1/members/me"), 3);
  EXPECT_LT(took, seconds(60));
}

TEST_F(FailureTest, StopAbortsAReadInFlight) {
  knobs(R"({"latency_ms":2500})");
  ClientOptions o = options();
  o.should_stop = stop_after(milliseconds(150));
  const Result r = client(o)->check_token(nullptr);
  // Had the transfer not been aborted, the answer would have arrived: ok.
  EXPECT_EQ(r.failure, Failure::stopped) << r.message;
  EXPECT_EQ(r.http_status, 0);
}

TEST_F(FailureTest, StopDuringASentWriteIsUnknown) {
  knobs(R"({"latency_ms":2500})");
  ClientOptions o = options();
  o.should_stop = stop_after(milliseconds(150));
  const Result r = client(o)->create_contact(kPayload, "lead-1", "", nullptr);
  EXPECT_EQ(r.failure, Failure::unknown) << r.message;
  EXPECT_EQ(r.attempts, 1);
}

// ---- the token never leaks ----------------------------------------------------

// A server that echoes the bearer token back in every kind of answer, as a
// misbehaving proxy or a verbose error page might.
class EchoServer {
 public:
  EchoServer() {
    auto handler = [](const httplib::Request& req, httplib::Response& res) {
      const std::string auth = req.get_header_value("Authorization");
      const std::string echo = "you sent '" + auth + "'";
      auto envelope = [&](int status, const std::string& reason) {
        res.status = status;
        res.set_content(R"({"http_status":)" + std::to_string(status) +
                            R"(,"status":"error","debug_codes":[{"code":1,"reason":")" + reason + R"("}]})",
                        "application/json");
      };
      if (req.path == "/rest/1/members/me") {
        envelope(401, echo);
      } else if (req.path == "/rest/1/folders" && req.method == "GET") {
        res.status = 200;  // a "success" with an error envelope inside
        res.set_content(R"({"status":"error","message":")" + echo + R"("})", "application/json");
      } else if (req.path == "/rest/1/folders") {
        envelope(500, echo);
      } else if (req.path == "/rest/1/contacts" && req.method == "POST") {
        envelope(422, echo);
      } else if (req.path == "/rest/1/dialsession") {
        envelope(504, echo);
      } else {
        res.status = 404;
        res.set_content(R"({"message":")" + echo + R"("})", "application/json");
      }
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.Put(".*", handler);
    // One request per connection: no idle keep-alive for stop() to wait out.
    server_.set_keep_alive_max_count(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(1));
  }
  ~EchoServer() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/rest/1"; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
};

TEST(TokenRedaction, TheTokenNeverAppearsInAResultMessage) {
  EchoServer echo;
  ClientOptions o;
  o.base_url = echo.base_url();
  o.token = kToken;
  o.requests_per_second = 0;
  o.max_retries = 1;
  o.backoff_base = milliseconds(1);
  PhoneBurnerClient c(o);

  std::vector<std::pair<std::string, Result>> results;
  results.emplace_back("check_token", c.check_token(nullptr));
  std::vector<Folder> folders;
  results.emplace_back("list_folders", c.list_folders(&folders));
  results.emplace_back("create_folder", c.create_folder("f", "", nullptr));
  results.emplace_back("create_contact", c.create_contact(kPayload, "1", "", nullptr));
  results.emplace_back("update_contact", c.update_contact("5", kPayload, "1", ""));
  results.emplace_back("get_contact", c.get_contact("5", nullptr));
  results.emplace_back("list_folder_contacts", c.list_folder_contacts("9", nullptr));
  DialSession session;
  results.emplace_back("create_dial_session",
                       c.create_dial_session("s", two_payloads(), {}, "", {}, &session));

  for (const auto& [what, r] : results) {
    EXPECT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.message.find(kToken), std::string::npos) << what << ": " << r.message;
    // The echo did reach the message, redacted: proof the server echoed it.
    EXPECT_NE(r.message.find("[redacted]"), std::string::npos) << what << ": " << r.message;
  }
  EXPECT_EQ(results[0].second.failure, Failure::auth);
  EXPECT_EQ(results[1].second.failure, Failure::retryable);
  EXPECT_EQ(results[2].second.failure, Failure::retryable);
  EXPECT_EQ(results[3].second.failure, Failure::rejected);
  EXPECT_EQ(results[7].second.failure, Failure::unknown);
}

}  // namespace
}  // namespace pgdialer::sync::testing
