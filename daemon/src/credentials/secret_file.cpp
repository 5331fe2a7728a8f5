#include "credentials/secret_file.hpp"

#include <unistd.h>

#include <cstdio>

namespace pgdialer::sync {
namespace {

std::string octal_mode(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

}  // namespace

std::string secret_file_problem(const std::string& path, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return path + " is not a regular file";
  if ((st.st_mode & 077) != 0)
    return path + " has mode " + octal_mode(st.st_mode) +
           ": a secret file must not be readable or writable by group or others (chmod 600)";
  const uid_t me = ::geteuid();
  if (st.st_uid != me)
    return path + " is owned by uid " + std::to_string(st.st_uid) +
           ", not by the user the daemon runs as (uid " + std::to_string(me) + "): chown it to that user";
  return {};
}

bool is_systemd_credential(const std::string& path, const std::string& systemd_directory) {
  if (systemd_directory.empty()) return false;
  const std::string prefix = systemd_directory.back() == '/' ? systemd_directory : systemd_directory + "/";
  return path.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace pgdialer::sync
