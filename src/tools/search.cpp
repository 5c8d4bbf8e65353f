// search: POST /v1/search, one line per page or data source.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/paging.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr int kDefaultPageSize = 20;

Json result_item(const Json& object) {
  Json item = {{"type", util::string_or(object, "object")}, {"id", util::string_or(object, "id")}};
  item["title"] = title_of(object);
  for (const char* key : {"url", "last_edited_time"}) {
    std::string value = util::string_or(object, key);
    if (!value.empty()) item[key] = value;
  }
  if (const Json* parent = util::member(object, "parent")) {
    std::string text = parent_text(*parent);
    if (!text.empty()) item["parent"] = text;
  }
  return item;
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  Json body = Json::object();
  std::string query = util::string_or(args, "query");
  if (!query.empty()) body["query"] = query;
  std::string filter = util::string_or(args, "filter");
  if (!filter.empty()) body["filter"] = {{"property", "object"}, {"value", filter}};
  add_paging(body, args, kDefaultPageSize);

  auto call = ctx.notion.post("/v1/search", std::move(body), ctx.cancel);
  auto response = co_await call;
  if (!response.ok()) co_return error_result(response.error());

  ToolResult result;
  Json results = Json::array();
  if (const Json* list = util::member(*response, "results"); list && list->is_array()) {
    for (const Json& object : *list) {
      Json item = result_item(object);
      std::string title = item["title"].get<std::string>();
      result.text += "- " + item["type"].get<std::string>() + " · " +
                     (title.empty() ? "(untitled)" : value_text(Json(title))) + " · " +
                     item["id"].get<std::string>();
      if (item.contains("url")) result.text += " · " + item["url"].get<std::string>();
      if (item.contains("last_edited_time")) {
        result.text += " · edited " + short_time(item["last_edited_time"].get<std::string>());
      }
      result.text += "\n";
      results.push_back(std::move(item));
    }
  }
  if (results.empty()) {
    result.text = query.empty() ? "Nothing found." : "Nothing found for \"" + query + "\".";
    result.text +=
        " Search matches titles only, and sees only pages shared with the integration "
        "(page menu → Connections).\n";
  }
  result.structured = {{"results", std::move(results)}};
  add_next_cursor(*response, result.structured, result.text);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_search_tool() {
  Tool tool;
  tool.name = "search";
  tool.title = "Search";
  tool.description =
      "Find pages and data sources by title (empty query: most recently edited). One line per "
      "hit: type, title, id, url, last edited. Start here to get ids.";
  tool.input_schema = R"({"type":"object","properties":{"query":{"type":"string"},)"
                      R"("filter":{"type":"string","enum":["page","data_source"]},)"
                      R"("page_size":{"type":"integer","minimum":1,"maximum":100},)"
                      R"("start_cursor":{"type":"string"}},"additionalProperties":false})";
  tool.output_schema = kListOutputSchema;
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
