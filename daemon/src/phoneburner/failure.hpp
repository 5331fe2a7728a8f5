// What one HTTP attempt means for the caller: the Failure kinds of
// phoneburner/client.hpp, decided from the transport outcome, the HTTP status
// and the envelope.
//
// The rule underneath: a failure is `retryable` only when PhoneBurner cannot
// have acted on the request (it never left, it was refused with 429/5xx, or
// it was a read). When a write reached the server and no trustworthy answer
// came back, it is `unknown`: the caller must look before writing again.
#pragma once

#include "http/transport.hpp"
#include "phoneburner/client.hpp"

#include <string>

namespace pgdialer::sync {

// POST, PUT, PATCH and DELETE change PhoneBurner's state; GET and HEAD do not.
bool is_write_method(const std::string& method);

// A transfer that produced no complete response.
//   not_connected                    -> retryable (nothing was sent)
//   tls_verification                 -> config (nothing was sent; retrying
//                                       cannot make a certificate verify)
//   aborted (should_stop)            -> stopped, or unknown for a sent write
//   timed_out / connection_lost      -> unknown for a sent write, else retryable
//   other (bad URL, protocol, ...)   -> rejected (retrying cannot help)
Failure classify_transport(http::TransportError error, bool request_sent, bool is_write);

// A complete response that is not a success.
//   401, 403                         -> auth
//   408, 425, 429, 500-599           -> retryable, except 504 on a write:
//                                       a gateway timeout means the backend
//                                       had the request -> unknown
//   other 3xx / 4xx                  -> rejected
Failure classify_status(int status, bool is_write);

// A 2xx whose body is not the expected success envelope or lacks what the
// call needs: the write may have been applied (unknown); a read is retried.
Failure classify_malformed_success(bool is_write);

// The message of a Failure::config from TLS: what libcurl said and what to
// fix, so that the log line and the job's error tell an operator it is not
// the network.
std::string tls_failure_message(const std::string& curl_text);

// Removes every occurrence of `secret` from `text` (defence in depth: no
// message should ever contain the token, whatever a server echoes back).
std::string redact(std::string text, const std::string& secret);

}  // namespace pgdialer::sync
