// The policy a server runs under, as plain data: which tools (profile, allow, deny), which part of
// the workspace (scope), when to ask the person (confirm), where the audit log goes and which
// directories files may be uploaded from. Filled
// from the config file and the command line (see policy/config_file.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace notion_mcp::policy {

// Coarse tool sets by blast radius: read ⊂ write ⊂ full.
enum class Profile { read, write, full };

// Which calls need the person's confirmation (MCP elicitation) before they run.
enum class ConfirmLevel { none, destructive, writes };

std::optional<Profile> parse_profile(std::string_view name);
std::string_view profile_name(Profile profile);
std::optional<ConfirmLevel> parse_confirm(std::string_view name);
std::string_view confirm_name(ConfirmLevel level);

inline constexpr std::string_view kAuditOff = "off";

struct Settings {
  Profile profile = Profile::write;
  std::vector<std::string> allow;  // tool-name globs added to the profile
  std::vector<std::string> deny;   // tool-name globs removed; deny wins over everything
  std::vector<std::string> scope;  // page/database ids or URLs; empty: the whole workspace
  ConfirmLevel confirm = ConfirmLevel::destructive;
  std::string audit_log;  // a path, "off", or empty for the default location
  // Directories upload_file may read from (--upload-root); empty: uploads are off.
  std::vector<std::string> upload_roots;
  std::string config_profile;  // the config file's named profile in use, for messages
};

}  // namespace notion_mcp::policy
