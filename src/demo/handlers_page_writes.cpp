// POST /v1/pages, PATCH /v1/pages/{id}, POST /v1/pages/{id}/move.
#include <algorithm>

#include "demo/api_errors.h"
#include "demo/block_input.h"
#include "demo/handlers.h"
#include "demo/markdown_parse.h"
#include "demo/property_values.h"
#include "demo/serialize.h"
#include "demo/write_support.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

constexpr int kMaxNesting = 2;

bool is_attached(const Store& store, const Block& block) {
  if (block.parent.kind != ParentKind::kPage && block.parent.kind != ParentKind::kBlock) {
    return true;
  }
  const Block* container = store.block(block.parent.id);
  return container && std::find(container->children.begin(), container->children.end(), block.id) !=
                          container->children.end();
}

// The title property value for a page moving between a page parent and a data source.
Json title_for(const Store& store, const Page& page, const DataSource* ds, std::string* name) {
  const Json* current = store.title_property(page);
  Json rich = current ? current->value("title", Json::array()) : Json::array();
  *name = "title";
  if (ds) {
    for (const auto& [key, schema] : ds->properties.items()) {
      if (schema["type"] == "title") *name = key;
    }
  }
  return Json{{"id", "title"}, {"type", "title"}, {"title", std::move(rich)}};
}

util::Result<const Page*> editable_page(Context& c) {
  auto id = path_id(c, 0, "page_id");
  if (!id) return id.error();
  const Page* page = c.store.page(*id);
  if (!page) return not_found("page", *id);
  return page;
}

}  // namespace

Reply create_page(Context& c) {
  const Json* parent_json = util::member(c.body, "parent");
  if (!parent_json) {
    return validation_error(
        "body failed validation: body.parent should be defined, instead was "
        "`undefined`.");
  }
  auto parent = parse_parent(*parent_json, c.store, "body.parent", false);
  if (!parent) return parent.error();
  DataSource* ds =
      parent->kind == ParentKind::kDataSource ? c.store.data_source(parent->id) : nullptr;
  if (parent->kind == ParentKind::kPage) {
    const Page* target = c.store.page(parent->id);
    if (target && target->in_trash) return archived_error("page");
  }
  const Json* children = util::member(c.body, "children");
  const Json* markdown = util::member(c.body, "markdown");
  if (children && markdown) {
    return validation_error(
        "body failed validation: provide either body.children or "
        "body.markdown, not both.");
  }
  // Validate everything before changing anything.
  Json properties = Json::object();
  if (const Json* input = util::member(c.body, "properties")) {
    DataSource scratch;
    DataSource* schema_owner = nullptr;
    if (ds) {
      scratch = *ds;  // new select options land in the real schema only on success
      schema_owner = &scratch;
    }
    auto applied = apply_property_values(*input, Json::object(), c.store, schema_owner);
    if (!applied) return applied.error();
    properties = std::move(*applied);
    if (ds) ds->properties = std::move(scratch.properties);
  }
  std::vector<NewBlock> blocks;
  if (children) {
    auto parsed = parse_block_requests(*children, c.store, "body.children", kMaxNesting);
    if (!parsed) return parsed.error();
    blocks = std::move(*parsed);
  } else if (markdown) {
    if (!markdown->is_string()) {
      return validation_error(
          "body failed validation: body.markdown should be a string, "
          "instead was `" +
          util::dump_json(*markdown) + "`.");
    }
    blocks = parse_markdown(markdown->get<std::string>(), c.store);
    // Without an explicit title, a leading "# Heading" becomes the title.
    bool has_title = false;
    for (const auto& [name, value] : properties.items()) {
      if (value["type"] == "title" && !value["title"].empty()) has_title = true;
    }
    if (!has_title && !blocks.empty() && blocks.front().type == "heading_1") {
      std::string title_name = "title";
      if (ds) {
        for (const auto& [key, schema] : ds->properties.items()) {
          if (schema["type"] == "title") title_name = key;
        }
      }
      properties[title_name] =
          Json{{"id", "title"}, {"type", "title"}, {"title", blocks.front().content["rich_text"]}};
      blocks.erase(blocks.begin());
    }
  }
  Json icon, cover;
  if (const Json* i = util::member(c.body, "icon")) {
    auto parsed = parse_icon(*i, "body.icon");
    if (!parsed) return parsed.error();
    icon = std::move(*parsed);
  }
  if (const Json* v = util::member(c.body, "cover")) {
    auto parsed = parse_cover(*v, "body.cover");
    if (!parsed) return parsed.error();
    cover = std::move(*parsed);
  }
  if (!ds && !properties.contains("title")) {
    properties["title"] = Json{{"id", "title"}, {"type", "title"}, {"title", Json::array()}};
  }

  Page page;
  page.id = c.store.next_id("page");
  page.parent = *parent;
  page.properties = std::move(properties);
  page.icon = std::move(icon);
  page.cover = std::move(cover);
  page.stamps = fresh_stamps(c);
  const Page& stored = c.store.add_page(std::move(page));
  const std::string id = stored.id;
  insert_blocks(c.store, Parent{ParentKind::kPage, id}, std::move(blocks), SIZE_MAX,
                fresh_stamps(c));
  sync_dual_relations(c.store, *c.store.page(id), Json::object());
  return page_json(c.store, *c.store.page(id));
}

Reply update_page(Context& c) {
  auto found = editable_page(c);
  if (!found) return found.error();
  Page& page = *c.store.page((*found)->id);
  const Json* trash = util::member(c.body, "in_trash");
  if (!trash) trash = util::member(c.body, "archived");  // the pre-2026 name
  if (trash && !trash->is_boolean()) {
    return validation_error(
        "body failed validation: body.in_trash should be a boolean, instead "
        "was `" +
        util::dump_json(*trash) + "`.");
  }
  const bool edits =
      c.body.contains("properties") || c.body.contains("icon") || c.body.contains("cover");
  if (page.in_trash && edits && !(trash && !trash->get<bool>())) return archived_error("page");

  DataSource* ds =
      page.parent.kind == ParentKind::kDataSource ? c.store.data_source(page.parent.id) : nullptr;
  Json properties = page.properties;
  DataSource scratch;
  if (const Json* input = util::member(c.body, "properties")) {
    DataSource* schema_owner = nullptr;
    if (ds) {
      scratch = *ds;
      schema_owner = &scratch;
    }
    auto applied = apply_property_values(*input, page.properties, c.store, schema_owner);
    if (!applied) return applied.error();
    properties = std::move(*applied);
  }
  Json icon = page.icon, cover = page.cover;
  if (const Json* i = util::member(c.body, "icon")) {
    auto parsed = parse_icon(*i, "body.icon");
    if (!parsed) return parsed.error();
    icon = std::move(*parsed);
  }
  if (const Json* v = util::member(c.body, "cover")) {
    auto parsed = parse_cover(*v, "body.cover");
    if (!parsed) return parsed.error();
    cover = std::move(*parsed);
  }
  if (ds && c.body.contains("properties")) ds->properties = std::move(scratch.properties);
  const Json before = page.properties;
  page.properties = std::move(properties);
  page.icon = std::move(icon);
  page.cover = std::move(cover);
  if (trash) {
    page.in_trash = trash->get<bool>();
    Block* block = c.store.block(page.id);
    if (!page.in_trash && block && !is_attached(c.store, *block)) c.store.attach_block(page.id);
  }
  mark_edited(page.stamps, c);
  sync_dual_relations(c.store, page, before);
  return page_json(c.store, page);
}

Reply move_page(Context& c) {
  auto found = editable_page(c);
  if (!found) return found.error();
  Page& page = *c.store.page((*found)->id);
  const Json* parent_json = util::member(c.body, "parent");
  if (!parent_json) {
    return validation_error(
        "body failed validation: body.parent should be defined, instead was "
        "`undefined`.");
  }
  auto parent = parse_parent(*parent_json, c.store, "body.parent", true);
  if (!parent) return parent.error();
  if (page.in_trash) return archived_error("page");
  // A page cannot move into itself or below itself.
  for (Parent up = *parent; up.kind == ParentKind::kPage || up.kind == ParentKind::kBlock;) {
    if (up.id == page.id) {
      return validation_error("A page cannot be moved inside itself or one of its sub-pages.");
    }
    const Block* b = c.store.block(up.id);
    if (!b) break;
    up = b->parent;
  }
  const DataSource* ds =
      parent->kind == ParentKind::kDataSource ? c.store.data_source(parent->id) : nullptr;
  const bool was_row = page.parent.kind == ParentKind::kDataSource;
  if (was_row || ds) {
    // Only the title survives a move into or out of a data source.
    std::string name;
    Json title = title_for(c.store, page, ds, &name);
    page.properties = Json::object();
    page.properties[name] = std::move(title);
  }
  c.store.reparent(page.id, *parent);
  mark_edited(page.stamps, c);
  return page_json(c.store, page);
}

}  // namespace notion_mcp::demo
