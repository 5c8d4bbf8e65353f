// A loopback TLS server for the sandbox tests: `openssl s_server -www` with a throw-away
// self-signed certificate for 127.0.0.1 and localhost. The certificate doubles as the CA.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace notion_mcp::sandbox::testing {

class TlsServer {
 public:
  // Starts the server; ok() is false (with why()) when openssl is missing or fails.
  explicit TlsServer(int connections = 8) {
    char dir[] = "/tmp/notion-mcp-tls-XXXXXX";
    if (::mkdtemp(dir) == nullptr) {
      fail("mkdtemp failed");
      return;
    }
    dir_ = dir;
    std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
        "-nodes -days 1 -subj /CN=localhost -addext "
        "subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) {
      fail("openssl req failed (is openssl installed?)");
      return;
    }
    std::ifstream cert(dir_ + "/cert.pem");
    std::stringstream text;
    text << cert.rdbuf();
    ca_pem_ = text.str();
    int out[2];
    if (::pipe(out) != 0) {
      fail("pipe failed");
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDERR_FILENO);
      std::string cert_path = dir_ + "/cert.pem", key_path = dir_ + "/key.pem";
      std::string accepts = std::to_string(connections);
      ::execlp("openssl", "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert",
               cert_path.c_str(), "-key", key_path.c_str(), "-www", "-naccept", accepts.c_str(),
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens.
    std::string seen;
    char c;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && ::read(out[0], &c, 1) == 1) {
      if (c == '\n') {
        auto colon = seen.rfind(':');
        if (seen.rfind("ACCEPT", 0) == 0 && colon != std::string::npos) {
          port_ = static_cast<uint16_t>(std::atoi(seen.c_str() + colon + 1));
          break;
        }
        seen.clear();
      } else {
        seen += c;
      }
    }
    output_ = out[0];
    if (port_ == 0) fail("openssl s_server did not start");
  }
  ~TlsServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (output_ >= 0) ::close(output_);
    if (!dir_.empty()) {
      ::unlink((dir_ + "/cert.pem").c_str());
      ::unlink((dir_ + "/key.pem").c_str());
      ::rmdir(dir_.c_str());
    }
  }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  bool ok() const { return port_ != 0; }
  const std::string& why() const { return why_; }
  uint16_t port() const { return port_; }
  const std::string& ca_pem() const { return ca_pem_; }

 private:
  void fail(std::string why) { why_ = std::move(why); }

  std::string dir_;
  std::string ca_pem_;
  std::string why_;
  pid_t pid_ = -1;
  int output_ = -1;
  uint16_t port_ = 0;
};

}  // namespace notion_mcp::sandbox::testing
