// move_page: POST /v1/pages/{id}/move under another page or into a data source (a database's
// URL names its data source).
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "page_id", IdKind::kPage);
  if (!id.ok()) co_return error_result(id.error());
  auto parent = id_argument(args, "new_parent_id", IdKind::kPage);
  if (!parent.ok()) co_return error_result(parent.error());
  std::string page_path = "/v1/pages/" + *id;
  auto call = send_with_parent(
      ctx, "POST", page_path + "/move", *parent,
      [](const Json& parent_object) {
        return Json{{"parent", parent_object}};
      },
      [page_path](const std::string&) { return page_path; }, /*page_first=*/true);
  auto sent = co_await call;
  if (!sent.ok()) {
    co_return error_result(sent.error(),
                           "page_id must be a page and new_parent_id a page, data source or "
                           "database shared with the integration.");
  }
  ToolResult result;
  Json structured = Json::object();
  std::string lines = describe_page(sent->body, structured);
  result.text = "moved page '" + structured["title"].get<std::string>() + "' (" +
                structured["id"].get<std::string>() + ")\n" + lines;
  if (sent->recovered) result.text += kRecoveredNote;
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_move_page_tool() {
  Tool tool;
  tool.name = "move_page";
  tool.title = "Move page";
  tool.description =
      "Move a page under another page, or into a database (new_parent_id: page, data source or "
      "database id or URL). Moving into or out of a database keeps only the title.";
  tool.input_schema = R"({"type":"object","properties":{"page_id":{"type":"string"},)"
                      R"("new_parent_id":{"type":"string"}},)"
                      R"("required":["page_id","new_parent_id"],"additionalProperties":false})";
  tool.output_schema = kPageOutputSchema;
  tool.annotations.idempotent = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
