// Finds a PhoneBurner credential by name, reading its file when a job needs
// it (a new rep's file needs no restart) and again only when the file
// changes (cached by mtime, size and inode).
//
// Sources, first found wins, for credential NAME:
//   1. $CREDENTIALS_DIRECTORY/phoneburner-NAME   (systemd LoadCredential=)
//   2. <credentials dir>/NAME                     (PGDIALER_CREDENTIALS_DIR): a
//      regular file of mode 0600 or stricter owned by the daemon's user
//      (credentials/secret_file), else the credential is refused (the job
//      fails naming the file): a token readable by other users has leaked
//      already, and silently using it would hide that;
//   3. for "default" only, the single-token install's sources:
//      PHONEBURNER_TOKEN_FILE (checked like 2), $CREDENTIALS_DIRECTORY/
//      phoneburner-token, PHONEBURNER_TOKEN (whichever the configuration found).
// Thread-safe. Secrets never appear in a message.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <map>
#include <mutex>
#include <string>

#include "credentials/credential.hpp"

namespace pgdialer::sync {

struct CredentialStoreOptions {
  std::string systemd_directory;  // $CREDENTIALS_DIRECTORY; empty = none
  std::string credentials_dir;    // PGDIALER_CREDENTIALS_DIR; empty = none
  // The legacy sources of "default": a file (PHONEBURNER_TOKEN_FILE or the
  // systemd credential phoneburner-token), else the token itself.
  std::string legacy_token_file;
  std::string legacy_token;
  std::string legacy_source;  // how to name it in messages ("PHONEBURNER_TOKEN_FILE")
};

struct CredentialLookup {
  enum class Status {
    found,
    missing,   // no source has it (or the name is not valid)
    unusable,  // a source has it but it cannot be used (mode, not a file, unreadable, bad content)
  } status = Status::missing;
  Credential credential;  // when found
  std::string source;     // where it was found ("credentials dir /etc/x/alice"); never a secret
  std::string error;      // when not found: the whole message, naming the credential and where we looked
  bool ok() const { return status == Status::found; }
};

class CredentialStore {
 public:
  explicit CredentialStore(CredentialStoreOptions options) : options_(std::move(options)) {}

  CredentialLookup lookup(const std::string& name);

  // Whether any source could ever hold a credential other than "default".
  bool has_named_sources() const {
    return !options_.systemd_directory.empty() || !options_.credentials_dir.empty();
  }

 private:
  // One file as last read: its identity and what it said.
  struct CachedFile {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec mtime{};
    bool parsed = false;
    Credential credential;
    std::string error;
  };
  enum class FileState { absent, found, unusable };
  FileState read_file(const std::string& path, bool check_mode, Credential* credential, std::string* error);

  CredentialStoreOptions options_;
  std::mutex mutex_;
  std::map<std::string, CachedFile> cache_;  // by path
};

}  // namespace pgdialer::sync
