#include "tools/errors.h"

#include <gtest/gtest.h>

namespace notion_mcp::tools {
namespace {

TEST(ToolsErrors, NotionErrorsSayHowToFixTheCall) {
  util::Error e{"object_not_found", "Could not find page with ID: abc.", "", 404, "req-1"};
  ToolResult r = error_result(e);
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(
      r.text.rfind("Notion error (object_not_found): Could not find page with ID: abc. Hint: ", 0),
      0u)
      << r.text;
  EXPECT_EQ(r.structured["error"]["code"], "object_not_found");
  EXPECT_EQ(r.structured["error"]["message"], "Could not find page with ID: abc.");
  EXPECT_EQ(r.structured["error"]["hint"], default_hint("object_not_found"));
  EXPECT_NE(default_hint("object_not_found").find("Connections"), std::string::npos);
}

TEST(ToolsErrors, ToolHintsAddToTheClientsHint) {
  util::Error e{"validation_error", "body.filter is invalid.", "Check the filter.", 400, ""};
  ToolResult r = error_result(e, "get_data_source shows the schema.");
  EXPECT_EQ(r.structured["error"]["hint"], "Check the filter. get_data_source shows the schema.");
  util::Error no_hint{"validation_error", "bad", "", 400, ""};
  EXPECT_EQ(error_result(no_hint, "Try X.").structured["error"]["hint"], "Try X.");
}

TEST(ToolsErrors, LocalErrorsAreNotCalledNotionErrors) {
  ToolResult r =
      error_result(util::make_error("invalid_id", "'x' is not a Notion id.", "Pass one."));
  EXPECT_EQ(r.text, "Error (invalid_id): 'x' is not a Notion id. Hint: Pass one.");
}

TEST(ToolsErrors, SecretsNeverReachTheModel) {
  util::Error e{"unauthorized",
                "API token is invalid: ntn_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI", "", 401,
                ""};
  ToolResult r = error_result(e);
  EXPECT_EQ(r.text.find("ntn_abcdefghijklmnop"), std::string::npos) << r.text;
  EXPECT_EQ(r.structured.dump().find("ntn_abcdefghijklmnop"), std::string::npos);
  EXPECT_NE(r.text.find("notion-mcp login"), std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::tools
