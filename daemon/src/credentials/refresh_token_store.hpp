// Where the daemon keeps the newest refresh token of each OAuth credential.
//
// PhoneBurner may hand out a new refresh token with every refresh and
// invalidate the old one, so the one in the credential file is soon stale:
// the newest is kept in <journal dir>/oauth/NAME (directory 0700, file 0600,
// replaced atomically: written to a temporary file, fsync'd, renamed), so a
// restart continues with it. The file also records a SHA-256 of the refresh
// token in the credential file it descends from: when an admin puts a new
// refresh token in the credential file (a re-authorization), the hashes no
// longer match and the credential file wins.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace pgdialer::sync {

class RefreshTokenStore {
 public:
  // `directory`: <journal dir>/oauth. Created (0700) on the first save.
  explicit RefreshTokenStore(std::string directory) : directory_(std::move(directory)) {}

  // The newest refresh token saved for credential `name`, if it descends
  // from `origin` (the refresh token in the credential file now); nullopt
  // when none is saved, it descends from another origin, or it is unreadable.
  std::optional<std::string> load(const std::string& name, const std::string& origin) const;

  // Saves `newest` as descending from `origin`. Throws std::runtime_error
  // (naming the path, never the token) when it cannot be made durable.
  void save(const std::string& name, const std::string& origin, const std::string& newest) const;

  std::string path_of(const std::string& name) const { return directory_ + "/" + name; }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

// Lowercase hex SHA-256 of `text`.
std::string sha256_hex(const std::string& text);

}  // namespace pgdialer::sync
