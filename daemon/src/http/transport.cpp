#include "http/transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace pgdialer::sync::http {
namespace {

// Bodies larger than this are refused: a page of 100 contacts is a few
// hundred KB, so this only trips on a misbehaving server.
constexpr size_t kMaxBodyBytes = 64u << 20;

// The easy handle of this thread. curl_easy_reset between requests keeps its
// connection and DNS caches, which is the point of reusing it.
struct ThreadHandle {
  CURL* handle = nullptr;
  ~ThreadHandle() {
    if (handle) curl_easy_cleanup(handle);
  }
  CURL* get() {
    if (!handle) handle = curl_easy_init();
    return handle;
  }
};
thread_local ThreadHandle t_handle;

struct Transfer {
  const Request* request = nullptr;
  Response* response = nullptr;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (t->response->body.size() + bytes > kMaxBodyBytes) {
    t->too_large = true;
    return 0;  // makes libcurl fail with CURLE_WRITE_ERROR
  }
  t->response->body.append(data, bytes);
  return bytes;
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Called once per header line, for every response (a 100 Continue included):
// a new status line starts a new header block, so only the final response's
// Retry-After survives.
size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  const std::string line(data, bytes);
  t->response->response_started = true;
  if (line.compare(0, 5, "HTTP/") == 0) {
    t->response->retry_after.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return bytes;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name == "retry-after") t->response->retry_after = trim(line.substr(colon + 1));
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->request->should_stop && t->request->should_stop() ? 1 : 0;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  bool add(const std::string& h) {
    curl_slist* next = curl_slist_append(list, h.c_str());
    if (!next) return false;
    list = next;
    return true;
  }
};

long clamp_ms(std::chrono::milliseconds ms) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(1, ms.count()));
}

}  // namespace

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

TransportError classify_curl_code(int code) {
  switch (static_cast<CURLcode>(code)) {
    case CURLE_OK: return TransportError::none;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    // A handshake that broke off (reset, timeout, no common protocol) may be
    // the network's doing; a certificate that does not verify is not.
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER: return TransportError::not_connected;
    case CURLE_PEER_FAILED_VERIFICATION:  // unknown CA, expired, host name mismatch
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:  // the CA file cannot be read
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return TransportError::tls_verification;
    case CURLE_OPERATION_TIMEDOUT: return TransportError::timed_out;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_WRITE_ERROR:  // our body cap
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_SSL_SHUTDOWN_FAILED: return TransportError::connection_lost;
    case CURLE_ABORTED_BY_CALLBACK: return TransportError::aborted;
    default: return TransportError::other;
  }
}

Response perform(const Request& request) {
  global_init();
  Response response;
  CURL* curl = t_handle.get();
  if (!curl) {
    response.error = TransportError::other;
    response.error_text = "curl_easy_init failed";
    return response;
  }
  curl_easy_reset(curl);

  Transfer transfer{&request, &response};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  HeaderList headers;
  bool headers_ok = true;
  for (const auto& h : request.headers) headers_ok = headers_ok && headers.add(h);
  // No "Expect: 100-continue" round trip: it only adds latency and a second
  // response to reason about.
  headers_ok = headers_ok && headers.add("Expect:");
  if (!headers_ok) {
    response.error = TransportError::other;
    response.error_text = "out of memory building request headers";
    return response;
  }

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  // https: verify the peer and its name (libcurl's defaults, stated so that
  // no build or environment can relax them), TLS 1.2 at least.
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is an answer, not a hop
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);        // threads + timeouts: no SIGALRM
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, clamp_ms(request.connect_timeout));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, clamp_ms(request.timeout));
  if (request.low_speed_time.count() > 0) {
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     std::max<long>(1, static_cast<long>(request.low_speed_time.count() / 1000)));
  }
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "pgdialer-sync");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  // A fresh connection, closed afterwards: kept idle it would pile up (up to
  // five per thread) and tie up the server's workers until its keep-alive ends.
  curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, request.fresh_connection ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, request.fresh_connection ? 1L : 0L);

  const bool has_body = !request.body.empty() || request.method == "POST" || request.method == "PUT";
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    if (has_body) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    }
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  const CURLcode code = curl_easy_perform(curl);

  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  // request_size counts the header (and inline body) bytes written to the
  // socket; the upload counter the body bytes. Both complete = the server
  // had the whole request and may have acted on it.
  long request_size = 0;
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_size);
  curl_off_t uploaded = 0;
  curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &uploaded);
  response.request_sent =
      request_size > 0 && (!has_body || uploaded >= static_cast<curl_off_t>(request.body.size()));
  response.status = static_cast<int>(status);
  if (status > 0) response.response_started = true;
  // A server may answer before reading the whole body; it still answered.
  if (response.response_started && request_size > 0) response.request_sent = true;

  response.error = classify_curl_code(code);
  if (response.error != TransportError::none) {
    if (transfer.too_large)
      response.error_text = "response body larger than " + std::to_string(kMaxBodyBytes >> 20) + " MB";
    else
      response.error_text = error_buffer[0] ? std::string(error_buffer) : curl_easy_strerror(code);
    if (!response.error_text.empty() && response.error_text.back() == '\n') response.error_text.pop_back();
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);  // `headers` dies with this frame
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  return response;
}

}  // namespace pgdialer::sync::http
