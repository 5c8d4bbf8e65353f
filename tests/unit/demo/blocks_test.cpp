// GET /v1/blocks/{id} and GET /v1/blocks/{id}/children.
#include <gtest/gtest.h>

#include <set>

#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoBlocks : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
};

TEST_F(DemoBlocks, ChildrenOfAPageInOrder) {
  const Answer a = get(*ws_, "/v1/blocks/" + std::string(seed_ids::kHandbookPage) + "/children");
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["object"], "list");
  EXPECT_EQ(a.body["type"], "block");
  EXPECT_TRUE(a.body["block"].is_object());
  const Json& results = a.body["results"];
  ASSERT_GT(results.size(), 5u);
  const Json& callout = results[0];
  EXPECT_EQ(callout["object"], "block");
  EXPECT_EQ(callout["type"], "callout");
  EXPECT_EQ(callout["callout"]["icon"]["emoji"], "👋");
  EXPECT_EQ(callout["parent"], (Json{{"type", "page_id"}, {"page_id", seed_ids::kHandbookPage}}));
  EXPECT_EQ(callout["has_children"], false);
  EXPECT_EQ(callout["in_trash"], false);
  EXPECT_TRUE(callout.contains("created_time"));
  EXPECT_TRUE(callout.contains("last_edited_by"));
  EXPECT_EQ(results[1]["type"], "heading_2");
  EXPECT_EQ(results[2]["type"], "child_page");
  EXPECT_EQ(results[2]["id"], seed_ids::kOnboardingPage);
  EXPECT_EQ(results[2]["child_page"]["title"], "Onboarding");
  EXPECT_EQ(results[2]["has_children"], true);
  // The trashed child page is not listed.
  for (const Json& block : results) EXPECT_NE(block["id"], seed_ids::kTrashedPage);
}

TEST_F(DemoBlocks, PaginatesChildrenToTheEnd) {
  const std::string base = "/v1/blocks/" + std::string(seed_ids::kMeetingNotesPage) + "/children";
  const size_t total = get(*ws_, base).body["results"].size();
  std::set<std::string> seen;
  std::string cursor;
  int calls = 0;
  for (; calls < 50; ++calls) {
    const Answer a =
        get(*ws_, base + "?page_size=7" + (cursor.empty() ? "" : "&start_cursor=" + cursor));
    ASSERT_EQ(a.status, 200) << a.raw.body;
    for (const Json& b : a.body["results"]) EXPECT_TRUE(seen.insert(b["id"]).second);
    if (!a.body["has_more"].get<bool>()) break;
    cursor = a.body["next_cursor"];
    EXPECT_EQ(cursor.size(), 36u);
  }
  EXPECT_EQ(seen.size(), total);
  EXPECT_EQ(calls + 1, static_cast<int>((total + 6) / 7));
}

TEST_F(DemoBlocks, NestedChildrenAndSingleBlocks) {
  const Json top =
      get(*ws_, "/v1/blocks/" + std::string(seed_ids::kOnboardingPage) + "/children").body;
  std::string toggle_id;
  for (const Json& b : top["results"]) {
    if (b["type"] == "toggle") toggle_id = b["id"];
  }
  ASSERT_FALSE(toggle_id.empty());
  const Answer toggle = get(*ws_, "/v1/blocks/" + toggle_id);
  ASSERT_EQ(toggle.status, 200);
  EXPECT_EQ(toggle.body["has_children"], true);
  EXPECT_EQ(toggle.body["toggle"]["rich_text"][0]["plain_text"], "What if I get stuck?");
  const Answer kids = get(*ws_, "/v1/blocks/" + toggle_id + "/children");
  ASSERT_EQ(kids.body["results"].size(), 2u);
  EXPECT_EQ(kids.body["results"][0]["parent"],
            (Json{{"type", "block_id"}, {"block_id", toggle_id}}));
  EXPECT_EQ(kids.body["results"][1]["paragraph"]["rich_text"][1]["href"],
            "https://it.acme.example/new");
}

TEST_F(DemoBlocks, APageIsAChildPageBlock) {
  const Answer a = get(*ws_, "/v1/blocks/" + std::string(seed_ids::kSecurityPolicyPage));
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["type"], "child_page");
  EXPECT_EQ(a.body["child_page"]["title"], "Security policy");
  const Answer db = get(*ws_, "/v1/blocks/" + std::string(seed_ids::kProjectsDatabase));
  EXPECT_EQ(db.body["type"], "child_database");
  EXPECT_EQ(db.body["child_database"]["title"], "Projects");
}

TEST_F(DemoBlocks, Errors) {
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  const std::string message =
      expect_error(get(*ws_, "/v1/blocks/" + missing), 404, "object_not_found");
  EXPECT_EQ(message.rfind("Could not find block with ID: " + missing, 0), 0u);
  expect_error(get(*ws_, "/v1/blocks/" + missing + "/children"), 404, "object_not_found");
  expect_error(get(*ws_, "/v1/blocks/xyz/children"), 400, "validation_error");
  expect_error(
      get(*ws_, "/v1/blocks/" + std::string(seed_ids::kHandbookPage) + "/children?page_size=500"),
      400, "validation_error");
  expect_error(
      get(*ws_, "/v1/blocks/" + std::string(seed_ids::kHandbookPage) + "/children?page_size=ten"),
      400, "validation_error");
}

}  // namespace
}  // namespace notion_mcp::demo
