// A throwaway certificate authority and a server certificate for 127.0.0.1,
// made with the openssl command at test time (nothing secret or expiring is
// committed), for testing PhoneBurner over real HTTPS against the fake.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace pgdialer::sync::testing {

class TestCa {
 public:
  // Makes, in a new temporary directory: ca.pem (the CA), server.pem and
  // server.key (signed by it, for IP 127.0.0.1 and DNS localhost), and
  // other-ca.pem (a second CA that signed nothing here). Throws when
  // openssl fails.
  TestCa() {
    char pattern[] = "/tmp/pgdialer-test-ca-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::ofstream(dir_ + "/server.ext") << "basicConstraints=critical,CA:FALSE\n"
                                           "keyUsage=critical,digitalSignature\n"
                                           "extendedKeyUsage=serverAuth\n"
                                           "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string ca_ext =
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign";
    run("openssl req -x509 -days 2" + ec + " -subj '/CN=pgdialer test CA'" + ca_ext +
        " -keyout ca.key -out ca.pem");
    run("openssl req -x509 -days 2" + ec + " -subj '/CN=pgdialer other CA'" + ca_ext +
        " -keyout other-ca.key -out other-ca.pem");
    run("openssl req" + ec + " -subj '/CN=127.0.0.1' -keyout server.key -out server.csr");
    run("openssl x509 -req -days 2 -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-extfile server.ext -out server.pem");
  }
  ~TestCa() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  std::string ca_file() const { return dir_ + "/ca.pem"; }
  std::string other_ca_file() const { return dir_ + "/other-ca.pem"; }
  std::string server_cert() const { return dir_ + "/server.pem"; }
  std::string server_key() const { return dir_ + "/server.key"; }

 private:
  void run(const std::string& command) const {
    const std::string line = "cd '" + dir_ + "' && " + command + " >openssl.log 2>&1";
    if (std::system(line.c_str()) != 0)
      throw std::runtime_error("openssl failed: " + command + " (see " + dir_ + "/openssl.log)");
  }
  std::string dir_;
};

}  // namespace pgdialer::sync::testing
