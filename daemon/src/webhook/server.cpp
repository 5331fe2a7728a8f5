#include "webhook/server.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

#include "common/log.hpp"

namespace pgdialer::sync {

WebhookServer::WebhookServer(WebhookHandler& handler, WebhookServerOptions options)
    : handler_(handler), options_(std::move(options)), http_(new httplib::Server) {
  const int threads = options_.worker_threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http_->set_payload_max_length(options_.max_body_bytes);
  // A slow or stuck client must not hold a worker for long.
  http_->set_read_timeout(5, 0);
  http_->set_write_timeout(5, 0);
  http_->set_keep_alive_timeout(5);

  auto serve = [this](const httplib::Request& req, httplib::Response& res) {
    WebhookRequest request;
    request.method = req.method;
    request.path = req.path;
    if (req.has_param("s")) request.token = req.get_param_value("s");
    if (req.has_param("event")) request.event = req.get_param_value("event");
    request.body = req.body;
    WebhookResponse out = handler_.handle(request);
    res.status = out.status;
    res.set_content(out.body, out.content_type.c_str());
  };
  // Every method on every path reaches the handler, which decides 404/405.
  const char* everything = ".*";
  http_->Get(everything, serve);
  http_->Post(everything, serve);
  http_->Put(everything, serve);
  http_->Patch(everything, serve);
  http_->Delete(everything, serve);
  http_->Options(everything, serve);

  // Called for every answer >= 400 before it is written. Only 413 is
  // httplib's own (the body exceeded the limit before routing): count it
  // and give it the same JSON shape as the handler's refusals.
  httplib::Server::HandlerWithResponse on_error = [this](const httplib::Request&, httplib::Response& res) {
    if (res.status != 413) return httplib::Server::HandlerResponse::Unhandled;
    handler_.count_rejected("too_large");
    res.set_content("{\"status\":\"error\",\"message\":\"body too large\"}\n", "application/json");
    return httplib::Server::HandlerResponse::Handled;
  };
  http_->set_error_handler(std::move(on_error));
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("{\"status\":\"error\",\"message\":\"internal error\"}\n", "application/json");
  });
}

WebhookServer::~WebhookServer() { stop(); }

void WebhookServer::start() {
  if (options_.port == 0)
    port_ = http_->bind_to_any_port(options_.host);
  else
    port_ = http_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
  if (port_ <= 0)
    throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  loop_ended_ = false;
  thread_ = std::thread([this] {
    struct Ended {
      std::atomic<bool>& flag;
      ~Ended() { flag = true; }
    } ended{loop_ended_};
    try {
      http_->listen_after_bind();
    } catch (const std::exception& e) {
      log::error(std::string("webhooks: listener failed: ") + e.what());
    } catch (...) {
      log::error("webhooks: listener failed");
    }
  });
  // httplib's stop() is a no-op until its loop runs: wait for it, so that a
  // stop() right after start() cannot leave the thread serving.
  while (!http_->is_running() && !loop_ended_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (loop_ended_) {
    thread_.join();
    throw std::runtime_error("cannot serve on " + options_.host + ":" + std::to_string(port_));
  }
}

void WebhookServer::stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pgdialer::sync
