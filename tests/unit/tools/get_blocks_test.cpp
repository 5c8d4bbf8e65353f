#include <set>

#include "tests/unit/tools/tool_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsGetBlocks : public ToolFixture {};

std::string undashed(std::string id) {
  std::erase(id, '-');
  return id;
}

TEST_F(ToolsGetBlocks, ListsChildrenOneLineEach) {
  std::string id = id_of("Engineering practices");
  ToolResult r = call("get_blocks", {{"block_id", id}});
  ASSERT_FALSE(r.is_error) << r.text;
  const Json& results = r.structured["results"];
  ASSERT_FALSE(results.empty());
  for (const Json& block : results) {
    EXPECT_EQ(block["id"].get<std::string>().size(), 36u);
    EXPECT_FALSE(block["type"].get<std::string>().empty());
    std::string line = block["type"].get<std::string>() + " " + block["id"].get<std::string>();
    EXPECT_NE(r.text.find(line), std::string::npos) << line << "\n" << r.text;
  }
  // Block text is workspace content: fenced.
  EXPECT_NE(r.text.find("```untrusted\n"), std::string::npos) << r.text;
  // Compare with the raw API: same blocks, same order.
  auto raw = raw_get("/v1/blocks/" + id + "/children?page_size=100");
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ((*raw)["results"].size(), results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ((*raw)["results"][i]["id"], results[i]["id"]);
  }
}

TEST_F(ToolsGetBlocks, FollowsChildrenAndPaginates) {
  std::string id = id_of("Meeting notes archive");
  ToolResult first = call("get_blocks", {{"block_id", id}, {"page_size", 5}});
  ASSERT_FALSE(first.is_error) << first.text;
  ASSERT_EQ(first.structured["results"].size(), 5u);
  ASSERT_TRUE(first.structured.contains("next_cursor")) << first.text;
  ToolResult second =
      call("get_blocks",
           {{"block_id", id}, {"page_size", 5}, {"start_cursor", first.structured["next_cursor"]}});
  ASSERT_FALSE(second.is_error) << second.text;
  std::set<std::string> seen;
  for (const Json& b : first.structured["results"]) seen.insert(b["id"]);
  for (const Json& b : second.structured["results"]) EXPECT_FALSE(seen.count(b["id"]));

  // A toggle holds the notes of one meeting.
  std::string toggle;
  for (const ToolResult* r : {&first, &second}) {
    for (const Json& b : r->structured["results"]) {
      if (b["has_children"] == true && toggle.empty()) toggle = b["id"];
    }
  }
  ASSERT_FALSE(toggle.empty());
  EXPECT_NE((first.text + second.text).find(toggle + " +children"), std::string::npos);
  ToolResult children = call("get_blocks", {{"block_id", toggle}});
  ASSERT_FALSE(children.is_error) << children.text;
  EXPECT_FALSE(children.structured["results"].empty());
  EXPECT_NE(children.text.find("Attendees"), std::string::npos) << children.text;
}

TEST_F(ToolsGetBlocks, UrlFragmentPointsAtABlock) {
  std::string page = id_of("Meeting notes archive");
  ToolResult top = call("get_blocks", {{"block_id", page}, {"page_size", 100}});
  ASSERT_FALSE(top.is_error) << top.text;
  std::string toggle;
  for (const Json& b : top.structured["results"]) {
    if (b["type"] == "toggle" && toggle.empty()) toggle = b["id"];
  }
  ASSERT_FALSE(toggle.empty());
  std::string url =
      "https://www.notion.so/Meeting-notes-archive-" + undashed(page) + "#" + undashed(toggle);
  ToolResult by_url = call("get_blocks", {{"block_id", url}});
  ToolResult by_id = call("get_blocks", {{"block_id", toggle}});
  ASSERT_FALSE(by_url.is_error) << by_url.text;
  EXPECT_EQ(by_url.structured, by_id.structured);
}

TEST_F(ToolsGetBlocks, UnknownBlockIsAnErrorWithAHint) {
  ToolResult r = call("get_blocks", {{"block_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "object_not_found") << r.text;
  EXPECT_NE(r.text.find("Hint: "), std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::tools::testing
