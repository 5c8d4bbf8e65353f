#include "sandbox/namespaces.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "sandbox/unique_fd.h"

namespace notion_mcp::sandbox {
namespace {

// Reads a small /proc/sys file; "" when it does not exist.
std::string read_sysctl(const char* path) {
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  char buffer[32];
  ssize_t n = ::read(fd.get(), buffer, sizeof buffer - 1);
  if (n <= 0) return {};
  std::string value(buffer, static_cast<size_t>(n));
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return value;
}

// Writes `text` to a /proc file in one write, as the id-map files require; 0 or an errno.
int write_proc_file(const char* path, std::string_view text) {
  UniqueFd fd(::open(path, O_WRONLY | O_CLOEXEC));
  if (!fd) return errno;
  ssize_t n = ::write(fd.get(), text.data(), text.size());
  if (n < 0) return errno;
  return n == static_cast<ssize_t>(text.size()) ? 0 : EIO;
}

// The errno plus the host policy that most likely caused it.
std::string refusal(std::string_view call, int error, bool user_namespace_call,
                    bool in_user_namespace) {
  std::string why = errno_reason(call, error);
  if (error != EPERM && error != EACCES && error != ENOSPC && error != EUSERS) return why;
  std::string hint = user_namespace_policy_hint();
  if (!hint.empty()) {
    why += "; " + hint;
  } else if (user_namespace_call || in_user_namespace || ::geteuid() == 0) {
    why += "; the host forbids it (a container's seccomp profile, as in default Docker)";
  } else {
    why += "; without a user namespace this needs CAP_SYS_ADMIN";
  }
  return why;
}

struct Flag {
  int flag;
  std::string_view layer;
  std::string_view call;
  std::string_view active_detail;
  bool NamespaceOptions::*enabled;
};

constexpr Flag kFlags[] = {
    {CLONE_NEWPID, layer::kPidNamespace, "unshare(CLONE_NEWPID)",
     "own PID namespace: the worker is pid 1 and sees no other process", &NamespaceOptions::pid},
    {CLONE_NEWNET, layer::kNetworkNamespace, "unshare(CLONE_NEWNET)",
     "empty network namespace: no interface but a loopback that is down",
     &NamespaceOptions::network},
    {CLONE_NEWIPC, layer::kIpcNamespace, "unshare(CLONE_NEWIPC)",
     "own IPC namespace: no System V or POSIX IPC objects of the host", &NamespaceOptions::ipc},
    {CLONE_NEWUTS, layer::kUtsNamespace, "unshare(CLONE_NEWUTS)", "own hostname namespace",
     &NamespaceOptions::uts},
};

LayerStatus unshare_user(uid_t uid, gid_t gid) {
  if (::unshare(CLONE_NEWUSER) != 0) {
    return layer_unavailable(std::string(layer::kUserNamespace),
                             refusal("unshare(CLONE_NEWUSER)", errno, true, false));
  }
  // An unprivileged process may map only its own ids, and gid_map needs setgroups denied.
  int error = write_proc_file("/proc/self/setgroups", "deny");
  if (error != 0 && error != ENOENT) {
    return layer_unavailable(std::string(layer::kUserNamespace),
                             errno_reason("writing /proc/self/setgroups", error));
  }
  std::string uid_map = std::to_string(uid) + " " + std::to_string(uid) + " 1";
  std::string gid_map = std::to_string(gid) + " " + std::to_string(gid) + " 1";
  if ((error = write_proc_file("/proc/self/uid_map", uid_map)) != 0) {
    return layer_unavailable(std::string(layer::kUserNamespace),
                             errno_reason("writing /proc/self/uid_map", error));
  }
  if ((error = write_proc_file("/proc/self/gid_map", gid_map)) != 0) {
    return layer_unavailable(std::string(layer::kUserNamespace),
                             errno_reason("writing /proc/self/gid_map", error));
  }
  return layer_active(std::string(layer::kUserNamespace),
                      "own user namespace; uid " + std::to_string(uid) + " and gid " +
                          std::to_string(gid) + " map to themselves, nothing else is mapped");
}

}  // namespace

std::string user_namespace_policy_hint() {
  if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1") {
    return "AppArmor restricts unprivileged user namespaces "
           "(kernel.apparmor_restrict_unprivileged_userns=1, as on Ubuntu 24.04)";
  }
  if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == "0") {
    return "unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone=0)";
  }
  if (read_sysctl("/proc/sys/user/max_user_namespaces") == "0") {
    return "user namespaces are switched off (user.max_user_namespaces=0)";
  }
  return {};
}

LayerStatus drop_root_identity() {
  std::string name(layer::kIdentity);
  if (::geteuid() != 0 && ::getuid() != 0) {
    return layer_active(name, "not root (uid " + std::to_string(::getuid()) + "); nothing to drop");
  }
  // The system calls themselves, not glibc's wrappers: those change every thread of the
  // process they believe they run in, and the intermediate shares the broker's memory (see
  // spawn.cpp); only this process may change.
  if (::syscall(SYS_setgroups, 0, nullptr) != 0)
    return layer_unavailable(name, errno_reason("setgroups", errno));
  if (::syscall(SYS_setresgid, kNobodyId, kNobodyId, kNobodyId) != 0) {
    return layer_unavailable(name, errno_reason("setresgid(65534)", errno));
  }
  if (::syscall(SYS_setresuid, kNobodyId, kNobodyId, kNobodyId) != 0) {
    return layer_unavailable(name, errno_reason("setresuid(65534)", errno));
  }
  // Changing ids clears the dumpable flag, which makes /proc/self/uid_map unwritable; the jail
  // clears it again later, after the id maps are written. (Never in a process that shares the
  // broker's memory: see spawn.cpp.)
  ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
  return layer_active(name, "root dropped to uid/gid 65534 (nobody), no supplementary groups");
}

LayerStatus enter_empty_root() {
  std::string name(layer::kMountNamespace);
  // Nothing we mount may propagate back to the host, and nothing of the host may arrive.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return layer_unavailable(name, errno_reason("making / private (mount MS_PRIVATE)", errno));
  }
  // Any existing directory serves as the mount point; the tmpfs hides it and becomes the root.
  const char* mount_point = nullptr;
  for (const char* candidate : {"/tmp", "/mnt", "/run", "/var/tmp", "/dev"}) {
    struct stat st {};
    if (::stat(candidate, &st) == 0 && S_ISDIR(st.st_mode)) {
      mount_point = candidate;
      break;
    }
  }
  if (mount_point == nullptr) return layer_unavailable(name, "no directory to mount the root on");
  if (::mount("notion-mcp-empty", mount_point, "tmpfs",
              MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,nr_inodes=2,mode=0555") != 0) {
    return layer_unavailable(name, errno_reason("mounting an empty tmpfs", errno));
  }
  // chroot rather than pivot_root: detaching the old root after a pivot waits for an RCU grace
  // period (about 3 ms here, on every start). The host tree stays mounted underneath but out
  // of reach: leaving a chroot needs CAP_SYS_CHROOT (dropped, and chroot is not in the
  // seccomp allow-list) or a directory descriptor from outside (all are closed).
  if (::chdir(mount_point) != 0) return layer_unavailable(name, errno_reason("chdir", errno));
  if (::chroot(".") != 0) return layer_unavailable(name, errno_reason("chroot", errno));
  if (::chdir("/") != 0) return layer_unavailable(name, errno_reason("chdir(/)", errno));
  return layer_active(name, "empty read-only tmpfs as root: no host path, no /proc");
}

std::vector<LayerStatus> unshare_namespaces(const NamespaceOptions& options) {
  std::vector<LayerStatus> statuses;
  bool drop_first = options.drop_root && options.user;
  // With a user namespace, root drops first and creates everything as nobody; without one,
  // root needs its privileges to create the other namespaces and drops afterwards.
  if (drop_first) statuses.push_back(drop_root_identity());
  bool in_user_namespace = false;
  if (options.user) {
    statuses.push_back(unshare_user(::geteuid(), ::getegid()));
    in_user_namespace = statuses.back().state == LayerState::active;
  } else {
    statuses.push_back(layer_disabled(std::string(layer::kUserNamespace)));
  }
  for (const Flag& f : kFlags) {
    if (!(options.*f.enabled)) {
      statuses.push_back(layer_disabled(std::string(f.layer)));
    } else if (::unshare(f.flag) != 0) {
      statuses.push_back(layer_unavailable(std::string(f.layer),
                                           refusal(f.call, errno, false, in_user_namespace)));
    } else {
      statuses.push_back(layer_active(std::string(f.layer), std::string(f.active_detail)));
    }
  }
  if (!options.mount) {
    statuses.push_back(layer_disabled(std::string(layer::kMountNamespace)));
  } else if (::unshare(CLONE_NEWNS) != 0) {
    statuses.push_back(
        layer_unavailable(std::string(layer::kMountNamespace),
                          refusal("unshare(CLONE_NEWNS)", errno, false, in_user_namespace)));
  } else {
    statuses.push_back(enter_empty_root());
  }
  if (!drop_first) {
    if (options.drop_root) {
      statuses.push_back(drop_root_identity());
    } else {
      statuses.push_back(layer_disabled(std::string(layer::kIdentity)));
    }
  }
  return statuses;
}

}  // namespace notion_mcp::sandbox
