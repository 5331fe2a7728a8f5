#include "webhook/server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <stdexcept>

#include "common/log.hpp"
#include "webhook/descriptor_limit.hpp"
#include "webhook/listener.hpp"
#include "webhook/request_stream.hpp"
#include "webhook/worker_pool.hpp"

namespace pgdialer::sync {

// cpp-httplib's request parsing, routing and answer writing, run on a
// request the listener read whole: its own listener and threads are unused.
class WebhookServer::Router : public httplib::Server {
 public:
  void serve(httplib::Stream& stream) {
    bool closed = false;
    // One request per connection: the listener's deadline is per request.
    process_request(stream, /*close_connection=*/true, closed, nullptr);
  }
};

namespace {

const char* refusal_reason(Listener::Refusal refusal) {
  switch (refusal) {
    case Listener::Refusal::too_many_connections: return "too_many_connections";
    case Listener::Refusal::overloaded: return "overloaded";
    case Listener::Refusal::timeout: return "timeout";
    case Listener::Refusal::headers_too_large: return "headers_too_large";
    case Listener::Refusal::too_large: return "too_large";
    case Listener::Refusal::malformed: return "malformed";
  }
  return "unknown";
}

}  // namespace

WebhookServer::WebhookServer(WebhookHandler& handler, WebhookServerOptions options)
    : handler_(handler), options_(std::move(options)), http_(new Router) {
  http_->set_payload_max_length(options_.max_body_bytes);

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

  // Called for every answer >= 400 before it is written. 413 is httplib's
  // own only if the listener's framing let a body over the limit through;
  // it gets the handler's JSON shape and is counted all the same.
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
  std::string warning;
  max_connections_ = fit_descriptor_limit(options_.max_connections, &warning);
  if (!warning.empty()) log::warning("webhooks: " + warning);

  ListenerOptions listening;
  listening.host = options_.host;
  listening.port = options_.port;
  listening.max_connections = max_connections_;
  listening.request_timeout = options_.request_timeout;
  listening.limits.max_body_bytes = options_.max_body_bytes;
  listening.limits.max_header_bytes = options_.max_header_bytes;

  pool_ = std::make_unique<WorkerPool>(static_cast<std::size_t>(options_.worker_threads),
                                       options_.queue_capacity);
  Listener::Callbacks callbacks;
  MetricsRegistry& metrics = handler_.metrics();
  callbacks.dispatch = [this](ReceivedRequest& request) {
    auto taken = std::make_shared<ReceivedRequest>();
    std::function<void()> task = [this, taken] {
      RequestStream stream(*taken, options_.write_timeout);
      http_->serve(stream);
      // Closed after the answer: FIN, not a reset.
      ::shutdown(taken->socket->fd(), SHUT_WR);
      taken->socket.reset();
    };
    *taken = std::move(request);
    if (pool_->try_submit(task)) return true;
    request = std::move(*taken);
    return false;
  };
  callbacks.refused = [this](Listener::Refusal refusal) { handler_.count_rejected(refusal_reason(refusal)); };
  // Opened by this thread, closed by workers too: the gauge takes the count
  // as it is when set, not as it was when the caller changed it.
  callbacks.connections = [this, &metrics](std::size_t) {
    metrics.set("pgdialer_webhook_connections", {}, static_cast<double>(listener_->open_connections()));
  };
  listener_ = std::make_unique<Listener>(listening, std::move(callbacks));
  try {
    listener_->bind();
  } catch (...) {
    listener_.reset();
    pool_.reset();
    throw;
  }
  port_ = listener_->port();
  listener_->start();
}

void WebhookServer::stop() {
  // The listener first: nothing new reaches the workers, who then answer
  // every request already read.
  if (listener_) listener_->stop();
  if (pool_) pool_->stop();
}

}  // namespace pgdialer::sync
