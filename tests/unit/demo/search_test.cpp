// POST /v1/search against the seeded workspace.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoSearch : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
};

TEST_F(DemoSearch, ListsPagesAndDataSourcesNewestFirst) {
  const Answer a = post(*ws_, "/v1/search", Json::object());
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["object"], "list");
  EXPECT_EQ(a.body["type"], "page_or_data_source");
  EXPECT_TRUE(a.body["page_or_data_source"].is_object());
  EXPECT_EQ(a.body["has_more"], false);
  EXPECT_TRUE(a.body["next_cursor"].is_null());
  const Json& results = a.body["results"];
  // 45 live pages (one of the 46 is in the trash) and 2 data sources.
  EXPECT_EQ(results.size(), 47u);
  std::string previous = "9999";
  for (const Json& r : results) {
    EXPECT_TRUE(r["object"] == "page" || r["object"] == "data_source");
    EXPECT_LE(r["last_edited_time"].get<std::string>(), previous);
    previous = r["last_edited_time"];
  }
}

TEST_F(DemoSearch, MatchesTitlesCaseInsensitively) {
  const Answer a = post(*ws_, "/v1/search", {{"query", "SECURITY"}});
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(titles(a.body), std::vector<std::string>{"Security policy"});
  const Answer none = post(*ws_, "/v1/search", {{"query", "no such title anywhere"}});
  EXPECT_TRUE(none.body["results"].empty());
}

TEST_F(DemoSearch, FiltersByObjectType) {
  const Answer sources =
      post(*ws_, "/v1/search", {{"filter", {{"property", "object"}, {"value", "data_source"}}}});
  ASSERT_EQ(sources.status, 200);
  std::vector<std::string> names = titles(sources.body);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Projects", "Tasks"}));
  EXPECT_EQ(sources.body["results"][0]["object"], "data_source");
  EXPECT_TRUE(sources.body["results"][0]["properties"].is_object());

  const Answer pages =
      post(*ws_, "/v1/search",
           {{"query", "projects"}, {"filter", {{"property", "object"}, {"value", "page"}}}});
  EXPECT_TRUE(pages.body["results"].empty());
}

TEST_F(DemoSearch, SortsAscendingWhenAsked) {
  const Answer a =
      post(*ws_, "/v1/search",
           {{"sort", {{"timestamp", "last_edited_time"}, {"direction", "ascending"}}}});
  ASSERT_EQ(a.status, 200);
  std::string previous;
  for (const Json& r : a.body["results"]) {
    EXPECT_GE(r["last_edited_time"].get<std::string>(), previous);
    previous = r["last_edited_time"];
  }
}

TEST_F(DemoSearch, PaginatesToTheEndWithoutRepeats) {
  std::set<std::string> seen;
  Json cursor = nullptr;
  int pages = 0;
  for (; pages < 100; ++pages) {
    Json body = {{"page_size", 10}};
    if (!cursor.is_null()) body["start_cursor"] = cursor;
    const Answer a = post(*ws_, "/v1/search", body);
    ASSERT_EQ(a.status, 200) << a.raw.body;
    EXPECT_LE(a.body["results"].size(), 10u);
    for (const Json& r : a.body["results"]) EXPECT_TRUE(seen.insert(r["id"]).second);
    if (!a.body["has_more"].get<bool>()) {
      EXPECT_TRUE(a.body["next_cursor"].is_null());
      break;
    }
    cursor = a.body["next_cursor"];
  }
  EXPECT_EQ(pages, 4);  // 47 results in pages of 10
  EXPECT_EQ(seen.size(), 47u);
}

TEST_F(DemoSearch, LeavesOutTrashedPages) {
  const Answer a = post(*ws_, "/v1/search", {{"query", "Offsite"}});
  EXPECT_TRUE(a.body["results"].empty());
  // It can still be read by id.
  const Answer page = get(*ws_, "/v1/pages/" + std::string(seed_ids::kTrashedPage));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body["in_trash"], true);
}

TEST_F(DemoSearch, RejectsBadRequests) {
  expect_error(
      post(*ws_, "/v1/search", {{"filter", {{"property", "object"}, {"value", "database"}}}}), 400,
      "validation_error");
  expect_error(post(*ws_, "/v1/search", {{"filter", {{"property", "title"}, {"value", "page"}}}}),
               400, "validation_error");
  expect_error(post(*ws_, "/v1/search",
                    {{"sort", {{"timestamp", "created_time"}, {"direction", "ascending"}}}}),
               400, "validation_error");
  expect_error(post(*ws_, "/v1/search", {{"query", 42}}), 400, "validation_error");
  const std::string message =
      expect_error(post(*ws_, "/v1/search", {{"page_size", 101}}), 400, "validation_error");
  EXPECT_EQ(message,
            "body failed validation: body.page_size should be less than or equal to `100`, "
            "instead was `101`.");
  expect_error(post(*ws_, "/v1/search", {{"page_size", 0}}), 400, "validation_error");
  expect_error(post(*ws_, "/v1/search", {{"start_cursor", "not-a-cursor"}}), 400,
               "validation_error");
}

}  // namespace
}  // namespace notion_mcp::demo

namespace notion_mcp::demo {
namespace {

using namespace testing;

TEST(DemoSearchTrash, PagesUnderATrashedPageAreHiddenToo) {
  auto ws = Workspace::seeded();
  ASSERT_EQ(patch(*ws, "/v1/pages/" + std::string(seed_ids::kEngineeringPracticesPage),
                  {{"in_trash", true}})
                .status,
            200);
  EXPECT_TRUE(post(*ws, "/v1/search", {{"query", "On-call runbook"}}).body["results"].empty());
  ASSERT_EQ(patch(*ws, "/v1/pages/" + std::string(seed_ids::kEngineeringPracticesPage),
                  {{"in_trash", false}})
                .status,
            200);
  EXPECT_EQ(post(*ws, "/v1/search", {{"query", "On-call runbook"}}).body["results"].size(), 1u);
}

}  // namespace
}  // namespace notion_mcp::demo
