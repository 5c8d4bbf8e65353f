// The worker's jail, applied in one call and in a fixed order: the namespace statuses from
// spawn_worker(), then no_new_privs, Landlock, not dumpable, no capabilities, rlimits, every
// descriptor closed but stdio and the channel, and last the seccomp allow-list. Each optional
// layer can be switched off (the escape suite proves the others still hold; --sandbox=off).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sandbox/process_limits.h"
#include "sandbox/seccomp_policy.h"
#include "sandbox/status.h"
#include "util/log.h"
#include "util/result.h"

namespace notion_mcp::sandbox {

// --sandbox=require (refuse to serve unless seccomp + Landlock or namespaces hold),
// best-effort (serve with whatever the host allows, logging what is missing), off (debugging).
enum class SandboxMode { require, best_effort, off };
std::optional<SandboxMode> parse_sandbox_mode(std::string_view text);
std::string_view sandbox_mode_name(SandboxMode mode);

struct JailOptions {
  int channel = -1;            // the broker channel; kept open
  std::vector<int> extra_fds;  // more descriptors to keep (tests, sandbox-check)
  bool landlock = true;
  bool process_limits = true;  // no_new_privs, not dumpable, capabilities, rlimits
  bool close_descriptors = true;
  bool seccomp = true;
  RlimitOptions rlimits;
  // SeccompAction::log finds what a new build needs (see the kernel's audit log); never in use.
  SeccompAction seccomp_default = SeccompAction::kill;

  // Every layer off: what --sandbox=off runs with.
  static JailOptions off(int channel);
};

// Enters the jail; never fails as a whole (a refused layer is reported, see JailReport).
JailReport enter_worker_jail(const JailOptions& options, std::vector<LayerStatus> namespaces);

// Whether `report` may serve in `mode`; the error says what is missing and how to proceed.
util::Result<void> check_sandbox_mode(const JailReport& report, SandboxMode mode);

// Logs the report once, as `serve` does on start: each layer the host refused as a warning
// (with the reason), the summary as info, and --sandbox=off loudly.
void log_jail_report(const JailReport& report, SandboxMode mode, const util::Logger& logger);

// The active layers as the bitmask of the READY message, and back to names.
uint32_t active_layer_bits(const JailReport& report);
std::vector<std::string_view> layer_names_from_bits(uint32_t bits);

}  // namespace notion_mcp::sandbox
