// list_users: GET /v1/users, the workspace's people and bots.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/paging.h"
#include "tools/read_tools.h"
#include "tools/users.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr int kDefaultPageSize = 50;

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  std::string path = "/v1/users?" + paging_query(args, kDefaultPageSize);
  auto call = ctx.notion.get(path, ctx.cancel);
  auto response = co_await call;
  if (!response.ok()) {
    co_return error_result(response.error(),
                           "Listing users needs the integration's user information capability.");
  }
  ToolResult result;
  Json results = Json::array();
  if (const Json* list = util::member(*response, "results"); list && list->is_array()) {
    for (const Json& user : *list) {
      std::string line;
      results.push_back(compact_user(user, line));
      result.text += "- " + line + "\n";
    }
  }
  if (results.empty()) result.text = "No users.\n";
  result.structured = {{"results", std::move(results)}};
  add_next_cursor(*response, result.structured, result.text);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_list_users_tool() {
  Tool tool;
  tool.name = "list_users";
  tool.title = "List users";
  tool.description =
      "List the workspace's people and bots, one line each: name, type, email, id (for people "
      "properties and mentions).";
  tool.input_schema = R"({"type":"object","properties":{)"
                      R"("page_size":{"type":"integer","minimum":1,"maximum":100},)"
                      R"("start_cursor":{"type":"string"}},"additionalProperties":false})";
  tool.output_schema = kListOutputSchema;
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
