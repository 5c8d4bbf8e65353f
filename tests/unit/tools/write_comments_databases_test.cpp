// create_comment, create_database and update_data_source on the demo workspace.
#include "tests/unit/tools/write_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsWriteCommentsDatabases : public WriteFixture {};

TEST_F(ToolsWriteCommentsDatabases, CommentsOnAPageAndReplies) {
  std::string page = id_of("Security policy");
  ToolResult r =
      call("create_comment", {{"page_id", page}, {"text", "Looks **good**.\nOne question."}});
  ASSERT_FALSE(r.is_error) << r.text;
  std::string discussion = r.structured["discussion_id"];
  EXPECT_FALSE(discussion.empty());
  EXPECT_NE(r.text.find("to page " + page), std::string::npos) << r.text;

  ToolResult reply = call("create_comment", {{"discussion_id", discussion}, {"text", "Answered."}});
  ASSERT_FALSE(reply.is_error) << reply.text;
  EXPECT_EQ(reply.structured["discussion_id"], discussion);

  ToolResult listed = call("list_comments", {{"block_id", page}});
  ASSERT_FALSE(listed.is_error) << listed.text;
  EXPECT_NE(listed.text.find("Looks **good**."), std::string::npos) << listed.text;
  EXPECT_NE(listed.text.find("Answered."), std::string::npos) << listed.text;

  auto raw = raw_get("/v1/comments?block_id=" + page);
  ASSERT_TRUE(raw.ok());
  bool bold = false;
  for (const Json& comment : (*raw)["results"]) {
    for (const Json& item : comment["rich_text"]) {
      if (item["plain_text"] == "good") bold = item["annotations"]["bold"] == true;
    }
  }
  EXPECT_TRUE(bold);
}

TEST_F(ToolsWriteCommentsDatabases, CommentsOnABlockNamedInTheUrl) {
  std::string page = scratch_page("Comment target");
  ToolResult appended = call("append_blocks", {{"block_id", page}, {"markdown", "a paragraph"}});
  ASSERT_FALSE(appended.is_error) << appended.text;
  std::string block = appended.structured["block_ids"][0];
  std::string page_hex = page, block_hex = block;
  std::erase(page_hex, '-');
  std::erase(block_hex, '-');
  ToolResult r =
      call("create_comment", {{"page_id", "https://www.notion.so/x-" + page_hex + "#" + block_hex},
                              {"text", "on the block"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_NE(r.text.find("to block " + block), std::string::npos) << r.text;
  // A bare block id (as get_blocks shows it) works as well.
  ToolResult bare = call("create_comment", {{"page_id", block}, {"text", "again"}});
  ASSERT_FALSE(bare.is_error) << bare.text;
  auto raw = raw_get("/v1/comments?block_id=" + block);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ((*raw)["results"].size(), 2u);
}

TEST_F(ToolsWriteCommentsDatabases, CommentErrors) {
  ToolResult neither = call("create_comment", {{"text", "x"}});
  ASSERT_TRUE(neither.is_error);
  EXPECT_NE(neither.text.find("either page_id"), std::string::npos);
  ToolResult both = call("create_comment", {{"page_id", id_of("Onboarding")},
                                            {"discussion_id", "0123456789abcdef0123456789abcdef"},
                                            {"text", "x"}});
  ASSERT_TRUE(both.is_error);
  ToolResult no_discussion = call(
      "create_comment", {{"discussion_id", "0123456789abcdef0123456789abcdef"}, {"text", "x"}});
  ASSERT_TRUE(no_discussion.is_error);
  EXPECT_EQ(no_discussion.structured["error"]["code"], "object_not_found");
}

TEST_F(ToolsWriteCommentsDatabases, CreatesADatabaseAndWritesRowsIntoIt) {
  std::string parent = scratch_page("Tracker home");
  ToolResult r = call("create_database", {{"parent_id", parent},
                                          {"title", "Bugs"},
                                          {"properties",
                                           {{"Severity", "select"},
                                            {"Found", "date"},
                                            {"Points", {{"number", {{"format", "number"}}}}},
                                            {"Files", "files"}}}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["title"], "Bugs");
  std::string source = r.structured["data_source_id"];
  ASSERT_FALSE(source.empty());
  EXPECT_NE(r.text.find("data_source_id: " + source), std::string::npos);

  ToolResult schema = call("get_data_source", {{"data_source_id", source}});
  ASSERT_FALSE(schema.is_error) << schema.text;
  // A title property was added as "Name".
  EXPECT_NE(schema.text.find("Name"), std::string::npos) << schema.text;

  ToolResult row = call("create_page", {{"parent_id", source},
                                        {"title", "Crash on start"},
                                        {"properties", {{"Severity", "High"}, {"Points", 3}}}});
  ASSERT_FALSE(row.is_error) << row.text;
  ToolResult rows = call("query_data_source", {{"data_source_id", source}});
  ASSERT_FALSE(rows.is_error) << rows.text;
  EXPECT_NE(rows.text.find("Crash on start"), std::string::npos) << rows.text;

  ToolResult bad_type =
      call("create_database",
           {{"parent_id", parent}, {"title", "X"}, {"properties", {{"A", "colour"}}}});
  ASSERT_TRUE(bad_type.is_error);
  EXPECT_NE(bad_type.text.find("rich_text"), std::string::npos) << bad_type.text;
  ToolResult in_database = call("create_database", {{"parent_id", source}, {"title", "Nested"}});
  ASSERT_TRUE(in_database.is_error);
}

TEST_F(ToolsWriteCommentsDatabases, ChangesADataSourceSchema) {
  std::string parent = scratch_page("Schema home");
  ToolResult db = call("create_database", {{"parent_id", parent},
                                           {"title", "Reading list"},
                                           {"properties", {{"Author", "rich_text"}}}});
  ASSERT_FALSE(db.is_error) << db.text;
  std::string source = db.structured["data_source_id"];

  ToolResult added = call(
      "update_data_source",
      {{"data_source_id", source}, {"title", "Books"}, {"properties", {{"Read", "checkbox"}}}});
  ASSERT_FALSE(added.is_error) << added.text;
  EXPECT_EQ(added.structured["title"], "Books");
  EXPECT_EQ(added.structured["properties"]["Read"], "checkbox");
  EXPECT_EQ(added.structured["properties"]["Author"], "rich_text");

  // By the database's URL; rename one property, remove another.
  ToolResult changed =
      call("update_data_source",
           {{"data_source_id", db.structured["url"]},
            {"properties", {{"Author", {{"name", "Writer"}}}, {"Read", nullptr}}}});
  ASSERT_FALSE(changed.is_error) << changed.text;
  EXPECT_TRUE(changed.structured["properties"].contains("Writer"));
  EXPECT_FALSE(changed.structured["properties"].contains("Author"));
  EXPECT_FALSE(changed.structured["properties"].contains("Read"));

  ToolResult nothing = call("update_data_source", {{"data_source_id", source}});
  ASSERT_TRUE(nothing.is_error);
  ToolResult missing =
      call("update_data_source",
           {{"data_source_id", "0123456789abcdef0123456789abcdef"}, {"title", "x"}});
  ASSERT_TRUE(missing.is_error);
  EXPECT_EQ(missing.structured["error"]["code"], "object_not_found");
}

}  // namespace
}  // namespace notion_mcp::tools::testing
