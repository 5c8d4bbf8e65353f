#include "sandbox/process_limits.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace notion_mcp::sandbox {

LayerStatus set_no_new_privs() {
  std::string name(layer::kNoNewPrivs);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return layer_unavailable(name, errno_reason("prctl(PR_SET_NO_NEW_PRIVS)", errno));
  }
  return layer_active(name, "execve can never raise privileges");
}

LayerStatus set_not_dumpable() {
  std::string name(layer::kNotDumpable);
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return layer_unavailable(name, errno_reason("prctl(PR_SET_DUMPABLE, 0)", errno));
  }
  return layer_active(name, "no core dumps; same-user processes cannot ptrace or read /proc/<pid>");
}

LayerStatus drop_capabilities() {
  std::string name(layer::kCapabilities);
  int last = CAP_LAST_CAP;
  // The bounding set first: dropping from it needs CAP_SETPCAP, which capset below removes.
  int bounding_failures = 0;
  for (int cap = 0; cap <= last + 8; ++cap) {
    if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
        ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
      ++bounding_failures;
    }
  }
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capset, &header, data) != 0) {
    return layer_unavailable(name, errno_reason("capset", errno));
  }
  std::string detail = "no capabilities (effective, permitted, inheritable, ambient)";
  if (bounding_failures == 0) {
    detail += " and an empty bounding set";
  } else {
    detail += "; the bounding set stays (no CAP_SETPCAP to drop it), which matters only to exec";
  }
  return layer_active(name, detail);
}

LayerStatus apply_rlimits(const RlimitOptions& options, std::span<const int> kept_fds) {
  std::string name(layer::kRlimits);
  struct Limit {
    int resource;
    rlim_t value;
    const char* call;
  };
  std::vector<Limit> limits{{RLIMIT_CORE, 0, "setrlimit(RLIMIT_CORE, 0)"},
                            {RLIMIT_NOFILE, options.max_open_files, "setrlimit(RLIMIT_NOFILE)"}};
  if (options.no_processes) limits.push_back({RLIMIT_NPROC, 0, "setrlimit(RLIMIT_NPROC, 0)"});
  bool file_output = false;
  for (int fd : kept_fds) {
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) file_output = true;
  }
  bool limit_writes = options.no_file_writes && !file_output;
  if (limit_writes) limits.push_back({RLIMIT_FSIZE, 0, "setrlimit(RLIMIT_FSIZE, 0)"});
  for (const Limit& limit : limits) {
    rlimit value{limit.value, limit.value};
    // The hard limit may already be lower (never raise it): keep the lower one.
    rlimit current{};
    if (::getrlimit(limit.resource, &current) == 0 && current.rlim_max < limit.value) {
      value = current;
    }
    if (::setrlimit(limit.resource, &value) != 0) {
      return layer_unavailable(name, errno_reason(limit.call, errno));
    }
  }
  std::string detail =
      "no core files, at most " + std::to_string(options.max_open_files) + " descriptors";
  if (options.no_processes) {
    detail += ", no new processes";
    if (::getuid() == 0) detail += " (not enforced: the kernel exempts real root)";
  }
  if (limit_writes) {
    detail += ", no file growth";
  } else if (options.no_file_writes) {
    detail += "; RLIMIT_FSIZE left alone because stdout or stderr is a regular file";
  }
  return layer_active(name, detail);
}

LayerStatus close_all_fds_except(std::span<const int> keep) {
  std::string name(layer::kDescriptors);
  std::vector<int> sorted(keep.begin(), keep.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  unsigned int from = 0;
  auto close_range_from = [](unsigned int first, unsigned int last) -> bool {
    if (::syscall(SYS_close_range, first, last, 0) == 0) return true;
    if (errno != ENOSYS) return false;
    // Kernels before 5.9: close one by one up to the descriptor limit.
    long max = ::sysconf(_SC_OPEN_MAX);
    unsigned int end =
        std::min<unsigned int>(last, max > 0 ? static_cast<unsigned int>(max) : 1024);
    for (unsigned int fd = first; fd <= end; ++fd) ::close(static_cast<int>(fd));
    return true;
  };
  for (int fd : sorted) {
    if (fd < 0) continue;
    auto kept_fd = static_cast<unsigned int>(fd);
    if (kept_fd > from && !close_range_from(from, kept_fd - 1)) {
      return layer_unavailable(name, errno_reason("close_range", errno));
    }
    from = kept_fd + 1;
  }
  if (!close_range_from(from, ~0U))
    return layer_unavailable(name, errno_reason("close_range", errno));
  std::string kept;
  for (int fd : sorted) kept += (kept.empty() ? "" : ", ") + std::to_string(fd);
  return layer_active(name, "every descriptor closed but " + kept);
}

}  // namespace notion_mcp::sandbox
