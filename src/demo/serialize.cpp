#include "demo/serialize.h"

#include "demo/rich_text.h"
#include "demo/timestamps.h"

namespace notion_mcp::demo {

using util::Json;

namespace {

void add_stamps(Json& out, const Stamps& stamps) {
  out["created_time"] = format_timestamp(stamps.created_time);
  out["last_edited_time"] = format_timestamp(stamps.last_edited_time);
  out["created_by"] = partial_user_json(stamps.created_by);
  out["last_edited_by"] = partial_user_json(stamps.last_edited_by);
}

Json or_null(const Json& value) { return value.is_null() ? Json(nullptr) : value; }

}  // namespace

Json partial_user_json(std::string_view id) {
  return Json{{"object", "user"}, {"id", std::string(id)}};
}

Json user_json(const User& user, const Store& store) {
  Json out{{"object", "user"},
           {"id", user.id},
           {"name", user.name},
           {"avatar_url", user.avatar_url.empty() ? Json(nullptr) : Json(user.avatar_url)}};
  if (user.bot) {
    out["type"] = "bot";
    out["bot"] = Json{{"owner", {{"type", "workspace"}, {"workspace", true}}},
                      {"workspace_name", store.workspace_name()},
                      {"workspace_limits", {{"max_file_upload_size_in_bytes", 5368709120LL}}}};
  } else {
    out["type"] = "person";
    out["person"] = Json{{"email", user.email}};
  }
  return out;
}

Json parent_json(const Store& store, const Parent& parent) {
  switch (parent.kind) {
    case ParentKind::kWorkspace:
      return Json{{"type", "workspace"}, {"workspace", true}};
    case ParentKind::kPage:
      return Json{{"type", "page_id"}, {"page_id", parent.id}};
    case ParentKind::kBlock:
      return Json{{"type", "block_id"}, {"block_id", parent.id}};
    case ParentKind::kDatabase:
      return Json{{"type", "database_id"}, {"database_id", parent.id}};
    case ParentKind::kDataSource: {
      const DataSource* ds = store.data_source(parent.id);
      return Json{{"type", "data_source_id"},
                  {"data_source_id", parent.id},
                  {"database_id", ds ? ds->database_id : std::string()}};
    }
  }
  return Json(nullptr);
}

Json page_properties(const Store& store, const Page& page) {
  Json out = page.properties;
  const DataSource* ds = store.parent_data_source(page);
  if (!ds) return out;
  for (const auto& [name, schema] : ds->properties.items()) {
    const std::string type = util::string_or(schema, "type");
    const std::string id = util::string_or(schema, "id");
    Json value;
    if (type == "created_time") {
      value = format_timestamp(page.stamps.created_time);
    } else if (type == "last_edited_time") {
      value = format_timestamp(page.stamps.last_edited_time);
    } else if (type == "created_by" || type == "last_edited_by") {
      const std::string& user_id =
          type == "created_by" ? page.stamps.created_by : page.stamps.last_edited_by;
      const User* user = store.user(user_id);
      value = user ? user_json(*user, store) : partial_user_json(user_id);
    } else {
      if (!out.contains(name)) {
        // A property the page has no value for yet: Notion shows its empty value.
        Json empty;
        if (type == "title" || type == "rich_text" || type == "people" || type == "multi_select" ||
            type == "relation" || type == "files") {
          empty = Json::array();
        } else if (type == "checkbox") {
          empty = false;
        }
        out[name] = Json{{"id", id}, {"type", type}, {type, empty}};
        if (type == "relation") out[name]["has_more"] = false;
      }
      continue;
    }
    out[name] = Json{{"id", id}, {"type", type}, {type, value}};
  }
  return out;
}

Json page_json(const Store& store, const Page& page) {
  Json out{{"object", "page"},
           {"id", page.id},
           {"parent", parent_json(store, page.parent)},
           {"in_trash", page.in_trash},
           {"is_locked", false},
           {"icon", or_null(page.icon)},
           {"cover", or_null(page.cover)},
           {"properties", page_properties(store, page)},
           {"url", store.page_url(page)},
           {"public_url", nullptr}};
  add_stamps(out, page.stamps);
  return out;
}

bool block_hidden(const Store& store, const Block& block) {
  if (block.in_trash) return true;
  if (block.type == "child_page") {
    const Page* page = store.page(block.id);
    return !page || page->in_trash;
  }
  if (block.type == "child_database") {
    const Database* database = store.database(block.id);
    return !database || database->in_trash;
  }
  return false;
}

Json block_json(const Store& store, const Block& block) {
  Json out{{"object", "block"},
           {"id", block.id},
           {"parent", parent_json(store, block.parent)},
           {"type", block.type},
           {"in_trash", block.in_trash}};
  Stamps stamps = block.stamps;
  bool has_children = false;
  for (const std::string& child : block.children) {
    const Block* b = store.block(child);
    if (b && !block_hidden(store, *b)) {
      has_children = true;
      break;
    }
  }
  if (block.type == "child_page") {
    const Page* page = store.page(block.id);
    out["child_page"] = Json{{"title", page ? store.page_title(*page) : std::string()}};
    if (page) {
      stamps = page->stamps;
      out["in_trash"] = page->in_trash;
    }
  } else if (block.type == "child_database") {
    const Database* database = store.database(block.id);
    out["child_database"] = Json{{"title", database ? plain_text(database->title) : std::string()}};
    if (database) {
      stamps = database->stamps;
      out["in_trash"] = database->in_trash;
    }
    has_children = false;
  } else {
    out[block.type] = block.content;
  }
  out["has_children"] = has_children;
  add_stamps(out, stamps);
  return out;
}

Json database_json(const Store& store, const Database& database) {
  Json sources = Json::array();
  for (const std::string& id : database.data_sources) {
    const DataSource* ds = store.data_source(id);
    if (ds) sources.push_back(Json{{"id", id}, {"name", plain_text(ds->title)}});
  }
  Json out{{"object", "database"},
           {"id", database.id},
           {"title", database.title},
           {"description", database.description},
           {"parent", parent_json(store, database.parent)},
           {"is_inline", database.is_inline},
           {"in_trash", database.in_trash},
           {"is_locked", false},
           {"data_sources", sources},
           {"icon", or_null(database.icon)},
           {"cover", or_null(database.cover)},
           {"url", store.database_url(database)},
           {"public_url", nullptr}};
  add_stamps(out, database.stamps);
  return out;
}

Json data_source_json(const Store& store, const DataSource& data_source) {
  const Database* database = store.database(data_source.database_id);
  Json out{{"object", "data_source"},
           {"id", data_source.id},
           {"title", data_source.title},
           {"description", data_source.description},
           {"parent", {{"type", "database_id"}, {"database_id", data_source.database_id}}},
           {"database_parent", database ? parent_json(store, database->parent) : Json(nullptr)},
           {"is_inline", database ? database->is_inline : false},
           {"in_trash", data_source.in_trash},
           {"properties", data_source.properties},
           {"icon", database ? or_null(database->icon) : Json(nullptr)},
           {"cover", database ? or_null(database->cover) : Json(nullptr)},
           {"url", database ? store.database_url(*database) : std::string()},
           {"public_url", nullptr}};
  add_stamps(out, data_source.stamps);
  return out;
}

Json comment_json(const Store& store, const Comment& comment) {
  Json out{{"object", "comment"},
           {"id", comment.id},
           {"parent", parent_json(store, comment.parent)},
           {"discussion_id", comment.discussion_id},
           {"created_time", format_timestamp(comment.stamps.created_time)},
           {"last_edited_time", format_timestamp(comment.stamps.last_edited_time)},
           {"created_by", partial_user_json(comment.stamps.created_by)},
           {"rich_text", comment.rich_text}};
  const User* author = store.user(comment.stamps.created_by);
  out["display_name"] = Json{{"type", author && author->bot ? "integration" : "user"},
                             {"resolved_name", author ? author->name : std::string()}};
  return out;
}

}  // namespace notion_mcp::demo
