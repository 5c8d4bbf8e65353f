// The tools this server offers, with their tools/list descriptors built once at start-up.
#pragma once

#include <string_view>
#include <vector>

#include "tools/tool.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::mcp {

class ToolRegistry {
 public:
  explicit ToolRegistry(std::vector<tools::Tool> tools, size_t page_size = 100);

  const tools::Tool* find(std::string_view name) const;
  // The tools/list result for `params` (an optional opaque "cursor" from a previous page).
  util::Result<util::Json> list(const util::Json& params) const;
  size_t size() const { return tools_.size(); }

  // The MCP descriptor of one tool: name, title, description, schemas, annotations.
  static util::Json describe(const tools::Tool& tool);

 private:
  std::vector<tools::Tool> tools_;
  std::vector<util::Json> descriptors_;
  size_t page_size_;
};

}  // namespace notion_mcp::mcp
