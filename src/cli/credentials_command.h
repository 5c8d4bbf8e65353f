// The credential flags every command shares (--profile-name, --credentials-file,
// --credentials-key-file; what they mean is in cli/credential_settings.h), and
// `notion-mcp credentials export --to FILE`: the current login as an encrypted credentials
// file for a CI agent or a systemd service.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "cli/credential_settings.h"
#include "keychain/resolve.h"
#include "notion/api_endpoint.h"
#include "util/result.h"

namespace notion_mcp::cli {

// Adds the three flags to `command`.
void add_credential_flags(CLI::App* command, CredentialFlags& flags);

// The start every credential command shares (login, status, logout, credentials export):
// libsodium ready, the settings (settings_from) and a valid profile name. On failure it has
// printed why and returns nullopt with the exit status in `exit_status`.
std::optional<keychain::Settings> begin_credential_command(const CredentialFlags& flags,
                                                           int& exit_status);

// For a login into a credentials file that does not exist yet, with no key given: generates
// a key, writes it to FILE.key (mode 0600) and points `settings` at it. Returns that path, or
// an empty string when a key was given or the file exists.
util::Result<std::string> prepare_new_file_key(keychain::Settings& settings);

// How to supply the key of `file` kept in `key_file`, for people (several lines).
std::string key_instructions(const std::string& file, const std::string& key_file);

struct ExportOptions {
  CredentialFlags credentials;  // where the login is read from
  std::string to;               // --to FILE
  std::string to_key_file;      // --to-key-file: seal with this existing key (FILE may exist)
  std::string key_out;          // --key-out: where a new key goes (default FILE.key)
};

CLI::App* add_credentials_command(CLI::App& app, ExportOptions& options);
int run_credentials_export(const ExportOptions& options);

// Output helpers shared by the commands: every line is redacted.
void print_out(const std::string& text);
void print_err(const std::string& text);
// "message hint" of an error, one line each.
void print_error(const util::Error& error);

// Text that came from Notion (workspace and bot names) without control characters (C0, DEL,
// C1), so a name cannot move the cursor, clear the screen or fake lines on a terminal.
std::string printable(std::string_view text);

}  // namespace notion_mcp::cli
