#include "mcp/tool_registry.h"

#include <charconv>

namespace notion_mcp::mcp {
namespace {

void append_string(std::string& out, std::string_view text) {
  out += util::dump_json(util::Json(text));
}

}  // namespace

ToolRegistry::ToolRegistry(std::vector<tools::Tool> tools, size_t page_size, const Offered& offered)
    : tools_(std::move(tools)), page_size_(page_size == 0 ? 1 : page_size) {
  descriptors_.reserve(tools_.size());
  for (const auto& tool : tools_) {
    if (!offered || offered(tool)) descriptors_.push_back(describe(tool));
  }
}

std::string ToolRegistry::describe(const tools::Tool& tool) {
  std::string out;
  // Escapes rarely add more than a few bytes: one allocation, kept for the server's life.
  out.reserve(160 + tool.name.size() + tool.title.size() + tool.description.size() +
              tool.input_schema.size() + tool.output_schema.size());
  out += R"({"name":)";
  append_string(out, tool.name);
  if (!tool.title.empty()) {
    out += R"(,"title":)";
    append_string(out, tool.title);
  }
  out += R"(,"description":)";
  append_string(out, tool.description);
  out += R"(,"inputSchema":)";
  // MCP requires one; a tool that declares none takes any object.
  out += tool.input_schema.empty() ? std::string_view(R"({"type":"object"})") : tool.input_schema;
  if (!tool.output_schema.empty()) {
    out += R"(,"outputSchema":)";
    out += tool.output_schema;
  }
  // Only the hints that carry information: MCP's defaults are readOnly false, destructive true,
  // idempotent false, openWorld true.
  if (tool.annotations.read_only) {
    out += R"(,"annotations":{"readOnlyHint":true}})";
  } else {
    out += R"(,"annotations":{"readOnlyHint":false,"destructiveHint":)";
    out += tool.annotations.destructive ? "true" : "false";
    if (tool.annotations.idempotent) out += R"(,"idempotentHint":true)";
    out += "}}";
  }
  return out;
}

const tools::Tool* ToolRegistry::find(std::string_view name) const {
  for (const auto& tool : tools_) {
    if (tool.name == name) return &tool;
  }
  return nullptr;
}

util::Result<void> ToolRegistry::list(const util::Json& params, std::string& out) const {
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
  size_t end = std::min(descriptors_.size(), offset + page_size_);
  size_t bytes = 64;  // the brackets, the cursor, and what the caller adds after
  for (size_t i = offset; i < end; ++i) bytes += descriptors_[i].size() + 1;
  out.reserve(out.size() + bytes);
  out += R"({"tools":[)";
  for (size_t i = offset; i < end; ++i) {
    if (i > offset) out += ',';
    out += descriptors_[i];
  }
  out += ']';
  if (end < descriptors_.size()) {
    out += R"(,"nextCursor":"t)";
    out += std::to_string(end);
    out += '"';
  }
  out += '}';
  return {};
}

}  // namespace notion_mcp::mcp
