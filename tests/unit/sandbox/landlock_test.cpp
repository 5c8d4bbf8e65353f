#include "sandbox/landlock.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "sandbox/spawn.h"
#include "unit/sandbox/child.h"

namespace notion_mcp::sandbox {
namespace {

using testing::abstract_connect_errno;
using testing::exited_with;
using testing::listen_abstract;
using testing::listen_on_loopback;
using testing::run_in_child;
using testing::tcp_connect_errno;

int open_errno(const char* path, int flags) {
  int fd = ::open(path, flags | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return 0;
  }
  return errno;
}

TEST(SandboxLandlock, KnowsTheRightsOfEachAbi) {
  EXPECT_EQ(landlock::fs_rights(0), 0u);
  EXPECT_EQ(landlock::fs_rights(1), 0x1fffu);
  EXPECT_EQ(landlock::fs_rights(2), 0x3fffu);
  EXPECT_EQ(landlock::fs_rights(3), 0x7fffu);
  EXPECT_EQ(landlock::fs_rights(4), 0x7fffu);
  EXPECT_EQ(landlock::fs_rights(5), 0xffffu);
  EXPECT_EQ(landlock::fs_rights(7), 0xffffu);
  EXPECT_EQ(landlock::net_rights(3), 0u);
  EXPECT_EQ(landlock::net_rights(4), 3u);
  EXPECT_EQ(landlock::scopes(5), 0u);
  EXPECT_EQ(landlock::scopes(6), 3u);
}

TEST(SandboxLandlock, ReportsTheKernelAbi) {
  LandlockSupport support = landlock_support();
  if (support.abi == 0) GTEST_SKIP() << support.why_unavailable;
  EXPECT_GE(support.abi, 1);
  EXPECT_TRUE(support.why_unavailable.empty());
}

// Each attempt is made once before the ruleset (it must work: the test can fail) and once
// after (it must be denied).
TEST(SandboxLandlock, WorkerRulesetDeniesFilesTcpAbstractSocketsAndSignals) {
  int abi = landlock_support().abi;
  if (abi == 0) GTEST_SKIP() << "no Landlock on this kernel";
  auto listener = listen_on_loopback();
  ASSERT_GE(listener.fd, 0);
  std::string abstract_name = "notion-mcp-landlock-test-" + std::to_string(::getpid());
  int abstract_fd = listen_abstract(abstract_name);
  ASSERT_GE(abstract_fd, 0);
  int status = run_in_child([&] {
    CHILD_CHECK(open_errno("/etc/passwd", O_RDONLY) == 0);
    CHILD_CHECK(tcp_connect_errno(listener.port) == 0);
    CHILD_CHECK(abstract_connect_errno(abstract_name) == 0);
    CHILD_CHECK(::kill(::getppid(), 0) == 0);
    LayerStatus applied = apply_worker_landlock();
    CHILD_CHECK(applied.state == LayerState::active);
    CHILD_CHECK(open_errno("/etc/passwd", O_RDONLY) == EACCES);
    CHILD_CHECK(open_errno("/", O_RDONLY | O_DIRECTORY) == EACCES);
    CHILD_CHECK(open_errno("/tmp/notion-mcp-landlock-test", O_WRONLY | O_CREAT) == EACCES);
    CHILD_CHECK(::mkdir("/tmp/notion-mcp-landlock-dir", 0700) != 0 && errno == EACCES);
    if (abi >= 4) {
      CHILD_CHECK(tcp_connect_errno(listener.port) == EACCES);
    }
    if (abi >= 6) {
      CHILD_CHECK(abstract_connect_errno(abstract_name) == EPERM);
      CHILD_CHECK(::kill(::getppid(), 0) != 0 && errno == EPERM);
    }
    return 0;
  });
  ::close(listener.fd);
  ::close(abstract_fd);
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxLandlock, BrokerRulesetKeepsOnlyTheGivenPathsAndPorts) {
  int abi = landlock_support().abi;
  if (abi == 0) GTEST_SKIP() << "no Landlock on this kernel";
  char dir_template[] = "/tmp/notion-mcp-broker-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  std::string state_dir = dir_template;
  auto allowed = listen_on_loopback();
  auto other = listen_on_loopback();
  ASSERT_GE(allowed.fd, 0);
  ASSERT_GE(other.fd, 0);
  int status = run_in_child([&] {
    CHILD_CHECK(open_errno("/usr/bin/env", O_RDONLY) == 0);
    BrokerLandlockOptions options;
    options.paths = {{"/etc", false}, {state_dir, true}, {"/does/not/exist", false}};
    options.connect_ports = {allowed.port};
    LayerStatus applied = apply_broker_landlock(options);
    CHILD_CHECK(applied.state == LayerState::active);
    CHILD_CHECK(applied.detail.find("/does/not/exist") != std::string::npos);
    CHILD_CHECK(open_errno("/etc/passwd", O_RDONLY) == 0);
    CHILD_CHECK(open_errno("/etc/notion-mcp-landlock-test", O_WRONLY | O_CREAT) == EACCES);
    CHILD_CHECK(open_errno("/usr/bin/env", O_RDONLY) == EACCES);
    std::string file = state_dir + "/audit.jsonl";
    CHILD_CHECK(open_errno(file.c_str(), O_WRONLY | O_CREAT) == 0);
    CHILD_CHECK(::unlink(file.c_str()) == 0);
    if (abi >= 4) {
      CHILD_CHECK(tcp_connect_errno(allowed.port) == 0);
      CHILD_CHECK(tcp_connect_errno(other.port) == EACCES);
    }
    return 0;
  });
  ::close(allowed.fd);
  ::close(other.fd);
  ::rmdir(state_dir.c_str());
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

// The broker's defaults keep what it needs (name resolution, the CA store, its directories)
// and nothing of the user's files.
TEST(SandboxLandlock, BrokerDefaultsResolveNamesAndReadTheCaStoreOnly) {
  int abi = landlock_support().abi;
  if (abi == 0) GTEST_SKIP() << "no Landlock on this kernel";
  char dir_template[] = "/tmp/notion-mcp-broker-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  std::string state_dir = dir_template;
  auto listener = listen_on_loopback();
  ASSERT_GE(listener.fd, 0);
  int status = run_in_child([&] {
    LayerStatus applied =
        apply_broker_landlock(broker_landlock_defaults({state_dir}, listener.port));
    CHILD_CHECK(applied.state == LayerState::active);
    addrinfo* found = nullptr;
    CHILD_CHECK(::getaddrinfo("localhost", "443", nullptr, &found) == 0);
    ::freeaddrinfo(found);
    CHILD_CHECK(open_errno("/etc/ssl/certs/ca-certificates.crt", O_RDONLY) == 0 ||
                ::access("/etc/ssl/certs/ca-certificates.crt", F_OK) != 0);
    CHILD_CHECK(open_errno("/etc/passwd", O_RDONLY) == EACCES);
    CHILD_CHECK(open_errno("/root", O_RDONLY | O_DIRECTORY) == EACCES);
    CHILD_CHECK(open_errno("/tmp", O_RDONLY | O_DIRECTORY) == EACCES);
    std::string file = state_dir + "/audit.jsonl";
    CHILD_CHECK(open_errno(file.c_str(), O_WRONLY | O_CREAT) == 0);
    CHILD_CHECK(::unlink(file.c_str()) == 0);
    if (abi >= 4) CHILD_CHECK(tcp_connect_errno(listener.port) == 0);
    return 0;
  });
  ::close(listener.fd);
  ::rmdir(state_dir.c_str());
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

}  // namespace
}  // namespace notion_mcp::sandbox
