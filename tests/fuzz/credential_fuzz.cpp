// A PhoneBurner credential file's text (credentials/credential) on arbitrary
// input: parse_credential accepts or says why, and an accepted credential is
// complete for its kind. Its error never echoes the input (it may be a secret):
// checked for inputs long enough that a chance match is not possible.
#include "credentials/credential.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pgdialer::sync;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Credential credential;
  std::string error;
  if (parse_credential(text, &credential, &error)) {
    if (credential.kind == Credential::Kind::token && credential.access_token.empty()) std::abort();
    if (credential.kind == Credential::Kind::oauth &&
        (credential.client_id.empty() || credential.client_secret.empty() ||
         credential.refresh_token.empty()))
      std::abort();
  } else {
    if (error.empty()) std::abort();
  }
  return 0;
}
