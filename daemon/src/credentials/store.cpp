#include "credentials/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "credentials/name.hpp"
#include "credentials/secret_file.hpp"

namespace pgdialer::sync {
namespace {

// Credential files are a few hundred bytes; anything this large is not one.
constexpr off_t kMaxCredentialBytes = 64 * 1024;

bool same_file(const struct stat& st, dev_t device, ino_t inode, off_t size, const timespec& mtime) {
  return st.st_dev == device && st.st_ino == inode && st.st_size == size &&
         st.st_mtim.tv_sec == mtime.tv_sec && st.st_mtim.tv_nsec == mtime.tv_nsec;
}

}  // namespace

CredentialStore::FileState CredentialStore::read_file(const std::string& path, bool check_mode,
                                                      Credential* credential, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return FileState::absent;
    *error = path + ": " + std::strerror(errno);
    return FileState::unusable;
  }
  auto cached = cache_.find(path);
  if (cached != cache_.end() &&
      same_file(st, cached->second.device, cached->second.inode, cached->second.size, cached->second.mtime)) {
    if (!cached->second.parsed) {
      *error = cached->second.error;
      return FileState::unusable;
    }
    *credential = cached->second.credential;
    return FileState::found;
  }
  cache_.erase(path);

  // Checked on the opened file, so what is checked is what is read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return FileState::absent;
    *error = path + ": " + std::strerror(errno);
    return FileState::unusable;
  }
  struct stat opened {};
  std::string text;
  std::string problem;
  if (::fstat(fd, &opened) != 0)
    problem = path + ": " + std::strerror(errno);
  else if (!S_ISREG(opened.st_mode))
    problem = path + " is not a regular file";
  else if (check_mode)
    problem = secret_file_problem(path, opened);  // mode and owner
  if (problem.empty() && opened.st_size > kMaxCredentialBytes)
    problem = path + " is larger than " + std::to_string(kMaxCredentialBytes) + " bytes";
  if (problem.empty()) {
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        problem = path + ": " + std::strerror(errno);
        break;
      }
      if (n == 0) break;
      text.append(buffer, static_cast<size_t>(n));
      if (text.size() > static_cast<size_t>(kMaxCredentialBytes)) {
        problem = path + " is larger than " + std::to_string(kMaxCredentialBytes) + " bytes";
        break;
      }
    }
  }
  ::close(fd);

  CachedFile entry;
  entry.device = opened.st_dev;
  entry.inode = opened.st_ino;
  entry.size = opened.st_size;
  entry.mtime = opened.st_mtim;
  if (problem.empty()) {
    std::string parse_error;
    entry.parsed = parse_credential(text, &entry.credential, &parse_error);
    if (!entry.parsed) problem = path + " " + parse_error;
  }
  // Wipe the plain text copy; the parsed credential is what is kept.
  std::fill(text.begin(), text.end(), '\0');
  entry.error = problem;
  cache_[path] = entry;
  if (!entry.parsed) {
    *error = problem;
    return FileState::unusable;
  }
  *credential = entry.credential;
  return FileState::found;
}

CredentialLookup CredentialStore::lookup(const std::string& name) {
  CredentialLookup out;
  const std::string quoted = "PhoneBurner credential \"" + name + "\"";
  if (!valid_credential_name(name)) {
    out.status = CredentialLookup::Status::missing;
    out.error = quoted + " not found (not a valid credential name: expected [a-z0-9][a-z0-9_.-]{0,62})";
    return out;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> looked;
  auto try_file = [&](const std::string& path, bool check_mode, const std::string& source) {
    looked.push_back(path);
    std::string error;
    switch (read_file(path, check_mode, &out.credential, &error)) {
      case FileState::absent: return false;
      case FileState::found:
        out.status = CredentialLookup::Status::found;
        out.source = source;
        return true;
      case FileState::unusable:
        out.status = CredentialLookup::Status::unusable;
        out.error = quoted + " cannot be used: " + error;
        return true;
    }
    return false;
  };

  if (!options_.systemd_directory.empty() && try_file(options_.systemd_directory + "/phoneburner-" + name,
                                                      false, "systemd credential phoneburner-" + name))
    return out;
  if (!options_.credentials_dir.empty() &&
      try_file(options_.credentials_dir + "/" + name, true, "credentials dir " + options_.credentials_dir))
    return out;
  if (name == kDefaultCredential) {
    if (!options_.legacy_token_file.empty()) {
      // PHONEBURNER_TOKEN_FILE is checked like any credential file; the
      // systemd credential phoneburner-token is systemd's to protect.
      const bool check = !is_systemd_credential(options_.legacy_token_file, options_.systemd_directory);
      if (try_file(options_.legacy_token_file, check, options_.legacy_source)) return out;
      // Configured but gone since start-up: say so, it is not "missing".
      out.status = CredentialLookup::Status::unusable;
      out.error = quoted + " cannot be used: " + options_.legacy_token_file + " (" + options_.legacy_source +
                  ") no longer exists";
      return out;
    }
    if (!options_.legacy_token.empty()) {
      out.status = CredentialLookup::Status::found;
      out.credential = Credential{};
      out.credential.access_token = options_.legacy_token;
      out.source = options_.legacy_source;
      return out;
    }
  }
  out.status = CredentialLookup::Status::missing;
  std::string where;
  for (const std::string& path : looked) where += (where.empty() ? "" : ", ") + path;
  if (where.empty())
    where =
        "no credentials directory is configured: set PGDIALER_CREDENTIALS_DIR or a systemd credential "
        "phoneburner-" +
        name;
  else
    where = "looked for " + where;
  if (name == kDefaultCredential)
    where += "; none of PHONEBURNER_TOKEN_FILE, phoneburner-token, PHONEBURNER_TOKEN is set";
  out.error = quoted + " not found (" + where + ")";
  return out;
}

}  // namespace pgdialer::sync
