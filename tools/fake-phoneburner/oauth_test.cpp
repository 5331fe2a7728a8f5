// The OAuth2 endpoints over real HTTP: refresh with rotation (the used
// refresh token is refused afterwards) or without, wrong client or secret
// refused, access tokens expiring into 40109 "Expired oauth token" (by TTL
// and by POST /_control/oauth/expire) and a refresh mending it, the
// authorization-code flow, counters, and secrets kept out of the request log.
#include "test_support.hpp"

#include <chrono>
#include <thread>

namespace fake_pb::testing {
namespace {

constexpr const char* kClientId = "client-o";
constexpr const char* kSecret = "secret-o";
constexpr const char* kRefresh0 = "refresh-o-0";

class OAuthTest : public FakeServerTest {
 protected:
  void SetUp() override { start_with(Knobs{}); }

  void start_with(Knobs knobs) {
    ApiOptions options{kToken, knobs, 1000, {}};
    options.accounts.push_back(AccountOptions{"o", {}, OAuthCredentials{kClientId, kSecret, kRefresh0}, {}});
    start(options);
  }

  httplib::Result refresh_raw(const std::string& refresh_token, const std::string& secret = kSecret,
                              const std::string& path = "/oauth/refreshtoken") {
    return http().Post(path,
                       "grant_type=refresh_token&client_id=" + std::string(kClientId) +
                           "&client_secret=" + secret + "&refresh_token=" + refresh_token,
                       "application/x-www-form-urlencoded");
  }
  // A successful refresh: {access_token, refresh_token, expires_in, token_type}.
  rapidjson::Document refresh(const std::string& refresh_token) {
    auto res = refresh_raw(refresh_token);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return parse(res ? res->body : "{}");
  }
  httplib::Result me(const std::string& access_token) {
    return http().Get("/rest/1/members/me", {{"Authorization", "Bearer " + access_token}});
  }
  rapidjson::Document oauth_state() {
    auto res = http().Get("/_control/state?account=o");
    EXPECT_TRUE(res && res->status == 200);
    auto doc = parse(res ? res->body : "{}");
    rapidjson::Document out;
    out.CopyFrom(doc["oauth"], out.GetAllocator());
    return out;
  }
  static int debug_code(const std::string& body) { return parse(body)["debug_codes"][0]["code"].GetInt(); }
};

TEST_F(OAuthTest, RefreshRotatesTheRefreshToken) {
  EXPECT_EQ(me(kRefresh0)->status, 401);  // a refresh token is no access token
  auto t1 = refresh(kRefresh0);
  EXPECT_EQ(str(t1["token_type"]), "bearer");
  EXPECT_EQ(t1["expires_in"].GetInt(), 3600);
  const std::string access1 = str(t1["access_token"]);
  const std::string refresh1 = str(t1["refresh_token"]);
  EXPECT_NE(refresh1, kRefresh0);
  auto res = me(access1);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(str(parse(res->body)["members"]["members"]["username"]), "o.agent");

  res = refresh_raw(kRefresh0);  // spent by the rotation
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(str(parse(res->body)["error"]), "invalid_grant");
  auto t2 = refresh(refresh1);
  EXPECT_NE(str(t2["refresh_token"]), refresh1);
  EXPECT_NE(str(t2["access_token"]), access1);
  EXPECT_EQ(me(access1)->status, 200);  // an earlier access token lives out its TTL

  auto st = oauth_state();
  EXPECT_EQ(str(st["client_id"]), kClientId);
  EXPECT_EQ(st["refreshes"].GetInt(), 2);
  EXPECT_EQ(st["refused"].GetInt(), 1);
  EXPECT_EQ(st["live_access_tokens"].GetInt(), 2);
  EXPECT_EQ(st["refresh_tokens"].GetInt(), 1);
}

TEST_F(OAuthTest, WithoutRotationTheSameRefreshTokenComesBack) {
  control("config", R"({"oauth_rotate_refresh_tokens":0,"oauth_access_ttl_s":120})");
  auto t1 = refresh(kRefresh0);
  EXPECT_EQ(str(t1["refresh_token"]), kRefresh0);
  EXPECT_EQ(t1["expires_in"].GetInt(), 120);
  auto t2 = refresh(kRefresh0);
  EXPECT_EQ(str(t2["refresh_token"]), kRefresh0);
}

TEST_F(OAuthTest, WrongClientSecretOrGrantIsRefused) {
  auto res = refresh_raw(kRefresh0, "wrong");
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(str(parse(res->body)["error"]), "invalid_client");
  res = http().Post(
      "/oauth/refreshtoken",
      "grant_type=refresh_token&client_id=nobody&client_secret=x&refresh_token=" + std::string(kRefresh0),
      "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 401);
  res = http().Post("/oauth/refreshtoken", "grant_type=password&client_id=client-o",
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(str(parse(res->body)["error"]), "unsupported_grant_type");
  EXPECT_EQ(oauth_state()["refused"].GetInt(), 1);  // the wrong secret; the others named no client of o
  refresh(kRefresh0);                               // the refused attempts spent nothing
}

TEST_F(OAuthTest, ExpiredAccessTokenIs40109UntilRefreshed) {
  control("config", R"({"oauth_access_ttl_s":1})");
  auto t1 = refresh(kRefresh0);
  EXPECT_EQ(me(str(t1["access_token"]))->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto res = me(str(t1["access_token"]));
  ASSERT_EQ(res->status, 401);
  EXPECT_EQ(debug_code(res->body), 40109);
  EXPECT_EQ(str(parse(res->body)["debug_codes"][0]["reason"]), "Expired oauth token");
  auto t2 = refresh(str(t1["refresh_token"]));
  EXPECT_EQ(me(str(t2["access_token"]))->status, 200);
  EXPECT_EQ(oauth_state()["expired_rejections"].GetInt(), 1);
  // An unknown token is not "expired": nothing to refresh for.
  EXPECT_EQ(debug_code(me("never-issued")->body), 40103);
}

TEST_F(OAuthTest, ControlExpireEndsLiveAccessTokensNow) {
  auto t1 = refresh(kRefresh0);
  auto done = control("oauth/expire", R"({"account":"o"})");
  EXPECT_EQ(done["expired"].GetInt(), 1);
  auto res = me(str(t1["access_token"]));
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(debug_code(res->body), 40109);
  EXPECT_EQ(me(str(refresh(str(t1["refresh_token"]))["access_token"]))->status, 200);

  EXPECT_EQ(http().Post("/_control/oauth/expire", R"({"account":"zed"})", "application/json")->status, 404);
  EXPECT_EQ(http().Post("/_control/oauth/expire", R"({"account":"default"})", "application/json")->status,
            409);  // a token account
}

TEST_F(OAuthTest, AuthorizationCodeFlow) {
  for (const char* page : {"/oauth/authorize", "/oauth/index"}) {
    auto res = http().Get(std::string(page) + "?client_id=client-o&redirect_uri=" +
                          "http%3A%2F%2F127.0.0.1%3A9%2Fcb%3Fx%3D1&state=st%201");
    ASSERT_EQ(res->status, 302) << page;
    const std::string location = res->get_header_value("Location");
    const std::string prefix = "http://127.0.0.1:9/cb?x=1&code=";
    ASSERT_EQ(location.compare(0, prefix.size(), prefix), 0) << location;
    const size_t amp = location.find('&', prefix.size());
    ASSERT_NE(amp, std::string::npos);
    // Sent as "st%201"; httplib's client hands the header over decoded.
    EXPECT_EQ(url_decode(location.substr(amp)), "&state=st 1");
    const std::string code = location.substr(prefix.size(), amp - prefix.size());

    const std::string form =
        "grant_type=authorization_code&client_id=client-o&client_secret=secret-o&code=" + code +
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb";
    auto grant = http().Post("/oauth/accesstoken", form, "application/x-www-form-urlencoded");
    ASSERT_EQ(grant->status, 200) << grant->body;
    auto tokens = parse(grant->body);
    EXPECT_EQ(me(str(tokens["access_token"]))->status, 200);
    // The code is one-time; the new grant's refresh token works beside the
    // first one, and /oauth/accesstoken refreshes too.
    EXPECT_EQ(http().Post("/oauth/accesstoken", form, "application/x-www-form-urlencoded")->status, 401);
    EXPECT_EQ(refresh_raw(str(tokens["refresh_token"]), kSecret, "/oauth/accesstoken")->status, 200);
  }
  EXPECT_EQ(oauth_state()["grants"].GetInt(), 2);
  refresh(kRefresh0);
  EXPECT_EQ(http().Get("/oauth/authorize?client_id=nobody&redirect_uri=http%3A%2F%2Fx")->status, 400);
  EXPECT_EQ(http().Get("/oauth/authorize?client_id=client-o")->status, 400);  // no redirect_uri
  // /oauth/refreshtoken takes refresh tokens only.
  EXPECT_EQ(http()
                .Post("/oauth/refreshtoken", "grant_type=authorization_code&client_id=client-o",
                      "application/x-www-form-urlencoded")
                ->status,
            400);
}

TEST_F(OAuthTest, AccessTokenSeesOnlyItsAccount) {
  const std::string theirs = create_contact("first_name=Default");
  const std::string access = str(refresh(kRefresh0)["access_token"]);
  EXPECT_EQ(http().Get("/rest/1/contacts/" + theirs, {{"Authorization", "Bearer " + access}})->status, 404);
  auto res = http().Post("/rest/1/contacts", {{"Authorization", "Bearer " + access}}, "first_name=O",
                         "application/x-www-form-urlencoded");
  ASSERT_EQ(res->status, 201);
  EXPECT_EQ(state()["accounts"]["o"]["contacts"].Size(), 1u);
  EXPECT_EQ(state()["contacts"].Size(), 1u);
}

TEST_F(OAuthTest, SecretsStayOutOfTheRequestLog) {
  refresh(kRefresh0);
  auto log = parse(http().Get("/_control/requests")->body);
  ASSERT_EQ(log["requests"].Size(), 1u);
  const auto& r = log["requests"][0];
  EXPECT_EQ(str(r["route"]), "POST /oauth/refreshtoken");
  EXPECT_EQ(str(r["account"]), "o");
  EXPECT_EQ(r["status"].GetInt(), 200);
  const std::string body = str(r["body"]);
  EXPECT_NE(body.find("client_id=client-o"), std::string::npos) << body;
  EXPECT_EQ(body.find(kSecret), std::string::npos) << body;
  EXPECT_EQ(body.find(kRefresh0), std::string::npos) << body;
  EXPECT_EQ(to_json(state()).find(kSecret), std::string::npos);
}

TEST_F(OAuthTest, ADroppedRotatingRefreshSpendsTheOldToken) {
  // A plain rule still hits the next REST call, not the refresh.
  control("fail_next", R"({"status":503})");
  control("fail_next", R"({"path":"/oauth/refreshtoken","drop_after_write":true})");
  EXPECT_FALSE(refresh_raw(kRefresh0));            // connection closed, no answer
  EXPECT_EQ(refresh_raw(kRefresh0)->status, 401);  // yet the rotation happened
  EXPECT_EQ(get("/rest/1/members/me")->status, 503);
  EXPECT_EQ(oauth_state()["refreshes"].GetInt(), 1);
}

TEST_F(OAuthTest, ResetRestoresTheFlagsRefreshToken) {
  refresh(kRefresh0);
  control("reset");
  auto st = oauth_state();
  EXPECT_EQ(st["refreshes"].GetInt(), 0);
  EXPECT_EQ(st["live_access_tokens"].GetInt(), 0);
  refresh(kRefresh0);
}

}  // namespace
}  // namespace fake_pb::testing
