// fake-phoneburner's command line. Every knob is also a flag, named like its
// /_control/config key with '-' for '_' (--error-rate 0.1 == "error_rate":0.1).
#pragma once
#include "server.hpp"

#include <stdexcept>
#include <string>

namespace fake_pb {

struct Options {
  ServerOptions server;
  std::string state_file;  // written on exit when set
  bool help = false;
};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `--flag value` and `--flag=value`. `env_token` (FAKE_PHONEBURNER_TOKEN) is
// used when --token is absent. Throws UsageError (unless --help is given).
Options parse_options(int argc, const char* const* argv, const char* env_token);

std::string usage_text();

}  // namespace fake_pb
