// An OAuth2 account end to end against the fake PhoneBurner: the client gets
// its access token from the fake's /oauth/refreshtoken, mends an access
// token the fake expired (40109) with one refresh, and a restart carries on
// with the rotated refresh token the store kept, which the credential file's
// first one no longer is. Two accounts' objects stay apart.
#include "credentials/refresh_token_store.hpp"
#include "phoneburner/client_fixture.hpp"
#include "phoneburner/oauth_token_source.hpp"
#include "webhook/test_support.hpp"  // TempDir

namespace pgdialer::sync::testing {
namespace {

constexpr const char* kClientId = "client-bob";
constexpr const char* kClientSecret = "secret-bob-9d2e";
constexpr const char* kFirstRefresh = "refresh-bob-0";

class FakeOAuthTest : public FakeClientTest {
 protected:
  void SetUp() override {
    fake_pb::ServerOptions options;
    options.api.token = kToken;
    options.api.request_log_size = 5000;
    options.api.accounts.push_back(fake_pb::AccountOptions{
        "bob", {}, fake_pb::OAuthCredentials{kClientId, kClientSecret, kFirstRefresh}, {}});
    server_ = std::make_unique<fake_pb::Server>(options);
    server_->start();
  }

  std::shared_ptr<OAuthTokenSource> bob_tokens(const RefreshTokenStore* store) {
    OAuthOptions oauth;
    oauth.oauth_url = server_->base_url() + "/oauth";
    return std::make_shared<OAuthTokenSource>(
        "bob", oauth, OAuthCredentials{kClientId, kClientSecret, kFirstRefresh}, store);
  }
  std::unique_ptr<PhoneBurnerClient> bob_client(std::shared_ptr<TokenSource> tokens) {
    ClientOptions o = options();
    o.token.clear();
    o.token_source = std::move(tokens);
    return client(o);
  }

  TempDir temp;
};

TEST_F(FakeOAuthTest, AnExpiredAccessTokenIsRefreshedOnceAndTheRequestSentAgain) {
  RefreshTokenStore store(temp.file("oauth"));
  auto bob = bob_client(bob_tokens(&store));
  Folder folder;
  ASSERT_TRUE(bob->create_folder("Bob's calls", "", &folder).ok());

  control("POST", "oauth/expire", R"({"account":"bob"})");
  mark();
  std::vector<Folder> folders;
  Result r = bob->list_folders(&folders);
  ASSERT_TRUE(r.ok()) << r.message;
  auto holds = [&](const std::vector<Folder>& list) {
    for (const Folder& f : list)
      if (f.id == folder.id) return true;
    return false;
  };
  EXPECT_TRUE(holds(folders));
  EXPECT_EQ(request_statuses("GET", "/rest/1/folders"), (std::vector<std::string>{"401", "200"}));
  EXPECT_EQ(count_requests("POST", "/oauth/refreshtoken"), 1);

  // The default account (a personal token) sees none of bob's folders.
  std::vector<Folder> defaults;
  ASSERT_TRUE(client()->list_folders(&defaults).ok());
  EXPECT_FALSE(holds(defaults));
}

TEST_F(FakeOAuthTest, ARestartUsesTheSavedRefreshTokenNotTheFilesSpentOne) {
  RefreshTokenStore store(temp.file("oauth"));
  std::string member;
  ASSERT_TRUE(bob_client(bob_tokens(&store))->check_token(&member).ok());
  ASSERT_TRUE(store.load("bob", kFirstRefresh).has_value());

  // Without the saved token, the file's (rotated away) is refused for good.
  Result spent = bob_client(bob_tokens(nullptr))->check_token(&member);
  EXPECT_EQ(spent.failure, Failure::auth);
  EXPECT_NE(spent.message.find("credential \"bob\""), std::string::npos) << spent.message;
  EXPECT_EQ(spent.message.find(kClientSecret), std::string::npos) << spent.message;

  Result restarted = bob_client(bob_tokens(&store))->check_token(&member);
  EXPECT_TRUE(restarted.ok()) << restarted.message;
}

}  // namespace
}  // namespace pgdialer::sync::testing
