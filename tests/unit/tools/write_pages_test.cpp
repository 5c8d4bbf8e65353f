// create_page, update_page, move_page, trash_page and restore_page on the demo workspace.
#include "tests/unit/tools/write_fixture.h"
#include "tools/property_input.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsWritePages : public WriteFixture {
 protected:
  std::string projects_data_source() {
    for (const Json& item : search_all("data_source", "Projects")) {
      if (item["title"] == "Projects") return item["id"];
    }
    ADD_FAILURE() << "no Projects data source";
    return {};
  }
  std::string projects_database() {
    for (const Json& item : search_all("data_source", "Projects")) {
      if (item["title"] == "Projects") return item["parent"].get<std::string>().substr(9);
    }
    return {};
  }
};

TEST_F(ToolsWritePages, CreatesAPageWithMarkdownUnderAPage) {
  std::string parent = id_of("Engineering practices");
  ToolResult r = call("create_page", {{"parent_id", parent},
                                      {"title", "Release checklist"},
                                      {"icon", "🚀"},
                                      {"markdown",
                                       "Intro line\n\n- [ ] tag the release\n- [ ] "
                                       "write notes\n"}});
  ASSERT_FALSE(r.is_error) << r.text;
  std::string id = r.structured["id"];
  EXPECT_EQ(r.structured["title"], "Release checklist");
  EXPECT_EQ(r.structured["parent"], "page " + parent);
  EXPECT_TRUE(r.structured.contains("url"));
  EXPECT_EQ(r.text.rfind("created page 'Release checklist' (" + id + ")\n", 0), 0u) << r.text;

  auto page = raw_get("/v1/pages/" + id);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)["icon"]["emoji"], "🚀");
  std::string markdown = page_markdown(id);
  EXPECT_NE(markdown.find("Intro line"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("- [ ] write notes"), std::string::npos) << markdown;
  // The new page is found by search, under its parent.
  EXPECT_EQ(id_of("Release checklist"), id);
}

TEST_F(ToolsWritePages, TakesTheTitleFromALeadingHeading) {
  ToolResult r = call("create_page", {{"parent_id", id_of("Onboarding")},
                                      {"markdown", "# Week two\nMeet the team.\n"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["title"], "Week two");
}

TEST_F(ToolsWritePages, CreatesARowFromPlainValues) {
  std::string source = projects_data_source();
  std::string owner;
  auto users = raw_get("/v1/users?page_size=100");
  ASSERT_TRUE(users.ok());
  for (const Json& user : (*users)["results"]) {
    if (user["type"] == "person") owner = user["id"];
  }
  ToolResult r = call("create_page", {{"parent_id", source},
                                      {"title", "Data warehouse"},
                                      {"properties",
                                       {{"status", "In progress"},
                                        {"Due", "2026-06-01 → 2026-06-30"},
                                        {"Budget", "1250.5"},
                                        {"Tags", "Data, Infra"},
                                        {"Active", true},
                                        {"Owner", Json::array({owner})},
                                        {"Spec", "https://example.com/spec"}}}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["parent"], "data_source " + source);
  ToolResult read = call("get_page", {{"page_id", r.structured["id"]}, {"include_content", false}});
  ASSERT_FALSE(read.is_error) << read.text;
  const Json& p = read.structured["properties"];
  EXPECT_EQ(p["Name"], "Data warehouse");
  EXPECT_EQ(p["Status"], "In progress");
  EXPECT_EQ(p["Due"], "2026-06-01 → 2026-06-30");
  EXPECT_EQ(p["Budget"], 1250.5);
  EXPECT_EQ(p["Tags"], Json({"Data", "Infra"}));
  EXPECT_EQ(p["Active"], true);
  EXPECT_EQ(p["Owner"].size(), 1u);
  EXPECT_EQ(p["Spec"], "https://example.com/spec");
}

TEST_F(ToolsWritePages, CreatesARowThroughTheDatabaseUrlAndNotionShapes) {
  std::string database = projects_database();
  ASSERT_EQ(database.size(), 36u);
  std::string hex = database;
  std::erase(hex, '-');
  ToolResult r = call(
      "create_page",
      {{"parent_id", "https://www.notion.so/acme/" + hex + "?v=00112233445566778899aabbccddeeff"},
       {"properties",
        {{"Name", {{"title", {{{"text", {{"content", "Shaped row"}}}}}}}},
         {"Active", {{"checkbox", true}}}}}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["title"], "Shaped row");
  EXPECT_EQ(r.structured["parent"], "data_source " + projects_data_source());
  // Without properties, a data source id works too (the page attempt fails first).
  ToolResult bare = call("create_page", {{"parent_id", projects_data_source()}, {"title", "Bare"}});
  ASSERT_FALSE(bare.is_error) << bare.text;
  EXPECT_EQ(bare.structured["parent"], "data_source " + projects_data_source());
}

TEST_F(ToolsWritePages, ExplainsWhatIsWrongWithACall) {
  ToolResult unknown = call(
      "create_page", {{"parent_id", projects_data_source()}, {"properties", {{"Colour", "red"}}}});
  ASSERT_TRUE(unknown.is_error);
  EXPECT_NE(unknown.text.find("Unknown property 'Colour'"), std::string::npos) << unknown.text;
  EXPECT_NE(unknown.text.find("Status (status)"), std::string::npos) << unknown.text;

  ToolResult wrong_type = call(
      "create_page", {{"parent_id", projects_data_source()}, {"properties", {{"Budget", "lots"}}}});
  ASSERT_TRUE(wrong_type.is_error);
  EXPECT_NE(wrong_type.text.find("Budget"), std::string::npos) << wrong_type.text;

  ToolResult missing =
      call("create_page", {{"parent_id", "0123456789abcdef0123456789abcdef"}, {"title", "x"}});
  ASSERT_TRUE(missing.is_error);
  EXPECT_EQ(missing.structured["error"]["code"], "object_not_found") << missing.text;
  EXPECT_NE(missing.text.find("parent_id must be a page"), std::string::npos) << missing.text;

  ToolResult bad_id = call("create_page", {{"parent_id", "not an id"}});
  ASSERT_TRUE(bad_id.is_error);
  EXPECT_EQ(bad_id.structured["error"]["code"], "invalid_id");

  ToolResult page_props = call(
      "create_page", {{"parent_id", id_of("Onboarding")}, {"properties", {{"Status", "Done"}}}});
  ASSERT_TRUE(page_props.is_error);
  ToolResult bad_icon =
      call("create_page", {{"parent_id", id_of("Onboarding")}, {"icon", "not an emoji at all"}});
  ASSERT_TRUE(bad_icon.is_error);
  EXPECT_NE(bad_icon.text.find("emoji"), std::string::npos);
}

TEST_F(ToolsWritePages, UpdatesPropertiesTitleIconAndCover) {
  std::string row = id_of("Website redesign");
  ToolResult r = call("update_page", {{"page_id", row},
                                      {"properties", {{"Status", "Done"}, {"Budget", 50000}}},
                                      {"icon", "https://example.com/icon.png"},
                                      {"cover", "https://example.com/cover.jpg"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["properties"]["Status"], "Done");
  EXPECT_EQ(r.structured["properties"]["Budget"], 50000);
  EXPECT_NE(r.text.find("changed:\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("  Status: Done\n"), std::string::npos) << r.text;
  auto page = raw_get("/v1/pages/" + row);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)["icon"]["external"]["url"], "https://example.com/icon.png");
  EXPECT_EQ((*page)["cover"]["external"]["url"], "https://example.com/cover.jpg");

  // By URL, a new title; "" removes icon and cover.
  ToolResult renamed = call("update_page", {{"page_id", r.structured["url"]},
                                            {"title", "Website relaunch"},
                                            {"icon", ""},
                                            {"cover", ""}});
  ASSERT_FALSE(renamed.is_error) << renamed.text;
  EXPECT_EQ(renamed.structured["title"], "Website relaunch");
  page = raw_get("/v1/pages/" + row);
  EXPECT_TRUE((*page)["icon"].is_null());
  EXPECT_TRUE((*page)["cover"].is_null());

  ToolResult nothing = call("update_page", {{"page_id", row}});
  ASSERT_TRUE(nothing.is_error);
  EXPECT_NE(nothing.text.find("Nothing to change"), std::string::npos);
  ToolResult bad_cover = call("update_page", {{"page_id", row}, {"cover", "cover.jpg"}});
  ASSERT_TRUE(bad_cover.is_error);
  ToolResult bad_option =
      call("update_page", {{"page_id", row}, {"properties", {{"Status", "Someday"}}}});
  ASSERT_TRUE(bad_option.is_error);
  EXPECT_EQ(bad_option.structured["error"]["code"], "validation_error") << bad_option.text;
}

TEST_F(ToolsWritePages, MovesAPageUnderAnotherPageAndIntoADatabase) {
  std::string page = scratch_page("Moving target");
  std::string destination = id_of("Security policy");
  ToolResult moved = call("move_page", {{"page_id", page}, {"new_parent_id", destination}});
  ASSERT_FALSE(moved.is_error) << moved.text;
  EXPECT_EQ(moved.structured["parent"], "page " + destination);
  EXPECT_EQ(moved.text.rfind("moved page 'Moving target'", 0), 0u) << moved.text;

  ToolResult into_db =
      call("move_page", {{"page_id", page}, {"new_parent_id", projects_database()}});
  ASSERT_FALSE(into_db.is_error) << into_db.text;
  EXPECT_EQ(into_db.structured["parent"], "data_source " + projects_data_source());

  ToolResult inside_itself = call("move_page", {{"page_id", id_of("Engineering practices")},
                                                {"new_parent_id", id_of("Code review guide")}});
  ASSERT_TRUE(inside_itself.is_error);
  EXPECT_EQ(inside_itself.structured["error"]["code"], "validation_error");
  ToolResult nowhere =
      call("move_page", {{"page_id", page}, {"new_parent_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(nowhere.is_error);
  EXPECT_EQ(nowhere.structured["error"]["code"], "object_not_found");
}

TEST_F(ToolsWritePages, TrashesAndRestoresAPage) {
  std::string page = scratch_page("Short-lived");
  ToolResult trashed = call("trash_page", {{"page_id", page}});
  ASSERT_FALSE(trashed.is_error) << trashed.text;
  EXPECT_EQ(trashed.structured["in_trash"], true);
  EXPECT_NE(trashed.text.find("to the trash; restore_page brings it back"), std::string::npos);
  auto read = raw_get("/v1/pages/" + page);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)["in_trash"], true);
  // Trashed content cannot be edited until it is restored.
  ToolResult edit = call("update_page", {{"page_id", page}, {"title", "x"}});
  EXPECT_TRUE(edit.is_error);

  ToolResult restored = call("restore_page", {{"page_id", page}});
  ASSERT_FALSE(restored.is_error) << restored.text;
  EXPECT_EQ(restored.structured["in_trash"], false);
  EXPECT_NE(restored.text.find("from the trash"), std::string::npos);
  read = raw_get("/v1/pages/" + page);
  EXPECT_EQ((*read)["in_trash"], false);
  // Idempotent: restoring again changes nothing and succeeds.
  EXPECT_FALSE(call("restore_page", {{"page_id", page}}).is_error);

  ToolResult missing = call("trash_page", {{"page_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(missing.is_error);
  EXPECT_EQ(missing.structured["error"]["code"], "object_not_found");
}

TEST_F(ToolsWritePages, DeletesABlock) {
  std::string page = scratch_page("Block to delete");
  ToolResult appended =
      call("append_blocks", {{"block_id", page}, {"markdown", "keep me\n\ndelete me\n"}});
  ASSERT_FALSE(appended.is_error) << appended.text;
  std::string doomed = appended.structured["block_ids"][1];
  std::string hex = doomed;
  std::erase(hex, '-');
  std::string page_hex = page;
  std::erase(page_hex, '-');
  ToolResult deleted =
      call("delete_block",
           {{"block_id", "https://www.notion.so/Block-to-delete-" + page_hex + "#" + hex}});
  ASSERT_FALSE(deleted.is_error) << deleted.text;
  EXPECT_EQ(deleted.structured["id"], doomed);
  EXPECT_EQ(deleted.structured["type"], "paragraph");
  EXPECT_EQ(deleted.structured["in_trash"], true);
  EXPECT_NE(deleted.text.find("paragraph: delete me"), std::string::npos) << deleted.text;
  std::vector<Json> left = children(page);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(text_of(left[0]), "keep me");
  ToolResult missing = call("delete_block", {{"block_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(missing.is_error);
  EXPECT_EQ(missing.structured["error"]["code"], "object_not_found");
}

TEST(ToolsRelationTargets, NamesEveryPageARelationValuePointsAt) {
  const std::string a = "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c";
  const std::string b = "3b5d7f9a-1c2e-4a4b-8d6f-8b0c2d4e6f7a";
  util::Json schema = {{"Project", {{"id", "p"}, {"name", "Project"}, {"type", "relation"}}},
                       {"Notes", {{"id", "n"}, {"name", "Notes"}, {"type", "rich_text"}}}};
  // Plain values through the schema, and Notion's shape with a URL that also names a block.
  auto plain = property_values({{"Project", {a}}, {"Notes", b}}, &schema);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(relation_targets(*plain), std::vector<std::string>{a});
  util::Json shaped = {
      {"Project",
       {{"relation",
         {{{"id",
            "https://www.notion.so/"
            "X-1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c#3b5d7f9a1c2e4a4b8d6f8b0c2d4e6f7a"}}}}}}};
  EXPECT_EQ(relation_targets(shaped), (std::vector<std::string>{a, b}));
  EXPECT_TRUE(
      relation_targets(util::Json{{"Notes", {{"rich_text", util::Json::array()}}}}).empty());
}

}  // namespace
}  // namespace notion_mcp::tools::testing
