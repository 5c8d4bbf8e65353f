#include "util/redact.h"

#include <gtest/gtest.h>

#include "util/secret.h"

namespace notion_mcp::util {
namespace {

const std::string kToken = "ntn_4321abcdEFGH5678ijklMNOP9012qrstUVWX";
const std::string kRefresh = "nrt_0123456789abcdefghij0123456789";

TEST(UtilRedact, MasksTokenShapes) {
  EXPECT_EQ(redact("token " + kToken + " end"), "token [REDACTED] end");
  EXPECT_EQ(redact("legacy secret_abcdefghijklmnopqrstuvwxyz0123"), "legacy [REDACTED]");
  EXPECT_EQ(redact(kRefresh), "[REDACTED]");
  EXPECT_EQ(redact("Authorization: Bearer abc123def456ghi789jkl"),
            "Authorization: Bearer [REDACTED]");
  EXPECT_EQ(redact("Basic dXNlcjpwYXNzd29yZDEyMzQ1Njc4OTA="), "Basic [REDACTED]");
}

// In a URL a token may follow a percent-escape, where the escape's hex digits would otherwise
// look like the end of a longer word.
TEST(UtilRedact, MasksATokenRightAfterAPercentEscape) {
  EXPECT_EQ(redact("https://x/?q=%3D" + kToken), "https://x/?q=%3D[REDACTED]");
  EXPECT_EQ(redact("a%20" + kRefresh + "&b=1"), "a%20[REDACTED]&b=1");
  EXPECT_TRUE(looks_like_secret("%3d" + kToken));
}

TEST(UtilRedact, LeavesOrdinaryTextAlone) {
  for (std::string_view text : {"the secret_sauce recipe", "Basic information about us",
                                "Bearer bonds", "ntn_short", "my_secret_value", "plain text"}) {
    EXPECT_EQ(redact(text), text);
    EXPECT_FALSE(looks_like_secret(text));
  }
}

TEST(UtilRedact, JsonTreeRedactionSeesThroughEscapes) {
  nlohmann::json message{{"text", "line one\n" + kToken}, {"list", {kRefresh, "ok"}}};
  redact_json(message);
  std::string dumped = message.dump();
  EXPECT_EQ(dumped.find("ntn_4321"), std::string::npos);
  EXPECT_EQ(dumped.find("nrt_0123"), std::string::npos);
  EXPECT_EQ(message["list"][1], "ok");
  EXPECT_EQ(message["text"], "line one\n[REDACTED]");
}

TEST(UtilSecret, HoldsValueAndNeverPrintsIt) {
  Secret secret(kToken);
  EXPECT_EQ(secret.reveal(), kToken);
  EXPECT_EQ(secret.redacted().find("4321"), std::string::npos);
  EXPECT_NE(secret.redacted().find("ntn_"), std::string::npos);
  Secret moved = std::move(secret);
  EXPECT_TRUE(secret.empty());  // NOLINT: checking the moved-from state on purpose
  EXPECT_EQ(moved.reveal(), kToken);
  Secret copy = moved;
  EXPECT_TRUE(copy == moved);
  EXPECT_FALSE(copy == Secret("other"));
}

}  // namespace
}  // namespace notion_mcp::util
