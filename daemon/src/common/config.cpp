#include "common/config.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "credentials/credential.hpp"

namespace pgdialer::sync {

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// KEY = value lines; '#' starts a comment; keys are the environment names.
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

// A file holding the default credential (a bare token, or key=value lines):
// read once at start so a typo fails now, not at the first job; the
// credential store reads it again whenever a job needs it.
void check_credential_file(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read " + what + " " + path + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  Credential credential;
  std::string error;
  if (!parse_credential(buffer.str(), &credential, &error))
    throw ConfigError(what + " " + path + " " + error);
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

std::string read_secret_file(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read " + what + " " + path + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string token = trim(buffer.str());
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

double non_negative_number(const std::string& key, const std::string& value) {
  char* end = nullptr;
  double d = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !(d >= 0))
    throw ConfigError(key + " must be a number >= 0, not \"" + value + "\"");
  return d;
}

bool is_loopback_host(const std::string& url) {
  // scheme://host[:port]/...
  auto start = url.find("://");
  if (start == std::string::npos) return false;
  std::string rest = url.substr(start + 3);
  std::string host;
  if (!rest.empty() && rest[0] == '[') {
    host = rest.substr(0, rest.find(']') + 1);
  } else {
    host = rest.substr(0, rest.find_first_of(":/"));
  }
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
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

std::string usage() {
  return R"(Usage: pgdialer-sync [--config FILE] [--once] [--verbose]
       pgdialer-sync [--config FILE] --print-webhook-url account|account:NAME|SESSION_ID

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
  --print-webhook-url account|account:NAME|SESSION_ID
                  print the callback URL with its token (account:NAME: the one to paste into
                  the webhook settings of credential NAME's PhoneBurner account for
                  api_calldone; account: the same for credential default), then exit
  --verbose       also log debug lines
  --help          show this help

Settings (config file or environment; the environment wins):
  DATABASE_URL                 libpq connection string, URI or key=value (required)
  PHONEBURNER_BASE_URL         default https://www.phoneburner.com/rest/1; plain http only for loopback
  PGDIALER_CREDENTIALS_DIR     directory of PhoneBurner credentials, one file per name (mode 0600);
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
  PHONEBURNER_TOKEN            the token itself (least preferred)
  PGDIALER_CONCURRENCY         requests in flight per job (default 5)
  PGDIALER_REQUESTS_PER_SECOND client-side request rate limit per PhoneBurner account (default 10;
                               0 = none)
  PGDIALER_POLL_SECONDS        poll the queue this often besides LISTEN (default 5)
  PGDIALER_LEASE_SECONDS       job lease (default 30; renewed every third of it)
  PGDIALER_WORKER_ID           this daemon's name in the queue (default host/pid/random)
  PGDIALER_WEBHOOK_BASE_URL    public https:// base URL PhoneBurner calls back on (the listener as
                               the internet sees it; default: none, dial sessions get no callbacks)
  PGDIALER_WEBHOOK_SECRET_FILE file holding the webhook secret (at least 16 bytes), or
  $CREDENTIALS_DIRECTORY/webhook-secret   (systemd LoadCredential=webhook-secret:...), or
  PGDIALER_WEBHOOK_SECRET      the secret itself (least preferred); without one there are
                               no webhook routes and dial sessions get no callbacks
  PGDIALER_LISTEN              HTTP listener address, host:port or [v6]:port; setting it turns the
                               listener on (/healthz, /metrics; the webhook routes need a secret).
                               Unset: 127.0.0.1:8787 with a webhook secret, else no listener
  PGDIALER_WEBHOOK_TIME_ZONE   zone of PhoneBurner's start_time/end_time (default America/Chicago)
  PGDIALER_JOURNAL_DIR         directory of the webhook journal and of the newest OAuth refresh
                               tokens, in oauth/ (default $STATE_DIRECTORY, else /var/lib/pgdialer-sync)
  PGDIALER_WEBHOOK_MAX_BODY_BYTES  larger webhook bodies get 413 (default 262144)

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
    } else if (arg == "--once") {
      cl.once = true;
    } else if (arg == "--verbose" || arg == "-v") {
      cl.verbose = true;
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

Config load_config(const CommandLine& cl) {
  std::map<std::string, std::string> values;
  if (!cl.config_file.empty()) values = read_config_file(cl.config_file);
  for (const char* key :
       {"DATABASE_URL", "PHONEBURNER_BASE_URL", "PHONEBURNER_TOKEN_FILE", "PHONEBURNER_TOKEN",
        "PGDIALER_CREDENTIALS_DIR", "PHONEBURNER_OAUTH_URL", "PHONEBURNER_CA_FILE", "PGDIALER_CONCURRENCY",
        "PGDIALER_REQUESTS_PER_SECOND", "PGDIALER_POLL_SECONDS", "PGDIALER_LEASE_SECONDS",
        "PGDIALER_WORKER_ID", "PGDIALER_WEBHOOK_BASE_URL", "PGDIALER_WEBHOOK_SECRET_FILE",
        "PGDIALER_WEBHOOK_SECRET", "PGDIALER_LISTEN", "PGDIALER_WEBHOOK_TIME_ZONE", "PGDIALER_JOURNAL_DIR",
        "PGDIALER_WEBHOOK_MAX_BODY_BYTES"}) {
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
  c.database_url = get("DATABASE_URL");
  if (c.database_url.empty() && !printing)
    throw ConfigError(
        "DATABASE_URL is not set (a libpq connection string, e.g. "
        "postgresql:///crm?host=/run/postgresql)");
  if (!get("PHONEBURNER_BASE_URL").empty()) c.phoneburner_base_url = get("PHONEBURNER_BASE_URL");
  while (!c.phoneburner_base_url.empty() && c.phoneburner_base_url.back() == '/')
    c.phoneburner_base_url.pop_back();
  bool https = c.phoneburner_base_url.rfind("https://", 0) == 0;
  bool http = c.phoneburner_base_url.rfind("http://", 0) == 0;
  if (!https && !(http && is_loopback_host(c.phoneburner_base_url)))
    throw ConfigError("PHONEBURNER_BASE_URL must be https:// (plain http:// only for loopback hosts): " +
                      c.phoneburner_base_url);

  if (!get("PHONEBURNER_OAUTH_URL").empty()) {
    c.oauth_url = get("PHONEBURNER_OAUTH_URL");
    while (!c.oauth_url.empty() && c.oauth_url.back() == '/') c.oauth_url.pop_back();
    if (c.oauth_url.rfind("https://", 0) != 0 &&
        !(c.oauth_url.rfind("http://", 0) == 0 && is_loopback_host(c.oauth_url)))
      throw ConfigError("PHONEBURNER_OAUTH_URL must be https:// (plain http:// only for loopback hosts): " +
                        c.oauth_url);
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
  if (!c.credentials_dir.empty() && !printing) {
    struct stat st {};
    if (::stat(c.credentials_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      throw ConfigError("PGDIALER_CREDENTIALS_DIR " + c.credentials_dir + " is not a directory");
  }
  if (!get("PHONEBURNER_TOKEN_FILE").empty()) {
    c.token_file = get("PHONEBURNER_TOKEN_FILE");
    c.token_source = "PHONEBURNER_TOKEN_FILE";
    if (!printing) check_credential_file(c.token_file, "PHONEBURNER_TOKEN_FILE");
  } else if (credentials && std::ifstream(std::string(credentials) + "/phoneburner-token")) {
    c.token_file = std::string(credentials) + "/phoneburner-token";
    c.token_source = "systemd credential phoneburner-token";
    if (!printing) check_credential_file(c.token_file, "systemd credential");
  } else if (!get("PHONEBURNER_TOKEN").empty()) {
    c.token = trim(get("PHONEBURNER_TOKEN"));
    c.token_source = "PHONEBURNER_TOKEN";
  } else if (!printing && c.credentials_dir.empty() &&
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
  if (!get("PGDIALER_LEASE_SECONDS").empty())
    c.lease =
        std::chrono::seconds(positive_int("PGDIALER_LEASE_SECONDS", get("PGDIALER_LEASE_SECONDS"), 3600));
  if (c.lease.count() < 3) throw ConfigError("PGDIALER_LEASE_SECONDS must be at least 3");
  c.lease_renewal = std::chrono::seconds(std::max<long>(1, c.lease.count() / 3));
  c.webhook_base_url = get("PGDIALER_WEBHOOK_BASE_URL");
  while (!c.webhook_base_url.empty() && c.webhook_base_url.back() == '/') c.webhook_base_url.pop_back();
  if (!c.webhook_base_url.empty() && c.webhook_base_url.rfind("https://", 0) != 0 &&
      !(c.webhook_base_url.rfind("http://", 0) == 0 && is_loopback_host(c.webhook_base_url)))
    throw ConfigError("PGDIALER_WEBHOOK_BASE_URL must be https:// (plain http:// only for loopback hosts): " +
                      c.webhook_base_url);
  c.worker_id = get("PGDIALER_WORKER_ID").empty() ? default_worker_id() : get("PGDIALER_WORKER_ID");

  // The webhook secret, in the same order of preference as the token.
  if (!get("PGDIALER_WEBHOOK_SECRET_FILE").empty()) {
    c.webhook_secret = read_secret_file(get("PGDIALER_WEBHOOK_SECRET_FILE"), "PGDIALER_WEBHOOK_SECRET_FILE");
    c.webhook_secret_source = "PGDIALER_WEBHOOK_SECRET_FILE";
  } else if (credentials && std::ifstream(std::string(credentials) + "/webhook-secret")) {
    c.webhook_secret = read_secret_file(std::string(credentials) + "/webhook-secret", "systemd credential");
    c.webhook_secret_source = "systemd credential webhook-secret";
  } else if (!get("PGDIALER_WEBHOOK_SECRET").empty()) {
    c.webhook_secret = trim(get("PGDIALER_WEBHOOK_SECRET"));
    c.webhook_secret_source = "PGDIALER_WEBHOOK_SECRET";
  }
  if (!c.webhook_secret.empty() && c.webhook_secret.size() < kMinWebhookSecretBytes)
    throw ConfigError("the webhook secret (" + c.webhook_secret_source + ") must be at least " +
                      std::to_string(kMinWebhookSecretBytes) + " bytes; e.g. openssl rand -hex 32");
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
