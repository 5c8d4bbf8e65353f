#include "sandbox/jail.h"

#include <unistd.h>

#include <array>

#include "sandbox/landlock.h"

namespace notion_mcp::sandbox {
namespace {

// Bit positions of the READY bitmask; append only.
constexpr std::array<std::string_view, 14> kLayerBits = {
    layer::kUserNamespace, layer::kMountNamespace, layer::kNetworkNamespace, layer::kIpcNamespace,
    layer::kUtsNamespace,  layer::kPidNamespace,   layer::kIdentity,         layer::kLandlock,
    layer::kNoNewPrivs,    layer::kNotDumpable,    layer::kCapabilities,     layer::kRlimits,
    layer::kDescriptors,   layer::kSeccomp};

}  // namespace

std::optional<SandboxMode> parse_sandbox_mode(std::string_view text) {
  if (text == "require") return SandboxMode::require;
  if (text == "best-effort") return SandboxMode::best_effort;
  if (text == "off") return SandboxMode::off;
  return std::nullopt;
}

std::string_view sandbox_mode_name(SandboxMode mode) {
  switch (mode) {
    case SandboxMode::require:
      return "require";
    case SandboxMode::best_effort:
      return "best-effort";
    case SandboxMode::off:
      return "off";
  }
  return "unknown";
}

JailOptions JailOptions::off(int channel) {
  JailOptions options;
  options.channel = channel;
  options.landlock = false;
  options.process_limits = false;
  options.close_descriptors = false;
  options.seccomp = false;
  return options;
}

JailReport enter_worker_jail(const JailOptions& options, std::vector<LayerStatus> namespaces) {
  JailReport report;
  report.add(namespaces);
  // no_new_privs comes before Landlock, which requires it of callers without CAP_SYS_ADMIN.
  if (options.process_limits) {
    report.add(set_no_new_privs());
  } else {
    report.add(layer_disabled(std::string(layer::kNoNewPrivs)));
  }
  report.add(options.landlock ? apply_worker_landlock()
                              : layer_disabled(std::string(layer::kLandlock)));
  std::vector<int> keep{STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO};
  if (options.channel >= 0) keep.push_back(options.channel);
  keep.insert(keep.end(), options.extra_fds.begin(), options.extra_fds.end());
  if (options.process_limits) {
    report.add(set_not_dumpable());
    report.add(drop_capabilities());
    report.add(apply_rlimits(options.rlimits, keep));
  } else {
    for (auto name : {layer::kNotDumpable, layer::kCapabilities, layer::kRlimits}) {
      report.add(layer_disabled(std::string(name)));
    }
  }
  report.add(options.close_descriptors ? close_all_fds_except(keep)
                                       : layer_disabled(std::string(layer::kDescriptors)));
  if (options.seccomp) {
    SeccompPolicy policy = worker_seccomp_policy(::getpid());
    policy.default_action = options.seccomp_default;
    report.add(apply_seccomp(policy));
  } else {
    report.add(layer_disabled(std::string(layer::kSeccomp)));
  }
  return report;
}

util::Result<void> check_sandbox_mode(const JailReport& report, SandboxMode mode) {
  if (mode != SandboxMode::require || report.meets_requirement()) return {};
  return util::make_error(
      "sandbox_required",
      "The sandbox is not strong enough to serve: " + report.requirement_gap() + ".",
      "Run `notion-mcp sandbox-check` to see which layer the host refuses and why; "
      "--sandbox=best-effort serves anyway with the layers that work.");
}

void log_jail_report(const JailReport& report, SandboxMode mode, const util::Logger& logger) {
  if (mode == SandboxMode::off) {
    logger.warning(
        "the sandbox is OFF (--sandbox=off): the worker can reach every file and host this user "
        "can. Use this only for debugging.");
    return;
  }
  for (const auto& status : report.layers) {
    if (status.state == LayerState::unavailable) {
      logger.warning("sandbox layer " + status.layer + " unavailable: " + status.detail);
    }
  }
  logger.info(report.summary());
}

uint32_t active_layer_bits(const JailReport& report) {
  uint32_t bits = 0;
  for (size_t i = 0; i < kLayerBits.size(); ++i) {
    if (report.is_active(kLayerBits[i])) bits |= 1U << i;
  }
  return bits;
}

std::vector<std::string_view> layer_names_from_bits(uint32_t bits) {
  std::vector<std::string_view> names;
  for (size_t i = 0; i < kLayerBits.size(); ++i) {
    if (bits & (1U << i)) names.push_back(kLayerBits[i]);
  }
  return names;
}

}  // namespace notion_mcp::sandbox
