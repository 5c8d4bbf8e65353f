#include "sandbox/seccomp_policy.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <termios.h>

#include <cerrno>
#include <string>

namespace notion_mcp::sandbox {
namespace {

using Op = ArgCondition::Op;

ArgCondition arg_equal(unsigned index, uint64_t value) {
  return ArgCondition{index, Op::equal, value, ~0ULL};
}
ArgCondition arg_masked(unsigned index, uint64_t mask, uint64_t value) {
  return ArgCondition{index, Op::masked_equal, value, mask};
}

SyscallRule allow(std::string_view name, std::string_view reason) {
  return SyscallRule{name, SeccompAction::allow, 0, {}, reason};
}
SyscallRule allow_if(std::string_view name, std::vector<ArgCondition> conditions,
                     std::string_view reason) {
  return SyscallRule{name, SeccompAction::allow, 0, std::move(conditions), reason};
}
SyscallRule fail(std::string_view name, int error, std::string_view reason) {
  return SyscallRule{name, SeccompAction::error, error, {}, reason};
}
SyscallRule fail_if(std::string_view name, int error, std::vector<ArgCondition> conditions,
                    std::string_view reason) {
  return SyscallRule{name, SeccompAction::error, error, std::move(conditions), reason};
}
SyscallRule kill(std::string_view name, std::string_view reason) {
  return SyscallRule{name, SeccompAction::kill, 0, {}, reason};
}

uint32_t to_libseccomp(SeccompAction action, int error) {
  switch (action) {
    case SeccompAction::allow:
      return SCMP_ACT_ALLOW;
    case SeccompAction::error:
      return SCMP_ACT_ERRNO(static_cast<uint16_t>(error));
    case SeccompAction::kill:
      return SCMP_ACT_KILL_PROCESS;
    case SeccompAction::log:
      return SCMP_ACT_LOG;
  }
  return SCMP_ACT_KILL_PROCESS;
}

}  // namespace

std::vector<const SyscallRule*> SeccompPolicy::rules_for(std::string_view syscall) const {
  std::vector<const SyscallRule*> found;
  for (const auto& rule : rules) {
    if (rule.name == syscall) found.push_back(&rule);
  }
  return found;
}

SeccompPolicy worker_seccomp_policy(pid_t self) {
  constexpr uint64_t kExec = PROT_EXEC;
  SeccompPolicy policy;
  policy.name = "worker";
  policy.default_action = SeccompAction::kill;
  auto& r = policy.rules;
  // I/O on descriptors the worker already holds.
  r.push_back(allow("read", "reads stdin, the broker channel and TLS sockets"));
  r.push_back(allow("write", "writes stdout, stderr and TLS sockets"));
  r.push_back(allow("readv", "scatter reads on held descriptors"));
  r.push_back(allow("writev", "gather writes on held descriptors"));
  r.push_back(allow("recvfrom", "libcurl reads TLS records with recv()"));
  r.push_back(allow_if("sendto", {arg_equal(4, 0)},
                       "libcurl writes TLS records with send(); a destination address is refused"));
  r.push_back(allow("recvmsg", "answers and passed sockets from the broker"));
  r.push_back(allow("sendmsg", "requests to the broker over the channel"));
  r.push_back(allow("poll", "the event loop and libcurl wait on descriptors"));
  r.push_back(allow("ppoll", "poll() with a signal mask"));
  r.push_back(allow("close", "releases descriptors"));
  r.push_back(allow("lseek", "stdio on held descriptors"));
  r.push_back(allow("fstat", "metadata of held descriptors"));
  r.push_back(allow_if("newfstatat", {arg_masked(3, AT_EMPTY_PATH, AT_EMPTY_PATH)},
                       "glibc's fstat(): newfstatat(fd, \"\", AT_EMPTY_PATH)"));
  for (int cmd : {F_GETFD, F_SETFD, F_GETFL, F_SETFL}) {
    r.push_back(allow_if("fcntl", {arg_equal(1, static_cast<uint64_t>(cmd))},
                         "descriptor flags (non-blocking, close-on-exec); F_SETOWN, F_SETSIG and "
                         "the rest are refused"));
  }
  for (unsigned long request :
       {static_cast<unsigned long>(FIONBIO), static_cast<unsigned long>(FIONREAD),
        static_cast<unsigned long>(TCGETS)}) {
    r.push_back(allow_if("ioctl", {arg_equal(1, request)},
                         "non-blocking mode, bytes pending, isatty(); TIOCSTI and every other "
                         "request are refused"));
  }
  // Sockets: none of its own; only what the broker passed.
  r.push_back(kill("socket", "the worker never creates sockets: the broker passes connected ones"));
  r.push_back(fail("connect", 0,
                   "libcurl 7.88 calls connect() on the passed, already connected socket; "
                   "answering success without doing anything lets it proceed at once "
                   "(EINPROGRESS works too but costs a 200 ms happy-eyeballs wait)"));
  r.push_back(allow_if("socketpair", {arg_equal(0, AF_UNIX)},
                       "libcurl's multi handle makes a wakeup pair; it reaches nothing outside"));
  r.push_back(allow_if("getsockopt", {arg_equal(1, SOL_SOCKET)},
                       "libcurl reads SO_ERROR and buffer sizes"));
  r.push_back(allow_if("getsockopt", {arg_equal(1, IPPROTO_TCP)}, "libcurl reads TCP state"));
  r.push_back(allow_if("setsockopt", {arg_equal(1, IPPROTO_TCP)},
                       "libcurl sets TCP_NODELAY and keep-alive timing"));
  r.push_back(allow_if("setsockopt", {arg_equal(1, SOL_SOCKET), arg_equal(2, SO_KEEPALIVE)},
                       "libcurl's TCP keep-alive"));
  r.push_back(allow("getpeername", "libcurl records the connection's addresses"));
  r.push_back(allow("getsockname", "libcurl records the connection's addresses"));
  r.push_back(allow("shutdown", "ends a direction of a held connection"));
  // Files: none. An error rather than a kill, because libraries probe optional files
  // (OpenSSL's CA directory when verification fails, glibc's /etc/localtime).
  for (std::string_view name : {"open", "openat", "openat2", "creat", "stat", "lstat", "access",
                                "faccessat", "faccessat2", "readlink", "readlinkat"}) {
    r.push_back(fail(name, EACCES, "no filesystem access: probes of paths fail"));
  }
  r.push_back(fail_if("newfstatat", EACCES, {arg_masked(3, AT_EMPTY_PATH, 0)},
                      "no filesystem access: stat() of a path fails"));
  // Memory: never executable, so no code can be loaded or written after start-up.
  r.push_back(allow("brk", "the malloc heap"));
  r.push_back(allow_if("mmap", {arg_masked(2, kExec, 0)}, "memory for malloc and buffers"));
  r.push_back(fail_if("mmap", EPERM, {arg_masked(2, kExec, kExec)},
                      "no executable memory: nothing can be loaded after start-up"));
  r.push_back(allow_if("mprotect", {arg_masked(2, kExec, 0)}, "guard pages and RELRO"));
  r.push_back(fail_if("mprotect", EPERM, {arg_masked(2, kExec, kExec)},
                      "no executable memory: no code can be written and run"));
  r.push_back(allow("munmap", "frees memory"));
  r.push_back(allow("mremap", "realloc() of large blocks"));
  r.push_back(allow("madvise", "malloc returns memory to the kernel"));
  r.push_back(allow("mlock", "libsodium keeps secrets out of swap"));
  r.push_back(allow("munlock", "libsodium releases secrets"));
  // Processes and threads: none.
  for (std::string_view name : {"clone", "clone3", "fork", "vfork"}) {
    r.push_back(
        fail(name, EPERM, "no new processes or threads (a library that tries gets an error)"));
  }
  r.push_back(allow("futex", "glibc's locks"));
  r.push_back(allow("sched_yield", "lock back-off"));
  r.push_back(allow("exit", "ends the (only) thread"));
  r.push_back(allow("exit_group", "ends the process"));
  r.push_back(allow("restart_syscall", "resumes a wait interrupted by a signal"));
  // Signals: its own only.
  r.push_back(allow("rt_sigaction", "SIGPIPE ignored, default handlers"));
  r.push_back(allow("rt_sigprocmask", "SIGTERM and SIGINT are blocked for the signalfd"));
  r.push_back(allow("rt_sigreturn", "returns from a signal handler"));
  r.push_back(allow("signalfd4", "SIGTERM and SIGINT arrive on the event loop"));
  r.push_back(allow_if(
      "tgkill",
      {arg_equal(0, static_cast<uint64_t>(self)), arg_equal(1, static_cast<uint64_t>(self))},
      "raise() and abort() signal the worker itself, nobody else"));
  r.push_back(allow("getpid", "glibc and OpenSSL ask for their own pid"));
  r.push_back(allow("gettid", "glibc asks for its own thread id"));
  for (std::string_view name : {"getuid", "geteuid", "getgid", "getegid"}) {
    r.push_back(allow(name, "libraries check whether they run set-uid"));
  }
  r.push_back(allow_if("prlimit64", {arg_equal(0, 0), arg_equal(2, 0)},
                       "sysconf() reads its own limits; setting them is refused"));
  r.push_back(allow("getrlimit", "sysconf() reads its own limits"));
  // Time and randomness.
  r.push_back(allow("clock_gettime", "timers (a system call where the vDSO is unusable)"));
  r.push_back(allow("clock_getres", "timer resolution"));
  r.push_back(allow("gettimeofday", "wall-clock time for logs"));
  r.push_back(allow("time", "wall-clock time"));
  r.push_back(allow("nanosleep", "short waits"));
  r.push_back(allow("clock_nanosleep", "short waits"));
  r.push_back(allow("getrandom", "OpenSSL and libsodium seed from the kernel"));
  return policy;
}

SeccompPolicy broker_seccomp_policy() {
  SeccompPolicy policy;
  policy.name = "broker";
  policy.default_action = SeccompAction::allow;
  auto& r = policy.rules;
  auto deny = [&](std::string_view name, std::string_view reason) {
    r.push_back(fail(name, EPERM, reason));
  };
  deny("execve", "the broker never runs another program");
  deny("execveat", "the broker never runs another program");
  deny("ptrace", "nobody is debugged from here, least of all the worker");
  deny("process_vm_readv", "no reading of another process's memory");
  deny("process_vm_writev", "no writing of another process's memory");
  deny("unshare", "no new namespaces once the worker runs");
  deny("setns", "no joining other namespaces");
  for (int flag : {CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC,
                   CLONE_NEWUTS, CLONE_NEWCGROUP}) {
    r.push_back(fail_if("clone", EPERM,
                        {arg_masked(0, static_cast<uint64_t>(flag), static_cast<uint64_t>(flag))},
                        "no new namespaces once the worker runs"));
  }
  r.push_back(fail("clone3", ENOSYS,
                   "its flags sit in memory a filter cannot read; glibc then uses clone()"));
  for (std::string_view name : {"mount", "umount2", "pivot_root", "chroot", "fsopen", "fsmount",
                                "fsconfig", "fspick", "move_mount", "open_tree", "mount_setattr"}) {
    deny(name, "no mounts");
  }
  deny("bpf", "no BPF programs");
  deny("perf_event_open", "no performance counters (a frequent kernel attack surface)");
  deny("io_uring_setup", "no io_uring (a frequent kernel attack surface)");
  deny("io_uring_enter", "no io_uring");
  deny("io_uring_register", "no io_uring");
  deny("userfaultfd", "no user-space page-fault handling (used to win kernel races)");
  deny("keyctl", "no kernel keyrings");
  deny("add_key", "no kernel keyrings");
  deny("request_key", "no kernel keyrings");
  deny("personality", "no execution domains");
  for (std::string_view name : {"init_module",
                                "finit_module",
                                "delete_module",
                                "kexec_load",
                                "kexec_file_load",
                                "reboot",
                                "swapon",
                                "swapoff",
                                "acct",
                                "iopl",
                                "ioperm",
                                "syslog",
                                "quotactl",
                                "settimeofday",
                                "clock_settime",
                                "clock_adjtime",
                                "adjtimex",
                                "sethostname",
                                "setdomainname",
                                "open_by_handle_at",
                                "name_to_handle_at",
                                "vhangup",
                                "uselib",
                                "lookup_dcookie"}) {
    deny(name, "system administration the broker never does");
  }
  return policy;
}

LayerStatus apply_seccomp(const SeccompPolicy& policy) {
  std::string name(layer::kSeccomp);
  uint32_t default_action = to_libseccomp(policy.default_action, policy.default_error);
  scmp_filter_ctx ctx = ::seccomp_init(default_action);
  if (ctx == nullptr) return layer_unavailable(name, "seccomp_init failed (out of memory?)");
  struct Release {
    scmp_filter_ctx ctx;
    ~Release() { ::seccomp_release(ctx); }
  } release{ctx};
  // Another architecture's system call numbers (int 0x80, x32) would bypass every rule.
  ::seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  size_t loaded = 0;
  std::string skipped;
  for (const auto& rule : policy.rules) {
    uint32_t action = to_libseccomp(rule.action, rule.error);
    // libseccomp refuses rules that repeat the default; they stay in the data as documentation.
    if (action == default_action) continue;
    std::string syscall_name(rule.name);
    int nr = ::seccomp_syscall_resolve_name(syscall_name.c_str());
    if (nr == __NR_SCMP_ERROR) {
      if (rule.action == SeccompAction::allow) {
        return layer_unavailable(name, "libseccomp does not know the system call " + syscall_name);
      }
      skipped += " " + syscall_name;
      continue;
    }
    std::vector<scmp_arg_cmp> conditions;
    for (const auto& c : rule.conditions) {
      conditions.push_back(c.op == Op::equal
                               ? scmp_arg_cmp{c.index, SCMP_CMP_EQ, c.value, 0}
                               : scmp_arg_cmp{c.index, SCMP_CMP_MASKED_EQ, c.mask, c.value});
    }
    int rc = ::seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(conditions.size()),
                                      conditions.empty() ? nullptr : conditions.data());
    if (rc != 0) {
      return layer_unavailable(name, errno_reason("seccomp_rule_add(" + syscall_name + ")", -rc));
    }
    ++loaded;
  }
  int rc = ::seccomp_load(ctx);
  if (rc != 0) return layer_unavailable(name, errno_reason("seccomp_load", -rc));
  std::string detail = std::string(policy.name) + " policy, " + std::to_string(loaded) +
                       " rules, default " +
                       (policy.default_action == SeccompAction::kill    ? "kill the process"
                        : policy.default_action == SeccompAction::allow ? "allow"
                        : policy.default_action == SeccompAction::log   ? "allow and log"
                                                                        : "error");
  if (!skipped.empty()) detail += " (unknown here, not filtered:" + skipped + ")";
  return layer_active(name, detail);
}

}  // namespace notion_mcp::sandbox
