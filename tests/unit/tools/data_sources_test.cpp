#include <map>
#include <set>

#include "tests/unit/tools/tool_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsDataSources : public ToolFixture {
 protected:
  // {data source id, database id} of the data source titled `title`.
  std::pair<std::string, std::string> source(std::string_view title) {
    for (const Json& item : search_all("data_source", std::string(title))) {
      if (item["title"] != title) continue;
      std::string parent = item.value("parent", "");
      EXPECT_EQ(parent.rfind("database ", 0), 0u) << item.dump();
      return {item["id"], parent.substr(parent.find(' ') + 1)};
    }
    ADD_FAILURE() << "no data source " << title;
    return {};
  }
};

std::string undashed(std::string id) {
  std::erase(id, '-');
  return id;
}

TEST_F(ToolsDataSources, GetDatabaseListsItsDataSources) {
  auto [source_id, database_id] = source("Projects");
  ToolResult r = call("get_database", {{"database_id", database_id}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["id"], database_id);
  EXPECT_EQ(r.structured["title"], "Projects");
  ASSERT_EQ(r.structured["data_sources"].size(), 1u);
  EXPECT_EQ(r.structured["data_sources"][0]["id"], source_id);
  EXPECT_NE(r.text.find("title: Projects\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("data_sources:\n- Projects · " + source_id), std::string::npos) << r.text;

  // A database URL as the browser shows it, with a view id.
  ToolResult by_url =
      call("get_database", {{"database_id", "https://www.notion.so/acme/" + undashed(database_id) +
                                                "?v=0123456789abcdef0123456789abcdef"}});
  ASSERT_FALSE(by_url.is_error) << by_url.text;
  EXPECT_EQ(by_url.structured["id"], database_id);
}

TEST_F(ToolsDataSources, GetDatabaseUnknownIdHasAHint) {
  ToolResult r = call("get_database", {{"database_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "object_not_found") << r.text;
  EXPECT_NE(r.text.find("get_data_source"), std::string::npos) << r.text;
}

TEST_F(ToolsDataSources, GetDataSourceShowsTheSchema) {
  auto [source_id, database_id] = source("Projects");
  ToolResult r = call("get_data_source", {{"data_source_id", source_id}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["database_id"], database_id);
  std::map<std::string, Json> by_name;
  for (const Json& p : r.structured["properties"]) by_name[p["name"]] = p;
  ASSERT_TRUE(by_name.count("Status"));
  EXPECT_EQ(by_name["Status"]["type"], "status");
  EXPECT_EQ(by_name["Status"]["options"], Json({"Not started", "In progress", "Done"}));
  EXPECT_EQ(by_name["Budget"]["format"], "dollar");
  EXPECT_EQ(by_name["Name"]["type"], "title");
  auto tasks = source("Tasks");
  EXPECT_EQ(by_name["Tasks"]["data_source_id"], tasks.first);
  EXPECT_NE(r.text.find("- Status (status): Not started, In progress, Done\n"), std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find("- Budget (number, dollar)\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("- Tasks (relation → data source " + tasks.first + ")"), std::string::npos)
      << r.text;
}

TEST_F(ToolsDataSources, DatabaseIdWorksWhereADataSourceIsExpected) {
  auto [source_id, database_id] = source("Tasks");
  ToolResult r = call("get_data_source", {{"data_source_id", database_id}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["id"], source_id);
  ToolResult rows = call(
      "query_data_source",
      {{"data_source_id", "https://www.notion.so/" + undashed(database_id)}, {"page_size", 2}});
  ASSERT_FALSE(rows.is_error) << rows.text;
  EXPECT_EQ(rows.structured["results"].size(), 2u);
}

TEST_F(ToolsDataSources, QueryFiltersSortsAndFlattensRows) {
  auto [source_id, database_id] = source("Projects");
  ToolResult r =
      call("query_data_source",
           {{"data_source_id", source_id},
            {"filter", {{"property", "Status"}, {"status", {{"equals", "In progress"}}}}},
            {"sorts", Json::array({{{"property", "Budget"}, {"direction", "descending"}}})}});
  ASSERT_FALSE(r.is_error) << r.text;
  const Json& rows = r.structured["results"];
  std::vector<std::string> names;
  for (const Json& row : rows) {
    EXPECT_EQ(row["Status"], "In progress") << row.dump();
    EXPECT_EQ(row["id"].get<std::string>().size(), 36u);
    EXPECT_TRUE(row.contains("url"));
    names.push_back(row["Name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Mobile app v2", "Billing revamp", "Website redesign",
                                             "SOC 2 Type II audit"}));
  EXPECT_EQ(rows[0]["Budget"], 120000);
  EXPECT_EQ(rows[0]["Tags"], Json({"Mobile", "Frontend"}));
  EXPECT_EQ(rows[0]["Active"], true);
  // One line per row: title, id, then the non-empty values.
  std::string line = "- Mobile app v2 · " + rows[0]["id"].get<std::string>() + " · ";
  EXPECT_NE(r.text.find(line), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("Status: In progress"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("Tags: Mobile, Frontend"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("```untrusted\n"), std::string::npos);
  EXPECT_FALSE(r.structured.contains("next_cursor"));
}

TEST_F(ToolsDataSources, QueryPaginates) {
  auto [source_id, database_id] = source("Tasks");
  Json args = {{"data_source_id", source_id}, {"page_size", 5}};
  std::set<std::string> ids;
  int pages = 0;
  for (; pages < 20; ++pages) {
    ToolResult r = call("query_data_source", args);
    ASSERT_FALSE(r.is_error) << r.text;
    for (const Json& row : r.structured["results"]) ids.insert(row["id"]);
    if (!r.structured.contains("next_cursor")) break;
    EXPECT_NE(r.text.find("next_cursor: "), std::string::npos);
    args["start_cursor"] = r.structured["next_cursor"];
  }
  EXPECT_EQ(pages, 3);  // 18 tasks in pages of 5
  EXPECT_EQ(ids.size(), 18u);
}

TEST_F(ToolsDataSources, BadFilterIsAnErrorPointingAtTheSchema) {
  auto [source_id, database_id] = source("Projects");
  int before = client_.stats().requests_sent;
  ToolResult r = call("query_data_source",
                      {{"data_source_id", source_id},
                       {"filter", {{"property", "Colour"}, {"select", {{"equals", "Red"}}}}}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(client_.stats().requests_sent - before, 1) << "a bad filter is not a database id";
  EXPECT_EQ(r.structured["error"]["code"], "validation_error") << r.text;
  EXPECT_NE(r.text.find("get_data_source"), std::string::npos) << r.text;
}

TEST_F(ToolsDataSources, UnknownDataSourceIsNotFound) {
  ToolResult r =
      call("query_data_source", {{"data_source_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "object_not_found") << r.text;
  ToolResult g = call("get_data_source", {{"data_source_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(g.is_error);
  EXPECT_EQ(g.structured["error"]["code"], "object_not_found") << g.text;
}

}  // namespace
}  // namespace notion_mcp::tools::testing
