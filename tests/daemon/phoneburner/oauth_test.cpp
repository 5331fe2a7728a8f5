// OAuth2 credentials: phoneburner/oauth_client (the refresh request),
// phoneburner/oauth_token_source (cache, refresh ahead of expiry, rotation
// saved and restored) and the client's one refresh-and-retry on a 401 with
// debug code 40109, against a small PhoneBurner stand-in on loopback whose
// every answer the test scripts.
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "credentials/refresh_token_store.hpp"
#include "phoneburner/client.hpp"
#include "phoneburner/oauth_client.hpp"
#include "phoneburner/oauth_token_source.hpp"
#include "webhook/test_support.hpp"  // TempDir, read_file

namespace pgdialer::sync::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kClientId = "client-77";
constexpr const char* kClientSecret = "client-secret-5e1f";

// POST /oauth/refreshtoken and GET /rest/1/members/me, scripted.
class OAuthServer {
 public:
  OAuthServer() {
    // One request per connection: stop() then needs no keep-alive timeout.
    server_.set_keep_alive_max_count(1);
    server_.Post("/oauth/refreshtoken", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++refreshes;
      last_form = req.body;
      if (refresh_status != 200) {
        res.status = refresh_status;
        res.set_content(R"({"error":"invalid_grant","error_description":"refresh token not valid"})",
                        "application/json");
        return;
      }
      if (req.get_param_value("grant_type") != "refresh_token" ||
          req.get_param_value("client_id") != kClientId ||
          req.get_param_value("client_secret") != kClientSecret ||
          req.get_param_value("refresh_token") != refresh_token) {
        res.status = 401;
        res.set_content(R"({"error":"invalid_client"})", "application/json");
        return;
      }
      access_token = "at-" + std::to_string(refreshes);
      std::string body = R"({"access_token":")" + access_token + R"(","token_type":"bearer","expires_in":)" +
                         std::to_string(expires_in);
      if (rotate) {
        refresh_token = "rt-" + std::to_string(refreshes + 1);
        body += R"(,"refresh_token":")" + refresh_token + "\"";
      }
      res.set_content(body + "}", "application/json");
    });
    server_.Get("/rest/1/members/me", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++member_requests;
      const std::string auth = req.get_header_value("Authorization");
      if (always_expired || (expired && auth == "Bearer " + access_token)) {
        expired = false;
        res.status = 401;
        res.set_content(
            R"({"http_status":401,"status":"error","debug_codes":[{"code":40109,"reason":"Expired oauth token"}]})",
            "application/json");
        return;
      }
      if (auth != "Bearer " + access_token) {
        res.status = 401;
        res.set_content(
            R"({"http_status":401,"status":"error","debug_codes":[{"code":40101,"reason":"Invalid access token"}]})",
            "application/json");
        return;
      }
      res.set_content(R"({"http_status":200,"status":"success","members":{"members":{"user_id":"9001"}}})",
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening already: connections queue until the thread accepts.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~OAuthServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Scripted state (guarded by mutex_ while the server runs a handler).
  std::mutex mutex_;
  int refreshes = 0;
  int member_requests = 0;
  int refresh_status = 200;
  bool rotate = true;
  long expires_in = 3600;
  bool expired = false;         // the current access token gets one 40109
  bool always_expired = false;  // every request gets 40109
  std::string refresh_token = "rt-1";
  std::string access_token = "none-yet";
  std::string last_form;

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

class OAuthTest : public ::testing::Test {
 protected:
  OAuthOptions oauth() const {
    OAuthOptions o;
    o.oauth_url = server.url() + "/oauth";
    o.timeout = std::chrono::milliseconds(5000);
    return o;
  }
  OAuthCredentials credentials(const std::string& refresh_token = "rt-1") const {
    return {kClientId, kClientSecret, refresh_token};
  }
  std::shared_ptr<OAuthTokenSource> source(const RefreshTokenStore* store = nullptr,
                                           const std::string& refresh_token = "rt-1") {
    return std::make_shared<OAuthTokenSource>("alice", oauth(), credentials(refresh_token), store,
                                              [this] { return now; });
  }
  std::unique_ptr<PhoneBurnerClient> client(std::shared_ptr<TokenSource> tokens) {
    ClientOptions o;
    o.base_url = server.url() + "/rest/1";
    o.token_source = std::move(tokens);
    o.requests_per_second = 0;
    o.max_retries = 2;
    o.backoff_base = std::chrono::milliseconds(1);
    return std::make_unique<PhoneBurnerClient>(o);
  }

  OAuthServer server;
  TempDir temp;
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
};

TEST(OAuthRefreshLead, IsFiveMinutesOrHalfTheLifetime) {
  EXPECT_EQ(OAuthTokenSource::refresh_lead(seconds(3600)), seconds(300));
  EXPECT_EQ(OAuthTokenSource::refresh_lead(seconds(600)), seconds(300));
  EXPECT_EQ(OAuthTokenSource::refresh_lead(seconds(120)), seconds(60));
}

TEST_F(OAuthTest, TheRefreshRequestIsTheAgreedForm) {
  OAuthGrant grant;
  Result r = refresh_oauth_token(oauth(), credentials(), &grant);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(server.last_form, std::string("grant_type=refresh_token&client_id=") + kClientId +
                                  "&client_secret=" + kClientSecret + "&refresh_token=rt-1");
  EXPECT_EQ(grant.access_token, "at-1");
  EXPECT_EQ(grant.refresh_token, "rt-2");
  EXPECT_EQ(grant.expires_in, seconds(3600));
}

TEST_F(OAuthTest, AnAccessTokenIsCachedAndRefreshedAheadOfItsExpiry) {
  auto tokens = source();
  EXPECT_EQ(tokens->token().token, "at-1");
  now += seconds(3299);
  EXPECT_EQ(tokens->token().token, "at-1");
  EXPECT_EQ(server.refreshes, 1);
  now += seconds(1);  // 300 s before the hour is up
  EXPECT_EQ(tokens->token().token, "at-2");
  EXPECT_EQ(server.refreshes, 2);
  EXPECT_EQ(server.refresh_token, "rt-3") << "each refresh used the newest refresh token";
}

TEST_F(OAuthTest, AShortLifetimeIsRefreshedAtHalfOfIt) {
  server.expires_in = 60;
  auto tokens = source();
  tokens->token();
  now += seconds(29);
  tokens->token();
  EXPECT_EQ(server.refreshes, 1);
  now += seconds(1);
  tokens->token();
  EXPECT_EQ(server.refreshes, 2);
}

TEST_F(OAuthTest, TheNewestRefreshTokenSurvivesARestart) {
  RefreshTokenStore store(temp.file("journal/oauth"));
  source(&store)->token();  // rt-1 -> rt-2, saved
  EXPECT_EQ(store.load("alice", "rt-1"), "rt-2");
  EXPECT_EQ(read_file(temp.file("journal/oauth/alice")).find("rt-1"), std::string::npos);
  // A restart: the file still says rt-1, which PhoneBurner no longer takes.
  auto restarted = source(&store);
  TokenResult t = restarted->token();
  ASSERT_TRUE(t.ok()) << t.message;
  EXPECT_NE(server.last_form.find("refresh_token=rt-2"), std::string::npos) << server.last_form;
  EXPECT_EQ(store.load("alice", "rt-1"), "rt-3");
}

TEST_F(OAuthTest, ARefreshTokenPutInTheCredentialFileWins) {
  RefreshTokenStore store(temp.file("oauth"));
  store.save("alice", "rt-old", "rt-saved");
  server.refresh_token = "rt-new";  // an admin re-authorized and wrote rt-new into the file
  TokenResult t = source(&store, "rt-new")->token();
  ASSERT_TRUE(t.ok()) << t.message;
  EXPECT_NE(server.last_form.find("refresh_token=rt-new"), std::string::npos);
  EXPECT_EQ(store.load("alice", "rt-new"), server.refresh_token);
  EXPECT_FALSE(store.load("alice", "rt-old").has_value());
}

TEST_F(OAuthTest, AKeptRefreshTokenIsNotRewritten) {
  server.rotate = false;
  RefreshTokenStore store(temp.file("oauth"));
  auto tokens = source(&store);
  ASSERT_TRUE(tokens->token().ok());
  EXPECT_FALSE(std::filesystem::exists(temp.file("oauth/alice")));
}

TEST_F(OAuthTest, ARefusedRefreshIsAnAuthFailureNamingTheCredentialNotTheSecrets) {
  server.refresh_token = "rt-revoked";
  TokenResult t = source()->token();
  EXPECT_EQ(t.failure, Failure::auth);
  EXPECT_NE(t.message.find("credential \"alice\""), std::string::npos) << t.message;
  EXPECT_NE(t.message.find("HTTP 401"), std::string::npos) << t.message;
  EXPECT_EQ(t.message.find(kClientSecret), std::string::npos) << t.message;
  EXPECT_EQ(t.message.find("rt-1"), std::string::npos) << t.message;
  server.refresh_status = 400;
  EXPECT_EQ(source()->token().failure, Failure::auth);
}

TEST_F(OAuthTest, AnUnavailableTokenEndpointIsRetryable) {
  server.refresh_status = 503;
  EXPECT_EQ(source()->token().failure, Failure::retryable);
}

TEST_F(OAuthTest, TheClientSendsTheAccessTokenAndRefreshesOnceWhenItExpired) {
  auto tokens = source();
  auto pb = client(tokens);
  std::string member;
  ASSERT_TRUE(pb->check_token(&member).ok());
  EXPECT_EQ(member, "9001");
  EXPECT_EQ(server.refreshes, 1);

  server.expired = true;  // PhoneBurner expired it early: 401 with 40109
  Result r = pb->check_token(&member);
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(server.refreshes, 2);
  EXPECT_EQ(server.member_requests, 3) << "the expired request and its one retry";
}

TEST_F(OAuthTest, AnAccessTokenThatStaysExpiredIsRefreshedOnlyOnce) {
  auto pb = client(source());
  server.always_expired = true;
  std::string member;
  Result r = pb->check_token(&member);
  EXPECT_EQ(r.failure, Failure::auth);
  EXPECT_EQ(r.http_status, 401);
  EXPECT_EQ(server.refreshes, 2) << "the first token, then one refresh after the 40109";
  EXPECT_EQ(server.member_requests, 2);
}

TEST_F(OAuthTest, AnExpiredTokenWhoseRefreshIsRefusedFailsAsAuth) {
  auto pb = client(source());
  std::string member;
  ASSERT_TRUE(pb->check_token(&member).ok());
  server.expired = true;
  server.refresh_status = 401;
  Result r = pb->check_token(&member);
  EXPECT_EQ(r.failure, Failure::auth);
  EXPECT_NE(r.message.find("credential \"alice\""), std::string::npos) << r.message;
  EXPECT_EQ(server.member_requests, 2);
}

TEST_F(OAuthTest, OtherRefusalsAndPersonalTokensAreNotRefreshed) {
  // A personal access token PhoneBurner calls expired: nothing to refresh.
  auto pat = client(std::make_shared<StaticTokenSource>("pat-1"));
  server.always_expired = true;
  std::string member;
  EXPECT_EQ(pat->check_token(&member).failure, Failure::auth);
  EXPECT_EQ(server.refreshes, 0);
  EXPECT_EQ(server.member_requests, 1);
  // An invalid (not expired) token: refused without a refresh.
  server.always_expired = false;
  auto pb = client(source());
  ASSERT_TRUE(pb->check_token(&member).ok());
  server.access_token = "revoked";
  EXPECT_EQ(pb->check_token(&member).failure, Failure::auth);
  EXPECT_EQ(server.refreshes, 1);
}

TEST_F(OAuthTest, ATokenEndpointThatIsDownIsRetriedByTheClientsBackoff) {
  server.refresh_status = 503;
  auto pb = client(source());
  std::string member;
  Result r = pb->check_token(&member);
  EXPECT_EQ(r.failure, Failure::retryable);
  EXPECT_EQ(server.refreshes, 3) << "max_retries = 2";
  EXPECT_EQ(server.member_requests, 0) << "no request goes out without a token";
}

}  // namespace
}  // namespace pgdialer::sync::testing
