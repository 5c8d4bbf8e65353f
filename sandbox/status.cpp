#include "sandbox/status.h"

#include <algorithm>
#include <cstring>

namespace notion_mcp::sandbox {

LayerStatus layer_active(std::string layer, std::string detail) {
  return LayerStatus{std::move(layer), LayerState::active, std::move(detail)};
}

LayerStatus layer_unavailable(std::string layer, std::string why) {
  return LayerStatus{std::move(layer), LayerState::unavailable, std::move(why)};
}

LayerStatus layer_disabled(std::string layer, std::string why) {
  return LayerStatus{std::move(layer), LayerState::disabled, std::move(why)};
}

std::string errno_reason(std::string_view call, int error_number) {
  std::string text(call);
  text += " failed: ";
  text += std::strerror(error_number);
  if (const char* name = ::strerrorname_np(error_number)) {
    text += " (";
    text += name;
    text += ')';
  }
  return text;
}

std::string_view state_name(LayerState state) {
  switch (state) {
    case LayerState::active:
      return "active";
    case LayerState::unavailable:
      return "unavailable";
    case LayerState::disabled:
      return "disabled";
  }
  return "unknown";
}

void JailReport::add(const std::vector<LayerStatus>& statuses) {
  layers.insert(layers.end(), statuses.begin(), statuses.end());
}

const LayerStatus* JailReport::find(std::string_view name) const {
  for (const auto& status : layers) {
    if (status.layer == name) return &status;
  }
  return nullptr;
}

bool JailReport::is_active(std::string_view name) const {
  const LayerStatus* status = find(name);
  return status != nullptr && status->state == LayerState::active;
}

bool JailReport::namespaces_confine() const {
  return is_active(layer::kMountNamespace) && is_active(layer::kNetworkNamespace);
}

bool JailReport::meets_requirement() const { return requirement_gap().empty(); }

std::string JailReport::requirement_gap() const {
  if (!is_active(layer::kSeccomp)) {
    return "the seccomp filter is not active, and --sandbox=require needs it";
  }
  if (!is_active(layer::kLandlock) && !namespaces_confine()) {
    return "neither Landlock nor the mount and network namespaces are active, and "
           "--sandbox=require needs one of them";
  }
  return {};
}

std::string JailReport::table() const {
  std::string out;
  for (const auto& status : layers) {
    std::string line = "  ";
    line += status.layer;
    line.resize(std::max<size_t>(line.size() + 1, 22), ' ');
    line += state_name(status.state);
    line.resize(std::max<size_t>(line.size() + 1, 35), ' ');
    line += status.detail;
    out += line;
    out += '\n';
  }
  return out;
}

std::string JailReport::summary() const {
  std::string active_layers;
  std::string missing;
  for (const auto& status : layers) {
    if (status.state == LayerState::active) {
      if (!active_layers.empty()) active_layers += ", ";
      active_layers += status.layer;
    } else {
      missing += "; ";
      missing += status.layer;
      missing += ' ';
      missing += state_name(status.state);
      missing += ": ";
      missing += status.detail;
    }
  }
  if (active_layers.empty()) active_layers = "none";
  return "sandbox layers active: " + active_layers + missing;
}

}  // namespace notion_mcp::sandbox
