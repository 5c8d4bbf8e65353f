// What every command that needs credentials reads from the environment and its three flags
// (--profile-name, --credentials-file, --credentials-key-file). Kept apart from the command
// definitions (CLI11) so that the broker executable can use it without the argument parser.
#pragma once

#include <string>

#include "keychain/resolve.h"
#include "notion/api_endpoint.h"
#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::cli {

struct CredentialFlags {
  std::string profile = "default";  // --profile-name
  std::string credentials_file;     // --credentials-file (else NOTION_MCP_CREDENTIALS)
  std::string key_file;             // --credentials-key-file
};

// Settings from the environment, then the flags on top. Secrets read from the environment
// (NOTION_TOKEN, NOTION_MCP_CREDENTIALS_KEY) are removed from it and their bytes overwritten,
// so no child process and no /proc/PID/environ reader sees them.
keychain::Settings settings_from(const CredentialFlags& flags);

// Overwrites and removes one variable from the environment; returns its value.
util::Secret take_env_secret(const char* name);

// Overwrites and removes every secret variable notion-mcp reads (NOTION_TOKEN,
// NOTION_MCP_CREDENTIALS_KEY, NOTION_MCP_CLIENT_SECRET): for a process that must not hold them.
void scrub_secret_environment();

// NOTION_MCP_API_URL and NOTION_MCP_CA_FILE, read and checked (CA loaded into memory).
util::Result<notion::ApiEndpoint> endpoint_from_env();

// The refresh lock directory for this user (see auth/refresh.h), from the environment.
std::string lock_dir_from_env();

}  // namespace notion_mcp::cli
