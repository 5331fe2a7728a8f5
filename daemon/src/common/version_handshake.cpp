#include "common/version_handshake.hpp"

#include "common/version.hpp"

namespace pgdialer::sync {
namespace {

std::string supported_range() {
  return std::string(kExtensionVersionFrom) + " <= version < " + kExtensionVersionBelow;
}

}  // namespace

std::string check_extension_version(PgConnection& db, const std::string& worker_id, bool record) {
  PgResult found = db.exec("SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pgdialer'");
  if (found.rows() == 0)
    throw IncompatibleVersion(
        "the pgdialer extension is not installed in this database: run CREATE EXTENSION pgdialer "
        "(or check DATABASE_URL)");
  const std::string installed = found.text(0, 0);
  bool supported = false;
  try {
    supported = extension_version_supported(installed);
  } catch (const std::invalid_argument&) {
    supported = false;
  }

  if (record) {
    // A supported extension has dialer.daemon_hello; another may not, or
    // with another meaning: call it only if this exact signature exists, so
    // a refusal is still on record where it can be.
    std::optional<std::string> minimum;
    const std::vector<std::optional<std::string>> params = {daemon_version(), worker_id,
                                                            kExtensionVersionFrom, kExtensionVersionBelow};
    if (supported) {
      minimum = db.exec("SELECT dialer.daemon_hello($1, $2, $3, $4)", params).optional_text(0, 0);
    } else {
      try {
        PgResult r = db.exec(
            "SELECT CASE WHEN pg_catalog.to_regprocedure('dialer.daemon_hello(text,text,text,text)') "
            "IS NOT NULL THEN dialer.daemon_hello($1, $2, $3, $4) END",
            params);
        minimum = r.optional_text(0, 0);
      } catch (const DbError& e) {
        if (e.connection_lost()) throw;
      }
    }
    if (supported && minimum && compare_versions(daemon_version(), *minimum) < 0)
      throw IncompatibleVersion("pgdialer-sync " + std::string(daemon_version()) +
                                " is older than the oldest daemon the installed extension " + installed +
                                " supports (" + *minimum + "): upgrade pgdialer-sync");
  }
  if (!supported) {
    std::string advice =
        "upgrade the extension (ALTER EXTENSION pgdialer UPDATE) or install a "
        "pgdialer-sync that supports it";
    try {
      if (compare_versions(installed, kExtensionVersionBelow) >= 0)
        advice = "upgrade pgdialer-sync to a version that supports it";
    } catch (const std::invalid_argument&) {
    }
    throw IncompatibleVersion("the installed pgdialer extension is version " + installed +
                              "; pgdialer-sync " + daemon_version() + " supports " + supported_range() +
                              ": " + advice);
  }
  return installed;
}

}  // namespace pgdialer::sync
