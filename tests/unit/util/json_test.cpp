#include "util/json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace notion_mcp::util {
namespace {

// simdjson's DOM parser, the reference: it validates the whole document (structure, UTF-8,
// trailing content) and refuses nesting deeper than 128. nullopt when it refuses.
Json from_simdjson(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      Json out = Json::object();
      for (auto field : simdjson::dom::object(element)) {
        out[std::string(field.key)] = from_simdjson(field.value);
      }
      return out;
    }
    case simdjson::dom::element_type::ARRAY: {
      Json out = Json::array();
      for (auto child : simdjson::dom::array(element)) out.push_back(from_simdjson(child));
      return out;
    }
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(element));
    case simdjson::dom::element_type::INT64:
      return int64_t(element);
    case simdjson::dom::element_type::UINT64:
      return uint64_t(element);
    case simdjson::dom::element_type::DOUBLE:
      return double(element);
    case simdjson::dom::element_type::BOOL:
      return bool(element);
    case simdjson::dom::element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

std::optional<Json> simdjson_parse(const std::string& text) {
  simdjson::dom::parser parser;
  if (parser.allocate(text.size() + 1, 128)) return std::nullopt;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size(), true).get(root)) return std::nullopt;
  return from_simdjson(root);
}

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

// parse_json must accept and refuse exactly what simdjson's validating parser does, and read
// the same tree: on the documents below (shapes, escapes, every kind of invalid UTF-8, depth at
// and around the limit), and on random mutations of them.
std::vector<std::string> reference_documents() {
  return {R"({"access_token":"x","refresh_token":"y","bot_id":"b","workspace_name":"W\u00e9"})",
          R"({"a":[1,-2,3.5e3,true,false,null,"x"],"b":{}})",
          R"({"n":[0,-0,1e308,-1e-308,18446744073709551615,-9223372036854775808,1.5E+2]})",
          R"({"s":"\"\\\/\b\f\n\r\t\u0000\ud83d\ude00"})",
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
          R"({"a":"\ud800"})",
          "{\"a\":\"\xff\xfe\"}",
          "{\"a\":\"\xc0\xaf\"}",
          "{\"a\":\"\xed\xa0\x80\"}",
          "\"\xf4\x90\x80\x80\"",
          "\"\xe2\x82\xac\"",
          "\"\xe2\x82\"",
          "\xef\xbb\xbf{}",
          "{\"bom\":\"\xef\xbb\xbf\"}",
          std::string(200, '[') + std::string(200, ']'),
          std::string(128, '[') + "1" + std::string(128, ']'),
          std::string(127, '[') + "1" + std::string(127, ']'),
          std::string(127, '[') + "{\"a\":1}" + std::string(127, ']'),
          std::string(126, '[') + "{\"a\":1}" + std::string(126, ']'),
          std::string(127, '[') + "{}" + std::string(127, ']'),
          std::string(129, '[') + std::string(129, ']')};
}

void expect_same_as_simdjson(const std::string& document) {
  auto ours = parse_json(document);
  auto reference = simdjson_parse(document);
  ASSERT_EQ(ours.ok(), reference.has_value()) << document;
  if (ours.ok()) {
    EXPECT_EQ(*ours, *reference) << document;
  } else {
    EXPECT_EQ(ours.error().code, "parse_error");
  }
}

TEST(UtilJson, AcceptsAndRefusesWhatSimdjsonDoes) {
  for (const auto& document : reference_documents()) expect_same_as_simdjson(document);
}

TEST(UtilJson, AgreesWithSimdjsonOnMutatedDocuments) {
  std::mt19937 random(20261204);  // fixed: a failure can be replayed
  const std::string alphabet = "{}[]:,\"\\ 0123456789.eE+-truefalsn\x80\xbf\xc3\xe2\xf0\xff";
  const auto documents = reference_documents();
  for (int i = 0; i < 20000; ++i) {
    std::string document = documents[random() % documents.size()];
    int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = document.empty() ? 0 : random() % (document.size() + 1);
      char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          document.insert(at, 1, c);
          break;
        case 1:
          if (at < document.size()) document.erase(at, 1);
          break;
        default:
          if (at < document.size()) document[at] = c;
      }
    }
    expect_same_as_simdjson(document);
    if (HasFailure()) return;
  }
}

TEST(UtilJson, SmallParserIsTheParserWithASizeLimit) {
  for (const auto& document : reference_documents()) {
    auto main = parse_json(document);
    auto small = parse_small_json(document);
    ASSERT_EQ(main.ok(), small.ok()) << document;
    if (main.ok()) {
      EXPECT_EQ(*main, *small) << document;
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
