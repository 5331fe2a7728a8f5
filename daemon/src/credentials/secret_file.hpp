// Whether a file is fit to hold a secret: the webhook secret, the single
// token (PHONEBURNER_TOKEN_FILE) and the credential files of
// PGDIALER_CREDENTIALS_DIR.
//
// Such a file must be a regular file with no permission bits for group or
// others (0600 or stricter) and owned by the user the daemon runs as. A
// secret others can read has leaked already, and one owned by someone else
// can be swapped under the daemon; using it silently would hide both. The
// daemon refuses (at start-up, or the job fails) and names the file.
//
// systemd's credentials ($CREDENTIALS_DIRECTORY) are not checked: systemd
// copies them into a private read-only directory of the service's own and
// sets their owner, mode and ACL itself (root-owned with an ACL for the
// service's user where ACLs are supported), so their bits say nothing about
// the source file's.
#pragma once

#include <sys/stat.h>

#include <string>

namespace pgdialer::sync {

// "" when `st` (the fstat of the opened `path`) is fit for a secret, else
// what is wrong and how to fix it, naming `path`.
std::string secret_file_problem(const std::string& path, const struct stat& st);

// Whether `path` lies in systemd's credentials directory `systemd_directory`
// (empty: none), whose files are not checked.
bool is_systemd_credential(const std::string& path, const std::string& systemd_directory);

}  // namespace pgdialer::sync
