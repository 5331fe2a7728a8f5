#include "options.hpp"

#include "webhook_delivery.hpp"

#include <algorithm>
#include <cstdlib>

namespace fake_pb {
namespace {

void parse_listen(const std::string& text, ServerOptions& server) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw UsageError("--listen wants HOST:PORT, e.g. 127.0.0.1:0");
  const std::string port = text.substr(colon + 1);
  char* end = nullptr;
  const long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535)
    throw UsageError("--listen: bad port '" + port + "'");
  server.host = text.substr(0, colon);
  server.port = static_cast<int>(p);
  if (!is_loopback_host(server.host))
    throw UsageError("--listen: " + server.host + " is not a loopback address (the control API has no auth)");
}

// "NAME=REST" -> {NAME, REST}.
std::pair<std::string, std::string> named(const std::string& flag, const std::string& value) {
  const size_t eq = value.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == value.size())
    throw UsageError("--" + flag + " wants NAME=" +
                     (flag == "account" ? "TOKEN" : "CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN"));
  const std::string name = value.substr(0, eq);
  if (!valid_account_name(name))
    throw UsageError("--" + flag + ": bad account name '" + name + "' (lowercase [a-z0-9][a-z0-9_.-]{0,62})");
  return {name, value.substr(eq + 1)};
}

OAuthCredentials oauth_credentials(const std::string& text) {
  const size_t a = text.find(':');
  const size_t b = a == std::string::npos ? a : text.find(':', a + 1);
  if (b == std::string::npos || a == 0 || b == a + 1 || b + 1 == text.size())
    throw UsageError("--oauth-account wants NAME=CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN, none empty");
  return OAuthCredentials{text.substr(0, a), text.substr(a + 1, b - a - 1), text.substr(b + 1)};
}

}  // namespace

std::string usage_text() {
  return "usage: fake-phoneburner --token TOKEN [options]\n"
         "\n"
         "A local fake of PhoneBurner's REST API (/rest/1) and OAuth2 endpoints (/oauth)\n"
         "for tests and demos, serving one or more accounts.\n"
         "Prints 'listening on http://HOST:PORT' once ready; SIGTERM/SIGINT exit 0.\n"
         "\n"
         "  --token TOKEN          bearer token of the account 'default' (or FAKE_PHONEBURNER_TOKEN)\n"
         "  --account NAME=TOKEN   another account, reached with this personal access token\n"
         "                         (repeatable; NAME=default is --token)\n"
         "  --oauth-account NAME=CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN\n"
         "                         an OAuth2 account: access tokens come from POST /oauth/refreshtoken\n"
         "                         or /oauth/accesstoken (repeatable; NAME may be default)\n"
         "  --listen HOST:PORT     loopback address, default 127.0.0.1:0 (0 = any free port)\n"
         "  --tls-cert PEM         serve HTTPS with this certificate (chain) ...\n"
         "  --tls-key PEM          ... and its private key (both or neither; prints https://)\n"
         "  --state-file PATH      write the state dump (as GET /_control/state) on exit\n"
         "  --request-log-size N   requests kept by GET /_control/requests (default 1000)\n"
         "  --account-webhook-url URL  account-level api_calldone hook for simulated folder\n"
         "                         dialing (http:// on loopback; also POST /_control/config)\n"
         "  --help                 this text\n"
         "\n"
         "Knobs (also POST /_control/config with the same names, '_' for '-'):\n"
         "  --latency-ms N                        delay added to every /rest request\n"
         "  --error-rate R                        0..1: answer 500/502/503, change nothing\n"
         "  --rate-limit-rate R                   0..1: answer 429, change nothing\n"
         "  --retry-after-s N                     Retry-After on 429s (default 1; -1 = none)\n"
         "  --drop-after-write-rate R             0..1: apply a write, then close without answering\n"
         "  --malformed-rate R                    0..1: apply as usual, answer truncated JSON\n"
         "  --seed N                              random seed for the rates (default 1)\n"
         "  --dialsession-delay-ms-per-contact N  POST /dialsession sleeps N ms per contact\n"
         "  --ignore-unknown-custom-fields 0|1    1: drop custom fields the account has not defined\n"
         "  --oauth-access-ttl-s N                OAuth access tokens live N s (default 3600)\n"
         "  --oauth-rotate-refresh-tokens 0|1     1 (default): a refresh returns a new refresh token\n"
         "                                        and the one used stops working\n";
}

Options parse_options(int argc, const char* const* argv, const char* env_token) {
  Options o;
  o.server.port = 0;
  bool have_token = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      return o;
    }
    if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument: " + arg);
    std::string name = arg.substr(2), value;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else {
      if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
      value = argv[++i];
    }
    std::string knob = name;
    std::replace(knob.begin(), knob.end(), '-', '_');
    if (name == "token") {
      if (value.empty()) throw UsageError("--token must not be empty");
      o.server.api.token = value;
      have_token = true;
    } else if (name == "account") {
      auto [account, token] = named(name, value);
      if (account == "default") {
        o.server.api.token = token;
        have_token = true;
      } else {
        o.server.api.accounts.push_back(AccountOptions{account, token, std::nullopt, {}});
      }
    } else if (name == "oauth-account") {
      auto [account, credentials] = named(name, value);
      o.server.api.accounts.push_back(AccountOptions{account, {}, oauth_credentials(credentials), {}});
      if (account == "default") have_token = true;
    } else if (name == "listen") {
      parse_listen(value, o.server);
    } else if (name == "account-webhook-url") {
      WebhookUrl parsed;
      std::string problem;
      if (!parse_loopback_url(value, parsed, problem)) throw UsageError("--" + name + ": " + problem);
      o.server.api.account_webhook_url = value;
    } else if (name == "tls-cert") {
      o.server.tls_cert_file = value;
    } else if (name == "tls-key") {
      o.server.tls_key_file = value;
    } else if (name == "state-file") {
      o.state_file = value;
    } else if (name == "request-log-size") {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n < 1)
        throw UsageError("--request-log-size wants a positive number");
      o.server.api.request_log_size = static_cast<size_t>(n);
    } else if (std::find(knob_names().begin(), knob_names().end(), knob) != knob_names().end()) {
      std::string problem;
      if (!set_knob(o.server.api.knobs, knob, value, problem)) throw UsageError("--" + name + ": " + problem);
    } else {
      throw UsageError("unknown option: --" + name);
    }
  }
  if (!have_token && env_token && *env_token) {
    o.server.api.token = env_token;
    have_token = true;
  }
  if (!have_token) throw UsageError("--token (or FAKE_PHONEBURNER_TOKEN) is required");
  if (o.server.tls_cert_file.empty() != o.server.tls_key_file.empty())
    throw UsageError("--tls-cert and --tls-key go together");
  const std::string problem = account_options_problem(all_accounts(o.server.api));
  if (!problem.empty()) throw UsageError(problem);
  return o;
}

}  // namespace fake_pb
