// get_database: GET /v1/databases/{id}: title, description and the data sources inside.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "database_id", IdKind::kContainer);
  if (!id.ok()) co_return error_result(id.error());
  std::string path = "/v1/databases/" + *id;
  auto call = ctx.notion.get(path, ctx.cancel);
  auto database = co_await call;
  if (!database.ok()) {
    co_return error_result(database.error(),
                           "A data source id goes to get_data_source; a page id to get_page.");
  }

  ToolResult result;
  Json structured = {{"id", util::string_or(*database, "id")}, {"title", title_of(*database)}};
  append_line(result.text, "title", structured["title"].get<std::string>());
  append_line(result.text, "id", structured["id"].get<std::string>());
  std::string url = util::string_or(*database, "url");
  if (!url.empty()) structured["url"] = url;
  append_line(result.text, "url", url);
  std::string description = plain_text(database->value("description", Json::array()));
  if (!description.empty()) structured["description"] = description;
  append_line(result.text, "description", description);
  if (const Json* parent = util::member(*database, "parent")) {
    append_line(result.text, "parent", parent_text(*parent));
  }
  if (util::bool_or(*database, "is_inline", false)) result.text += "inline: true\n";

  Json sources = Json::array();
  std::string source_lines;
  if (const Json* list = util::member(*database, "data_sources"); list && list->is_array()) {
    for (const Json& source : *list) {
      Json item = {{"id", util::string_or(source, "id")},
                   {"name", util::string_or(source, "name")}};
      source_lines +=
          "- " + item["name"].get<std::string>() + " · " + item["id"].get<std::string>() + "\n";
      sources.push_back(std::move(item));
    }
  }
  result.text += source_lines.empty() ? "data_sources: none shared with the integration\n"
                                      : "data_sources:\n" + source_lines;
  structured["data_sources"] = std::move(sources);
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_get_database_tool() {
  Tool tool;
  tool.name = "get_database";
  tool.title = "Get database";
  tool.description =
      "Get a database (id or URL): title, description and its data sources, whose ids "
      "get_data_source and query_data_source take.";
  tool.input_schema = R"({"type":"object","properties":{"database_id":{"type":"string"}},)"
                      R"("required":["database_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
      R"("url":{"type":"string"},"description":{"type":"string"},)"
      R"("data_sources":{"type":"array","items":{"type":"object"}}}})";
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
