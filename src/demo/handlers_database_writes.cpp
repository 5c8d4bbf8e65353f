// POST /v1/databases, PATCH /v1/databases/{id}, PATCH /v1/data_sources/{id}.
#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/rich_text.h"
#include "demo/rich_text_input.h"
#include "demo/schema_input.h"
#include "demo/serialize.h"
#include "demo/write_support.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

// Title and description (rich text), icon and cover shared by databases and data sources.
util::Result<void> apply_common(const Json& body, Store& store, Json& title, Json& description,
                                Json* icon, Json* cover) {
  if (const Json* t = util::member(body, "title")) {
    auto rich = normalize_rich_text(*t, store, "body.title");
    if (!rich) return rich.error();
    title = std::move(*rich);
  }
  if (const Json* d = util::member(body, "description")) {
    auto rich = normalize_rich_text(*d, store, "body.description");
    if (!rich) return rich.error();
    description = std::move(*rich);
  }
  if (const Json* i = util::member(body, "icon"); i && icon) {
    auto parsed = parse_icon(*i, "body.icon");
    if (!parsed) return parsed.error();
    *icon = std::move(*parsed);
  }
  if (const Json* v = util::member(body, "cover"); v && cover) {
    auto parsed = parse_cover(*v, "body.cover");
    if (!parsed) return parsed.error();
    *cover = std::move(*parsed);
  }
  return {};
}

}  // namespace

Reply create_database(Context& c) {
  const Json* parent_json = util::member(c.body, "parent");
  if (!parent_json) {
    return validation_error(
        "body failed validation: body.parent should be defined, instead was "
        "`undefined`.");
  }
  auto parent = parse_parent(*parent_json, c.store, "body.parent", false);
  if (!parent) return parent.error();
  if (parent->kind != ParentKind::kPage) {
    return validation_error(
        "A database can only be created inside a page; body.parent should "
        "have page_id.");
  }
  if (c.store.page(parent->id)->in_trash) return archived_error("page");
  Database db;
  db.id = c.store.next_id("database");
  db.parent = *parent;
  db.is_inline = util::bool_or(c.body, "is_inline", false);
  db.stamps = fresh_stamps(c);
  if (auto r = apply_common(c.body, c.store, db.title, db.description, &db.icon, &db.cover); !r) {
    return r.error();
  }
  const Json initial = c.body.value("initial_data_source", Json::object());
  const Json properties = initial.value("properties", Json{{"Name", {{"title", Json::object()}}}});
  DataSource ds;
  ds.id = c.store.next_id("data_source");
  auto schema = schema_from_request(properties, c.store, ds.id);
  if (!schema) return schema.error();
  ds.properties = std::move(*schema);
  ds.database_id = db.id;
  ds.title = db.title;
  ds.stamps = db.stamps;
  const std::string id = c.store.add_database(std::move(db)).id;
  c.store.add_data_source(std::move(ds));
  touch_page_of(c, parent->id);
  return database_json(c.store, *c.store.database(id));
}

Reply update_database(Context& c) {
  auto id = path_id(c, 0, "database_id");
  if (!id) return id.error();
  Database* db = c.store.database(*id);
  if (!db) return not_found("database", *id);
  Json title = db->title, description = db->description, icon = db->icon, cover = db->cover;
  if (auto r = apply_common(c.body, c.store, title, description, &icon, &cover); !r) {
    return r.error();
  }
  db->title = std::move(title);
  db->description = std::move(description);
  db->icon = std::move(icon);
  db->cover = std::move(cover);
  if (const Json* inline_flag = util::member(c.body, "is_inline");
      inline_flag && inline_flag->is_boolean()) {
    db->is_inline = inline_flag->get<bool>();
  }
  if (const Json* trash = util::member(c.body, "in_trash"); trash && trash->is_boolean()) {
    db->in_trash = trash->get<bool>();
  }
  mark_edited(db->stamps, c);
  return database_json(c.store, *db);
}

Reply update_data_source(Context& c) {
  auto id = path_id(c, 0, "data_source_id");
  if (!id) return id.error();
  DataSource* ds = c.store.data_source(*id);
  if (!ds) return not_found("data source", *id);
  Json title = ds->title, description = ds->description;
  if (auto r = apply_common(c.body, c.store, title, description, nullptr, nullptr); !r) {
    return r.error();
  }
  if (const Json* properties = util::member(c.body, "properties")) {
    DataSource scratch = *ds;
    if (auto r = update_schema(*properties, c.store, scratch); !r) return r.error();
    // update_schema rewrote the rows already; keep the new schema.
    ds->properties = std::move(scratch.properties);
  }
  ds->title = std::move(title);
  ds->description = std::move(description);
  if (const Json* trash = util::member(c.body, "in_trash"); trash && trash->is_boolean()) {
    ds->in_trash = trash->get<bool>();
  }
  if (const Json* icon = util::member(c.body, "icon")) {
    auto parsed = parse_icon(*icon, "body.icon");
    if (!parsed) return parsed.error();
    if (Database* db = c.store.database(ds->database_id)) db->icon = std::move(*parsed);
  }
  mark_edited(ds->stamps, c);
  return data_source_json(c.store, *ds);
}

}  // namespace notion_mcp::demo
