// A request and a response as the fake's logic sees them, independent of the
// HTTP library, so the API can be driven and tested without sockets.
#pragma once
#include "form_decode.hpp"

#include <string>
#include <utility>
#include <vector>

namespace fake_pb {

struct ApiRequest {
  std::string method;        // "GET", "POST", ...
  std::string path;          // decoded, without the query string
  std::string query_string;  // raw, as received (for the request log)
  FormPairs query;           // decoded query parameters
  std::string content_type;
  std::string authorization;
  std::string host;  // the Host header: redirect_url points back here
  std::string remote_addr;
  std::string body;
  FormPairs multipart;  // multipart/form-data fields, already split
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // Close the connection without sending anything: the client cannot tell
  // whether its request was applied.
  bool drop_connection = false;
};

}  // namespace fake_pb
