// fake_notion: the demo workspace behind a real TLS listener on loopback, with fault switches,
// for integration tests and benchmarks. Nothing here talks to the real Notion.
//
// Usage: fake_notion --ca-out FILE [options]
//   --ca-out FILE              write the PEM of a freshly generated CA here (clients trust it;
//                              the server certificate covers 127.0.0.1, ::1 and localhost)
//   --port N                   listen on 127.0.0.1:N (default 0: ephemeral)
//   --ipv6                     also listen on [::1] at the same port
//   --token T                  every /v1/ request must carry "Authorization: Bearer T"
//                              (default: any non-empty bearer is accepted)
//   --unauthorized             answer every /v1/ request 401 unauthorized (expired token)
//   --rate-limit-every N       every Nth /v1/ request: 429 rate_limited + Retry-After
//   --retry-after S            Retry-After seconds for 429 and 529 (default 1)
//   --rate-limit-reason R      additional_data.rate_limit_reason on 429s
//                              (e.g. public_api_request_blocked)
//   --overload-every N         every Nth /v1/ request: 529 service_overload + Retry-After
//   --server-error-every N     every Nth /v1/ request: --server-error-status (500|502|503|504)
//   --server-error-status S    default 500
//   --retry-guidance           a 503 on a write performs the write first and says so in
//                              additional_data {retry_guidance, committed_resource_id, ...}
//   --truncate-every N         every Nth /v1/ request: promise the whole body, send half, close
//   --slow-ms N                wait N ms before every /v1/ response
//   --max-body-bytes N         request body cap (default 8 MiB; larger gets 413)
//   --max-lifetime S           exit after S seconds (default 900)
//   --ignore-stdin             do not exit on stdin EOF (by default EOF on stdin ends the fake,
//                              so a test that dies leaves no orphan)
//   --verbose                  one line per request on stderr
//
// "Every Nth" counts authorised /v1/ requests since start or the last POST /__fake/config;
// when several counters hit one request: rate limit, overload, server error, truncation.
// Prints "PORT <n>" on stdout once it accepts connections (after writing --ca-out).
// Exits 0 on SIGTERM, SIGINT, stdin EOF or the lifetime; 1 when it cannot start.
//
// Control endpoints (not counted, not faulted, no auth):
//   GET  /__fake/stats         {total_requests, by_status, by_prefix, rate_limited, overloaded,
//                               server_errors, truncated, unauthorized, connections,
//                               max_concurrent_connections, connections_total,
//                               abandoned_replies (delayed replies whose client hung up)}
//   POST /__fake/reset-stats
//   GET  /__fake/config        the live fault settings (never the token)
//   POST /__fake/config        JSON with the flag names ("rate_limit_every" or
//                              "rate-limit-every", ..., "token"); "reset": true turns every
//                              fault off first. Unknown names or bad values: 400.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "certificate.h"
#include "demo/workspace.h"
#include "fake_service.h"
#include "faults.h"
#include "tls_server.h"

namespace {

using notion_mcp::fake_notion::FakeService;
using notion_mcp::fake_notion::FaultConfig;
using notion_mcp::fake_notion::ServerOptions;
using notion_mcp::fake_notion::TlsServer;

int fail(const std::string& message, const std::string& hint = {}) {
  std::fprintf(stderr, "fake_notion: %s%s%s\n", message.c_str(), hint.empty() ? "" : " ",
               hint.c_str());
  return 1;
}

// Writes next to the target and renames, so a reader never sees half a certificate.
bool write_file_atomically(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(temporary.c_str(), path.c_str()) == 0) return true;
  ::unlink(temporary.c_str());
  return false;
}

// Waits for a signal, stdin EOF or the end of the lifetime; returns why it stopped.
std::string wait_for_end(int signal_fd, bool watch_stdin, int lifetime_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(lifetime_s);
  for (;;) {  // ends at the deadline at the latest
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
                         deadline - std::chrono::steady_clock::now())
                         .count();
    if (remaining <= 0) return "the maximum lifetime was reached";
    pollfd fds[2] = {{signal_fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    int ready =
        ::poll(fds, watch_stdin ? 2 : 1, static_cast<int>(std::min<long long>(remaining, 60'000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return std::string("poll failed: ") + std::strerror(errno);
    }
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      [[maybe_unused]] ssize_t n = ::read(signal_fd, &info, sizeof info);
      return info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
    }
    if (watch_stdin && fds[1].revents != 0) {
      if (fds[1].revents & POLLNVAL) return "stdin is closed";
      char buffer[4096];
      ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);  // input is ignored
      if (n == 0) return "stdin reached EOF (keep it open as a pipe, or pass --ignore-stdin)";
      if (n < 0 && errno != EINTR && errno != EAGAIN) {
        return std::string("stdin failed: ") + std::strerror(errno);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fake_notion: the notion-mcp demo workspace over TLS on loopback, with faults."};
  std::string ca_out;
  ServerOptions server_options;
  FaultConfig faults;
  int max_lifetime_s = 900;
  bool ignore_stdin = false;
  bool verbose = false;
  app.add_option("--ca-out", ca_out, "Write the generated CA certificate (PEM) to this file");
  app.add_option("--port", server_options.port, "Port on 127.0.0.1 (0: ephemeral)")
      ->check(CLI::Range(0, 65535));
  app.add_flag("--ipv6", server_options.ipv6, "Also listen on [::1]");
  app.add_option("--token", faults.token, "Required bearer token for /v1/");
  app.add_flag("--unauthorized", faults.unauthorized, "Answer every /v1/ request with 401");
  app.add_option("--rate-limit-every", faults.rate_limit_every, "429 on every Nth request");
  app.add_option("--retry-after", faults.retry_after, "Retry-After seconds for 429/529");
  app.add_option("--rate-limit-reason", faults.rate_limit_reason,
                 "additional_data.rate_limit_reason on 429");
  app.add_option("--overload-every", faults.overload_every, "529 on every Nth request");
  app.add_option("--server-error-every", faults.server_error_every, "5xx on every Nth request");
  app.add_option("--server-error-status", faults.server_error_status, "500, 502, 503 or 504");
  app.add_flag("--retry-guidance", faults.retry_guidance,
               "503 on writes performs the write and adds retry guidance");
  app.add_option("--truncate-every", faults.truncate_every,
                 "Truncate the body of every Nth response");
  app.add_option("--slow-ms", faults.slow_ms, "Delay before every /v1/ response (ms)");
  app.add_option("--max-body-bytes", server_options.limits.max_body_bytes,
                 "Largest accepted request body")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
  app.add_option("--max-lifetime", max_lifetime_s, "Exit after this many seconds")
      ->check(CLI::Range(1, 86400));
  app.add_flag("--ignore-stdin", ignore_stdin, "Do not exit when stdin reaches EOF");
  app.add_flag("--verbose", verbose, "Log one line per request on stderr");
  CLI11_PARSE(app, argc, argv);

  if (auto valid = notion_mcp::fake_notion::validate_config(faults); !valid) {
    return fail(valid.error().message, valid.error().hint);
  }

  // Signals arrive through a descriptor; blocking them first makes every thread inherit that.
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  int signal_fd = ::signalfd(-1, &stop_signals, SFD_CLOEXEC);
  if (signal_fd < 0) return fail(std::string("signalfd failed: ") + std::strerror(errno));

  auto certificate = notion_mcp::fake_notion::generate_certificate();
  if (!certificate) return fail(certificate.error().message);
  if (!ca_out.empty() && !write_file_atomically(ca_out, certificate->ca_pem)) {
    return fail(
        "Could not write the CA certificate to " + ca_out + ": " + std::strerror(errno) + ".",
        "Pass a --ca-out path in a writable directory.");
  }

  FakeService service(notion_mcp::demo::Workspace::seeded(), faults, verbose);
  auto server = TlsServer::listen(server_options, *certificate, service);
  if (!server) return fail(server.error().message, server.error().hint);
  (*server)->start();
  std::printf("PORT %d\n", (*server)->port());
  std::fflush(stdout);

  std::string reason = wait_for_end(signal_fd, !ignore_stdin, max_lifetime_s);
  (*server)->stop();
  std::fprintf(stderr, "fake_notion: stopping: %s.\n", reason.c_str());
  ::close(signal_fd);
  return 0;
}
