// Which base URLs the daemon may use: the one check for every URL it is
// configured with (PhoneBurner's API and OAuth URLs, the public webhook base
// URL), at start-up and again where the clients are built.
//
// A bearer token, a refresh token or a webhook URL token travels with every
// request, so plain http:// is only acceptable when the traffic never leaves
// the machine (tests against the fake PhoneBurner on loopback). Everything
// else must be https://. The host is the one libcurl's URL parser finds, so
// userinfo cannot pass for a host (http://127.0.0.1@evil.example goes to
// evil.example, and is refused for carrying credentials anyway).
#pragma once

#include <string>

namespace pgdialer::sync::http {

// True for "localhost", any 127.0.0.0/8 IPv4 literal and the IPv6 loopback
// ("::1" or "[::1]"). Case-insensitive; no DNS lookup (a name that merely
// resolves to 127.0.0.1 is not trusted, it could resolve elsewhere tomorrow).
bool is_loopback_host(const std::string& host);

// Checks a base URL and returns it without trailing slashes. Throws
// std::invalid_argument (message starts with `what`, names the problem, never
// echoes userinfo) when the URL does not parse, is not http(s), carries a
// query, fragment or credentials, or is plain http:// to a non-loopback host.
std::string validate_base_url(const std::string& url, const std::string& what = "PhoneBurner base URL");

}  // namespace pgdialer::sync::http
