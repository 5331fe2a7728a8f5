#include "credentials/refresh_token_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace pgdialer::sync {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot save the OAuth refresh token: " + what + " " + path + ": " +
                           std::strerror(errno));
}

// mkdir, then make sure it is 0700 even if it existed with wider bits.
void ensure_private_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) fail("mkdir", path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail("stat", path);
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    fail("mkdir", path);
  }
  if ((st.st_mode & 0777) != 0700 && ::chmod(path.c_str(), 0700) != 0) fail("chmod", path);
}

void write_all(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write", path);
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr))
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

std::optional<std::string> RefreshTokenStore::load(const std::string& name, const std::string& origin) const {
  std::ifstream in(path_of(name));
  if (!in) return std::nullopt;
  std::string saved_origin, token;
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "origin_sha256") saved_origin = value;
    if (key == "refresh_token") token = value;
  }
  if (token.empty() || saved_origin != sha256_hex(origin)) return std::nullopt;
  return token;
}

void RefreshTokenStore::save(const std::string& name, const std::string& origin,
                             const std::string& newest) const {
  // The journal directory may not exist yet (no webhook secret): its parent
  // is the service's state directory, so only the last two levels are made,
  // and only the oauth directory's mode is enforced (the journal directory
  // may be one an admin chose).
  const auto slash = directory_.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    const std::string parent = directory_.substr(0, slash);
    if (::mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST) fail("mkdir", parent);
  }
  ensure_private_dir(directory_);
  const std::string path = path_of(name);
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) fail("open", temporary);
  try {
    if (::fchmod(fd, 0600) != 0) fail("chmod", temporary);
    write_all(fd,
              "# pgdialer-sync: the newest OAuth refresh token of PhoneBurner credential " + name +
                  " (do not edit; delete to start again from the credential file)\n"
                  "origin_sha256=" +
                  sha256_hex(origin) + "\nrefresh_token=" + newest + "\n",
              temporary);
    if (::fsync(fd) != 0) fail("fsync", temporary);
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(temporary.c_str());
    fail("close", temporary);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    fail("rename", temporary);
  }
  // The rename itself must survive a crash too.
  const int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) fail("open", directory_);
  const int synced = ::fsync(dir);
  ::close(dir);
  if (synced != 0) fail("fsync", directory_);
}

}  // namespace pgdialer::sync
