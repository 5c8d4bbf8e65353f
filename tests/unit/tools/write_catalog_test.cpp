// The write and destructive tools in the catalog: order, annotations, schemas the MCP layer can
// check, arguments the policy's scope table knows, and the byte budget of the whole surface.
#include <gtest/gtest.h>

#include <set>

#include "mcp/tool_registry.h"
#include "policy/scope_arguments.h"
#include "tools/tool.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

const std::vector<std::string> kWriteTools = {
    "create_page",    "update_page",     "edit_page_content",  "append_blocks", "move_page",
    "create_comment", "create_database", "update_data_source", "upload_file"};
const std::vector<std::string> kDestructiveTools = {"trash_page", "restore_page", "delete_block"};
// Not update_data_source: a property removal cannot be repeated (the second finds no property),
// and a client must not retry it believing it harmless.
const std::set<std::string> kIdempotent = {"update_page", "move_page", "trash_page", "restore_page",
                                           "delete_block"};

void expect_schema_subset(const Json& schema, const std::string& where) {
  static const std::set<std::string> kKeywords = {
      "type",        "properties", "required",  "enum",  "minimum",
      "maximum",     "minLength",  "maxLength", "items", "additionalProperties",
      "description", "default"};
  ASSERT_TRUE(schema.is_object()) << where;
  for (const auto& [key, value] : schema.items()) {
    EXPECT_TRUE(kKeywords.count(key)) << where << ": keyword " << key << " is not supported";
    if (key == "properties") {
      for (const auto& [name, sub] : value.items()) expect_schema_subset(sub, where + "." + name);
    } else if (key == "items") {
      expect_schema_subset(value, where + "[]");
    } else if (key == "additionalProperties") {
      EXPECT_EQ(value, false) << where;
    } else if (key == "required") {
      for (const Json& name : value) {
        EXPECT_TRUE(schema["properties"].contains(name)) << where << ": required " << name;
      }
    }
  }
}

TEST(ToolsWriteCatalog, WritesFollowTheReadToolsThenTheDestructiveOnes) {
  std::vector<std::string> names;
  for (const Tool& tool : all_tools()) {
    if (!tool.annotations.read_only) names.push_back(tool.name);
  }
  std::vector<std::string> expected = kWriteTools;
  expected.insert(expected.end(), kDestructiveTools.begin(), kDestructiveTools.end());
  EXPECT_EQ(names, expected);
  std::vector<Tool> tools = all_tools();
  ASSERT_EQ(tools.size(), 22u);
  for (size_t i = 0; i < 10; ++i) EXPECT_TRUE(tools[i].annotations.read_only) << tools[i].name;
}

TEST(ToolsWriteCatalog, AnnotationsSayWhatEachToolRisks) {
  for (const Tool& tool : all_tools()) {
    if (tool.annotations.read_only) continue;
    SCOPED_TRACE(tool.name);
    bool destructive = std::find(kDestructiveTools.begin(), kDestructiveTools.end(), tool.name) !=
                       kDestructiveTools.end();
    EXPECT_EQ(tool.annotations.destructive, destructive);
    EXPECT_EQ(tool.annotations.idempotent, kIdempotent.count(tool.name) > 0);
    Json described = mcp::ToolRegistry::describe(tool);
    EXPECT_EQ(described["annotations"]["readOnlyHint"], false);
    EXPECT_EQ(described["annotations"]["destructiveHint"], destructive);
  }
}

TEST(ToolsWriteCatalog, SchemasAreSmallFlatAndCheckable) {
  for (const Tool& tool : all_tools()) {
    if (tool.annotations.read_only) continue;
    SCOPED_TRACE(tool.name);
    EXPECT_FALSE(tool.title.empty());
    EXPECT_GE(tool.description.size(), 40u);
    EXPECT_LE(tool.description.size(), 260u) << "descriptions are for a model: keep them short";
    EXPECT_TRUE(static_cast<bool>(tool.run));
    expect_schema_subset(tool.input_schema, tool.name + ".inputSchema");
    expect_schema_subset(tool.output_schema, tool.name + ".outputSchema");
    EXPECT_EQ(tool.input_schema["additionalProperties"], false);
    EXPECT_FALSE(tool.output_schema.contains("required"));
    EXPECT_FALSE(tool.input_schema["required"].empty());
    for (const auto& [name, property] : tool.input_schema["properties"].items()) {
      if (name.size() > 3 && name.compare(name.size() - 3, 3, "_id") == 0) {
        EXPECT_EQ(property["type"], "string") << name;
      }
    }
  }
}

// Under --scope a call is checked by the ids its arguments name: every write tool must name its
// target with an argument the policy knows (upload_file may name none: its page is optional).
TEST(ToolsWriteCatalog, TargetsUseArgumentNamesThePolicyChecks) {
  for (const Tool& tool : all_tools()) {
    if (tool.annotations.read_only) continue;
    EXPECT_TRUE(policy::names_scope_argument(tool.input_schema)) << tool.name;
  }
}

TEST(ToolsWriteCatalog, TheWholeSurfaceFitsIn15KB) {
  size_t total = 0;
  size_t writes = 0;
  for (const Tool& tool : all_tools()) {
    size_t size = util::dump_json(mcp::ToolRegistry::describe(tool)).size();
    total += size;
    if (!tool.annotations.read_only) writes += size;
    RecordProperty(tool.name, static_cast<int>(size));
  }
  RecordProperty("total", static_cast<int>(total));
  RecordProperty("writes", static_cast<int>(writes));
  EXPECT_LE(total, 15000u) << "the 22 tools take " << total << " bytes in tools/list";
  EXPECT_LE(writes, 8500u) << "the write and destructive tools take " << writes << " bytes";
}

}  // namespace
}  // namespace notion_mcp::tools
