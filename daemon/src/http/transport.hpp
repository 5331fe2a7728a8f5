// One HTTP exchange over libcurl, reporting enough about a failure to tell
// "the request never left" from "the server may have acted on it".
//
// Each thread reuses its own easy handle (thread_local), so connections and
// DNS results are kept between requests without any locking. Nothing here
// retries, logs or knows PhoneBurner; the client decides what a failure means.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace pgdialer::sync::http {

// curl_global_init, exactly once per process (thread-safe, idempotent).
void global_init();

struct Request {
  std::string method = "GET";  // GET, POST, PUT, DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent as is when non-empty or method is POST/PUT
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};  // the whole exchange
  // Abort when fewer than 1 byte/s moves for this long (0 = no limit). Must
  // not be shorter than the time the server may legitimately think.
  std::chrono::milliseconds low_speed_time{0};
  // A new connection instead of a pooled one. libcurl silently re-sends a
  // request that got no answer on a *reused* connection; for a write that may
  // mean applying it twice, so writes ask for a fresh connection.
  bool fresh_connection = false;
  // Polled during the transfer (about once a second while idle); true aborts.
  std::function<bool()> should_stop;
  // https: trust the certificate authorities in this PEM file instead of the
  // system's store (a private CA, a test CA). Empty: the system's store.
  // Either way the peer's certificate and host name are verified, and only
  // TLS 1.2 or newer is spoken.
  std::string ca_file;
};

// Why a transfer did not produce a complete response.
enum class TransportError {
  none,           // a complete HTTP response was received (any status)
  not_connected,  // DNS, connect or TLS handshake failed: nothing was sent
  // The server's certificate did not verify (unknown issuer, expired, wrong
  // host name) or the CA file is unusable. Nothing was sent, and sending
  // again cannot help: a configuration problem, not a network one.
  tls_verification,
  timed_out,        // connect, total or low-speed timeout
  connection_lost,  // reset, empty reply, truncated body, send/receive error
  aborted,          // should_stop() returned true
  other,            // bad URL, unsupported protocol, out of memory, ...
};

struct Response {
  TransportError error = TransportError::none;
  std::string error_text;  // libcurl's description; never contains headers
  // The full request (headers and body) was written to the socket, so the
  // server may have acted on it even when no answer came back.
  bool request_sent = false;
  bool response_started = false;  // a status line arrived
  int status = 0;                 // final HTTP status, 0 without one
  std::string body;
  std::string retry_after;  // raw Retry-After header of the final response
};

// How libcurl's result code maps onto TransportError (exposed for tests).
TransportError classify_curl_code(int curl_code);

Response perform(const Request& request);

}  // namespace pgdialer::sync::http
