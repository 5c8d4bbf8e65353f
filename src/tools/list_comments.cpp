// list_comments: GET /v1/comments?block_id=..., the open comments on a page or block.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/paging.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr int kDefaultPageSize = 50;

std::string author_of(const Json& comment) {
  if (const Json* display = util::member(comment, "display_name")) {
    std::string name = util::string_or(*display, "resolved_name");
    if (!name.empty()) return name;
  }
  if (const Json* user = util::member(comment, "created_by")) return user_name(*user);
  return "unknown";
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "block_id", IdKind::kBlock);
  if (!id.ok()) co_return error_result(id.error());
  std::string path = "/v1/comments?block_id=" + *id + "&" + paging_query(args, kDefaultPageSize);
  auto call = ctx.notion.get(path, ctx.cancel);
  auto response = co_await call;
  if (!response.ok()) {
    co_return error_result(response.error(),
                           "Reading comments needs the integration's read comments capability.");
  }

  ToolResult result;
  Json results = Json::array();
  std::string lines;
  if (const Json* list = util::member(*response, "results"); list && list->is_array()) {
    for (const Json& comment : *list) {
      Json item = {{"id", util::string_or(comment, "id")},
                   {"discussion_id", util::string_or(comment, "discussion_id")},
                   {"author", author_of(comment)},
                   {"created_time", util::string_or(comment, "created_time")},
                   {"text", rich_text_markdown(comment.value("rich_text", Json::array()))}};
      lines += "- " + short_time(item["created_time"].get<std::string>()) + " " +
               item["author"].get<std::string>() + " (discussion " +
               item["discussion_id"].get<std::string>() + "): " + value_text(item["text"]) + "\n";
      results.push_back(std::move(item));
    }
  }
  result.text = results.empty() ? "No open comments.\n" : fence_untrusted(lines) + "\n";
  result.structured = {{"results", std::move(results)}};
  add_next_cursor(*response, result.structured, result.text);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_list_comments_tool() {
  Tool tool;
  tool.name = "list_comments";
  tool.title = "List comments";
  tool.description =
      "List the open (unresolved) comments on a page or block (id or URL), one line each: time, "
      "author, discussion id, text.";
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
