#include "sandbox/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/single_threaded.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sandbox/ipc.h"

namespace notion_mcp::sandbox {
namespace {

// Exit status of the intermediate when it could not fork the worker.
constexpr int kExitIntermediateFailed = 1;

void close_quietly(int fd) {
  if (fd >= 0) ::close(fd);
}

bool peer_has_hung_up(int channel) {
  pollfd pfd{channel, POLLIN, 0};
  return ::poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR)) != 0;
}

[[noreturn]] void run_worker(int channel, std::vector<LayerStatus> statuses,
                             const WorkerMain& main) {
  // Our parent is the broker from the start (CLONE_PARENT): tie our life to it at once.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  // If the broker died before the line above, no signal will come: the channel tells instead.
  if (peer_has_hung_up(channel)) ::_exit(kExitBrokerGone);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (auto& status : statuses) {
    if (status.layer == layer::kPidNamespace && status.state == LayerState::active &&
        ::getpid() != 1) {
      status = layer_unavailable(status.layer, "the worker is not pid 1 of its namespace");
    }
  }
  int code = main(channel, std::move(statuses));
  std::fflush(nullptr);
  ::_exit(code);
}

// What the intermediate needs. When it shares the broker's memory (CLONE_VM) it reads this from
// the broker's stack frame, and `statuses` is freed there.
struct Intermediate {
  pid_t broker = -1;
  int channel = -1;      // the worker's end
  int broker_end = -1;   // the broker's end, which the worker must not hold
  int report_read = -1;  // the pid pipe: the broker reads the worker's pid from it
  int report_write = -1;
  const SpawnOptions* options = nullptr;
  const WorkerMain* main = nullptr;
  std::vector<LayerStatus> statuses;
};

// Runs in the intermediate, which enters the namespaces and creates the worker. Its descriptor
// table, namespaces and credentials are its own; its memory is the broker's when it shares it
// (see intermediate_shares_memory), and then nothing here may change state the broker relies
// on: no environment changes, no stdio, no change of ids or of the dumpable flag.
int run_intermediate(void* argument) {
  auto& intermediate = *static_cast<Intermediate*>(argument);
  // Closing here leaves the broker's descriptors open there (no CLONE_FILES).
  close_quietly(intermediate.broker_end);
  close_quietly(intermediate.report_read);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::getppid() != intermediate.broker) return kExitBrokerGone;
  intermediate.statuses = unshare_namespaces(intermediate.options->namespaces);
  // The worker gets a memory of its own and is made the broker's child, a sibling of this
  // process (CLONE_PARENT), so that it need not wait for this process to exit and be reaped
  // before its parent-death signal can point at the broker. It is the first process of the new
  // PID namespace, as with fork(): the raw system call behaves like fork without glibc's fork
  // handlers, which a single-threaded process that holds no lock does not need (raise() and
  // abort() ask the kernel for the tid). It goes on on this process's stack.
  long worker = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, 0L);
  if (worker == 0) {
    close_quietly(intermediate.report_write);
    run_worker(intermediate.channel, std::move(intermediate.statuses), *intermediate.main);
  }
  if (worker < 0) return kExitIntermediateFailed;
  // The pid cannot be reused before the broker reaps the worker, because nobody else can.
  pid_t pid = static_cast<pid_t>(worker);
  (void)!::write(intermediate.report_write, &pid, sizeof pid);
  return 0;
}

// The stack of an intermediate that shares the broker's memory, which the worker keeps as its
// own: as large as a main thread's, reserved but only paid for where it is used, with a guard
// below as large as the kernel's gap under a main stack.
class ChildStack {
 public:
  static constexpr size_t kGuardBytes = 1024 * 1024;
  static constexpr size_t kBytes = 8 * 1024 * 1024 + kGuardBytes;
  ChildStack() {
    void* base = ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (base == MAP_FAILED) return;
    if (::mprotect(base, kGuardBytes, PROT_NONE) != 0) {
      ::munmap(base, kBytes);
      return;
    }
    base_ = static_cast<char*>(base);
  }
  ~ChildStack() {
    if (base_) ::munmap(base_, kBytes);
  }
  ChildStack(const ChildStack&) = delete;
  ChildStack& operator=(const ChildStack&) = delete;
  bool ok() const { return base_ != nullptr; }
  void* top() const { return base_ + kBytes; }

 private:
  char* base_ = nullptr;
};

// Starts the intermediate with every signal blocked (as posix_spawn does): no handler of the
// broker's may run in it, and nothing may stop or end it halfway through the shared heap but
// SIGKILL. Returns its pid, or -1 with errno.
pid_t start_intermediate(Intermediate& intermediate, bool share_memory) {
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, &previous);
  pid_t pid = -1;
  int error = 0;
  if (share_memory) {
    ChildStack stack;
    if (stack.ok()) {
      // Returns when the intermediate has exited (CLONE_VFORK); then the stack can go.
      pid = ::clone(run_intermediate, stack.top(), CLONE_VM | CLONE_VFORK | SIGCHLD, &intermediate);
    }
    error = errno;
  } else {
    pid = ::fork();
    if (pid == 0) ::_exit(run_intermediate(&intermediate));
    error = errno;
  }
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  errno = error;
  return pid;
}

}  // namespace

bool intermediate_shares_memory(const NamespaceOptions& namespaces) {
  // Root drops its ids in the intermediate, and changing ids, like the dumpable flag set after
  // it, changes who may attach to the memory: for a root broker's memory, any process of the
  // nobody user. So root's intermediate is a fork with a memory of its own.
  bool changes_ids = namespaces.drop_root && (::geteuid() == 0 || ::getuid() == 0);
  return !changes_ids;
}

util::Result<WorkerProcess> spawn_worker(const SpawnOptions& options, const WorkerMain& main) {
  // The worker is a copy of this memory with one thread: a lock another thread held at the copy
  // would stay held there forever. (glibc clears the flag only in a fork child.)
  if (!__libc_single_threaded) {
    return util::make_error("sandbox_spawn",
                            "The sandbox cannot start the worker from a process that has "
                            "started threads.");
  }
  auto channel = ipc::make_channel();
  if (!channel.ok()) return channel.error();
  auto [broker_end, worker_end] = std::move(channel).value();
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    return util::make_error("sandbox_spawn", errno_reason("pipe2", errno));
  }
  UniqueFd report_read(report[0]);
  UniqueFd report_write(report[1]);
  Intermediate intermediate;
  intermediate.broker = ::getpid();
  intermediate.channel = worker_end.get();
  intermediate.broker_end = broker_end.get();
  intermediate.report_read = report_read.get();
  intermediate.report_write = report_write.get();
  intermediate.options = &options;
  intermediate.main = &main;
  std::fflush(nullptr);  // buffered output must not be written twice
  bool share_memory = intermediate_shares_memory(options.namespaces);
  pid_t intermediate_pid = start_intermediate(intermediate, share_memory);
  if (intermediate_pid < 0) {
    return util::make_error("sandbox_spawn", errno_reason(share_memory ? "clone" : "fork", errno));
  }
  worker_end.reset();
  report_write.reset();
  pid_t worker = -1;
  ssize_t n;
  do {
    n = ::read(report_read.get(), &worker, sizeof worker);
  } while (n < 0 && errno == EINTR);
  int status = 0;
  while (::waitpid(intermediate_pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof worker) || worker <= 0) {
    return util::make_error("sandbox_spawn",
                            "The sandbox could not start the worker process: the intermediate " +
                                describe_wait_status(status) + ".");
  }
  WorkerProcess process;
  process.pid = worker;
  process.channel = std::move(broker_end);
  process.pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, worker, 0)));
  return process;
}

int exit_code_from_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    std::string text = "was killed by SIG" + std::string(name ? name : std::to_string(sig));
    if (sig == SIGSYS) text += " (a system call outside the seccomp allow-list)";
    if (sig == SIGXFSZ) text += " (it wrote to a regular file beyond RLIMIT_FSIZE)";
    return text;
  }
  return "ended with wait status " + std::to_string(status);
}

}  // namespace notion_mcp::sandbox
