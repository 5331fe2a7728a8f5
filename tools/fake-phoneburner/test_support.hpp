// Shared by the fake's tests: a fresh server per test on a free port and an
// httplib client with helpers for the envelopes and the control API.
#pragma once
#include "json_util.hpp"
#include "server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>

namespace fake_pb::testing {

inline constexpr const char* kToken = "test-token";

inline rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << "not JSON: " << text;
  return doc;
}

inline std::string str(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : to_json(v);
}

class FakeServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(ApiOptions{kToken, Knobs{}, 1000, {}}); }

  void start(ApiOptions api) {
    client_.reset();
    server_.reset();
    ServerOptions options;
    options.api = std::move(api);
    server_ = std::make_unique<Server>(options);
    server_->start();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_connection_timeout(2);
    client_->set_read_timeout(5);
  }

  httplib::Client& http() { return *client_; }
  static httplib::Headers auth() { return {{"Authorization", std::string("Bearer ") + kToken}}; }

  httplib::Result get(const std::string& path) { return client_->Get(path, auth()); }
  httplib::Result post_form(const std::string& path, const std::string& body) {
    return client_->Post(path, auth(), body, "application/x-www-form-urlencoded");
  }
  httplib::Result post_json(const std::string& path, const std::string& body) {
    return client_->Post(path, auth(), body, "application/json");
  }
  httplib::Result put_form(const std::string& path, const std::string& body) {
    return client_->Put(path, auth(), body, "application/x-www-form-urlencoded");
  }
  httplib::Result put_json(const std::string& path, const std::string& body) {
    return client_->Put(path, auth(), body, "application/json");
  }
  httplib::Result del(const std::string& path) { return client_->Delete(path, auth()); }

  // POST to /_control/<what> (no auth); expects a 200.
  rapidjson::Document control(const std::string& what, const std::string& json = "{}") {
    auto res = client_->Post("/_control/" + what, json, "application/json");
    EXPECT_TRUE(res) << "no answer from /_control/" << what;
    if (!res) return parse("{}");
    EXPECT_EQ(res->status, 200) << res->body;
    return parse(res->body);
  }
  rapidjson::Document state() {
    auto res = client_->Get("/_control/state");
    EXPECT_TRUE(res && res->status == 200);
    return parse(res ? res->body : "{}");
  }

  // Creates a contact from a form body; returns its id.
  std::string create_contact(const std::string& form) {
    auto res = post_form("/rest/1/contacts", form);
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    if (!res) return {};
    auto doc = parse(res->body);
    return str(doc["contacts"]["contacts"]["contact_user_id"]);
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace fake_pb::testing
