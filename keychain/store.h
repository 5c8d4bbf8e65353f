// Where credentials live: one interface, three stores (Secret Service, an encrypted file for
// headless use, the read-only environment). Resolution order and profiles: see resolve.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::keychain {

enum class CredentialKind {
  integration_token,  // internal integration or personal token: static, never refreshed
  oauth,              // public connection: refresh token + client id/secret, refreshed
};

// What is stored for one profile. Access tokens are never stored: they live in memory only.
struct Credential {
  CredentialKind kind = CredentialKind::integration_token;
  util::Secret token;          // integration_token: the token
  util::Secret refresh_token;  // oauth
  std::string client_id;       // oauth
  util::Secret client_secret;  // oauth
  std::string workspace_id;
  std::string workspace_name;
  std::string bot_id;
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;

  // For people: "Secret Service (GNOME Keyring)", "encrypted file ~/.config/...", ...
  virtual std::string description() const = 0;
  virtual bool writable() const = 0;

  // nullopt when nothing is stored for `profile`; an Error (a sentence a person can act on)
  // when the store cannot be read: no D-Bus session, locked collection, wrong key, corrupt file.
  virtual util::Result<std::optional<Credential>> load(std::string_view profile) = 0;
  // Atomic: after a crash either the old or the new credential is stored, never neither.
  virtual util::Result<void> save(std::string_view profile, const Credential& credential) = 0;
  // Deleting what does not exist is not an error.
  virtual util::Result<void> remove(std::string_view profile) = 0;

  // Whether save(profile) can work now, asked before a login involves Notion, so that nobody
  // approves a login in the browser that cannot be kept. The default reads the profile, which
  // reaches the store and finds an unreadable item.
  virtual util::Result<void> check_writable(std::string_view profile) {
    auto loaded = load(profile);
    if (!loaded) return loaded.error();
    return {};
  }
};

}  // namespace notion_mcp::keychain
