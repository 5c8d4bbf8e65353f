// POST /v1/pages, PATCH /v1/pages/{id}, POST /v1/pages/{id}/move.
#include <gtest/gtest.h>

#include "demo/seed.h"
#include "demo/timestamps.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

constexpr int64_t kNow = 1777334400;  // 2026-04-28T00:00:00Z

class DemoPageWrites : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded(WorkspaceOptions{200, [] { return kNow; }});
  const std::string projects_ = std::string(seed_ids::kProjectsDataSource);
  const std::string tasks_ = std::string(seed_ids::kTasksDataSource);

  static Json text(const std::string& content) {
    return Json::array({{{"text", {{"content", content}}}}});
  }
};

TEST_F(DemoPageWrites, CreatesAPageUnderAPageWithBlocks) {
  const Answer a = post(
      *ws_, "/v1/pages",
      {{"parent", {{"page_id", seed_ids::kHandbookPage}}},
       {"properties", {{"title", {{"title", text("Parental leave")}}}}},
       {"icon", {{"type", "emoji"}, {"emoji", "🍼"}}},
       {"children",
        Json::array(
            {{{"object", "block"},
              {"type", "heading_2"},
              {"heading_2", {{"rich_text", text("How it works")}}}},
             {{"paragraph",
               {{"rich_text", Json::array({{{"text", {{"content", "Sixteen weeks"}}},
                                            {"annotations", {{"bold", true}}}},
                                           {{"text", {{"content", ", fully paid."}}}}})}}},
              {"children", Json::array({{{"paragraph", {{"rich_text", text("nested")}}}}})}}})}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  const Json& page = a.body;
  EXPECT_EQ(page["object"], "page");
  EXPECT_EQ(page["parent"], (Json{{"type", "page_id"}, {"page_id", seed_ids::kHandbookPage}}));
  EXPECT_EQ(page["properties"]["title"]["title"][0]["plain_text"], "Parental leave");
  EXPECT_EQ(page["icon"]["emoji"], "🍼");
  EXPECT_EQ(page["created_time"], format_timestamp(kNow));
  EXPECT_EQ(page["created_by"]["id"], seed_ids::kBotUser);
  EXPECT_EQ(page["url"].get<std::string>().rfind("https://www.notion.so/Parental-leave-", 0), 0u);
  const std::string id = page["id"];
  const std::string md = get(*ws_, "/v1/pages/" + id + "/markdown").body["markdown"];
  EXPECT_EQ(md, "## How it works\n**Sixteen weeks**, fully paid.\n\tnested");
  // It shows up in its parent's content and in search.
  const std::string parent_md =
      get(*ws_, "/v1/pages/" + std::string(seed_ids::kHandbookPage) + "/markdown").body["markdown"];
  EXPECT_NE(parent_md.find(">Parental leave</page>"), std::string::npos);
  EXPECT_EQ(titles(post(*ws_, "/v1/search", {{"query", "parental"}}).body),
            std::vector<std::string>{"Parental leave"});
}

TEST_F(DemoPageWrites, CreatesAPageFromMarkdownWithTheHeadingAsTitle) {
  const Answer a = post(*ws_, "/v1/pages",
                        {{"parent", {{"page_id", seed_ids::kHandbookPage}}},
                         {"markdown", "# Travel checklist\n- [ ] Passport\n- [ ] Charger"}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["properties"]["title"]["title"][0]["plain_text"], "Travel checklist");
  const std::string id = a.body["id"];
  EXPECT_EQ(get(*ws_, "/v1/pages/" + id + "/markdown").body["markdown"],
            "- [ ] Passport\n- [ ] Charger");
}

TEST_F(DemoPageWrites, CreatesADatabaseRowAndSyncsTheRelation) {
  const Answer a =
      post(*ws_, "/v1/pages",
           {{"parent", {{"type", "data_source_id"}, {"data_source_id", tasks_}}},
            {"properties",
             {{"Name", {{"title", text("Load test checkout")}}},
              {"Done", {{"checkbox", false}}},
              {"Priority", {{"select", {{"name", "Urgent"}}}}},
              {"Estimate", {{"number", 6}}},
              {"Project", {{"relation", Json::array({{{"id", seed_ids::kWebsiteRedesignRow}}})}}},
              {"Assignee", {{"people", Json::array({{{"id", seed_ids::kJonasUser}}})}}},
              {"Notes", {{"rich_text", text("Before launch")}}}}}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  const Json& props = a.body["properties"];
  EXPECT_EQ(a.body["parent"]["database_id"], seed_ids::kTasksDatabase);
  EXPECT_EQ(props["Priority"]["select"]["name"], "Urgent");
  EXPECT_EQ(props["Assignee"]["people"][0]["name"], "Jonas Weber");
  EXPECT_EQ(props["Estimate"]["number"], 6);
  // The new option joined the schema, and the project lists the new task.
  const Json schema = get(*ws_, "/v1/data_sources/" + tasks_).body;
  EXPECT_EQ(schema["properties"]["Priority"]["select"]["options"].size(), 4u);
  const Json project = get(*ws_, "/v1/pages/" + std::string(seed_ids::kWebsiteRedesignRow)).body;
  EXPECT_EQ(project["properties"]["Tasks"]["relation"].size(), 4u);
  EXPECT_EQ(project["properties"]["Tasks"]["relation"][3]["id"], a.body["id"]);
  // The row can be found by query.
  const Json found =
      post(*ws_, "/v1/data_sources/" + tasks_ + "/query",
           {{"filter", {{"property", "Priority"}, {"select", {{"equals", "Urgent"}}}}}})
          .body;
  EXPECT_EQ(titles(found), std::vector<std::string>{"Load test checkout"});
}

TEST_F(DemoPageWrites, CreateRejectsBadInput) {
  expect_error(post(*ws_, "/v1/pages", {{"properties", Json::object()}}), 400, "validation_error");
  expect_error(
      post(*ws_, "/v1/pages", {{"parent", {{"page_id", "00000000-0000-4000-8000-000000000000"}}}}),
      404, "object_not_found");
  expect_error(post(*ws_, "/v1/pages", {{"parent", {{"workspace", true}}}}), 400,
               "validation_error");
  EXPECT_EQ(expect_error(post(*ws_, "/v1/pages",
                              {{"parent", {{"data_source_id", tasks_}}},
                               {"properties", {{"Colour", {{"select", {{"name", "x"}}}}}}}}),
                         400, "validation_error"),
            "Colour is not a property that exists.");
  expect_error(post(*ws_, "/v1/pages",
                    {{"parent", {{"data_source_id", tasks_}}},
                     {"properties", {{"Estimate", {{"number", "six"}}}}}}),
               400, "validation_error");
  expect_error(post(*ws_, "/v1/pages",
                    {{"parent", {{"data_source_id", projects_}}},
                     {"properties", {{"Status", {{"status", {{"name", "Blocked"}}}}}}}}),
               400, "validation_error");
  expect_error(
      post(*ws_, "/v1/pages",
           {{"parent", {{"data_source_id", tasks_}}},
            {"properties",
             {{"Project", {{"relation", Json::array({{{"id", seed_ids::kHandbookPage}}})}}}}}}),
      400, "validation_error");
  expect_error(post(*ws_, "/v1/pages",
                    {{"parent", {{"page_id", seed_ids::kHandbookPage}}},
                     {"children", Json::array()},
                     {"markdown", "x"}}),
               400, "validation_error");
  expect_error(post(*ws_, "/v1/pages",
                    {{"parent", {{"page_id", seed_ids::kHandbookPage}}},
                     {"properties", {{"Status", {{"select", {{"name", "x"}}}}}}}}),
               400, "validation_error");
  // Nothing was created by the failed calls.
  EXPECT_EQ(
      post(*ws_, "/v1/data_sources/" + tasks_ + "/query", Json::object()).body["results"].size(),
      18u);
  EXPECT_EQ(get(*ws_, "/v1/data_sources/" + tasks_)
                .body["properties"]["Priority"]["select"]["options"]
                .size(),
            3u);
}

TEST_F(DemoPageWrites, UpdatesPropertiesIconAndCover) {
  const std::string row(seed_ids::kWebsiteRedesignRow);
  const Answer a = patch(
      *ws_, "/v1/pages/" + row,
      {{"properties",
        {{"Budget", {{"number", 52000.5}}},
         {"Status", {{"status", {{"name", "Done"}}}}},
         {"Tags", {{"multi_select", Json::array({{{"name", "Frontend"}}, {{"name", "Design"}}})}}},
         {"Due", {{"date", nullptr}}},
         {"Active", {{"checkbox", false}}}}},
       {"icon", {{"type", "emoji"}, {"emoji", "🌐"}}},
       {"cover",
        {{"type", "external"}, {"external", {{"url", "https://img.example/cover.png"}}}}}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  const Json& props = a.body["properties"];
  EXPECT_EQ(props["Budget"]["number"], 52000.5);
  EXPECT_EQ(props["Status"]["status"]["name"], "Done");
  EXPECT_EQ(props["Tags"]["multi_select"].size(), 2u);
  EXPECT_TRUE(props["Due"]["date"].is_null());
  EXPECT_EQ(props["Active"]["checkbox"], false);
  EXPECT_EQ(props["Name"]["title"][0]["plain_text"], "Website redesign");  // untouched
  EXPECT_EQ(a.body["icon"]["emoji"], "🌐");
  EXPECT_EQ(a.body["cover"]["external"]["url"], "https://img.example/cover.png");
  EXPECT_EQ(a.body["last_edited_time"], format_timestamp(kNow));
  EXPECT_EQ(a.body["last_edited_by"]["id"], seed_ids::kBotUser);
  EXPECT_EQ(props["Last edited"]["last_edited_time"], format_timestamp(kNow));
  // Removing the icon.
  EXPECT_TRUE(patch(*ws_, "/v1/pages/" + row, {{"icon", nullptr}}).body["icon"].is_null());
  expect_error(
      patch(*ws_, "/v1/pages/" + row, {{"properties", {{"Created", {{"created_time", "x"}}}}}}),
      400, "validation_error");
}

TEST_F(DemoPageWrites, RelationEditsUpdateTheOtherSide) {
  // Move "Accessibility audit" from the website project to the portal project.
  const Json tasks =
      post(*ws_, "/v1/data_sources/" + tasks_ + "/query",
           {{"filter", {{"property", "Name"}, {"title", {{"equals", "Accessibility audit"}}}}}})
          .body;
  const std::string task = tasks["results"][0]["id"];
  const Json portal =
      post(*ws_, "/v1/data_sources/" + projects_ + "/query",
           {{"filter", {{"property", "Name"}, {"title", {{"equals", "Customer portal"}}}}}})
          .body;
  const std::string portal_id = portal["results"][0]["id"];
  ASSERT_EQ(
      patch(*ws_, "/v1/pages/" + task,
            {{"properties", {{"Project", {{"relation", Json::array({{{"id", portal_id}}})}}}}}})
          .status,
      200);
  EXPECT_EQ(get(*ws_, "/v1/pages/" + std::string(seed_ids::kWebsiteRedesignRow))
                .body["properties"]["Tasks"]["relation"]
                .size(),
            2u);
  EXPECT_EQ(get(*ws_, "/v1/pages/" + portal_id).body["properties"]["Tasks"]["relation"].size(), 2u);
}

TEST_F(DemoPageWrites, TrashAndRestore) {
  const std::string page(seed_ids::kSecurityPolicyPage);
  const Answer trashed = patch(*ws_, "/v1/pages/" + page, {{"in_trash", true}});
  ASSERT_EQ(trashed.status, 200);
  EXPECT_EQ(trashed.body["in_trash"], true);
  EXPECT_TRUE(post(*ws_, "/v1/search", {{"query", "Security policy"}}).body["results"].empty());
  const std::string handbook =
      get(*ws_, "/v1/pages/" + std::string(seed_ids::kHandbookPage) + "/markdown").body["markdown"];
  EXPECT_EQ(handbook.find("Security policy</page>"), std::string::npos);
  expect_error(patch(*ws_, "/v1/pages/" + page, {{"icon", nullptr}}), 400, "validation_error");
  expect_error(patch(*ws_, "/v1/pages/" + page, {{"in_trash", "yes"}}), 400, "validation_error");
  ASSERT_EQ(patch(*ws_, "/v1/pages/" + page, {{"in_trash", false}}).status, 200);
  EXPECT_EQ(titles(post(*ws_, "/v1/search", {{"query", "Security policy"}}).body).size(), 1u);
  EXPECT_NE(get(*ws_, "/v1/pages/" + std::string(seed_ids::kHandbookPage) + "/markdown")
                .body["markdown"]
                .get<std::string>()
                .find("Security policy</page>"),
            std::string::npos);
}

TEST_F(DemoPageWrites, MovesPages) {
  const std::string page(seed_ids::kSecurityPolicyPage);
  const Answer a =
      post(*ws_, "/v1/pages/" + page + "/move",
           {{"parent", {{"type", "page_id"}, {"page_id", seed_ids::kProductEngineeringPage}}}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["parent"]["page_id"], seed_ids::kProductEngineeringPage);
  EXPECT_NE(get(*ws_, "/v1/pages/" + std::string(seed_ids::kProductEngineeringPage) + "/markdown")
                .body["markdown"]
                .get<std::string>()
                .find("Security policy</page>"),
            std::string::npos);
  EXPECT_EQ(get(*ws_, "/v1/pages/" + std::string(seed_ids::kHandbookPage) + "/markdown")
                .body["markdown"]
                .get<std::string>()
                .find("Security policy</page>"),
            std::string::npos);
  // Into a data source: the title becomes the Name property.
  const Answer row = post(*ws_, "/v1/pages/" + page + "/move",
                          {{"parent", {{"type", "data_source_id"}, {"data_source_id", tasks_}}}});
  ASSERT_EQ(row.status, 200) << row.raw.body;
  EXPECT_EQ(row.body["properties"]["Name"]["title"][0]["plain_text"], "Security policy");
  EXPECT_EQ(row.body["properties"]["Done"]["checkbox"], false);
  // Never into itself.
  expect_error(post(*ws_, "/v1/pages/" + std::string(seed_ids::kHandbookPage) + "/move",
                    {{"parent", {{"page_id", seed_ids::kOnboardingPage}}}}),
               400, "validation_error");
  expect_error(post(*ws_, "/v1/pages/" + page + "/move", Json::object()), 400, "validation_error");
}

}  // namespace
}  // namespace notion_mcp::demo
