#include "http/url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

namespace pgdialer::sync::http {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "127.x.y.z" with four decimal octets 0..255, the first being 127.
bool is_ipv4_loopback(const std::string& host) {
  int octets = 0;
  size_t i = 0;
  int first = -1;
  while (i <= host.size()) {
    size_t j = i;
    while (j < host.size() && std::isdigit(static_cast<unsigned char>(host[j]))) ++j;
    if (j == i || j - i > 3) return false;
    const int value = std::stoi(host.substr(i, j - i));
    if (value > 255) return false;
    if (octets == 0) first = value;
    ++octets;
    if (j == host.size()) break;
    if (host[j] != '.') return false;
    i = j + 1;
  }
  return octets == 4 && first == 127;
}

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

// A URL part, or "" when absent.
std::string part(CURLU* u, CURLUPart which) {
  char* text = nullptr;
  if (curl_url_get(u, which, &text, 0) != CURLUE_OK || !text) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

}  // namespace

bool is_loopback_host(const std::string& raw) {
  std::string host = lower(raw);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1") return true;
  return is_ipv4_loopback(host);
}

std::string validate_base_url(const std::string& url, const std::string& what) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) throw std::invalid_argument(what + ": out of memory");
  // Only absolute URLs: no guessing a scheme, which could silently mean http.
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    throw std::invalid_argument(what + " is not a valid absolute URL");
  const std::string scheme = lower(part(u.get(), CURLUPART_SCHEME));
  const std::string host = part(u.get(), CURLUPART_HOST);
  if (scheme != "https" && scheme != "http")
    throw std::invalid_argument(what + " must use https (got scheme '" + scheme + "')");
  if (host.empty()) throw std::invalid_argument(what + " has no host");
  if (!part(u.get(), CURLUPART_USER).empty() || !part(u.get(), CURLUPART_PASSWORD).empty())
    throw std::invalid_argument(what + " must not contain credentials (user@ or user:password@)");
  if (!part(u.get(), CURLUPART_QUERY).empty() || !part(u.get(), CURLUPART_FRAGMENT).empty())
    throw std::invalid_argument(what + " must not have a query or fragment");
  if (scheme == "http" && !is_loopback_host(host))
    throw std::invalid_argument(what +
                                " must use https: plain http is allowed only for loopback hosts "
                                "(127.0.0.0/8, localhost, [::1]), got host '" +
                                host + "'");
  std::string out = url;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace pgdialer::sync::http
