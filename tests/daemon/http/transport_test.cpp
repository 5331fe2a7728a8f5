// http/transport: one libcurl exchange, and above all whether the request was
// sent, which decides between "retry" and "it may have been applied".
#include "phoneburner/client_fixture.hpp"
#include "http/transport.hpp"

#include <curl/curl.h>

namespace pgdialer::sync::testing {
namespace {

using http::Request;
using http::Response;
using http::TransportError;
using std::chrono::milliseconds;
using TransportTest = FakeClientTest;

TEST(ClassifyCurlCode, MapsTheCodesThatMatter) {
  using http::classify_curl_code;
  EXPECT_EQ(classify_curl_code(CURLE_OK), TransportError::none);
  EXPECT_EQ(classify_curl_code(CURLE_COULDNT_CONNECT), TransportError::not_connected);
  EXPECT_EQ(classify_curl_code(CURLE_COULDNT_RESOLVE_HOST), TransportError::not_connected);
  EXPECT_EQ(classify_curl_code(CURLE_PEER_FAILED_VERIFICATION), TransportError::tls_verification);
  EXPECT_EQ(classify_curl_code(CURLE_SSL_CACERT_BADFILE), TransportError::tls_verification);
  EXPECT_EQ(classify_curl_code(CURLE_SSL_CONNECT_ERROR), TransportError::not_connected);
  EXPECT_EQ(classify_curl_code(CURLE_OPERATION_TIMEDOUT), TransportError::timed_out);
  EXPECT_EQ(classify_curl_code(CURLE_GOT_NOTHING), TransportError::connection_lost);
  EXPECT_EQ(classify_curl_code(CURLE_RECV_ERROR), TransportError::connection_lost);
  EXPECT_EQ(classify_curl_code(CURLE_SEND_ERROR), TransportError::connection_lost);
  EXPECT_EQ(classify_curl_code(CURLE_PARTIAL_FILE), TransportError::connection_lost);
  EXPECT_EQ(classify_curl_code(CURLE_ABORTED_BY_CALLBACK), TransportError::aborted);
  EXPECT_EQ(classify_curl_code(CURLE_URL_MALFORMAT), TransportError::other);
  EXPECT_EQ(classify_curl_code(CURLE_UNSUPPORTED_PROTOCOL), TransportError::other);
}

Request request(const std::string& url, const std::string& method = "GET") {
  Request r;
  r.method = method;
  r.url = url;
  r.headers.push_back(std::string("Authorization: Bearer ") + kToken);
  r.connect_timeout = milliseconds(2000);
  r.timeout = milliseconds(10000);
  return r;
}

TEST_F(TransportTest, ACompleteAnswer) {
  const Response res = http::perform(request(base_url() + "/members/me"));
  EXPECT_EQ(res.error, TransportError::none) << res.error_text;
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.request_sent);
  EXPECT_TRUE(res.response_started);
  EXPECT_NE(res.body.find("1208450"), std::string::npos) << res.body;
}

TEST_F(TransportTest, AnErrorStatusIsStillACompleteAnswerWithItsRetryAfter) {
  fail_next(R"({"count":1,"status":429,"retry_after_s":3})");
  const Response res = http::perform(request(base_url() + "/members/me"));
  EXPECT_EQ(res.error, TransportError::none);
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(res.retry_after, "3");
  EXPECT_NE(res.body.find("debug_codes"), std::string::npos);
}

TEST_F(TransportTest, PostAndPutSendTheirBody) {
  Request post = request(base_url() + "/contacts", "POST");
  post.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  post.body = "first_name=Ann&lead_id=L1";
  post.fresh_connection = true;
  Response res = http::perform(post);
  ASSERT_EQ(res.status, 201) << res.body;
  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0]["lead_id"], "L1");

  Request put = request(base_url() + "/contacts/" + contacts[0]["contact_user_id"], "PUT");
  put.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  put.body = "first_name=Bea";
  res = http::perform(put);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(stored_contacts()[0]["first_name"], "Bea");
}

TEST_F(TransportTest, NothingListeningMeansNotSent) {
  const std::string url = base_url() + "/contacts";
  server_->stop();
  Request post = request(url, "POST");
  post.body = "first_name=Ann";
  const Response res = http::perform(post);
  EXPECT_EQ(res.error, TransportError::not_connected) << res.error_text;
  EXPECT_FALSE(res.request_sent);
  EXPECT_FALSE(res.response_started);
  EXPECT_EQ(res.status, 0);
}

TEST_F(TransportTest, AConnectionClosedAfterTheRequestMeansSent) {
  fail_next(R"({"count":1,"drop_after_write":true})");
  Request post = request(base_url() + "/contacts", "POST");
  post.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  post.body = "first_name=Ann";
  post.fresh_connection = true;
  const Response res = http::perform(post);
  EXPECT_EQ(res.error, TransportError::connection_lost) << res.error_text;
  EXPECT_TRUE(res.request_sent);
  EXPECT_EQ(res.status, 0);
}

TEST_F(TransportTest, ATimeoutAfterSendingMeansSent) {
  knobs(R"({"latency_ms":800})");
  Request post = request(base_url() + "/contacts", "POST");
  post.body = "first_name=Ann";
  post.fresh_connection = true;
  post.timeout = milliseconds(200);
  const Response res = http::perform(post);
  EXPECT_EQ(res.error, TransportError::timed_out) << res.error_text;
  EXPECT_TRUE(res.request_sent);
}

TEST_F(TransportTest, ShouldStopAbortsTheTransfer) {
  knobs(R"({"latency_ms":800})");
  Request get = request(base_url() + "/members/me");
  get.should_stop = [] { return true; };
  const Response res = http::perform(get);
  EXPECT_EQ(res.error, TransportError::aborted) << res.error_text;
  EXPECT_EQ(res.status, 0);
}

TEST_F(TransportTest, OtherSchemesAreRefusedLocally) {
  const Response res = http::perform(request("ftp://127.0.0.1/x"));
  EXPECT_EQ(res.error, TransportError::other);
  EXPECT_FALSE(res.request_sent);
}

TEST_F(TransportTest, TheErrorTextNeverHoldsRequestHeaders) {
  knobs(R"({"latency_ms":800})");
  Request get = request(base_url() + "/members/me");
  get.timeout = milliseconds(200);
  const Response res = http::perform(get);
  ASSERT_NE(res.error, TransportError::none);
  EXPECT_EQ(res.error_text.find(kToken), std::string::npos) << res.error_text;
}

}  // namespace
}  // namespace pgdialer::sync::testing
