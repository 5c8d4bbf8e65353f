// GET /v1/databases/{id}, GET /v1/data_sources/{id} and POST /v1/data_sources/{id}/query.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoDatabases : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
  const std::string projects_ = "/v1/data_sources/" + std::string(seed_ids::kProjectsDataSource);
  const std::string tasks_ = "/v1/data_sources/" + std::string(seed_ids::kTasksDataSource);

  // Names of the matching Projects rows, sorted, for order-insensitive comparisons.
  std::vector<std::string> projects_matching(const Json& filter) {
    const Answer a = post(*ws_, projects_ + "/query", {{"filter", filter}});
    EXPECT_EQ(a.status, 200) << a.raw.body;
    std::vector<std::string> names = titles(a.body);
    std::sort(names.begin(), names.end());
    return names;
  }

  std::vector<std::string> ordered(const Json& sorts) {
    const Answer a = post(*ws_, projects_ + "/query", {{"sorts", sorts}});
    EXPECT_EQ(a.status, 200) << a.raw.body;
    return titles(a.body);
  }
};

using Names = std::vector<std::string>;

TEST_F(DemoDatabases, DatabaseListsItsDataSources) {
  const Answer a = get(*ws_, "/v1/databases/" + std::string(seed_ids::kProjectsDatabase));
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["object"], "database");
  EXPECT_EQ(a.body["title"][0]["plain_text"], "Projects");
  EXPECT_EQ(a.body["data_sources"],
            Json::array({{{"id", seed_ids::kProjectsDataSource}, {"name", "Projects"}}}));
  EXPECT_EQ(a.body["parent"],
            (Json{{"type", "page_id"}, {"page_id", seed_ids::kProductEngineeringPage}}));
  EXPECT_EQ(a.body["is_inline"], false);
  EXPECT_EQ(a.body["in_trash"], false);
  EXPECT_EQ(a.body["url"], "https://www.notion.so/6a8c0e2f4b6d4f8a8c0e2a4b6d8f0a1b");
  EXPECT_FALSE(a.body.contains("properties"));  // the schema lives on the data source
  expect_error(get(*ws_, "/v1/databases/" + std::string(seed_ids::kProjectsDataSource)), 404,
               "object_not_found");
}

TEST_F(DemoDatabases, DataSourceHasTheSchema) {
  const Answer a = get(*ws_, projects_);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["object"], "data_source");
  EXPECT_EQ(a.body["parent"],
            (Json{{"type", "database_id"}, {"database_id", seed_ids::kProjectsDatabase}}));
  EXPECT_EQ(a.body["database_parent"],
            (Json{{"type", "page_id"}, {"page_id", seed_ids::kProductEngineeringPage}}));
  const Json& props = a.body["properties"];
  const std::map<std::string, std::string> types = {
      {"Name", "title"},      {"Status", "status"},        {"Owner", "people"},
      {"Due", "date"},        {"Budget", "number"},        {"Tags", "multi_select"},
      {"Active", "checkbox"}, {"Tasks", "relation"},       {"Spec", "url"},
      {"Contact", "email"},   {"Created", "created_time"}, {"Last edited", "last_edited_time"}};
  EXPECT_EQ(props.size(), types.size());
  for (const auto& [name, type] : types) {
    ASSERT_TRUE(props.contains(name)) << name;
    EXPECT_EQ(props[name]["type"], type);
    EXPECT_EQ(props[name]["name"], name);
    EXPECT_TRUE(props[name].contains(type)) << name;
  }
  EXPECT_EQ(props["Status"]["status"]["options"].size(), 3u);
  EXPECT_EQ(props["Status"]["status"]["groups"].size(), 3u);
  EXPECT_EQ(props["Budget"]["number"]["format"], "dollar");
  EXPECT_EQ(props["Tasks"]["relation"]["data_source_id"], seed_ids::kTasksDataSource);
  EXPECT_EQ(props["Tasks"]["relation"]["dual_property"]["synced_property_name"], "Project");
  // Asking for a database id here says which data source to use.
  const std::string message =
      expect_error(get(*ws_, "/v1/data_sources/" + std::string(seed_ids::kProjectsDatabase)), 404,
                   "object_not_found");
  EXPECT_NE(message.find(seed_ids::kProjectsDataSource), std::string::npos);
}

TEST_F(DemoDatabases, QueryWithoutFilterReturnsEveryRow) {
  const Answer a = post(*ws_, projects_ + "/query", Json::object());
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["type"], "page_or_data_source");
  EXPECT_EQ(a.body["results"].size(), 10u);
  EXPECT_EQ(a.body["results"][0]["object"], "page");
  EXPECT_EQ(post(*ws_, tasks_ + "/query", Json::object()).body["results"].size(), 18u);
  // An empty body works too.
  EXPECT_EQ(call(*ws_, "POST", projects_ + "/query").status, 200);
}

TEST_F(DemoDatabases, TextFilters) {
  EXPECT_EQ(projects_matching({{"property", "Name"}, {"title", {{"contains", "SYSTEM"}}}}),
            Names{"Design system"});
  EXPECT_EQ(projects_matching({{"property", "Name"}, {"title", {{"equals", "customer portal"}}}}),
            Names{"Customer portal"});
  EXPECT_EQ(projects_matching({{"property", "Name"}, {"rich_text", {{"starts_with", "Data"}}}}),
            Names{"Data warehouse migration"});
  EXPECT_EQ(projects_matching({{"property", "title"}, {"title", {{"ends_with", "audit"}}}}),
            Names{"SOC 2 Type II audit"});
  EXPECT_EQ(projects_matching({{"property", "Name"}, {"title", {{"does_not_contain", "a"}}}}),
            (Names{"Design system", "Incident tooling", "Website redesign"}));
  EXPECT_EQ(projects_matching({{"property", "Spec"}, {"url", {{"is_not_empty", true}}}}).size(),
            4u);
  EXPECT_EQ(projects_matching({{"property", "Contact"}, {"email", {{"is_empty", true}}}}).size(),
            6u);
  // rich_text on Tasks.Notes
  const Answer notes =
      post(*ws_, tasks_ + "/query",
           {{"filter", {{"property", "Notes"}, {"rich_text", {{"is_empty", true}}}}}});
  EXPECT_EQ(notes.body["results"].size(), 9u);
}

TEST_F(DemoDatabases, NumberFilters) {
  EXPECT_EQ(
      projects_matching({{"property", "Budget"}, {"number", {{"greater_than", 50000}}}}),
      (Names{"Billing revamp", "Customer portal", "Data warehouse migration", "Mobile app v2"}));
  EXPECT_EQ(projects_matching({{"property", "Budget"}, {"number", {{"less_than", 10000}}}}),
            Names{"Kubernetes upgrade"});
  EXPECT_EQ(projects_matching({{"property", "Budget"}, {"number", {{"equals", 35000}}}}),
            Names{"SOC 2 Type II audit"});
  EXPECT_EQ(projects_matching(
                {{"property", "Budget"}, {"number", {{"greater_than_or_equal_to", 90000}}}}),
            (Names{"Billing revamp", "Mobile app v2"}));
  EXPECT_EQ(
      projects_matching({{"property", "Budget"}, {"number", {{"less_than_or_equal_to", 15000}}}}),
      (Names{"Incident tooling", "Kubernetes upgrade"}));
  EXPECT_EQ(projects_matching({{"property", "Budget"}, {"number", {{"is_empty", true}}}}),
            Names{"Search relevance"});
  EXPECT_EQ(
      projects_matching({{"property", "Budget"}, {"number", {{"does_not_equal", 35000}}}}).size(),
      9u);
}

TEST_F(DemoDatabases, CheckboxSelectAndStatusFilters) {
  EXPECT_EQ(projects_matching({{"property", "Active"}, {"checkbox", {{"equals", false}}}}),
            (Names{"Customer portal", "Design system", "Incident tooling", "Kubernetes upgrade"}));
  EXPECT_EQ(
      projects_matching({{"property", "Active"}, {"checkbox", {{"does_not_equal", false}}}}).size(),
      6u);
  EXPECT_EQ(projects_matching({{"property", "Status"}, {"status", {{"equals", "Done"}}}}),
            (Names{"Customer portal", "Design system", "Kubernetes upgrade"}));
  EXPECT_EQ(
      projects_matching({{"property", "Status"}, {"status", {{"does_not_equal", "Done"}}}}).size(),
      7u);
  const auto high =
      post(*ws_, tasks_ + "/query",
           {{"filter", {{"property", "Priority"}, {"select", {{"equals", "High"}}}}}});
  EXPECT_EQ(high.body["results"].size(), 8u);
  const auto none =
      post(*ws_, tasks_ + "/query",
           {{"filter", {{"property", "Priority"}, {"select", {{"is_empty", true}}}}}});
  EXPECT_EQ(titles(none.body), Names{"Write postmortem template"});
}

TEST_F(DemoDatabases, MultiSelectPeopleAndRelationFilters) {
  EXPECT_EQ(projects_matching({{"property", "Tags"}, {"multi_select", {{"contains", "Security"}}}}),
            (Names{"Incident tooling", "SOC 2 Type II audit"}));
  EXPECT_EQ(projects_matching(
                {{"property", "Tags"}, {"multi_select", {{"does_not_contain", "Frontend"}}}})
                .size(),
            6u);
  EXPECT_EQ(
      projects_matching(
          {{"property", "Owner"}, {"people", {{"contains", std::string(seed_ids::kJonasUser)}}}}),
      (Names{"Incident tooling", "Kubernetes upgrade", "Mobile app v2", "SOC 2 Type II audit"}));
  EXPECT_EQ(projects_matching({{"property", "Owner"}, {"people", {{"is_empty", true}}}}),
            Names{"Search relevance"});
  const auto related =
      post(*ws_, tasks_ + "/query",
           {{"filter",
             {{"property", "Project"},
              {"relation", {{"contains", std::string(seed_ids::kWebsiteRedesignRow)}}}}}});
  std::vector<std::string> names = titles(related.body);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (Names{"Accessibility audit", "Homepage wireframes", "Migrate blog to the new CMS"}));
  EXPECT_EQ(projects_matching({{"property", "Tasks"}, {"relation", {{"is_empty", true}}}}),
            Names{"Incident tooling"});
}

TEST_F(DemoDatabases, DateAndTimestampFilters) {
  EXPECT_EQ(projects_matching({{"property", "Due"}, {"date", {{"before", "2026-01-01"}}}}),
            (Names{"Customer portal", "Design system", "Kubernetes upgrade"}));
  EXPECT_EQ(projects_matching({{"property", "Due"}, {"date", {{"equals", "2026-04-30"}}}}),
            Names{"Website redesign"});
  EXPECT_EQ(
      projects_matching({{"property", "Due"}, {"date", {{"on_or_after", "2026-05-20"}}}}).size(),
      4u);
  EXPECT_EQ(projects_matching({{"property", "Due"}, {"date", {{"after", "2026-05-20"}}}}).size(),
            3u);
  EXPECT_EQ(
      projects_matching({{"property", "Due"}, {"date", {{"on_or_before", "2026-03-31"}}}}),
      (Names{"Customer portal", "Design system", "Kubernetes upgrade", "SOC 2 Type II audit"}));
  EXPECT_EQ(
      projects_matching({{"property", "Due"}, {"date", {{"after", "2026-04-29T12:00:00.000Z"}}}})
          .size(),
      5u);
  EXPECT_EQ(projects_matching({{"property", "Due"}, {"date", {{"is_empty", true}}}}),
            Names{"Search relevance"});
  // Projects were created between 2025-06-22 and 2025-11-19.
  EXPECT_EQ(projects_matching(
                {{"timestamp", "created_time"}, {"created_time", {{"before", "2025-07-20"}}}}),
            (Names{"Customer portal", "Design system", "Kubernetes upgrade"}));
  EXPECT_EQ(projects_matching(
                {{"property", "Created"}, {"created_time", {{"on_or_after", "2025-11-01"}}}}),
            Names{"Incident tooling"});
  EXPECT_EQ(projects_matching({{"timestamp", "last_edited_time"},
                               {"last_edited_time", {{"on_or_after", "2026-02-16"}}}}),
            (Names{"Mobile app v2", "Website redesign"}));
  EXPECT_EQ(projects_matching({{"timestamp", "last_edited_time"},
                               {"last_edited_time", {{"after", "2026-02-16"}}}}),
            Names{"Website redesign"});
}

TEST_F(DemoDatabases, RelativeDatesUseTheWorkspaceClock) {
  // 2026-04-27 is a Monday; the week runs to 2026-05-03.
  auto ws = Workspace::seeded(WorkspaceOptions{200, [] { return int64_t{1777334400}; }});
  const auto week =
      post(*ws, projects_ + "/query",
           {{"filter", {{"property", "Due"}, {"date", {{"this_week", Json::object()}}}}}});
  EXPECT_EQ(titles(week.body), Names{"Website redesign"});
  const auto next =
      post(*ws, projects_ + "/query",
           {{"filter", {{"property", "Due"}, {"date", {{"next_month", Json::object()}}}}}});
  EXPECT_EQ(titles(next.body), (Names{"Website redesign", "Billing revamp"}));
}

TEST_F(DemoDatabases, CompoundFilters) {
  const Json filter = {{"and",
                        {{{"property", "Status"}, {"status", {{"does_not_equal", "Done"}}}},
                         {{"or",
                           {{{"property", "Tags"}, {"multi_select", {{"contains", "Security"}}}},
                            {{"property", "Budget"}, {"number", {{"greater_than", 100000}}}}}}}}}};
  EXPECT_EQ(projects_matching(filter),
            (Names{"Incident tooling", "Mobile app v2", "SOC 2 Type II audit"}));
  EXPECT_EQ(projects_matching({{"or", Json::array()}}).size(), 0u);
  EXPECT_EQ(projects_matching({{"and", Json::array()}}).size(), 10u);
  const Json too_deep = {{"and", {{{"or", {{{"and", Json::array()}}}}}}}};
  expect_error(post(*ws_, projects_ + "/query", {{"filter", too_deep}}), 400, "validation_error");
}

TEST_F(DemoDatabases, Sorts) {
  const Names by_budget = ordered({{{"property", "Budget"}, {"direction", "descending"}}});
  ASSERT_EQ(by_budget.size(), 10u);
  EXPECT_EQ(by_budget.front(), "Mobile app v2");
  EXPECT_EQ(by_budget[1], "Billing revamp");
  EXPECT_EQ(by_budget.back(), "Search relevance");  // empty values last
  const Names by_name = ordered({{{"property", "Name"}, {"direction", "ascending"}}});
  EXPECT_EQ(by_name.front(), "Billing revamp");
  EXPECT_EQ(by_name.back(), "Website redesign");
  // Status sorts by option order, then by name within a status.
  const Names by_status = ordered({{{"property", "Status"}, {"direction", "ascending"}},
                                   {{"property", "Name"}, {"direction", "descending"}}});
  EXPECT_EQ(by_status.front(), "Search relevance");  // Not started, last by name
  EXPECT_EQ(by_status.back(), "Customer portal");    // Done, first by name
  const Names by_created = ordered({{{"timestamp", "created_time"}, {"direction", "ascending"}}});
  EXPECT_EQ(by_created.front(), "Customer portal");
  EXPECT_EQ(by_created.back(), "Incident tooling");
  const Names by_due = ordered({{{"property", "Due"}, {"direction", "ascending"}}});
  EXPECT_EQ(by_due.front(), "Kubernetes upgrade");
  EXPECT_EQ(by_due.back(), "Search relevance");
}

TEST_F(DemoDatabases, PaginatesQueryResultsToTheEnd) {
  std::set<std::string> seen;
  Json cursor = nullptr;
  std::vector<std::string> order;
  for (int i = 0; i < 20; ++i) {
    Json body = {{"page_size", 4}, {"sorts", {{{"property", "Name"}, {"direction", "ascending"}}}}};
    if (!cursor.is_null()) body["start_cursor"] = cursor;
    const Answer a = post(*ws_, tasks_ + "/query", body);
    ASSERT_EQ(a.status, 200) << a.raw.body;
    for (const std::string& name : titles(a.body)) order.push_back(name);
    for (const Json& r : a.body["results"]) EXPECT_TRUE(seen.insert(r["id"]).second);
    if (!a.body["has_more"].get<bool>()) break;
    cursor = a.body["next_cursor"];
  }
  EXPECT_EQ(seen.size(), 18u);
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
}

TEST_F(DemoDatabases, FilterPropertiesTrimsRows) {
  const Answer a = post(*ws_, projects_ + "/query?filter_properties=title&filter_properties=AcTv",
                        Json::object());
  ASSERT_EQ(a.status, 200);
  for (const Json& row : a.body["results"]) EXPECT_EQ(row["properties"].size(), 2u);
}

TEST_F(DemoDatabases, QueryErrorsSpeakNotion) {
  EXPECT_EQ(
      expect_error(post(*ws_, projects_ + "/query",
                        {{"filter", {{"property", "Colour"}, {"select", {{"equals", "x"}}}}}}),
                   400, "validation_error"),
      "Could not find property with name or id: Colour");
  EXPECT_EQ(
      expect_error(post(*ws_, projects_ + "/query",
                        {{"filter", {{"property", "Budget"}, {"checkbox", {{"equals", true}}}}}}),
                   400, "validation_error"),
      "database property number does not match filter checkbox");
  expect_error(post(*ws_, projects_ + "/query",
                    {{"filter", {{"property", "Budget"}, {"number", {{"equals", "ten"}}}}}}),
               400, "validation_error");
  expect_error(post(*ws_, projects_ + "/query",
                    {{"filter", {{"property", "Budget"}, {"number", {{"roughly", 5}}}}}}),
               400, "validation_error");
  expect_error(post(*ws_, projects_ + "/query",
                    {{"filter", {{"property", "Due"}, {"date", {{"before", "soon"}}}}}}),
               400, "validation_error");
  expect_error(post(*ws_, projects_ + "/query",
                    {{"filter", {{"property", "Owner"}, {"people", {{"contains", "maya"}}}}}}),
               400, "validation_error");
  expect_error(post(*ws_, projects_ + "/query", {{"filter", {{"timestamp", "due"}}}}), 400,
               "validation_error");
  EXPECT_EQ(expect_error(post(*ws_, projects_ + "/query",
                              {{"sorts", {{{"property", "Colour"}, {"direction", "ascending"}}}}}),
                         400, "validation_error"),
            "Could not find sort property with name or id: Colour");
  expect_error(
      post(*ws_, projects_ + "/query", {{"sorts", {{{"property", "Name"}, {"direction", "up"}}}}}),
      400, "validation_error");
  expect_error(post(*ws_, projects_ + "/query", {{"page_size", 1000}}), 400, "validation_error");
  expect_error(
      post(*ws_, "/v1/data_sources/00000000-0000-4000-8000-000000000000/query", Json::object()),
      404, "object_not_found");
}

}  // namespace
}  // namespace notion_mcp::demo
