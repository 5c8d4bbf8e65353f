// GET /v1/pages/{id}, /v1/pages/{id}/properties/{property_id} and /v1/pages/{id}/markdown.
#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/markdown_render.h"
#include "demo/pagination.h"
#include "demo/request.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

// The page named by path parameter 0, or Notion's error for it.
util::Result<const Page*> find_page(const Context& c) {
  auto id = path_id(c, 0, "page_id");
  if (!id) return id.error();
  if (const Page* page = c.store.page(*id)) return page;
  if (c.store.database(*id)) {
    return validation_error("Provided ID " + *id +
                            " is a database, not a page. Use the retrieve database API instead, "
                            "`GET /v1/databases/" +
                            *id + "`.");
  }
  if (c.store.data_source(*id)) {
    return validation_error("Provided ID " + *id +
                            " is a data source, not a page. Use the retrieve data source API "
                            "instead, `GET /v1/data_sources/" +
                            *id + "`.");
  }
  return not_found("page", *id);
}

bool property_matches(const std::string& name, const Json& value, std::string_view wanted) {
  const std::string id = util::string_or(value, "id");
  return name == wanted || id == wanted || percent_decode(id, false) == wanted;
}

// One element of a paginated property ({object:"property_item", id, type, <type>: item}).
Json property_item(const std::string& id, const std::string& type, Json item) {
  return Json{{"object", "property_item"}, {"id", id}, {"type", type}, {type, std::move(item)}};
}

}  // namespace

Reply get_page(Context& c) {
  auto page = find_page(c);
  if (!page) return page.error();
  Json out = page_json(c.store, **page);
  const auto wanted = c.query.all("filter_properties");
  if (!wanted.empty()) {
    Json kept = Json::object();
    for (const auto& [name, value] : out["properties"].items()) {
      for (const std::string& w : wanted) {
        if (property_matches(name, value, w)) kept[name] = value;
      }
    }
    out["properties"] = std::move(kept);
  }
  return out;
}

Reply get_page_property(Context& c) {
  auto page = find_page(c);
  if (!page) return page.error();
  const std::string& wanted = c.params.at(1);
  const Json properties = page_properties(c.store, **page);
  const Json* value = nullptr;
  for (const auto& [name, v] : properties.items()) {
    if (property_matches(name, v, wanted)) value = &v;
  }
  if (!value) {
    return not_found("property", wanted + " on page " + (*page)->id);
  }
  const std::string id = util::string_or(*value, "id");
  const std::string type = util::string_or(*value, "type");
  const Json& typed = value->contains(type) ? (*value)[type] : Json();
  const bool paginated =
      type == "title" || type == "rich_text" || type == "people" || type == "relation";
  if (!paginated) return property_item(id, type, typed);

  auto paging = page_request_from_query(c.query);
  if (!paging) return paging.error();
  const size_t total = typed.is_array() ? typed.size() : 0;
  auto window = slice(
      *paging, total, [](size_t i) { return std::to_string(i); }, "query");
  if (!window) return window.error();
  Json results = Json::array();
  for (size_t i = window->begin; i < window->end; ++i) {
    results.push_back(property_item(id, type, typed[i]));
  }
  Json out = list_json(std::move(results), *window, "property_item");
  out["property_item"] =
      Json{{"id", id}, {"next_url", nullptr}, {"type", type}, {type, Json::object()}};
  if (window->next_cursor) {
    out["property_item"]["next_url"] = "https://api.notion.com/v1/pages/" + (*page)->id +
                                       "/properties/" + id +
                                       "?start_cursor=" + *window->next_cursor;
  }
  return out;
}

Reply get_page_markdown(Context& c) {
  auto id = path_id(c, 0, "page_id");
  if (!id) return id.error();
  MarkdownResult rendered;
  if (c.store.page(*id)) {
    rendered = render_page_markdown(c.store, *id, c.options.markdown_block_limit);
  } else if (const Block* block = c.store.block(*id); block && block->type != "child_database") {
    rendered = render_block_markdown(c.store, *id, c.options.markdown_block_limit);
  } else {
    return not_found("page", *id);
  }
  return Json{{"object", "page_markdown"},
              {"id", *id},
              {"markdown", std::move(rendered.markdown)},
              {"truncated", rendered.truncated},
              {"unknown_block_ids", rendered.unknown_block_ids}};
}

}  // namespace notion_mcp::demo
