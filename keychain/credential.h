// Names and checks shared by every store: credential kinds, what each kind must contain, and
// which profile names are allowed.
#pragma once

#include <optional>
#include <string_view>

#include "keychain/store.h"
#include "util/result.h"

namespace notion_mcp::keychain {

inline constexpr std::string_view kDefaultProfile = "default";
inline constexpr size_t kMaxProfileNameLength = 64;

// "integration_token" / "oauth": the `kind` attribute in the keyring and in stored JSON.
std::string_view kind_name(CredentialKind kind);
std::optional<CredentialKind> parse_kind(std::string_view name);

// A profile name is 1-64 of [A-Za-z0-9._-], not starting with '.' or '-': it becomes a keyring
// attribute, a key in the credentials file and part of messages, so keep it plain.
util::Result<void> validate_profile_name(std::string_view profile);

// What a stored credential must hold: a token (integration_token), or refresh token, client
// id and client secret (oauth); every text valid UTF-8. Messages never contain values.
util::Result<void> validate_credential(const Credential& credential);

}  // namespace notion_mcp::keychain
