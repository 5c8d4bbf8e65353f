// Process-wide restrictions that need no kernel feature beyond prctl, setrlimit and capset:
// no privilege gain through exec, no core dumps or ptrace by peers, no new processes, few
// descriptors, no capabilities, and no inherited descriptor but the ones named.
#pragma once

#include <sys/resource.h>

#include <initializer_list>
#include <span>

#include "sandbox/status.h"

namespace notion_mcp::sandbox {

// PR_SET_NO_NEW_PRIVS: execve can never grant privileges (and seccomp/Landlock need it).
LayerStatus set_no_new_privs();

// PR_SET_DUMPABLE 0: no core file, and other processes of the same user cannot ptrace us or
// read /proc/<pid>/mem, environ and the like.
LayerStatus set_not_dumpable();

// Drops every capability (effective, permitted, inheritable, ambient and the bounding set). In
// a fresh user namespace the worker holds all of them there; it needs none.
LayerStatus drop_capabilities();

struct RlimitOptions {
  rlim_t max_open_files = 64;  // stdio, the channel, a few TLS connections, curl's wakeup pair
  bool no_processes = true;    // RLIMIT_NPROC 0 (the kernel exempts real root)
  bool no_file_writes = true;  // RLIMIT_FSIZE 0, skipped when a kept descriptor is a file
};

// RLIMIT_CORE 0, RLIMIT_NOFILE small, RLIMIT_NPROC 0 and RLIMIT_FSIZE 0, with both soft and hard
// limits lowered so they cannot be raised again. `kept_fds` are checked for regular files:
// with stdout or stderr redirected to a file, RLIMIT_FSIZE 0 would kill the process on its
// first log line, so that limit is then left alone (and the status says so).
LayerStatus apply_rlimits(const RlimitOptions& options, std::span<const int> kept_fds);

// Closes every descriptor except `keep` (close_range(2), or a loop on kernels before 5.9).
LayerStatus close_all_fds_except(std::span<const int> keep);

}  // namespace notion_mcp::sandbox
