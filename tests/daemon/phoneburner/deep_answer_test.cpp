// Issue 11: a PhoneBurner answer (up to the client's 64 MB cap) nested deeper
// than the parser's limit is a malformed response, classified like any other
// malformed success (a read is retried, a write may have been applied),
// never a stack overflow. The same for the OAuth endpoint's answer and for
// the queue's own JSON (contact payloads, custom_data) before anything is
// sent.
#include "phoneburner/client.hpp"
#include "phoneburner/oauth_client.hpp"
#include "phoneburner/payload.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace pgdialer::sync::testing {
namespace {

using std::chrono::milliseconds;

// 100,000 levels in a well-formed envelope: valid JSON, only too deep.
std::string deep_answer() {
  const int depth = 100000;
  return R"({"status":"success","members":{"members":)" + std::string(depth, '[') + "{}" +
         std::string(depth, ']') + "}}";
}

// Answers every request with 200 and a deep body.
class DeepServer {
 public:
  DeepServer() {
    auto handler = [this](const httplib::Request&, httplib::Response& res) {
      ++requests;
      res.status = 200;
      res.set_content(deep_answer(), "application/json");
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.set_keep_alive_max_count(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(1));
  }
  ~DeepServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::atomic<int> requests{0};

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
};

ClientOptions options_for(const DeepServer& server) {
  ClientOptions o;
  o.base_url = server.url("/rest/1");
  o.token = "pat-deep-answer-test";
  o.requests_per_second = 0;
  o.max_retries = 1;
  o.backoff_base = milliseconds(1);
  o.backoff_cap = milliseconds(1);
  return o;
}

TEST(DeepAnswer, AReadIsAMalformedResponseAndRetried) {
  DeepServer server;
  PhoneBurnerClient client(options_for(server));
  std::string member;
  const Result r = client.check_token(&member);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_NE(r.message.find("response is nested deeper than 64 levels"), std::string::npos) << r.message;
  EXPECT_EQ(member, "");
}

TEST(DeepAnswer, AWriteIsAMalformedResponseThatMayHaveBeenApplied) {
  DeepServer server;
  PhoneBurnerClient client(options_for(server));
  std::string id = "unset";
  const Result r = client.create_contact(R"({"first_name":"Ann","phone":"5551234567"})", "lead-1", "", &id);
  EXPECT_EQ(r.failure, Failure::unknown);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_NE(r.message.find("response is nested deeper than 64 levels"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("may have been applied"), std::string::npos) << r.message;
  EXPECT_EQ(id, "unset");
}

TEST(DeepAnswer, TheOAuthEndpointsAnswerIsRetryable) {
  DeepServer server;
  OAuthOptions options;
  options.oauth_url = server.url("/oauth");
  OAuthGrant grant;
  const Result r = refresh_oauth_token(options, {"client", "client-secret", "refresh-token"}, &grant);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_NE(r.message.find("the answer is nested deeper than 64 levels"), std::string::npos) << r.message;
  EXPECT_EQ(grant.access_token, "");
}

TEST(DeepQueueJson, ADeepPayloadOrCustomDataIsRejectedBeforeSending) {
  MappedContact mapped;
  std::string error;
  EXPECT_FALSE(
      map_payload(R"({"first_name":)" + std::string(100000, '[') + "1" + std::string(100000, ']') + "}",
                  &mapped, &error));
  EXPECT_EQ(error, "payload is not a JSON object");

  DeepServer server;
  PhoneBurnerClient client(options_for(server));
  DialSession session;
  const Result r = client.create_dial_session("s", {R"({"first_name":"A","phone":"5550001111"})"}, {},
                                              std::string(100000, '['), {}, &session);
  EXPECT_EQ(r.failure, Failure::rejected);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_EQ(server.requests, 0);
}

}  // namespace
}  // namespace pgdialer::sync::testing
