#include "common/config.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "credentials/credential.hpp"
#include "credentials/secret_file.hpp"
#include "http/url.hpp"

namespace pgdialer::sync {

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// Secret files are a few hundred bytes; anything this large is not one.
constexpr off_t kMaxSecretBytes = 64 * 1024;

// The whole of a file holding a secret. Unless it is one of systemd's
// credentials, it must be fit for a secret (credentials/secret_file: mode
// 0600 or stricter, owned by the daemon's user); checked on the opened file,
// so what is checked is what is read. Throws ConfigError naming the file.
std::string read_secret(const std::string& path, const std::string& what, bool check) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw ConfigError("cannot read " + what + " " + path + ": " + std::strerror(errno));
  struct stat st {};
  std::string problem;
  std::string text;
  if (::fstat(fd, &st) != 0)
    problem = path + ": " + std::strerror(errno);
  else if (check)
    problem = secret_file_problem(path, st);
  else if (!S_ISREG(st.st_mode))
    problem = path + " is not a regular file";
  if (problem.empty() && st.st_size > kMaxSecretBytes)
    problem = path + " is larger than " + std::to_string(kMaxSecretBytes) + " bytes";
  char buffer[4096];
  while (problem.empty()) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) problem = path + ": " + std::strerror(errno);
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > static_cast<size_t>(kMaxSecretBytes))
      problem = path + " is larger than " + std::to_string(kMaxSecretBytes) + " bytes";
  }
  ::close(fd);
  if (!problem.empty()) {
    std::fill(text.begin(), text.end(), '\0');
    throw ConfigError(what + ": " + problem);
  }
  return text;
}

// A file holding the default credential (a bare token, or key=value lines):
// read once at start so a typo fails now, not at the first job; the
// credential store reads it again whenever a job needs it.
void check_credential_file(const std::string& path, const std::string& what, bool check) {
  std::string text = read_secret(path, what, check);
  Credential credential;
  std::string error;
  const bool parsed = parse_credential(text, &credential, &error);
  std::fill(text.begin(), text.end(), '\0');
  if (!parsed) throw ConfigError(what + " " + path + " " + error);
}

// Whether a systemd credentials directory holds any phoneburner-NAME.
bool holds_phoneburner_credentials(const std::string& directory) {
  DIR* dir = ::opendir(directory.c_str());
  if (!dir) return false;
  bool found = false;
  while (dirent* entry = ::readdir(dir))
    if (std::string(entry->d_name).rfind("phoneburner-", 0) == 0) found = true;
  ::closedir(dir);
  return found;
}

std::string read_secret_file(const std::string& path, const std::string& what, bool check) {
  std::string text = read_secret(path, what, check);
  std::string token = trim(text);
  std::fill(text.begin(), text.end(), '\0');
  if (token.empty()) throw ConfigError(what + " " + path + " is empty");
  return token;
}

int positive_int(const std::string& key, const std::string& value, int max) {
  char* end = nullptr;
  long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n < 1 || n > max)
    throw ConfigError(key + " must be a whole number from 1 to " + std::to_string(max) + ", not \"" + value +
                      "\"");
  return static_cast<int>(n);
}

// A size in bytes, 0 meaning "no cap".
std::uint64_t byte_count(const std::string& key, const std::string& value) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
  if (value.empty() || value[0] == '-' || *end != '\0' || errno == ERANGE)
    throw ConfigError(key + " must be a number of bytes (0: no cap), not \"" + value + "\"");
  return static_cast<std::uint64_t>(n);
}

double non_negative_number(const std::string& key, const std::string& value) {
  char* end = nullptr;
  double d = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !(d >= 0))
    throw ConfigError(key + " must be a number >= 0, not \"" + value + "\"");
  return d;
}

// Every URL setting goes through the one check of http/url (the clients
// check theirs again with it); the message names the setting.
std::string checked_url(const std::string& key, const std::string& value) {
  try {
    return http::validate_base_url(value, key);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());
  }
}

// A zone name as the tz database spells them (America/Chicago, UTC,
// Etc/GMT+6); checked against the system's zoneinfo when there is one, so a
// typo fails at start-up rather than in every converted call time.
void check_time_zone(const std::string& zone) {
  const bool plain =
      !zone.empty() && zone.find("..") == std::string::npos && zone[0] != '/' &&
      zone.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") ==
          std::string::npos;
  if (!plain) throw ConfigError("PGDIALER_WEBHOOK_TIME_ZONE is not a time zone name: \"" + zone + "\"");
  const std::string zoneinfo = "/usr/share/zoneinfo";
  if (std::ifstream(zoneinfo + "/UTC") && !std::ifstream(zoneinfo + "/" + zone))
    throw ConfigError("PGDIALER_WEBHOOK_TIME_ZONE: unknown time zone \"" + zone + "\" (see " + zoneinfo +
                      ")");
}

std::string default_worker_id() {
  char host[256] = "unknown";
  gethostname(host, sizeof host - 1);
  std::random_device random;
  std::ostringstream id;
  id << host << "/" << getpid() << "/" << std::hex << (random() & 0xffffff);
  return id.str();
}

}  // namespace

std::map<std::string, std::string> read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read config file " + path + ": " + std::strerror(errno));
  std::map<std::string, std::string> values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    line = trim(line);
    if (line.empty()) continue;
    auto eq = line.find('=');
    if (eq == std::string::npos)
      throw ConfigError(path + ":" + std::to_string(number) + ": expected KEY = value");
    values[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return values;
}

std::string usage() {
  return R"(Usage: pgdialer-sync [--config FILE] [--once] [--verbose]
       pgdialer-sync [--config FILE] --check-config
       pgdialer-sync [--config FILE] --check
       pgdialer-sync [--config FILE] --print-webhook-url account|account:NAME|SESSION_ID
       pgdialer-sync [--config FILE] --replay-held
       pgdialer-sync --version

Works pgdialer's push queue: claims jobs from PostgreSQL (dialer.claim_push_job),
writes their contacts into the PhoneBurner account (credential) each job names,
and records every outcome back. With a webhook secret it also receives
PhoneBurner's call webhooks and records them (dialer.record_call_event),
journaling them locally while PostgreSQL is away.
Its HTTP listener serves GET /healthz and GET /metrics, plus the webhook routes
with a secret; it runs when PGDIALER_LISTEN or a webhook secret is set.

Options:
  --config FILE   read KEY = value settings from FILE (same keys as the environment)
  --once          process every job claimable now (queued or with an expired lease), then exit
                  (no HTTP listener)
  --check-config  check the settings, the URLs and every secret file and PhoneBurner credential
                  (mode, owner, content) as the daemon would, print what is used (never a
                  secret), then exit: 0 if it can start, 78 if not. Connects to nothing
  --check         everything a start needs, online, one line per check (ok, warn or FAIL): the
                  configuration and every credential (as --check-config), the database connection,
                  the extension version, the login's privileges, each credential's token against
                  PhoneBurner, the listener's address and the journal directory. Run it as the
                  daemon's user. Exit 0 if all pass, 78 if one needs a configuration change, 1 if
                  only connecting to the database or reaching PhoneBurner failed
  --print-webhook-url account|account:NAME|SESSION_ID
                  print the callback URL with its token (account:NAME: the one to paste into
                  the webhook settings of credential NAME's PhoneBurner account for
                  api_calldone; account: the same for credential default), then exit
  --replay-held   put the webhook events set aside as poison (<journal dir>/webhook-held) back
                  into PostgreSQL, oldest first, once their cause is fixed; those that still fail
                  stay held. Exits 0 when none is left. Safe while the daemon runs
  --verbose       also log debug lines
  --version       print this daemon's version and the pgdialer extension versions it supports
  --help          show this help

Settings (config file or environment; the environment wins):
  DATABASE_URL                 libpq connection string, URI or key=value (required)
  PHONEBURNER_BASE_URL         default https://www.phoneburner.com/rest/1; plain http only for loopback
  PGDIALER_CREDENTIALS_DIR     directory of PhoneBurner credentials, one file per name;
                               a job's credential NAME is $CREDENTIALS_DIRECTORY/phoneburner-NAME
                               (systemd LoadCredential=phoneburner-NAME:...), else this dir's NAME.
                               A file holds the access token, or key=value lines: access_token=, or
                               client_id=, client_secret=, refresh_token= (OAuth2)
  PHONEBURNER_OAUTH_URL        PhoneBurner's OAuth2 URL (default: the base URL's host + /oauth)
  PHONEBURNER_CA_FILE          PEM file of the certificate authorities to trust for https instead of
                               the system's CA store (a private or test CA). TLS 1.2 or newer only;
                               a certificate that does not verify is a configuration error (exit 78
                               at start-up; a job's attempt fails saying so), never retried
  Credential default (single-account installs) also falls back to:
  PHONEBURNER_TOKEN_FILE       file holding the personal access token, or
  $CREDENTIALS_DIRECTORY/phoneburner-token   (systemd LoadCredential=phoneburner-token:...), or
  PHONEBURNER_TOKEN            the token itself (for development: logs a warning)
  PGDIALER_CONCURRENCY         requests in flight per job (default 5)
  PGDIALER_REQUESTS_PER_SECOND client-side request rate limit per PhoneBurner account (default 10;
                               0 = none)
  PGDIALER_POLL_SECONDS        poll the queue this often besides LISTEN (default 5)
  PGDIALER_LEASE_SECONDS       job lease (default 30; renewed every third of it)
  PGDIALER_TEMPLATE_SECONDS    run the list templates that are due this often (default 30)
  PGDIALER_WORKER_ID           this daemon's name in the queue (default host/pid/random)
  PGDIALER_WEBHOOK_BASE_URL    public https:// base URL PhoneBurner calls back on (the listener as
                               the internet sees it; default: none, dial sessions get no callbacks)
  PGDIALER_WEBHOOK_SECRET_FILE file holding the webhook secret (at least 16 bytes), or
  $CREDENTIALS_DIRECTORY/webhook-secret   (systemd LoadCredential=webhook-secret:...), or
  PGDIALER_WEBHOOK_SECRET      the secret itself (for development: logs a warning); without one
                               there are no webhook routes and dial sessions get no callbacks
  PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE  the secret being rotated out (or the systemd credential
                               webhook-secret-previous): its URLs keep working until
  PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL  a UTC time such as 2026-12-09T00:00:00Z (required with it)
  Files holding secrets (credentials, the token file, the webhook secret file) must be mode 0600
  or stricter and owned by the user the daemon runs as, else it refuses to start (a credential
  file: that job fails), naming the file; systemd credentials are systemd's to protect.
  Every URL must be https:// (plain http:// only to a loopback host) without user@, query or
  fragment.
  PGDIALER_LISTEN              HTTP listener address, host:port or [v6]:port; setting it turns the
                               listener on (/healthz, /metrics; the webhook routes need a secret).
                               Unset: 127.0.0.1:8787 with a webhook secret, else no listener
  PGDIALER_WEBHOOK_TIME_ZONE   zone of PhoneBurner's start_time/end_time (default America/Chicago)
  PGDIALER_JOURNAL_DIR         directory of the webhook journal and of the newest OAuth refresh
                               tokens, in oauth/ (default $STATE_DIRECTORY, else /var/lib/pgdialer-sync)
  PGDIALER_WEBHOOK_MAX_BODY_BYTES  larger webhook bodies get 413 (default 262144)
  PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS  a request (headers and body) must arrive within this
                               many seconds of connecting, else 408 (or a silent close if nothing
                               came; default 10)
  PGDIALER_WEBHOOK_MAX_CONNECTIONS  open listener connections at most; beyond it a connection is
                               answered 503 "too many connections" (default 1024; lowered, with a
                               warning, to fit the descriptor limit, LimitNOFILE)
  PGDIALER_WEBHOOK_WORKERS     requests handled at once (default 8)
  PGDIALER_WEBHOOK_QUEUE       requests read and waiting for a worker; beyond it 503 "server busy"
                               (default 64)
  PGDIALER_JOURNAL_MAX_BYTES   cap on the webhook journal file; beyond it deliveries get 503
                               (default 1073741824; 0 = no cap)
  PGDIALER_REJECTED_MAX_BYTES  cap on the rejected and held webhook event files together; beyond it
                               deliveries that need them get 503 (default 268435456; 0 = no cap)
  PGDIALER_WEBHOOK_MAX_ATTEMPTS  failures of the oldest journaled event before the events behind it
                               are tried and, if they go through, it is set aside (default 5)

At start and after every reconnect the daemon reads the installed pgdialer extension's version
(pg_extension) and records itself (dialer.daemon_versions); an extension version it does not support,
or an extension that no longer supports this daemon, stops it with exit status 78.

Exit status: 0 after a clean stop, 1 on a runtime failure, 64 for bad usage,
78 for a configuration error (systemd does not restart on it).
)";
}

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine cl;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      cl.help = true;
    } else if (arg == "--version") {
      cl.version = true;
    } else if (arg == "--once") {
      cl.once = true;
    } else if (arg == "--check-config") {
      cl.check_config = true;
    } else if (arg == "--check") {
      cl.check = true;
    } else if (arg == "--verbose" || arg == "-v") {
      cl.verbose = true;
    } else if (arg == "--replay-held") {
      cl.replay_held = true;
    } else if (arg == "--print-webhook-url" && i + 1 < argc) {
      cl.print_webhook_url = argv[++i];
    } else if (arg.rfind("--print-webhook-url=", 0) == 0) {
      cl.print_webhook_url = arg.substr(20);
    } else if (arg == "--config" && i + 1 < argc) {
      cl.config_file = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      cl.config_file = arg.substr(9);
    } else {
      cl.error = "unknown argument \"" + arg + "\"";
      return cl;
    }
  }
  return cl;
}

namespace {

// "2026-12-09T00:00:00Z": a UTC time, to the second. Anything else throws.
std::chrono::system_clock::time_point parse_utc_time(const std::string& name, const std::string& text) {
  std::tm tm{};
  char zulu = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &zulu, &consumed) != 7 ||
      zulu != 'Z' || consumed != static_cast<int>(text.size()) || tm.tm_mon < 1 || tm.tm_mon > 12 ||
      tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
    throw ConfigError(name + " must be a UTC time such as 2026-12-09T00:00:00Z, not \"" + text + "\"");
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

// The secret being rotated out and until when its tokens are accepted; both
// or neither, and only beside a current secret that differs from it.
template <typename Get>
void read_previous_webhook_secret(const Get& get, const char* credentials, Config* c) {
  const std::string path = get("PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE");
  if (!path.empty()) {
    c->webhook_previous_secret = read_secret_file(path, "PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE",
                                                  !is_systemd_credential(path, c->systemd_credentials_dir));
    c->webhook_previous_secret_source = "PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE";
  } else if (credentials && std::ifstream(std::string(credentials) + "/webhook-secret-previous")) {
    c->webhook_previous_secret =
        read_secret_file(std::string(credentials) + "/webhook-secret-previous", "systemd credential", false);
    c->webhook_previous_secret_source = "systemd credential webhook-secret-previous";
  }
  const std::string until = get("PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL");
  if (c->webhook_previous_secret.empty()) {
    if (!until.empty())
      throw ConfigError(
          "PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL is set but there is no previous webhook secret");
    return;
  }
  if (c->webhook_secret.empty())
    throw ConfigError("a previous webhook secret (" + c->webhook_previous_secret_source +
                      ") needs a current one to rotate to");
  if (c->webhook_previous_secret == c->webhook_secret)
    throw ConfigError("the previous webhook secret (" + c->webhook_previous_secret_source +
                      ") is the current one: rotate to a new secret");
  if (until.empty())
    throw ConfigError(
        "a previous webhook secret needs PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL: the UTC time its "
        "tokens stop being accepted, e.g. 2026-12-09T00:00:00Z");
  c->webhook_previous_secret_until = parse_utc_time("PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL", until);
}

}  // namespace

Config load_config(const CommandLine& cl) {
  std::map<std::string, std::string> values;
  if (!cl.config_file.empty()) values = read_config_file(cl.config_file);
  for (const char* key : kConfigKeys) {
    if (const char* env = std::getenv(key)) values[key] = env;
  }
  auto get = [&](const char* key) -> std::string {
    auto it = values.find(key);
    return it == values.end() ? "" : it->second;
  };

  Config c;
  c.once = cl.once;
  c.verbose = cl.verbose;
  // Printing a webhook URL needs only the base URL and the secret.
  const bool printing = cl.print_webhook_url.has_value();
  // Replaying held webhook events needs the database and the journal
  // directory, not PhoneBurner.
  const bool no_phoneburner = printing || cl.replay_held;
  c.database_url = get("DATABASE_URL");
  if (c.database_url.empty() && !printing)
    throw ConfigError(
        "DATABASE_URL is not set (a libpq connection string, e.g. "
        "postgresql:///crm?host=/run/postgresql)");
  if (!get("PHONEBURNER_BASE_URL").empty()) c.phoneburner_base_url = get("PHONEBURNER_BASE_URL");
  c.phoneburner_base_url = checked_url("PHONEBURNER_BASE_URL", c.phoneburner_base_url);

  if (!get("PHONEBURNER_OAUTH_URL").empty()) {
    c.oauth_url = checked_url("PHONEBURNER_OAUTH_URL", get("PHONEBURNER_OAUTH_URL"));
  } else {
    // scheme://host[:port] of the base URL + /oauth.
    const auto path = c.phoneburner_base_url.find('/', c.phoneburner_base_url.find("://") + 3);
    c.oauth_url = c.phoneburner_base_url.substr(0, path) + "/oauth";
  }

  // Checked here so that a typo is a configuration error naming the setting,
  // not a certificate failure at the first request.
  c.phoneburner_ca_file = get("PHONEBURNER_CA_FILE");
  if (!c.phoneburner_ca_file.empty() && !printing && !std::ifstream(c.phoneburner_ca_file))
    throw ConfigError("PHONEBURNER_CA_FILE " + c.phoneburner_ca_file + " cannot be read");

  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (credentials && *credentials) c.systemd_credentials_dir = credentials;
  c.credentials_dir = get("PGDIALER_CREDENTIALS_DIR");
  while (c.credentials_dir.size() > 1 && c.credentials_dir.back() == '/') c.credentials_dir.pop_back();
  if (!c.credentials_dir.empty() && !no_phoneburner) {
    struct stat st {};
    if (::stat(c.credentials_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      throw ConfigError("PGDIALER_CREDENTIALS_DIR " + c.credentials_dir + " is not a directory");
  }
  if (!get("PHONEBURNER_TOKEN_FILE").empty()) {
    c.token_file = get("PHONEBURNER_TOKEN_FILE");
    c.token_source = "PHONEBURNER_TOKEN_FILE";
    if (!no_phoneburner)
      check_credential_file(c.token_file, "PHONEBURNER_TOKEN_FILE",
                            !is_systemd_credential(c.token_file, c.systemd_credentials_dir));
  } else if (credentials && std::ifstream(std::string(credentials) + "/phoneburner-token")) {
    c.token_file = std::string(credentials) + "/phoneburner-token";
    c.token_source = "systemd credential phoneburner-token";
    if (!no_phoneburner) check_credential_file(c.token_file, "systemd credential", false);
  } else if (!get("PHONEBURNER_TOKEN").empty()) {
    c.token = trim(get("PHONEBURNER_TOKEN"));
    c.token_source = "PHONEBURNER_TOKEN";
    c.warnings.push_back(
        "the PhoneBurner token comes from PHONEBURNER_TOKEN (the environment or the config file): "
        "that is for development; in production use a file of mode 0600 (PHONEBURNER_TOKEN_FILE) or a "
        "systemd credential");
  } else if (!no_phoneburner && c.credentials_dir.empty() &&
             !(credentials && holds_phoneburner_credentials(credentials))) {
    // A single-account install without its token; a per-rep install may
    // have no "default" at all.
    throw ConfigError(
        "no PhoneBurner token: set PHONEBURNER_TOKEN_FILE, a systemd credential "
        "named phoneburner-token, or PHONEBURNER_TOKEN (or PGDIALER_CREDENTIALS_DIR for one "
        "credential per rep)");
  }

  if (!get("PGDIALER_CONCURRENCY").empty())
    c.concurrency = positive_int("PGDIALER_CONCURRENCY", get("PGDIALER_CONCURRENCY"), 64);
  if (!get("PGDIALER_REQUESTS_PER_SECOND").empty())
    c.requests_per_second =
        non_negative_number("PGDIALER_REQUESTS_PER_SECOND", get("PGDIALER_REQUESTS_PER_SECOND"));
  if (!get("PGDIALER_POLL_SECONDS").empty())
    c.poll_interval =
        std::chrono::seconds(positive_int("PGDIALER_POLL_SECONDS", get("PGDIALER_POLL_SECONDS"), 3600));
  if (!get("PGDIALER_TEMPLATE_SECONDS").empty())
    c.template_interval = std::chrono::seconds(
        positive_int("PGDIALER_TEMPLATE_SECONDS", get("PGDIALER_TEMPLATE_SECONDS"), 3600));
  if (!get("PGDIALER_LEASE_SECONDS").empty())
    c.lease =
        std::chrono::seconds(positive_int("PGDIALER_LEASE_SECONDS", get("PGDIALER_LEASE_SECONDS"), 3600));
  if (c.lease.count() < 3) throw ConfigError("PGDIALER_LEASE_SECONDS must be at least 3");
  c.lease_renewal = std::chrono::seconds(std::max<long>(1, c.lease.count() / 3));
  if (!get("PGDIALER_WEBHOOK_BASE_URL").empty())
    c.webhook_base_url = checked_url("PGDIALER_WEBHOOK_BASE_URL", get("PGDIALER_WEBHOOK_BASE_URL"));
  c.worker_id = get("PGDIALER_WORKER_ID").empty() ? default_worker_id() : get("PGDIALER_WORKER_ID");

  // The webhook secret, in the same order of preference as the token.
  if (!get("PGDIALER_WEBHOOK_SECRET_FILE").empty()) {
    const std::string path = get("PGDIALER_WEBHOOK_SECRET_FILE");
    c.webhook_secret = read_secret_file(path, "PGDIALER_WEBHOOK_SECRET_FILE",
                                        !is_systemd_credential(path, c.systemd_credentials_dir));
    c.webhook_secret_source = "PGDIALER_WEBHOOK_SECRET_FILE";
  } else if (credentials && std::ifstream(std::string(credentials) + "/webhook-secret")) {
    c.webhook_secret =
        read_secret_file(std::string(credentials) + "/webhook-secret", "systemd credential", false);
    c.webhook_secret_source = "systemd credential webhook-secret";
  } else if (!get("PGDIALER_WEBHOOK_SECRET").empty()) {
    c.webhook_secret = trim(get("PGDIALER_WEBHOOK_SECRET"));
    c.webhook_secret_source = "PGDIALER_WEBHOOK_SECRET";
    c.warnings.push_back(
        "the webhook secret comes from PGDIALER_WEBHOOK_SECRET (the environment or the config file): "
        "that is for development; in production use a file of mode 0600 (PGDIALER_WEBHOOK_SECRET_FILE) or a "
        "systemd credential");
  }
  if (!c.webhook_secret.empty() && c.webhook_secret.size() < kMinWebhookSecretBytes)
    throw ConfigError("the webhook secret (" + c.webhook_secret_source + ") must be at least " +
                      std::to_string(kMinWebhookSecretBytes) + " bytes; e.g. openssl rand -hex 32");
  read_previous_webhook_secret(get, credentials, &c);
  if (!get("PGDIALER_LISTEN").empty())
    parse_listen_address(get("PGDIALER_LISTEN"), &c.listen_host, &c.listen_port);
  c.listen = !c.once && (!get("PGDIALER_LISTEN").empty() || !c.webhook_secret.empty());
  if (!get("PGDIALER_WEBHOOK_TIME_ZONE").empty()) c.webhook_time_zone = get("PGDIALER_WEBHOOK_TIME_ZONE");
  check_time_zone(c.webhook_time_zone);
  if (!get("PGDIALER_JOURNAL_DIR").empty()) {
    c.journal_dir = get("PGDIALER_JOURNAL_DIR");
  } else if (const char* state = std::getenv("STATE_DIRECTORY"); state && *state) {
    // systemd's StateDirectory=; several would be ':'-separated: take the first.
    c.journal_dir = std::string(state).substr(0, std::string(state).find(':'));
  }
  if (!get("PGDIALER_WEBHOOK_MAX_BODY_BYTES").empty())
    c.webhook_max_body_bytes = static_cast<std::size_t>(positive_int(
        "PGDIALER_WEBHOOK_MAX_BODY_BYTES", get("PGDIALER_WEBHOOK_MAX_BODY_BYTES"), 64 * 1024 * 1024));
  if (!get("PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS").empty())
    c.webhook_request_timeout = std::chrono::seconds(positive_int(
        "PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS", get("PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS"), 300));
  if (!get("PGDIALER_WEBHOOK_MAX_CONNECTIONS").empty())
    c.webhook_max_connections =
        positive_int("PGDIALER_WEBHOOK_MAX_CONNECTIONS", get("PGDIALER_WEBHOOK_MAX_CONNECTIONS"), 1000000);
  if (!get("PGDIALER_WEBHOOK_WORKERS").empty())
    c.webhook_workers = positive_int("PGDIALER_WEBHOOK_WORKERS", get("PGDIALER_WEBHOOK_WORKERS"), 256);
  if (!get("PGDIALER_WEBHOOK_QUEUE").empty())
    c.webhook_queue = positive_int("PGDIALER_WEBHOOK_QUEUE", get("PGDIALER_WEBHOOK_QUEUE"), 100000);
  if (!get("PGDIALER_JOURNAL_MAX_BYTES").empty())
    c.journal_max_bytes = byte_count("PGDIALER_JOURNAL_MAX_BYTES", get("PGDIALER_JOURNAL_MAX_BYTES"));
  if (!get("PGDIALER_REJECTED_MAX_BYTES").empty())
    c.rejected_max_bytes = byte_count("PGDIALER_REJECTED_MAX_BYTES", get("PGDIALER_REJECTED_MAX_BYTES"));
  if (!get("PGDIALER_WEBHOOK_MAX_ATTEMPTS").empty())
    c.webhook_max_attempts =
        positive_int("PGDIALER_WEBHOOK_MAX_ATTEMPTS", get("PGDIALER_WEBHOOK_MAX_ATTEMPTS"), 100);
  return c;
}

void parse_listen_address(const std::string& text, std::string* host, int* port) {
  const std::string bad = "PGDIALER_LISTEN must be host:port or [ipv6]:port, not \"" + text + "\"";
  std::string h, p;
  if (!text.empty() && text[0] == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw ConfigError(bad);
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) throw ConfigError(bad);
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  if (h.empty() || p.empty() || p.find_first_not_of("0123456789") != std::string::npos || p.size() > 5)
    throw ConfigError(bad);
  const int n = std::stoi(p);
  if (n < 1 || n > 65535) throw ConfigError(bad);
  *host = h;
  *port = n;
}

}  // namespace pgdialer::sync
