// The settings file: $XDG_CONFIG_HOME/notion-mcp/config.json (else ~/.config/notion-mcp/...).
// It holds settings, never secrets, so that one install can register several MCP entries
// ("notion-read", "notion-write") that differ only by --config-profile NAME:
//
//   {"confirm": "destructive",                        <- top level: defaults for every entry
//    "profiles": {
//      "notion-read":  {"profile": "read", "scope": ["https://www.notion.so/Team-1f3a..."]},
//      "notion-write": {"profile": "write", "confirm": "writes", "deny": ["move_page"]}}}
//
// Keys: profile, allow, deny, scope, confirm, audit_log. Command-line flags override the file.
// A file that other users can read or write, or that holds anything shaped like a token, is
// refused with the reason and the fix.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/settings.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::policy {

// What the command line said; an unset field was not given and the file (or default) applies.
struct CommandLine {
  std::optional<std::string> profile;
  std::optional<std::vector<std::string>> allow;
  std::optional<std::vector<std::string>> deny;
  std::optional<std::vector<std::string>> scope;
  std::optional<std::string> confirm;
  std::optional<std::string> audit_log;
  std::optional<std::vector<std::string>> upload_roots;
  std::string config_profile;  // --config-profile NAME; empty: the file's top level only
};

// $XDG_CONFIG_HOME/notion-mcp/config.json, else $HOME/.config/notion-mcp/config.json; empty
// when neither variable is set.
std::string default_config_path();

// Reads and checks the file: nullopt when it does not exist; an error (code "config_refused" or
// "config_invalid") with the reason and the fix when it is unsafe or malformed.
util::Result<std::optional<util::Json>> read_config_file(const std::string& path);

// Checks a parsed config's shape and content (no secrets, known keys, right types).
util::Result<void> validate_config(const util::Json& config, const std::string& path);

// Defaults ← the file's top level ← its profile `flags.config_profile` ← the flags.
util::Result<Settings> resolve_settings(const CommandLine& flags,
                                        const std::optional<util::Json>& config,
                                        const std::string& path);

// The whole step for `serve`: find, read, check and merge.
util::Result<Settings> load_settings(const CommandLine& flags);

}  // namespace notion_mcp::policy
