#include "keychain/resolve.h"

#include <sys/stat.h>

#include "keychain/credential.h"
#include "keychain/encrypted_file.h"
#include "keychain/env_store.h"

namespace notion_mcp::keychain {
namespace {

std::string value_of(const EnvLookup& lookup, const char* name) {
  const char* value = lookup(name);
  return value != nullptr ? std::string(value) : std::string();
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string without_period(std::string text) {
  while (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

Settings settings_from_environment(const EnvLookup& lookup) {
  Settings settings;
  {
    const char* token = lookup(std::string(kTokenVariable).c_str());
    if (token != nullptr) settings.notion_token = util::Secret(token);
  }
  settings.credentials_file = value_of(lookup, "NOTION_MCP_CREDENTIALS");
  {
    const char* key = lookup(std::string(kKeyVariable).c_str());
    if (key != nullptr) settings.keys.key_text = util::Secret(key);
  }
  settings.keys.credentials_directory = value_of(lookup, "CREDENTIALS_DIRECTORY");
  settings.secret_service.bus_address = value_of(lookup, "DBUS_SESSION_BUS_ADDRESS");
  settings.secret_service.allow_unlock_prompt =
      !value_of(lookup, "DISPLAY").empty() || !value_of(lookup, "WAYLAND_DISPLAY").empty();
  return settings;
}

util::Error Resolution::not_found_error() const {
  std::string tried;
  const Attempt* failure = nullptr;
  for (const Attempt& attempt : chain) {
    if (!tried.empty()) tried += "; ";
    tried += attempt.store + ": " + without_period(attempt.detail);
    if (attempt.outcome == AttemptOutcome::failed && failure == nullptr) failure = &attempt;
  }
  std::string hint =
      "Run `notion-mcp login` (or `notion-mcp login --token`), set NOTION_TOKEN, or point "
      "--credentials-file at an exported credentials file.";
  if (failure != nullptr) {
    return util::make_error(
        failure->code.empty() ? "unauthorized" : failure->code,
        "No Notion credentials could be read for profile " + profile + ": " + failure->detail,
        "Tried " + tried + ". " + hint);
  }
  return util::make_error(
      "unauthorized", "No Notion credentials for profile " + profile + " (tried " + tried + ").",
      hint);
}

util::Result<Resolution> resolve(const Settings& settings,
                                 std::unique_ptr<CredentialStore> secret_service) {
  if (auto valid = validate_profile_name(settings.profile); !valid) return valid.error();
  Resolution resolution;
  resolution.profile = settings.profile;

  auto attempt = [&](std::unique_ptr<CredentialStore> store) -> util::Result<bool> {
    Attempt tried{store->description(), AttemptOutcome::empty, {}, {}};
    auto loaded = store->load(settings.profile);
    if (!loaded) {
      tried.outcome = AttemptOutcome::failed;
      tried.detail = loaded.error().message;
      tried.code = loaded.error().code;
      resolution.chain.push_back(std::move(tried));
      return loaded.error();
    }
    if (!loaded->has_value()) {
      tried.detail = "no credential for profile " + settings.profile + ".";
      resolution.chain.push_back(std::move(tried));
      return false;
    }
    tried.outcome = AttemptOutcome::found;
    tried.detail = "credential for profile " + settings.profile + " found.";
    resolution.chain.push_back(std::move(tried));
    resolution.credential = std::move(**loaded);
    resolution.store = std::move(store);
    return true;
  };

  // 1. NOTION_TOKEN: explicit for this process, so it wins for every profile.
  auto env = std::make_unique<EnvStore>(settings.notion_token.reveal());
  if (env->has_token()) {
    auto found = attempt(std::move(env));
    if (found && *found) return resolution;
  } else {
    resolution.chain.push_back(
        {env->description(), AttemptOutcome::not_configured, "not set.", {}});
  }

  // 2. The encrypted file, when one is configured. Its failures are the person's to fix.
  if (!settings.credentials_file.empty()) {
    auto file = std::make_unique<EncryptedFileStore>(settings.credentials_file, settings.keys);
    bool exists = file_exists(settings.credentials_file);
    auto found = attempt(std::move(file));
    if (!found) return found.error();
    if (*found) return resolution;
    if (!exists) resolution.chain.back().detail = "the file does not exist.";
  } else {
    resolution.chain.push_back({"encrypted credentials file",
                                AttemptOutcome::not_configured,
                                "none configured (--credentials-file or NOTION_MCP_CREDENTIALS).",
                                {}});
  }

  // 3. The Secret Service: the last resort, so a failure is reported, not fatal.
  if (!secret_service)
    secret_service = std::make_unique<SecretServiceStore>(settings.secret_service);
  (void)attempt(std::move(secret_service));
  return resolution;
}

std::unique_ptr<CredentialStore> login_store(const Settings& settings) {
  if (!settings.credentials_file.empty()) {
    return std::make_unique<EncryptedFileStore>(settings.credentials_file, settings.keys);
  }
  return std::make_unique<SecretServiceStore>(settings.secret_service);
}

std::string describe_chain(const Resolution& resolution) {
  std::string text;
  for (const Attempt& attempt : resolution.chain) {
    text += attempt.store + ": " + attempt.detail + "\n";
  }
  return text;
}

}  // namespace notion_mcp::keychain
