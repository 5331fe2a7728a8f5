// fake-phoneburner's command line.
#include "options.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fake_pb {
namespace {

Options parse(std::vector<const char*> args, const char* env = nullptr) {
  args.insert(args.begin(), "fake-phoneburner");
  return parse_options(static_cast<int>(args.size()), args.data(), env);
}

TEST(Options, FlagsAndKnobs) {
  const Options o =
      parse({"--token", "t", "--listen=127.0.0.1:8089", "--error-rate", "0.25", "--retry-after-s=5",
             "--dialsession-delay-ms-per-contact", "50", "--state-file", "/tmp/s.json", "--seed", "9"});
  EXPECT_EQ(o.server.api.token, "t");
  EXPECT_EQ(o.server.host, "127.0.0.1");
  EXPECT_EQ(o.server.port, 8089);
  EXPECT_DOUBLE_EQ(o.server.api.knobs.error_rate, 0.25);
  EXPECT_EQ(o.server.api.knobs.retry_after_s, 5);
  EXPECT_EQ(o.server.api.knobs.dialsession_delay_ms_per_contact, 50);
  EXPECT_EQ(o.server.api.knobs.seed, 9u);
  EXPECT_EQ(o.state_file, "/tmp/s.json");
}

TEST(Options, TokenFromEnvironmentAndDefaults) {
  const Options o = parse({}, "env-token");
  EXPECT_EQ(o.server.api.token, "env-token");
  EXPECT_EQ(o.server.host, "127.0.0.1");
  EXPECT_EQ(o.server.port, 0);
  EXPECT_EQ(parse({"--token", "flag"}, "env").server.api.token, "flag");
}

TEST(Options, AccountWebhookUrlMustBeLoopbackHttp) {
  const char* url = "http://127.0.0.1:8787/phoneburner/account?s=abc";
  EXPECT_EQ(parse({"--token", "t", "--account-webhook-url", url}).server.api.account_webhook_url, url);
  EXPECT_THROW(parse({"--token", "t", "--account-webhook-url", "http://10.0.0.5/h"}), UsageError);
  EXPECT_THROW(parse({"--token", "t", "--account-webhook-url", "https://localhost/h"}), UsageError);
}

TEST(Options, Accounts) {
  const Options o =
      parse({"--token", "t", "--account", "b=tb", "--oauth-account=o=cid:sec:ret:ry", "--account",
             "default=t2", "--oauth-access-ttl-s", "60", "--oauth-rotate-refresh-tokens", "0"});
  EXPECT_EQ(o.server.api.token, "t2");
  ASSERT_EQ(o.server.api.accounts.size(), 2u);
  EXPECT_EQ(o.server.api.accounts[0].name, "b");
  EXPECT_EQ(o.server.api.accounts[0].token, "tb");
  ASSERT_TRUE(o.server.api.accounts[1].oauth);
  EXPECT_EQ(o.server.api.accounts[1].oauth->client_id, "cid");
  EXPECT_EQ(o.server.api.accounts[1].oauth->client_secret, "sec");
  EXPECT_EQ(o.server.api.accounts[1].oauth->refresh_token, "ret:ry");
  EXPECT_EQ(o.server.api.knobs.oauth_access_ttl_s, 60);
  EXPECT_EQ(o.server.api.knobs.oauth_rotate_refresh_tokens, 0);
  // The default account may be an OAuth account alone.
  EXPECT_TRUE(parse({"--oauth-account", "default=c:s:r"}).server.api.token.empty());

  EXPECT_THROW(parse({"--token", "t", "--account", "B=x"}), UsageError);  // names are lowercase
  EXPECT_THROW(parse({"--token", "t", "--account", "b"}), UsageError);
  EXPECT_THROW(parse({"--token", "t", "--account", "b=t"}), UsageError);  // token of default
  EXPECT_THROW(parse({"--token", "t", "--account", "b=x", "--account", "b=y"}), UsageError);
  EXPECT_THROW(parse({"--token", "t", "--oauth-account", "o=cid:sec"}), UsageError);
  EXPECT_THROW(parse({"--token", "t", "--oauth-account", "o=c:s:r", "--oauth-account", "p=c:s2:r2"}),
               UsageError);                               // one client id, two accounts
  EXPECT_THROW(parse({"--account", "b=x"}), UsageError);  // no default account
  EXPECT_THROW(parse({"--token", "t", "--oauth-access-ttl-s", "0"}), UsageError);
}

TEST(Options, Errors) {
  EXPECT_THROW(parse({}), UsageError);  // no token
  EXPECT_THROW(parse({"--token", "t", "--listen", "0.0.0.0:80"}), UsageError);
  EXPECT_THROW(parse({"--token", "t", "--listen", "127.0.0.1"}), UsageError);
  EXPECT_THROW(parse({"--token", "t", "--error-rate", "1.5"}), UsageError);
  EXPECT_THROW(parse({"--token", "t", "--frobnicate", "1"}), UsageError);
  EXPECT_THROW(parse({"--token"}), UsageError);
  EXPECT_TRUE(parse({"--help"}).help);
}

}  // namespace
}  // namespace fake_pb
