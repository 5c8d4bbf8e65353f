#include "mcp/tool_registry.h"

#include <charconv>

namespace notion_mcp::mcp {

ToolRegistry::ToolRegistry(std::vector<tools::Tool> tools, size_t page_size, const Offered& offered)
    : tools_(std::move(tools)), page_size_(page_size == 0 ? 1 : page_size) {
  descriptors_.reserve(tools_.size());
  for (const auto& tool : tools_) {
    if (!offered || offered(tool)) descriptors_.push_back(describe(tool));
  }
}

util::Json ToolRegistry::describe(const tools::Tool& tool) {
  util::Json annotations;
  // Only the hints that carry information: MCP's defaults are readOnly false, destructive true,
  // idempotent false, openWorld true.
  if (tool.annotations.read_only) {
    annotations["readOnlyHint"] = true;
  } else {
    annotations["readOnlyHint"] = false;
    annotations["destructiveHint"] = tool.annotations.destructive;
    if (tool.annotations.idempotent) annotations["idempotentHint"] = true;
  }
  util::Json out{{"name", tool.name}};
  if (!tool.title.empty()) out["title"] = tool.title;
  out["description"] = tool.description;
  out["inputSchema"] = tool.input_schema;
  if (!tool.output_schema.is_null()) out["outputSchema"] = tool.output_schema;
  out["annotations"] = std::move(annotations);
  return out;
}

const tools::Tool* ToolRegistry::find(std::string_view name) const {
  for (const auto& tool : tools_) {
    if (tool.name == name) return &tool;
  }
  return nullptr;
}

util::Result<util::Json> ToolRegistry::list(const util::Json& params) const {
  size_t offset = 0;
  if (const util::Json* cursor = util::member(params, "cursor"); cursor && !cursor->is_null()) {
    // The cursor is opaque to clients; ours is "t" + the index of the next tool.
    std::string text = cursor->is_string() ? cursor->get<std::string>() : std::string();
    auto [end, ec] = text.size() > 1 && text[0] == 't'
                         ? std::from_chars(text.data() + 1, text.data() + text.size(), offset)
                         : std::from_chars_result{nullptr, std::errc::invalid_argument};
    if (ec != std::errc() || end != text.data() + text.size() || offset > descriptors_.size()) {
      return util::make_error(
          "invalid_params",
          "Unknown tools/list cursor: pass the nextCursor of the previous page, "
          "or no cursor for the first page.");
    }
  }
  util::Json page = util::Json::array();
  size_t end = std::min(descriptors_.size(), offset + page_size_);
  for (size_t i = offset; i < end; ++i) page.push_back(descriptors_[i]);
  util::Json result{{"tools", std::move(page)}};
  if (end < descriptors_.size()) {
    std::string cursor(1, 't');
    cursor.append(std::to_string(end));
    result["nextCursor"] = std::move(cursor);
  }
  return result;
}

}  // namespace notion_mcp::mcp
