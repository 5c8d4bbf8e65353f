// The tools this server offers, with their tools/list descriptors serialized once at start-up.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/tool.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::mcp {

class ToolRegistry {
 public:
  // Which tools tools/list shows; the others are still found, so that a call to one can be
  // refused with the reason instead of "unknown tool".
  using Offered = std::function<bool(const tools::Tool&)>;

  explicit ToolRegistry(std::vector<tools::Tool> tools, size_t page_size = 100,
                        const Offered& offered = {});

  const tools::Tool* find(std::string_view name) const;
  // Appends the tools/list result for `params` (an optional opaque "cursor" from a previous
  // page) to `out`, as JSON text. It is the largest answer a client asks for, and the first:
  // it is put together from descriptors serialized when the registry was made, without a JSON
  // tree, straight into the line that is sent.
  util::Result<void> list(const util::Json& params, std::string& out) const;
  size_t size() const { return tools_.size(); }
  size_t offered() const { return descriptors_.size(); }
  const std::vector<tools::Tool>& all() const { return tools_; }

  // The MCP descriptor of one tool as JSON text: name, title, description, schemas (the tool's
  // own text), annotations.
  static std::string describe(const tools::Tool& tool);

 private:
  std::vector<tools::Tool> tools_;
  std::vector<std::string> descriptors_;
  size_t page_size_;
};

}  // namespace notion_mcp::mcp
