// Where an HTTP/1.1 request ends, decided from the bytes received so far.
//
// The listener (webhook/listener) reads every request whole, without a
// worker, before any HTTP logic runs: that is what lets one thread hold a
// thousand idle or slow connections and put an overall deadline on each.
// This only frames the request (request line and headers up to the blank
// line, then a Content-Length body or chunked body); cpp-httplib parses it
// afterwards from the buffered bytes, and answers a malformed request
// with 400 as it always did.
#pragma once

#include <cstddef>
#include <string_view>

namespace pgdialer::sync {

struct RequestFrame {
  enum class State {
    incomplete,         // read more
    complete,           // `size` bytes are one request
    headers_too_large,  // no blank line within the header limit: 431
    body_too_large,     // the body exceeds the limit: 413
    malformed,          // unusable framing (bad Content-Length, bad chunk size): 400
  };
  State state = State::incomplete;
  std::size_t size = 0;  // complete: the request's length in bytes
  // The headers are complete and ask for "Expect: 100-continue" with the
  // body not yet sent: the client waits for an interim 100 before sending it.
  bool expects_continue = false;
};

struct FramingLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 256 * 1024;
};

// Frames the request at the start of `received`. A body over the limit is
// known from its Content-Length, before it arrives, or (chunked) as soon as
// the chunks received exceed it.
RequestFrame frame_request(std::string_view received, const FramingLimits& limits);

}  // namespace pgdialer::sync
