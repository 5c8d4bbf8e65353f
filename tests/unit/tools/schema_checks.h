// What the catalog tests check about a tool's schemas, which the tools keep as JSON text.
#pragma once

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "util/json.h"

namespace notion_mcp::tools::testing {

// A schema's text parsed, for a test to look into; a test failure when it is not JSON (tools/list
// sends the text as it is).
inline util::Json parsed_schema(std::string_view text) {
  auto parsed = util::parse_json(text);
  if (!parsed) {
    ADD_FAILURE() << "schema is not JSON (" << parsed.error().message << "): " << text;
    return util::Json();
  }
  return std::move(parsed).value();
}

// Only the keywords the MCP layer's validator implements may appear in a schema.
inline void expect_schema_subset(const util::Json& schema, const std::string& where) {
  static const std::set<std::string> kKeywords = {
      "type",        "properties", "required",  "enum",  "minimum",
      "maximum",     "minLength",  "maxLength", "items", "additionalProperties",
      "description", "default"};
  static const std::set<std::string> kTypes = {"object", "string",  "integer",
                                               "number", "boolean", "array"};
  ASSERT_TRUE(schema.is_object()) << where;
  for (const auto& [key, value] : schema.items()) {
    EXPECT_TRUE(kKeywords.count(key)) << where << ": keyword " << key << " is not supported";
    if (key == "type") {
      EXPECT_TRUE(value.is_string() && kTypes.count(value.get<std::string>())) << where;
    } else if (key == "properties") {
      ASSERT_TRUE(value.is_object()) << where;
      for (const auto& [name, sub] : value.items()) {
        expect_schema_subset(sub, where + "." + name);
      }
    } else if (key == "items") {
      expect_schema_subset(value, where + "[]");
    } else if (key == "additionalProperties") {
      EXPECT_EQ(value, false) << where;
    } else if (key == "required") {
      ASSERT_TRUE(value.is_array()) << where;
      for (const util::Json& name : value) {
        EXPECT_TRUE(schema.contains("properties") && schema["properties"].contains(name))
            << where << ": required " << name << " is not a property";
      }
    }
  }
}

}  // namespace notion_mcp::tools::testing
