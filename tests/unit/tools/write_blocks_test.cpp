// Markdown → blocks, and how a tree of new blocks is split into append requests that Notion
// accepts, in order, with deeper or overflowing children deferred to follow-up requests.
#include <gtest/gtest.h>

#include <string>

#include "tools/block_chunks.h"
#include "tools/markdown_blocks.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

// "p7": built by appending (GCC 12 warns falsely on "literal" + std::string temporaries).
std::string label(const char* prefix, int i) {
  std::string out(prefix);
  out += std::to_string(i);
  return out;
}

std::string type_of(const BlockNode& node) { return node.block["type"]; }

std::string text_of(const Json& block) {
  std::string type = block["type"];
  std::string out;
  for (const Json& item : block[type].value("rich_text", Json::array())) {
    out += item["text"]["content"].get<std::string>();
  }
  return out;
}

BlockNode paragraph(const std::string& text, std::vector<BlockNode> children = {}) {
  BlockNode node;
  node.block = {
      {"type", "paragraph"},
      {"paragraph", {{"rich_text", {{{"type", "text"}, {"text", {{"content", text}}}}}}}}};
  node.children = std::move(children);
  return node;
}

// The depth of children arrays in one request's JSON.
int nesting(const Json& blocks) {
  int deepest = 0;
  for (const Json& block : blocks) {
    std::string type = block["type"];
    if (block[type].contains("children")) {
      EXPECT_LE(block[type]["children"].size(), kMaxChildren);
      deepest = std::max(deepest, 1 + nesting(block[type]["children"]));
    }
  }
  return deepest;
}

size_t blocks_in(const Json& blocks) {
  size_t total = 0;
  for (const Json& block : blocks) {
    std::string type = block["type"];
    total += 1 + (block[type].contains("children") ? blocks_in(block[type]["children"]) : 0);
  }
  return total;
}

TEST(ToolsWriteBlocks, MarkdownBecomesTypedBlocks) {
  auto nodes = markdown_blocks(
      "# Title\n\nSome **bold** and *italic* with `code` and [a link](https://example.com).\n"
      "## Sub\n### Third\n#### Fourth\n- one\n- two\n1. first\n2) second\n- [ ] todo\n- [x] done\n"
      "> quoted\n> more\n---\n```py\nprint('x')\n  "
      "indented\n```\n![alt](https://example.com/a.png)\n"
      "$$\nE = mc^2\n$$\n| a | b |\n|---|---|\n| 1 | 2 |\n");
  std::vector<std::string> types;
  for (const BlockNode& node : nodes) types.push_back(type_of(node));
  EXPECT_EQ(types,
            (std::vector<std::string>{"heading_1", "paragraph", "heading_2", "heading_3",
                                      "heading_3", "bulleted_list_item", "bulleted_list_item",
                                      "numbered_list_item", "numbered_list_item", "to_do", "to_do",
                                      "quote", "divider", "code", "image", "equation", "table"}));
  const Json& rich = nodes[1].block["paragraph"]["rich_text"];
  ASSERT_GE(rich.size(), 7u);
  EXPECT_EQ(rich[1]["text"]["content"], "bold");
  EXPECT_EQ(rich[1]["annotations"]["bold"], true);
  EXPECT_EQ(rich[3]["annotations"]["italic"], true);
  EXPECT_EQ(rich[5]["annotations"]["code"], true);
  EXPECT_EQ(rich[7]["text"]["link"]["url"], "https://example.com");
  EXPECT_EQ(nodes[9].block["to_do"]["checked"], false);
  EXPECT_EQ(nodes[10].block["to_do"]["checked"], true);
  EXPECT_EQ(text_of(nodes[11].block), "quoted\nmore");
  EXPECT_EQ(nodes[13].block["code"]["language"], "python");
  EXPECT_EQ(text_of(nodes[13].block), "print('x')\n  indented");
  EXPECT_EQ(nodes[14].block["image"]["external"]["url"], "https://example.com/a.png");
  EXPECT_EQ(nodes[15].block["equation"]["expression"], "E = mc^2");
  EXPECT_EQ(nodes[16].block["table"]["table_width"], 2);
  EXPECT_EQ(nodes[16].block["table"]["has_column_header"], true);
  ASSERT_EQ(nodes[16].children.size(), 2u);
  EXPECT_EQ(nodes[16].children[1].block["table_row"]["cells"][1][0]["text"]["content"], "2");
}

TEST(ToolsWriteBlocks, MarkdownLeavesLiteralMarkersAlone) {
  Json rich = markdown_rich_text("snake_case_name costs $5 and 2 * 3 = 6, \\*not italic\\*");
  ASSERT_EQ(rich.size(), 1u) << rich.dump();
  EXPECT_EQ(rich[0]["text"]["content"], "snake_case_name costs $5 and 2 * 3 = 6, *not italic*");
  EXPECT_FALSE(rich[0].contains("annotations"));
}

TEST(ToolsWriteBlocks, IndentationNestsUnderBlocksThatTakeChildren) {
  auto nodes = markdown_blocks("- a\n  - b\n    - c\n\t\t\t- d\n- e\n# h\n  - under heading\n");
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(text_of(nodes[0].block), "a");
  ASSERT_EQ(nodes[0].children.size(), 1u);
  ASSERT_EQ(nodes[0].children[0].children.size(), 1u);
  ASSERT_EQ(nodes[0].children[0].children[0].children.size(), 1u);
  EXPECT_EQ(text_of(nodes[0].children[0].children[0].children[0].block), "d");
  EXPECT_EQ(text_of(nodes[1].block), "e");
  // A heading takes no children: the indented item becomes its sibling.
  EXPECT_EQ(type_of(nodes[2]), "heading_1");
  EXPECT_EQ(text_of(nodes[3].block), "under heading");
}

TEST(ToolsWriteBlocks, LongTextIsSplitIntoItemsOf2000) {
  std::string long_text(4500, 'x');
  Json rich = markdown_rich_text(long_text);
  ASSERT_EQ(rich.size(), 3u);
  EXPECT_EQ(rich[0]["text"]["content"].get<std::string>().size(), 2000u);
  // UTF-8 sequences are never cut.
  std::string accents;
  for (int i = 0; i < 1500; ++i) accents += "é";
  for (const Json& item : markdown_rich_text(accents)) {
    std::string piece = item["text"]["content"];
    EXPECT_LE(piece.size(), 2000u);
    EXPECT_EQ(piece.size() % 2, 0u);
  }
}

TEST(ToolsWriteBlocks, BlockObjectsKeepChildrenFromEitherPlace) {
  Json input = Json::array(
      {{{"type", "toggle"},
        {"toggle",
         {{"rich_text", Json::array()},
          {"children", Json::array({{{"paragraph", {{"rich_text", Json::array()}}}}})}}}},
       {{"object", "block"},
        {"bulleted_list_item", {{"rich_text", Json::array()}}},
        {"children", Json::array({{{"type", "divider"}, {"divider", Json::object()}}})}}});
  auto nodes = block_nodes(input);
  ASSERT_TRUE(nodes.ok()) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_FALSE((*nodes)[0].block["toggle"].contains("children"));
  ASSERT_EQ((*nodes)[0].children.size(), 1u);
  EXPECT_EQ(type_of((*nodes)[0].children[0]), "paragraph");
  EXPECT_EQ(type_of((*nodes)[1]), "bulleted_list_item");
  EXPECT_EQ(type_of((*nodes)[1].children[0]), "divider");
  auto bad = block_nodes(Json::array({"text"}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("blocks[0]"), std::string::npos);
}

TEST(ToolsWriteBlocks, AHundredBlocksPerRequestInOrder) {
  std::vector<BlockNode> nodes;
  for (int i = 0; i < 250; ++i) nodes.push_back(paragraph(label("p", i)));
  EXPECT_EQ(count_requests(nodes), 3u);
  size_t begin = 0;
  int next = 0;
  for (int request = 0; request < 3; ++request) {
    Chunk chunk = plan_chunk(nodes, begin);
    EXPECT_EQ(chunk.children.size(), request < 2 ? 100u : 50u);
    EXPECT_TRUE(chunk.deferred.empty());
    for (const Json& block : chunk.children) EXPECT_EQ(text_of(block), label("p", next++));
    begin = chunk.end;
  }
  EXPECT_EQ(begin, 250u);
}

TEST(ToolsWriteBlocks, DeeperLevelsAreDeferredToTheBlocksCreated) {
  // a > b > c > d > e: one request carries a, b and c; d goes under c, e under d.
  std::vector<BlockNode> nodes{
      paragraph("a", {paragraph("b", {paragraph("c", {paragraph("d", {paragraph("e")})})})}),
      paragraph("f")};
  Chunk chunk = plan_chunk(nodes, 0);
  EXPECT_EQ(chunk.end, 2u);
  EXPECT_EQ(nesting(chunk.children), 2);
  ASSERT_EQ(chunk.deferred.size(), 1u);
  EXPECT_EQ(chunk.deferred[0].path, (std::vector<size_t>{0, 0, 0}));
  EXPECT_EQ(text_of(chunk.deferred[0].node->block), "c");
  EXPECT_EQ(chunk.deferred[0].from, 0u);
  EXPECT_EQ(count_requests(nodes), 2u);
}

TEST(ToolsWriteBlocks, OverflowingChildrenFollowInLaterRequests) {
  std::vector<BlockNode> kids;
  for (int i = 0; i < 150; ++i) kids.push_back(paragraph(label("k", i)));
  std::vector<BlockNode> nodes{paragraph("parent", kids)};
  Chunk chunk = plan_chunk(nodes, 0);
  ASSERT_EQ(chunk.deferred.size(), 1u);
  EXPECT_EQ(chunk.deferred[0].path, (std::vector<size_t>{0}));
  EXPECT_EQ(chunk.deferred[0].from, 100u);
  EXPECT_EQ(chunk.children[0]["paragraph"]["children"].size(), 100u);
  EXPECT_EQ(count_requests(nodes), 2u);
}

TEST(ToolsWriteBlocks, RequestsStayUnderAThousandBlocks) {
  // 20 blocks with 60 children each: 1220 blocks, so two requests.
  std::vector<BlockNode> nodes;
  for (int i = 0; i < 20; ++i) {
    std::vector<BlockNode> kids;
    for (int k = 0; k < 60; ++k) kids.push_back(paragraph("x"));
    nodes.push_back(paragraph(label("top", i), kids));
  }
  Chunk first = plan_chunk(nodes, 0);
  EXPECT_LE(blocks_in(first.children), kMaxBlocksPerRequest);
  EXPECT_TRUE(first.deferred.empty()) << "whole subtrees move to the next request";
  Chunk second = plan_chunk(nodes, first.end);
  EXPECT_EQ(second.end, 20u);
  EXPECT_EQ(blocks_in(first.children) + blocks_in(second.children), 1220u);
}

TEST(ToolsWriteBlocks, TablesAndColumnsAreNeverCreatedEmpty) {
  // A table two levels down would lose its rows to the depth limit: its parent's children
  // move to a follow-up request, where the table sits at the top.
  BlockNode table;
  table.block = {{"type", "table"}, {"table", {{"table_width", 1}}}};
  table.children.push_back(
      BlockNode{{{"type", "table_row"}, {"table_row", {{"cells", {Json::array()}}}}}, {}});
  std::vector<BlockNode> nodes{paragraph("a", {paragraph("b", {table})})};
  Chunk chunk = plan_chunk(nodes, 0);
  ASSERT_EQ(chunk.deferred.size(), 1u);
  EXPECT_EQ(chunk.deferred[0].path, (std::vector<size_t>{0, 0}));
  EXPECT_EQ(nesting(chunk.children), 1);
  Chunk follow = plan_chunk(chunk.deferred[0].node->children, chunk.deferred[0].from);
  EXPECT_EQ(follow.children[0]["type"], "table");
  EXPECT_EQ(follow.children[0]["table"]["children"].size(), 1u);
}

}  // namespace
}  // namespace notion_mcp::tools
