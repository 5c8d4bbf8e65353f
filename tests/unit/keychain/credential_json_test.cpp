#include "keychain/credential_json.h"

#include <gtest/gtest.h>

#include "keychain/credential.h"
#include "unit/keychain/keychain_test_support.h"

namespace notion_mcp::keychain {
namespace {

using testing::contains;
using testing::kCanaryClientSecret;
using testing::kCanaryRefresh;
using testing::kCanaryToken;

TEST(KeychainCredentialJson, IntegrationTokenRoundTrip) {
  Credential original = testing::token_credential();
  ScrubbedString json = credential_to_json(original);
  auto parsed = credential_from_json(json.view(), "test");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(testing::same_credential(*parsed, original));
  EXPECT_TRUE(parsed->refresh_token.empty());
}

TEST(KeychainCredentialJson, OauthRoundTripWithEscapes) {
  Credential original = testing::oauth_credential();
  ScrubbedString json = credential_to_json(original);
  // Control characters are escaped, so the JSON is one line.
  EXPECT_FALSE(contains(json.view(), "\n"));
  EXPECT_TRUE(contains(json.view(), "\\u0001"));
  auto parsed = credential_from_json(json.view(), "test");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(testing::same_credential(*parsed, original));
  EXPECT_EQ(parsed->kind, CredentialKind::oauth);
}

TEST(KeychainCredentialJson, ReadsEscapesItDoesNotWrite) {
  auto parsed = credential_from_json(
      R"({"version":1,"kind":"integration_token","token":"ntn_\u0041\/x","workspace_name":"\ud83d\ude00 \u00e9"})",
      "test");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->token == util::Secret("ntn_A/x"));
  EXPECT_EQ(parsed->workspace_name, "\xF0\x9F\x98\x80 \xC3\xA9");
}

TEST(KeychainCredentialJson, SkipsMembersFromLaterVersions) {
  auto parsed = credential_from_json(
      R"({"version":1,"future":{"a":[1,2.5e3,true,null,"x"]},"kind":"integration_token","token":"t"})",
      "test");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->token == util::Secret("t"));
}

TEST(KeychainCredentialJson, RefusesNewerFormat) {
  auto parsed = credential_from_json(R"({"version":2,"kind":"integration_token","token":"t"})",
                                     "The keyring item");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "corrupt_credential");
  EXPECT_TRUE(contains(parsed.error().message, "newer notion-mcp")) << parsed.error().message;
}

TEST(KeychainCredentialJson, ErrorsNameThePlaceNeverTheValue) {
  std::string broken = R"({"version":1,"kind":"integration_token","token":")" +
                       std::string(kCanaryToken) + R"(" "bot_id":"x"})";
  auto parsed = credential_from_json(broken, "The keyring item for profile default");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "corrupt_credential");
  EXPECT_TRUE(contains(parsed.error().message, "The keyring item for profile default"));
  EXPECT_TRUE(contains(parsed.error().message, "not valid JSON"));
  EXPECT_FALSE(contains(parsed.error().message, kCanaryToken));
  EXPECT_FALSE(contains(parsed.error().hint, kCanaryToken));
}

TEST(KeychainCredentialJson, RejectsMalformedDocuments) {
  for (std::string_view text : {
           R"()",
           R"({)",
           R"([])",
           R"({"version":1,"kind":"integration_token","token":"t"} trailing)",
           R"({"version":1,"kind":"integration_token","token":"t\x"})",
           R"({"version":1,"kind":"integration_token","token":"\ud800"})",
           R"({"version":1,"kind":"integration_token","token":"t","token":"u"})",
           R"({"version":1,"kind":"robot","token":"t"})",
           R"({"kind":"integration_token","token":"t"})",
           R"({"version":1.5,"kind":"integration_token","token":"t"})",
       }) {
    auto parsed = credential_from_json(text, "test");
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().code, "corrupt_credential") << text;
    }
  }
}

TEST(KeychainCredentialJson, RejectsInvalidUtf8) {
  std::string text = R"({"version":1,"kind":"integration_token","token":"t","bot_id":")" +
                     std::string("\xff") + R"("})";
  auto parsed = credential_from_json(text, "test");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(contains(parsed.error().message, "UTF-8"));
}

TEST(KeychainCredentialJson, RejectsIncompleteCredentials) {
  auto token = credential_from_json(R"({"version":1,"kind":"integration_token"})", "test");
  ASSERT_FALSE(token.ok());
  EXPECT_TRUE(contains(token.error().message, "no token"));
  auto oauth = credential_from_json(
      R"({"version":1,"kind":"oauth","refresh_token":"r","client_id":"c"})", "test");
  ASSERT_FALSE(oauth.ok());
  EXPECT_TRUE(contains(oauth.error().message, "client secret"));
}

TEST(KeychainCredentialJson, ProfilesRoundTrip) {
  ProfileMap profiles;
  profiles.emplace("default", testing::token_credential());
  profiles.emplace("work", testing::oauth_credential());
  ScrubbedString json = profiles_to_json(profiles);
  auto parsed = profiles_from_json(json.view(), "test");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_TRUE(testing::same_credential(parsed->at("default"), testing::token_credential()));
  EXPECT_TRUE(testing::same_credential(parsed->at("work"), testing::oauth_credential()));
}

TEST(KeychainCredentialJson, ProfilesRejectBadNamesAndDuplicates) {
  auto bad_name = profiles_from_json(
      R"({"version":1,"profiles":{"../x":{"version":1,"kind":"integration_token","token":"t"}}})",
      "test");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_TRUE(contains(bad_name.error().message, "profile name"));
  auto twice = profiles_from_json(
      R"({"version":1,"profiles":{"a":{"version":1,"kind":"integration_token","token":"t"},)"
      R"("a":{"version":1,"kind":"integration_token","token":"u"}}})",
      "test");
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(contains(twice.error().message, "appears twice"));
  auto missing = profiles_from_json(R"({"version":1})", "test");
  EXPECT_FALSE(missing.ok());
}

TEST(KeychainCredentialJson, ProfileNames) {
  for (std::string_view good : {"default", "work", "Team-2", "a.b_c", "x"}) {
    EXPECT_TRUE(validate_profile_name(good).ok()) << good;
  }
  for (std::string_view bad : std::initializer_list<std::string_view>{
           "", "-x", ".hidden", "a/b", "a b", "é", std::string_view("a\0b", 3),
           std::string_view("0123456789012345678901234567890123456789012345678901234567890123x")}) {
    EXPECT_FALSE(validate_profile_name(bad).ok()) << bad;
  }
}

TEST(KeychainCredentialJson, ScrubbedStringGrowsAndClears) {
  ScrubbedString text(2);
  for (int i = 0; i < 1000; ++i) text.append("abc");
  EXPECT_EQ(text.size(), 3000u);
  EXPECT_EQ(text.view().substr(0, 6), "abcabc");
  text.clear();
  EXPECT_TRUE(text.empty());
  text.append("x");
  EXPECT_EQ(text.view(), "x");
  ScrubbedString moved = std::move(text);
  EXPECT_EQ(moved.view(), "x");
  EXPECT_TRUE(text.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by design
}

}  // namespace
}  // namespace notion_mcp::keychain
