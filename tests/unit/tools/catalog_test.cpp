#include <gtest/gtest.h>

#include <set>

#include "mcp/tool_registry.h"
#include "tests/unit/tools/schema_checks.h"
#include "tools/read_tools.h"
#include "tools/tool.h"
#include "util/redact.h"

namespace notion_mcp::tools {
namespace {

using testing::expect_schema_subset;
using testing::parsed_schema;
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
    const Json input = parsed_schema(tool.input_schema);
    const Json output = parsed_schema(tool.output_schema);
    expect_schema_subset(input, tool.name + ".inputSchema");
    expect_schema_subset(output, tool.name + ".outputSchema");
    EXPECT_EQ(input["type"], "object");
    EXPECT_EQ(input["additionalProperties"], false);
    EXPECT_EQ(output["type"], "object");
    // No `required` in output schemas: an error result's {"error": ...} must still conform.
    EXPECT_FALSE(output.contains("required"));
  }
}

TEST(ToolsCatalog, ReadToolsFitTheirByteBudget) {
  size_t total = 0;
  for (const Tool& tool : read_tools()) {
    size_t size = mcp::ToolRegistry::describe(tool).size();
    total += size;
    RecordProperty(tool.name, static_cast<int>(size));
  }
  RecordProperty("total", static_cast<int>(total));
  // The whole 22-tool surface must stay under 15 KB (the official server: 76 KB).
  EXPECT_LE(total, 6500u);
}

TEST(ToolsCatalog, IdArgumentsAreStringsAndRequired) {
  for (const Tool& tool : read_tools()) {
    const Json input = parsed_schema(tool.input_schema);
    for (const auto& [name, schema] : input["properties"].items()) {
      if (name.size() > 3 && name.compare(name.size() - 3, 3, "_id") == 0) {
        EXPECT_EQ(schema["type"], "string") << tool.name << "." << name;
        EXPECT_NE(std::find(input["required"].begin(), input["required"].end(), name),
                  input["required"].end())
            << tool.name << "." << name;
      }
    }
  }
}

// tools/list is sent as the registry serialized it, past the redactor (only the request id goes
// through it): that is safe only while the redactor would change nothing in the whole catalog.
TEST(ToolsCatalog, TheToolsListTextIsJsonAndHoldsNothingToRedact) {
  mcp::ToolRegistry registry(all_tools());
  std::string text;
  ASSERT_TRUE(registry.list(Json::object(), text).ok());
  Json list = parsed_schema(text);
  ASSERT_EQ(list["tools"].size(), all_tools().size());
  EXPECT_FALSE(list.contains("nextCursor"));
  Json redacted = list;
  util::redact_json(redacted);
  EXPECT_EQ(redacted, list);
  for (const Json& tool : list["tools"]) {
    SCOPED_TRACE(tool.value("name", ""));
    EXPECT_TRUE(tool["inputSchema"].is_object());
    EXPECT_TRUE(tool["outputSchema"].is_object());
    EXPECT_TRUE(tool["description"].is_string());
    EXPECT_TRUE(tool["annotations"].is_object());
  }
}

}  // namespace
}  // namespace notion_mcp::tools
