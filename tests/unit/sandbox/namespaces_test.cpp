#include "sandbox/namespaces.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "sandbox/spawn.h"
#include "unit/sandbox/child.h"

namespace notion_mcp::sandbox {
namespace {

using testing::exited_with;
using testing::kChildSkip;
using testing::run_in_child;

const LayerStatus* find(const std::vector<LayerStatus>& statuses, std::string_view name) {
  for (const auto& s : statuses) {
    if (s.layer == name) return &s;
  }
  return nullptr;
}

bool active(const std::vector<LayerStatus>& statuses, std::string_view name) {
  const LayerStatus* s = find(statuses, name);
  return s != nullptr && s->state == LayerState::active;
}

void print(const std::vector<LayerStatus>& statuses) {
  JailReport report;
  report.add(statuses);
  std::fprintf(stderr, "%s", report.table().c_str());
}

TEST(SandboxNamespaces, EachLayerIsReportedOnItsOwn) {
  int status = run_in_child([] {
    auto statuses = unshare_namespaces(NamespaceOptions{});
    print(statuses);
    for (auto name :
         {layer::kIdentity, layer::kUserNamespace, layer::kPidNamespace, layer::kNetworkNamespace,
          layer::kIpcNamespace, layer::kUtsNamespace, layer::kMountNamespace}) {
      CHILD_CHECK(find(statuses, name) != nullptr);
    }
    if (!active(statuses, layer::kUserNamespace)) return kChildSkip;
    for (const auto& s : statuses) CHILD_CHECK(s.state == LayerState::active);
    return 0;
  });
  if (exited_with(status, kChildSkip)) GTEST_SKIP() << "the host refuses user namespaces";
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

// After the namespaces, the host's files, network and processes are out of sight.
TEST(SandboxNamespaces, TheWorkerSeesNoHostPathNetworkOrProcess) {
  auto listener = testing::listen_on_loopback();
  ASSERT_GE(listener.fd, 0);
  int status = run_in_child([&] {
    CHILD_CHECK(testing::tcp_connect_errno(listener.port) == 0);
    auto statuses = unshare_namespaces(NamespaceOptions{});
    if (!active(statuses, layer::kUserNamespace)) return kChildSkip;
    // Not root any more, whoever ran the test.
    CHILD_CHECK(::getuid() != 0 && ::geteuid() != 0);
    // Empty, read-only root: no /etc, no /proc, nothing can be created.
    CHILD_CHECK(::open("/etc/passwd", O_RDONLY) < 0 && errno == ENOENT);
    CHILD_CHECK(::opendir("/proc") == nullptr && errno == ENOENT);
    CHILD_CHECK(::mkdir("/x", 0700) != 0 && (errno == EROFS || errno == EACCES));
    DIR* root = ::opendir("/");
    CHILD_CHECK(root != nullptr);
    int entries = 0;
    while (dirent* e = ::readdir(root))
      entries += std::string(e->d_name) != "." && std::string(e->d_name) != "..";
    ::closedir(root);
    CHILD_CHECK(entries == 0);
    // Empty network: the host's loopback listener is unreachable.
    int error = testing::tcp_connect_errno(listener.port);
    CHILD_CHECK(error == ENETUNREACH || error == ECONNREFUSED);
    // Own hostname namespace: changing it does not touch the host.
    CHILD_CHECK(::sethostname("worker", 6) == 0);
    return 0;
  });
  ::close(listener.fd);
  if (exited_with(status, kChildSkip)) GTEST_SKIP() << "the host refuses user namespaces";
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
  utsname host{};
  ::uname(&host);
  EXPECT_STRNE(host.nodename, "worker");
}

TEST(SandboxNamespaces, SwitchedOffLayersAreReportedDisabled) {
  int status = run_in_child([] {
    auto statuses = unshare_namespaces(NamespaceOptions::none());
    for (const auto& s : statuses) CHILD_CHECK(s.state == LayerState::disabled);
    CHILD_CHECK(::open("/etc/passwd", O_RDONLY) >= 0);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

// Root without a user namespace creates the others directly and drops to nobody afterwards.
TEST(SandboxNamespaces, RootWithoutUserNamespaceStillGetsTheOthers) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  int status = run_in_child([] {
    NamespaceOptions options;
    options.user = false;
    auto statuses = unshare_namespaces(options);
    print(statuses);
    CHILD_CHECK(find(statuses, layer::kUserNamespace)->state == LayerState::disabled);
    // A container may refuse namespaces even to root (Docker's seccomp profile).
    if (!active(statuses, layer::kNetworkNamespace)) return kChildSkip;
    CHILD_CHECK(active(statuses, layer::kMountNamespace));
    CHILD_CHECK(active(statuses, layer::kIdentity));
    CHILD_CHECK(::getuid() == kNobodyId && ::getgid() == kNobodyId);
    CHILD_CHECK(::open("/etc/passwd", O_RDONLY) < 0 && errno == ENOENT);
    return 0;
  });
  if (exited_with(status, kChildSkip)) GTEST_SKIP() << "the host refuses namespaces to root";
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

// Without CAP_SYS_ADMIN and without a user namespace, every namespace is refused with EPERM
// and a reason; nothing fails as a whole.
TEST(SandboxNamespaces, RefusedLayersCarryTheReason) {
  int status = run_in_child([] {
    CHILD_CHECK(drop_root_identity().state == LayerState::active);
    NamespaceOptions options;
    options.user = false;
    auto statuses = unshare_namespaces(options);
    print(statuses);
    const LayerStatus* net = find(statuses, layer::kNetworkNamespace);
    CHILD_CHECK(net->state == LayerState::unavailable);
    CHILD_CHECK(net->detail.find("unshare(CLONE_NEWNET)") != std::string::npos);
    CHILD_CHECK(net->detail.find("EPERM") != std::string::npos);
    CHILD_CHECK(find(statuses, layer::kMountNamespace)->state == LayerState::unavailable);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

}  // namespace
}  // namespace notion_mcp::sandbox
