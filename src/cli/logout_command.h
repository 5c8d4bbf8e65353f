// `notion-mcp logout`: revokes an OAuth login at Notion (/v1/oauth/revoke), then deletes the
// saved credential of the profile, and says what it did. When the revocation fails, the
// credential is kept (deleting it would leave a live login nobody can revoke) unless
// --local-only. An integration token is only deleted locally (Notion has no API to revoke it).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/credentials_command.h"

namespace notion_mcp::cli {

struct LogoutOptions {
  CredentialFlags credentials;
  bool keep_remote = false;  // --local-only: do not revoke at Notion
};

CLI::App* add_logout_command(CLI::App& app, LogoutOptions& options);

// Exit status: 0 done (or nothing was saved); 1 something could not be done (said which).
int run_logout(const LogoutOptions& options);

}  // namespace notion_mcp::cli
