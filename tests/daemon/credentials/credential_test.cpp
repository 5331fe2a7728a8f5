// credentials/credential + name: what a credential file may hold, and which
// names a credential may have.
#include "credentials/credential.hpp"
#include "credentials/name.hpp"

#include <gtest/gtest.h>

namespace pgdialer::sync::testing {
namespace {

Credential parse_ok(const std::string& text) {
  Credential c;
  std::string error;
  EXPECT_TRUE(parse_credential(text, &c, &error)) << error;
  return c;
}

std::string parse_error(const std::string& text) {
  Credential c;
  std::string error;
  EXPECT_FALSE(parse_credential(text, &c, &error)) << text;
  return error;
}

TEST(CredentialName, FollowsTheAgreedAlphabet) {
  for (const std::string good : {"default", "a", "0", "alice", "rep-7.east_2"})
    EXPECT_TRUE(valid_credential_name(good)) << good;
  EXPECT_TRUE(valid_credential_name(std::string(63, 'x')));
  for (const std::string bad : {"", "Alice", ".hidden", "-x", "_x", "a/b", "..", "a b", "é", "a\n"})
    EXPECT_FALSE(valid_credential_name(bad)) << bad;
  EXPECT_FALSE(valid_credential_name(std::string(64, 'x')));
}

TEST(CredentialFile, ABareLineIsTheAccessToken) {
  Credential c = parse_ok("  pat-7f3c9a1e5b2d  \n");
  EXPECT_EQ(c.kind, Credential::Kind::token);
  EXPECT_EQ(c.access_token, "pat-7f3c9a1e5b2d");
  EXPECT_EQ(parse_ok("# alice's PAT\n\npat-1\n").access_token, "pat-1");
  // base64 padding is not a key=value line
  EXPECT_EQ(parse_ok("dG9rZW4=\n").access_token, "dG9rZW4=");
}

TEST(CredentialFile, AccessTokenKeyIsAPersonalAccessToken) {
  Credential c = parse_ok("# comment\naccess_token = pat-2\n");
  EXPECT_EQ(c.kind, Credential::Kind::token);
  EXPECT_EQ(c.access_token, "pat-2");
}

TEST(CredentialFile, ClientIdSecretAndRefreshTokenAreOAuth) {
  Credential c =
      parse_ok("client_id=cid\nclient_secret=s3cr=t\n\n# rotated by the daemon\nrefresh_token=rt-1\n");
  EXPECT_EQ(c.kind, Credential::Kind::oauth);
  EXPECT_EQ(c.client_id, "cid");
  EXPECT_EQ(c.client_secret, "s3cr=t");
  EXPECT_EQ(c.refresh_token, "rt-1");
  EXPECT_TRUE(c.access_token.empty());
}

TEST(CredentialFile, MistakesAreRefusedWithoutEchoingValues) {
  EXPECT_EQ(parse_error(""), "is empty");
  EXPECT_EQ(parse_error("# only a comment\n\n"), "is empty");
  EXPECT_NE(parse_error("tok-one\ntok-two\n").find("holds 2 lines"), std::string::npos);
  EXPECT_NE(parse_error("client_id=cid\nclient_secret=topsecret\n").find("needs refresh_token"),
            std::string::npos);
  EXPECT_NE(parse_error("access_token=a\nclient_id=b\n").find("either access_token"), std::string::npos);
  const std::string unknown = parse_error("client_id=cid\npassword=hunter2\n");
  EXPECT_NE(unknown.find("line 2: unknown key \"password\""), std::string::npos) << unknown;
  EXPECT_EQ(unknown.find("hunter2"), std::string::npos);
  EXPECT_NE(parse_error("access_token=\n").find("access_token is empty"), std::string::npos);
  EXPECT_NE(parse_error("access_token=a\naccess_token=b\n").find("given twice"), std::string::npos);
  EXPECT_NE(parse_error("access_token=a b\n").find("white space"), std::string::npos);
  const std::string secret = parse_error("client_id=x\nclient_secret=topsecret\nrefresh_token=\n");
  EXPECT_EQ(secret.find("topsecret"), std::string::npos) << secret;
}

}  // namespace
}  // namespace pgdialer::sync::testing
