#include "keychain/env_store.h"

#include "keychain/credential.h"

namespace notion_mcp::keychain {
namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  while (!text.empty() && kSpace.find(text.front()) != std::string_view::npos)
    text.remove_prefix(1);
  while (!text.empty() && kSpace.find(text.back()) != std::string_view::npos) text.remove_suffix(1);
  return text;
}

}  // namespace

EnvStore::EnvStore(std::string_view value) : token_(trim(value)) {}

std::string EnvStore::description() const {
  return "environment variable " + std::string(kTokenVariable);
}

util::Result<std::optional<Credential>> EnvStore::load(std::string_view profile) {
  if (auto valid = validate_profile_name(profile); !valid) return valid.error();
  if (token_.empty()) return std::optional<Credential>();
  Credential credential;
  credential.kind = CredentialKind::integration_token;
  credential.token = token_;
  return std::optional<Credential>(std::move(credential));
}

util::Result<void> EnvStore::save(std::string_view, const Credential&) {
  return util::make_error(
      "read_only_store",
      "NOTION_TOKEN comes from the environment, so notion-mcp cannot store a credential there.",
      "Change NOTION_TOKEN where it is set (shell profile, CI secret, MCP client config), or "
      "unset it so that `notion-mcp login` stores credentials in the keyring or an encrypted "
      "credentials file.");
}

util::Result<void> EnvStore::remove(std::string_view) {
  return util::make_error(
      "read_only_store", "NOTION_TOKEN comes from the environment, so notion-mcp cannot delete it.",
      "Remove NOTION_TOKEN where it is set (shell profile, CI secret, MCP client config).");
}

}  // namespace notion_mcp::keychain
