// Several PhoneBurner accounts in one fake, over real HTTP: each token sees
// its own member, folders, contacts and dial sessions and nothing of the
// others (404 as if absent), ids never collide, the control API addresses
// one account, reset restores them all, and simulated calls go to the
// webhook of the account that owns the folder or dial session.
#include "test_support.hpp"
#include "webhook_receiver.hpp"

#include <set>

namespace fake_pb::testing {
namespace {

constexpr const char* kTokenB = "token-b";

class AccountsTest : public FakeServerTest {
 protected:
  void SetUp() override {
    ApiOptions options{kToken, Knobs{}, 1000, {}};
    options.accounts.push_back(AccountOptions{"b", kTokenB, std::nullopt, {}});
    start(options);
  }

  static httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  httplib::Result get_as(const std::string& token, const std::string& path) {
    return http().Get(path, bearer(token));
  }
  httplib::Result post_as(const std::string& token, const std::string& path, const std::string& form) {
    return http().Post(path, bearer(token), form, "application/x-www-form-urlencoded");
  }
  // Creates a contact as `token`; returns its id.
  std::string contact_as(const std::string& token, const std::string& form) {
    auto res = post_as(token, "/rest/1/contacts", form);
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return res ? str(parse(res->body)["contacts"]["contacts"]["contact_user_id"]) : "";
  }
  std::string folder_as(const std::string& token, const std::string& name) {
    auto res = post_as(token, "/rest/1/folders", "name=" + name);
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return res ? str(parse(res->body)["folders"]["folder_id"]) : "";
  }
  rapidjson::Document account_state(const std::string& name) {
    auto res = http().Get("/_control/state?account=" + name);
    EXPECT_TRUE(res && res->status == 200);
    return parse(res ? res->body : "{}");
  }
};

TEST_F(AccountsTest, EachTokenHasItsOwnMember) {
  auto a = parse(get("/rest/1/members/me")->body);
  auto b = parse(get_as(kTokenB, "/rest/1/members/me")->body);
  EXPECT_EQ(str(a["members"]["members"]["username"]), "fake.agent");
  EXPECT_EQ(str(a["members"]["members"]["user_id"]), "1208450");
  EXPECT_EQ(str(b["members"]["members"]["username"]), "b.agent");
  EXPECT_NE(str(b["members"]["members"]["user_id"]), "1208450");
  EXPECT_EQ(get_as("token-c", "/rest/1/members/me")->status, 401);
}

TEST_F(AccountsTest, ContactsFoldersAndDialSessionsStayInTheirAccount) {
  const std::string folder_a = folder_as(kToken, "Buyers");
  const std::string folder_b = folder_as(kTokenB, "Buyers");
  const std::string a = contact_as(kToken, "first_name=A&category_id=" + folder_a);
  const std::string b = contact_as(kTokenB, "first_name=B&category_id=" + folder_b);
  EXPECT_NE(folder_a, folder_b);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, "30919237");  // the default account's ids are those of a single-account fake

  // B's token never sees A's contact, and cannot change or trash it.
  EXPECT_EQ(get_as(kTokenB, "/rest/1/contacts/" + a)->status, 404);
  EXPECT_EQ(
      http()
          .Put("/rest/1/contacts/" + a, bearer(kTokenB), "first_name=X", "application/x-www-form-urlencoded")
          ->status,
      404);
  EXPECT_EQ(http().Delete("/rest/1/contacts/" + a, bearer(kTokenB))->status, 404);
  EXPECT_EQ(get("/rest/1/contacts/" + b)->status, 404);
  EXPECT_EQ(get("/rest/1/contacts/" + a)->status, 200);

  auto list_b = parse(get_as(kTokenB, "/rest/1/contacts")->body);
  ASSERT_EQ(list_b["contacts"]["contacts"].Size(), 1u);
  EXPECT_EQ(str(list_b["contacts"]["contacts"][0]["contact_user_id"]), b);
  auto folders_b = parse(get_as(kTokenB, "/rest/1/folders")->body);
  std::set<std::string> ids;
  for (const auto& f : folders_b["folders"].GetObject()) ids.insert(str(f.value["folder_id"]));
  EXPECT_EQ(ids.count(folder_b), 1u);
  EXPECT_EQ(ids.count(folder_a), 0u);

  // A folder id of another account is unknown: the contact lands in the
  // writer's default folder, as for any unknown id.
  const std::string stray = contact_as(kTokenB, "first_name=C&category_id=" + folder_a);
  auto read = parse(get_as(kTokenB, "/rest/1/contacts/" + stray)->body);
  EXPECT_EQ(str(read["contacts"]["contacts"][0]["category"]["category_id"]),
            str(account_state("b")["folders"][0]["folder_id"]));

  auto res = http().Post("/rest/1/dialsession", bearer(kTokenB), R"({"contacts":[{"first_name":"D"}]})",
                         "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string ds = str(parse(res->body)["dialsessions"]["id"]);

  auto all = state();
  EXPECT_EQ(all["contacts"].Size(), 1u);  // top level: the default account
  EXPECT_EQ(all["dial_sessions"].Size(), 0u);
  EXPECT_EQ(all["accounts"]["default"]["contacts"].Size(), 1u);
  const auto& sb = all["accounts"]["b"];
  EXPECT_EQ(sb["contacts"].Size(), 3u);  // b, the stray one, the dial session's
  ASSERT_EQ(sb["dial_sessions"].Size(), 1u);
  EXPECT_EQ(str(sb["dial_sessions"][0]["id"]), ds);
  EXPECT_EQ(str(sb["member"]["username"]), "b.agent");
  EXPECT_TRUE(sb["oauth"].IsNull());
  EXPECT_EQ(sb["counters"]["by_route"]["POST /rest/1/contacts"]["201"].GetInt(), 2);
  EXPECT_EQ(all["accounts"]["default"]["counters"]["by_route"]["POST /rest/1/contacts"]["201"].GetInt(), 1);

  auto only_b = account_state("b");
  EXPECT_EQ(only_b["contacts"].Size(), 3u);
  EXPECT_FALSE(only_b.HasMember("accounts"));
  EXPECT_EQ(http().Get("/_control/state?account=nobody")->status, 404);

  auto log = parse(http().Get("/_control/requests")->body);
  EXPECT_EQ(str(log["requests"][0]["account"]), "default");
  EXPECT_EQ(str(log["requests"][1]["account"]), "b");
}

TEST_F(AccountsTest, ConfigTargetsOneAccount) {
  control("config", R"({"account":"b","token":"token-b2"})");
  EXPECT_EQ(get_as(kTokenB, "/rest/1/members/me")->status, 401);
  EXPECT_EQ(get_as("token-b2", "/rest/1/members/me")->status, 200);
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);  // the default account keeps its token

  auto conf = parse(http().Get("/_control/config?account=b")->body);
  EXPECT_EQ(str(conf["account"]), "b");
  EXPECT_EQ(str(conf["token"]), "token-b2");
  // A token can open one account only.
  auto res = http().Post("/_control/config", R"({"account":"b","token":"test-token"})", "application/json");
  EXPECT_EQ(res->status, 400);
  res = http().Post("/_control/config", R"({"account":"zed","latency_ms":1})", "application/json");
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(state()["config"]["latency_ms"].GetInt(), 0);  // nothing changed
}

TEST_F(AccountsTest, ResetRestoresEveryAccount) {
  contact_as(kTokenB, "first_name=B");
  folder_as(kTokenB, "X");
  control("config", R"({"account":"b","token":"token-b2"})");
  control("reset");
  auto sb = account_state("b");
  EXPECT_EQ(sb["contacts"].Size(), 0u);
  EXPECT_EQ(sb["folders"].Size(), 1u);
  EXPECT_EQ(sb["counters"]["requests_total"].GetInt(), 0);
  EXPECT_EQ(get_as(kTokenB, "/rest/1/members/me")->status, 200);  // the flag's token again
  EXPECT_EQ(contact_as(kToken, "first_name=A"), "30919237");      // ids start over
}

TEST_F(AccountsTest, FailNextCanTargetOneAccount) {
  control("fail_next", R"({"status":503,"account":"b"})");
  EXPECT_EQ(get("/rest/1/members/me")->status, 200);
  EXPECT_EQ(get_as(kTokenB, "/rest/1/members/me")->status, 503);
  EXPECT_EQ(get_as(kTokenB, "/rest/1/members/me")->status, 200);
}

TEST_F(AccountsTest, SimulatedCallsGoToTheOwningAccountsWebhook) {
  WebhookReceiver receiver;
  control("config", R"({"account_webhook_url":")" + receiver.url("/hook/default") + R"("})");
  control("config", R"({"account":"b","account_webhook_url":")" + receiver.url("/hook/b") + R"("})");
  const std::string folder_b = folder_as(kTokenB, "Sellers");
  contact_as(kTokenB, "first_name=B&phone=5550100001&category_id=" + folder_b);
  auto run = control("simulate_calls", R"({"folder_id":")" + folder_b + R"(","calls":2,"seed":3})");
  EXPECT_EQ(str(run["account"]), "b");
  EXPECT_EQ(str(run["calls"][0]["account"]), "b");
  auto hits = receiver.hits();
  ASSERT_EQ(hits.size(), 2u);
  for (const auto& h : hits) EXPECT_EQ(h.path, "/hook/b");
  // The caller is B's member.
  EXPECT_EQ(str(parse(hits[0].body)["agent"]["user_id"]), str(account_state("b")["member"]["user_id"]));

  // A dial session of B, also_account_webhook: B's hook again.
  auto res = http().Post("/rest/1/dialsession", bearer(kTokenB), R"({"contacts":[{"first_name":"D"}]})",
                         "application/json");
  const std::string ds = str(parse(res->body)["dialsessions"]["id"]);
  control("simulate_calls", R"({"dial_session_id":")" + ds + R"(","also_account_webhook":true})");
  hits = receiver.hits();
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[2].path, "/hook/b");

  // The default account's folder goes to its own hook.
  contact_as(kToken, "first_name=A&phone=5550100002");
  control("simulate_calls", R"({"folder_id":"47718","calls":1})");
  hits = receiver.hits();
  ASSERT_EQ(hits.size(), 4u);
  EXPECT_EQ(hits[3].path, "/hook/default");
}

TEST_F(AccountsTest, AnAccountWithoutWebhookIsA409EvenIfAnotherHasOne) {
  WebhookReceiver receiver;
  control("config", R"({"account_webhook_url":")" + receiver.url("/hook/default") + R"("})");
  const std::string folder_b = folder_as(kTokenB, "Sellers");
  contact_as(kTokenB, "first_name=B&category_id=" + folder_b);
  auto res =
      http().Post("/_control/simulate_calls", R"({"folder_id":")" + folder_b + R"("})", "application/json");
  EXPECT_EQ(res->status, 409);
  EXPECT_NE(res->body.find(R"(add \"account\":\"b\")"), std::string::npos) << res->body;
  EXPECT_TRUE(receiver.hits().empty());
}

}  // namespace
}  // namespace fake_pb::testing
