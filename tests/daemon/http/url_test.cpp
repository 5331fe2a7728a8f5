// http/url: the bearer token only travels over https, or over plain http to
// this machine.
#include "http/url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace pgdialer::sync::http {
namespace {

// The message of the std::invalid_argument validate_base_url throws, or
// "no exception".
std::string refusal(const std::string& url) {
  try {
    validate_base_url(url);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

TEST(IsLoopbackHost, AcceptsLocalhostAnd127Slash8AndIpv6Loopback) {
  for (const char* host : {"localhost", "LOCALHOST", "LocalHost", "127.0.0.1", "127.255.255.254", "127.1.2.3",
                           "::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]"})
    EXPECT_TRUE(is_loopback_host(host)) << host;
}

TEST(IsLoopbackHost, RejectsEverythingElse) {
  for (const char* host :
       {"", "example.com", "localhost.example.com", "127.0.0.1.nip.io", "localhost.", "128.0.0.1", "10.0.0.1",
        "0.0.0.0", "127.0.0", "127.0.0.1.", "127.0.0.256", "127.0.0.01234", "127..0.1", "1270.0.0.1",
        "::", "[::2]", "::ffff:127.0.0.1", "127.0.0.-1", " 127.0.0.1"})
    EXPECT_FALSE(is_loopback_host(host)) << "'" << host << "'";
}

TEST(ValidateBaseUrl, HttpsAnywhereIsFineAndTrailingSlashesGo) {
  EXPECT_EQ(validate_base_url("https://www.phoneburner.com/rest/1"), "https://www.phoneburner.com/rest/1");
  EXPECT_EQ(validate_base_url("https://www.phoneburner.com/rest/1/"), "https://www.phoneburner.com/rest/1");
  EXPECT_EQ(validate_base_url("https://www.phoneburner.com/rest/1///"), "https://www.phoneburner.com/rest/1");
  EXPECT_EQ(validate_base_url("HTTPS://pb.example.com:8443/rest/1"), "HTTPS://pb.example.com:8443/rest/1");
}

TEST(ValidateBaseUrl, PlainHttpIsFineOnLoopback) {
  EXPECT_EQ(validate_base_url("http://127.0.0.1:8080/rest/1"), "http://127.0.0.1:8080/rest/1");
  EXPECT_EQ(validate_base_url("http://localhost:8080/rest/1/"), "http://localhost:8080/rest/1");
  EXPECT_EQ(validate_base_url("http://[::1]:8080/rest/1"), "http://[::1]:8080/rest/1");
  EXPECT_EQ(validate_base_url("HTTP://LOCALHOST/rest/1"), "HTTP://LOCALHOST/rest/1");
}

TEST(ValidateBaseUrl, PlainHttpToAnotherHostIsRefused) {
  for (const char* url :
       {"http://www.phoneburner.com/rest/1", "http://10.0.0.5:8080/rest/1",
        "http://localhost.evil.example/rest/1", "http://127.0.0.1.nip.io/rest/1", "http://[::2]/rest/1"}) {
    const std::string why = refusal(url);
    EXPECT_NE(why, "no exception") << url;
    EXPECT_NE(why.find("https"), std::string::npos) << url << ": " << why;
  }
}

TEST(ValidateBaseUrl, UserinfoCannotSmuggleALoopbackHost) {
  // The host here is evil.example; "127.0.0.1" is a user name.
  EXPECT_NE(refusal("http://127.0.0.1@evil.example/rest/1"), "no exception");
}

TEST(ValidateBaseUrl, OtherSchemesAreRefused) {
  for (const char* url : {"ftp://127.0.0.1/rest/1", "file:///etc/passwd", "gopher://localhost/x"})
    EXPECT_NE(refusal(url), "no exception") << url;
}

TEST(ValidateBaseUrl, RelativeOrBrokenUrlsAreRefused) {
  for (const char* url : {"", "www.phoneburner.com/rest/1", "/rest/1", "https://", "http:///rest/1"})
    EXPECT_NE(refusal(url), "no exception") << "'" << url << "'";
}

TEST(ValidateBaseUrl, QueryAndFragmentAreRefused) {
  EXPECT_NE(refusal("https://www.phoneburner.com/rest/1?x=1"), "no exception");
  EXPECT_NE(refusal("https://www.phoneburner.com/rest/1#frag"), "no exception");
}

TEST(ValidateBaseUrl, CredentialsAreRefusedWithoutEchoingThem) {
  const std::string why = refusal("https://agent:s3cr3t-pw@www.phoneburner.com/rest/1");
  EXPECT_NE(why, "no exception");
  EXPECT_EQ(why.find("s3cr3t-pw"), std::string::npos) << why;
  EXPECT_EQ(why.find("agent"), std::string::npos) << why;
  const std::string why2 = refusal("https://s3cr3t-tok@www.phoneburner.com/rest/1");
  EXPECT_NE(why2, "no exception");
  EXPECT_EQ(why2.find("s3cr3t-tok"), std::string::npos) << why2;
}

}  // namespace
}  // namespace pgdialer::sync::http
