#include "tools/ids.h"

#include <gtest/gtest.h>

namespace notion_mcp::tools {
namespace {

constexpr const char* kDashed = "1a2b3c4d-5e6f-4a1b-8c2d-0123456789ab";
constexpr const char* kHex = "1a2b3c4d5e6f4a1b8c2d0123456789ab";

std::string parsed(std::string_view input) {
  auto id = parse_notion_id(input);
  return id.ok() ? *id : "error: " + id.error().message;
}

TEST(ToolsIds, AcceptsDashedAndUndashedUuids) {
  EXPECT_EQ(parsed(kDashed), kDashed);
  EXPECT_EQ(parsed(kHex), kDashed);
  EXPECT_EQ(parsed("1A2B3C4D5E6F4A1B8C2D0123456789AB"), kDashed);
  EXPECT_EQ(parsed("1A2B3C4D-5E6F-4A1B-8C2D-0123456789AB"), kDashed);
  EXPECT_EQ(parsed("  1a2b3c4d5e6f4a1b8c2d0123456789ab\n"), kDashed);
  EXPECT_EQ(parsed("\"1a2b3c4d5e6f4a1b8c2d0123456789ab\""), kDashed);
}

TEST(ToolsIds, AcceptsNotionUrls) {
  EXPECT_EQ(parsed(std::string("https://www.notion.so/Project-Plan-") + kHex), kDashed);
  EXPECT_EQ(parsed(std::string("https://www.notion.so/acme/Project-Plan-") + kHex +
                   "?v=" + "ffffffffffffffffffffffffffffffff&pvs=4"),
            kDashed);
  EXPECT_EQ(parsed(std::string("notion.so/") + kHex), kDashed);
  EXPECT_EQ(parsed(std::string("www.notion.so/acme/") + kHex + "/"), kDashed);
  EXPECT_EQ(parsed(std::string("https://acme.notion.site/Handbook-") + kHex), kDashed);
  EXPECT_EQ(parsed(std::string("https://www.notion.so/") + kDashed), kDashed);
  EXPECT_EQ(parsed(std::string("http://notion.so/Title-With-Dashes-") + kHex), kDashed);
  // A title that itself ends in hex digits does not confuse the parser.
  EXPECT_EQ(parsed(std::string("https://www.notion.so/Cafe-beef-") + kHex), kDashed);
}

TEST(ToolsIds, FragmentIsIgnoredForPagesAndWinsForBlocks) {
  std::string block_hex = "ffeeddccbbaa44998877665544332211";
  std::string url = std::string("https://www.notion.so/Page-") + kHex + "#" + block_hex;
  EXPECT_EQ(parsed(url), kDashed);
  auto block = parse_block_id(url);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(*block, "ffeeddcc-bbaa-4499-8877-665544332211");
  // Without a usable fragment the block id is the page id.
  auto page = parse_block_id(std::string("https://www.notion.so/Page-") + kHex + "#heading");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(*page, kDashed);
}

TEST(ToolsIds, SidePeekUrlGivesThePageForPagesAndTheDatabaseOtherwise) {
  std::string database = "ffeeddccbbaa44998877665544332211";
  std::string url = "https://www.notion.so/acme/" + database +
                    "?v=00112233445566778899aabbccddeeff&p=" + kHex + "&pm=s";
  EXPECT_EQ(parsed(url), "ffeeddcc-bbaa-4499-8877-665544332211");
  auto page = parse_page_id(url);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(*page, kDashed);
  auto block = parse_block_id(url);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(*block, kDashed);
  // Without p= a page URL is a page URL.
  auto plain = parse_page_id(std::string("https://www.notion.so/Title-") + kHex + "?pvs=4");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, kDashed);
}

// The one extraction every parse_* picks from, and that --scope checks in full.
TEST(ToolsIds, IdsInGivesEveryIdAUrlCarries) {
  std::string database = "ffeeddccbbaa44998877665544332211";
  std::string block = "00112233445566778899aabbccddeeff";
  auto all = ids_in("https://www.notion.so/acme/" + database + "?v=1&p=" + kHex + "#" + block);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->path, "ffeeddcc-bbaa-4499-8877-665544332211");
  EXPECT_EQ(all->peek_page, kDashed);
  EXPECT_EQ(all->block, "00112233-4455-6677-8899-aabbccddeeff");
  auto bare = ids_in(kHex);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->path, kDashed);
  EXPECT_TRUE(bare->peek_page.empty());
  EXPECT_TRUE(bare->block.empty());
  // A URL whose path names no id but whose side peek does.
  auto peek_only = ids_in(std::string("https://www.notion.so/acme/?p=") + kHex);
  ASSERT_TRUE(peek_only.ok());
  EXPECT_TRUE(peek_only->path.empty());
  EXPECT_EQ(peek_only->peek_page, kDashed);
  EXPECT_FALSE(ids_in("https://www.notion.so/acme/?v=1#heading").ok());
  EXPECT_FALSE(ids_in("https://example.com/" + std::string(kHex)).ok());
}

TEST(ToolsIds, RejectsWhatIsNotAnId) {
  for (std::string_view bad :
       {"", "   ", "hello", "1a2b3c4d5e6f4a1b8c2d0123456789a", "1a2b3c4d5e6f4a1b8c2d0123456789abc0",
        "1a2b3c4d5e6f4a1b8c2d0123456789ag", "1a2b3c4d-5e6f4a1b-8c2d-0123456789ab-",
        "https://www.notion.so/", "https://www.notion.so/Just-A-Title",
        "https://example.com/Page-1a2b3c4d5e6f4a1b8c2d0123456789ab",
        "https://notion.so.evil.example/Page-1a2b3c4d5e6f4a1b8c2d0123456789ab",
        "https://evilnotion.so/Page-1a2b3c4d5e6f4a1b8c2d0123456789ab"}) {
    auto id = parse_notion_id(bad);
    ASSERT_FALSE(id.ok()) << "accepted: " << bad;
    EXPECT_FALSE(parse_page_id(bad).ok()) << bad;
    EXPECT_FALSE(parse_block_id(bad).ok()) << bad;
    EXPECT_EQ(id.error().code, "invalid_id");
    EXPECT_NE(id.error().message.find("32-character id"), std::string::npos) << id.error().message;
    EXPECT_FALSE(id.error().hint.empty());
  }
}

TEST(ToolsIds, ErrorQuotesLongInputShortly) {
  std::string long_input(5000, 'x');
  auto id = parse_notion_id(long_input);
  ASSERT_FALSE(id.ok());
  EXPECT_LT(id.error().message.size(), 300u);
}

TEST(ToolsIds, DashedUuidFormats) {
  EXPECT_EQ(dashed_uuid(kHex), kDashed);
  EXPECT_EQ(dashed_uuid("xyz"), "");
  EXPECT_EQ(dashed_uuid("1a2b3c4d5e6f4a1b8c2d0123456789az"), "");
}

}  // namespace
}  // namespace notion_mcp::tools
