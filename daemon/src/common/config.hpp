// pgdialer-sync's configuration: defaults, then a config file, then the
// environment, then the command line. The PhoneBurner credentials are found
// by name when a job needs one (credentials/store); what is settled here is
// where to look, and the single-token install's token, which is read from a
// file, a systemd credential or the environment, and is never printed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgdialer::sync {

// A configuration the daemon cannot run with; exits with kExitConfig.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Exit codes (the systemd unit does not restart on kExitConfig).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 64;   // EX_USAGE
inline constexpr int kExitConfig = 78;  // EX_CONFIG

// Every setting's name: a config file key and an environment variable.
inline constexpr const char* kConfigKeys[] = {
    "DATABASE_URL",
    "PHONEBURNER_BASE_URL",
    "PHONEBURNER_TOKEN_FILE",
    "PHONEBURNER_TOKEN",
    "PGDIALER_CREDENTIALS_DIR",
    "PHONEBURNER_OAUTH_URL",
    "PHONEBURNER_CA_FILE",
    "PGDIALER_CONCURRENCY",
    "PGDIALER_REQUESTS_PER_SECOND",
    "PGDIALER_POLL_SECONDS",
    "PGDIALER_LEASE_SECONDS",
    "PGDIALER_WORKER_ID",
    "PGDIALER_WEBHOOK_BASE_URL",
    "PGDIALER_WEBHOOK_SECRET_FILE",
    "PGDIALER_WEBHOOK_SECRET",
    "PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE",
    "PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL",
    "PGDIALER_LISTEN",
    "PGDIALER_WEBHOOK_TIME_ZONE",
    "PGDIALER_JOURNAL_DIR",
    "PGDIALER_WEBHOOK_MAX_BODY_BYTES",
    "PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS",
    "PGDIALER_WEBHOOK_MAX_CONNECTIONS",
    "PGDIALER_WEBHOOK_WORKERS",
    "PGDIALER_WEBHOOK_QUEUE",
    "PGDIALER_JOURNAL_MAX_BYTES",
    "PGDIALER_REJECTED_MAX_BYTES",
    "PGDIALER_WEBHOOK_MAX_ATTEMPTS",
    "PGDIALER_TEMPLATE_SECONDS",
};

struct Config {
  std::string database_url;  // handed to libpq as is (URI or key=value)
  std::string phoneburner_base_url = "https://www.phoneburner.com/rest/1";
  // The single-token sources, which are credential "default"'s last resort:
  // a file (PHONEBURNER_TOKEN_FILE or $CREDENTIALS_DIRECTORY/phoneburner-token),
  // else the token itself (PHONEBURNER_TOKEN). Empty when none is set.
  std::string token_file;
  std::string token;         // PHONEBURNER_TOKEN; never logged
  std::string token_source;  // where the token came from, for messages; empty: none
  // One credential per rep: $CREDENTIALS_DIRECTORY (systemd) and
  // PGDIALER_CREDENTIALS_DIR hold credentials by name (credentials/store.hpp).
  std::string systemd_credentials_dir;
  std::string credentials_dir;
  // PhoneBurner's OAuth2 endpoints (refreshtoken); default: the base URL's
  // scheme://host[:port] + /oauth.
  std::string oauth_url;
  // PEM file of the CAs trusted for PhoneBurner's https (PHONEBURNER_CA_FILE);
  // empty: the system's CA store.
  std::string phoneburner_ca_file;
  int concurrency = 5;                // requests in flight per job
  double requests_per_second = 10.0;  // client-side pacing
  std::chrono::seconds poll_interval{5};
  // How often the daemon runs the list templates that are due
  // (dialer.run_due_templates); a template runs at most this late.
  std::chrono::seconds template_interval{30};
  std::chrono::seconds lease{30};
  std::chrono::seconds lease_renewal{10};
  std::chrono::seconds shutdown_grace{15};
  std::string webhook_base_url;  // callbacks for launched dial sessions; empty = none
  // The webhook receiver (its routes only with a secret).
  std::string webhook_secret;         // never logged; empty = no webhook routes, no callbacks
  std::string webhook_secret_source;  // where it came from, for the start-up log line
  // The secret being rotated out (PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE or the
  // systemd credential webhook-secret-previous): its tokens are still
  // accepted until webhook_previous_secret_until, so URLs PhoneBurner already
  // holds (account settings, dial sessions launched before the rotation)
  // keep working while they are replaced. New URLs use webhook_secret only.
  std::string webhook_previous_secret;  // never logged; empty = none
  std::string webhook_previous_secret_source;
  std::chrono::system_clock::time_point webhook_previous_secret_until{};
  // The HTTP listener (/healthz, /metrics, and the webhook routes with a
  // secret) runs when PGDIALER_LISTEN is set, or when a webhook secret is
  // (which needs it, at the default address if none is set); never with
  // --once. A daemon with neither listens nowhere, as it always did, so
  // several can run on one host without a port each.
  bool listen = false;
  std::string listen_host = "127.0.0.1";
  int listen_port = 8787;
  std::string webhook_time_zone = "America/Chicago";  // zone of PhoneBurner's start/end times
  std::string journal_dir = "/var/lib/pgdialer-sync";
  std::size_t webhook_max_body_bytes = 256 * 1024;
  // The listener's limits (webhook/server): requests handled at once, read
  // requests waiting for a worker (beyond: 503), open connections (beyond:
  // 503 "too many connections"), and the deadline from accept to a
  // request's last byte (beyond: 408, or a silent close if nothing came).
  int webhook_workers = 8;
  int webhook_queue = 64;
  int webhook_max_connections = 1024;
  std::chrono::seconds webhook_request_timeout{10};
  // Disk budgets of the webhook receiver (0: none): past them deliveries get
  // 503 instead of filling the disk; nothing acknowledged is dropped.
  std::uint64_t journal_max_bytes = 1ull << 30;
  std::uint64_t rejected_max_bytes = 256ull << 20;  // rejected files and held events together
  int webhook_max_attempts = 5;                     // before a failing event may be set aside
  std::string worker_id;                            // host/pid/random unless configured
  bool once = false;                                // process what is claimable now, then exit
  bool verbose = false;
  // Said at start-up as warnings (a secret taken from the environment or the
  // config file); never contain a secret.
  std::vector<std::string> warnings;
};

// Parses argv (after the program name). Returns false and fills `message`
// for --help (message = usage, ok) or bad arguments.
struct CommandLine {
  std::string config_file;
  bool help = false;
  bool version = false;  // --version: print the versions, then exit
  bool once = false;
  bool verbose = false;
  bool check_config = false;  // --check-config: check the configuration and the credentials, then exit
  bool check = false;  // --check: also the database, the extension, privileges, PhoneBurner, the listener
  // --print-webhook-url account|account:NAME|<session id>: print that URL and exit.
  std::optional<std::string> print_webhook_url;
  bool replay_held = false;  // --replay-held: replay the set-aside webhook events, then exit
  std::string error;         // non-empty: bad usage
};
CommandLine parse_command_line(int argc, char** argv);
std::string usage();

// Builds the configuration; throws ConfigError with a message that says what
// to fix. With --print-webhook-url, the database and PhoneBurner settings are
// not required.
Config load_config(const CommandLine& command_line);

// The settings of a --config file: KEY = value lines, '#' starts a comment,
// keys are the environment names. Throws ConfigError naming the line.
// (Exposed for tests/fuzz, which feeds it arbitrary text.)
std::map<std::string, std::string> read_config_file(const std::string& path);

// "host:port" or "[v6]:port" -> host and port; throws ConfigError.
void parse_listen_address(const std::string& text, std::string* host, int* port);

// The smallest webhook secret accepted, in bytes.
inline constexpr std::size_t kMinWebhookSecretBytes = 16;

}  // namespace pgdialer::sync
