// The write and destructive tools in the catalog: order, annotations, schemas the MCP layer can
// check, arguments the policy's scope table knows, and the byte budget of the whole surface.
#include <gtest/gtest.h>

#include <set>

#include "mcp/tool_registry.h"
#include "policy/scope_arguments.h"
#include "tests/unit/tools/schema_checks.h"
#include "tools/tool.h"

namespace notion_mcp::tools {
namespace {

using testing::expect_schema_subset;
using testing::parsed_schema;
using util::Json;

const std::vector<std::string> kWriteTools = {
    "create_page",    "update_page",     "edit_page_content",  "append_blocks", "move_page",
    "create_comment", "create_database", "update_data_source", "upload_file"};
const std::vector<std::string> kDestructiveTools = {"trash_page", "restore_page", "delete_block"};
// Not update_data_source: a property removal cannot be repeated (the second finds no property),
// and a client must not retry it believing it harmless.
const std::set<std::string> kIdempotent = {"update_page", "move_page", "trash_page", "restore_page",
                                           "delete_block"};

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
    Json described = parsed_schema(mcp::ToolRegistry::describe(tool));
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
    const Json input = parsed_schema(tool.input_schema);
    const Json output = parsed_schema(tool.output_schema);
    expect_schema_subset(input, tool.name + ".inputSchema");
    expect_schema_subset(output, tool.name + ".outputSchema");
    EXPECT_EQ(input["additionalProperties"], false);
    EXPECT_FALSE(output.contains("required"));
    EXPECT_FALSE(input["required"].empty());
    for (const auto& [name, property] : input["properties"].items()) {
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
    size_t size = mcp::ToolRegistry::describe(tool).size();
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
