#include "queue/health_check.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>

#include "common/pg_connection.hpp"
#include "common/version.hpp"
#include "common/version_handshake.hpp"
#include "credentials/name.hpp"
#include "queue/accounts.hpp"
#include "queue/config_check.hpp"

namespace pgdialer::sync {
namespace {

enum class Severity { ok, warn, config, unreachable };

class Report {
 public:
  void line(Severity severity, const std::string& what, const std::string& detail) {
    const char* tag = severity == Severity::ok ? "ok  " : severity == Severity::warn ? "warn" : "FAIL";
    std::printf("%s  %s: %s\n", tag, what.c_str(), detail.c_str());
    std::fflush(stdout);
    if (severity == Severity::config) config_failed_ = true;
    if (severity == Severity::unreachable) unreachable_ = true;
  }
  int exit_status() const { return config_failed_ ? kExitConfig : unreachable_ ? kExitFailure : kExitOk; }

 private:
  bool config_failed_ = false;
  bool unreachable_ = false;
};

// The login's rights, as the daemon uses them (docs/sql-reference.md, "Roles
// and privileges"): a member of dialer_sync, not a superuser, SELECT on the
// contact relation (launch re-checks, templates) and EXECUTE on the
// write-back hook (the hook runs with the daemon's rights).
void check_privileges(PgConnection& db, Report& report) {
  PgResult who = db.exec(
      "SELECT current_user, pg_catalog.pg_has_role(current_user, 'dialer_sync', 'MEMBER'), r.rolsuper "
      "FROM pg_catalog.pg_roles r WHERE r.rolname = current_user");
  const std::string login = who.text(0, 0);
  if (!who.boolean(0, 1)) {
    report.line(Severity::config, "privileges",
                login + " is not a member of dialer_sync: GRANT dialer_sync TO " + login);
    return;
  }
  if (who.boolean(0, 2))
    report.line(Severity::warn, "privileges",
                login + " is a superuser: run the daemon as a login with only dialer_sync (least privilege)");
  PgResult rights = db.exec(
      "SELECT c.relation::text, c.relation IS NULL OR pg_catalog.has_table_privilege(c.relation, 'SELECT'), "
      "       h.hook, pg_catalog.has_function_privilege(h.hook::pg_catalog.regprocedure, 'EXECUTE') "
      "FROM (SELECT dialer._contact_relation(NULL) AS relation) c, (SELECT dialer._writeback_hook() AS hook) "
      "h");
  std::string problems;
  if (!rights.boolean(0, 1))
    problems += "no SELECT on the contact relation " + rights.text(0, 0) + " (GRANT SELECT ON " +
                rights.text(0, 0) + " TO " + login + "); ";
  if (!rights.boolean(0, 3)) problems += "no EXECUTE on the write-back hook " + rights.text(0, 2) + "; ";
  if (!problems.empty()) {
    problems.resize(problems.size() - 2);
    report.line(Severity::config, "privileges", login + ": " + problems);
    return;
  }
  std::string detail = login + " is in dialer_sync";
  detail += rights.is_null(0, 0) ? "; no contact relation configured yet (dialer.configure)"
                                 : "; reads " + rights.text(0, 0);
  detail += "; write-back hook " + rights.text(0, 2);
  report.line(Severity::ok, "privileges", detail);
}

void check_database(const Config& config, Report& report) {
  std::unique_ptr<PgConnection> db;
  try {
    db = std::make_unique<PgConnection>(config.database_url, "pgdialer-sync/check");
    PgResult r =
        db->exec("SELECT current_user, current_database(), pg_catalog.current_setting('server_version')");
    report.line(
        Severity::ok, "database",
        "connected as " + r.text(0, 0) + " to " + r.text(0, 1) + " (PostgreSQL " + r.text(0, 2) + ")");
  } catch (const DbError& e) {
    report.line(e.connection_lost() ? Severity::unreachable : Severity::config, "database", e.what());
    return;
  }
  try {
    const std::string installed = check_extension_version(*db, "", false);
    report.line(Severity::ok, "extension",
                "pgdialer " + installed + " (this daemon " + daemon_version() + " supports " +
                    kExtensionVersionFrom + " <= version < " + kExtensionVersionBelow + ")");
    PgResult minimum = db->exec("SELECT dialer.minimum_daemon_version()");
    if (compare_versions(daemon_version(), minimum.text(0, 0)) < 0) {
      report.line(Severity::config, "extension",
                  "it supports pgdialer-sync " + minimum.text(0, 0) + " or newer: upgrade this daemon");
      return;
    }
    check_privileges(*db, report);
  } catch (const IncompatibleVersion& e) {
    report.line(Severity::config, "extension", e.what());
  } catch (const DbError& e) {
    report.line(e.connection_lost() ? Severity::unreachable : Severity::config, "privileges", e.what());
  }
}

// Every credential the daemon can see, read as a job would, then its token
// tried against PhoneBurner (GET /members/me).
void check_credentials(const Config& config, Report& report) {
  ClientOptions options;
  options.base_url = config.phoneburner_base_url;
  options.ca_file = config.phoneburner_ca_file;
  options.requests_per_second = config.requests_per_second;
  Accounts accounts(config, options);
  const std::set<std::string> names = visible_credential_names(config);
  if (names.empty())
    report.line(Severity::warn, "credentials", "none yet: every job fails until one is added");
  for (const std::string& name : names) {
    CredentialLookup lookup;
    Account* account = accounts.get(name, &lookup);
    if (!account) {
      report.line(Severity::config, "credential " + name, lookup.error);
      continue;
    }
    std::string member;
    Result r = account->push->check_token(&member);
    if (r.ok()) {
      report.line(Severity::ok, "credential " + name,
                  account->source + "; PhoneBurner accepted the token (member " + member + ")");
    } else if (r.failure == Failure::auth || r.failure == Failure::rejected || r.failure == Failure::config) {
      report.line(Severity::config, "credential " + name,
                  account->source + "; PhoneBurner refused it: " + r.message);
    } else {
      report.line(Severity::unreachable, "credential " + name,
                  account->source + "; PhoneBurner did not answer: " + r.message);
    }
  }
}

// Can the listener have its address? Free, or held by a pgdialer-sync that
// answers /healthz (this daemon, already running) are both fine.
void check_listener(const Config& config, Report& report) {
  if (!config.listen) {
    report.line(Severity::ok, "listener", "off (no PGDIALER_LISTEN and no webhook secret)");
    return;
  }
  const std::string address = config.listen_host + ":" + std::to_string(config.listen_port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(config.listen_port);
  if (::getaddrinfo(config.listen_host.c_str(), port.c_str(), &hints, &found) != 0 || !found) {
    report.line(Severity::config, "listener", address + ": cannot resolve " + config.listen_host);
    return;
  }
  int fd = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  int one = 1;
  if (fd >= 0) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const int bound = fd >= 0 ? ::bind(fd, found->ai_addr, found->ai_addrlen) : -1;
  const int error = errno;
  if (fd >= 0) ::close(fd);
  ::freeaddrinfo(found);
  if (bound == 0) {
    report.line(Severity::ok, "listener", address + " is free");
  } else if (error == EADDRINUSE) {
    httplib::Client client(
        config.listen_host == "0.0.0.0" || config.listen_host == "::" ? "127.0.0.1" : config.listen_host,
        config.listen_port);
    client.set_connection_timeout(2);
    client.set_read_timeout(2);
    auto reply = client.Get("/healthz");
    if (reply && reply->body.find("\"status\"") != std::string::npos)
      report.line(Severity::ok, "listener",
                  address + " is held by a running pgdialer-sync (/healthz answered " +
                      std::to_string(reply->status) + ")");
    else
      report.line(Severity::config, "listener", address + " is in use by another program");
  } else {
    report.line(Severity::config, "listener", address + ": " + std::strerror(error));
  }
  if (!config.webhook_secret.empty()) {
    const bool writable = ::access(config.journal_dir.c_str(), W_OK | X_OK) == 0;
    report.line(writable ? Severity::ok : Severity::config, "journal",
                config.journal_dir + (writable ? " is writable" : ": not a directory this user can write"));
  }
}

}  // namespace

int run_health_check(const Config& config) {
  Report report;
  report.line(Severity::ok, "configuration",
              "webhook routes " + (config.webhook_secret.empty()
                                       ? std::string("off (no secret)")
                                       : "on, secret from " + config.webhook_secret_source));
  check_database(config, report);
  check_credentials(config, report);
  check_listener(config, report);
  return report.exit_status();
}

}  // namespace pgdialer::sync
