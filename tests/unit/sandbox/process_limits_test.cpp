#include "sandbox/process_limits.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include "sandbox/namespaces.h"
#include "sandbox/spawn.h"
#include "unit/sandbox/child.h"

namespace notion_mcp::sandbox {
namespace {

using testing::exited_with;
using testing::kChildSkip;
using testing::run_in_child;

TEST(SandboxProcessLimits, SetsNoNewPrivsAndNotDumpable) {
  int status = run_in_child([] {
    CHILD_CHECK(::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0);
    CHILD_CHECK(set_no_new_privs().state == LayerState::active);
    CHILD_CHECK(::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
    CHILD_CHECK(set_not_dumpable().state == LayerState::active);
    CHILD_CHECK(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxProcessLimits, RlimitsStopNewProcessesDescriptorsAndFileGrowth) {
  int status = run_in_child([] {
    // Root is exempt from RLIMIT_NPROC, so drop to nobody first, as the jail does.
    CHILD_CHECK(drop_root_identity().state == LayerState::active);
    RlimitOptions options;
    options.max_open_files = 16;
    int kept[] = {0, 1, 2};
    CHILD_CHECK(apply_rlimits(options, kept).state == LayerState::active);
    rlimit core{};
    CHILD_CHECK(::getrlimit(RLIMIT_CORE, &core) == 0 && core.rlim_cur == 0 && core.rlim_max == 0);
    // The hard limit went down too: it cannot be raised again.
    rlimit raise{1024, 1024};
    CHILD_CHECK(::setrlimit(RLIMIT_NOFILE, &raise) != 0 && errno == EPERM);
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    CHILD_CHECK(pid < 0 && errno == EAGAIN);
    std::vector<int> fds;
    int fd;
    while ((fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) fds.push_back(fd);
    CHILD_CHECK(errno == EMFILE);
    CHILD_CHECK(fds.size() < 16);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxProcessLimits, FileSizeLimitSparesStderrRedirectedToAFile) {
  char path[] = "/tmp/notion-mcp-fsize-XXXXXX";
  int file = ::mkstemp(path);
  ASSERT_GE(file, 0);
  ::unlink(path);
  int status = run_in_child([&] {
    ::dup2(file, STDERR_FILENO);
    int kept[] = {0, 1, 2};
    LayerStatus applied = apply_rlimits(RlimitOptions{}, kept);
    CHILD_CHECK(applied.detail.find("RLIMIT_FSIZE left alone") != std::string::npos);
    CHILD_CHECK(::write(STDERR_FILENO, "still alive\n", 12) == 12);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
  status = run_in_child([&] {
    int kept[] = {0, 1, 2};
    apply_rlimits(RlimitOptions{}, kept);
    // RLIMIT_FSIZE 0: growing a regular file is fatal (SIGXFSZ).
    (void)!::write(file, "x", 1);
    return 0;
  });
  EXPECT_TRUE(testing::killed_by(status, SIGXFSZ)) << describe_wait_status(status);
  ::close(file);
}

TEST(SandboxProcessLimits, ClosesEveryDescriptorButTheKeptOnes) {
  int status = run_in_child([] {
    int a = ::open("/dev/null", O_RDONLY);
    int b = ::open("/dev/null", O_RDONLY);
    int c = ::dup2(a, 200);
    CHILD_CHECK(a >= 0 && b >= 0 && c == 200);
    int keep[] = {0, 1, 2, b};
    LayerStatus applied = close_all_fds_except(keep);
    CHILD_CHECK(applied.state == LayerState::active);
    CHILD_CHECK(::fcntl(a, F_GETFD) < 0 && errno == EBADF);
    CHILD_CHECK(::fcntl(c, F_GETFD) < 0 && errno == EBADF);
    CHILD_CHECK(::fcntl(b, F_GETFD) >= 0);
    CHILD_CHECK(::fcntl(2, F_GETFD) >= 0);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxProcessLimits, DropsTheCapabilitiesOfAFreshUserNamespace) {
  int status = run_in_child([] {
    CHILD_CHECK(drop_root_identity().state == LayerState::active);
    if (::unshare(CLONE_NEWUSER) != 0) return kChildSkip;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    CHILD_CHECK(::syscall(SYS_capget, &header, data) == 0);
    CHILD_CHECK(data[0].effective != 0);  // all of them, inside the new namespace
    LayerStatus dropped = drop_capabilities();
    CHILD_CHECK(dropped.state == LayerState::active);
    CHILD_CHECK(::syscall(SYS_capget, &header, data) == 0);
    CHILD_CHECK(data[0].effective == 0 && data[0].permitted == 0 && data[1].effective == 0);
    CHILD_CHECK(::prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) == 0);
    // Without CAP_SYS_ADMIN even the namespace's own mounts are out of reach.
    CHILD_CHECK(::unshare(CLONE_NEWNS) != 0 && errno == EPERM);
    return 0;
  });
  if (exited_with(status, kChildSkip)) GTEST_SKIP() << "no user namespaces on this host";
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

}  // namespace
}  // namespace notion_mcp::sandbox
