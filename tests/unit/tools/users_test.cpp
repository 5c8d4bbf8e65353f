#include <set>

#include "tests/unit/tools/tool_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsUsers : public ToolFixture {};

TEST_F(ToolsUsers, ListUsersShowsPeopleAndBots) {
  ToolResult r = call("list_users");
  ASSERT_FALSE(r.is_error) << r.text;
  std::set<std::string> types;
  bool maya = false;
  for (const Json& user : r.structured["results"]) {
    types.insert(user["type"].get<std::string>());
    if (user["name"] == "Maya Chen") {
      maya = true;
      EXPECT_TRUE(user.contains("email")) << user.dump();
      std::string line = "- Maya Chen · person · " + user["email"].get<std::string>() + " · " +
                         user["id"].get<std::string>() + "\n";
      EXPECT_NE(r.text.find(line), std::string::npos) << r.text;
    }
  }
  EXPECT_TRUE(maya) << r.text;
  EXPECT_TRUE(types.count("person"));
  EXPECT_TRUE(types.count("bot"));
}

TEST_F(ToolsUsers, ListUsersPaginates) {
  ToolResult first = call("list_users", {{"page_size", 2}});
  ASSERT_FALSE(first.is_error) << first.text;
  EXPECT_EQ(first.structured["results"].size(), 2u);
  ASSERT_TRUE(first.structured.contains("next_cursor")) << first.text;
  ToolResult second =
      call("list_users", {{"page_size", 2}, {"start_cursor", first.structured["next_cursor"]}});
  ASSERT_FALSE(second.is_error) << second.text;
  EXPECT_NE(second.structured["results"][0]["id"], first.structured["results"][0]["id"]);
}

TEST_F(ToolsUsers, GetUserById) {
  ToolResult list = call("list_users");
  ASSERT_FALSE(list.is_error);
  for (const Json& user : list.structured["results"]) {
    ToolResult r = call("get_user", {{"user_id", user["id"]}});
    ASSERT_FALSE(r.is_error) << r.text;
    EXPECT_EQ(r.structured, user);
    EXPECT_NE(r.text.find("name: " + user["name"].get<std::string>() + "\n"), std::string::npos);
  }
  // Undashed ids work too.
  std::string id = list.structured["results"][0]["id"];
  std::erase(id, '-');
  EXPECT_FALSE(call("get_user", {{"user_id", id}}).is_error);
}

TEST_F(ToolsUsers, UnknownUserIsAnErrorWithAHint) {
  ToolResult r = call("get_user", {{"user_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "object_not_found") << r.text;
  EXPECT_NE(r.text.find("list_users"), std::string::npos) << r.text;
}

TEST_F(ToolsUsers, GetSelfNamesTheBotAndWorkspace) {
  ToolResult r = call("get_self");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["type"], "bot");
  EXPECT_EQ(r.structured["workspace_name"], "Acme Inc. (demo)");
  EXPECT_FALSE(r.structured["name"].get<std::string>().empty());
  EXPECT_NE(r.text.find("workspace: Acme Inc. (demo)\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("type: bot\n"), std::string::npos) << r.text;
}

}  // namespace
}  // namespace notion_mcp::tools::testing
