#include "webhook/print_url.hpp"

#include <cstdio>
#include <cstdlib>

#include "credentials/name.hpp"
#include "webhook/token.hpp"

namespace pgdialer::sync {

int print_webhook_url(const Config& config, const std::string& target) {
  if (config.webhook_base_url.empty() || config.webhook_secret.empty()) {
    std::fprintf(stderr,
                 "pgdialer-sync: --print-webhook-url needs PGDIALER_WEBHOOK_BASE_URL and a webhook secret "
                 "(PGDIALER_WEBHOOK_SECRET_FILE, credential webhook-secret or PGDIALER_WEBHOOK_SECRET)\n");
    return kExitConfig;
  }
  if (target == "account") {
    std::printf("%s\n", account_webhook_url(config.webhook_base_url, config.webhook_secret).c_str());
    return kExitOk;
  }
  if (target.rfind("account:", 0) == 0) {
    const std::string credential = target.substr(8);
    if (!valid_credential_name(credential)) {
      std::fprintf(stderr,
                   "pgdialer-sync: \"%s\" is not a credential name (expected [a-z0-9][a-z0-9_.-]{0,62})\n",
                   credential.c_str());
      return kExitUsage;
    }
    std::printf("%s\n",
                account_webhook_url(config.webhook_base_url, config.webhook_secret, credential).c_str());
    return kExitOk;
  }
  char* end = nullptr;
  const long long id = std::strtoll(target.c_str(), &end, 10);
  if (target.empty() || *end != '\0' || id < 1 || std::to_string(id) != target) {
    std::fprintf(
        stderr,
        "pgdialer-sync: --print-webhook-url takes \"account\", \"account:NAME\" or a session id, not "
        "\"%s\"\n",
        target.c_str());
    return kExitUsage;
  }
  std::printf("%s\n", session_webhook_url(config.webhook_base_url, config.webhook_secret, id).c_str());
  return kExitOk;
}

}  // namespace pgdialer::sync
