// The policy flags of `serve` (--profile, --allow, --deny, --scope, --confirm, --audit-log,
// --upload-root, --config-profile). Each records only what was given, so the config file fills the
// rest.
#pragma once

#include <CLI/CLI.hpp>

#include "policy/config_file.h"

namespace notion_mcp::cli {

void add_policy_flags(CLI::App& serve, policy::CommandLine& flags);

// The footer text that explains profiles, scope, confirmation, the config file and the log.
extern const char* const kPolicyHelp;

}  // namespace notion_mcp::cli
