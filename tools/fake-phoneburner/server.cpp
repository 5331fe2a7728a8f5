#include "server.hpp"

#include "connection_drop.hpp"

#include <httplib.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <stdexcept>

namespace fake_pb {
namespace {

// Enough workers that slow dial sessions and latency knobs do not starve
// other clients (httplib's default is 8).
constexpr size_t kWorkerThreads = 32;

ApiRequest to_api(const httplib::Request& req) {
  ApiRequest r;
  r.method = req.method;
  r.path = req.path;
  const size_t q = req.target.find('?');
  if (q != std::string::npos) r.query_string = req.target.substr(q + 1);
  r.query = parse_form(r.query_string);
  r.content_type = req.get_header_value("Content-Type");
  r.authorization = req.get_header_value("Authorization");
  r.host = req.get_header_value("Host");
  r.remote_addr = req.remote_addr;
  r.body = req.body;
  for (const auto& [name, file] : req.files) r.multipart.emplace_back(name, file.content);
  return r;
}

// cpp-httplib's SSLServer serves the same routes over TLS (Debian builds
// cpp-httplib with OpenSSL: CPPHTTPLIB_OPENSSL_SUPPORT comes from its
// pkg-config flags).
httplib::Server* make_http(const ServerOptions& options) {
  if (options.tls_cert_file.empty() && options.tls_key_file.empty()) return new httplib::Server;
  return new httplib::SSLServer(options.tls_cert_file.c_str(), options.tls_key_file.c_str());
}

bool tls(const ServerOptions& options) {
  return !options.tls_cert_file.empty() || !options.tls_key_file.empty();
}

}  // namespace

bool is_loopback_host(const std::string& host) { return host == "localhost" || host.rfind("127.", 0) == 0; }

Server::Server(ServerOptions options)
    : options_(std::move(options)), api_(options_.api), http_(make_http(options_)) {
  // A dropped connection makes httplib write to a shut-down socket.
  std::signal(SIGPIPE, SIG_IGN);
  http_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  auto serve = [this](const httplib::Request& req, httplib::Response& res) {
    ApiResponse out = api_.handle(to_api(req));
    if (out.drop_connection) {
      if (!drop_connection(req.local_port, req.remote_port)) {
        // Fallback: headers then a dead chunked body; still no usable answer.
        std::cerr << "fake-phoneburner: could not find the socket to drop\n";
        res.set_chunked_content_provider("application/json",
                                         [](size_t, httplib::DataSink&) { return false; });
      }
      return;
    }
    res.status = out.status;
    for (const auto& [name, value] : out.headers) res.set_header(name.c_str(), value.c_str());
    res.set_content(out.body, out.content_type.c_str());
  };
  const char* everything = ".*";
  http_->Get(everything, serve);
  http_->Post(everything, serve);
  http_->Put(everything, serve);
  http_->Patch(everything, serve);
  http_->Delete(everything, serve);
  http_->Options(everything, serve);
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    res.status = 500;
    res.set_content(
        "{\"http_status\":500,\"status\":\"error\",\"debug_codes\":[{\"code\":"
        "50001,\"reason\":\"Internal Server Error\"}]}",
        "application/json");
    std::cerr << "fake-phoneburner: handler failed: " << what << "\n";
  });
}

Server::~Server() { stop(); }

void Server::start() {
  if (!is_loopback_host(options_.host))
    throw std::runtime_error("refusing to listen on " + options_.host +
                             ": the control API has no auth, use a loopback address");
  if (tls(options_) && (options_.tls_cert_file.empty() || options_.tls_key_file.empty()))
    throw std::runtime_error("HTTPS needs both a certificate (--tls-cert) and its key (--tls-key)");
  if (!http_->is_valid())
    throw std::runtime_error("cannot use the TLS certificate " + options_.tls_cert_file + " and key " +
                             options_.tls_key_file);
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
  } else {
    port_ = http_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0)
    throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // httplib's stop() is a no-op until the loop has started: wait for it, so
  // that a stop() right after start() cannot leave the thread serving.
  while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Server::stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

bool Server::running() const { return thread_.joinable() && http_->is_running(); }

std::string Server::base_url() const {
  return (tls(options_) ? "https://" : "http://") + options_.host + ":" + std::to_string(port_);
}

}  // namespace fake_pb
