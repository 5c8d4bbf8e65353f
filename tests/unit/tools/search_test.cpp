#include <set>

#include "tests/unit/tools/tool_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsSearch : public ToolFixture {};

TEST_F(ToolsSearch, FindsPagesByTitleAsCompactLines) {
  ToolResult r = call("search", {{"query", "Security policy"}});
  ASSERT_FALSE(r.is_error) << r.text;
  const Json* hit = nullptr;
  for (const Json& item : r.structured["results"]) {
    if (item["title"] == "Security policy") hit = &item;
  }
  ASSERT_NE(hit, nullptr) << r.text;
  EXPECT_EQ((*hit)["type"], "page");
  std::string id = (*hit)["id"];
  EXPECT_EQ(id.size(), 36u);
  EXPECT_TRUE(hit->contains("url"));
  EXPECT_TRUE(hit->contains("last_edited_time"));
  // One line per hit: type, title, id, url, last edited.
  std::string line = "- page · Security policy · " + id + " · " + (*hit)["url"].get<std::string>();
  EXPECT_NE(r.text.find(line), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("· edited 20"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find('{'), std::string::npos) << "no raw JSON in the text: " << r.text;
}

TEST_F(ToolsSearch, FiltersToDataSources) {
  std::set<std::string> titles;
  for (const Json& item : search_all("data_source")) {
    EXPECT_EQ(item["type"], "data_source") << item.dump();
    titles.insert(item["title"].get<std::string>());
  }
  EXPECT_TRUE(titles.count("Projects"));
  EXPECT_TRUE(titles.count("Tasks"));
  for (const Json& item : search_all("page")) EXPECT_EQ(item["type"], "page") << item.dump();
}

TEST_F(ToolsSearch, PaginatesWithNextCursor) {
  ToolResult first = call("search", {{"page_size", 3}});
  ASSERT_FALSE(first.is_error) << first.text;
  ASSERT_EQ(first.structured["results"].size(), 3u);
  ASSERT_TRUE(first.structured.contains("next_cursor")) << first.text;
  std::string cursor = first.structured["next_cursor"];
  EXPECT_NE(first.text.find("next_cursor: " + cursor), std::string::npos) << first.text;

  ToolResult second = call("search", {{"page_size", 3}, {"start_cursor", cursor}});
  ASSERT_FALSE(second.is_error) << second.text;
  ASSERT_FALSE(second.structured["results"].empty());
  std::set<std::string> first_ids;
  for (const Json& item : first.structured["results"]) first_ids.insert(item["id"]);
  for (const Json& item : second.structured["results"]) {
    EXPECT_FALSE(first_ids.count(item["id"])) << "page 2 repeats " << item.dump();
  }
  // The whole workspace fits in a few pages; the last one has no cursor.
  std::vector<Json> all = search_all();
  EXPECT_GT(all.size(), 10u);
}

TEST_F(ToolsSearch, SaysWhyNothingWasFound) {
  ToolResult r = call("search", {{"query", "zzqx no such page"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(r.structured["results"].empty());
  EXPECT_NE(r.text.find("Nothing found"), std::string::npos);
  EXPECT_NE(r.text.find("shared with the integration"), std::string::npos);
  EXPECT_FALSE(r.structured.contains("next_cursor"));
}

TEST_F(ToolsSearch, BadCursorIsAnErrorWithAHint) {
  ToolResult r = call("search", {{"start_cursor", "not-a-cursor"}});
  ASSERT_TRUE(r.is_error) << r.text;
  EXPECT_NE(r.text.find("Notion error ("), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("Hint:"), std::string::npos) << r.text;
  EXPECT_FALSE(r.structured["error"]["code"].get<std::string>().empty());
}

// The dispatcher labels demo results once; a tool that labelled them too would double the line.
TEST_F(ToolsSearch, DemoLabelIsLeftToTheDispatcher) {
  demo_ = true;
  ToolResult r = call("search", {{"query", "Handbook"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.text.find("[demo workspace"), std::string::npos) << r.text;
}

}  // namespace
}  // namespace notion_mcp::tools::testing
