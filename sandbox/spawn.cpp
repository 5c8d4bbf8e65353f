#include "sandbox/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
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

[[noreturn]] void run_intermediate(pid_t broker, int channel, int report_write,
                                   const SpawnOptions& options, const WorkerMain& main) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::getppid() != broker) ::_exit(kExitBrokerGone);
  if (options.prepare_worker) options.prepare_worker();
  std::vector<LayerStatus> statuses = unshare_namespaces(options.namespaces);
  // The worker is made the broker's child, a sibling of this process (CLONE_PARENT), so that it
  // need not wait for this process to exit and be reaped before its parent-death signal can
  // point at the broker. It is the first process of the new PID namespace, as with fork(): the
  // raw system call behaves like fork without glibc's fork handlers, which a single-threaded
  // process that holds no lock does not need (raise() and abort() ask the kernel for the tid).
  long worker = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, 0L);
  if (worker == 0) {
    ::close(report_write);
    run_worker(channel, std::move(statuses), main);
  }
  if (worker < 0) ::_exit(kExitIntermediateFailed);
  // The broker learns the worker's pid from us; the pid cannot be reused before the broker
  // reaps it, because nobody else can.
  pid_t pid = static_cast<pid_t>(worker);
  (void)!::write(report_write, &pid, sizeof pid);
  ::_exit(0);
}

}  // namespace

util::Result<WorkerProcess> spawn_worker(const SpawnOptions& options, const WorkerMain& main) {
  auto channel = ipc::make_channel();
  if (!channel.ok()) return channel.error();
  auto [broker_end, worker_end] = std::move(channel).value();
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    return util::make_error("sandbox_spawn", errno_reason("pipe2", errno));
  }
  UniqueFd report_read(report[0]);
  UniqueFd report_write(report[1]);
  pid_t broker = ::getpid();
  std::fflush(nullptr);  // buffered output must not be written twice
  pid_t intermediate = ::fork();
  if (intermediate < 0) return util::make_error("sandbox_spawn", errno_reason("fork", errno));
  if (intermediate == 0) {
    close_quietly(broker_end.release());
    close_quietly(report_read.release());
    run_intermediate(broker, worker_end.release(), report_write.release(), options, main);
  }
  worker_end.reset();
  report_write.reset();
  pid_t worker = -1;
  ssize_t n;
  do {
    n = ::read(report_read.get(), &worker, sizeof worker);
  } while (n < 0 && errno == EINTR);
  int status = 0;
  while (::waitpid(intermediate, &status, 0) < 0 && errno == EINTR) {
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
