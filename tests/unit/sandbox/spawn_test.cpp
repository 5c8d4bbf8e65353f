#include "sandbox/spawn.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "unit/sandbox/child.h"

namespace notion_mcp::sandbox {
namespace {

using testing::exited_with;
using testing::run_in_child;

// The parent pid of `pid` as /proc says; -1 when it is gone.
pid_t parent_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("PPid:", 0) == 0) return std::stoi(line.substr(5));
  }
  return -1;
}

bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    // A zombie still answers kill(0); /proc says "Z" (or the pid disappears once reaped).
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    bool alive = false;
    while (std::getline(status, line)) {
      if (line.rfind("State:", 0) == 0) alive = line.find('Z') == std::string::npos;
    }
    if (!alive) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// Runs in a child so that the worker and the intermediate are not the test process's children.
TEST(SandboxSpawn, TheWorkerIsPidOneAndTheBrokerIsItsParent) {
  int status = run_in_child([] {
    auto worker = spawn_worker(SpawnOptions{}, [](int channel, std::vector<LayerStatus> ns) {
      bool pid_ns = false;
      for (const auto& s : ns)
        pid_ns |= s.layer == layer::kPidNamespace && s.state == LayerState::active;
      if (pid_ns && ::getpid() != 1) return 2;
      char c;
      // Waits for the broker's go (or its end).
      return ::read(channel, &c, 1) >= 0 ? 7 : 3;
    });
    CHILD_CHECK(worker.ok());
    CHILD_CHECK(worker->pid > 0);
    CHILD_CHECK(worker->pidfd.valid());
    CHILD_CHECK(parent_of(worker->pid) == ::getpid());
    // The pidfd is not readable while the worker lives.
    pollfd pfd{worker->pidfd.get(), POLLIN, 0};
    CHILD_CHECK(::poll(&pfd, 1, 0) == 0);
    CHILD_CHECK(::write(worker->channel.get(), "x", 1) == 1);
    CHILD_CHECK(::poll(&pfd, 1, 5000) == 1);
    int worker_status = 0;
    CHILD_CHECK(::waitpid(worker->pid, &worker_status, 0) == worker->pid);
    CHILD_CHECK(exited_with(worker_status, 7));
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxSpawn, TheWorkerDiesWithTheBroker) {
  int pid_pipe[2];
  ASSERT_EQ(::pipe(pid_pipe), 0);
  int status = run_in_child([&]() -> int {
    auto worker = spawn_worker(SpawnOptions{}, [](int, std::vector<LayerStatus>) -> int {
      // Ignores the channel: only the parent-death signal can end it.
      for (;;) ::pause();
    });
    CHILD_CHECK(worker.ok());
    CHILD_CHECK(::write(pid_pipe[1], &worker->pid, sizeof worker->pid) == sizeof worker->pid);
    // Long enough for the worker to be past its start-up checks and in pause().
    ::usleep(100 * 1000);
    ::_exit(0);  // the broker dies abruptly
  });
  ASSERT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
  pid_t worker = -1;
  ASSERT_EQ(::read(pid_pipe[0], &worker, sizeof worker), static_cast<ssize_t>(sizeof worker));
  ::close(pid_pipe[0]);
  ::close(pid_pipe[1]);
  EXPECT_TRUE(gone_within(worker, std::chrono::seconds(5)))
      << "worker " << worker << " outlived its broker";
}

// The worker is a one-thread copy of the caller's memory: once the caller has started a
// thread, a lock it held could stay held in the copy, so spawning is refused.
TEST(SandboxSpawn, RefusesToStartFromAProcessWithThreads) {
  int status = run_in_child([] {
    std::thread([] {}).join();
    auto worker = spawn_worker(SpawnOptions{}, [](int, std::vector<LayerStatus>) { return 0; });
    if (worker.ok()) return 1;
    return worker.error().message.find("threads") != std::string::npos ? 0 : 2;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

// An intermediate that drops root must not share the broker's memory: a process's ids and its
// dumpable flag decide who may attach to that memory, and it would be a root broker's.
TEST(SandboxSpawn, AnIntermediateThatDropsRootHasAMemoryOfItsOwn) {
  NamespaceOptions options;
  options.drop_root = true;
  bool root = ::geteuid() == 0 || ::getuid() == 0;
  EXPECT_EQ(intermediate_shares_memory(options), !root);
  options.drop_root = false;
  EXPECT_TRUE(intermediate_shares_memory(options));
  // Either way (a fork, or a process that shares the memory) the worker starts, with the
  // namespaces, and reports its status.
  for (bool drop_root : {true, false}) {
    int status = run_in_child([&] {
      SpawnOptions spawn;
      spawn.namespaces.drop_root = drop_root;
      auto worker = spawn_worker(spawn, [](int, std::vector<LayerStatus> namespaces) {
        for (const auto& s : namespaces) {
          if (s.layer == layer::kPidNamespace && s.state == LayerState::active && ::getpid() != 1)
            return 3;
        }
        return 9;
      });
      if (!worker.ok()) return 1;
      int worker_status = 0;
      while (::waitpid(worker->pid, &worker_status, 0) < 0 && errno == EINTR) {
      }
      return WIFEXITED(worker_status) && WEXITSTATUS(worker_status) == 9 ? 0 : 2;
    });
    EXPECT_TRUE(exited_with(status, 0))
        << "drop_root " << drop_root << ": " << describe_wait_status(status);
  }
}

TEST(SandboxSpawn, DescribesWaitStatuses) {
  EXPECT_EQ(exit_code_from_wait_status(3 << 8), 3);
  EXPECT_EQ(exit_code_from_wait_status(SIGSYS), 128 + SIGSYS);
  EXPECT_EQ(describe_wait_status(3 << 8), "exited with status 3");
  EXPECT_NE(describe_wait_status(SIGSYS).find("SIGSYS"), std::string::npos);
  EXPECT_NE(describe_wait_status(SIGSYS).find("seccomp"), std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::sandbox
