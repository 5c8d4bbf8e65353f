#include "sandbox/sandbox_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "unit/sandbox/child.h"

namespace notion_mcp::sandbox {
namespace {

using testing::exited_with;
using testing::run_in_child;

// Runs the check in a child (it makes the caller a subreaper) and returns its output.
std::pair<int, std::string> check(const WorkerJail& jail) {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  int status = run_in_child([&] {
    ::close(pipe_fds[0]);
    std::ostringstream out;
    int code = run_sandbox_check(out, jail);
    std::string text = out.str();
    (void)!::write(pipe_fds[1], text.data(), text.size());
    return code;
  });
  ::close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0) text.append(buffer, n);
  ::close(pipe_fds[0]);
  return {status, text};
}

TEST(SandboxCheck, TheFullJailHoldsAndDeniesEveryAttempt) {
  auto [status, text] = check(WorkerJail{});
  std::cerr << text;
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
  EXPECT_EQ(text.find("ALLOWED"), std::string::npos);
  EXPECT_EQ(text.find("ERROR"), std::string::npos);
  for (const auto& attempt : escape_attempts()) {
    EXPECT_NE(text.find(std::string(attempt.name)), std::string::npos) << attempt.name;
  }
  // Seen from outside: filtered, no new privileges, no descriptor to a file, and (where the
  // host allows namespaces) a network namespace of its own.
  EXPECT_NE(text.find("Seccomp:\t2"), std::string::npos);
  EXPECT_NE(text.find("NoNewPrivs:\t1"), std::string::npos);
  EXPECT_EQ(text.find("regular file"), std::string::npos);
  if (text.find("network-namespace   active") != std::string::npos) {
    EXPECT_NE(text.find("network namespace: its own"), std::string::npos);
  }
}

// With every layer off, the same attempts succeed: the check can tell a jail from none.
TEST(SandboxCheck, WithoutAJailTheAttemptsSucceedAndTheCheckFails) {
  WorkerJail off;
  off.spawn.namespaces = NamespaceOptions::none();
  off.jail = JailOptions::off(-1);
  auto [status, text] = check(off);
  std::cerr << text;
  EXPECT_TRUE(exited_with(status, 1)) << describe_wait_status(status);
  for (const char* name : {"tcp-loopback", "udp", "unix-socket", "abstract-socket", "read-passwd",
                           "read-broker-environ", "write-file", "exec-shell", "kill-broker",
                           "unshare", "fork", "exec-memory"}) {
    auto line = text.find(std::string("  ") + name + " ");
    ASSERT_NE(line, std::string::npos) << name;
    EXPECT_NE(text.substr(line, text.find('\n', line) - line).find("ALLOWED"), std::string::npos)
        << name;
  }
  // The broker refuses other hosts whatever the jail.
  auto line = text.find("  connect-other-host");
  ASSERT_NE(line, std::string::npos);
  EXPECT_NE(text.substr(line, text.find('\n', line) - line).find("refused by the broker"),
            std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::sandbox
