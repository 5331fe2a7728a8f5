// For tests of load_config: every setting's variable (and systemd's
// CREDENTIALS_DIRECTORY and STATE_DIRECTORY) unset for the test, whatever
// the environment it runs in holds, and restored afterwards.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "common/config.hpp"

namespace pgdialer::sync::testing {

class ConfigEnvironment {
 public:
  ConfigEnvironment() {
    for_each([&](const char* name) {
      if (const char* v = std::getenv(name)) saved_.emplace_back(name, v);
      unsetenv(name);
    });
  }
  ~ConfigEnvironment() {
    for_each([](const char* name) { unsetenv(name); });
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }
  ConfigEnvironment(const ConfigEnvironment&) = delete;
  ConfigEnvironment& operator=(const ConfigEnvironment&) = delete;

 private:
  template <typename F>
  static void for_each(F f) {
    for (const char* name : kConfigKeys) f(name);
    f("CREDENTIALS_DIRECTORY");
    f("STATE_DIRECTORY");
  }
  std::vector<std::pair<std::string, std::string>> saved_;
};

}  // namespace pgdialer::sync::testing
