#include "mcp/schema_validator.h"

namespace notion_mcp::mcp {
namespace {

std::string preview(const util::Json& value) {
  std::string text = util::dump_json(value);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string describe_type(const util::Json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_integer() || value.is_number_unsigned()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "an array";
  return "an object";
}

bool has_type(const util::Json& value, std::string_view type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (value.is_number_integer() || value.is_number_unsigned()) return true;
    // 10.0 is an integer in JSON Schema.
    return value.is_number_float() &&
           value.get<double>() == static_cast<double>(static_cast<int64_t>(value.get<double>()));
  }
  return true;
}

std::string with_article(std::string_view type) {
  if (type == "integer" || type == "array" || type == "object") return "an " + std::string(type);
  return "a " + std::string(type);
}

std::optional<std::string> check(const util::Json& schema, const util::Json& value,
                                 const std::string& where) {
  if (!schema.is_object()) return std::nullopt;

  if (const util::Json* type = util::member(schema, "type"); type && type->is_string()) {
    std::string t = type->get<std::string>();
    if (!has_type(value, t)) {
      return where + " must be " + with_article(t) + ", but it is " + describe_type(value) + " (" +
             preview(value) + ")";
    }
  }

  if (const util::Json* options = util::member(schema, "enum"); options && options->is_array()) {
    bool found = false;
    for (const auto& option : *options) found = found || option == value;
    if (!found) {
      std::string list;
      for (const auto& option : *options) {
        if (!list.empty()) list += ", ";
        list += util::dump_json(option);
      }
      return where + " must be one of " + list + " (got " + preview(value) + ")";
    }
  }

  if (value.is_number()) {
    double number = value.get<double>();
    const util::Json* minimum = util::member(schema, "minimum");
    const util::Json* maximum = util::member(schema, "maximum");
    bool low = minimum && minimum->is_number() && number < minimum->get<double>();
    bool high = maximum && maximum->is_number() && number > maximum->get<double>();
    if (low || high) {
      std::string range;
      if (minimum && maximum) {
        range = "between " + util::dump_json(*minimum) + " and " + util::dump_json(*maximum);
      } else if (minimum) {
        range = "at least " + util::dump_json(*minimum);
      } else {
        range = "at most " + util::dump_json(*maximum);
      }
      return where + " must be " + range + " (got " + preview(value) + ")";
    }
  }

  if (value.is_string()) {
    // Lengths count characters, not bytes: count UTF-8 lead bytes.
    size_t length = 0;
    for (unsigned char c : value.get_ref<const std::string&>()) length += (c & 0xC0) != 0x80;
    if (const util::Json* min = util::member(schema, "minLength");
        min && min->is_number() && length < min->get<size_t>()) {
      return where + (min->get<size_t>() == 1
                          ? std::string(" must not be empty")
                          : " must be at least " + util::dump_json(*min) + " characters long");
    }
    if (const util::Json* max = util::member(schema, "maxLength");
        max && max->is_number() && length > max->get<size_t>()) {
      return where + " must be at most " + util::dump_json(*max) + " characters long (it has " +
             std::to_string(length) + ")";
    }
  }

  if (value.is_array()) {
    if (const util::Json* items = util::member(schema, "items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        if (auto problem = check(*items, value[i], where + "[" + std::to_string(i) + "]")) {
          return problem;
        }
      }
    }
  }

  if (value.is_object()) {
    const util::Json* properties = util::member(schema, "properties");
    if (const util::Json* required = util::member(schema, "required");
        required && required->is_array()) {
      for (const auto& name : *required) {
        if (name.is_string() && !value.contains(name.get<std::string>())) {
          std::string field = name.get<std::string>();
          return (where == "arguments" ? std::string("\"") + field + "\"" : where + "." + field) +
                 " is required but missing";
        }
      }
    }
    bool closed = util::member(schema, "additionalProperties") &&
                  schema["additionalProperties"].is_boolean() &&
                  !schema["additionalProperties"].get<bool>();
    for (const auto& [key, child] : value.items()) {
      std::string child_where = where == "arguments" ? key : where + "." + key;
      const util::Json* child_schema = properties ? util::member(*properties, key) : nullptr;
      if (!child_schema) {
        if (closed) {
          std::string known;
          if (properties) {
            for (const auto& [name, unused] : properties->items()) {
              if (!known.empty()) known += ", ";
              known += name;
            }
          }
          return "unknown argument \"" + child_where + "\"" +
                 (known.empty() ? std::string() : " (expected: " + known + ")");
        }
        continue;
      }
      if (auto problem = check(*child_schema, child, child_where)) return problem;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate_against_schema(const util::Json& schema,
                                                   const util::Json& value) {
  return check(schema, value, "arguments");
}

std::optional<std::string> validate_against_schema(std::string_view schema_text,
                                                   const util::Json& value) {
  // Schemas are literals in the tools' sources, parsed by the catalog tests: this cannot fail
  // unless a tool ships a broken schema, and then no call to it is let through.
  auto schema = util::parse_json(schema_text);
  if (!schema) return "this tool's input schema is unreadable (" + schema.error().message + ")";
  return check(*schema, value, "arguments");
}

}  // namespace notion_mcp::mcp
