#include "demo/schema_input.h"

#include <algorithm>
#include <set>

#include "demo/api_errors.h"
#include "demo/ids.h"
#include "demo/query_filter.h"
#include "demo/str_cat.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

const std::set<std::string, std::less<>>& creatable_types() {
  static const std::set<std::string, std::less<>> types = {"title",
                                                           "rich_text",
                                                           "number",
                                                           "select",
                                                           "multi_select",
                                                           "status",
                                                           "date",
                                                           "people",
                                                           "checkbox",
                                                           "url",
                                                           "email",
                                                           "phone_number",
                                                           "relation",
                                                           "files",
                                                           "created_time",
                                                           "created_by",
                                                           "last_edited_time",
                                                           "last_edited_by"};
  return types;
}

util::Error invalid(std::string_view where, std::string_view should, const Json& got) {
  return validation_error(cat({"body failed validation: ", where, " should be ", should,
                               ", instead was `", util::dump_json(got), "`."}));
}

Json options_from(const Json& input, std::string_view property_id) {
  Json out = Json::array();
  if (!input.is_array()) return out;
  for (const Json& option : input) {
    const std::string name = util::string_or(option, "name");
    if (name.empty()) continue;
    out.push_back(
        Json{{"id", util::string_or(option, "id", short_id(cat({property_id, "/", name})))},
             {"name", name},
             {"color", util::string_or(option, "color", "default")},
             {"description", option.value("description", Json())}});
  }
  return out;
}

// One property's schema from its request ({"number": {"format": "dollar"}} etc.).
util::Result<Json> property_schema(const std::string& name, const Json& request,
                                   const std::string& id, const Store& store,
                                   const std::string& where) {
  if (!request.is_object()) return invalid(where, "an object", request);
  std::string type = util::string_or(request, "type");
  if (type.empty()) {
    for (const auto& [key, value] : request.items()) {
      if (creatable_types().count(key)) type = key;
    }
  }
  if (!creatable_types().count(type)) {
    return invalid(where, "a property type such as `title`, `rich_text`, `number`, `select`",
                   request);
  }
  const Json config = request.value(type, Json::object());
  Json out{{"id", id},
           {"name", name},
           {"type", type},
           {"description", request.value("description", Json())},
           {type, Json::object()}};
  if (type == "number") {
    out[type]["format"] = util::string_or(config, "format", "number");
  } else if (type == "select" || type == "multi_select") {
    out[type]["options"] = options_from(config.value("options", Json::array()), id);
  } else if (type == "status") {
    Json options = options_from(config.value("options", Json::array()), id);
    if (options.empty()) {
      options = options_from(Json::array({{{"name", "Not started"}, {"color", "default"}},
                                          {{"name", "In progress"}, {"color", "blue"}},
                                          {{"name", "Done"}, {"color", "green"}}}),
                             id);
    }
    Json groups = Json::array();
    const char* group_names[] = {"To-do", "In progress", "Complete"};
    for (size_t g = 0; g < 3; ++g) {
      Json ids = Json::array();
      for (size_t o = 0; o < options.size(); ++o) {
        const size_t group = o == 0 ? 0 : (o + 1 == options.size() ? 2 : 1);
        if (group == g) ids.push_back(options[o]["id"]);
      }
      groups.push_back(Json{{"id", short_id(cat({id, "/group/", group_names[g]}))},
                            {"name", group_names[g]},
                            {"color", g == 0 ? "gray" : (g == 1 ? "blue" : "green")},
                            {"option_ids", ids}});
    }
    out[type] = Json{{"options", options}, {"groups", groups}};
  } else if (type == "relation") {
    const auto target = normalize_id(util::string_or(config, "data_source_id"));
    const DataSource* ds = target ? store.data_source(*target) : nullptr;
    if (!ds) {
      return invalid(where + ".relation.data_source_id", "the id of an existing data source",
                     config.value("data_source_id", Json()));
    }
    out[type] = Json{{"data_source_id", ds->id},
                     {"database_id", ds->database_id},
                     {"type", "single_property"},
                     {"single_property", Json::object()}};
  }
  return out;
}

}  // namespace

util::Result<Json> schema_from_request(const Json& properties, const Store& store,
                                       std::string_view data_source_id) {
  const std::string where = "body.initial_data_source.properties";
  if (!properties.is_object()) return invalid(where, "an object", properties);
  Json out = Json::object();
  int titles = 0;
  for (const auto& [name, request] : properties.items()) {
    auto schema = property_schema(name, request, "", store, where + "." + name);
    if (!schema) return schema.error();
    if ((*schema)["type"] == "title") {
      ++titles;
      (*schema)["id"] = "title";
    } else {
      (*schema)["id"] = short_id(cat({data_source_id, "/", name}));
    }
    out[name] = std::move(*schema);
  }
  if (titles != 1) {
    return validation_error(cat({"body failed validation: ", where,
                                 " should have exactly one title property, instead had ",
                                 std::to_string(titles), "."}));
  }
  return out;
}

util::Result<void> update_schema(const Json& properties, Store& store, DataSource& ds) {
  if (!properties.is_object()) return invalid("body.properties", "an object", properties);
  Json schema = ds.properties;
  struct Rename {
    std::string from, to;
  };
  std::vector<Rename> renames;
  std::vector<std::string> removed, retyped;
  for (const auto& [key, request] : properties.items()) {
    const std::string where = "body.properties." + key;
    std::string name;
    const Json* existing = find_property(schema, key, &name);
    if (request.is_null()) {
      if (!existing) return validation_error(key + " is not a property that exists.");
      if ((*existing)["type"] == "title") {
        return validation_error("The title property " + name + " cannot be removed.");
      }
      schema.erase(name);
      removed.push_back(name);
      continue;
    }
    if (!request.is_object()) return invalid(where, "an object or `null`", request);
    if (!existing) {
      auto added = property_schema(key, request, short_id(cat({ds.id, "/", key})), store, where);
      if (!added) return added.error();
      if ((*added)["type"] == "title") {
        return validation_error("A data source has exactly one title property; " + key +
                                " cannot be another.");
      }
      schema[key] = std::move(*added);
      continue;
    }
    Json updated = *existing;
    const bool changes_type =
        request.contains("type") ||
        std::any_of(request.items().begin(), request.items().end(),
                    [](const auto& item) { return creatable_types().count(item.key()) > 0; });
    if (changes_type) {
      auto replaced =
          property_schema(name, request, util::string_or(*existing, "id"), store, where);
      if (!replaced) return replaced.error();
      if (((*replaced)["type"] == "title") != ((*existing)["type"] == "title")) {
        return validation_error(
            "The title property cannot change type, and no other property "
            "can become the title.");
      }
      if ((*replaced)["type"] != (*existing)["type"]) retyped.push_back(name);
      updated = std::move(*replaced);
    }
    if (request.contains("description")) updated["description"] = request["description"];
    std::string new_name = name;
    if (const Json* rename = util::member(request, "name"); rename && rename->is_string()) {
      new_name = rename->get<std::string>();
      if (new_name.empty()) return invalid(where + ".name", "a non-empty string", *rename);
      if (new_name != name && schema.contains(new_name)) {
        return validation_error("A property named " + new_name + " already exists.");
      }
    }
    updated["name"] = new_name;
    if (new_name != name) {
      schema.erase(name);
      renames.push_back({name, new_name});
    }
    schema[new_name] = std::move(updated);
  }
  ds.properties = std::move(schema);
  // Rewrite the rows: values move with renames and go with removed or retyped properties.
  for (const std::string& id : store.page_ids()) {
    Page* page = store.page(id);
    if (!page || page->parent.kind != ParentKind::kDataSource || page->parent.id != ds.id) continue;
    for (const std::string& name : removed) page->properties.erase(name);
    for (const std::string& name : retyped) page->properties.erase(name);
    for (const Rename& r : renames) {
      if (!page->properties.contains(r.from)) continue;
      page->properties[r.to] = std::move(page->properties[r.from]);
      page->properties.erase(r.from);
    }
  }
  return {};
}

}  // namespace notion_mcp::demo
