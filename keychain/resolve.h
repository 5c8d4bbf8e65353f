// Which store holds the credential for a profile (DESIGN §2): NOTION_TOKEN, then the encrypted
// credentials file when one is configured, then the Secret Service. The first that has a
// credential wins; the chain of what was tried is kept for `notion-mcp status`. And where
// `notion-mcp login` saves: the encrypted file when one is configured, else the Secret Service.
//
// Library code never reads the environment: main() builds Settings (settings_from_environment
// with std::getenv, then the command-line flags on top), tests build them by hand.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keychain/file_key.h"
#include "keychain/secret_service.h"
#include "keychain/store.h"
#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::keychain {

struct Settings {
  std::string profile = "default";  // --profile-name
  util::Secret notion_token;        // NOTION_TOKEN
  std::string credentials_file;     // --credentials-file, else NOTION_MCP_CREDENTIALS
  KeySources keys;                  // --credentials-key-file, NOTION_MCP_CREDENTIALS_KEY, systemd
  SecretServiceOptions secret_service;  // DBUS_SESSION_BUS_ADDRESS, prompts, timeouts
};

// Reads NOTION_TOKEN, NOTION_MCP_CREDENTIALS, NOTION_MCP_CREDENTIALS_KEY, CREDENTIALS_DIRECTORY
// and DBUS_SESSION_BUS_ADDRESS through `lookup` (std::getenv in main), and allows an unlock
// prompt when DISPLAY or WAYLAND_DISPLAY is set. Flags are applied by the caller afterwards.
using EnvLookup = std::function<const char*(const char* name)>;
Settings settings_from_environment(const EnvLookup& lookup);

enum class AttemptOutcome {
  found,           // this store has the credential: resolution stopped here
  empty,           // the store works but holds nothing for the profile
  not_configured,  // e.g. NOTION_TOKEN unset, no credentials file given
  failed,          // the store could not be read (detail says why)
};

struct Attempt {
  std::string store;  // "environment variable NOTION_TOKEN", "encrypted file …", …
  AttemptOutcome outcome = AttemptOutcome::not_configured;
  std::string detail;  // a sentence for people; never a secret
  std::string code;    // the error code when failed
};

struct Resolution {
  std::string profile;
  std::unique_ptr<CredentialStore> store;  // where the credential was found; null when none
  std::optional<Credential> credential;
  std::vector<Attempt> chain;  // in resolution order, up to and including the winner

  bool found() const { return credential.has_value(); }
  // "No Notion credentials for profile X: …" with every attempt, for when found() is false.
  // When a store failed, its code and sentence lead (a locked keyring, no D-Bus session, …).
  util::Error not_found_error() const;
};

// Tries the stores in order. Fails (an Error, not a Resolution) only when a credentials file
// was configured and cannot be read (wrong key, damaged, readable by others): it was asked for
// explicitly, so silently using another store would hide the problem. A Secret Service failure
// is recorded in the chain, since it is the last resort. `secret_service` replaces the real
// Secret Service store (tests); null means SecretServiceStore(settings.secret_service).
util::Result<Resolution> resolve(const Settings& settings,
                                 std::unique_ptr<CredentialStore> secret_service = nullptr);

// Where `notion-mcp login` (and a refresh that rotates the token) saves for these settings:
// the encrypted file when one is configured, else the Secret Service. NOTION_TOKEN, when set,
// still wins at resolution: callers should say so (settings.notion_token is not empty).
std::unique_ptr<CredentialStore> login_store(const Settings& settings);

// One line per attempt, for `notion-mcp status`: "encrypted file /x: no credential for profile
// default". Never a secret.
std::string describe_chain(const Resolution& resolution);

}  // namespace notion_mcp::keychain
