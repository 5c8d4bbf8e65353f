// Namespaces for the worker, each best-effort and reported on its own: user (our uid/gid mapped
// to themselves), PID, network (no usable interface), IPC, UTS, and mount (an empty read-only
// tmpfs as the root, no /proc). Root first drops to nobody, so the worker never runs as root.
// These run in the intermediate process that spawn_worker() starts; the PID namespace takes
// effect for the worker it creates.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/status.h"

namespace notion_mcp::sandbox {

struct NamespaceOptions {
  bool user = true;
  bool pid = true;
  bool network = true;
  bool ipc = true;
  bool uts = true;
  bool mount = true;
  // When running as root, switch to uid/gid 65534 (nobody) before anything else.
  bool drop_root = true;

  static NamespaceOptions none() { return {false, false, false, false, false, false, false}; }
};

inline constexpr uid_t kNobodyId = 65534;

// Unshares what `options` asks for, in a working order, and returns one status per layer
// (identity, user, pid, network, ipc, uts, mount). Never fails as a whole: a refused layer is
// reported unavailable with the errno and the likely host policy behind it.
std::vector<LayerStatus> unshare_namespaces(const NamespaceOptions& options);

// Makes the mount namespace private, mounts an empty read-only tmpfs and makes it the root
// (chroot), so no path of the host resolves any more. Needs CAP_SYS_ADMIN and CAP_SYS_CHROOT in
// the owning user namespace.
LayerStatus enter_empty_root();

// Switches a root process to uid/gid 65534 with no supplementary groups; a no-op otherwise.
LayerStatus drop_root_identity();

// Why the host may refuse user namespaces, from the sysctls that say so ("" when none does).
std::string user_namespace_policy_hint();

}  // namespace notion_mcp::sandbox
