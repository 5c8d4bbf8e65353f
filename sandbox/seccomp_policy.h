// The seccomp policies as plain data that tests can read: one rule per system call (or per
// argument pattern), each with the reason it exists. The worker's policy is an allow-list whose
// default kills the process; the broker's allows everything but exec, ptrace, namespace
// creation and kernel attack surface it never needs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "sandbox/status.h"

namespace notion_mcp::sandbox {

enum class SeccompAction {
  allow,
  error,  // fail the call with SyscallRule::error (0 means "pretend success, do nothing")
  kill,   // kill the whole process with SIGSYS
  log,    // allow and log to the audit log: only as a default, to discover what a build needs
};

struct ArgCondition {
  enum class Op { equal, masked_equal };
  unsigned index = 0;  // argument number, 0-5
  Op op = Op::equal;
  uint64_t value = 0;
  uint64_t mask = ~0ULL;  // for masked_equal: (arg & mask) == value
};

struct SyscallRule {
  std::string_view name;
  SeccompAction action = SeccompAction::allow;
  int error = 0;
  std::vector<ArgCondition> conditions;  // all must hold; several rules for a name are "or"
  std::string_view reason;
};

struct SeccompPolicy {
  std::string_view name;  // "worker" or "broker", for messages
  SeccompAction default_action = SeccompAction::kill;
  int default_error = 0;
  std::vector<SyscallRule> rules;

  // Every rule for `syscall`, in order.
  std::vector<const SyscallRule*> rules_for(std::string_view syscall) const;
};

// The worker's allow-list. `self` is the worker's pid as it sees itself (1 in its own PID
// namespace): tgkill is allowed only towards it, for raise() and abort().
SeccompPolicy worker_seccomp_policy(pid_t self);

// The broker's deny-list (default allow).
SeccompPolicy broker_seccomp_policy();

// Compiles `policy` with libseccomp and loads it (setting no_new_privs). Unknown system call
// names fail an allow rule's policy but are skipped for deny rules (a kernel without the call
// cannot be asked for it).
LayerStatus apply_seccomp(const SeccompPolicy& policy);

}  // namespace notion_mcp::sandbox
