#include "webhook/request_stream.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pgdialer::sync {
namespace {

// What cpp-httplib writes for "Expect: 100-continue" once it has parsed the
// headers: the listener sent it already, before the body could arrive.
constexpr const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
  } else if (address.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
  }
  ip = text;
}

}  // namespace

RequestStream::RequestStream(const ReceivedRequest& request, std::chrono::milliseconds write_timeout)
    : request_(request), write_deadline_(std::chrono::steady_clock::now() + write_timeout) {}

ssize_t RequestStream::read(char* ptr, size_t size) {
  const std::size_t n = std::min(size, request_.bytes.size() - position_);
  std::memcpy(ptr, request_.bytes.data() + position_, n);
  position_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t RequestStream::write(const char* ptr, size_t size) {
  if (request_.continue_sent && std::string(ptr, size) == kContinue) return static_cast<ssize_t>(size);
  const int fd = request_.socket->fd();
  std::size_t sent = 0;
  while (sent < size && !write_failed_) {
    const ssize_t n = ::send(fd, ptr + sent, size - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          write_deadline_ - std::chrono::steady_clock::now());
      pollfd p{fd, POLLOUT, 0};
      if (left.count() > 0 && ::poll(&p, 1, static_cast<int>(left.count())) > 0) continue;
    }
    write_failed_ = true;
  }
  return write_failed_ ? -1 : static_cast<ssize_t>(size);
}

void RequestStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(request_.socket->fd(), reinterpret_cast<sockaddr*>(&address), &length) == 0)
    address_of(address, ip, port);
}

void RequestStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(request_.socket->fd(), reinterpret_cast<sockaddr*>(&address), &length) == 0)
    address_of(address, ip, port);
}

}  // namespace pgdialer::sync
