#include "sandbox/sandbox_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>

#include "unit/sandbox/child.h"

namespace notion_mcp::sandbox {
namespace {

using testing::exited_with;
using testing::run_in_child;

// Runs the check in a child (it gives the caller children to reap) and returns its output. `setup`
// runs in the child first (to change its environment, say).
std::pair<int, std::string> check(const WorkerJail& jail,
                                  const std::function<void()>& setup = nullptr) {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  int status = run_in_child([&] {
    ::close(pipe_fds[0]);
    if (setup) setup();
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

// A home without ~/.ssh or a keyring, and no session bus: decoys stand in, so every attempt
// is still made, and the check can say that every one was denied.
TEST(SandboxCheck, MissingTargetsGetDecoysSoEveryAttemptIsMade) {
  auto [status, text] = check(WorkerJail{}, [] {
    ::setenv("HOME", "/nonexistent/notion-mcp-test-home", 1);
    ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
  });
  std::cerr << text;
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
  EXPECT_NE(text.find("/nonexistent/notion-mcp-test-home/.ssh does not exist here: a decoy"),
            std::string::npos);
  EXPECT_NE(text.find("keyrings does not exist here: a decoy"), std::string::npos);
  EXPECT_NE(text.find("dbus-session-bus aims at a stand-in listener"), std::string::npos);
  EXPECT_EQ(text.find("not tested"), std::string::npos);
  EXPECT_NE(text.find("every attempt was denied"), std::string::npos);
}

// When an attempt cannot be made, the check never claims that every attempt was denied.
TEST(SandboxCheck, AnAttemptNotMadeIsNeverReportedAsDenied) {
  EscapeTargets targets;
  targets.ssh_dir = "/nonexistent/.ssh";
  for (const auto& attempt : escape_attempts()) {
    if (attempt.name != "read-ssh") continue;
    AttemptOutcome outcome = run_escape_attempt(attempt, targets, WorkerJail{});
    EXPECT_EQ(outcome.verdict, AttemptOutcome::Verdict::not_tested) << outcome.how;
    EXPECT_NE(outcome.how.find("does not exist"), std::string::npos) << outcome.how;
  }
}

TEST(SandboxCheck, ReadsTheSessionBusAddressTheWayDBusWritesIt) {
  auto path = parse_dbus_address("unix:path=/run/user/1000/bus");
  EXPECT_EQ(path.name, "/run/user/1000/bus");
  EXPECT_FALSE(path.abstract);
  auto abstract = parse_dbus_address("unix:abstract=/tmp/dbus-Ab%2cc,guid=0123abcd");
  EXPECT_EQ(abstract.name, "/tmp/dbus-Ab,c");
  EXPECT_TRUE(abstract.abstract);
  auto second = parse_dbus_address("tcp:host=localhost,port=1;unix:guid=1,path=/tmp/x");
  EXPECT_EQ(second.name, "/tmp/x");
  EXPECT_TRUE(parse_dbus_address("").name.empty());
  EXPECT_TRUE(parse_dbus_address("unix:tmpdir=/tmp").name.empty());
  EXPECT_TRUE(parse_dbus_address("unix:path=").name.empty());
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
