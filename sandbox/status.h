// What each sandbox layer achieved: active, unavailable on this host (with the reason), or
// switched off. Every layer function returns one of these so the caller can log and decide.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace notion_mcp::sandbox {

enum class LayerState { active, unavailable, disabled };

// Stable layer names, shared by the report, the check's table and the tests.
namespace layer {
inline constexpr std::string_view kUserNamespace = "user-namespace";
inline constexpr std::string_view kMountNamespace = "mount-namespace";
inline constexpr std::string_view kNetworkNamespace = "network-namespace";
inline constexpr std::string_view kIpcNamespace = "ipc-namespace";
inline constexpr std::string_view kUtsNamespace = "uts-namespace";
inline constexpr std::string_view kPidNamespace = "pid-namespace";
inline constexpr std::string_view kIdentity = "identity";
inline constexpr std::string_view kLandlock = "landlock";
inline constexpr std::string_view kNoNewPrivs = "no-new-privs";
inline constexpr std::string_view kNotDumpable = "not-dumpable";
inline constexpr std::string_view kCapabilities = "capabilities";
inline constexpr std::string_view kRlimits = "rlimits";
inline constexpr std::string_view kDescriptors = "descriptors";
inline constexpr std::string_view kSeccomp = "seccomp";
}  // namespace layer

struct LayerStatus {
  std::string layer;  // stable name, e.g. "seccomp", "landlock", "net-namespace"
  LayerState state = LayerState::unavailable;
  std::string detail;  // what is in force, or why it is not
};

LayerStatus layer_active(std::string layer, std::string detail);
LayerStatus layer_unavailable(std::string layer, std::string why);
LayerStatus layer_disabled(std::string layer, std::string why = "switched off by option");

// "unshare(CLONE_NEWNET) failed: Operation not permitted (EPERM)" for the given errno value.
std::string errno_reason(std::string_view call, int error_number);

std::string_view state_name(LayerState state);

// The layers one jail ended up with, in the order they were applied.
struct JailReport {
  std::vector<LayerStatus> layers;

  void add(LayerStatus status) { layers.push_back(std::move(status)); }
  void add(const std::vector<LayerStatus>& statuses);
  const LayerStatus* find(std::string_view layer) const;
  bool is_active(std::string_view layer) const;

  // Namespaces confine only when both the empty mount root and the empty network are in force.
  bool namespaces_confine() const;
  // What --sandbox=require demands: seccomp, plus Landlock or confining namespaces.
  bool meets_requirement() const;
  // Why meets_requirement() is false, as a sentence; empty when it holds.
  std::string requirement_gap() const;

  // One line per layer, "  landlock            active       ABI 7: ...", for stderr and the check.
  std::string table() const;
  // One line for the start-up log: "seccomp, landlock (ABI 7), 6/6 namespaces active; ...".
  std::string summary() const;
};

}  // namespace notion_mcp::sandbox
