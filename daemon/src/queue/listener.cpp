#include "queue/listener.hpp"

#include <poll.h>

namespace pgdialer::sync {

QueueListener::QueueListener(const std::string& database_url, const std::string& worker)
    : db_(std::make_unique<PgConnection>(database_url, "pgdialer-sync/listen/" + worker)) {
  db_->exec("LISTEN dialer_push");
  db_->exec("LISTEN dialer_writeback");
}

bool QueueListener::wait(std::chrono::milliseconds timeout) {
  PGconn* conn = db_->raw();
  auto drain = [conn]() {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (drain()) return true;
  pollfd fd{PQsocket(conn), POLLIN, 0};
  if (fd.fd < 0) throw DbError("listener connection lost", true);
  int ready = poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) return false;  // interrupted by a signal: let the caller look around
  if (ready == 0) return false;
  if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK)
    throw DbError(std::string("listener connection lost: ") + PQerrorMessage(conn), true);
  return drain();
}

}  // namespace pgdialer::sync
