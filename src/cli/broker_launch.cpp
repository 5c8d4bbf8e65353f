#include "cli/broker_launch.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

#include "sandbox/status.h"

extern char** environ;

#ifndef NOTION_MCP_BROKER_DIR_FROM_BINDIR
#define NOTION_MCP_BROKER_DIR_FROM_BINDIR "../libexec/notion-mcp"
#endif

namespace notion_mcp::cli {
namespace {

constexpr std::string_view kVersion = "--version=";
constexpr std::string_view kChannel = "--channel=";
constexpr std::string_view kPidfd = "--pidfd=";
constexpr std::string_view kWorkerPid = "--worker-pid=";
constexpr std::string_view kLogLevel = "--log-level=";
constexpr std::string_view kDemo = "--demo";
constexpr std::string_view kAuditLog = "--audit-log=";
constexpr std::string_view kUploadRoot = "--upload-root=";
constexpr std::string_view kProfileName = "--profile-name=";
constexpr std::string_view kCredentialsFile = "--credentials-file=";
constexpr std::string_view kKeyFile = "--credentials-key-file=";

std::string directory_of_this_executable() {
  char path[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return {};
  std::string exe(path, static_cast<size_t>(n));
  auto slash = exe.rfind('/');
  return slash == std::string::npos ? std::string() : exe.substr(0, slash);
}

bool owned_by_root_or_us(const struct stat& st) {
  return st.st_uid == 0 || st.st_uid == ::geteuid();
}

// Why the program at `real_path` (no symbolic links left), opened as `fd`, must not be run with
// this user's credentials in its environment; empty when it may. Like OpenSSH's safe_path: the
// file and every directory above it belong to root or to us and nobody else may write them,
// except a sticky directory such as /tmp, where others cannot replace what is ours.
std::string untrusted_reason(const std::string& real_path, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & S_IXUSR) == 0) {
    return real_path + " is not an executable file";
  }
  if (!owned_by_root_or_us(st)) return real_path + " belongs to another user";
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return real_path + " is writable by other users";
  std::string dir = real_path;
  while (dir != "/") {
    auto slash = dir.rfind('/');
    dir = slash == 0 ? std::string("/") : dir.substr(0, slash);
    if (::stat(dir.c_str(), &st) != 0) return dir + " cannot be examined";
    if (!owned_by_root_or_us(st)) return dir + " belongs to another user";
    bool sticky = (st.st_mode & S_ISVTX) != 0;  // others cannot rename or remove what is ours
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky) {
      return dir + " is writable by other users";
    }
  }
  return {};
}

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool starts_with(std::string_view text, std::string_view prefix, std::string_view& rest) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  rest = text.substr(prefix.size());
  return true;
}

util::Error not_from_serve(const std::string& why) {
  return util::make_error("usage",
                          "notion-mcp-broker is started by `notion-mcp serve` and is not meant "
                          "to be run by hand (" +
                              why + ").",
                          "Run `notion-mcp serve` instead.");
}

// Whether `fd` is a pidfd for `pid` (its fdinfo has the line "Pid:\t<pid>").
bool is_pidfd_of(int fd, pid_t pid) {
  std::string path = "/proc/self/fdinfo/" + std::to_string(fd);
  sandbox::UniqueFd info(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!info) return false;
  char buffer[1024];
  ssize_t n = ::read(info.get(), buffer, sizeof buffer);
  if (n <= 0) return false;
  std::string_view text(buffer, static_cast<size_t>(n));
  const std::string expected = "\nPid:\t" + std::to_string(pid) + "\n";
  return text.find(expected) != std::string_view::npos;
}

void keep_across_exec(int fd) {
  if (fd < 0) return;
  int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
}

void close_on_exec(int fd) {
  int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

}  // namespace

util::Result<sandbox::UniqueFd> open_broker_executable() {
  std::string here = directory_of_this_executable();
  if (here.empty()) {
    return util::make_error("broker_missing",
                            "The broker program cannot be found: /proc/self/exe is unreadable.");
  }
  return open_broker_executable_beside(here);
}

util::Result<sandbox::UniqueFd> open_broker_executable_beside(const std::string& here) {
  const std::string name(kBrokerExecutableName);
  const std::vector<std::string> candidates = {
      here + "/" + name, here + "/" + NOTION_MCP_BROKER_DIR_FROM_BINDIR + "/" + name};
  std::string refused;
  for (const auto& candidate : candidates) {
    char real[PATH_MAX];
    if (::realpath(candidate.c_str(), real) == nullptr) continue;
    sandbox::UniqueFd fd(::open(real, O_PATH | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) continue;
    std::string why = untrusted_reason(real, fd.get());
    if (why.empty()) return fd;
    if (refused.empty()) refused = why;
  }
  if (!refused.empty()) {
    return util::make_error("broker_untrusted",
                            "The broker program " + name + " is not used: " + refused + ".",
                            "Install notion-mcp where only you or root can write (`cmake "
                            "--install`, or the package).");
  }
  return util::make_error("broker_missing",
                          "The broker program " + name + " is not installed (looked for " +
                              candidates[0] + " and " + candidates[1] + ").",
                          "Reinstall notion-mcp.");
}

std::vector<std::string> broker_arguments(const BrokerPlan& plan,
                                          const sandbox::WorkerProcess& worker) {
  std::vector<std::string> arguments = {
      std::string(kBrokerExecutableName),
      std::string(kVersion) + NOTION_MCP_VERSION,
      std::string(kChannel) + std::to_string(worker.channel.get()),
      std::string(kPidfd) + std::to_string(worker.pidfd.get()),
      std::string(kWorkerPid) + std::to_string(worker.pid),
      std::string(kLogLevel) + plan.log_level,
  };
  if (plan.demo) arguments.emplace_back(kDemo);
  if (!plan.audit_log.empty()) arguments.push_back(std::string(kAuditLog) + plan.audit_log);
  for (const auto& root : plan.upload_roots) {
    arguments.push_back(std::string(kUploadRoot) + root);
  }
  arguments.push_back(std::string(kProfileName) + plan.credentials.profile);
  if (!plan.credentials.credentials_file.empty()) {
    arguments.push_back(std::string(kCredentialsFile) + plan.credentials.credentials_file);
  }
  if (!plan.credentials.key_file.empty()) {
    arguments.push_back(std::string(kKeyFile) + plan.credentials.key_file);
  }
  return arguments;
}

util::Error exec_broker(const sandbox::UniqueFd& executable, const BrokerPlan& plan,
                        const sandbox::WorkerProcess& worker) {
  std::vector<std::string> arguments = broker_arguments(plan, worker);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  // Descriptors this process inherited from the MCP client stay behind: only the channel and
  // the pidfd go to the broker (and the program's own O_PATH descriptor, which execveat needs).
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  keep_across_exec(worker.channel.get());
  keep_across_exec(worker.pidfd.get());
  std::fflush(nullptr);
  ::syscall(SYS_execveat, executable.get(), "", argv.data(), environ, AT_EMPTY_PATH);
  int error = errno;
  close_on_exec(worker.channel.get());
  if (worker.pidfd) close_on_exec(worker.pidfd.get());
  return util::make_error("broker_exec",
                          sandbox::errno_reason("exec of the broker program", error));
}

util::Result<BrokerInvocation> parse_broker_arguments(const std::vector<std::string>& arguments) {
  BrokerInvocation invocation;
  std::optional<int> channel, pidfd, worker_pid;
  std::optional<std::string> version;
  for (const auto& argument : arguments) {
    std::string_view rest;
    if (starts_with(argument, kVersion, rest)) {
      version = std::string(rest);
    } else if (starts_with(argument, kChannel, rest)) {
      channel = parse_int(rest);
    } else if (starts_with(argument, kPidfd, rest)) {
      pidfd = parse_int(rest);
    } else if (starts_with(argument, kWorkerPid, rest)) {
      worker_pid = parse_int(rest);
    } else if (starts_with(argument, kLogLevel, rest)) {
      invocation.plan.log_level = std::string(rest);
    } else if (argument == kDemo) {
      invocation.plan.demo = true;
    } else if (starts_with(argument, kAuditLog, rest)) {
      invocation.plan.audit_log = std::string(rest);
    } else if (starts_with(argument, kUploadRoot, rest)) {
      invocation.plan.upload_roots.emplace_back(rest);
    } else if (starts_with(argument, kProfileName, rest)) {
      invocation.plan.credentials.profile = std::string(rest);
    } else if (starts_with(argument, kCredentialsFile, rest)) {
      invocation.plan.credentials.credentials_file = std::string(rest);
    } else if (starts_with(argument, kKeyFile, rest)) {
      invocation.plan.credentials.key_file = std::string(rest);
    } else {
      return not_from_serve("unknown argument " + argument);
    }
  }
  if (!channel || !pidfd || !worker_pid || *channel < 0 || *worker_pid <= 0 || !version) {
    return not_from_serve("no worker was handed over");
  }
  int type = 0;
  socklen_t length = sizeof type;
  if (::getsockopt(*channel, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_SEQPACKET) {
    return not_from_serve("descriptor " + std::to_string(*channel) + " is not the channel");
  }
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(*worker_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return not_from_serve("process " + std::to_string(*worker_pid) + " is not its worker");
  }
  if (*pidfd >= 0 && !is_pidfd_of(*pidfd, *worker_pid)) {
    return not_from_serve("descriptor " + std::to_string(*pidfd) + " is not the worker's pidfd");
  }
  // The worker speaks the channel protocol of the notion-mcp that started it: a broker left
  // from another version (a half-finished upgrade) must not answer it.
  if (*version != NOTION_MCP_VERSION) {
    return util::make_error(
        "broker_version",
        "notion-mcp-broker " + std::string(NOTION_MCP_VERSION) + " was started by notion-mcp " +
            *version + ".",
        "Reinstall notion-mcp: the two programs must come from the same version.");
  }
  // Only now, with every check passed, are the descriptors taken over (and closed with it).
  invocation.worker.pid = *worker_pid;
  invocation.worker.channel.reset(*channel);
  close_on_exec(*channel);
  if (*pidfd >= 0) {
    invocation.worker.pidfd.reset(*pidfd);
    close_on_exec(*pidfd);
  }
  return invocation;
}

}  // namespace notion_mcp::cli
