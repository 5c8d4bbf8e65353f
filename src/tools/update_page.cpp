// update_page: PATCH /v1/pages/{id} with property values (plain or in Notion's shape), a new
// title, icon or cover. Plain values are converted by the schema of the page's data source.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/property_input.h"
#include "tools/render.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "page_id", IdKind::kPage);
  if (!id.ok()) co_return error_result(id.error());
  Json input = args.value("properties", Json::object());
  const Json* title = util::member(args, "title");
  const Json* icon = util::member(args, "icon");
  const Json* cover = util::member(args, "cover");
  if (input.empty() && !title && !icon && !cover) {
    co_return error_result(util::make_error(
        "validation_error", "Nothing to change: pass properties, title, icon or cover.",
        "To change the content use edit_page_content or append_blocks."));
  }

  Json schema;
  if (needs_schema(input)) {
    auto page_call = ctx.notion.get("/v1/pages/" + *id, ctx.cancel);
    auto page = co_await page_call;
    if (!page.ok()) co_return error_result(page.error());
    std::string source = util::string_or(page->value("parent", Json::object()), "data_source_id");
    if (!source.empty()) {
      auto source_call = ctx.notion.get("/v1/data_sources/" + source, ctx.cancel);
      auto data_source = co_await source_call;
      if (!data_source.ok()) co_return error_result(data_source.error());
      schema = data_source->value("properties", Json::object());
    }
  }
  const Json* schema_ptr = schema.is_object() ? &schema : nullptr;
  auto properties = property_values(input, schema_ptr);
  if (!properties.ok()) co_return error_result(properties.error());
  if (title && title->is_string()) {
    (*properties)[title_property_name(schema_ptr)] = {
        {"title", plain_rich_text(title->get<std::string>())}};
  }

  auto relations_check = check_relation_targets(ctx, *properties);
  std::optional<util::Error> outside = co_await relations_check;
  if (outside) co_return error_result(*outside);

  Json body = Json::object();
  if (!properties->empty()) body["properties"] = *properties;
  if (icon && icon->is_string()) {
    auto value = icon_argument(icon->get<std::string>());
    if (!value.ok()) co_return error_result(value.error());
    body["icon"] = *value;
  }
  if (cover && cover->is_string()) {
    auto value = cover_argument(cover->get<std::string>());
    if (!value.ok()) co_return error_result(value.error());
    body["cover"] = *value;
  }
  std::string path = "/v1/pages/" + *id;
  auto call =
      send_write(ctx, "PATCH", path, std::move(body), [path](const std::string&) { return path; });
  auto sent = co_await call;
  if (!sent.ok()) co_return error_result(sent.error(), "get_page shows the page's properties.");

  ToolResult result;
  Json structured = Json::object();
  std::string lines = describe_page(sent->body, structured);
  Json flat = flatten_properties(sent->body.value("properties", Json::object()));
  result.text = "updated page '" + structured["title"].get<std::string>() + "' (" +
                structured["id"].get<std::string>() + ")\n" + lines;
  std::string property_lines;
  for (const auto& [name, value] : properties->items()) {
    if (flat.contains(name)) append_line(property_lines, "  " + name, value_text(flat[name]));
  }
  if (!property_lines.empty()) result.text += "changed:\n" + property_lines;
  if (sent->recovered) result.text += kRecoveredNote;
  structured["properties"] = std::move(flat);
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_update_page_tool() {
  Tool tool;
  tool.name = "update_page";
  tool.title = "Update page";
  tool.description =
      "Change a page's properties ({\"Status\": \"Done\"} or Notion's shape), title, icon (emoji "
      "or image URL) or cover (image URL); \"\" removes icon or cover. Content: edit_page_content.";
  tool.input_schema =
      R"({"type":"object","properties":{"page_id":{"type":"string"},"properties":{"type":"object"},)"
      R"("title":{"type":"string"},"icon":{"type":"string"},"cover":{"type":"string"}},)"
      R"("required":["page_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
      R"("url":{"type":"string"},"parent":{"type":"string"},"in_trash":{"type":"boolean"},)"
      R"("properties":{"type":"object"}}})";
  tool.annotations.idempotent = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
