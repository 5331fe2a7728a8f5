// What a PhoneBurner credential file holds, and how its text is read.
//
// Two forms:
//   - one line, the personal access token itself (what the single-token
//     install has always used);
//   - key=value lines: access_token=... (a personal access token), or
//     client_id=..., client_secret=..., refresh_token=... (an OAuth2 client
//     whose access tokens the daemon obtains and refreshes itself).
// Blank lines and lines starting with '#' are ignored in both. A file is in
// the key=value form as soon as one line starts with a known key and '=',
// so a bare token that happens to contain '=' (base64 padding) stays a token.
// Nothing here ever puts a value into an error message.
#pragma once

#include <string>

namespace pgdialer::sync {

struct Credential {
  enum class Kind { token, oauth } kind = Kind::token;
  std::string access_token;  // Kind::token
  std::string client_id;     // Kind::oauth, all three
  std::string client_secret;
  std::string refresh_token;

  bool operator==(const Credential& o) const {
    return kind == o.kind && access_token == o.access_token && client_id == o.client_id &&
           client_secret == o.client_secret && refresh_token == o.refresh_token;
  }
};

// Parses a credential file's text. False with `error` saying what is wrong
// (by line number and key, never by value).
bool parse_credential(const std::string& text, Credential* credential, std::string* error);

}  // namespace pgdialer::sync
