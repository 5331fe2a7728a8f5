// Fault injection over real HTTP: fail_next (deterministic) and the rates.
#include "test_support.hpp"

#include <chrono>

namespace fake_pb::testing {
namespace {

using FaultsTest = FakeServerTest;

TEST_F(FaultsTest, FailNextStatusChangesNothingThenRecovers) {
  control("fail_next", R"({"count":2,"status":503})");
  for (int i = 0; i < 2; ++i) {
    auto res = post_form("/rest/1/contacts", "first_name=A");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    auto doc = parse(res->body);
    EXPECT_EQ(doc["http_status"].GetInt(), 503);
    EXPECT_STREQ(doc["status"].GetString(), "error");
  }
  EXPECT_EQ(state()["contacts"].Size(), 0u);
  EXPECT_EQ(post_form("/rest/1/contacts", "first_name=A")->status, 201);
  EXPECT_EQ(state()["contacts"].Size(), 1u);
}

TEST_F(FaultsTest, FailNext429CarriesRetryAfter) {
  control("fail_next", R"({"status":429,"retry_after_s":7})");
  auto res = get("/rest/1/members/me");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "7");
  EXPECT_EQ(parse(res->body)["debug_codes"][0]["code"].GetInt(), 42901);
  res = get("/rest/1/members/me");
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("Retry-After"));
}

TEST_F(FaultsTest, FailNextCanTargetOneRoute) {
  control("fail_next", R"({"status":500,"method":"post","path":"/rest/1/dialsession"})");
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);
  EXPECT_EQ(post_form("/rest/1/contacts", "first_name=A")->status, 201);
  EXPECT_EQ(post_json("/rest/1/dialsession", R"({"contacts":[{"first_name":"B"}]})")->status, 500);
  EXPECT_EQ(post_json("/rest/1/dialsession", R"({"contacts":[{"first_name":"B"}]})")->status, 200);
}

TEST_F(FaultsTest, DropAfterWriteAppliesButNeverAnswers) {
  auto pending = control("fail_next", R"({"count":1,"drop_after_write":true})");
  EXPECT_EQ(pending["fail_next"].Size(), 1u);
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);  // reads do not consume a drop rule
  auto res = post_form("/rest/1/contacts", "first_name=Ghost&lead_id=L1");
  EXPECT_FALSE(res) << "expected no response, got " << res->status;
  auto st = state();
  ASSERT_EQ(st["contacts"].Size(), 1u);  // the outcome the client cannot know
  EXPECT_EQ(str(st["contacts"][0]["lead_id"]), "L1");
  EXPECT_EQ(st["fail_next"].Size(), 0u);
  EXPECT_EQ(post_form("/rest/1/contacts", "first_name=Next")->status, 201);
}

TEST_F(FaultsTest, DropBeforeWriteAppliesNothing) {
  control("fail_next", R"({"drop_before_write":true})");
  auto res = post_json("/rest/1/dialsession", R"({"contacts":[{"first_name":"B"}]})");
  EXPECT_FALSE(res);
  auto st = state();
  EXPECT_EQ(st["contacts"].Size(), 0u);
  EXPECT_EQ(st["dial_sessions"].Size(), 0u);
}

TEST_F(FaultsTest, MalformedAnswersTruncatedJsonButAppliesTheWrite) {
  control("fail_next", R"({"malformed":true})");
  auto res = post_form("/rest/1/contacts", "first_name=Half");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  EXPECT_TRUE(doc.HasParseError()) << res->body;
  EXPECT_EQ(state()["contacts"].Size(), 1u);
}

TEST_F(FaultsTest, RatesOfOneAlwaysFire) {
  control("config", R"({"rate_limit_rate":1,"retry_after_s":3})");
  auto res = get("/rest/1/members/me");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "3");

  control("config", R"({"rate_limit_rate":0,"error_rate":1})");
  for (int i = 0; i < 5; ++i) {
    res = post_form("/rest/1/contacts", "first_name=A");
    ASSERT_TRUE(res);
    EXPECT_TRUE(res->status == 500 || res->status == 502 || res->status == 503) << res->status;
  }
  EXPECT_EQ(state()["contacts"].Size(), 0u);

  control("config", R"({"error_rate":0,"drop_after_write_rate":1})");
  EXPECT_EQ(get("/rest/1/contacts")->status, 200);  // reads are never dropped
  EXPECT_FALSE(post_form("/rest/1/contacts", "first_name=A"));
  EXPECT_EQ(state()["contacts"].Size(), 1u);

  control("config", R"({"drop_after_write_rate":0,"malformed_rate":1})");
  res = get("/rest/1/members/me");
  ASSERT_TRUE(res);
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  EXPECT_TRUE(doc.HasParseError());

  control("config", R"({"malformed_rate":0})");
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);
}

// The state's counters say how many faults were injected, by what they did,
// whether from a fail_next rule or a rate (a fault run reports them), and
// count nothing for requests that were not faulted.
TEST_F(FaultsTest, InjectedFaultsAreCountedByKind) {
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);
  EXPECT_EQ(state()["counters"]["faults"].MemberCount(), 0u);

  control("fail_next", R"({"count":2,"status":503})");
  control("fail_next", R"({"drop_after_write":true})");
  control("fail_next", R"({"drop_before_write":true})");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(get("/rest/1/members/me")->status, 503);
  EXPECT_FALSE(post_form("/rest/1/contacts", "first_name=A"));
  EXPECT_FALSE(post_form("/rest/1/contacts", "first_name=B"));
  control("config", R"({"rate_limit_rate":1})");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get("/rest/1/members/me")->status, 429);
  control("config", R"({"rate_limit_rate":0,"malformed_rate":1})");
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);
  control("config", R"({"malformed_rate":0})");
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);

  auto counters = state();
  const auto& faults = counters["counters"]["faults"];
  EXPECT_EQ(faults.MemberCount(), 5u);
  EXPECT_EQ(faults["503"].GetInt(), 2);
  EXPECT_EQ(faults["drop_after_write"].GetInt(), 1);
  EXPECT_EQ(faults["drop_before_write"].GetInt(), 1);
  EXPECT_EQ(faults["429"].GetInt(), 3);
  EXPECT_EQ(faults["malformed"].GetInt(), 1);
  // The account's own counters have them too (the requests authenticated).
  EXPECT_EQ(counters["accounts"]["default"]["counters"]["faults"]["429"].GetInt(), 3);
}

TEST_F(FaultsTest, SameSeedSameFaults) {
  auto run = [&] {
    control("reset");
    control("config", R"({"error_rate":0.5,"seed":42})");
    std::string statuses;
    for (int i = 0; i < 16; ++i) statuses += std::to_string(get("/rest/1/members/me")->status) + " ";
    return statuses;
  };
  const std::string first = run();
  EXPECT_EQ(first, run());
  EXPECT_NE(first.find("200"), std::string::npos);
  EXPECT_NE(first.find("50"), std::string::npos);
}

TEST_F(FaultsTest, LatencyAndDialSessionDelay) {
  control("config", R"({"latency_ms":120})");
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(120));

  control("config", R"({"latency_ms":0,"dialsession_delay_ms_per_contact":60})");
  t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(
      post_json("/rest/1/dialsession", R"({"contacts":[{"first_name":"A"},{"first_name":"B"}]})")->status,
      200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(120));
}

TEST_F(FaultsTest, BadKnobsAndRulesAre400AndChangeNothing) {
  for (const char* body : {R"({"error_rate":2})", R"({"latency_ms":-1})", R"({"nope":1})",
                           R"({"error_rate":0.5,"seed":"x"})", R"({"error_rate":true})"}) {
    auto res = http().Post("/_control/config", body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
  }
  auto res = http().Get("/_control/config");
  auto cfg = parse(res->body);
  EXPECT_EQ(cfg["error_rate"].GetDouble(), 0.0);
  for (const char* body :
       {R"({"status":200})", R"({"count":0,"status":503})", R"({"status":503,"malformed":true})"}) {
    res = http().Post("/_control/fail_next", body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
  }
}

TEST_F(FaultsTest, TokenCanBeRotatedAtRunTime) {
  control("config", R"({"token":"rotated"})");
  EXPECT_EQ(get("/rest/1/members/me")->status, 401);
  EXPECT_EQ(http().Get("/rest/1/members/me", {{"Authorization", "Bearer rotated"}})->status, 200);
  control("fail_next", R"({"status":401})");
  auto res = http().Get("/rest/1/members/me", {{"Authorization", "Bearer rotated"}});
  EXPECT_EQ(parse(res->body)["debug_codes"][0]["code"].GetInt(), 40109);  // "expired"
}

}  // namespace
}  // namespace fake_pb::testing
