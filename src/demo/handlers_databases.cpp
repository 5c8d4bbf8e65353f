// GET /v1/databases/{id}, GET /v1/data_sources/{id} and POST /v1/data_sources/{id}/query.
#include <algorithm>

#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/pagination.h"
#include "demo/query_filter.h"
#include "demo/request.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

util::Result<const DataSource*> find_data_source(const Context& c) {
  auto id = path_id(c, 0, "data_source_id");
  if (!id) return id.error();
  if (const DataSource* ds = c.store.data_source(*id)) return ds;
  if (const Database* db = c.store.database(*id)) {
    std::string sources;
    for (const std::string& s : db->data_sources) sources += (sources.empty() ? "" : ", ") + s;
    return api_error(404, "object_not_found",
                     "Could not find data source with ID: " + *id + ". It is a database; use " +
                         "one of its data sources instead: " + sources + ".");
  }
  return not_found("data source", *id);
}

}  // namespace

Reply get_database(Context& c) {
  auto id = path_id(c, 0, "database_id");
  if (!id) return id.error();
  const Database* db = c.store.database(*id);
  if (!db) return not_found("database", *id);
  return database_json(c.store, *db);
}

Reply get_data_source(Context& c) {
  auto ds = find_data_source(c);
  if (!ds) return ds.error();
  return data_source_json(c.store, **ds);
}

Reply query_data_source(Context& c) {
  auto ds = find_data_source(c);
  if (!ds) return ds.error();
  const Json& schema = (*ds)->properties;
  auto condition = compile_filter(c.body.value("filter", Json()), schema);
  if (!condition) return condition.error();
  auto sorts = compile_sorts(c.body.value("sorts", Json()), schema);
  if (!sorts) return sorts.error();
  auto paging = page_request_from_body(c.body);
  if (!paging) return paging.error();
  const bool trashed = util::bool_or(c.body, "in_trash", false);

  struct Row {
    const Page* page;
    Json properties;
  };
  std::vector<Row> rows;
  for (const std::string& id : c.store.page_ids()) {
    const Page* page = c.store.page(id);
    if (!page || page->parent.kind != ParentKind::kDataSource || page->parent.id != (*ds)->id) {
      continue;
    }
    if (page->in_trash != trashed) continue;
    Json properties = page_properties(c.store, *page);
    if (!matches(*condition, properties, page->stamps.created_time, page->stamps.last_edited_time,
                 c.now)) {
      continue;
    }
    rows.push_back(Row{page, std::move(properties)});
  }
  if (!sorts->empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
      return compare_rows(
                 {&a.properties, a.page->stamps.created_time, a.page->stamps.last_edited_time},
                 {&b.properties, b.page->stamps.created_time, b.page->stamps.last_edited_time},
                 *sorts) < 0;
    });
  }
  auto window = slice(
      *paging, rows.size(), [&](size_t i) { return rows[i].page->id; }, "body");
  if (!window) return window.error();
  const auto wanted = c.query.all("filter_properties");
  Json results = Json::array();
  for (size_t i = window->begin; i < window->end; ++i) {
    Json page = page_json(c.store, *rows[i].page);
    if (!wanted.empty()) {
      Json kept = Json::object();
      for (const auto& [name, value] : page["properties"].items()) {
        const std::string pid = util::string_or(value, "id");
        for (const std::string& w : wanted) {
          if (w == name || w == pid || w == percent_decode(pid, false)) kept[name] = value;
        }
      }
      page["properties"] = std::move(kept);
    }
    results.push_back(std::move(page));
  }
  return list_json(std::move(results), *window, "page_or_data_source");
}

}  // namespace notion_mcp::demo
