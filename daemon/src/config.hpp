// pgdialer-sync's configuration: defaults, then a config file, then the
// environment, then the command line. The PhoneBurner token is read from a
// file, a systemd credential or the environment, and is never printed.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

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

struct Config {
  std::string database_url;  // handed to libpq as is (URI or key=value)
  std::string phoneburner_base_url = "https://www.phoneburner.com/rest/1";
  std::string token;         // never logged
  std::string token_source;  // where the token came from, for the start-up log line
  int concurrency = 5;                 // requests in flight per job
  double requests_per_second = 10.0;   // client-side pacing
  std::chrono::seconds poll_interval{5};
  std::chrono::seconds lease{30};
  std::chrono::seconds lease_renewal{10};
  std::chrono::seconds shutdown_grace{15};
  std::string webhook_base_url;  // callbacks for launched dial sessions; empty = none
  std::string worker_id;  // host/pid/random unless configured
  bool once = false;      // process what is claimable now, then exit
  bool verbose = false;
};

// Parses argv (after the program name). Returns false and fills `message`
// for --help (message = usage, ok) or bad arguments.
struct CommandLine {
  std::string config_file;
  bool help = false;
  bool once = false;
  bool verbose = false;
  std::string error;  // non-empty: bad usage
};
CommandLine parse_command_line(int argc, char** argv);
std::string usage();

// Builds the configuration; throws ConfigError with a message that says what
// to fix.
Config load_config(const CommandLine& command_line);

}  // namespace pgdialer::sync
