// Runs a test body in a forked child, so that the jail it builds never confines the test
// process itself. The child reports failures on stderr and through its exit status.
#pragma once

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

namespace notion_mcp::sandbox::testing {

// Fails the child: prints where and why, and exits with status 1.
#define CHILD_CHECK(condition)                                                                     \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      int saved_errno = errno;                                                                     \
      std::fprintf(stderr, "child check failed at %s:%d: %s (errno %d: %s)\n", __FILE__, __LINE__, \
                   #condition, saved_errno, std::strerror(saved_errno));                           \
      std::fflush(stderr);                                                                         \
      ::_exit(1);                                                                                  \
    }                                                                                              \
  } while (0)

// Forks, runs `body` in the child and _exits with its result; returns the wait status. A child
// that outlives `timeout` is killed (and then reports SIGKILL).
inline int run_in_child(const std::function<int()>& body,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int code = body();
    std::fflush(nullptr);
    ::_exit(code);
  }
  if (pid < 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

inline bool exited_with(int status, int code) {
  return WIFEXITED(status) && WEXITSTATUS(status) == code;
}
inline bool killed_by(int status, int sig) {
  return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

// Exit status a child uses to say "this host cannot run the test" (the parent skips).
inline constexpr int kChildSkip = 77;

// A TCP listener on 127.0.0.1 with an ephemeral port; fd -1 on failure.
struct Listener {
  int fd = -1;
  uint16_t port = 0;
};
inline Listener listen_on_loopback() {
  Listener listener;
  listener.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener.fd < 0 || ::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener.fd, 16) != 0 ||
      ::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return {};
  }
  listener.port = ntohs(address.sin_port);
  return listener;
}

// Connects a new TCP socket to 127.0.0.1:port; returns 0 or the errno of socket/connect.
inline int tcp_connect_errno(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  int error = rc == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

// An abstract Unix socket listener named "\0<name>".
inline int listen_abstract(const std::string& name) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path + 1, name.data(), name.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(fd, 4) != 0) {
    return -1;
  }
  return fd;
}

inline int abstract_connect_errno(const std::string& name) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path + 1, name.data(), name.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&address), length);
  int error = rc == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

}  // namespace notion_mcp::sandbox::testing
