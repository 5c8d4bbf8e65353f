#include "mcp/schema_validator.h"

#include <gtest/gtest.h>

namespace notion_mcp::mcp {
namespace {

const util::Json kSchema = util::parse_json(R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["query"],
  "properties": {
    "query": {"type": "string", "minLength": 1, "maxLength": 10},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
    "filter": {"type": "string", "enum": ["page", "data_source"]},
    "tags": {"type": "array", "items": {"type": "string"}},
    "exact": {"type": "boolean"},
    "sort": {"type": "object", "properties": {"direction": {"type": "string"}}}
  }
})")
                               .value();

std::string problem(std::string_view args) {
  auto result = validate_against_schema(kSchema, util::parse_json(args).value());
  return result.value_or("");
}

TEST(McpSchemaValidator, AcceptsValidArguments) {
  EXPECT_EQ(problem(R"({"query":"roadmap"})"), "");
  EXPECT_EQ(problem(R"({"query":"x","page_size":10,"filter":"page","tags":["a"],"exact":true})"),
            "");
  EXPECT_EQ(problem(R"({"query":"x","page_size":10.0})"), "");  // 10.0 is an integer
  EXPECT_EQ(problem(R"({"query":"héllo"})"), "");  // length counts characters, not bytes
}

TEST(McpSchemaValidator, ExplainsEachKindOfProblem) {
  EXPECT_EQ(problem(R"({})"), "\"query\" is required but missing");
  EXPECT_EQ(problem(R"({"query":5})"), "query must be a string, but it is an integer (5)");
  EXPECT_EQ(problem(R"({"query":""})"), "query must not be empty");
  EXPECT_EQ(problem(R"({"query":"12345678901"})"),
            "query must be at most 10 characters long (it has 11)");
  EXPECT_EQ(problem(R"({"query":"x","page_size":"ten"})"),
            "page_size must be an integer, but it is a string (\"ten\")");
  EXPECT_EQ(problem(R"({"query":"x","page_size":1.5})"),
            "page_size must be an integer, but it is a number (1.5)");
  EXPECT_EQ(problem(R"({"query":"x","page_size":0})"),
            "page_size must be between 1 and 100 (got 0)");
  EXPECT_EQ(problem(R"({"query":"x","filter":"block"})"),
            "filter must be one of \"page\", \"data_source\" (got \"block\")");
  EXPECT_EQ(problem(R"({"query":"x","tags":["a",2]})"),
            "tags[1] must be a string, but it is an integer (2)");
  EXPECT_EQ(problem(R"({"query":"x","sort":{"direction":1}})"),
            "sort.direction must be a string, but it is an integer (1)");
  EXPECT_NE(problem(R"({"query":"x","colour":"red"})").find("unknown argument \"colour\""),
            std::string::npos);
}

TEST(McpSchemaValidator, NonObjectArguments) {
  EXPECT_EQ(validate_against_schema(kSchema, util::Json::array()).value_or(""),
            "arguments must be an object, but it is an array ([])");
}

}  // namespace
}  // namespace notion_mcp::mcp
