// Shared by the webhook receiver tests: a temporary directory per test and a
// scriptable EventSink that stands in for PostgreSQL.
#pragma once
#include "webhook/event_sink.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace pgdialer::sync::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pgdialer-webhook-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

// Stands in for dialer.record_call_event: answers "recorded" (or what was
// scripted) and keeps every event it stored, in order.
class FakeSink : public EventSink {
 public:
  SinkResult record(const std::string& event_json) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++calls_;
    if (!available_) return {SinkStatus::unavailable, "database down (fake)"};
    for (const auto& [needle, result] : failing_)
      if (event_json.find(needle) != std::string::npos) return result;
    SinkResult r{SinkStatus::stored, "recorded"};
    if (!script_.empty()) {
      r = script_.front();
      script_.pop_front();
    }
    if (r.status == SinkStatus::stored) stored_.push_back(event_json);
    return r;
  }
  bool connect() override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++connects_;
    return available_;
  }

  void set_available(bool available) {
    std::lock_guard<std::mutex> lock(mutex_);
    available_ = available;
  }
  // Every event holding `needle` gets `r` (a poison event, or with "" every event).
  void fail_matching(std::string needle, SinkResult r) {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_.emplace_back(std::move(needle), std::move(r));
  }
  void clear_failures() {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_.clear();
  }
  void script(SinkResult r) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(r));
  }
  std::vector<std::string> stored() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stored_;
  }
  int calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  bool available_ = true;
  std::deque<SinkResult> script_;
  std::vector<std::pair<std::string, SinkResult>> failing_;
  std::vector<std::string> stored_;
  int calls_ = 0;
  int connects_ = 0;
};

inline rapidjson::Document json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

}  // namespace pgdialer::sync::testing
