// get_data_source: GET /v1/data_sources/{id}: the schema a query filter is built from.
#include "tools/common.h"
#include "tools/data_source_lookup.h"
#include "tools/errors.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

// One schema property → {name, type, options?, format?, expression?, data_source_id?} and a line.
Json describe_property(const std::string& name, const Json& property, std::string& line) {
  std::string type = util::string_or(property, "type");
  Json item = {{"name", name}, {"type", type}};
  line = "- " + name + " (" + type;
  const Json* config = util::member(property, type);
  std::string detail;
  if (config && config->is_object()) {
    if (const Json* options = util::member(*config, "options"); options && options->is_array()) {
      Json names = Json::array();
      for (const Json& option : *options) {
        names.push_back(util::string_or(option, "name"));
        if (!detail.empty()) detail += ", ";
        detail += util::string_or(option, "name");
      }
      item["options"] = std::move(names);
    }
    if (std::string format = util::string_or(*config, "format"); !format.empty()) {
      item["format"] = format;
      line += ", " + format;
    }
    if (std::string target = util::string_or(*config, "data_source_id"); !target.empty()) {
      item["data_source_id"] = target;
      line += " → data source " + target;
    }
    if (std::string expression = util::string_or(*config, "expression"); !expression.empty()) {
      item["expression"] = expression;
      detail = expression;
    }
    if (type == "rollup") {
      std::string function = util::string_or(*config, "function");
      std::string of = util::string_or(*config, "rollup_property_name");
      if (!function.empty()) detail = function + (of.empty() ? "" : " of " + of);
    }
  }
  line += ")";
  if (!detail.empty()) line += ": " + detail;
  return item;
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "data_source_id", IdKind::kContainer);
  if (!id.ok()) co_return error_result(id.error());
  std::string path = "/v1/data_sources/" + *id;
  auto call = ctx.notion.get(path, ctx.cancel);
  auto source = co_await call;
  if (!source.ok() && may_be_database_id(source.error())) {
    auto lookup = data_source_of_database(ctx, *id, source.error());
    auto resolved = co_await lookup;
    if (!resolved.ok()) co_return error_result(resolved.error());
    std::string retry_path = "/v1/data_sources/" + *resolved;
    auto retry = ctx.notion.get(retry_path, ctx.cancel);
    source = co_await retry;
  }
  if (!source.ok()) co_return error_result(source.error());

  ToolResult result;
  Json structured = {{"id", util::string_or(*source, "id")}, {"title", title_of(*source)}};
  append_line(result.text, "title", structured["title"].get<std::string>());
  append_line(result.text, "id", structured["id"].get<std::string>());
  if (const Json* parent = util::member(*source, "parent")) {
    std::string database = util::string_or(*parent, "database_id");
    if (!database.empty()) structured["database_id"] = database;
    append_line(result.text, "database", database);
  }
  std::string description = plain_text(source->value("description", Json::array()));
  append_line(result.text, "description", description);

  Json properties = Json::array();
  std::string lines;
  if (const Json* schema_properties = util::member(*source, "properties");
      schema_properties && schema_properties->is_object()) {
    for (const auto& [name, property] : schema_properties->items()) {
      std::string line;
      // The schema's keys are the names; "name" inside is the same, when present.
      properties.push_back(describe_property(name, property, line));
      lines += line + "\n";
    }
  }
  result.text += "properties:\n" + lines;
  structured["properties"] = std::move(properties);
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_get_data_source_tool() {
  Tool tool;
  tool.name = "get_data_source";
  tool.title = "Get data source";
  tool.description =
      "Get a data source's schema: each property's name, type and options. Read it before "
      "writing a query_data_source filter. Takes a database URL when it has one data source.";
  tool.input_schema = R"({"type":"object","properties":{"data_source_id":{"type":"string"}},)"
                      R"("required":["data_source_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
      R"("database_id":{"type":"string"},)"
      R"("properties":{"type":"array","items":{"type":"object"}}}})";
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
