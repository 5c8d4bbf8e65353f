// create_database: POST /v1/databases inside a page, with its first data source and that data
// source's properties (a title property is added when none is given).
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/property_input.h"
#include "tools/render.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

std::string database_path(const std::string& id) { return id.empty() ? "" : "/v1/databases/" + id; }

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto parent = id_argument(args, "parent_id", IdKind::kPage);
  if (!parent.ok()) co_return error_result(parent.error());
  std::string title = util::string_or(args, "title");
  auto properties = schema_input(args.value("properties", Json::object()), false);
  if (!properties.ok()) co_return error_result(properties.error());
  bool has_title = false;
  for (const auto& [name, value] : properties->items()) {
    has_title = has_title || value.contains("title");
  }
  if (!has_title) (*properties)["Name"] = {{"title", Json::object()}};

  Json body{{"parent", {{"type", "page_id"}, {"page_id", *parent}}},
            {"title", plain_rich_text(title)},
            {"initial_data_source", {{"properties", *properties}}}};
  auto call = send_write(ctx, "POST", "/v1/databases", std::move(body), database_path);
  auto sent = co_await call;
  if (!sent.ok()) {
    co_return error_result(sent.error(),
                           "parent_id must be a page shared with the integration (databases "
                           "live inside pages).");
  }
  const Json& database = sent->body;
  ToolResult result;
  Json structured{{"id", util::string_or(database, "id")}, {"title", title_of(database)}};
  std::string url = util::string_or(database, "url");
  if (!url.empty()) structured["url"] = url;
  std::string source;
  if (const Json* sources = util::member(database, "data_sources");
      sources && sources->is_array() && !sources->empty()) {
    source = util::string_or((*sources)[0], "id");
    structured["data_source_id"] = source;
  }
  result.text = "created database '" + structured["title"].get<std::string>() + "' (" +
                structured["id"].get<std::string>() + ")\n";
  append_line(result.text, "url", url);
  append_line(result.text, "data_source_id", source);
  result.text += "Add rows with create_page (parent_id: the data source id).\n";
  if (sent->recovered) result.text += kRecoveredNote;
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_create_database_tool() {
  Tool tool;
  tool.name = "create_database";
  tool.title = "Create database";
  tool.description =
      "Create a database in a page (parent_id), with properties {\"Status\": \"select\", "
      "\"Due\": \"date\"} or Notion's schema shape. A \"Name\" title is added if none is given.";
  tool.input_schema = R"({"type":"object","properties":{"parent_id":{"type":"string"},)"
                      R"("title":{"type":"string","minLength":1},"properties":{"type":"object"}},)"
                      R"("required":["parent_id","title"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
      R"("url":{"type":"string"},"data_source_id":{"type":"string"}}})";
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
