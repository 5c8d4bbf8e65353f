#include "demo/write_support.h"

#include <optional>

#include "demo/api_errors.h"
#include "demo/ids.h"
#include "demo/str_cat.h"

namespace notion_mcp::demo {

using util::Json;

Stamps fresh_stamps(const Context& c) { return Stamps{c.now, c.now, c.bot_id, c.bot_id}; }

void mark_edited(Stamps& stamps, const Context& c) {
  stamps.last_edited_time = c.now;
  stamps.last_edited_by = c.bot_id;
}

void touch_page_of(Context& c, std::string_view id) {
  if (Page* page = c.store.owning_page(id)) mark_edited(page->stamps, c);
}

util::Result<Parent> parse_parent(const Json& parent, const Store& store, std::string_view where,
                                  bool allow_workspace) {
  if (!parent.is_object()) {
    return validation_error(cat({"body failed validation: ", where,
                                 " should be an object with page_id or data_source_id, instead "
                                 "was `",
                                 util::dump_json(parent), "`."}));
  }
  auto id_of = [&](const char* key) -> std::optional<std::string> {
    return normalize_id(util::string_or(parent, key));
  };
  if (parent.contains("page_id")) {
    auto id = id_of("page_id");
    if (!id) return invalid_path_id("page_id", util::string_or(parent, "page_id"));
    if (!store.page(*id)) return not_found("page", *id);
    return Parent{ParentKind::kPage, *id};
  }
  if (parent.contains("data_source_id")) {
    auto id = id_of("data_source_id");
    const DataSource* ds = id ? store.data_source(*id) : nullptr;
    if (!ds) return not_found("data source", util::string_or(parent, "data_source_id"));
    return Parent{ParentKind::kDataSource, ds->id};
  }
  if (parent.contains("database_id")) {
    // Older integrations name the database; its first data source receives the page.
    auto id = id_of("database_id");
    const Database* db = id ? store.database(*id) : nullptr;
    if (!db) return not_found("database", util::string_or(parent, "database_id"));
    if (db->data_sources.empty()) {
      return validation_error("Database " + db->id + " has no data source to add pages to.");
    }
    return Parent{ParentKind::kDataSource, db->data_sources.front()};
  }
  if (parent.contains("workspace") || util::string_or(parent, "type") == "workspace") {
    if (allow_workspace) return Parent{};
    return validation_error(
        "Pages can only be created at the top level of the workspace by public integrations. "
        "Use a parent page or data source.");
  }
  return validation_error(cat({"body failed validation: ", where,
                               " should have page_id or data_source_id, instead was `",
                               util::dump_json(parent), "`."}));
}

util::Result<Json> parse_icon(const Json& icon, std::string_view where) {
  if (icon.is_null()) return icon;
  if (icon.is_object() && icon.contains("emoji") && icon["emoji"].is_string()) {
    return Json{{"type", "emoji"}, {"emoji", icon["emoji"]}};
  }
  if (icon.is_object() && icon.contains("external")) {
    const std::string url = util::string_or(icon["external"], "url");
    if (!url.empty()) return Json{{"type", "external"}, {"external", {{"url", url}}}};
  }
  return validation_error(cat({"body failed validation: ", where,
                               " should be an emoji object, an external file object or `null`, "
                               "instead was `",
                               util::dump_json(icon), "`."}));
}

util::Result<Json> parse_cover(const Json& cover, std::string_view where) {
  if (cover.is_null()) return cover;
  if (cover.is_object() && cover.contains("external")) {
    const std::string url = util::string_or(cover["external"], "url");
    if (!url.empty()) return Json{{"type", "external"}, {"external", {{"url", url}}}};
  }
  return validation_error(cat({"body failed validation: ", where,
                               " should be an external file object or `null`, instead was `",
                               util::dump_json(cover), "`."}));
}

util::Error archived_error(std::string_view kind) {
  return validation_error(cat({"Can't edit ", kind, " that is archived. You must unarchive the ",
                               kind, " before editing."}));
}

}  // namespace notion_mcp::demo
