// The fake PhoneBurner on a real socket: cpp-httplib's threaded server in
// front of Api. Runs on its own thread, so tests start it in-process on port
// 0 and main() runs the same class until SIGTERM.
#pragma once
#include "api.hpp"

#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace fake_pb {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback only: /_control has no auth
  int port = 0;                    // 0 = any free port
  // HTTPS with this certificate chain and private key (PEM files), both or
  // neither; neither: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  ApiOptions api;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds (the port is accepting once this returns) and serves on a
  // background thread. Throws std::runtime_error when it cannot bind or
  // cannot load the TLS certificate or key.
  void start();
  void stop();  // idempotent; waits for requests in flight
  bool running() const;
  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:<port>" ("https://..." with TLS)
  Api& api() { return api_; }

 private:
  ServerOptions options_;
  Api api_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = -1;
};

// Hosts the fake accepts for --listen: 127.x.x.x and localhost.
bool is_loopback_host(const std::string& host);

}  // namespace fake_pb
