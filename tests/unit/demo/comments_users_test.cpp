// GET /v1/comments, /v1/users, /v1/users/{id}, /v1/users/me.
#include <gtest/gtest.h>

#include "demo/ids.h"
#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoCommentsUsers : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
};

TEST_F(DemoCommentsUsers, CommentsOnAPage) {
  const Answer a = get(*ws_, "/v1/comments?block_id=" + compact_id(seed_ids::kSecurityPolicyPage));
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["type"], "comment");
  EXPECT_TRUE(a.body["comment"].is_object());
  const Json& results = a.body["results"];
  ASSERT_EQ(results.size(), 3u);
  const Json& first = results[0];
  EXPECT_EQ(first["object"], "comment");
  EXPECT_EQ(first["parent"],
            (Json{{"type", "page_id"}, {"page_id", seed_ids::kSecurityPolicyPage}}));
  EXPECT_EQ(first["created_by"], (Json{{"object", "user"}, {"id", seed_ids::kJonasUser}}));
  EXPECT_EQ(first["rich_text"][1]["plain_text"], "next week");
  EXPECT_EQ(first["rich_text"][1]["annotations"]["bold"], true);
  EXPECT_EQ(first["display_name"]["resolved_name"], "Jonas Weber");
  EXPECT_EQ(first["discussion_id"], results[1]["discussion_id"]);  // a reply
  EXPECT_NE(first["discussion_id"], results[2]["discussion_id"]);
  EXPECT_LE(first["created_time"].get<std::string>(),
            results[1]["created_time"].get<std::string>());
}

TEST_F(DemoCommentsUsers, CommentsPaginateAndBlocksHaveTheirOwn) {
  const std::string base = "/v1/comments?block_id=" + std::string(seed_ids::kSecurityPolicyPage);
  const Answer one = get(*ws_, base + "&page_size=2");
  ASSERT_EQ(one.body["results"].size(), 2u);
  ASSERT_EQ(one.body["has_more"], true);
  const Answer two =
      get(*ws_, base + "&page_size=2&start_cursor=" + one.body["next_cursor"].get<std::string>());
  ASSERT_EQ(two.body["results"].size(), 1u);
  EXPECT_EQ(two.body["has_more"], false);

  const Json blocks =
      get(*ws_, "/v1/blocks/" + std::string(seed_ids::kEngineeringPracticesPage) + "/children")
          .body;
  const std::string first_block = blocks["results"][0]["id"];
  const Answer on_block = get(*ws_, "/v1/comments?block_id=" + first_block);
  ASSERT_EQ(on_block.body["results"].size(), 1u);
  EXPECT_EQ(on_block.body["results"][0]["parent"],
            (Json{{"type", "block_id"}, {"block_id", first_block}}));
  // A page without comments.
  EXPECT_TRUE(get(*ws_, "/v1/comments?block_id=" + std::string(seed_ids::kHandbookPage))
                  .body["results"]
                  .empty());
}

TEST_F(DemoCommentsUsers, CommentErrors) {
  expect_error(get(*ws_, "/v1/comments"), 400, "validation_error");
  expect_error(get(*ws_, "/v1/comments?block_id=nope"), 400, "validation_error");
  expect_error(get(*ws_, "/v1/comments?block_id=00000000-0000-4000-8000-000000000000"), 404,
               "object_not_found");
}

TEST_F(DemoCommentsUsers, ListsUsers) {
  const Answer a = get(*ws_, "/v1/users");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["type"], "user");
  ASSERT_EQ(a.body["results"].size(), 4u);
  int people = 0;
  for (const Json& u : a.body["results"]) {
    EXPECT_EQ(u["object"], "user");
    if (u["type"] == "person") {
      ++people;
      EXPECT_NE(u["person"]["email"].get<std::string>().find("@acme.example"), std::string::npos);
    }
  }
  EXPECT_EQ(people, 3);
  const Answer page = get(*ws_, "/v1/users?page_size=3");
  EXPECT_EQ(page.body["results"].size(), 3u);
  const Answer rest = get(
      *ws_, "/v1/users?page_size=3&start_cursor=" + page.body["next_cursor"].get<std::string>());
  EXPECT_EQ(rest.body["results"].size(), 1u);
  EXPECT_EQ(rest.body["has_more"], false);
}

TEST_F(DemoCommentsUsers, OneUserAndTheBot) {
  const Answer maya = get(*ws_, "/v1/users/" + compact_id(seed_ids::kMayaUser));
  ASSERT_EQ(maya.status, 200);
  EXPECT_EQ(maya.body["name"], "Maya Chen");
  EXPECT_EQ(maya.body["avatar_url"], "https://avatars.acme.example/maya-chen.png");
  const Answer me = get(*ws_, "/v1/users/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.body["id"], seed_ids::kBotUser);
  EXPECT_EQ(me.body["type"], "bot");
  EXPECT_EQ(me.body["name"], "Acme Demo Integration");
  EXPECT_EQ(me.body["bot"]["workspace_name"], "Acme Inc. (demo)");
  EXPECT_EQ(me.body["bot"]["owner"], (Json{{"type", "workspace"}, {"workspace", true}}));
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(expect_error(get(*ws_, "/v1/users/" + missing), 404, "object_not_found")
                .rfind("Could not find user with ID: " + missing, 0),
            0u);
  expect_error(get(*ws_, "/v1/users/maya"), 400, "validation_error");
}

}  // namespace
}  // namespace notion_mcp::demo
