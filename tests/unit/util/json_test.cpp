#include "util/json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace notion_mcp::util {
namespace {

TEST(UtilJson, ParsesDocumentsOfEveryShape) {
  auto doc =
      parse_json(R"({"a":[1,-2,3.5,true,null,"x"],"b":{"c":"\u00e9"},"big":18446744073709551615})");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["a"][1], -2);
  EXPECT_DOUBLE_EQ((*doc)["a"][2].get<double>(), 3.5);
  EXPECT_TRUE((*doc)["a"][4].is_null());
  EXPECT_EQ((*doc)["b"]["c"], "é");
  EXPECT_EQ((*doc)["big"].get<uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(*parse_json("42"), 42);
  EXPECT_EQ(*parse_json("\"s\""), "s");
  EXPECT_TRUE(parse_json("null")->is_null());
}

TEST(UtilJson, RejectsInvalidJsonAndUtf8) {
  for (std::string_view bad : {"{", "{\"a\":}", "[1,]", "", "{} {}", "nul", "{\"a\":1}x"}) {
    auto result = parse_json(bad);
    EXPECT_FALSE(result.ok()) << bad;
    if (!result.ok()) {
      EXPECT_EQ(result.error().code, "parse_error");
    }
  }
  std::string invalid_utf8 = "{\"a\":\"\xff\xfe\"}";
  auto result = parse_json(invalid_utf8);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("UTF-8"), std::string::npos);
}

TEST(UtilJson, RejectsExcessiveNesting) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  EXPECT_FALSE(parse_json(deep).ok());
}

// The broker's parser (nlohmann's) must accept and refuse exactly what parse_json (simdjson's)
// does on the documents it sees.
TEST(UtilJson, SmallParserAgreesWithTheMainParser) {
  const std::vector<std::string> documents = {
      R"({"access_token":"x","refresh_token":"y","bot_id":"b","workspace_name":"W\u00e9"})",
      R"({"a":[1,-2,3.5e3,true,false,null,"x"],"b":{}})",
      "42",
      "\"s\"",
      "null",
      " [ ] ",
      "{",
      R"({"a":})",
      "[1,]",
      "",
      "{} {}",
      "nul",
      R"({"a":1}x)",
      R"({"a":01})",
      R"({"a":"\x"})",
      "{\"a\":\"\xff\xfe\"}",
      "{\"a\":\"\xc0\xaf\"}",
      "{\"a\":\"\xed\xa0\x80\"}",
      "\"\xf4\x90\x80\x80\"",
      "\"\xe2\x82\xac\"",
      std::string(200, '[') + std::string(200, ']'),
      std::string(128, '[') + "1" + std::string(128, ']'),
      std::string(127, '[') + "1" + std::string(127, ']'),
      std::string(127, '[') + "{\"a\":1}" + std::string(127, ']'),
      std::string(126, '[') + "{\"a\":1}" + std::string(126, ']'),
      std::string(127, '[') + "{}" + std::string(127, ']'),
      std::string(129, '[') + std::string(129, ']')};
  for (const auto& document : documents) {
    auto main = parse_json(document);
    auto small = parse_small_json(document);
    ASSERT_EQ(main.ok(), small.ok()) << document;
    if (main.ok()) {
      EXPECT_EQ(*main, *small) << document;
    } else {
      EXPECT_EQ(small.error().code, "parse_error");
    }
  }
}

TEST(UtilJson, SmallParserRefusesLargeOrDeepDocuments) {
  std::string large(kSmallJsonMaxBytes + 2, 'a');  // a JSON string one byte over
  large.front() = '"';
  large.back() = '"';
  auto too_large = parse_small_json(large);
  ASSERT_FALSE(too_large.ok());
  EXPECT_NE(too_large.error().message.find("larger than"), std::string::npos);
  EXPECT_TRUE(parse_small_json(large, large.size()).ok());
  std::string deep = std::string(129, '[') + std::string(129, ']');
  auto too_deep = parse_small_json(deep);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_NE(too_deep.error().message.find("nested too deeply"), std::string::npos);
  std::string deep_enough = std::string(128, '[') + std::string(128, ']');
  EXPECT_TRUE(parse_small_json(deep_enough).ok());
  auto invalid = parse_small_json("{\"a\":\"\xff\"}");
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find("UTF-8"), std::string::npos);
}

TEST(UtilJson, AccessorsNeverThrow) {
  Json object{{"s", "text"}, {"b", true}, {"n", 1}};
  EXPECT_EQ(string_or(object, "s"), "text");
  EXPECT_EQ(string_or(object, "n", "fallback"), "fallback");
  EXPECT_EQ(string_or(Json::array(), "s", "x"), "x");
  EXPECT_TRUE(bool_or(object, "b", false));
  EXPECT_FALSE(bool_or(object, "missing", false));
  EXPECT_EQ(member(object, "missing"), nullptr);
}

}  // namespace
}  // namespace notion_mcp::util
