#include "policy/settings.h"

namespace notion_mcp::policy {

std::optional<Profile> parse_profile(std::string_view name) {
  if (name == "read") return Profile::read;
  if (name == "write") return Profile::write;
  if (name == "full") return Profile::full;
  return std::nullopt;
}

std::string_view profile_name(Profile profile) {
  switch (profile) {
    case Profile::read:
      return "read";
    case Profile::write:
      return "write";
    case Profile::full:
      return "full";
  }
  return "write";
}

std::optional<ConfirmLevel> parse_confirm(std::string_view name) {
  if (name == "none") return ConfirmLevel::none;
  if (name == "destructive") return ConfirmLevel::destructive;
  if (name == "writes") return ConfirmLevel::writes;
  return std::nullopt;
}

std::string_view confirm_name(ConfirmLevel level) {
  switch (level) {
    case ConfirmLevel::none:
      return "none";
    case ConfirmLevel::destructive:
      return "destructive";
    case ConfirmLevel::writes:
      return "writes";
  }
  return "destructive";
}

}  // namespace notion_mcp::policy
