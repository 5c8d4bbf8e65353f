#include "util/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace notion_mcp::util {
namespace {

TEST(UtilUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ASCII, with\ttabs\nand lines"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_TRUE(valid_utf8("\xed\x9f\xbf"));                               // U+D7FF
  EXPECT_TRUE(valid_utf8("\xee\x80\x80"));                               // U+E000
  EXPECT_TRUE(valid_utf8("\xf4\x8f\xbf\xbf"));                           // U+10FFFF
  EXPECT_TRUE(valid_utf8(std::string("nul \0 inside", 12)));
}

TEST(UtilUtf8, RefusesWhatRfc3629Forbids) {
  for (const char* bad : {
           "\x80",              // a lone continuation byte
           "\xc3",              // a truncated sequence
           "\xe2\x82",          // truncated, three bytes
           "\xc0\xaf",          // overlong '/'
           "\xc1\xbf",          // overlong
           "\xe0\x80\xaf",      // overlong, three bytes
           "\xf0\x80\x80\xaf",  // overlong, four bytes
           "\xed\xa0\x80",      // U+D800, a surrogate
           "\xed\xbf\xbf",      // U+DFFF
           "\xf4\x90\x80\x80",  // U+110000
           "\xf5\x80\x80\x80",  // lead byte beyond U+10FFFF
           "\xff",              // never in UTF-8
           "ok\xc3(",           // a continuation byte that is not one
       }) {
    EXPECT_FALSE(valid_utf8(bad)) << testing::PrintToString(std::string(bad));
  }
}

TEST(UtilUtf8, SequenceLengthPerPosition) {
  std::string text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x80";
  EXPECT_EQ(utf8_sequence_length(text, 0), 1u);
  EXPECT_EQ(utf8_sequence_length(text, 1), 2u);
  EXPECT_EQ(utf8_sequence_length(text, 3), 3u);
  EXPECT_EQ(utf8_sequence_length(text, 6), 4u);
  EXPECT_EQ(utf8_sequence_length(text, 10), 0u);  // a stray continuation byte
  EXPECT_EQ(utf8_sequence_length(text, 11), 0u);  // past the end
}

}  // namespace
}  // namespace notion_mcp::util
