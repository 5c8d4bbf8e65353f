#include "demo/property_values.h"

#include <algorithm>
#include <set>

#include "demo/api_errors.h"
#include "demo/file_objects.h"
#include "demo/ids.h"
#include "demo/query_filter.h"
#include "demo/rich_text_input.h"
#include "demo/serialize.h"
#include "demo/str_cat.h"
#include "demo/timestamps.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

util::Error invalid(std::string_view where, std::string_view should, const Json& got) {
  return validation_error(cat({"body failed validation: ", where, " should be ", should,
                               ", instead was `", util::dump_json(got), "`."}));
}

// Finds (or, for select-like properties, creates) the option named or identified by `input`.
util::Result<Json> option_for(Json& schema, const std::string& type, const Json& input,
                              std::string_view where, bool may_create) {
  if (!input.is_object()) return invalid(where, "an object with `name` or `id`", input);
  Json& options = schema[type]["options"];
  const std::string name = util::string_or(input, "name");
  const std::string id = util::string_or(input, "id");
  for (const Json& option : options) {
    if ((!name.empty() && option["name"] == name) || (!id.empty() && option["id"] == id)) {
      return Json{{"id", option["id"]}, {"name", option["name"]}, {"color", option["color"]}};
    }
  }
  if (name.empty()) {
    return validation_error(
        cat({"body failed validation: ", where, ".id `", id, "` is not an option of property ",
             util::string_or(schema, "name"), "."}));
  }
  if (!may_create) {
    return validation_error(
        cat({"Invalid status option. Status option \"", name, "\" does not exist for property ",
             util::string_or(schema, "name"), "."}));
  }
  if (name.find(',') != std::string::npos) {
    return validation_error(cat({"body failed validation: ", where,
                                 ".name should not contain commas, instead was `", name, "`."}));
  }
  Json option{{"id", short_id(cat({util::string_or(schema, "id"), "/", name}))},
              {"name", name},
              {"color", util::string_or(input, "color", "default")},
              {"description", nullptr}};
  options.push_back(option);
  return Json{{"id", option["id"]}, {"name", name}, {"color", option["color"]}};
}

util::Result<Json> typed_value(Store& store, DataSource& ds, Json& schema, const std::string& type,
                               const Json& value, const std::string& where) {
  const std::string at = where + "." + type;
  if (type == "title" || type == "rich_text") return normalize_rich_text(value, store, at);
  if (type == "number") {
    if (!value.is_null() && !value.is_number()) return invalid(at, "a number or `null`", value);
    return value;
  }
  if (type == "checkbox") {
    if (!value.is_boolean()) return invalid(at, "a boolean", value);
    return value;
  }
  if (type == "url" || type == "email" || type == "phone_number") {
    if (!value.is_null() && !value.is_string()) return invalid(at, "a string or `null`", value);
    if (value.is_string() && value.get<std::string>().size() > 2000) {
      return invalid(at + ".length", "≤ `2000`", Json(value.get<std::string>().size()));
    }
    return value;
  }
  if (type == "select" || type == "status") {
    if (value.is_null()) return value;
    return option_for(schema, type, value, at, type == "select");
  }
  if (type == "multi_select") {
    if (!value.is_array()) return invalid(at, "an array", value);
    if (value.size() > 100) return invalid(at + ".length", "≤ `100`", Json(value.size()));
    Json out = Json::array();
    for (size_t i = 0; i < value.size(); ++i) {
      auto option =
          option_for(schema, type, value[i], cat({at, "[", std::to_string(i), "]"}), true);
      if (!option) return option.error();
      out.push_back(std::move(*option));
    }
    return out;
  }
  if (type == "date") {
    if (value.is_null()) return value;
    if (!value.is_object()) return invalid(at, "an object with `start`, or `null`", value);
    const std::string start = util::string_or(value, "start");
    if (!parse_timestamp(start))
      return invalid(at + ".start", "an ISO 8601 date", value.value("start", Json()));
    Json out{{"start", start}, {"end", nullptr}, {"time_zone", nullptr}};
    if (const Json* end = util::member(value, "end"); end && !end->is_null()) {
      if (!end->is_string() || !parse_timestamp(end->get<std::string>())) {
        return invalid(at + ".end", "an ISO 8601 date or `null`", *end);
      }
      out["end"] = *end;
    }
    if (const Json* zone = util::member(value, "time_zone"); zone && zone->is_string()) {
      out["time_zone"] = *zone;
    }
    return out;
  }
  if (type == "people") {
    if (!value.is_array()) return invalid(at, "an array of users", value);
    Json out = Json::array();
    for (const Json& person : value) {
      const auto id = normalize_id(util::string_or(person, "id"));
      const User* user = id ? store.user(*id) : nullptr;
      if (!user) return invalid(at, "an array of users in this workspace", value);
      out.push_back(user_json(*user, store));
    }
    return out;
  }
  if (type == "relation") {
    if (!value.is_array()) return invalid(at, "an array of `{id}` objects", value);
    if (value.size() > 100) return invalid(at + ".length", "≤ `100`", Json(value.size()));
    const std::string target = util::string_or(schema["relation"], "data_source_id");
    Json out = Json::array();
    for (const Json& related : value) {
      const auto id = normalize_id(util::string_or(related, "id"));
      const Page* page = id ? store.page(*id) : nullptr;
      if (!page || page->parent.kind != ParentKind::kDataSource || page->parent.id != target) {
        return validation_error(
            cat({"body failed validation: ", at, " contains `", util::dump_json(related),
                 "`, which is not a page of the related data source ", target, "."}));
      }
      out.push_back(Json{{"id", *id}});
    }
    return out;
  }
  if (type == "files") {
    if (!value.is_array()) return invalid(at, "an array of file objects", value);
    if (value.size() > 100) return invalid(at + ".length", "≤ `100`", Json(value.size()));
    Json out = Json::array();
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string item_at = cat({at, "[", std::to_string(i), "]"});
      auto file = file_object_input(value[i], store, item_at);
      if (!file) return file.error();
      std::string name = util::string_or(value[i], "name", file->value("name", ""));
      if (name.empty()) return invalid(item_at + ".name", "a file name", value[i]);
      file->erase("name");
      (*file)["name"] = std::move(name);
      out.push_back(std::move(*file));
    }
    return out;
  }
  (void)ds;
  return validation_error(
      cat({"body failed validation: ", where, " is a ", type, " property, which cannot be set."}));
}

}  // namespace

util::Result<Json> apply_property_values(const Json& input, const Json& current, Store& store,
                                         DataSource* ds) {
  if (!input.is_object()) return invalid("body.properties", "an object", input);
  Json out = current.is_object() ? current : Json::object();
  for (const auto& [key, value] : input.items()) {
    const std::string where = "body.properties." + key;
    if (!ds) {
      // A page under a page has only its title.
      const Json* title_value = &value;
      if (value.is_object()) {
        title_value = util::member(value, "title");
        if (!title_value) return invalid(where + ".title", "defined", Json("undefined"));
      }
      if (key != "title" && !(value.is_object() && value.contains("title"))) {
        return validation_error(cat({"Invalid property for a page outside a data source: ", key,
                                     ". Only its title can be set."}));
      }
      auto rich = normalize_rich_text(*title_value, store, where + ".title");
      if (!rich) return rich.error();
      out["title"] = Json{{"id", "title"}, {"type", "title"}, {"title", std::move(*rich)}};
      continue;
    }
    std::string name;
    const Json* found = find_property(ds->properties, key, &name);
    if (!found) return validation_error(key + " is not a property that exists.");
    Json& schema = ds->properties[name];
    const std::string type = util::string_or(schema, "type");
    if (!value.is_object() || !value.contains(type)) {
      return invalid(where, cat({"an object with a `", type, "` value"}), value);
    }
    auto typed = typed_value(store, *ds, schema, type, value[type], where);
    if (!typed) return typed.error();
    out[name] = Json{{"id", schema["id"]}, {"type", type}, {type, std::move(*typed)}};
    if (type == "relation") out[name]["has_more"] = false;
  }
  return out;
}

void sync_dual_relations(Store& store, const Page& page, const Json& before) {
  const DataSource* ds = store.parent_data_source(page);
  if (!ds) return;
  for (const auto& [name, schema] : ds->properties.items()) {
    if (schema["type"] != "relation") continue;
    const Json& config = schema["relation"];
    if (util::string_or(config, "type") != "dual_property") continue;
    const std::string synced =
        util::string_or(config.value("dual_property", Json::object()), "synced_property_name");
    auto ids = [&](const Json& props) {
      std::set<std::string> out;
      if (props.contains(name)) {
        for (const Json& r : props[name].value("relation", Json::array())) out.insert(r["id"]);
      }
      return out;
    };
    const std::set<std::string> old_ids = ids(before), new_ids = ids(page.properties);
    for (const std::string& id : old_ids) {
      if (new_ids.count(id)) continue;
      Page* other = store.page(id);
      if (!other || !other->properties.contains(synced)) continue;
      Json& list = other->properties[synced]["relation"];
      Json kept = Json::array();
      for (const Json& r : list) {
        if (r["id"] != page.id) kept.push_back(r);
      }
      list = std::move(kept);
    }
    for (const std::string& id : new_ids) {
      if (old_ids.count(id)) continue;
      Page* other = store.page(id);
      const DataSource* other_ds = other ? store.parent_data_source(*other) : nullptr;
      if (!other_ds || !other_ds->properties.contains(synced)) continue;
      const Json& other_schema = other_ds->properties[synced];
      Json& value = other->properties[synced];
      if (!value.is_object() || !value.contains("relation")) {
        value = Json{{"id", other_schema["id"]},
                     {"type", "relation"},
                     {"relation", Json::array()},
                     {"has_more", false}};
      }
      value["relation"].push_back(Json{{"id", page.id}});
    }
  }
}

}  // namespace notion_mcp::demo
