#include "util/json.h"

#include <gtest/gtest.h>

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
