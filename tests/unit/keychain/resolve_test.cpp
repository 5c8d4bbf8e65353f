#include "keychain/resolve.h"

#include <gtest/gtest.h>

#include <map>

#include "keychain/encrypted_file.h"
#include "unit/keychain/keychain_test_support.h"

namespace notion_mcp::keychain {
namespace {

using testing::contains;
using testing::kCanaryToken;

class KeychainResolve : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  FileKey key_ = FileKey::generate();
  std::string file_ = dir_.file("credentials.enc");

  // Settings with no source at all and no session bus.
  Settings bare() {
    Settings settings;
    settings.secret_service.timeout_ms = 1000;
    return settings;
  }
  Settings with_file() {
    Settings settings = bare();
    settings.credentials_file = file_;
    settings.keys.key_text = key_.to_text();
    return settings;
  }
  void store_in_file(std::string_view profile, const Credential& credential) {
    Settings settings = with_file();
    EncryptedFileStore store(settings.credentials_file, settings.keys);
    ASSERT_TRUE(store.save(profile, credential).ok());
  }
  static std::unique_ptr<testing::MemoryStore> keyring_with(std::string_view profile) {
    auto keyring = std::make_unique<testing::MemoryStore>("Secret Service (test)");
    keyring->items.emplace(std::string(profile), testing::oauth_credential());
    return keyring;
  }
};

TEST_F(KeychainResolve, EnvironmentWinsOverEverything) {
  store_in_file("default", testing::oauth_credential());
  Settings settings = with_file();
  settings.notion_token = util::Secret(kCanaryToken);
  auto resolved = resolve(settings, keyring_with("default"));
  ASSERT_TRUE(resolved.ok());
  ASSERT_TRUE(resolved->found());
  EXPECT_EQ(resolved->store->description(), "environment variable NOTION_TOKEN");
  EXPECT_TRUE(resolved->credential->token == util::Secret(kCanaryToken));
  ASSERT_EQ(resolved->chain.size(), 1u);
  EXPECT_EQ(resolved->chain[0].outcome, AttemptOutcome::found);
}

TEST_F(KeychainResolve, FileBeforeSecretService) {
  store_in_file("default", testing::token_credential());
  auto resolved = resolve(with_file(), keyring_with("default"));
  ASSERT_TRUE(resolved.ok());
  ASSERT_TRUE(resolved->found());
  EXPECT_EQ(resolved->store->description(), "encrypted file " + file_);
  EXPECT_EQ(resolved->credential->kind, CredentialKind::integration_token);
  ASSERT_EQ(resolved->chain.size(), 2u);
  EXPECT_EQ(resolved->chain[0].outcome, AttemptOutcome::not_configured);
  EXPECT_EQ(resolved->chain[1].outcome, AttemptOutcome::found);
}

TEST_F(KeychainResolve, FallsThroughAFileWithoutTheProfile) {
  store_in_file("other", testing::token_credential());
  auto resolved = resolve(with_file(), keyring_with("default"));
  ASSERT_TRUE(resolved.ok());
  ASSERT_TRUE(resolved->found());
  EXPECT_EQ(resolved->store->description(), "Secret Service (test)");
  ASSERT_EQ(resolved->chain.size(), 3u);
  EXPECT_EQ(resolved->chain[1].outcome, AttemptOutcome::empty);
  EXPECT_EQ(resolved->chain[2].outcome, AttemptOutcome::found);
}

TEST_F(KeychainResolve, SecretServiceWhenNothingElseIsConfigured) {
  auto resolved = resolve(bare(), keyring_with("default"));
  ASSERT_TRUE(resolved.ok());
  ASSERT_TRUE(resolved->found());
  EXPECT_EQ(resolved->credential->kind, CredentialKind::oauth);
  ASSERT_EQ(resolved->chain.size(), 3u);
  EXPECT_EQ(resolved->chain[1].store, "encrypted credentials file");
  EXPECT_EQ(resolved->chain[1].outcome, AttemptOutcome::not_configured);
  std::string chain = describe_chain(*resolved);
  EXPECT_TRUE(contains(chain, "environment variable NOTION_TOKEN: not set."));
  EXPECT_TRUE(contains(chain, "Secret Service (test): credential for profile default found."));
  EXPECT_FALSE(contains(chain, "c4n4ry"));
}

TEST_F(KeychainResolve, ProfileNameSelectsTheCredential) {
  store_in_file("default", testing::token_credential());
  store_in_file("work", testing::oauth_credential());
  Settings settings = with_file();
  settings.profile = "work";
  auto resolved = resolve(settings, keyring_with("nothing-here"));
  ASSERT_TRUE(resolved.ok());
  ASSERT_TRUE(resolved->found());
  EXPECT_EQ(resolved->profile, "work");
  EXPECT_TRUE(testing::same_credential(*resolved->credential, testing::oauth_credential()));
}

TEST_F(KeychainResolve, AConfiguredFileThatCannotBeReadStopsResolution) {
  store_in_file("default", testing::token_credential());
  Settings settings = with_file();
  settings.keys.key_text = FileKey::generate().to_text();
  auto resolved = resolve(settings, keyring_with("default"));
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code, "wrong_key");
}

TEST_F(KeychainResolve, AMissingConfiguredFileIsSaidSo) {
  auto resolved = resolve(with_file(), keyring_with("default"));
  ASSERT_TRUE(resolved.ok());
  ASSERT_TRUE(resolved->found());
  EXPECT_EQ(resolved->chain[1].detail, "the file does not exist.");
}

TEST_F(KeychainResolve, NothingFoundWithoutABusExplainsEveryStep) {
  // The real Secret Service store, with no session bus: a failure recorded, not a hang.
  auto resolved = resolve(bare());
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->found());
  EXPECT_EQ(resolved->store, nullptr);
  ASSERT_EQ(resolved->chain.size(), 3u);
  EXPECT_EQ(resolved->chain[2].outcome, AttemptOutcome::failed);
  EXPECT_EQ(resolved->chain[2].code, "no_dbus_session");
  util::Error error = resolved->not_found_error();
  EXPECT_EQ(error.code, "no_dbus_session");
  EXPECT_TRUE(contains(error.message, "No Notion credentials could be read for profile default"));
  EXPECT_TRUE(contains(error.message, "No D-Bus session"));
  EXPECT_TRUE(contains(error.hint, "notion-mcp login"));
}

TEST_F(KeychainResolve, NothingStoredAnywhere) {
  auto empty = std::make_unique<testing::MemoryStore>("Secret Service (test)");
  auto resolved = resolve(bare(), std::move(empty));
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->found());
  util::Error error = resolved->not_found_error();
  EXPECT_EQ(error.code, "unauthorized");
  EXPECT_TRUE(contains(error.message, "No Notion credentials for profile default"));
  EXPECT_TRUE(contains(error.message, "NOTION_TOKEN: not set"));
}

TEST_F(KeychainResolve, InvalidProfileName) {
  Settings settings = bare();
  settings.profile = "a b";
  auto resolved = resolve(settings, keyring_with("default"));
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code, "invalid_profile");
}

TEST_F(KeychainResolve, LoginSavesToTheFileWhenOneIsConfigured) {
  EXPECT_EQ(login_store(with_file())->description(), "encrypted file " + file_);
  EXPECT_EQ(login_store(bare())->description(), "Secret Service (desktop keyring)");
  // Even with NOTION_TOKEN set: the environment cannot be written.
  Settings settings = bare();
  settings.notion_token = util::Secret(kCanaryToken);
  EXPECT_TRUE(login_store(settings)->writable());
}

TEST(KeychainSettings, FromEnvironment) {
  std::map<std::string, std::string> env = {
      {"NOTION_TOKEN", std::string(kCanaryToken)},
      {"NOTION_MCP_CREDENTIALS", "/tmp/c.enc"},
      {"NOTION_MCP_CREDENTIALS_KEY", "k"},
      {"CREDENTIALS_DIRECTORY", "/run/credentials/x.service"},
      {"DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"},
  };
  auto lookup = [&](const char* name) -> const char* {
    auto found = env.find(name);
    return found == env.end() ? nullptr : found->second.c_str();
  };
  Settings settings = settings_from_environment(lookup);
  EXPECT_EQ(settings.profile, "default");
  EXPECT_TRUE(settings.notion_token == util::Secret(kCanaryToken));
  EXPECT_EQ(settings.credentials_file, "/tmp/c.enc");
  EXPECT_TRUE(settings.keys.key_text == util::Secret("k"));
  EXPECT_EQ(settings.keys.credentials_directory, "/run/credentials/x.service");
  EXPECT_EQ(settings.secret_service.bus_address, "unix:path=/run/user/1000/bus");
  EXPECT_FALSE(settings.secret_service.allow_unlock_prompt);
  env["WAYLAND_DISPLAY"] = "wayland-0";
  EXPECT_TRUE(settings_from_environment(lookup).secret_service.allow_unlock_prompt);
  env.clear();
  Settings empty = settings_from_environment(lookup);
  EXPECT_TRUE(empty.notion_token.empty());
  EXPECT_TRUE(empty.secret_service.bus_address.empty());
}

}  // namespace
}  // namespace notion_mcp::keychain
