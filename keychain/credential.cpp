#include "keychain/credential.h"

#include <string>

#include "util/utf8.h"

namespace notion_mcp::keychain {
namespace {

bool profile_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

std::string_view kind_name(CredentialKind kind) {
  switch (kind) {
    case CredentialKind::integration_token:
      return "integration_token";
    case CredentialKind::oauth:
      return "oauth";
  }
  return "integration_token";
}

std::optional<CredentialKind> parse_kind(std::string_view name) {
  if (name == "integration_token") return CredentialKind::integration_token;
  if (name == "oauth") return CredentialKind::oauth;
  return std::nullopt;
}

util::Result<void> validate_profile_name(std::string_view profile) {
  bool ok = !profile.empty() && profile.size() <= kMaxProfileNameLength && profile[0] != '.' &&
            profile[0] != '-';
  for (char c : profile) ok = ok && profile_char(c);
  if (ok) return {};
  return util::make_error(
      "invalid_profile",
      "The profile name is not valid: use 1 to 64 letters, digits, '.', '_' or '-' (for example "
      "`--profile-name work`).");
}

util::Result<void> validate_credential(const Credential& c) {
  auto incomplete = [](std::string what) {
    return util::make_error("invalid_credential", "The credential is incomplete: " + what + ".",
                            "Run `notion-mcp login` again.");
  };
  if (c.kind == CredentialKind::integration_token) {
    if (c.token.empty()) return incomplete("an integration token credential has no token");
  } else {
    if (c.refresh_token.empty()) return incomplete("an OAuth credential has no refresh token");
    if (c.client_id.empty()) return incomplete("an OAuth credential has no client id");
    if (c.client_secret.empty()) return incomplete("an OAuth credential has no client secret");
  }
  for (std::string_view text :
       {c.token.reveal(), c.refresh_token.reveal(), std::string_view(c.client_id),
        c.client_secret.reveal(), std::string_view(c.workspace_id),
        std::string_view(c.workspace_name), std::string_view(c.bot_id)}) {
    if (!util::valid_utf8(text)) {
      return util::make_error("invalid_credential",
                              "The credential contains text that is not valid UTF-8.",
                              "Run `notion-mcp login` again.");
    }
  }
  return {};
}

}  // namespace notion_mcp::keychain
