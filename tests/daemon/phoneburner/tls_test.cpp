// PhoneBurner over real HTTPS: the fake serves TLS with a certificate from a
// CA made at test time. Trusted through ClientOptions::ca_file
// (PHONEBURNER_CA_FILE) it works; untrusted, it is a configuration failure,
// sent nowhere and never retried, with a message that says so.
#include "http/transport.hpp"
#include "phoneburner/client.hpp"

#include "common/test_ca.hpp"
#include "fake-phoneburner/server.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <string>

namespace pgdialer::sync {
namespace {

using testing::TestCa;
constexpr const char* kToken = "pat-tls-5b2d4c6a8e0f";

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ca_ = new TestCa(); }
  static void TearDownTestSuite() {
    delete ca_;
    ca_ = nullptr;
  }
  void SetUp() override {
    fake_pb::ServerOptions options;
    options.api.token = kToken;
    options.tls_cert_file = ca_->server_cert();
    options.tls_key_file = ca_->server_key();
    server_ = std::make_unique<fake_pb::Server>(options);
    server_->start();
  }
  // As FakeClientTest does: cpp-httplib's stop() waits out each idle
  // keep-alive connection (5 s); "Connection: close" drains this thread's pool.
  void TearDown() override {
    for (int i = 0; i < 12; ++i) {
      http::Request req;
      req.url = server_->base_url() + "/_control/config";
      req.ca_file = ca_->ca_file();
      req.headers.push_back("Connection: close");
      req.timeout = std::chrono::milliseconds(2000);
      http::perform(req);
    }
    server_->stop();
  }
  ClientOptions client_options(const std::string& ca_file) const {
    ClientOptions o;
    o.base_url = server_->base_url() + "/rest/1";
    o.token = kToken;
    o.ca_file = ca_file;
    o.requests_per_second = 0;
    o.max_retries = 3;
    // A retry would wait at least this long: the untrusted cases must not.
    o.backoff_base = std::chrono::milliseconds(3000);
    o.backoff_cap = std::chrono::milliseconds(3000);
    return o;
  }
  // /rest requests that reached the fake's API (asked in-process).
  std::size_t requests_served() {
    fake_pb::ApiRequest req;
    req.method = "GET";
    req.path = "/_control/requests";
    rapidjson::Document log;
    log.Parse(server_->api().handle(req).body.c_str());
    return log.HasParseError() ? 9999 : log["requests"].GetArray().Size();
  }

  static TestCa* ca_;
  std::unique_ptr<fake_pb::Server> server_;
};
TestCa* TlsTest::ca_ = nullptr;

TEST_F(TlsTest, TheFakeServesHttps) { EXPECT_EQ(server_->base_url().rfind("https://127.0.0.1:", 0), 0u); }

TEST_F(TlsTest, ACertificateFromTheConfiguredCaIsTrusted) {
  PhoneBurnerClient client(client_options(ca_->ca_file()));
  std::string member;
  Result r = client.check_token(&member);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_FALSE(member.empty());
  EXPECT_EQ(requests_served(), 1u);
}

void expect_configuration_failure(const Result& r, std::chrono::steady_clock::duration took) {
  EXPECT_EQ(r.failure, Failure::config) << r.message;
  EXPECT_NE(r.message.find("TLS certificate verification failed"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("a configuration error, not retried"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("PHONEBURNER_CA_FILE"), std::string::npos) << r.message;
  EXPECT_EQ(r.message.find(kToken), std::string::npos);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_LT(took, std::chrono::milliseconds(2500)) << "backed off and retried";
}

TEST_F(TlsTest, AnUntrustedCertificateIsAConfigurationFailureNotRetried) {
  PhoneBurnerClient client(client_options(""));  // the system's store does not know the test CA
  std::string member;
  const auto started = std::chrono::steady_clock::now();
  Result r = client.check_token(&member);
  expect_configuration_failure(r, std::chrono::steady_clock::now() - started);
  EXPECT_EQ(requests_served(), 0u);
}

TEST_F(TlsTest, ACertificateFromAnotherCaIsAConfigurationFailureForWritesToo) {
  PhoneBurnerClient client(client_options(ca_->other_ca_file()));
  std::string id;
  const auto started = std::chrono::steady_clock::now();
  Result r = client.create_contact(R"({"first_name":"Ada","phone":"+19195550101"})", "1", "", &id);
  expect_configuration_failure(r, std::chrono::steady_clock::now() - started);
  EXPECT_EQ(requests_served(), 0u);
}

TEST_F(TlsTest, TheTransportSaysWhichKindOfFailureItWas) {
  http::Request req;
  req.url = server_->base_url() + "/rest/1/members/me";
  http::Response untrusted = http::perform(req);
  EXPECT_EQ(untrusted.error, http::TransportError::tls_verification) << untrusted.error_text;
  EXPECT_FALSE(untrusted.request_sent);
  req.ca_file = ca_->ca_file();
  http::Response trusted = http::perform(req);
  EXPECT_EQ(trusted.error, http::TransportError::none) << trusted.error_text;
  EXPECT_EQ(trusted.status, 401);  // no token: but over verified TLS
  req.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(http::perform(req).error, http::TransportError::tls_verification);
}

}  // namespace
}  // namespace pgdialer::sync
