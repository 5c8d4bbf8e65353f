#include "tools/property_input.h"

#include <array>
#include <cctype>
#include <cstdlib>

#include "tools/ids.h"
#include "tools/write_common.h"

namespace notion_mcp::tools {

namespace {

using util::Json;

// Every type key of a property value in Notion's shape.
constexpr std::array<std::string_view, 16> kValueTypes = {
    "title", "rich_text", "number", "select", "multi_select", "status",   "date",  "people",
    "files", "checkbox",  "url",    "email",  "phone_number", "relation", "place", "verification"};

bool notion_shaped(const Json& value) {
  if (!value.is_object()) return false;
  for (std::string_view type : kValueTypes) {
    if (value.contains(type)) return true;
  }
  return false;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

util::Error invalid(const std::string& name, const std::string& why) {
  return util::make_error("validation_error", "Property '" + name + "': " + why,
                          "get_data_source shows each property's type and options.");
}

// The schema entry for `key`: by exact name, by property id, then by name ignoring case.
const Json* find_schema(const Json& schema, const std::string& key, std::string& name) {
  if (const Json* exact = util::member(schema, key)) {
    name = key;
    return exact;
  }
  std::string wanted = lower(key);
  for (const auto& [candidate, entry] : schema.items()) {
    if (util::string_or(entry, "id") == key) {
      name = candidate;
      return &entry;
    }
  }
  for (const auto& [candidate, entry] : schema.items()) {
    if (lower(candidate) == wanted) {
      name = candidate;
      return &entry;
    }
  }
  return nullptr;
}

std::string schema_list(const Json& schema) {
  std::string out;
  for (const auto& [name, entry] : schema.items()) {
    if (!out.empty()) out += ", ";
    out += name + " (" + util::string_or(entry, "type") + ")";
  }
  return out;
}

// A list value: an array, or a comma-separated string.
std::vector<std::string> string_list(const Json& value, bool split_commas) {
  std::vector<std::string> out;
  auto add = [&](std::string item) {
    size_t first = item.find_first_not_of(' ');
    size_t last = item.find_last_not_of(' ');
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
  };
  if (value.is_array()) {
    for (const Json& item : value) {
      if (item.is_string()) add(item.get<std::string>());
    }
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (!split_commas) {
      add(text);
    } else {
      size_t start = 0;
      while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        add(text.substr(start, comma - start));
        start = comma + 1;
      }
    }
  }
  return out;
}

bool all_strings(const Json& value) {
  if (value.is_string()) return true;
  if (!value.is_array()) return false;
  for (const Json& item : value) {
    if (!item.is_string()) return false;
  }
  return true;
}

util::Result<Json> date_value(const std::string& name, const Json& value) {
  if (value.is_null()) return Json(nullptr);
  if (value.is_object() && value.contains("start")) return value;
  if (!value.is_string() || value.get<std::string>().empty()) {
    return invalid(name,
                   "a date is an ISO 8601 string such as \"2026-05-01\" (or \"start → end\").");
  }
  std::string text = value.get<std::string>();
  for (std::string_view arrow : {" → ", " -> ", "/"}) {
    size_t at = text.find(arrow);
    if (at != std::string::npos) {
      return Json{{"start", text.substr(0, at)}, {"end", text.substr(at + arrow.size())}};
    }
  }
  return Json{{"start", text}};
}

util::Result<Json> id_list(const std::string& name, const Json& value, bool pages) {
  if (!value.is_null() && !all_strings(value)) {
    return invalid(name, "give a list of ids (or URLs).");
  }
  Json out = Json::array();
  for (const std::string& item : string_list(value, true)) {
    auto id = pages ? parse_page_id(item) : parse_notion_id(item);
    if (!id.ok()) return invalid(name, "'" + item + "' is not an id or URL.");
    out.push_back({{"id", *id}});
  }
  return out;
}

util::Result<Json> typed_value(const std::string& name, const std::string& type,
                               const Json& value) {
  if (type == "title" || type == "rich_text") {
    if (value.is_null()) return Json::array();
    if (!value.is_string()) return invalid(name, "a " + type + " value is a string.");
    return plain_rich_text(value.get<std::string>());
  }
  if (type == "number") {
    if (value.is_null() || value.is_number()) return value;
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      char* end = nullptr;
      double number = std::strtod(text.c_str(), &end);
      if (!text.empty() && end == text.c_str() + text.size()) return Json(number);
    }
    return invalid(name, "a number property takes a number.");
  }
  if (type == "checkbox") {
    if (value.is_boolean()) return value;
    if (value == "true" || value == "false") return Json(value == "true");
    return invalid(name, "a checkbox takes true or false.");
  }
  if (type == "select" || type == "status") {
    if (value.is_null()) return Json(nullptr);
    if (!value.is_string()) return invalid(name, "a " + type + " takes the option's name.");
    return Json{{"name", value.get<std::string>()}};
  }
  if (type == "multi_select") {
    if (!value.is_null() && !all_strings(value)) {
      return invalid(name, "a multi_select takes a list of option names.");
    }
    Json out = Json::array();
    for (const std::string& option : string_list(value, true)) out.push_back({{"name", option}});
    return out;
  }
  if (type == "date") return date_value(name, value);
  if (type == "url" || type == "email" || type == "phone_number") {
    if (value.is_null() || value.is_string()) {
      return value.is_string() && value.get<std::string>().empty() ? Json(nullptr) : value;
    }
    return invalid(name, "a " + type + " takes a string.");
  }
  if (type == "people") return id_list(name, value, false);
  if (type == "relation") return id_list(name, value, true);
  if (type == "files") {
    if (!value.is_null() && !all_strings(value)) {
      return invalid(name, "a files property takes a list of file URLs.");
    }
    Json out = Json::array();
    for (const std::string& url : string_list(value, false)) {
      if (!is_http_url(url)) return invalid(name, "'" + url + "' is not an https:// URL.");
      std::string file_name = url.substr(url.find_last_of('/') + 1);
      file_name = file_name.substr(0, file_name.find('?'));
      if (file_name.empty()) file_name = url;
      out.push_back({{"name", file_name}, {"type", "external"}, {"external", {{"url", url}}}});
    }
    return out;
  }
  return invalid(name, "a " + type + " property is computed by Notion and cannot be set.");
}

}  // namespace

bool needs_schema(const Json& properties) {
  if (!properties.is_object()) return false;
  for (const auto& [name, value] : properties.items()) {
    if (!notion_shaped(value)) return true;
  }
  return false;
}

util::Result<Json> schema_input(const Json& properties, bool allow_removal) {
  static constexpr std::array<std::string_view, 18> kCreatable = {"title",
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
  if (!properties.is_object()) {
    return util::make_error("validation_error", "properties must be an object of name → type.",
                            "For example {\"Status\": \"select\", \"Due\": \"date\"}.");
  }
  Json out = Json::object();
  for (const auto& [name, value] : properties.items()) {
    if (value.is_null()) {
      if (!allow_removal) {
        return util::make_error("validation_error", "Property '" + name + "' has no type.",
                                "Give each property a type such as \"rich_text\" or \"date\".");
      }
      out[name] = nullptr;
    } else if (value.is_string()) {
      std::string type = lower(value.get<std::string>());
      bool known = false;
      for (std::string_view creatable : kCreatable) known = known || creatable == type;
      if (!known || type == "relation") {
        std::string list;
        for (std::string_view creatable : kCreatable) {
          if (creatable == "relation") continue;
          if (!list.empty()) list += ", ";
          list += creatable;
        }
        return util::make_error("validation_error",
                                "Property '" + name + "': '" + value.get<std::string>() +
                                    "' is not a property type this tool can create by name.",
                                "Use one of: " + list +
                                    "; or Notion's shape, e.g. {\"relation\": "
                                    "{\"data_source_id\": \"...\", \"single_property\": {}}}.");
      }
      out[name] = {{type, Json::object()}};
    } else if (value.is_object()) {
      out[name] = value;
    } else {
      return util::make_error("validation_error",
                              "Property '" + name + "' must be a type name or an object.",
                              "For example \"select\" or {\"number\": {\"format\": \"dollar\"}}.");
    }
  }
  return out;
}

std::string title_property_name(const Json* schema) {
  if (schema != nullptr && schema->is_object()) {
    for (const auto& [name, entry] : schema->items()) {
      if (util::string_or(entry, "type") == "title") return name;
    }
  }
  return "title";
}

util::Result<Json> property_values(const Json& properties, const Json* schema) {
  Json out = Json::object();
  if (!properties.is_object()) {
    return util::make_error("validation_error", "properties must be an object of name → value.",
                            "For example {\"Status\": \"Done\", \"Due\": \"2026-05-01\"}.");
  }
  for (const auto& [key, value] : properties.items()) {
    if (notion_shaped(value)) {
      out[key] = value;
      continue;
    }
    if (schema == nullptr || !schema->is_object()) {
      // A page outside a database has a title and nothing else.
      if (lower(key) == "title" || lower(key) == "name") {
        auto title = typed_value(key, "title", value);
        if (!title.ok()) return title.error();
        out["title"] = {{"title", std::move(title).value()}};
        continue;
      }
      return util::make_error(
          "validation_error", "Property '" + key + "': a page outside a database has only a title.",
          "Set the title with the title argument, or create the page in a data source.");
    }
    std::string name;
    const Json* entry = find_schema(*schema, key, name);
    if (entry == nullptr) {
      return util::make_error(
          "validation_error",
          "Unknown property '" + key + "'. The data source has: " + schema_list(*schema) + ".",
          "Use one of these names (update_data_source adds properties).");
    }
    std::string type = util::string_or(*entry, "type");
    auto converted = typed_value(name, type, value);
    if (!converted.ok()) return converted.error();
    out[name] = {{type, std::move(converted).value()}};
  }
  return out;
}

std::vector<std::string> relation_targets(const Json& properties) {
  std::vector<std::string> out;
  if (!properties.is_object()) return out;
  for (const auto& [name, value] : properties.items()) {
    (void)name;
    const Json* relation = util::member(value, "relation");
    if (relation == nullptr || !relation->is_array()) continue;
    for (const Json& item : *relation) {
      std::string id = util::string_or(item, "id");
      auto ids = ids_in(id);
      if (!ids.ok()) {
        out.push_back(id);  // Notion refuses it; the scope check refuses it first
        continue;
      }
      for (const std::string* part : {&ids->path, &ids->peek_page, &ids->block}) {
        if (!part->empty()) out.push_back(*part);
      }
    }
  }
  return out;
}

}  // namespace notion_mcp::tools
