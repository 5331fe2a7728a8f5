// For the call-simulation tests: a tiny webhook receiver on loopback that
// records every POST (target and body) in arrival order and answers with a
// status chosen per path (200 unless told otherwise).
#pragma once
#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fake_pb::testing {

class WebhookReceiver {
 public:
  struct Hit {
    std::string path;    // without the query
    std::string target;  // path?query as received
    std::string body;
    std::string content_type;
  };

  WebhookReceiver() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      hits_.push_back(Hit{req.path, req.target, req.body, req.get_header_value("Content-Type")});
      auto it = status_.find(req.path);
      res.status = it == status_.end() ? 200 : it->second;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("receiver cannot bind");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }
  void answer(const std::string& path, int status) {
    std::lock_guard<std::mutex> lock(mu_);
    status_[path] = status;
  }
  std::vector<Hit> hits() const {
    std::lock_guard<std::mutex> lock(mu_);
    return hits_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  mutable std::mutex mu_;
  std::vector<Hit> hits_;
  std::map<std::string, int> status_;
};

}  // namespace fake_pb::testing
