// Credential names: which PhoneBurner account a rep's jobs use. A name
// becomes a file name (credentials dir, systemd credential, the OAuth state
// file) and a URL path segment (the per-account webhook), so it is kept to a
// small alphabet that is safe in all of them: [a-z0-9][a-z0-9_.-]{0,62}.
#pragma once

#include <string>

namespace pgdialer::sync {

// The single-account install's credential (the legacy token sources).
inline constexpr const char* kDefaultCredential = "default";

// True for [a-z0-9][a-z0-9_.-]{0,62}: lowercase, no slash, no leading dot.
bool valid_credential_name(const std::string& name);

}  // namespace pgdialer::sync
