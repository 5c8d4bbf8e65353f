// trash_page and restore_page: PATCH /v1/pages/{id} with in_trash true or false. A trashed page
// stays restorable from Notion's trash (30 days on most plans).
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

util::Task<ToolResult> set_trash(ToolContext& ctx, Json args, bool in_trash) {
  auto id = id_argument(args, "page_id", IdKind::kPage);
  if (!id.ok()) co_return error_result(id.error());
  std::string path = "/v1/pages/" + *id;
  auto call = send_write(ctx, "PATCH", path, Json{{"in_trash", in_trash}},
                         [path](const std::string&) { return path; });
  auto sent = co_await call;
  if (!sent.ok()) co_return error_result(sent.error());
  ToolResult result;
  Json structured = Json::object();
  std::string lines = describe_page(sent->body, structured);
  structured["in_trash"] = util::bool_or(sent->body, "in_trash", in_trash);
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on one long concatenation.
  result.text = in_trash ? "moved page '" : "restored page '";
  result.text += structured["title"].get<std::string>();
  result.text += "' (";
  result.text += *id;
  result.text += in_trash ? ") to the trash; restore_page brings it back\n" : ") from the trash\n";
  result.text += lines;
  if (sent->recovered) result.text += kRecoveredNote;
  result.structured = std::move(structured);
  co_return result;
}

util::Task<ToolResult> trash(ToolContext& ctx, Json args) {
  auto task = set_trash(ctx, std::move(args), true);
  co_return co_await task;
}

util::Task<ToolResult> restore(ToolContext& ctx, Json args) {
  auto task = set_trash(ctx, std::move(args), false);
  co_return co_await task;
}

Tool page_trash_tool(std::string name, std::string title, std::string description, ToolBody body) {
  Tool tool;
  tool.name = std::move(name);
  tool.title = std::move(title);
  tool.description = std::move(description);
  tool.input_schema = R"({"type":"object","properties":{"page_id":{"type":"string"}},)"
                      R"("required":["page_id"],"additionalProperties":false})";
  tool.output_schema = kPageOutputSchema;
  tool.annotations.destructive = true;
  tool.annotations.idempotent = true;
  tool.run = guarded(body);
  return tool;
}

}  // namespace

[[gnu::hot]] Tool make_trash_page_tool() {
  return page_trash_tool("trash_page", "Move page to trash",
                         "Move a page (id or URL) and everything in it to Notion's trash. "
                         "restore_page brings it back.",
                         trash);
}

[[gnu::hot]] Tool make_restore_page_tool() {
  return page_trash_tool("restore_page", "Restore page from trash",
                         "Bring a page (id or URL) back from Notion's trash to where it was.",
                         restore);
}

}  // namespace notion_mcp::tools
