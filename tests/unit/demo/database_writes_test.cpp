// POST /v1/databases, PATCH /v1/databases/{id}, PATCH /v1/data_sources/{id}, POST /v1/comments.
#include <gtest/gtest.h>

#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoDatabaseWrites : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
  const std::string projects_ = "/v1/data_sources/" + std::string(seed_ids::kProjectsDataSource);

  static Json text(const std::string& content) {
    return Json::array({{{"text", {{"content", content}}}}});
  }
};

TEST_F(DemoDatabaseWrites, CreatesADatabaseWithItsDataSource) {
  const Answer a = post(
      *ws_, "/v1/databases",
      {{"parent", {{"type", "page_id"}, {"page_id", seed_ids::kProductEngineeringPage}}},
       {"title", text("Incidents")},
       {"icon", {{"type", "emoji"}, {"emoji", "🔥"}}},
       {"initial_data_source",
        {{"properties",
          {{"Summary", {{"title", Json::object()}}},
           {"Severity",
            {{"select",
              {{"options",
                Json::array({{{"name", "SEV1"}, {"color", "red"}}, {{"name", "SEV2"}}})}}}}},
           {"Cost", {{"number", {{"format", "euro"}}}}},
           {"Resolved", {{"checkbox", Json::object()}}},
           {"Project", {{"relation", {{"data_source_id", seed_ids::kProjectsDataSource}}}}}}}}}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["object"], "database");
  EXPECT_EQ(a.body["title"][0]["plain_text"], "Incidents");
  ASSERT_EQ(a.body["data_sources"].size(), 1u);
  const std::string ds = a.body["data_sources"][0]["id"];
  const Json source = get(*ws_, "/v1/data_sources/" + ds).body;
  EXPECT_EQ(source["properties"]["Summary"]["id"], "title");
  EXPECT_EQ(source["properties"]["Severity"]["select"]["options"][0]["color"], "red");
  EXPECT_EQ(source["properties"]["Severity"]["select"]["options"][1]["color"], "default");
  EXPECT_EQ(source["properties"]["Cost"]["number"]["format"], "euro");
  EXPECT_EQ(source["properties"]["Project"]["relation"]["database_id"],
            seed_ids::kProjectsDatabase);
  // Rows can be added and queried right away.
  ASSERT_EQ(post(*ws_, "/v1/pages",
                 {{"parent", {{"data_source_id", ds}}},
                  {"properties",
                   {{"Summary", {{"title", text("API outage")}}},
                    {"Severity", {{"select", {{"name", "SEV1"}}}}}}}})
                .status,
            200);
  EXPECT_EQ(titles(post(*ws_, "/v1/data_sources/" + ds + "/query", Json::object()).body),
            std::vector<std::string>{"API outage"});
  // The hub page lists it, and search finds the data source.
  EXPECT_NE(get(*ws_, "/v1/pages/" + std::string(seed_ids::kProductEngineeringPage) + "/markdown")
                .body["markdown"]
                .get<std::string>()
                .find(">Incidents</database>"),
            std::string::npos);
  EXPECT_EQ(titles(post(*ws_, "/v1/search",
                        {{"query", "incidents"},
                         {"filter", {{"property", "object"}, {"value", "data_source"}}}})
                       .body),
            std::vector<std::string>{"Incidents"});
}

TEST_F(DemoDatabaseWrites, CreateDatabaseErrors) {
  expect_error(
      post(*ws_, "/v1/databases",
           {{"parent", {{"page_id", seed_ids::kHandbookPage}}},
            {"initial_data_source", {{"properties", {{"A", {{"rich_text", Json::object()}}}}}}}}),
      400, "validation_error");
  expect_error(
      post(*ws_, "/v1/databases",
           {{"parent", {{"page_id", seed_ids::kHandbookPage}}},
            {"initial_data_source", {{"properties", {{"A", {{"hologram", Json::object()}}}}}}}}),
      400, "validation_error");
  expect_error(post(*ws_, "/v1/databases", {{"title", text("x")}}), 400, "validation_error");
}

TEST_F(DemoDatabaseWrites, UpdatesTheSchemaAndTheRows) {
  const Answer a =
      patch(*ws_, projects_,
            {{"title", text("All projects")},
             {"properties",
              {{"Budget", {{"name", "Budget (USD)"}}},
               {"Spec", nullptr},
               {"Risk", {{"select", {{"options", Json::array({{{"name", "Low"}}})}}}}}}}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  const Json& props = a.body["properties"];
  EXPECT_TRUE(props.contains("Budget (USD)"));
  EXPECT_FALSE(props.contains("Budget"));
  EXPECT_EQ(props["Budget (USD)"]["id"], "Bg%40t");  // the id survives a rename
  EXPECT_FALSE(props.contains("Spec"));
  EXPECT_EQ(props["Risk"]["type"], "select");
  EXPECT_EQ(a.body["title"][0]["plain_text"], "All projects");
  const Json row = get(*ws_, "/v1/pages/" + std::string(seed_ids::kWebsiteRedesignRow)).body;
  EXPECT_EQ(row["properties"]["Budget (USD)"]["number"], 48000);
  EXPECT_FALSE(row["properties"].contains("Spec"));
  EXPECT_TRUE(row["properties"]["Risk"]["select"].is_null());
  // Queries use the new name.
  EXPECT_EQ(
      post(*ws_, projects_ + "/query",
           {{"filter", {{"property", "Budget (USD)"}, {"number", {{"greater_than", 100000}}}}}})
          .body["results"]
          .size(),
      1u);
  expect_error(patch(*ws_, projects_, {{"properties", {{"Name", nullptr}}}}), 400,
               "validation_error");
  expect_error(patch(*ws_, projects_, {{"properties", {{"Nope", nullptr}}}}), 400,
               "validation_error");
  expect_error(patch(*ws_, projects_, {{"properties", {{"Active", {{"name", "Status"}}}}}}), 400,
               "validation_error");
}

TEST_F(DemoDatabaseWrites, UpdatesADatabase) {
  const Answer a = patch(*ws_, "/v1/databases/" + std::string(seed_ids::kTasksDatabase),
                         {{"title", text("Work items")}, {"is_inline", true}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["title"][0]["plain_text"], "Work items");
  EXPECT_EQ(a.body["is_inline"], true);
}

TEST_F(DemoDatabaseWrites, CreatesCommentsAndReplies) {
  const std::string page(seed_ids::kHandbookPage);
  const Answer a = post(*ws_, "/v1/comments",
                        {{"parent", {{"page_id", page}}}, {"rich_text", text("Looks great!")}});
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["object"], "comment");
  EXPECT_EQ(a.body["created_by"]["id"], seed_ids::kBotUser);
  EXPECT_EQ(a.body["display_name"]["type"], "integration");
  const Answer reply =
      post(*ws_, "/v1/comments",
           {{"discussion_id", a.body["discussion_id"]}, {"rich_text", text("Agreed.")}});
  ASSERT_EQ(reply.status, 200) << reply.raw.body;
  EXPECT_EQ(reply.body["discussion_id"], a.body["discussion_id"]);
  const Json listed = get(*ws_, "/v1/comments?block_id=" + page).body;
  ASSERT_EQ(listed["results"].size(), 2u);
  EXPECT_EQ(listed["results"][1]["rich_text"][0]["plain_text"], "Agreed.");
  expect_error(post(*ws_, "/v1/comments", {{"rich_text", text("x")}}), 400, "validation_error");
  expect_error(post(*ws_, "/v1/comments", {{"parent", {{"page_id", page}}}}), 400,
               "validation_error");
  expect_error(
      post(*ws_, "/v1/comments",
           {{"discussion_id", "00000000-0000-4000-8000-000000000000"}, {"rich_text", text("x")}}),
      404, "object_not_found");
}

}  // namespace
}  // namespace notion_mcp::demo
