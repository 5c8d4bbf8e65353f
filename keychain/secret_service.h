// The desktop keyring through the Secret Service API (libsecret): GNOME Keyring, KWallet,
// KeePassXC. One item per profile, in the default collection, with our own schema
// org.notion-mcp.Credential (attributes `profile` and `kind`) and a label people can read in
// Seahorse. The secret is the credential as JSON (credential_json.h), built in zeroed memory.
//
// Every call is synchronous and bounded by a deadline: a missing bus, a missing provider or a
// hung daemon gives a sentence, never a hang. libsecret is loaded only when first needed. Nothing
// here starts a bus (no autolaunch), and no unlock prompt appears unless the caller allows one (a
// person at a desktop).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "keychain/store.h"

namespace notion_mcp::keychain {

inline constexpr std::string_view kSchemaName = "org.notion-mcp.Credential";

class SecretLibrary;

struct SecretServiceOptions {
  // DBUS_SESSION_BUS_ADDRESS as the caller read it. Empty: there is no session bus, and no
  // connection is attempted. libsecret connects through GLib's shared session bus, which reads
  // the same variable, so pass the process's own value.
  std::string bus_address;
  // Let the keyring ask for its password when the collection is locked. Only when a person is
  // at a desktop (DISPLAY or WAYLAND_DISPLAY): headless, the prompt could never be answered.
  bool allow_unlock_prompt = false;
  int timeout_ms = 10000;          // each store operation, start to end
  int prompt_timeout_ms = 120000;  // an allowed unlock prompt, for a person to type
  // Loaded with dlopen on first use (see secret_library.h); tests point it elsewhere.
  std::string libsecret = "libsecret-1.so.0";
};

class SecretServiceStore final : public CredentialStore {
 public:
  explicit SecretServiceStore(SecretServiceOptions options);

  std::string description() const override;
  bool writable() const override { return true; }
  util::Result<std::optional<Credential>> load(std::string_view profile) override;
  // Stores (replacing the profile's item of the same kind), reads it back and compares: the
  // keyring's equivalent of fsync + rename. Only then deletes the profile's other items (another
  // kind or collection), so a failed save never leaves the profile without a credential.
  util::Result<void> save(std::string_view profile, const Credential& credential) override;
  util::Result<void> remove(std::string_view profile) override;
  // The profile reads, and the default collection exists and is unlocked (unlocking it now
  // through the keyring's prompt when one is allowed).
  util::Result<void> check_writable(std::string_view profile) override;

  // "Notion (notion-mcp, profile default)": what people see in Seahorse or KWallet.
  static std::string label_for(std::string_view profile);

 private:
  util::Result<const SecretLibrary*> library();

  SecretServiceOptions options_;
  std::shared_ptr<const SecretLibrary> library_;  // loaded on first use
};

}  // namespace notion_mcp::keychain
