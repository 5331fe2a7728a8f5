// webhook/token: the URL tokens are plain HMAC-SHA256, so anyone holding the
// secret (the fake, an admin's shell) can compute the same value.
#include "webhook/token.hpp"

#include <gtest/gtest.h>

#include <cctype>

namespace pgdialer::sync {
namespace {

TEST(HmacSha256Hex, MatchesRfc4231TestCase2) {
  // RFC 4231, test case 2: key "Jefe".
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Hex, IsLowercaseHexOf32Bytes) {
  const std::string t = hmac_sha256_hex("0123456789abcdef-secret", "42");
  EXPECT_EQ(t.size(), 64u);
  EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos) << t;
}

TEST(SessionToken, IsTheHmacOfTheDecimalSessionId) {
  const std::string secret = "a-secret-of-at-least-16-bytes";
  EXPECT_EQ(session_token(secret, 42), hmac_sha256_hex(secret, "42"));
  EXPECT_NE(session_token(secret, 42), session_token(secret, 43));
  EXPECT_NE(session_token(secret, 42), session_token("another-secret-16-bytes", 42));
}

TEST(AccountToken, IsTheHmacOfTheWordAccount) {
  const std::string secret = "a-secret-of-at-least-16-bytes";
  EXPECT_EQ(account_token(secret), hmac_sha256_hex(secret, "account"));
  EXPECT_NE(account_token(secret), session_token(secret, 0));
}

TEST(TokenMatches, AcceptsOnlyTheExactToken) {
  const std::string good = session_token("a-secret-of-at-least-16-bytes", 7);
  EXPECT_TRUE(token_matches(good, good));
  std::string flipped = good;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_FALSE(token_matches(good, flipped));
  EXPECT_FALSE(token_matches(good, good.substr(0, 63)));
  EXPECT_FALSE(token_matches(good, good + "0"));
  EXPECT_FALSE(token_matches(good, ""));
  EXPECT_FALSE(token_matches("", ""));  // no secret configured never matches
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != good) {
    EXPECT_FALSE(token_matches(good, upper));  // the tokens are lowercase hex
  }
}

}  // namespace
}  // namespace pgdialer::sync
