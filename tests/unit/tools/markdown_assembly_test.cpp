#include "tools/markdown_assembly.h"

#include <gtest/gtest.h>

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr const char* kA = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
constexpr const char* kB = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
constexpr const char* kC = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";

TEST(ToolsMarkdownAssembly, AppendsLeftOutBlocksInOrder) {
  MarkdownAssembly assembly("# Title\nfirst", Json::array({kA, kB}));
  EXPECT_EQ(assembly.pending(), 2u);
  auto next = assembly.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->block_id, kA);
  EXPECT_EQ(next->position, assembly.markdown().size());
  assembly.fill(kA, "second\n", Json::array());
  next = assembly.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->block_id, kB);
  // A left-out block can itself be cut short; its own left-out blocks follow it.
  assembly.fill(kB, "third", Json::array({kC}));
  assembly.fill(kC, "fourth", Json::array());
  EXPECT_FALSE(assembly.next());
  EXPECT_EQ(assembly.markdown(), "# Title\nfirst\nsecond\nthird\nfourth");
}

TEST(ToolsMarkdownAssembly, ReplacesPlaceholderLinesInPlaceWithTheirIndentation) {
  std::string page =
      std::string("intro\n\t<unknown url=\"https://www.notion.so/") +
      "aaaaaaaaaaaa4aaa8aaaaaaaaaaaaaaa\" alt=\"toggle\"/>\nmiddle\n<unknown url=\"" +
      "https://www.notion.so/bbbbbbbbbbbb4bbb8bbbbbbbbbbbbbbb\"/>\nend";
  MarkdownAssembly assembly(page, Json::array({kB, kA}));
  // Text order, not list order.
  auto next = assembly.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->block_id, kA);
  EXPECT_EQ(next->position, 6u);
  assembly.fill(kA, "- one\n\t- nested\n", Json::array());
  next = assembly.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->block_id, kB);
  assembly.fill(kB, "B content", Json::array());
  EXPECT_EQ(assembly.markdown(), "intro\n\t- one\n\t\t- nested\nmiddle\nB content\nend");
}

TEST(ToolsMarkdownAssembly, AMentionInsideASentenceIsNotAPlaceholder) {
  std::string page = std::string("See <mention-page url=\"https://www.notion.so/") +
                     "aaaaaaaaaaaa4aaa8aaaaaaaaaaaaaaa\"/> for details.";
  MarkdownAssembly assembly(page, Json::array({kA}));
  assembly.fill(kA, "appended", Json::array());
  EXPECT_EQ(assembly.markdown(), page + "\nappended");
}

TEST(ToolsMarkdownAssembly, DroppedBlocksAreForgotten) {
  MarkdownAssembly assembly("text", Json::array({kA, kA, kB, 7}));
  EXPECT_EQ(assembly.pending(), 2u);  // duplicates and non-strings ignored
  assembly.drop(kA);
  assembly.fill("not-pending", "ignored", Json::array());
  ASSERT_TRUE(assembly.next());
  EXPECT_EQ(assembly.next()->block_id, kB);
  EXPECT_EQ(assembly.markdown(), "text");
}

TEST(ToolsMarkdownAssembly, WindowWholeTextWhenItFits) {
  ContentWindow w = content_window("short text", 0, 100);
  EXPECT_EQ(w.begin, 0u);
  EXPECT_EQ(w.end, 10u);
  EXPECT_FALSE(w.more);
  w = content_window("short text", 6, 100);
  EXPECT_EQ(w.begin, 6u);
  EXPECT_FALSE(w.more);
}

TEST(ToolsMarkdownAssembly, WindowEndsAfterANewline) {
  std::string text = "line one\nline two\nline three\n";
  ContentWindow w = content_window(text, 0, 20);
  EXPECT_TRUE(w.more);
  EXPECT_EQ(text.substr(w.begin, w.end - w.begin), "line one\nline two\n");
  ContentWindow rest = content_window(text, w.end, 20);
  EXPECT_FALSE(rest.more);
  EXPECT_EQ(text.substr(rest.begin, rest.end - rest.begin), "line three\n");
}

TEST(ToolsMarkdownAssembly, WindowNeverSplitsAUtf8Character) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "é→";  // 2 + 3 bytes each
  for (size_t offset : {0u, 1u, 2u, 3u, 4u}) {
    for (size_t max : {1u, 2u, 4u, 7u, 11u}) {
      ContentWindow w = content_window(text, offset, max);
      ASSERT_LT(w.begin, w.end);
      for (size_t edge : {w.begin, w.end}) {
        if (edge < text.size()) {
          EXPECT_NE(static_cast<unsigned char>(text[edge]) & 0xC0, 0x80)
              << "offset " << offset << " max " << max;
        }
      }
    }
  }
  // Reading window after window covers the text exactly once.
  std::string joined;
  size_t offset = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    ContentWindow w = content_window(text, offset, 7);
    joined += text.substr(w.begin, w.end - w.begin);
    if (!w.more) break;
    offset = w.end;
  }
  EXPECT_EQ(joined, text);
}

}  // namespace
}  // namespace notion_mcp::tools
