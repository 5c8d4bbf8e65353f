// `notion-mcp serve`: gathers what the server needs from files and the environment, then runs
// the MCP server in a sandboxed worker process while this process stays on as the broker.
#pragma once

#include <cstddef>
#include <string>

#include "cli/credential_settings.h"
#include "policy/config_file.h"

namespace notion_mcp::cli {

struct ServeOptions {
  bool demo = false;
  size_t max_message_bytes = 4 * 1024 * 1024;
  double rate_limit = 3.0;
  double rate_burst = 3.0;
  std::string log_level = "warning";
  std::string sandbox = "require";  // require | best-effort | off
  policy::CommandLine policy;       // --profile, --allow, --deny, --scope, --confirm, ...
  CredentialFlags credentials;      // --profile-name, --credentials-file, --credentials-key-file
};

// Returns the process exit status.
int run_serve(const ServeOptions& options);

}  // namespace notion_mcp::cli
