// edit_page_content and append_blocks on the demo workspace: edits, replacing, the refusal to
// delete content, and appends split into many requests that keep order and nesting.
#include "tests/unit/tools/write_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsWriteContent : public WriteFixture {
 protected:
  // "label7": appended piece by piece (GCC 12 warns falsely on "literal" + std::string&&).
  static std::string label(const char* prefix, size_t i) {
    std::string out(prefix);
    out += std::to_string(i);
    return out;
  }
};

TEST_F(ToolsWriteContent, AppliesSearchAndReplaceEdits) {
  std::string page = scratch_page("Edits");
  ASSERT_FALSE(
      call("append_blocks", {{"block_id", page}, {"markdown", "alpha beta\n\nbeta gamma\n"}})
          .is_error);
  ToolResult r = call(
      "edit_page_content",
      {{"page_id", page},
       {"edits",
        Json::array({{{"old_str", "alpha"}, {"new_str", "ALPHA"}},
                     {{"old_str", "beta"}, {"new_str", "BETA"}, {"replace_all_matches", true}}})}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["edits_applied"], 2);
  EXPECT_GT(r.structured["characters"].get<int>(), 10);
  std::string markdown = page_markdown(page);
  EXPECT_NE(markdown.find("ALPHA BETA"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("BETA gamma"), std::string::npos) << markdown;

  ToolResult no_match =
      call("edit_page_content",
           {{"page_id", page}, {"edits", Json::array({{{"old_str", "zeta"}, {"new_str", "x"}}})}});
  ASSERT_TRUE(no_match.is_error);
  EXPECT_NE(no_match.text.find("copy old_str exactly"), std::string::npos) << no_match.text;
  ToolResult both =
      call("edit_page_content", {{"page_id", page}, {"edits", Json::array()}, {"replace", "x"}});
  ASSERT_TRUE(both.is_error);
  ToolResult empty = call("edit_page_content", {{"page_id", page}, {"edits", Json::array()}});
  ASSERT_TRUE(empty.is_error);
}

TEST_F(ToolsWriteContent, ReplacesTheWholeContent) {
  std::string page = scratch_page("Replace me");
  ASSERT_FALSE(call("append_blocks", {{"block_id", page}, {"markdown", "old text\n"}}).is_error);
  ToolResult r =
      call("edit_page_content", {{"page_id", page}, {"replace", "## New\nfresh text\n- item\n"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_FALSE(r.structured.contains("edits_applied"));
  std::string markdown = page_markdown(page);
  EXPECT_EQ(markdown.find("old text"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("fresh text"), std::string::npos) << markdown;
}

TEST_F(ToolsWriteContent, RefusesAReplaceThatDropsSubPages) {
  // Onboarding holds a sub-page ("First week checklist").
  std::string page = id_of("Onboarding");
  std::string before = page_markdown(page);
  ASSERT_NE(before.find("<page url="), std::string::npos) << before;

  ToolResult refused = call("edit_page_content", {{"page_id", page}, {"replace", "Just text.\n"}});
  ASSERT_TRUE(refused.is_error);
  EXPECT_EQ(refused.structured["error"]["code"], "content_would_be_deleted") << refused.text;
  EXPECT_NE(refused.text.find("First week checklist"), std::string::npos) << refused.text;
  EXPECT_NE(refused.text.find("allow_deleting_content"), std::string::npos) << refused.text;
  EXPECT_EQ(page_markdown(page), before) << "a refused replace changed the page";

  ToolResult wipe = call("edit_page_content", {{"page_id", page}, {"replace", "  \n"}});
  ASSERT_TRUE(wipe.is_error);
  EXPECT_NE(wipe.text.find("empty"), std::string::npos) << wipe.text;

  // Keeping the <page> line keeps the sub-page: allowed.
  size_t start = before.find("<page url=");
  size_t end = before.find('\n', start);
  std::string keep = "New intro.\n";
  keep += before.substr(start, end - start);
  keep += "\n";
  ToolResult kept = call("edit_page_content", {{"page_id", page}, {"replace", keep}});
  ASSERT_FALSE(kept.is_error) << kept.text;
  EXPECT_NE(page_markdown(page).find("First week checklist"), std::string::npos);
}

TEST_F(ToolsWriteContent, DeletesSubPagesOnlyWhenAllowed) {
  std::string page = id_of("Onboarding");
  std::string child = id_of("First week checklist");
  // Through edits, Notion itself refuses (the flag is passed through, not set by us).
  std::string before = page_markdown(page);
  size_t start = before.find("<page url=");
  size_t end = before.find('\n', start);
  std::string line = before.substr(start, end - start);
  ToolResult refused =
      call("edit_page_content",
           {{"page_id", page}, {"edits", Json::array({{{"old_str", line}, {"new_str", "gone"}}})}});
  ASSERT_TRUE(refused.is_error);
  EXPECT_EQ(refused.structured["error"]["code"], "validation_error") << refused.text;

  ToolResult allowed =
      call("edit_page_content",
           {{"page_id", page}, {"replace", "Only this.\n"}, {"allow_deleting_content", true}});
  ASSERT_FALSE(allowed.is_error) << allowed.text;
  auto sub = raw_get("/v1/pages/" + child);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ((*sub)["in_trash"], true);
}

TEST_F(ToolsWriteContent, AppendsManyBlocksInOrderWithProgress) {
  std::string page = scratch_page("Long list");
  std::string markdown;
  for (size_t i = 0; i < 250; ++i) markdown += label("- item ", i) + "\n";
  progress_.clear();
  ToolResult r = call("append_blocks", {{"block_id", page}, {"markdown", markdown}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["appended"], 250);
  EXPECT_EQ(r.structured["requests"], 3);
  EXPECT_EQ(r.structured["block_ids"].size(), 250u);
  std::vector<Json> blocks = children(page);
  ASSERT_EQ(blocks.size(), 250u);
  for (size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(text_of(blocks[i]), label("item ", i));
    EXPECT_EQ(blocks[i]["id"], r.structured["block_ids"][i]);
  }
  // One report per request, then the final one.
  ASSERT_EQ(progress_.size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(progress_[i].progress, static_cast<double>(i));
    EXPECT_EQ(progress_[i].total, 3);
  }
  EXPECT_EQ(progress_[3].progress, 3);
}

TEST_F(ToolsWriteContent, AppendsDeepNestingInFollowUpRequests) {
  std::string page = scratch_page("Deep");
  // Seven levels: a request carries three, so l4..l6 follow under l3 and l7 under l6.
  std::string markdown =
      "- l1\n  - l2\n    - l3\n      - l4\n        - l5\n          - l6\n            - l7\n"
      "      - l4b\n    - l3b\n- second\n";
  ToolResult r = call("append_blocks", {{"block_id", page}, {"markdown", markdown}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["appended"], 10);
  EXPECT_EQ(r.structured["requests"], 3);
  std::vector<Json> top = children(page);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(text_of(top[0]), "l1");
  EXPECT_EQ(text_of(top[1]), "second");
  std::vector<Json> l2 = children(top[0]["id"]);
  ASSERT_EQ(l2.size(), 1u);
  std::vector<Json> l3 = children(l2[0]["id"]);
  ASSERT_EQ(l3.size(), 2u);
  EXPECT_EQ(text_of(l3[0]), "l3");
  EXPECT_EQ(text_of(l3[1]), "l3b");
  std::vector<Json> l4 = children(l3[0]["id"]);
  ASSERT_EQ(l4.size(), 2u);
  EXPECT_EQ(text_of(l4[0]), "l4");
  EXPECT_EQ(text_of(l4[1]), "l4b");
  std::vector<Json> l5 = children(l4[0]["id"]);
  ASSERT_EQ(l5.size(), 1u);
  std::vector<Json> l6 = children(l5[0]["id"]);
  ASSERT_EQ(l6.size(), 1u);
  std::vector<Json> l7 = children(l6[0]["id"]);
  ASSERT_EQ(l7.size(), 1u);
  EXPECT_EQ(text_of(l7[0]), "l7");
  EXPECT_TRUE(children(l7[0]["id"]).empty());
}

TEST_F(ToolsWriteContent, AppendsMoreThanAHundredChildrenUnderOneBlock) {
  std::string page = scratch_page("Wide");
  Json kids = Json::array();
  for (size_t i = 0; i < 130; ++i) {
    kids.push_back({{"type", "paragraph"},
                    {"paragraph", {{"rich_text", {{{"text", {{"content", label("c", i)}}}}}}}}});
  }
  Json blocks = Json::array(
      {{{"type", "toggle"},
        {"toggle", {{"rich_text", {{{"text", {{"content", "holder"}}}}}}, {"children", kids}}}}});
  ToolResult r = call("append_blocks", {{"block_id", page}, {"blocks", blocks}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["appended"], 131);
  EXPECT_EQ(r.structured["requests"], 2);
  std::vector<Json> inside = children(r.structured["block_ids"][0]);
  ASSERT_EQ(inside.size(), 130u);
  for (size_t i = 0; i < inside.size(); ++i) EXPECT_EQ(text_of(inside[i]), label("c", i));
}

TEST_F(ToolsWriteContent, AppendsAfterABlockAcrossRequests) {
  std::string page = scratch_page("Insert");
  ToolResult first = call("append_blocks", {{"block_id", page}, {"markdown", "head\n\ntail\n"}});
  ASSERT_FALSE(first.is_error) << first.text;
  std::string markdown;
  for (size_t i = 0; i < 120; ++i) markdown += label("mid ", i) + "\n\n";
  ToolResult r = call("append_blocks", {{"block_id", page},
                                        {"markdown", markdown},
                                        {"after_block_id", first.structured["block_ids"][0]}});
  ASSERT_FALSE(r.is_error) << r.text;
  std::vector<Json> blocks = children(page);
  ASSERT_EQ(blocks.size(), 122u);
  EXPECT_EQ(text_of(blocks[0]), "head");
  for (size_t i = 0; i < 120; ++i) EXPECT_EQ(text_of(blocks[i + 1]), label("mid ", i));
  EXPECT_EQ(text_of(blocks[121]), "tail");
}

TEST_F(ToolsWriteContent, AppendsTablesAndCodeFromMarkdown) {
  std::string page = scratch_page("Table");
  ToolResult r =
      call("append_blocks",
           {{"block_id", page},
            {"markdown", "| Name | Role |\n|---|---|\n| Ada | Eng |\n\n```js\nx()\n```\n"}});
  ASSERT_FALSE(r.is_error) << r.text;
  std::vector<Json> blocks = children(page);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0]["type"], "table");
  EXPECT_EQ(children(blocks[0]["id"]).size(), 2u);
  EXPECT_EQ(blocks[1]["code"]["language"], "javascript");
}

TEST_F(ToolsWriteContent, ReportsWhatWasAppendedBeforeAnError) {
  std::string page = scratch_page("Half");
  Json blocks = Json::array();
  for (size_t i = 0; i < 100; ++i) {
    blocks.push_back(
        {{"type", "paragraph"}, {"paragraph", {{"rich_text", {{{"text", {{"content", "ok"}}}}}}}}});
  }
  blocks.push_back({{"type", "no_such_block"}, {"no_such_block", Json::object()}});
  ToolResult r = call("append_blocks", {{"block_id", page}, {"blocks", blocks}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("Appended 100 of 101 blocks, then:"), std::string::npos) << r.text;
  EXPECT_EQ(children(page).size(), 100u);

  ToolResult neither = call("append_blocks", {{"block_id", page}});
  ASSERT_TRUE(neither.is_error);
  ToolResult nothing = call("append_blocks", {{"block_id", page}, {"markdown", "\n\n"}});
  ASSERT_TRUE(nothing.is_error);
  ToolResult bad = call("append_blocks", {{"block_id", page}, {"blocks", Json::array({1})}});
  ASSERT_TRUE(bad.is_error);
  EXPECT_NE(bad.text.find("blocks[0]"), std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::tools::testing
