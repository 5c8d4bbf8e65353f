#include "mcp/framing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace notion_mcp::mcp {
namespace {

struct Collected {
  std::vector<std::string> lines;
  int oversized = 0;
  LineReader reader;
  explicit Collected(size_t cap)
      : reader(cap, {[this](std::string_view l) { lines.emplace_back(l); },
                     [this](size_t) { ++oversized; }}) {}
};

TEST(McpFraming, SplitsLinesAcrossReads) {
  Collected c(1024);
  c.reader.feed("{\"a\":1}\n{\"b\"");
  c.reader.feed(":2}\n");
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0], "{\"a\":1}");
  EXPECT_EQ(c.lines[1], "{\"b\":2}");
  EXPECT_EQ(c.reader.buffered(), 0u);
}

TEST(McpFraming, StripsCarriageReturnAndSkipsBlankLines) {
  Collected c(1024);
  c.reader.feed("{}\r\n\n  \n{}\n");
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0], "{}");
}

TEST(McpFraming, OversizedLineIsReportedOnceAndStreamResynchronises) {
  Collected c(16);
  c.reader.feed(std::string(10, 'x'));
  c.reader.feed(std::string(10, 'x'));  // now over the cap, no newline yet
  EXPECT_EQ(c.oversized, 1);
  c.reader.feed(std::string(100, 'y'));  // still the same line: no second report
  EXPECT_EQ(c.oversized, 1);
  EXPECT_EQ(c.reader.buffered(), 0u);  // memory is not held for the discarded line
  c.reader.feed("zz\n{\"ok\":1}\n");
  EXPECT_EQ(c.oversized, 1);
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0], "{\"ok\":1}");
}

TEST(McpFraming, OversizedLineInOneChunk) {
  Collected c(8);
  c.reader.feed("0123456789abcdef\n{}\n");
  EXPECT_EQ(c.oversized, 1);
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0], "{}");
}

TEST(McpFraming, LineExactlyAtCapIsAccepted) {
  Collected c(8);
  c.reader.feed("12345678\n");
  EXPECT_EQ(c.oversized, 0);
  ASSERT_EQ(c.lines.size(), 1u);
}

TEST(McpFraming, FinishEmitsTrailingLineWithoutNewline) {
  Collected c(64);
  c.reader.feed("{\"last\":true}");
  EXPECT_TRUE(c.lines.empty());
  c.reader.finish();
  ASSERT_EQ(c.lines.size(), 1u);
}

}  // namespace
}  // namespace notion_mcp::mcp
