// update_data_source: PATCH /v1/data_sources/{id}: a new title, and properties added, changed,
// renamed or removed. A database's id or URL names its only data source.
#include "tools/common.h"
#include "tools/data_source_lookup.h"
#include "tools/errors.h"
#include "tools/property_input.h"
#include "tools/render.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "data_source_id", IdKind::kContainer);
  if (!id.ok()) co_return error_result(id.error());
  Json body = Json::object();
  if (const Json* title = util::member(args, "title"); title && title->is_string()) {
    body["title"] = plain_rich_text(title->get<std::string>());
  }
  if (const Json* input = util::member(args, "properties")) {
    auto properties = schema_input(*input, true);
    if (!properties.ok()) co_return error_result(properties.error());
    body["properties"] = *properties;
  }
  if (body.empty()) {
    co_return error_result(util::make_error("validation_error",
                                            "Nothing to change: pass title or properties.",
                                            "properties: {\"Priority\": \"select\"} adds one; "
                                            "{\"Old\": null} removes one."));
  }
  std::string source = *id;
  auto call = send_write(ctx, "PATCH", "/v1/data_sources/" + source, body,
                         [source](const std::string&) { return "/v1/data_sources/" + source; });
  auto sent = co_await call;
  if (!sent.ok() && may_be_database_id(sent.error())) {
    auto lookup = data_source_of_database(ctx, *id, sent.error());
    auto resolved = co_await lookup;
    if (!resolved.ok()) co_return error_result(resolved.error());
    source = *resolved;
    auto again = send_write(ctx, "PATCH", "/v1/data_sources/" + source, body,
                            [source](const std::string&) { return "/v1/data_sources/" + source; });
    sent = co_await again;
  }
  if (!sent.ok()) co_return error_result(sent.error(), "get_data_source shows the schema.");

  const Json& data_source = sent->body;
  ToolResult result;
  Json types = Json::object();
  std::string lines;
  if (const Json* properties = util::member(data_source, "properties");
      properties && properties->is_object()) {
    for (const auto& [name, entry] : properties->items()) {
      types[name] = util::string_or(entry, "type");
      append_line(lines, "  " + name, types[name].get<std::string>());
    }
  }
  Json structured{{"id", util::string_or(data_source, "id")},
                  {"title", title_of(data_source)},
                  {"properties", types}};
  result.text = "updated data source '" + structured["title"].get<std::string>() + "' (" +
                structured["id"].get<std::string>() + ")\n";
  if (!lines.empty()) result.text += "properties:\n" + lines;
  if (sent->recovered) result.text += kRecoveredNote;
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_update_data_source_tool() {
  Tool tool;
  tool.name = "update_data_source";
  tool.title = "Update data source";
  tool.description =
      "Change a database's title or properties: {\"Priority\": \"select\"} adds, {\"Old\": "
      "{\"name\": \"New\"}} renames, {\"Old\": null} removes. data_source_id: id or database URL.";
  tool.input_schema = R"({"type":"object","properties":{"data_source_id":{"type":"string"},)"
                      R"("title":{"type":"string"},"properties":{"type":"object"}},)"
                      R"("required":["data_source_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
      R"("properties":{"type":"object"}}})";
  // Not idempotent: removing a property ({"Old": null}) drops its values in every row.
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
