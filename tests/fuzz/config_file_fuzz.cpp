// The --config file's KEY = value reader (common/config read_config_file) on
// arbitrary text: it returns the settings or throws ConfigError, nothing else.
#include "common/config.hpp"
#include "memfd.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pgdialer::sync;
  pgdialer::fuzz::MemFile file(data, size);
  try {
    const auto values = read_config_file(file.path());
    // Keys and values are trimmed and never hold a newline or a comment.
    for (const auto& [key, value] : values) {
      if (key.find('\n') != std::string::npos || value.find('\n') != std::string::npos) std::abort();
      if (key.find('#') != std::string::npos || value.find('#') != std::string::npos) std::abort();
    }
  } catch (const ConfigError&) {
  }
  return 0;
}
