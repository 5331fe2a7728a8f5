// Which webhook URLs the fake is willing to call: http:// on loopback only.
#include "webhook_delivery.hpp"

#include <gtest/gtest.h>

namespace fake_pb {
namespace {

TEST(WebhookUrl, LoopbackHttpIsSplitIntoHostPortAndTarget) {
  WebhookUrl u;
  std::string error;
  ASSERT_TRUE(parse_loopback_url("http://127.0.0.1:8787/phoneburner/session/42?s=ab12", u, error));
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 8787);
  EXPECT_EQ(u.target, "/phoneburner/session/42?s=ab12");
  EXPECT_TRUE(error.empty());
  ASSERT_TRUE(parse_loopback_url("http://localhost?s=x#frag", u, error));
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.target, "/?s=x");
  ASSERT_TRUE(parse_loopback_url("http://[::1]:9/h", u, error));
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 9);
}

TEST(WebhookUrl, EverythingElseIsRefusedWithTheUrlInTheError) {
  for (const char* url :
       {"https://127.0.0.1/h", "http://10.1.2.3/h", "http://example.com/h", "ftp://localhost/",
        "http://127.0.0.1:0/h", "http://127.0.0.1:99999/h", "http://user@127.0.0.1/h",
        "http://localhost.example.com/h", "127.0.0.1:8787/h", ""}) {
    WebhookUrl u;
    std::string error;
    EXPECT_FALSE(parse_loopback_url(url, u, error)) << url;
    EXPECT_NE(error.find(std::string("'") + url + "'"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace fake_pb
