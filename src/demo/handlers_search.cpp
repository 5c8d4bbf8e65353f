// POST /v1/search: title search over pages and data sources the integration can see.
#include <algorithm>

#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/pagination.h"
#include "demo/rich_text.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct Hit {
  const Page* page = nullptr;
  const DataSource* data_source = nullptr;
  int64_t edited = 0;
  const std::string* id = nullptr;
};

}  // namespace

Reply search(Context& c) {
  const util::Json& body = c.body;
  std::string query;
  if (const util::Json* q = util::member(body, "query"); q && !q->is_null()) {
    if (!q->is_string()) {
      return validation_error(
          "body failed validation: body.query should be a string, instead was `" +
          util::dump_json(*q) + "`.");
    }
    query = lower(q->get<std::string>());
  }
  bool want_pages = true, want_sources = true;
  if (const util::Json* filter = util::member(body, "filter"); filter && !filter->is_null()) {
    const std::string property = util::string_or(*filter, "property");
    const std::string value = util::string_or(*filter, "value");
    if (property != "object") {
      return validation_error(
          "body failed validation: body.filter.property should be `\"object\"`, instead was `" +
          util::dump_json(filter->value("property", util::Json())) + "`.");
    }
    if (value != "page" && value != "data_source") {
      return validation_error(
          "body failed validation: body.filter.value should be `\"page\"` or "
          "`\"data_source\"`, instead was `" +
          util::dump_json(filter->value("value", util::Json())) + "`.");
    }
    want_pages = value == "page";
    want_sources = value == "data_source";
  }
  bool ascending = false;
  if (const util::Json* sort = util::member(body, "sort"); sort && !sort->is_null()) {
    const std::string timestamp = util::string_or(*sort, "timestamp");
    const std::string direction = util::string_or(*sort, "direction");
    if (timestamp != "last_edited_time") {
      return validation_error(
          "body failed validation: body.sort.timestamp should be `\"last_edited_time\"`, "
          "instead was `" +
          util::dump_json(sort->value("timestamp", util::Json())) + "`.");
    }
    if (direction != "ascending" && direction != "descending") {
      return validation_error(
          "body failed validation: body.sort.direction should be `\"ascending\"` or "
          "`\"descending\"`, instead was `" +
          util::dump_json(sort->value("direction", util::Json())) + "`.");
    }
    ascending = direction == "ascending";
  }
  auto paging = page_request_from_body(body);
  if (!paging) return paging.error();

  std::vector<Hit> hits;
  if (want_pages) {
    for (const std::string& id : c.store.page_ids()) {
      const Page* page = c.store.page(id);
      if (!page || c.store.in_trash_tree(*page)) continue;
      if (!query.empty() && lower(c.store.page_title(*page)).find(query) == std::string::npos) {
        continue;
      }
      hits.push_back(Hit{page, nullptr, page->stamps.last_edited_time, &page->id});
    }
  }
  if (want_sources) {
    for (const std::string& id : c.store.data_source_ids()) {
      const DataSource* ds = c.store.data_source(id);
      if (!ds || ds->in_trash) continue;
      if (!query.empty() && lower(plain_text(ds->title)).find(query) == std::string::npos) {
        continue;
      }
      hits.push_back(Hit{nullptr, ds, ds->stamps.last_edited_time, &ds->id});
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [ascending](const Hit& a, const Hit& b) {
    if (a.edited != b.edited) return ascending ? a.edited < b.edited : a.edited > b.edited;
    return *a.id < *b.id;
  });
  auto window = slice(
      *paging, hits.size(), [&](size_t i) { return *hits[i].id; }, "body");
  if (!window) return window.error();
  util::Json results = util::Json::array();
  for (size_t i = window->begin; i < window->end; ++i) {
    results.push_back(hits[i].page ? page_json(c.store, *hits[i].page)
                                   : data_source_json(c.store, *hits[i].data_source));
  }
  return list_json(std::move(results), *window, "page_or_data_source");
}

}  // namespace notion_mcp::demo
