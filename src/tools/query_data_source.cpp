// query_data_source: POST /v1/data_sources/{id}/query, rows flattened to {id, url, <prop>: value}.
#include "tools/common.h"
#include "tools/data_source_lookup.h"
#include "tools/errors.h"
#include "tools/paging.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr int kDefaultPageSize = 25;
// A long text property would drown the other columns of its row line; structured has it all.
constexpr size_t kMaxCellChars = 300;

std::string cell(const Json& property) {
  std::string text = property_text(property);
  if (text.size() <= kMaxCellChars) return text;
  size_t cut = kMaxCellChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

// One row: structured {id, url, <prop>: value} and a line "- Title · id · Prop: value; ...".
Json flatten_row(const Json& page, std::string& line) {
  Json row = {{"id", util::string_or(page, "id")}};
  std::string url = util::string_or(page, "url");
  if (!url.empty()) row["url"] = url;
  std::string title;
  std::string cells;
  if (const Json* properties = util::member(page, "properties");
      properties && properties->is_object()) {
    for (const auto& [name, property] : properties->items()) {
      Json value = flatten_property(property);
      if (util::string_or(property, "type") == "title") {
        title = value_text(value);
      } else if (std::string text = cell(property); !text.empty()) {
        if (!cells.empty()) cells += "; ";
        cells += name + ": " + text;
      }
      // A property called "id" or "url" must not hide the row's own.
      if (!row.contains(name)) row[name] = std::move(value);
    }
  }
  line = "- " + (title.empty() ? std::string("(untitled)") : title) + " · " +
         row["id"].get<std::string>();
  if (!cells.empty()) line += " · " + cells;
  line += "\n";
  return row;
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "data_source_id", IdKind::kContainer);
  if (!id.ok()) co_return error_result(id.error());
  Json body = Json::object();
  if (const Json* filter = util::member(args, "filter"); filter && !filter->empty()) {
    body["filter"] = *filter;
  }
  if (const Json* sorts = util::member(args, "sorts"); sorts && !sorts->empty()) {
    body["sorts"] = *sorts;
  }
  add_paging(body, args, kDefaultPageSize);

  std::string path = "/v1/data_sources/" + *id + "/query";
  auto call = ctx.notion.post(path, body, ctx.cancel);
  auto response = co_await call;
  if (!response.ok() && may_be_database_id(response.error())) {
    auto lookup = data_source_of_database(ctx, *id, response.error());
    auto resolved = co_await lookup;
    if (!resolved.ok()) {
      co_return error_result(resolved.error(),
                             "get_data_source shows the property names and types a filter uses.");
    }
    std::string retry_path = "/v1/data_sources/" + *resolved + "/query";
    auto retry = ctx.notion.post(retry_path, body, ctx.cancel);
    response = co_await retry;
  }
  if (!response.ok()) {
    co_return error_result(response.error(),
                           "get_data_source shows the property names and types a filter uses.");
  }

  ToolResult result;
  Json rows = Json::array();
  std::string lines;
  if (const Json* list = util::member(*response, "results"); list && list->is_array()) {
    for (const Json& page : *list) {
      std::string line;
      rows.push_back(flatten_row(page, line));
      lines += line;
    }
  }
  result.text = rows.empty() ? "No rows match.\n" : fence_untrusted(lines) + "\n";
  result.structured = {{"results", std::move(rows)}};
  add_next_cursor(*response, result.structured, result.text);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_query_data_source_tool() {
  Tool tool;
  tool.name = "query_data_source";
  tool.title = "Query data source";
  tool.description =
      "List a data source's rows with plain property values. filter and sorts use Notion's "
      "syntax, e.g. {\"property\":\"Status\",\"status\":{\"equals\":\"Done\"}} and "
      "[{\"property\":\"Due\",\"direction\":\"ascending\"}].";
  tool.input_schema =
      R"({"type":"object","properties":{"data_source_id":{"type":"string"},)"
      R"("filter":{"type":"object"},"sorts":{"type":"array","items":{"type":"object"}},)"
      R"("page_size":{"type":"integer","minimum":1,"maximum":100},)"
      R"("start_cursor":{"type":"string"}},)"
      R"("required":["data_source_id"],"additionalProperties":false})";
  tool.output_schema = kListOutputSchema;
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
