#include "mcp/session.h"

#include <gtest/gtest.h>

namespace notion_mcp::mcp {
namespace {

TEST(McpSession, NegotiatesVersions) {
  EXPECT_EQ(negotiate_protocol_version("2025-11-25"), "2025-11-25");
  EXPECT_EQ(negotiate_protocol_version("2025-06-18"), "2025-06-18");
  EXPECT_EQ(negotiate_protocol_version("2025-03-26"), "2025-03-26");
  EXPECT_EQ(negotiate_protocol_version("2024-11-05"), "2025-11-25");
  EXPECT_EQ(negotiate_protocol_version("2099-01-01"), "2025-11-25");
}

TEST(McpSession, InitializeReportsIdentityAndCapabilities) {
  ServerIdentity identity;
  identity.version = "1.2.3";
  identity.instructions = "read carefully";
  Session session(identity);
  EXPECT_FALSE(session.initialized());
  auto result = session.initialize(util::parse_json(R"({"protocolVersion":"2025-06-18",
      "capabilities":{"elicitation":{}},"clientInfo":{"name":"claude-code","version":"2"}})")
                                       .value());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)["protocolVersion"], "2025-06-18");
  EXPECT_EQ((*result)["serverInfo"]["name"], "notion-mcp");
  EXPECT_EQ((*result)["serverInfo"]["version"], "1.2.3");
  EXPECT_EQ((*result)["capabilities"]["tools"]["listChanged"], false);
  EXPECT_TRUE((*result)["capabilities"].contains("logging"));
  EXPECT_EQ((*result)["instructions"], "read carefully");
  EXPECT_TRUE(session.initialized());
  EXPECT_EQ(session.client_name(), "claude-code");
  EXPECT_TRUE(session.client_supports("elicitation"));
  EXPECT_FALSE(session.client_supports("sampling"));
  EXPECT_TRUE(session.client_supports_form_elicitation());
  EXPECT_EQ((*result)["capabilities"]["resources"]["subscribe"], false);
}

TEST(McpSession, FormElicitationNeedsAnEmptyOrFormCapability) {
  auto supports = [](const char* capabilities) {
    Session session(ServerIdentity{});
    auto result = session.initialize(
        util::parse_json(std::string(R"({"protocolVersion":"2025-11-25","capabilities":)") +
                         capabilities + "}")
            .value());
    EXPECT_TRUE(result.ok());
    return session.client_supports_form_elicitation();
  };
  EXPECT_TRUE(supports(R"({"elicitation":{}})"));
  EXPECT_TRUE(supports(R"({"elicitation":{"form":{},"url":{}}})"));
  EXPECT_FALSE(supports(R"({"elicitation":{"url":{}}})"));
  EXPECT_FALSE(supports(R"({"elicitation":true})"));
  EXPECT_FALSE(supports(R"({})"));
}

TEST(McpSession, RejectsMissingVersionAndSecondInitialize) {
  Session session(ServerIdentity{});
  auto missing = session.initialize(util::Json::object());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "invalid_params");
  EXPECT_FALSE(session.initialized());
  ASSERT_TRUE(session.initialize({{"protocolVersion", "2025-11-25"}}).ok());
  auto again = session.initialize({{"protocolVersion", "2025-11-25"}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "invalid_request");
}

}  // namespace
}  // namespace notion_mcp::mcp
