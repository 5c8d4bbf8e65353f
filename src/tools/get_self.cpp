// get_self: GET /v1/users/me, the integration's bot user and its workspace.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

util::Task<ToolResult> run(ToolContext& ctx, Json /*args*/) {
  auto call = ctx.notion.get("/v1/users/me", ctx.cancel);
  auto me = co_await call;
  if (!me.ok()) co_return error_result(me.error());

  Json structured = {{"id", util::string_or(*me, "id")},
                     {"name", util::string_or(*me, "name")},
                     {"type", util::string_or(*me, "type")}};
  std::string owner;
  if (const Json* bot = util::member(*me, "bot")) {
    std::string workspace = util::string_or(*bot, "workspace_name");
    if (!workspace.empty()) structured["workspace_name"] = workspace;
    if (const Json* owner_object = util::member(*bot, "owner")) {
      std::string type = util::string_or(*owner_object, "type");
      owner = type;
      if (const Json* user = util::member(*owner_object, "user")) {
        owner = "user " + user_name(*user);
      }
    }
  }
  if (!owner.empty()) structured["owner"] = owner;

  ToolResult result;
  append_line(result.text, "name", structured["name"].get<std::string>());
  append_line(result.text, "type", structured["type"].get<std::string>());
  append_line(result.text, "workspace", util::string_or(structured, "workspace_name"));
  append_line(result.text, "owner", owner);
  append_line(result.text, "id", structured["id"].get<std::string>());
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_get_self_tool() {
  Tool tool;
  tool.name = "get_self";
  tool.title = "Who am I";
  tool.description =
      "Show the integration this server acts as: its bot user, workspace and owner. A quick "
      "check that the connection works.";
  tool.input_schema = R"({"type":"object","properties":{},"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},)"
      R"("type":{"type":"string"},"workspace_name":{"type":"string"},"owner":{"type":"string"}}})";
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
