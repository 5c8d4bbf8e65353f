#include <gtest/gtest.h>

#include <set>

#include "mcp/tool_registry.h"
#include "tools/read_tools.h"
#include "tools/tool.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

const std::vector<std::string> kReadTools = {
    "search",          "get_page",          "get_blocks",    "get_database",
    "get_data_source", "query_data_source", "list_comments", "list_users",
    "get_user",        "get_self"};

std::vector<Tool> read_tools() {
  std::vector<Tool> out;
  for (Tool& tool : all_tools()) {
    if (tool.annotations.read_only) out.push_back(std::move(tool));
  }
  return out;
}

// Only the keywords the MCP layer's validator implements may appear in a schema.
void expect_schema_subset(const Json& schema, const std::string& where) {
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
      for (const Json& name : value) {
        EXPECT_TRUE(schema.contains("properties") && schema["properties"].contains(name))
            << where << ": required " << name << " is not a property";
      }
    }
  }
}

TEST(ToolsCatalog, ListsTheReadToolsInOrder) {
  std::vector<std::string> names;
  for (const Tool& tool : read_tools()) names.push_back(tool.name);
  EXPECT_EQ(names, kReadTools);
}

TEST(ToolsCatalog, EveryReadToolIsCompleteAndReadOnly) {
  for (const Tool& tool : read_tools()) {
    SCOPED_TRACE(tool.name);
    EXPECT_TRUE(tool.annotations.read_only);
    EXPECT_FALSE(tool.annotations.destructive);
    EXPECT_FALSE(tool.title.empty());
    EXPECT_GE(tool.description.size(), 40u);
    EXPECT_LE(tool.description.size(), 260u) << "descriptions are for a model: keep them short";
    EXPECT_TRUE(static_cast<bool>(tool.run));
    expect_schema_subset(tool.input_schema, tool.name + ".inputSchema");
    expect_schema_subset(tool.output_schema, tool.name + ".outputSchema");
    EXPECT_EQ(tool.input_schema["type"], "object");
    EXPECT_EQ(tool.input_schema["additionalProperties"], false);
    EXPECT_EQ(tool.output_schema["type"], "object");
    // No `required` in output schemas: an error result's {"error": ...} must still conform.
    EXPECT_FALSE(tool.output_schema.contains("required"));
  }
}

TEST(ToolsCatalog, ReadToolsFitTheirByteBudget) {
  size_t total = 0;
  for (const Tool& tool : read_tools()) {
    size_t size = util::dump_json(mcp::ToolRegistry::describe(tool)).size();
    total += size;
    RecordProperty(tool.name, static_cast<int>(size));
  }
  RecordProperty("total", static_cast<int>(total));
  // The whole 22-tool surface must stay under 15 KB (the official server: 76 KB).
  EXPECT_LE(total, 6500u);
}

TEST(ToolsCatalog, IdArgumentsAreStringsAndRequired) {
  for (const Tool& tool : read_tools()) {
    const Json& properties = tool.input_schema["properties"];
    for (const auto& [name, schema] : properties.items()) {
      if (name.size() > 3 && name.compare(name.size() - 3, 3, "_id") == 0) {
        EXPECT_EQ(schema["type"], "string") << tool.name << "." << name;
        EXPECT_NE(std::find(tool.input_schema["required"].begin(),
                            tool.input_schema["required"].end(), name),
                  tool.input_schema["required"].end())
            << tool.name << "." << name;
      }
    }
  }
}

}  // namespace
}  // namespace notion_mcp::tools
