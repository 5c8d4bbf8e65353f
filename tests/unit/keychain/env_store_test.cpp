#include "keychain/env_store.h"

#include <gtest/gtest.h>

#include "unit/keychain/keychain_test_support.h"

namespace notion_mcp::keychain {
namespace {

using testing::contains;
using testing::kCanaryToken;

TEST(KeychainEnvStore, UnsetHoldsNothing) {
  EnvStore store("");
  EXPECT_FALSE(store.has_token());
  auto loaded = store.load("default");
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->has_value());
  EXPECT_FALSE(EnvStore(" \n").has_token());
}

TEST(KeychainEnvStore, TokenForEveryProfileWithoutTheNewline) {
  EnvStore store(std::string(kCanaryToken) + "\n");
  ASSERT_TRUE(store.has_token());
  for (std::string_view profile : {"default", "work"}) {
    auto loaded = store.load(profile);
    ASSERT_TRUE(loaded.ok());
    ASSERT_TRUE(loaded->has_value());
    EXPECT_EQ((*loaded)->kind, CredentialKind::integration_token);
    EXPECT_TRUE((*loaded)->token == util::Secret(kCanaryToken));
  }
  EXPECT_EQ(store.description(), "environment variable NOTION_TOKEN");
}

TEST(KeychainEnvStore, IsReadOnlyAndSaysWhatToDo) {
  EnvStore store(kCanaryToken);
  EXPECT_FALSE(store.writable());
  auto saved = store.save("default", testing::token_credential());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, "read_only_store");
  EXPECT_TRUE(contains(saved.error().message, "cannot store"));
  EXPECT_TRUE(contains(saved.error().hint, "unset it"));
  auto removed = store.remove("default");
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code, "read_only_store");
  EXPECT_TRUE(contains(removed.error().hint, "Remove NOTION_TOKEN where it is set"));
  EXPECT_FALSE(contains(saved.error().message + saved.error().hint, kCanaryToken));
}

TEST(KeychainEnvStore, RejectsInvalidProfileNames) {
  EnvStore store(kCanaryToken);
  auto loaded = store.load("a/b");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "invalid_profile");
}

}  // namespace
}  // namespace notion_mcp::keychain
