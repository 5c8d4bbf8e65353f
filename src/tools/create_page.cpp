// create_page: POST /v1/pages under a page, a data source or a database (its data source),
// with a title, property values (plain or in Notion's shape) and a Markdown body, which Notion
// turns into blocks itself (the `markdown` field).
#include "tools/common.h"
#include "tools/data_source_lookup.h"
#include "tools/errors.h"
#include "tools/property_input.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr const char* kParentHint =
    "parent_id must be a page, data source or database shared with the integration; search finds "
    "their ids.";

// Properties other than the title: then the parent is a data source and its schema matters.
bool has_row_properties(const Json& properties) {
  for (const auto& [name, value] : properties.items()) {
    if (name != "title" && name != "Title" && name != "Name") return true;
  }
  return false;
}

std::string page_path(const std::string& id) { return id.empty() ? "" : "/v1/pages/" + id; }

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto parent_id = id_argument(args, "parent_id", IdKind::kPage);
  if (!parent_id.ok()) co_return error_result(parent_id.error());
  Json input = args.value("properties", Json::object());
  std::string title = util::string_or(args, "title");

  // Plain values are converted by the data source's schema, so the parent is looked up first.
  std::string data_source_id;
  Json schema;
  if (needs_schema(input) && has_row_properties(input)) {
    std::string id = *parent_id;
    auto source_call = ctx.notion.get("/v1/data_sources/" + id, ctx.cancel);
    auto source = co_await source_call;
    if (!source.ok() && may_be_database_id(source.error())) {
      auto lookup = data_source_of_database(ctx, id, source.error());
      auto resolved = co_await lookup;
      if (!resolved.ok()) co_return error_result(resolved.error(), kParentHint);
      auto again = ctx.notion.get("/v1/data_sources/" + *resolved, ctx.cancel);
      source = co_await again;
    }
    if (!source.ok()) co_return error_result(source.error(), kParentHint);
    data_source_id = util::string_or(*source, "id");
    schema = source->value("properties", Json::object());
  }
  auto properties = property_values(input, schema.is_object() ? &schema : nullptr);
  if (!properties.ok()) co_return error_result(properties.error());
  if (!title.empty()) {
    (*properties)[title_property_name(schema.is_object() ? &schema : nullptr)] = {
        {"title", plain_rich_text(title)}};
  }

  auto relations_check = check_relation_targets(ctx, *properties);
  std::optional<util::Error> outside = co_await relations_check;
  if (outside) co_return error_result(*outside);

  Json body = Json::object();
  if (!properties->empty()) body["properties"] = *properties;
  if (const Json* markdown = util::member(args, "markdown"); markdown && markdown->is_string()) {
    body["markdown"] = *markdown;
  }
  if (const Json* icon = util::member(args, "icon"); icon && icon->is_string()) {
    auto value = icon_argument(icon->get<std::string>());
    if (!value.ok()) co_return error_result(value.error());
    if (!value->is_null()) body["icon"] = *value;
  }

  auto make_body = [body](const Json& parent) {
    Json out = body;
    out["parent"] = parent;
    return out;
  };
  util::Result<WriteResponse> sent = util::make_error("internal_error", "not sent");
  if (!data_source_id.empty()) {
    auto call = send_write(
        ctx, "POST", "/v1/pages",
        make_body({{"type", "data_source_id"}, {"data_source_id", data_source_id}}), page_path);
    sent = co_await call;
  } else {
    auto call = send_with_parent(ctx, "POST", "/v1/pages", *parent_id, make_body, page_path,
                                 /*page_first=*/!has_row_properties(input));
    sent = co_await call;
  }
  if (!sent.ok()) co_return error_result(sent.error(), kParentHint);

  ToolResult result;
  Json structured = Json::object();
  std::string lines = describe_page(sent->body, structured);
  result.text = "created page '" + structured["title"].get<std::string>() + "' (" +
                structured["id"].get<std::string>() + ")\n" + lines;
  if (sent->recovered) result.text += kRecoveredNote;
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_create_page_tool() {
  Tool tool;
  tool.name = "create_page";
  tool.title = "Create page";
  tool.description =
      "Create a page under a page or in a database (parent_id: id or URL). markdown is the "
      "body. properties: {\"Status\": \"Done\", \"Due\": \"2026-05-01\"} or Notion's shape.";
  tool.input_schema =
      R"({"type":"object","properties":{"parent_id":{"type":"string"},"title":{"type":"string"},)"
      R"("markdown":{"type":"string"},"properties":{"type":"object"},"icon":{"type":"string"}},)"
      R"("required":["parent_id"],"additionalProperties":false})";
  tool.output_schema = kPageOutputSchema;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
