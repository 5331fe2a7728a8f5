// The version handshake on every new connection to PostgreSQL: is the
// installed pgdialer extension one this daemon works with, and does the
// extension still support this daemon? The other half is the extension's
// dialer.daemon_hello, which records every daemon in dialer.daemon_versions.
#pragma once

#include <stdexcept>
#include <string>

#include "common/pg_connection.hpp"

namespace pgdialer::sync {

// The two sides do not work together (or the extension is missing): a
// configuration error, exit kExitConfig, never retried. what() says which
// side to upgrade.
class IncompatibleVersion : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads pg_extension, then (record = true) calls dialer.daemon_hello with this
// daemon's version, worker id and supported range, which records it even when
// it is about to refuse. Throws IncompatibleVersion, or DbError when the
// database fails. Returns the installed extension version.
std::string check_extension_version(PgConnection& db, const std::string& worker_id, bool record);

}  // namespace pgdialer::sync
