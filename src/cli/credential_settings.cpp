#include "cli/credential_settings.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

#include "auth/refresh.h"
#include "keychain/file_key.h"

namespace notion_mcp::cli {

util::Secret take_env_secret(const char* name) {
  char* value = std::getenv(name);
  if (value == nullptr) return {};
  util::Secret secret(value);
  sodium_memzero(value, std::strlen(value));
  ::unsetenv(name);
  return secret;
}

void scrub_secret_environment() {
  (void)take_env_secret("NOTION_TOKEN");
  (void)take_env_secret(std::string(keychain::kKeyVariable).c_str());
  (void)take_env_secret("NOTION_MCP_CLIENT_SECRET");
}

keychain::Settings settings_from(const CredentialFlags& flags) {
  util::Secret token = take_env_secret("NOTION_TOKEN");
  util::Secret key = take_env_secret(std::string(keychain::kKeyVariable).c_str());
  keychain::Settings settings =
      keychain::settings_from_environment([](const char* name) { return std::getenv(name); });
  settings.notion_token = std::move(token);
  settings.keys.key_text = std::move(key);
  settings.profile = flags.profile;
  if (!flags.credentials_file.empty()) settings.credentials_file = flags.credentials_file;
  if (!flags.key_file.empty()) settings.keys.key_file = flags.key_file;
  return settings;
}

util::Result<notion::ApiEndpoint> endpoint_from_env() {
  auto value = [](const char* name) -> std::optional<std::string_view> {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return std::nullopt;
    return std::string_view(text);
  };
  return notion::load_api_endpoint(value("NOTION_MCP_API_URL"), value("NOTION_MCP_CA_FILE"));
}

std::string lock_dir_from_env() {
  auto value = [](const char* name) {
    const char* text = std::getenv(name);
    return std::string_view(text == nullptr ? "" : text);
  };
  return auth::lock_directory(value("XDG_RUNTIME_DIR"), value("XDG_STATE_HOME"), value("HOME"));
}

}  // namespace notion_mcp::cli
