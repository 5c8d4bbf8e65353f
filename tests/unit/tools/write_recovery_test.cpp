// Writes that Notion saved but answered with a 503 and retry guidance: each tool reads the
// resource back and reports the write as done, and never sends it a second time.
#include <filesystem>
#include <fstream>

#include "notion/error_mapping.h"
#include "tests/unit/tools/write_fixture.h"
#include "tools/errors.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsWriteRecovery : public WriteFixture {
 protected:
  void SetUp() override { client_override_ = &committing_client_; }

  // How many pages search finds with exactly this title.
  size_t pages_titled(const std::string& title) {
    client_override_ = nullptr;
    size_t count = 0;
    for (const Json& item : search_all("page", title)) count += item["title"] == title;
    client_override_ = &committing_client_;
    return count;
  }

  CommittingTransport committing_{loop_, *workspace_};
  notion::Client committing_client_{loop_, committing_,
                                    [] { return util::Result<util::Secret>(util::Secret("demo")); },
                                    client_options()};
};

TEST_F(ToolsWriteRecovery, TheClientNamesTheCommittedResource) {
  util::Json body = {{"object", "error"},
                     {"status", 503},
                     {"code", "service_unavailable"},
                     {"message", "Unavailable."},
                     {"additional_data",
                      {{"retry_guidance", "re-read"},
                       {"committed_resource_id", "59833787-2cf9-4fdf-8782-e53db20768a5"}}}};
  util::Error error = notion::map_error_response("POST", 503, &body, {});
  EXPECT_EQ(error.code, "write_may_have_committed");
  EXPECT_EQ(notion::committed_resource_id(error), "59833787-2cf9-4fdf-8782-e53db20768a5");
  EXPECT_TRUE(notion::committed_child_ids(error).empty());
  body["additional_data"]["committed_child_ids"] = {"a1", "b2"};
  util::Error named = notion::map_error_response("PATCH", 503, &body, {});
  EXPECT_EQ(notion::committed_child_ids(named), (std::vector<std::string>{"a1", "b2"}));
  EXPECT_EQ(notion::committed_resource_id(named), "59833787-2cf9-4fdf-8782-e53db20768a5");
  body["additional_data"]["committed_child_ids"] = {"a1", "not an id!"};  // all or nothing
  EXPECT_TRUE(
      notion::committed_child_ids(notion::map_error_response("PATCH", 503, &body, {})).empty());
  body["additional_data"].erase("committed_child_ids");
  body["additional_data"].erase("committed_resource_id");
  EXPECT_EQ(notion::committed_resource_id(notion::map_error_response("POST", 503, &body, {})), "");
  EXPECT_EQ(notion::committed_resource_id(util::make_error("object_not_found", "x")), "");
}

TEST_F(ToolsWriteRecovery, CreatePageIsReadBackNotRepeated) {
  std::string parent = id_of("Security policy");
  committing_.fail_writes = {1};
  ToolResult r = call("create_page", {{"parent_id", parent}, {"title", "Saved once"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(committing_.committed_failures, 1);
  EXPECT_EQ(committing_.writes(), 1) << "the create was sent again";
  EXPECT_EQ(r.structured["title"], "Saved once");
  EXPECT_NE(r.text.find("read back, not repeated"), std::string::npos) << r.text;
  EXPECT_EQ(pages_titled("Saved once"), 1u);
}

TEST_F(ToolsWriteRecovery, UpdatesAndTrashAreReadBack) {
  std::string row = id_of("Website redesign");
  committing_.fail_writes = {1, 2, 3, 4};
  ToolResult updated = call("update_page", {{"page_id", row}, {"properties", {{"Budget", 7}}}});
  ASSERT_FALSE(updated.is_error) << updated.text;
  EXPECT_EQ(updated.structured["properties"]["Budget"], 7);
  EXPECT_NE(updated.text.find("read back"), std::string::npos);

  ToolResult trashed = call("trash_page", {{"page_id", row}});
  ASSERT_FALSE(trashed.is_error) << trashed.text;
  EXPECT_EQ(trashed.structured["in_trash"], true);

  ToolResult restored = call("restore_page", {{"page_id", row}});
  ASSERT_FALSE(restored.is_error) << restored.text;
  EXPECT_EQ(restored.structured["in_trash"], false);

  ToolResult comment = call("create_comment", {{"page_id", row}, {"text", "once"}});
  ASSERT_FALSE(comment.is_error) << comment.text;
  EXPECT_EQ(committing_.writes(), 4);
  auto comments = raw_get("/v1/comments?block_id=" + row);
  size_t once = 0;
  for (const Json& c : (*comments)["results"]) once += c["rich_text"][0]["plain_text"] == "once";
  EXPECT_EQ(once, 1u);
}

TEST_F(ToolsWriteRecovery, AppendsAreFoundAmongTheChildren) {
  std::string page = scratch_page("Recovered appends");
  int base = committing_.writes();
  std::string markdown;
  for (int i = 0; i < 150; ++i) markdown += "- x\n";
  markdown += "- last\n  - nested\n    - deeper\n      - deepest\n";
  // The second append request fails after saving; so does the follow-up for the deep level.
  committing_.fail_writes = {base + 2, base + 3};
  ToolResult r = call("append_blocks", {{"block_id", page}, {"markdown", markdown}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(committing_.committed_failures, 2);
  EXPECT_EQ(committing_.writes(), base + 3) << "an append was repeated";
  EXPECT_EQ(r.structured["appended"], 154);
  EXPECT_NE(r.text.find("read back"), std::string::npos);
  std::vector<Json> blocks = children(page);
  ASSERT_EQ(blocks.size(), 151u);
  EXPECT_EQ(text_of(blocks[150]), "last");
  std::vector<Json> nested = children(blocks[150]["id"]);
  ASSERT_EQ(nested.size(), 1u);
  std::vector<Json> deeper = children(nested[0]["id"]);
  ASSERT_EQ(deeper.size(), 1u);
  std::vector<Json> deepest = children(deeper[0]["id"]);
  ASSERT_EQ(deepest.size(), 1u);
  EXPECT_EQ(text_of(deepest[0]), "deepest");
}

// Guessing the new blocks from the parent's last children goes wrong when someone else appends
// in between; the ids Notion names are the ones that were saved.
TEST_F(ToolsWriteRecovery, AppendsUseTheChildIdsNotionNames) {
  std::string page = scratch_page("Named appends");
  committing_.fail_writes = {committing_.writes() + 1};
  committing_.name_children = true;
  committing_.after_commit = [this, page] {
    notion::HttpRequest other;
    other.method = "PATCH";
    other.path = "/v1/blocks/" + page + "/children";
    other.headers = {{"Notion-Version", std::string(notion::kNotionVersion)}};
    other.body = util::dump_json(
        {{"children",
          Json::array({{{"type", "bulleted_list_item"},
                        {"bulleted_list_item",
                         {{"rich_text", Json::array({{{"type", "text"},
                                                      {"text", {{"content", "theirs"}}}}})}}}}})}});
    EXPECT_EQ(workspace_->handle(other).status, 200);
  };
  ToolResult r = call("append_blocks", {{"block_id", page}, {"markdown", "- one\n- two\n"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(committing_.committed_failures, 1);
  std::vector<Json> blocks = children(page);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(text_of(blocks[2]), "theirs");
  EXPECT_EQ(r.structured["block_ids"], Json::array({blocks[0]["id"], blocks[1]["id"]}));
}

TEST_F(ToolsWriteRecovery, ContentEditsAndSchemaChangesAreReadBack) {
  std::string page = scratch_page("Recovered edit");
  ASSERT_FALSE(call("append_blocks", {{"block_id", page}, {"markdown", "one two"}}).is_error);
  committing_.fail_writes = {committing_.writes() + 1};
  ToolResult edited = call(
      "edit_page_content",
      {{"page_id", page}, {"edits", Json::array({{{"old_str", "two"}, {"new_str", "three"}}})}});
  ASSERT_FALSE(edited.is_error) << edited.text;
  EXPECT_NE(page_markdown(page).find("one three"), std::string::npos);

  ToolResult db = call("create_database", {{"parent_id", page}, {"title", "T"}});
  ASSERT_FALSE(db.is_error) << db.text;
  committing_.fail_writes = {committing_.writes() + 1};
  ToolResult schema = call(
      "update_data_source",
      {{"data_source_id", db.structured["data_source_id"]}, {"properties", {{"Tag", "select"}}}});
  ASSERT_FALSE(schema.is_error) << schema.text;
  EXPECT_EQ(schema.structured["properties"]["Tag"], "select");
  EXPECT_NE(schema.text.find("read back"), std::string::npos);

  committing_.fail_writes = {committing_.writes() + 1};
  ToolResult moved = call("move_page", {{"page_id", page}, {"new_parent_id", id_of("Onboarding")}});
  ASSERT_FALSE(moved.is_error) << moved.text;
  EXPECT_EQ(moved.structured["parent"], "page " + id_of("Onboarding"));
}

TEST_F(ToolsWriteRecovery, UploadsAreReadBackAtEachStep) {
  char pattern[] = "/tmp/notion-mcp-recover-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  std::string root = pattern;
  {
    std::ofstream out(root + "/notes.txt");
    out << "hello";
  }
  upload_roots_ = {root};
  read_upload_ = [this](const std::string& path) { return read_upload_file(path, upload_roots_); };
  std::string page = scratch_page("Recovered upload");
  int base = committing_.writes();
  // Create, send and attach each answer 503 after saving.
  committing_.fail_writes = {base + 1, base + 2, base + 3};
  ToolResult r = call_uploading("upload_file", {{"path", "notes.txt"}, {"page_id", page}});
  std::filesystem::remove_all(root);
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(committing_.committed_failures, 3);
  EXPECT_EQ(committing_.writes(), base + 3);
  EXPECT_NE(r.text.find("read back"), std::string::npos);
  std::vector<Json> blocks = children(page);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0]["type"], "file");
  EXPECT_EQ(blocks[0]["id"], r.structured["block_id"]);
}

TEST_F(ToolsWriteRecovery, AWriteThatCannotBeReadBackIsAnErrorThatSaysSo) {
  // A create whose answer names no committed id: nothing to read, so the model is told.
  committing_.fail_writes = {1};
  util::Json body = {{"object", "error"},
                     {"status", 503},
                     {"code", "service_unavailable"},
                     {"message", "Unavailable."},
                     {"additional_data", {{"retry_guidance", "re-read"}}}};
  util::Error error = notion::map_error_response("POST", 503, &body, {});
  ToolResult r = error_result(error);
  EXPECT_NE(r.text.find("Re-read the resource before retrying"), std::string::npos) << r.text;
}

}  // namespace
}  // namespace notion_mcp::tools::testing
