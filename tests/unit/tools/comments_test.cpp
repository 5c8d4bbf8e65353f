#include "tests/unit/tools/tool_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsListComments : public ToolFixture {};

TEST_F(ToolsListComments, ListsAPagesComments) {
  std::string id = id_of("Security policy");
  ToolResult r = call("list_comments", {{"block_id", id}});
  ASSERT_FALSE(r.is_error) << r.text;
  const Json& results = r.structured["results"];
  ASSERT_EQ(results.size(), 3u) << r.text;
  EXPECT_EQ(results[0]["text"],
            "Hardware keys for everyone are ordered; they arrive **next week**.");
  EXPECT_EQ(results[0]["discussion_id"], results[1]["discussion_id"]);
  EXPECT_NE(results[0]["discussion_id"], results[2]["discussion_id"]);
  for (const Json& c : results) {
    EXPECT_FALSE(c["author"].get<std::string>().empty());
    EXPECT_FALSE(c["created_time"].get<std::string>().empty());
  }
  // Comments are written by other people: fenced, one line each.
  EXPECT_NE(r.text.find("```untrusted\n- "), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("(discussion " + results[0]["discussion_id"].get<std::string>() +
                        "): " + "Hardware keys"),
            std::string::npos)
      << r.text;
}

TEST_F(ToolsListComments, AcceptsUrlsAndBlockFragments) {
  std::string page = id_of("Engineering practices");
  std::string hex = page;
  std::erase(hex, '-');
  ToolResult on_page =
      call("list_comments", {{"block_id", "https://www.notion.so/Engineering-practices-" + hex}});
  ASSERT_FALSE(on_page.is_error) << on_page.text;

  // The demo has one comment on the first block of this page.
  ToolResult blocks = call("get_blocks", {{"block_id", page}, {"page_size", 1}});
  ASSERT_FALSE(blocks.is_error) << blocks.text;
  std::string block = blocks.structured["results"][0]["id"];
  std::erase(block, '-');
  ToolResult on_block =
      call("list_comments",
           {{"block_id", "https://www.notion.so/Engineering-practices-" + hex + "#" + block}});
  ASSERT_FALSE(on_block.is_error) << on_block.text;
  ASSERT_EQ(on_block.structured["results"].size(), 1u) << on_block.text;
  EXPECT_NE(on_block.text.find("Should we link the security policy here?"), std::string::npos);
}

TEST_F(ToolsListComments, PaginatesAndSaysWhenThereAreNone) {
  std::string id = id_of("Security policy");
  ToolResult first = call("list_comments", {{"block_id", id}, {"page_size", 2}});
  ASSERT_FALSE(first.is_error) << first.text;
  EXPECT_EQ(first.structured["results"].size(), 2u);
  ASSERT_TRUE(first.structured.contains("next_cursor")) << first.text;
  ToolResult rest =
      call("list_comments", {{"block_id", id}, {"start_cursor", first.structured["next_cursor"]}});
  ASSERT_FALSE(rest.is_error) << rest.text;
  EXPECT_EQ(rest.structured["results"].size(), 1u);

  ToolResult none = call("list_comments", {{"block_id", id_of("Meeting notes archive")}});
  ASSERT_FALSE(none.is_error) << none.text;
  EXPECT_TRUE(none.structured["results"].empty());
  EXPECT_NE(none.text.find("No open comments"), std::string::npos);
}

TEST_F(ToolsListComments, UnknownIdIsAnError) {
  ToolResult r = call("list_comments", {{"block_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "object_not_found") << r.text;
  ToolResult bad = call("list_comments", {{"block_id", "https://example.com/x"}});
  ASSERT_TRUE(bad.is_error);
  EXPECT_EQ(bad.structured["error"]["code"], "invalid_id");
}

}  // namespace
}  // namespace notion_mcp::tools::testing
