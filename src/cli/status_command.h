// `notion-mcp status`: which profile, which store the credential comes from (and what else was
// tried), which workspace, and whether the token works right now. Never a secret.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/credentials_command.h"

namespace notion_mcp::cli {

struct StatusOptions {
  CredentialFlags credentials;
  bool offline = false;  // --offline: do not ask Notion whether the token works
};

CLI::App* add_status_command(CLI::App& app, StatusOptions& options);

// Exit status: 0 a credential is there and works (or --offline); 1 none, or Notion refuses it.
int run_status(const StatusOptions& options);

}  // namespace notion_mcp::cli
