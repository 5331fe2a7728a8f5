// A request the listener read whole, as the cpp-httplib Stream its request
// processing reads from: reads come from memory, the answer goes to the
// socket with a deadline (the socket is non-blocking).
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>

#include "webhook/listener.hpp"

namespace pgdialer::sync {

class RequestStream : public httplib::Stream {
 public:
  RequestStream(const ReceivedRequest& request, std::chrono::milliseconds write_timeout);

  bool is_readable() const override { return position_ < request_.bytes.size(); }
  bool is_writable() const override { return !write_failed_; }
  ssize_t read(char* ptr, size_t size) override;
  // Everything or -1 (the client did not take it within the write timeout).
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return request_.socket->fd(); }

 private:
  const ReceivedRequest& request_;
  std::size_t position_ = 0;
  std::chrono::steady_clock::time_point write_deadline_;
  bool write_failed_ = false;
};

}  // namespace pgdialer::sync
