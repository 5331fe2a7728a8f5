// fake-phoneburner: see usage_text() and README.md in this directory.
#include "json_util.hpp"
#include "options.hpp"
#include "server.hpp"

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

namespace {

// Via a temporary file and rename, so a reader never sees half a dump.
bool write_state_file(const std::string& path, const std::string& json) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << fake_pb::pretty_json(json);
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  fake_pb::Options options;
  try {
    options = fake_pb::parse_options(argc, argv, std::getenv("FAKE_PHONEBURNER_TOKEN"));
  } catch (const fake_pb::UsageError& e) {
    std::cerr << "fake-phoneburner: " << e.what() << "\n\n" << fake_pb::usage_text();
    return 2;
  }
  if (options.help) {
    std::cout << fake_pb::usage_text();
    return 0;
  }

  // Blocked before any thread starts, so every thread inherits the mask and
  // only sigtimedwait below sees SIGTERM/SIGINT.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  fake_pb::Server server(options.server);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::cerr << "fake-phoneburner: " << e.what() << "\n";
    return 1;
  }
  std::cout << "listening on " << server.base_url() << std::endl;  // scripts read the port

  bool failed = false;
  for (;;) {
    const timespec tick{0, 200 * 1000 * 1000};
    if (sigtimedwait(&stop_signals, nullptr, &tick) >= 0) break;
    if (errno != EAGAIN && errno != EINTR) break;
    if (!server.running()) {  // the accept loop died on its own
      std::cerr << "fake-phoneburner: server stopped unexpectedly\n";
      failed = true;
      break;
    }
  }
  server.stop();
  if (!options.state_file.empty() && !write_state_file(options.state_file, server.api().state_json())) {
    std::cerr << "fake-phoneburner: cannot write " << options.state_file << "\n";
    return 1;
  }
  return failed ? 1 : 0;
}
