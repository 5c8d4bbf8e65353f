// get_blocks: GET /v1/blocks/{id}/children, one line per block.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/paging.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr int kDefaultPageSize = 50;

// Block text on one line: newlines become the two characters "\n", which a model reads as such.
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out.push_back(c);
    }
  }
  return out;
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "block_id", IdKind::kBlock);
  if (!id.ok()) co_return error_result(id.error());
  std::string path = "/v1/blocks/" + *id + "/children?" + paging_query(args, kDefaultPageSize);
  auto call = ctx.notion.get(path, ctx.cancel);
  auto response = co_await call;
  if (!response.ok()) co_return error_result(response.error());

  ToolResult result;
  Json results = Json::array();
  std::string lines;
  if (const Json* list = util::member(*response, "results"); list && list->is_array()) {
    for (const Json& block : *list) {
      Json item = {{"id", util::string_or(block, "id")}, {"type", util::string_or(block, "type")}};
      std::string text = block_text(block);
      item["text"] = text;
      bool children = util::bool_or(block, "has_children", false);
      item["has_children"] = children;
      lines += item["type"].get<std::string>() + " " + item["id"].get<std::string>();
      if (children) lines += " +children";
      if (!text.empty()) lines += ": " + one_line(text);
      lines += "\n";
      results.push_back(std::move(item));
    }
  }
  if (results.empty()) {
    result.text = "The block has no children.\n";
  } else {
    result.text = fence_untrusted(lines) + "\n";
  }
  result.structured = {{"results", std::move(results)}};
  add_next_cursor(*response, result.structured, result.text);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_get_blocks_tool() {
  Tool tool;
  tool.name = "get_blocks";
  tool.title = "Get blocks";
  tool.description =
      "List the child blocks of a page or block (id or URL), one line each: type, id, text. "
      "Blocks marked +children can be listed in turn. To read a page, prefer get_page.";
  tool.input_schema =
      R"({"type":"object","properties":{"block_id":{"type":"string"},)"
      R"("page_size":{"type":"integer","minimum":1,"maximum":100},)"
      R"("start_cursor":{"type":"string"}},"required":["block_id"],"additionalProperties":false})";
  tool.output_schema = kListOutputSchema;
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
