// `notion-mcp login`: an OAuth login for a public connection (PKCE, a loopback listener on
// 127.0.0.1, the browser) or, with --token, an internal integration / personal token. Either
// way the credential is checked with Notion and saved in the keyring or the encrypted file;
// the command says where, never what.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/credentials_command.h"

namespace notion_mcp::cli {

struct LoginOptions {
  CredentialFlags credentials;
  bool token = false;         // --token: store a static token instead of OAuth
  std::string client_id;      // --client-id (else NOTION_MCP_CLIENT_ID)
  std::string redirect_uri;   // --redirect-uri (default auth::kDefaultRedirectUri)
  bool no_browser = false;    // --no-browser: print the URL instead of opening it
  int timeout_seconds = 300;  // --timeout: how long to wait for the browser
};

CLI::App* add_login_command(CLI::App& app, LoginOptions& options);

// Exit status: 0 logged in; 1 the login failed or was declined (nothing stored); 2 bad usage.
int run_login(const LoginOptions& options);

}  // namespace notion_mcp::cli
