// Shared by the PhoneBurnerClient tests: a fresh fake PhoneBurner per test,
// started in-process on 127.0.0.1:0, a client pointed at it, and helpers that
// drive the fake's control API in-process (fail_next, knobs, the request log
// and the state dump: exactly what PhoneBurner would hold).
#pragma once
#include "http/transport.hpp"
#include "phoneburner/client.hpp"

#include "fake-phoneburner/server.hpp"  // fake_pb::Server

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pgdialer::sync::testing {

inline constexpr const char* kToken = "pat-7f3c9a1e5b2d4c6a8e0f";

inline std::string text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  return "<non-scalar>";
}

inline rapidjson::Document parse_json(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << body;
  return doc;
}

// A contact of the state dump as field -> value, custom fields as "cf:<name>".
struct StoredContact {
  std::map<std::string, std::string> fields;
  std::string operator[](const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? std::string("<absent>") : it->second;
  }
};

class FakeClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_pb::ServerOptions options;
    options.api.token = kToken;
    options.api.request_log_size = 5000;
    server_ = std::make_unique<fake_pb::Server>(options);
    server_->start();
  }
  void TearDown() override {
    if (!server_) return;
    close_pooled_connections();
    server_->stop();
  }

  // The client keeps connections open in this thread's libcurl handle, and
  // cpp-httplib 0.11's stop() waits for each idle keep-alive connection to
  // time out (5 s) before it returns. Asking with "Connection: close" until
  // the pool is drained makes both sides close them now.
  void close_pooled_connections() {
    if (!server_->running()) return;
    for (int i = 0; i < 12; ++i) {
      http::Request req;
      req.url = server_->base_url() + "/_control/config";  // not slowed by latency_ms
      req.headers.push_back("Connection: close");
      req.timeout = std::chrono::milliseconds(2000);
      http::perform(req);
    }
  }

  std::string base_url() const { return server_->base_url() + "/rest/1"; }

  // Fast defaults for tests: no pacing, short backoff, a cap that still lets a
  // one-second Retry-After be honoured.
  ClientOptions options() const {
    ClientOptions o;
    o.base_url = base_url();
    o.token = kToken;
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.request_timeout = std::chrono::milliseconds(15000);
    o.dialsession_timeout = std::chrono::milliseconds(20000);
    o.requests_per_second = 0;
    o.max_retries = 3;
    o.backoff_base = std::chrono::milliseconds(1);
    o.backoff_cap = std::chrono::milliseconds(5000);
    return o;
  }

  std::unique_ptr<PhoneBurnerClient> client(ClientOptions o) {
    return std::make_unique<PhoneBurnerClient>(std::move(o));
  }
  std::unique_ptr<PhoneBurnerClient> client() { return client(options()); }

  // One in-process request to the fake (no socket).
  fake_pb::ApiResponse call(const std::string& method, const std::string& path, const std::string& body = "",
                            const std::string& content_type = "application/json", bool auth = false,
                            const std::string& query = "") {
    fake_pb::ApiRequest req;
    req.method = method;
    req.path = path;
    req.query_string = query;
    req.query = fake_pb::parse_form(query);
    req.content_type = content_type;
    req.body = body;
    if (auth) req.authorization = std::string("Bearer ") + kToken;
    return server_->api().handle(req);
  }

  void control(const std::string& method, const std::string& what, const std::string& json = "{}") {
    const auto res = call(method, "/_control/" + what, json);
    ASSERT_EQ(res.status, 200) << what << ": " << res.body;
  }
  void fail_next(const std::string& json) { control("POST", "fail_next", json); }
  void knobs(const std::string& json) { control("POST", "config", json); }

  rapidjson::Document state() { return parse_json(server_->api().state_json()); }

  // The request log: every /rest request the fake answered (or dropped).
  rapidjson::Document request_log() { return parse_json(call("GET", "/_control/requests").body); }

  // How many requests with this method and exact path the fake saw since the
  // last mark().
  int count_requests(const std::string& method, const std::string& path) {
    auto log = request_log();
    int n = 0;
    for (const auto& r : log["requests"].GetArray())
      if (r["seq"].GetInt64() > mark_ && text(r["method"]) == method && text(r["path"]) == path) ++n;
    return n;
  }
  std::vector<std::string> request_statuses(const std::string& method, const std::string& path) {
    auto log = request_log();
    std::vector<std::string> out;
    for (const auto& r : log["requests"].GetArray())
      if (r["seq"].GetInt64() > mark_ && text(r["method"]) == method && text(r["path"]) == path)
        out.push_back(text(r["status"]));
    return out;
  }
  // Ignore requests so far (seeding) in count_requests.
  void mark() {
    auto log = request_log();
    mark_ = log["next_seq"].GetInt64() - 1;
  }

  // Seeds the fake directly (in-process, logged but before any mark()).
  std::string seed_folder(const std::string& name) {
    const auto res =
        call("POST", "/rest/1/folders", "name=" + name, "application/x-www-form-urlencoded", true);
    EXPECT_EQ(res.status, 201) << res.body;
    return text(parse_json(res.body)["folders"]["folder_id"]);
  }
  std::string seed_contact(const std::string& form) {
    const auto res = call("POST", "/rest/1/contacts", form, "application/x-www-form-urlencoded", true);
    EXPECT_EQ(res.status, 201) << res.body;
    return text(parse_json(res.body)["contacts"]["contacts"]["contact_user_id"]);
  }

  // The live contacts PhoneBurner holds.
  std::vector<StoredContact> stored_contacts() {
    auto st = state();
    std::vector<StoredContact> out;
    for (const auto& c : st["contacts"].GetArray()) {
      StoredContact s;
      for (const auto& m : c.GetObject()) {
        const std::string key = m.name.GetString();
        if (key == "custom_fields") {
          for (const auto& f : m.value.GetArray()) s.fields["cf:" + text(f["name"])] = text(f["value"]);
        } else if (m.value.IsString() || m.value.IsInt64() || m.value.IsBool()) {
          s.fields[key] = text(m.value);
        }
      }
      out.push_back(std::move(s));
    }
    return out;
  }

  std::unique_ptr<fake_pb::Server> server_;
  long long mark_ = 0;
};

}  // namespace pgdialer::sync::testing
