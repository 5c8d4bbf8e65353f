// The Secret Service store without a bus. The real keyring (gnome-keyring in a private D-Bus
// session: store, read, replace, delete, locked, no provider) is tested in tests/keychain/.
#include "keychain/secret_service.h"

#include <gtest/gtest.h>

#include <chrono>

#include "unit/keychain/keychain_test_support.h"

namespace notion_mcp::keychain {
namespace {

using testing::contains;

TEST(KeychainSecretService, NoSessionBusIsASentenceNotAHang) {
  SecretServiceStore store(SecretServiceOptions{});
  auto start = std::chrono::steady_clock::now();
  auto loaded = store.load("default");
  auto saved = store.save("default", testing::token_credential());
  auto removed = store.remove("default");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  for (const util::Error* error : {&loaded.error(), &saved.error(), &removed.error()}) {
    EXPECT_EQ(error->code, "no_dbus_session");
    EXPECT_TRUE(contains(error->message, "No D-Bus session")) << error->message;
    EXPECT_TRUE(contains(error->message, "NOTION_TOKEN"));
    EXPECT_TRUE(contains(error->message, "notion-mcp credentials export"));
  }
}

TEST(KeychainSecretService, NeverAutolaunchesABus) {
  SecretServiceOptions options;
  options.bus_address = "autolaunch:";
  SecretServiceStore store(options);
  auto loaded = store.load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "no_dbus_session");
  EXPECT_TRUE(contains(loaded.error().message, "autolaunch"));
}

TEST(KeychainSecretService, MissingLibsecretSaysWhatToInstall) {
  SecretServiceOptions options;
  options.bus_address = "unix:path=/nonexistent/bus";
  options.libsecret = "libnotion-mcp-no-such-libsecret.so.0";
  SecretServiceStore store(options);
  auto loaded = store.load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "libsecret_unavailable");
  EXPECT_TRUE(contains(loaded.error().message, "apt-get install libsecret-1-0"))
      << loaded.error().message;
  EXPECT_TRUE(contains(loaded.error().message, "NOTION_TOKEN"));
}

TEST(KeychainSecretService, ChecksInputBeforeTouchingTheBus) {
  SecretServiceStore store(SecretServiceOptions{});
  EXPECT_EQ(store.load("no/slashes").error().code, "invalid_profile");
  EXPECT_EQ(store.save("default", Credential{}).error().code, "invalid_credential");
}

TEST(KeychainSecretService, LabelPeopleCanRead) {
  EXPECT_EQ(SecretServiceStore::label_for("default"), "Notion (notion-mcp, profile default)");
  EXPECT_EQ(std::string(kSchemaName), "org.notion-mcp.Credential");
  EXPECT_TRUE(SecretServiceStore(SecretServiceOptions{}).writable());
}

}  // namespace
}  // namespace notion_mcp::keychain
