#include "tools/common.h"

#include "tests/unit/tools/tool_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsCommon : public ToolFixture {};

util::Task<ToolResult> throwing_body(ToolContext&, Json) {
  Json number = 1;
  co_return ToolResult{number.at("missing").get<std::string>(), Json::object(), false};
}

TEST_F(ToolsCommon, GuardTurnsExceptionsIntoErrorResults) {
  Tool tool;
  tool.name = "throws";
  tool.output_schema = "{}";
  tool.run = guarded(throwing_body);
  ToolResult r = run(tool, Json::object());
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "internal_error");
  EXPECT_NE(r.text.find("unexpected shape"), std::string::npos) << r.text;
}

TEST_F(ToolsCommon, IdArgumentNeedsAString) {
  auto missing = id_argument(Json::object(), "page_id", IdKind::kPage);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "invalid_id");
  EXPECT_NE(missing.error().message.find("page_id"), std::string::npos);
  EXPECT_FALSE(id_argument({{"page_id", 42}}, "page_id", IdKind::kPage).ok());
  auto id =
      id_argument({{"page_id", "0123456789ABCDEF0123456789abcdef"}}, "page_id", IdKind::kPage);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "01234567-89ab-cdef-0123-456789abcdef");
}

// Without credentials every tool fails the same readable way, with no token in sight.
TEST_F(ToolsCommon, MissingTokenSaysHowToLogIn) {
  auto no_token = std::make_unique<notion::Client>(
      loop_, transport_,
      [] {
        return util::Result<util::Secret>(util::make_error(
            "unauthorized", "No Notion token is configured.", "Run `notion-mcp login`."));
      },
      client_options());
  client_override_ = no_token.get();
  for (const char* name : {"get_self", "search", "list_users"}) {
    ToolResult r = call(name);
    ASSERT_TRUE(r.is_error) << name;
    EXPECT_EQ(r.structured["error"]["code"], "unauthorized") << r.text;
    EXPECT_NE(r.text.find("notion-mcp login"), std::string::npos) << r.text;
  }
  client_override_ = nullptr;
}

}  // namespace
}  // namespace notion_mcp::tools::testing
