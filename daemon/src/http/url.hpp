// Which base URLs the PhoneBurner client may talk to.
//
// The bearer token travels in a header on every request, so plain http:// is
// only acceptable when the traffic never leaves the machine (tests against the
// fake PhoneBurner on loopback). Everything else must be https://.
#pragma once

#include <string>

namespace pgdialer::sync::http {

// True for "localhost", any 127.0.0.0/8 IPv4 literal and the IPv6 loopback
// ("::1" or "[::1]"). Case-insensitive; no DNS lookup (a name that merely
// resolves to 127.0.0.1 is not trusted, it could resolve elsewhere tomorrow).
bool is_loopback_host(const std::string& host);

// Checks a base URL and returns it without trailing slashes. Throws
// std::invalid_argument (message names the problem, never echoes userinfo)
// when the URL does not parse, is not http(s), carries a query, fragment or
// credentials, or is plain http:// to a non-loopback host.
std::string validate_base_url(const std::string& url);

}  // namespace pgdialer::sync::http
