#include "common/version.hpp"

#include <stdexcept>

namespace pgdialer::sync {

const char* daemon_version() { return PGDIALER_SYNC_VERSION; }

std::vector<int> parse_version(const std::string& version) {
  std::vector<int> parts;
  size_t i = 0;
  while (true) {
    size_t digits = 0;
    int value = 0;
    while (i < version.size() && version[i] >= '0' && version[i] <= '9' && digits < 7) {
      value = value * 10 + (version[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || digits > 6) break;
    parts.push_back(value);
    if (i == version.size()) {
      if (parts.size() <= 4) return parts;
      break;
    }
    if (version[i] != '.') break;
    ++i;
  }
  throw std::invalid_argument("invalid version \"" + version + "\" (numbers separated by dots, such as 1.0)");
}

int compare_versions(const std::string& a, const std::string& b) {
  std::vector<int> x = parse_version(a), y = parse_version(b);
  x.resize(4, 0);
  y.resize(4, 0);
  for (size_t i = 0; i < 4; ++i)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

bool extension_version_supported(const std::string& version) {
  return compare_versions(version, kExtensionVersionFrom) >= 0 &&
         compare_versions(version, kExtensionVersionBelow) < 0;
}

}  // namespace pgdialer::sync
