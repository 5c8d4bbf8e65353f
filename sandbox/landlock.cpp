#include "sandbox/landlock.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/unique_fd.h"
#include "util/result.h"

namespace notion_mcp::sandbox {
namespace {

// The kernel's structures, as of ABI 6; the kernel accepts a larger struct whose unknown
// fields are zero, so one layout serves every ABI.
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};
struct PathBeneathAttr {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));
struct NetPortAttr {
  uint64_t allowed_access;
  uint64_t port;
};

constexpr uint32_t kCreateRulesetVersion = 1U << 0;
constexpr int kRulePathBeneath = 1;
constexpr int kRuleNetPort = 2;

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

int create_ruleset(const RulesetAttr* attr, size_t size, uint32_t flags) {
  return static_cast<int>(::syscall(SYS_landlock_create_ruleset, attr, size, flags));
}
int add_rule(int ruleset, int type, const void* attr) {
  return static_cast<int>(::syscall(SYS_landlock_add_rule, ruleset, type, attr, 0));
}
int restrict_self(int ruleset) {
  return static_cast<int>(::syscall(SYS_landlock_restrict_self, ruleset, 0));
}

// Rights that only make sense on directories; a rule on a file may not carry them.
constexpr uint64_t kDirectoryOnly =
    landlock::kReadDir | landlock::kRemoveDir | landlock::kRemoveFile | landlock::kMakeChar |
    landlock::kMakeDir | landlock::kMakeReg | landlock::kMakeSock | landlock::kMakeFifo |
    landlock::kMakeBlock | landlock::kMakeSym | landlock::kRefer;

// Enforces `ruleset` on this thread; sets no_new_privs first when needed.
util::Result<void> enforce(int ruleset) {
  if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 &&
      ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return util::make_error("landlock", errno_reason("prctl(PR_SET_NO_NEW_PRIVS)", errno));
  }
  if (restrict_self(ruleset) != 0) {
    return util::make_error("landlock", errno_reason("landlock_restrict_self", errno));
  }
  return {};
}

std::string describe(int abi, const RulesetAttr& attr) {
  std::string text = "ABI " + std::to_string(abi) + ": ";
  text += attr.handled_access_fs != 0 ? "no filesystem access" : "filesystem not restricted";
  text += attr.handled_access_net != 0 ? ", no TCP bind or connect"
                                       : ", TCP not restricted (needs ABI 4)";
  text += attr.scoped != 0 ? ", abstract Unix sockets and signals scoped to the worker"
                           : ", abstract sockets and signals not scoped (needs ABI 6)";
  return text;
}

}  // namespace

namespace landlock {

uint64_t fs_rights(int abi) {
  if (abi < 1) return 0;
  uint64_t rights = (kMakeSym << 1) - 1;  // ABI 1: bits 0-12
  if (abi >= 2) rights |= kRefer;
  if (abi >= 3) rights |= kTruncate;
  if (abi >= 5) rights |= kIoctlDev;
  return rights;
}

uint64_t net_rights(int abi) { return abi >= 4 ? (kBindTcp | kConnectTcp) : 0; }

uint64_t scopes(int abi) { return abi >= 6 ? (kScopeAbstractUnixSocket | kScopeSignal) : 0; }

}  // namespace landlock

LandlockSupport landlock_support() {
  int abi = create_ruleset(nullptr, 0, kCreateRulesetVersion);
  if (abi >= 1) return {abi, {}};
  int error = errno;
  std::string why = errno_reason("landlock_create_ruleset(VERSION)", error);
  if (error == ENOSYS) why += "; the kernel was built without Landlock (needs Linux 5.13)";
  if (error == EOPNOTSUPP) why += "; Landlock is not enabled at boot (add it to lsm=)";
  return {0, why};
}

LayerStatus apply_worker_landlock() {
  std::string name(layer::kLandlock);
  LandlockSupport support = landlock_support();
  if (support.abi == 0) return layer_unavailable(name, support.why_unavailable);
  RulesetAttr attr{landlock::fs_rights(support.abi), landlock::net_rights(support.abi),
                   landlock::scopes(support.abi)};
  UniqueFd ruleset(create_ruleset(&attr, sizeof attr, 0));
  if (!ruleset) return layer_unavailable(name, errno_reason("landlock_create_ruleset", errno));
  // No rules at all: everything the ruleset handles is denied.
  if (auto r = enforce(ruleset.get()); !r.ok()) return layer_unavailable(name, r.error().message);
  return layer_active(name, describe(support.abi, attr));
}

BrokerLandlockOptions broker_landlock_defaults(const std::vector<std::string>& own_dirs,
                                               uint16_t extra_port) {
  BrokerLandlockOptions options;
  for (const char* path :
       {"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/gai.conf", "/etc/host.conf",
        "/etc/ssl", "/etc/ca-certificates", "/etc/pki", "/usr/share/ca-certificates",
        "/usr/lib/ssl", "/etc/localtime", "/usr/share/zoneinfo", "/usr/lib", "/usr/lib64", "/lib",
        "/lib64", "/dev/null", "/dev/urandom", "/run/systemd/resolve"}) {
    options.paths.push_back({path, false});
  }
  for (const auto& dir : own_dirs) options.paths.push_back({dir, true});
  options.connect_ports = {443, 53};
  if (extra_port != 0) options.connect_ports.push_back(extra_port);
  return options;
}

LayerStatus apply_broker_landlock(const BrokerLandlockOptions& options) {
  std::string name(layer::kLandlock);
  LandlockSupport support = landlock_support();
  if (support.abi == 0) return layer_unavailable(name, support.why_unavailable);
  uint64_t all = landlock::fs_rights(support.abi);
  uint64_t net =
      options.connect_ports.empty() ? landlock::kBindTcp : landlock::net_rights(support.abi);
  RulesetAttr attr{all, net & landlock::net_rights(support.abi), 0};
  UniqueFd ruleset(create_ruleset(&attr, sizeof attr, 0));
  if (!ruleset) return layer_unavailable(name, errno_reason("landlock_create_ruleset", errno));
  uint64_t read_only = landlock::kExecute | landlock::kReadFile | landlock::kReadDir;
  std::string skipped;
  size_t added = 0;
  for (const auto& path : options.paths) {
    UniqueFd fd(::open(path.path.c_str(), O_PATH | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) {
      skipped += (skipped.empty() ? "" : ", ") + path.path;
      continue;
    }
    uint64_t allowed = (path.writable ? all : read_only) & all;
    if (!S_ISDIR(st.st_mode)) allowed &= ~kDirectoryOnly;
    PathBeneathAttr rule{allowed, fd.get()};
    if (add_rule(ruleset.get(), kRulePathBeneath, &rule) != 0) {
      return layer_unavailable(name, errno_reason("landlock_add_rule(" + path.path + ")", errno));
    }
    ++added;
  }
  if (attr.handled_access_net & landlock::kConnectTcp) {
    for (uint16_t port : options.connect_ports) {
      NetPortAttr rule{landlock::kConnectTcp, port};
      if (add_rule(ruleset.get(), kRuleNetPort, &rule) != 0) {
        return layer_unavailable(name, errno_reason("landlock_add_rule(port)", errno));
      }
    }
  }
  if (auto r = enforce(ruleset.get()); !r.ok()) return layer_unavailable(name, r.error().message);
  std::string detail =
      "ABI " + std::to_string(support.abi) + ": " + std::to_string(added) + " allowed paths";
  if (!skipped.empty()) detail += " (missing, skipped: " + skipped + ")";
  if (attr.handled_access_net & landlock::kConnectTcp) {
    detail += ", TCP connect only to the given ports";
  }
  if (attr.handled_access_net & landlock::kBindTcp) detail += ", no TCP bind";
  return layer_active(name, detail);
}

}  // namespace notion_mcp::sandbox
