// get_user: GET /v1/users/{id}.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/read_tools.h"
#include "tools/render.h"
#include "tools/users.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "user_id", IdKind::kContainer);
  if (!id.ok()) co_return error_result(id.error(), "list_users shows user ids.");
  std::string path = "/v1/users/" + *id;
  auto call = ctx.notion.get(path, ctx.cancel);
  auto user = co_await call;
  if (!user.ok()) co_return error_result(user.error(), "list_users shows user ids.");

  ToolResult result;
  std::string line;
  result.structured = compact_user(*user, line);
  append_line(result.text, "name", result.structured["name"].get<std::string>());
  append_line(result.text, "type", result.structured["type"].get<std::string>());
  append_line(result.text, "email", util::string_or(result.structured, "email"));
  append_line(result.text, "id", result.structured["id"].get<std::string>());
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_get_user_tool() {
  Tool tool;
  tool.name = "get_user";
  tool.title = "Get user";
  tool.description = "Get one user by id: name, type (person or bot) and email.";
  tool.input_schema = R"({"type":"object","properties":{"user_id":{"type":"string"}},)"
                      R"("required":["user_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},)"
      R"("type":{"type":"string"},"email":{"type":"string"}}})";
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
