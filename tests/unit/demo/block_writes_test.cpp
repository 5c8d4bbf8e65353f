// PATCH /v1/blocks/{id}/children, PATCH /v1/blocks/{id}, DELETE /v1/blocks/{id}.
#include <gtest/gtest.h>

#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoBlockWrites : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
  const std::string page_ = std::string(seed_ids::kSecurityPolicyPage);

  static Json paragraph(const std::string& content) {
    return Json{{"type", "paragraph"},
                {"paragraph", {{"rich_text", Json::array({{{"text", {{"content", content}}}}})}}}};
  }

  Json children(const std::string& id) {
    return get(*ws_, "/v1/blocks/" + id + "/children").body["results"];
  }
};

TEST_F(DemoBlockWrites, AppendsAtTheEndByDefault) {
  const Answer a = patch(*ws_, "/v1/blocks/" + page_ + "/children",
                         {{"children", Json::array({paragraph("last one"), paragraph("really")})}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["object"], "list");
  EXPECT_EQ(a.body["type"], "block");
  ASSERT_EQ(a.body["results"].size(), 2u);
  EXPECT_EQ(a.body["results"][0]["paragraph"]["rich_text"][0]["plain_text"], "last one");
  EXPECT_EQ(a.body["results"][0]["parent"], (Json{{"type", "page_id"}, {"page_id", page_}}));
  const Json kids = children(page_);
  EXPECT_EQ(kids[kids.size() - 1]["id"], a.body["results"][1]["id"]);
  // The page counts as edited.
  EXPECT_EQ(get(*ws_, "/v1/pages/" + page_).body["last_edited_by"]["id"], seed_ids::kBotUser);
}

TEST_F(DemoBlockWrites, AppendsAtStartOrAfterABlock) {
  const Json before = children(page_);
  ASSERT_EQ(
      patch(*ws_, "/v1/blocks/" + page_ + "/children",
            {{"children", Json::array({paragraph("first")})}, {"position", {{"type", "start"}}}})
          .status,
      200);
  EXPECT_EQ(children(page_)[0]["paragraph"]["rich_text"][0]["plain_text"], "first");
  const std::string anchor = before[1]["id"];
  ASSERT_EQ(patch(*ws_, "/v1/blocks/" + page_ + "/children",
                  {{"children", Json::array({paragraph("after anchor")})},
                   {"position", {{"type", "after_block"}, {"after_block", {{"id", anchor}}}}}})
                .status,
            200);
  const Json kids = children(page_);
  EXPECT_EQ(kids[2]["id"], anchor);
  EXPECT_EQ(kids[3]["paragraph"]["rich_text"][0]["plain_text"], "after anchor");
  // The older `after` parameter works too.
  ASSERT_EQ(patch(*ws_, "/v1/blocks/" + page_ + "/children",
                  {{"children", Json::array({paragraph("legacy")})}, {"after", anchor}})
                .status,
            200);
  EXPECT_EQ(children(page_)[3]["paragraph"]["rich_text"][0]["plain_text"], "legacy");
  expect_error(
      patch(*ws_, "/v1/blocks/" + page_ + "/children",
            {{"children", Json::array({paragraph("x")})},
             {"position",
              {{"type", "after_block"}, {"after_block", {{"id", seed_ids::kHandbookPage}}}}}}),
      400, "validation_error");
}

TEST_F(DemoBlockWrites, AppendsUnderABlockAndChecksNesting) {
  const Json kids = children(page_);
  std::string bullet;
  for (const Json& b : kids) {
    if (b["type"] == "bulleted_list_item" && bullet.empty()) bullet = b["id"];
  }
  Json deep = paragraph("level 0");
  deep["paragraph"]["children"] = Json::array({paragraph("level 1")});
  deep["paragraph"]["children"][0]["children"] = Json::array({paragraph("level 2")});
  const Answer ok =
      patch(*ws_, "/v1/blocks/" + bullet + "/children", {{"children", Json::array({deep})}});
  ASSERT_EQ(ok.status, 200) << ok.raw.body;
  EXPECT_EQ(ok.body["results"][0]["has_children"], true);
  deep["paragraph"]["children"][0]["children"][0]["children"] = Json::array({paragraph("level 3")});
  const std::string message = expect_error(
      patch(*ws_, "/v1/blocks/" + bullet + "/children", {{"children", Json::array({deep})}}), 400,
      "validation_error");
  EXPECT_NE(message.find("two levels"), std::string::npos);
}

TEST_F(DemoBlockWrites, AppendRejectsBadInput) {
  Json many = Json::array();
  for (int i = 0; i < 101; ++i) many.push_back(paragraph("p"));
  EXPECT_EQ(expect_error(patch(*ws_, "/v1/blocks/" + page_ + "/children", {{"children", many}}),
                         400, "validation_error"),
            "body failed validation: body.children.length should be ≤ `100`, instead was `101`.");
  expect_error(patch(*ws_, "/v1/blocks/" + page_ + "/children", Json::object()), 400,
               "validation_error");
  expect_error(
      patch(*ws_, "/v1/blocks/" + page_ + "/children",
            {{"children", Json::array({{{"type", "hologram"}, {"hologram", Json::object()}}})}}),
      400, "validation_error");
  expect_error(
      patch(*ws_, "/v1/blocks/" + page_ + "/children",
            {{"children", Json::array({{{"type", "paragraph"}, {"paragraph", Json::object()}}})}}),
      400, "validation_error");
  Json long_text = paragraph(std::string(2001, 'x'));
  expect_error(
      patch(*ws_, "/v1/blocks/" + page_ + "/children", {{"children", Json::array({long_text})}}),
      400, "validation_error");
  // A divider takes no children.
  std::string divider;
  for (const Json& b : children(std::string(seed_ids::kHandbookPage))) {
    if (b["type"] == "divider") divider = b["id"];
  }
  expect_error(patch(*ws_, "/v1/blocks/" + divider + "/children",
                     {{"children", Json::array({paragraph("x")})}}),
               400, "validation_error");
}

TEST_F(DemoBlockWrites, UpdatesABlock) {
  std::string todo;
  for (const Json& b : children(std::string(seed_ids::kOnboardingPage))) {
    if (b["type"] == "to_do" && todo.empty()) todo = b["id"];
  }
  const Answer a = patch(
      *ws_, "/v1/blocks/" + todo,
      {{"to_do",
        {{"checked", false}, {"rich_text", Json::array({{{"text", {{"content", "Sign it"}}}}})}}}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["to_do"]["checked"], false);
  EXPECT_EQ(a.body["to_do"]["rich_text"][0]["plain_text"], "Sign it");
  EXPECT_EQ(a.body["to_do"]["color"], "default");
  expect_error(patch(*ws_, "/v1/blocks/" + todo, {{"paragraph", {{"rich_text", Json::array()}}}}),
               400, "validation_error");
  expect_error(patch(*ws_, "/v1/blocks/" + todo, {{"to_do", {{"checked", "yes"}}}}), 400,
               "validation_error");
}

TEST_F(DemoBlockWrites, DeletesAndRestoresBlocks) {
  const Json kids = children(page_);
  const std::string first = kids[0]["id"];
  const Answer deleted = call(*ws_, "DELETE", "/v1/blocks/" + first);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body["in_trash"], true);
  EXPECT_EQ(children(page_).size(), kids.size() - 1);
  EXPECT_EQ(get(*ws_, "/v1/blocks/" + first).body["in_trash"], true);  // still readable
  expect_error(patch(*ws_, "/v1/blocks/" + first, {{"paragraph", {{"rich_text", Json::array()}}}}),
               400, "validation_error");
  ASSERT_EQ(patch(*ws_, "/v1/blocks/" + first, {{"in_trash", false}}).status, 200);
  EXPECT_EQ(children(page_).size(), kids.size());
  // Deleting a child page block trashes the page.
  ASSERT_EQ(call(*ws_, "DELETE", "/v1/blocks/" + std::string(seed_ids::kOnboardingPage)).status,
            200);
  EXPECT_EQ(get(*ws_, "/v1/pages/" + std::string(seed_ids::kOnboardingPage)).body["in_trash"],
            true);
  expect_error(call(*ws_, "DELETE", "/v1/blocks/00000000-0000-4000-8000-000000000000"), 404,
               "object_not_found");
}

}  // namespace
}  // namespace notion_mcp::demo
