// The control API: state dump, reset, request log and counters.
#include "test_support.hpp"

namespace fake_pb::testing {
namespace {

using ControlTest = FakeServerTest;

TEST_F(ControlTest, InitialState) {
  auto st = state();
  ASSERT_EQ(st["folders"].Size(), 1u);
  EXPECT_EQ(str(st["folders"][0]["folder_name"]), "Contacts");
  EXPECT_TRUE(st["folders"][0]["is_default"].GetBool());
  EXPECT_EQ(st["contacts"].Size(), 0u);
  EXPECT_EQ(st["dial_sessions"].Size(), 0u);
  EXPECT_EQ(st["counters"]["requests_total"].GetInt(), 0);
  EXPECT_EQ(st["config"]["error_rate"].GetDouble(), 0.0);
}

TEST_F(ControlTest, ResetRestoresTheStartState) {
  start(ApiOptions{kToken,
                   [] {
                     Knobs k;
                     k.latency_ms = 5;
                     return k;
                   }(),
                   1000,
                   {}});
  post_form("/rest/1/folders", "name=B");
  create_contact("first_name=A");
  control("config", R"({"latency_ms":0,"token":"other"})");
  control("fail_next", R"({"status":503})");
  control("reset");
  auto st = state();
  EXPECT_EQ(st["folders"].Size(), 1u);
  EXPECT_EQ(st["contacts"].Size(), 0u);
  EXPECT_EQ(st["fail_next"].Size(), 0u);
  EXPECT_EQ(st["config"]["latency_ms"].GetInt(), 5);  // the flags' value
  EXPECT_EQ(st["counters"]["requests_total"].GetInt(), 0);
  EXPECT_EQ(create_contact("first_name=B"), "30919237");  // ids start over, old token is back
}

TEST_F(ControlTest, RequestLogAndCounters) {
  create_contact("first_name=A&custom_fields[0][name]=X");
  get("/rest/1/contacts?page=2&page_size=10");
  http().Get("/rest/1/members/me");  // no auth
  control("fail_next", R"({"drop_after_write":true})");
  post_form("/rest/1/contacts", "first_name=B");

  auto res = http().Get("/_control/requests");
  ASSERT_TRUE(res);
  auto log = parse(res->body);
  const auto& reqs = log["requests"];
  ASSERT_EQ(reqs.Size(), 4u);  // control calls are not logged
  EXPECT_EQ(str(reqs[0]["method"]), "POST");
  EXPECT_EQ(str(reqs[0]["path"]), "/rest/1/contacts");
  EXPECT_EQ(str(reqs[0]["content_type"]), "application/x-www-form-urlencoded");
  EXPECT_EQ(str(reqs[0]["body"]), "first_name=A&custom_fields[0][name]=X");
  EXPECT_EQ(reqs[0]["status"].GetInt(), 201);
  EXPECT_EQ(str(reqs[1]["query"]), "page=2&page_size=10");
  EXPECT_EQ(str(reqs[1]["route"]), "GET /rest/1/contacts");
  EXPECT_EQ(reqs[2]["status"].GetInt(), 401);
  EXPECT_TRUE(reqs[3]["dropped"].GetBool());
  EXPECT_EQ(reqs[3]["handler_status"].GetInt(), 201);
  EXPECT_EQ(str(reqs[3]["fault"]), "fail_next");

  res = http().Get("/_control/requests?since=3");
  EXPECT_EQ(parse(res->body)["requests"].Size(), 1u);

  // The document must outlive the view into it (a view into state()'s
  // temporary read freed memory: AddressSanitizer, make test-sanitize).
  auto doc = state();
  auto counters = doc["counters"].GetObject();
  EXPECT_EQ(counters["requests_total"].GetInt(), 4);
  EXPECT_EQ(counters["by_route"]["POST /rest/1/contacts"]["201"].GetInt(), 1);
  EXPECT_EQ(counters["by_route"]["POST /rest/1/contacts"]["dropped"].GetInt(), 1);
  EXPECT_EQ(counters["by_route"]["GET /rest/1/members/me"]["401"].GetInt(), 1);
}

TEST_F(ControlTest, RequestLogIsBounded) {
  start(ApiOptions{kToken, Knobs{}, 3, {}});
  for (int i = 0; i < 5; ++i) get("/rest/1/members/me");
  auto log = parse(http().Get("/_control/requests")->body);
  ASSERT_EQ(log["requests"].Size(), 3u);
  EXPECT_EQ(log["requests"][0]["seq"].GetInt(), 3);
  EXPECT_EQ(state()["counters"]["requests_total"].GetInt(), 5);  // counters are not trimmed
}

TEST_F(ControlTest, UnknownControlEndpointIs404) {
  auto res = http().Get("/_control/nothing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(ControlTest, ServerStopsPromptlyAndCanBeRestarted) {
  server_->stop();
  EXPECT_FALSE(server_->running());
  start(ApiOptions{kToken, Knobs{}, 10, {}});
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);
}

}  // namespace
}  // namespace fake_pb::testing
