#include "cli/credentials_command.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "auth/refresh.h"
#include "keychain/credential.h"
#include "keychain/encrypted_file.h"
#include "keychain/file_key.h"
#include "keychain/private_file.h"
#include "util/redact.h"

namespace notion_mcp::cli {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return a == b;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

std::string kind_for_people(const keychain::Credential& credential) {
  return credential.kind == keychain::CredentialKind::oauth ? "OAuth login" : "integration token";
}

}  // namespace

void add_credential_flags(CLI::App* command, CredentialFlags& flags) {
  command
      ->add_option("--profile-name", flags.profile,
                   "Which saved login to use (several workspaces: one profile each)")
      ->capture_default_str();
  command->add_option("--credentials-file", flags.credentials_file,
                      "Encrypted credentials file for headless use (else NOTION_MCP_CREDENTIALS)");
  command->add_option("--credentials-key-file", flags.key_file,
                      "File with the credentials file's key (else NOTION_MCP_CREDENTIALS_KEY or "
                      "$CREDENTIALS_DIRECTORY/notion-mcp.key)");
}

std::optional<keychain::Settings> begin_credential_command(const CredentialFlags& flags,
                                                           int& exit_status) {
  if (sodium_init() < 0) {
    print_err("notion-mcp: libsodium could not be initialised.\n");
    exit_status = kExitFailed;
    return std::nullopt;
  }
  keychain::Settings settings = settings_from(flags);
  if (auto valid = keychain::validate_profile_name(settings.profile); !valid) {
    print_error(valid.error());
    exit_status = kExitUsage;
    return std::nullopt;
  }
  return settings;
}

void print_out(const std::string& text) {
  std::string line = util::redact(text);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void print_err(const std::string& text) {
  std::string line = util::redact(text);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void print_error(const util::Error& error) {
  std::string text = "notion-mcp: " + error.message + "\n";
  if (!error.hint.empty()) text += "  " + error.hint + "\n";
  print_err(text);
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) continue;
    // C1 controls in UTF-8: 0xC2 0x80..0x9F (0x9B is the 8-bit CSI that terminals obey).
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      ++i;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

util::Result<std::string> prepare_new_file_key(keychain::Settings& settings) {
  if (settings.credentials_file.empty() || keychain::has_key_source(settings.keys) ||
      exists(settings.credentials_file)) {
    return std::string();
  }
  std::string key_out = settings.credentials_file + ".key";
  keychain::FileKey key = keychain::FileKey::generate();
  if (exists(key_out)) {
    return util::make_error(
        "key_file_exists",
        "The key file " + key_out + " is already there, but " + settings.credentials_file +
            " is not (an earlier login that did not finish?).",
        "If it is the key you want for this file, pass --credentials-key-file " +
            keychain::shell_quote(key_out) + "; otherwise delete it and log in again.");
  }
  if (auto written = keychain::write_key_file(key_out, key); !written) return written.error();
  settings.keys = keychain::KeySources{};
  settings.keys.key_file = key_out;
  return key_out;
}

std::string key_instructions(const std::string& file, const std::string& key_file) {
  std::string quoted_file = keychain::shell_quote(file);
  std::string key = keychain::shell_quote(key_file);
  return "Its key was written to " + key_file +
         " (mode 0600). Keep the key apart from the file (a CI secret), and supply it in one of "
         "these ways:\n"
         "  NOTION_MCP_CREDENTIALS_KEY=\"$(cat " +
         key +
         ")\" notion-mcp serve "
         "--credentials-file " +
         quoted_file +
         "\n"
         "  notion-mcp serve --credentials-file " +
         quoted_file + " --credentials-key-file " + key +
         "\n"
         "  systemd: LoadCredential=notion-mcp.key:" +
         key_file + " (read from $CREDENTIALS_DIRECTORY/notion-mcp.key)\n";
}

CLI::App* add_credentials_command(CLI::App& app, ExportOptions& options) {
  auto* credentials =
      app.add_subcommand("credentials", "Move a login to a headless machine (CI, systemd)");
  credentials->require_subcommand(1);
  auto* export_cmd = credentials->add_subcommand(
      "export", "Write the current login to an encrypted credentials file for a CI agent");
  export_cmd->add_option("--to", options.to, "The credentials file to write")->required();
  export_cmd->add_option("--key-out", options.key_out,
                         "Where to write the newly generated key (default: FILE.key)");
  export_cmd->add_option("--to-key-file", options.to_key_file,
                         "Seal with this existing key instead (to add a profile to FILE)");
  add_credential_flags(export_cmd, options.credentials);
  return credentials;
}

int run_credentials_export(const ExportOptions& options) {
  int exit_status = 0;
  auto started = begin_credential_command(options.credentials, exit_status);
  if (!started) return exit_status;
  keychain::Settings settings = std::move(*started);
  // The login is exported, not NOTION_TOKEN: that one is already where the person put it.
  keychain::Settings source = settings;
  source.notion_token = util::Secret();
  if (!source.credentials_file.empty() && same_file(source.credentials_file, options.to)) {
    print_error(util::make_error("usage", "--to names the credentials file being read.",
                                 "Export to a new file."));
    return kExitUsage;
  }
  auto resolution = keychain::resolve(source);
  if (!resolution) {
    print_error(resolution.error());
    return kExitFailed;
  }
  if (!resolution->found()) {
    print_error(resolution->not_found_error());
    return kExitFailed;
  }
  const keychain::Credential& credential = *resolution->credential;

  // The target's key: an existing one (--to-key-file), or a fresh one written beside the file.
  // The key options of the source never seal the export: a CI agent gets its own key.
  keychain::KeySources target_keys;
  std::string key_out;
  if (!options.to_key_file.empty()) {
    target_keys.key_file = options.to_key_file;
  } else {
    if (exists(options.to)) {
      print_error(util::make_error(
          "usage", options.to + " already exists.",
          "Pass its key with --to-key-file to add this profile to it, or export to a new file."));
      return kExitUsage;
    }
    key_out = options.key_out.empty() ? options.to + ".key" : options.key_out;
    keychain::FileKey key = keychain::FileKey::generate();
    if (auto written = keychain::write_key_file(key_out, key); !written) {
      print_error(written.error());
      return kExitFailed;
    }
    target_keys.key_file = key_out;
  }

  keychain::EncryptedFileStore target(options.to, target_keys);
  if (auto saved = target.save(settings.profile, credential); !saved) {
    print_error(saved.error());
    if (!key_out.empty()) ::unlink(key_out.c_str());
    return kExitFailed;
  }

  std::string workspace = credential.workspace_name.empty()
                              ? ""
                              : " (workspace \"" + printable(credential.workspace_name) + "\")";
  std::string text = "Exported the " + kind_for_people(credential) + " of profile " +
                     settings.profile + workspace + " from " + resolution->store->description() +
                     " to " + options.to + ", encrypted.\n";
  std::string file = keychain::shell_quote(options.to);
  if (!key_out.empty()) {
    text += key_instructions(options.to, key_out);
  } else {
    text += "It is sealed with the key from " + keychain::key_source_description(target_keys) +
            "; supply the same key to `notion-mcp serve --credentials-file " + file + "`.\n";
  }
  if (settings.profile != "default") {
    text += "Add --profile-name " + settings.profile + " when serving.\n";
  }
  print_out(text);
  if (credential.kind == keychain::CredentialKind::oauth) {
    print_err(
        "Note: the exported login shares its refresh token with this machine, and Notion "
        "replaces that token on every refresh: whichever side refreshes first leaves the other "
        "needing `notion-mcp login` again. For a CI agent that keeps running, prefer a separate "
        "login written straight to its file: `notion-mcp login --credentials-file FILE`.\n");
  }
  return 0;
}

}  // namespace notion_mcp::cli
