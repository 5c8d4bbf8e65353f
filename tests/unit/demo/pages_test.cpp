// GET /v1/pages/{id} and GET /v1/pages/{id}/properties/{property_id}.
#include <gtest/gtest.h>

#include "demo/ids.h"
#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoPages : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
  const std::string row_ = std::string(seed_ids::kWebsiteRedesignRow);
};

TEST_F(DemoPages, ReturnsAPageInNotionsShape) {
  const Answer a = get(*ws_, "/v1/pages/" + std::string(seed_ids::kSecurityPolicyPage));
  ASSERT_EQ(a.status, 200) << a.raw.body;
  const Json& p = a.body;
  EXPECT_EQ(p["object"], "page");
  EXPECT_EQ(p["id"], seed_ids::kSecurityPolicyPage);
  EXPECT_EQ(p["parent"], (Json{{"type", "page_id"}, {"page_id", seed_ids::kHandbookPage}}));
  EXPECT_EQ(p["in_trash"], false);
  EXPECT_EQ(p["url"], "https://www.notion.so/Security-policy-4c6e8a0b2d3f4b5c9e7a9c1d3e5f7a8b");
  EXPECT_EQ(p["icon"], (Json{{"type", "emoji"}, {"emoji", "🔒"}}));
  EXPECT_TRUE(p["cover"].is_null());
  EXPECT_EQ(p["created_by"], (Json{{"object", "user"}, {"id", seed_ids::kJonasUser}}));
  EXPECT_EQ(p["last_edited_by"]["object"], "user");
  EXPECT_EQ(p["created_time"].get<std::string>().size(), 24u);  // 2025-06-12T09:00:00.000Z
  EXPECT_LT(p["created_time"].get<std::string>(), p["last_edited_time"].get<std::string>());
  const Json& title = p["properties"]["title"];
  EXPECT_EQ(title["id"], "title");
  EXPECT_EQ(title["type"], "title");
  EXPECT_EQ(title["title"][0]["plain_text"], "Security policy");
  EXPECT_EQ(title["title"][0]["text"]["content"], "Security policy");
  EXPECT_FALSE(p.contains("archived"));  // 2026-03-11 renamed it in_trash
}

TEST_F(DemoPages, AcceptsIdsWithoutDashesAndTopLevelParents) {
  const Answer a = get(*ws_, "/v1/pages/" + compact_id(seed_ids::kHandbookPage));
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["id"], seed_ids::kHandbookPage);
  EXPECT_EQ(a.body["parent"], (Json{{"type", "workspace"}, {"workspace", true}}));
}

TEST_F(DemoPages, DatabaseRowsCarryEveryPropertyType) {
  const Answer a = get(*ws_, "/v1/pages/" + row_);
  ASSERT_EQ(a.status, 200);
  const Json& parent = a.body["parent"];
  EXPECT_EQ(parent["type"], "data_source_id");
  EXPECT_EQ(parent["data_source_id"], seed_ids::kProjectsDataSource);
  EXPECT_EQ(parent["database_id"], seed_ids::kProjectsDatabase);
  const Json& props = a.body["properties"];
  EXPECT_EQ(props["Name"]["title"][0]["plain_text"], "Website redesign");
  EXPECT_EQ(props["Status"]["status"]["name"], "In progress");
  EXPECT_EQ(props["Status"]["status"]["color"], "blue");
  EXPECT_EQ(props["Owner"]["people"][0]["name"], "Maya Chen");
  EXPECT_EQ(props["Owner"]["people"][0]["person"]["email"], "maya.chen@acme.example");
  EXPECT_EQ(props["Due"]["date"],
            (Json{{"start", "2026-04-30"}, {"end", nullptr}, {"time_zone", nullptr}}));
  EXPECT_EQ(props["Budget"]["number"], 48000);
  EXPECT_TRUE(props["Budget"]["number"].is_number_integer());
  EXPECT_EQ(props["Tags"]["multi_select"][0]["name"], "Frontend");
  EXPECT_EQ(props["Active"]["checkbox"], true);
  EXPECT_EQ(props["Tasks"]["relation"].size(), 3u);
  EXPECT_EQ(props["Tasks"]["has_more"], false);
  EXPECT_EQ(props["Spec"]["url"], "https://specs.acme.example/website-redesign");
  EXPECT_EQ(props["Contact"]["email"], "web-team@acme.example");
  EXPECT_EQ(props["Created"]["created_time"], a.body["created_time"]);
  EXPECT_EQ(props["Last edited"]["last_edited_time"], a.body["last_edited_time"]);
  for (const auto& [name, value] : props.items()) {
    EXPECT_TRUE(value.contains("id")) << name;
    EXPECT_TRUE(value.contains(value["type"].get<std::string>())) << name;
  }
  EXPECT_EQ(a.body["url"], "https://www.notion.so/Website-redesign-" + compact_id(row_));
}

TEST_F(DemoPages, FilterPropertiesKeepsOnlyTheNamedOnes) {
  const Answer a =
      get(*ws_, "/v1/pages/" + row_ + "?filter_properties=title&filter_properties=Bg%2540t");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["properties"].size(), 2u);
  EXPECT_TRUE(a.body["properties"].contains("Name"));
  EXPECT_TRUE(a.body["properties"].contains("Budget"));
}

TEST_F(DemoPages, UnknownPagesAndOtherObjectsAreErrors) {
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  const std::string message =
      expect_error(get(*ws_, "/v1/pages/" + missing), 404, "object_not_found");
  EXPECT_EQ(message, "Could not find page with ID: " + missing +
                         ". Make sure the relevant pages and databases are shared with your "
                         "integration.");
  expect_error(get(*ws_, "/v1/pages/not-an-id"), 400, "validation_error");
  const std::string db = expect_error(
      get(*ws_, "/v1/pages/" + std::string(seed_ids::kProjectsDatabase)), 400, "validation_error");
  EXPECT_NE(db.find("is a database"), std::string::npos);
}

TEST_F(DemoPages, SimplePropertyItems) {
  const Answer number = get(*ws_, "/v1/pages/" + row_ + "/properties/Bg%40t");
  ASSERT_EQ(number.status, 200) << number.raw.body;
  EXPECT_EQ(
      number.body,
      (Json{{"object", "property_item"}, {"id", "Bg%40t"}, {"type", "number"}, {"number", 48000}}));
  const Answer status = get(*ws_, "/v1/pages/" + row_ + "/properties/kV%253Ea");
  ASSERT_EQ(status.status, 200);  // the id itself percent-encoded once more also works
  EXPECT_EQ(status.body["status"]["name"], "In progress");
  const Answer checkbox = get(*ws_, "/v1/pages/" + row_ + "/properties/AcTv");
  EXPECT_EQ(checkbox.body["checkbox"], true);
}

TEST_F(DemoPages, PaginatedPropertyItems) {
  const Answer title = get(*ws_, "/v1/pages/" + row_ + "/properties/title");
  ASSERT_EQ(title.status, 200);
  EXPECT_EQ(title.body["object"], "list");
  EXPECT_EQ(title.body["type"], "property_item");
  EXPECT_EQ(title.body["property_item"]["type"], "title");
  EXPECT_EQ(title.body["results"][0]["object"], "property_item");
  EXPECT_EQ(title.body["results"][0]["title"]["plain_text"], "Website redesign");

  // Three related tasks, one per page.
  std::vector<std::string> related;
  std::string cursor;
  for (int i = 0; i < 10; ++i) {
    std::string path = "/v1/pages/" + row_ + "/properties/tsk%2F?page_size=1";
    if (!cursor.empty()) path += "&start_cursor=" + cursor;
    const Answer a = get(*ws_, path);
    ASSERT_EQ(a.status, 200) << a.raw.body;
    ASSERT_EQ(a.body["results"].size(), 1u);
    related.push_back(a.body["results"][0]["relation"]["id"]);
    if (!a.body["has_more"].get<bool>()) break;
    EXPECT_TRUE(a.body["property_item"]["next_url"].is_string());
    cursor = a.body["next_cursor"];
  }
  EXPECT_EQ(related.size(), 3u);
}

TEST_F(DemoPages, UnknownPropertyIsNotFound) {
  expect_error(get(*ws_, "/v1/pages/" + row_ + "/properties/nope"), 404, "object_not_found");
}

}  // namespace
}  // namespace notion_mcp::demo
