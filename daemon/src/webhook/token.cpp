#include "webhook/token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace pgdialer::sync {

std::string hmac_sha256_hex(const std::string& secret, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length))
    throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

std::string session_token(const std::string& secret, long long session_id) {
  return hmac_sha256_hex(secret, std::to_string(session_id));
}

std::string account_token(const std::string& secret) { return hmac_sha256_hex(secret, "account"); }

std::string account_token(const std::string& secret, const std::string& credential) {
  return hmac_sha256_hex(secret, "account:" + credential);
}

std::string session_webhook_url(const std::string& base, const std::string& secret, long long session_id) {
  return base + "/phoneburner/session/" + std::to_string(session_id) +
         "?s=" + session_token(secret, session_id);
}

std::string account_webhook_url(const std::string& base, const std::string& secret) {
  return base + "/phoneburner/account?s=" + account_token(secret);
}

std::string account_webhook_url(const std::string& base, const std::string& secret,
                                const std::string& credential) {
  return base + "/phoneburner/account/" + credential + "?s=" + account_token(secret, credential);
}

bool token_matches(const std::string& expected, const std::string& presented) {
  // The length is public (64 hex digits); only the content must not leak.
  if (expected.empty() || expected.size() != presented.size()) return false;
  return CRYPTO_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

}  // namespace pgdialer::sync
