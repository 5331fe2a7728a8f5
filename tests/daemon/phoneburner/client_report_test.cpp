// The client's on_request hook, which feeds the API latency and retry
// metrics: one report per request sent, retries flagged, ids left out of
// the endpoint.
#include "phoneburner/client_fixture.hpp"

#include <mutex>

namespace pgdialer::sync::testing {
namespace {

using ClientReportTest = FakeClientTest;

struct Reports {
  std::mutex mutex;
  std::vector<RequestReport> seen;
  std::function<void(const RequestReport&)> hook() {
    return [this](const RequestReport& r) {
      std::lock_guard<std::mutex> lock(mutex);
      seen.push_back(r);
    };
  }
};

TEST_F(ClientReportTest, OneReportPerRequestWithItsStatus) {
  Reports reports;
  ClientOptions o = options();
  o.on_request = reports.hook();
  auto c = client(o);
  std::string member;
  ASSERT_TRUE(c->check_token(&member).ok());
  ASSERT_EQ(reports.seen.size(), 1u);
  EXPECT_EQ(reports.seen[0].endpoint, "GET /members");
  EXPECT_EQ(reports.seen[0].http_status, 200);
  EXPECT_FALSE(reports.seen[0].retry);
  EXPECT_GE(reports.seen[0].seconds, 0);
}

TEST_F(ClientReportTest, RetriesAreFlagged) {
  Reports reports;
  ClientOptions o = options();
  o.on_request = reports.hook();
  auto c = client(o);
  fail_next(R"({"count":2,"status":503})");
  std::string member;
  ASSERT_TRUE(c->check_token(&member).ok());
  ASSERT_EQ(reports.seen.size(), 3u);
  EXPECT_EQ(reports.seen[0].http_status, 503);
  EXPECT_FALSE(reports.seen[0].retry);
  EXPECT_EQ(reports.seen[1].http_status, 503);
  EXPECT_TRUE(reports.seen[1].retry);
  EXPECT_EQ(reports.seen[2].http_status, 200);
  EXPECT_TRUE(reports.seen[2].retry);
}

TEST_F(ClientReportTest, TheEndpointLeavesIdsOut) {
  Reports reports;
  ClientOptions o = options();
  o.on_request = reports.hook();
  auto c = client(o);
  RemoteContact contact;
  c->get_contact("30919237", &contact);  // 404 from the fake is fine: a request went out
  ASSERT_EQ(reports.seen.size(), 1u);
  EXPECT_EQ(reports.seen[0].endpoint, "GET /contacts");
}

}  // namespace
}  // namespace pgdialer::sync::testing
