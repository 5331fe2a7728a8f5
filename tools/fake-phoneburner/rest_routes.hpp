// The /rest/1 routes the fake serves and the handlers behind them. Handlers
// run with the account locked, after authentication and fault injection.
#pragma once
#include "account.hpp"
#include "http_message.hpp"

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace fake_pb {

struct RestCall {
  const ApiRequest& req;
  const std::vector<std::string>& args;  // the {id} segments of the path
  const rapidjson::Value& body;          // decoded body of a write; {} for reads
  Account& account;
  const std::string& now;  // "YYYY-MM-DD HH:MM:SS"
  int dialsession_delay_ms_per_contact;
};

struct RestResult {
  ApiResponse response;
  int delay_after_ms = 0;  // slept after the lock is released (slow routes)
};

using RestHandler = RestResult (*)(const RestCall&);

struct RestRoute {
  const char* method;
  const char* pattern;  // relative to /rest/1/, "{id}" matches one segment
  RestHandler handler;
  bool needs_auth;
};

// `rel` is the path after "/rest/1/" without surrounding slashes. nullptr
// when nothing matches (the caller answers 404).
const RestRoute* match_rest_route(const std::string& method, const std::string& rel,
                                  std::vector<std::string>& args);

// The value of a query parameter (the last one, as PHP does), or "".
std::string query_param(const ApiRequest& req, const std::string& key);

RestResult get_tranquility(const RestCall& call);
RestResult get_members(const RestCall& call);
RestResult get_member_me(const RestCall& call);
RestResult get_folders(const RestCall& call);
RestResult post_folder(const RestCall& call);
RestResult list_contacts(const RestCall& call);
RestResult get_contact(const RestCall& call);
RestResult post_contact(const RestCall& call);
RestResult put_contact(const RestCall& call);
RestResult delete_contact(const RestCall& call);
RestResult post_dialsession(const RestCall& call);

}  // namespace fake_pb
