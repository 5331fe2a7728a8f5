#include "queue/config_check.hpp"

#include <dirent.h>

#include <cstdio>
#include <set>
#include <string>

#include "credentials/name.hpp"
#include "credentials/store.hpp"
#include "queue/accounts.hpp"

namespace pgdialer::sync {
namespace {

// The entries of `directory` that start with `prefix`, without it, that are
// valid credential names.
std::set<std::string> names_in(const std::string& directory, const std::string& prefix) {
  std::set<std::string> names;
  if (directory.empty()) return names;
  DIR* dir = ::opendir(directory.c_str());
  if (!dir) return names;
  while (dirent* entry = ::readdir(dir)) {
    const std::string file = entry->d_name;
    if (file.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string name = file.substr(prefix.size());
    if (valid_credential_name(name)) names.insert(name);
  }
  ::closedir(dir);
  return names;
}

}  // namespace

std::set<std::string> visible_credential_names(const Config& config) {
  std::set<std::string> names = names_in(config.credentials_dir, "");
  // phoneburner-token is default's single token, not a credential "token".
  for (const std::string& name : names_in(config.systemd_credentials_dir, "phoneburner-"))
    if (name != "token") names.insert(name);
  if (!config.token_source.empty()) names.insert(kDefaultCredential);
  return names;
}

int check_configuration(const Config& config) {
  const std::set<std::string> names = visible_credential_names(config);

  CredentialStore store(credential_store_options(config));
  int unusable = 0;
  for (const std::string& name : names) {
    const CredentialLookup lookup = store.lookup(name);
    if (lookup.ok()) {
      std::printf("credential %s: ok (%s)\n", name.c_str(), lookup.source.c_str());
    } else {
      std::fprintf(stderr, "pgdialer-sync: %s\n", lookup.error.c_str());
      ++unusable;
    }
  }
  if (names.empty()) std::printf("no PhoneBurner credential yet (jobs fail until one is added)\n");
  std::printf("webhook routes: %s\n", config.webhook_secret.empty()
                                          ? "off (no secret)"
                                          : ("on, secret from " + config.webhook_secret_source).c_str());
  if (unusable > 0) {
    std::fprintf(stderr, "pgdialer-sync: %d credential(s) cannot be used\n", unusable);
    return kExitConfig;
  }
  std::printf("configuration ok\n");
  return kExitOk;
}

}  // namespace pgdialer::sync
