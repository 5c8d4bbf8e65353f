#include "demo/query_filter.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "demo/api_errors.h"
#include "demo/ids.h"
#include "demo/request.h"
#include "demo/rich_text.h"
#include "demo/timestamps.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

constexpr int kMaxCompoundDepth = 2;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const std::set<std::string>& text_ops() {
  static const std::set<std::string> ops = {"equals",           "does_not_equal", "contains",
                                            "does_not_contain", "starts_with",    "ends_with",
                                            "is_empty",         "is_not_empty"};
  return ops;
}

// Which filter keys each property type accepts, and which operators each filter key has.
std::vector<std::string> filter_keys_for(const std::string& type) {
  if (type == "title" || type == "rich_text") return {"title", "rich_text"};
  if (type == "url" || type == "email" || type == "phone_number") return {type, "rich_text"};
  if (type == "created_time" || type == "last_edited_time") return {type, "date"};
  if (type == "created_by" || type == "last_edited_by") return {type, "people"};
  return {type};
}

std::string operator_family(const std::string& filter_key) {
  if (filter_key == "title" || filter_key == "rich_text" || filter_key == "url" ||
      filter_key == "email" || filter_key == "phone_number") {
    return "text";
  }
  if (filter_key == "created_time" || filter_key == "last_edited_time") return "date";
  if (filter_key == "created_by" || filter_key == "last_edited_by") return "people";
  return filter_key;
}

bool is_relative_date_op(const std::string& op) {
  return op == "past_week" || op == "past_month" || op == "past_year" || op == "next_week" ||
         op == "next_month" || op == "next_year" || op == "this_week";
}

util::Error bad_operand(const std::string& key, const std::string& op, const std::string& want,
                        const Json& got) {
  return validation_error("body failed validation: body.filter." + key + "." + op + " should be " +
                          want + ", instead was `" + util::dump_json(got) + "`.");
}

util::Result<void> check_operator(const std::string& key, const std::string& op,
                                  const Json& operand) {
  const std::string family = operator_family(key);
  if (op == "is_empty" || op == "is_not_empty") {
    if (!operand.is_boolean() || !operand.get<bool>()) {
      return bad_operand(key, op, "`true`", operand);
    }
    return {};
  }
  if (family == "text") {
    if (!text_ops().count(op))
      return validation_error(
          "body failed validation: body.filter." + key + " has no operator `" + op +
          "`. Use equals, does_not_equal, contains, does_not_contain, starts_with, ends_with, "
          "is_empty or is_not_empty.");
    if (!operand.is_string()) return bad_operand(key, op, "a string", operand);
    return {};
  }
  if (family == "number") {
    static const std::set<std::string> ops = {
        "equals",    "does_not_equal",           "greater_than",
        "less_than", "greater_than_or_equal_to", "less_than_or_equal_to"};
    if (!ops.count(op))
      return validation_error(
          "body failed validation: body.filter.number has no operator `" + op +
          "`. Use equals, does_not_equal, greater_than, less_than, greater_than_or_equal_to, "
          "less_than_or_equal_to, is_empty or is_not_empty.");
    if (!operand.is_number()) return bad_operand(key, op, "a number", operand);
    return {};
  }
  if (family == "checkbox") {
    if (op != "equals" && op != "does_not_equal") {
      return validation_error("body failed validation: body.filter.checkbox has no operator `" +
                              op + "`. Use equals or does_not_equal.");
    }
    if (!operand.is_boolean()) return bad_operand(key, op, "a boolean", operand);
    return {};
  }
  if (family == "select" || family == "status") {
    if (op != "equals" && op != "does_not_equal") {
      return validation_error("body failed validation: body.filter." + key + " has no operator `" +
                              op + "`. Use equals, does_not_equal, is_empty or is_not_empty.");
    }
    if (!operand.is_string()) return bad_operand(key, op, "a string", operand);
    return {};
  }
  if (family == "multi_select") {
    if (op != "contains" && op != "does_not_contain") {
      return validation_error("body failed validation: body.filter.multi_select has no operator `" +
                              op + "`. Use contains, does_not_contain, is_empty or is_not_empty.");
    }
    if (!operand.is_string()) return bad_operand(key, op, "a string", operand);
    return {};
  }
  if (family == "people" || family == "relation") {
    if (op != "contains" && op != "does_not_contain") {
      return validation_error("body failed validation: body.filter." + key + " has no operator `" +
                              op + "`. Use contains, does_not_contain, is_empty or is_not_empty.");
    }
    if (!operand.is_string() || !normalize_id(operand.get<std::string>())) {
      return bad_operand(key, op, "a valid uuid", operand);
    }
    return {};
  }
  if (family == "date") {
    if (is_relative_date_op(op)) {
      if (!operand.is_object()) return bad_operand(key, op, "an empty object `{}`", operand);
      return {};
    }
    static const std::set<std::string> ops = {"equals", "before", "after", "on_or_before",
                                              "on_or_after"};
    if (!ops.count(op))
      return validation_error(
          "body failed validation: body.filter." + key + " has no operator `" + op +
          "`. Use equals, before, after, on_or_before, on_or_after, is_empty, is_not_empty, "
          "past_week, past_month, past_year, next_week, next_month, next_year or this_week.");
    if (!operand.is_string() || !parse_timestamp(operand.get<std::string>())) {
      return bad_operand(key, op, "an ISO 8601 date or date-time string", operand);
    }
    return {};
  }
  return validation_error("body failed validation: filtering on " + key +
                          " properties is not supported by the demo workspace.");
}

// Splits {"<op>": operand} into its single operator.
util::Result<std::pair<std::string, Json>> single_operator(const std::string& key,
                                                           const Json& body) {
  if (!body.is_object() || body.size() != 1) {
    return validation_error("body failed validation: body.filter." + key +
                            " should be an object with exactly one operator, instead was `" +
                            util::dump_json(body) + "`.");
  }
  return std::pair<std::string, Json>(body.begin().key(), body.begin().value());
}

util::Result<Condition> compile(const Json& filter, const Json& schema, int depth) {
  if (!filter.is_object()) {
    return validation_error(
        "body failed validation: body.filter should be an object, instead was `" +
        util::dump_json(filter) + "`.");
  }
  for (const char* compound : {"and", "or"}) {
    if (!filter.contains(compound)) continue;
    if (depth >= kMaxCompoundDepth) {
      return validation_error(
          "body failed validation: body.filter compound filters can be nested at most two "
          "levels deep.");
    }
    const Json& list = filter[compound];
    if (!list.is_array()) {
      return validation_error(std::string("body failed validation: body.filter.") + compound +
                              " should be an array, instead was `" + util::dump_json(list) + "`.");
    }
    Condition out;
    out.kind = std::string(compound) == "and" ? Condition::Kind::kAnd : Condition::Kind::kOr;
    for (const Json& child : list) {
      auto compiled = compile(child, schema, depth + 1);
      if (!compiled) return compiled.error();
      out.children.push_back(std::move(*compiled));
    }
    return out;
  }
  if (const Json* ts = util::member(filter, "timestamp")) {
    const std::string name = ts->is_string() ? ts->get<std::string>() : std::string();
    if (name != "created_time" && name != "last_edited_time") {
      return validation_error(
          "body failed validation: body.filter.timestamp should be `\"created_time\"` or "
          "`\"last_edited_time\"`, instead was `" +
          util::dump_json(*ts) + "`.");
    }
    const Json* body = util::member(filter, name);
    if (!body) {
      return validation_error("body failed validation: body.filter." + name +
                              " should be defined, instead was `undefined`.");
    }
    auto op = single_operator(name, *body);
    if (!op) return op.error();
    if (auto checked = check_operator(name, op->first, op->second); !checked) {
      return checked.error();
    }
    Condition out;
    out.kind = Condition::Kind::kTimestamp;
    out.property = name;
    out.property_type = name;
    out.op = op->first;
    out.operand = op->second;
    return out;
  }
  const Json* property = util::member(filter, "property");
  if (!property || !property->is_string()) {
    return validation_error(
        "body failed validation: body.filter should have `property`, `timestamp`, `and` or "
        "`or`, instead was `" +
        util::dump_json(filter) + "`.");
  }
  std::string name;
  const Json* prop_schema = find_property(schema, property->get<std::string>(), &name);
  if (!prop_schema) {
    return validation_error("Could not find property with name or id: " +
                            property->get<std::string>());
  }
  const std::string type = util::string_or(*prop_schema, "type");
  std::string key;
  for (const auto& [k, v] : filter.items()) {
    if (k != "property") key = k;
  }
  if (key.empty()) {
    return validation_error("body failed validation: body.filter should define a `" + type +
                            "` filter for property " + name + ".");
  }
  const auto accepted = filter_keys_for(type);
  if (std::find(accepted.begin(), accepted.end(), key) == accepted.end()) {
    return validation_error("database property " + type + " does not match filter " + key);
  }
  auto op = single_operator(key, filter[key]);
  if (!op) return op.error();
  if (auto checked = check_operator(key, op->first, op->second); !checked) return checked.error();
  Condition out;
  out.kind = Condition::Kind::kProperty;
  out.property = name;
  out.property_type = type;
  out.op = op->first;
  out.operand = op->second;
  return out;
}

// ---- evaluation ----

std::string text_of(const Json& value, const std::string& type) {
  const Json& v = value.contains(type) ? value[type] : Json();
  if (v.is_array()) return plain_text(v);
  if (v.is_string()) return v.get<std::string>();
  return {};
}

bool match_text(const std::string& text, const std::string& op, const Json& operand) {
  if (op == "is_empty") return text.empty();
  if (op == "is_not_empty") return !text.empty();
  const std::string a = lower(text), b = lower(operand.get<std::string>());
  if (op == "equals") return a == b;
  if (op == "does_not_equal") return a != b;
  if (op == "contains") return a.find(b) != std::string::npos;
  if (op == "does_not_contain") return a.find(b) == std::string::npos;
  if (op == "starts_with") return a.rfind(b, 0) == 0;
  if (op == "ends_with")
    return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
  return false;
}

bool match_number(const Json& v, const std::string& op, const Json& operand) {
  if (op == "is_empty") return !v.is_number();
  if (op == "is_not_empty") return v.is_number();
  if (!v.is_number()) return op == "does_not_equal";
  const double a = v.get<double>(), b = operand.get<double>();
  if (op == "equals") return a == b;
  if (op == "does_not_equal") return a != b;
  if (op == "greater_than") return a > b;
  if (op == "less_than") return a < b;
  if (op == "greater_than_or_equal_to") return a >= b;
  if (op == "less_than_or_equal_to") return a <= b;
  return false;
}

std::optional<int64_t> instant_of(const Json& v) {
  std::string text;
  if (v.is_string()) text = v.get<std::string>();
  if (v.is_object()) text = util::string_or(v, "start");
  if (text.empty()) return std::nullopt;
  auto parsed = parse_timestamp(text);
  if (!parsed) return std::nullopt;
  return parsed->unix_seconds;
}

int64_t floor_day(int64_t t) { return t - ((t % 86400) + 86400) % 86400; }

bool match_date(const Json& v, const std::string& op, const Json& operand, int64_t now) {
  const auto value = instant_of(v);
  if (op == "is_empty") return !value;
  if (op == "is_not_empty") return value.has_value();
  if (!value) return false;
  const int64_t t = *value;
  constexpr int64_t kDay = 86400;
  if (is_relative_date_op(op)) {
    if (op == "past_week") return t >= now - 7 * kDay && t <= now;
    if (op == "past_month") return t >= now - 31 * kDay && t <= now;
    if (op == "past_year") return t >= now - 365 * kDay && t <= now;
    if (op == "next_week") return t >= now && t <= now + 7 * kDay;
    if (op == "next_month") return t >= now && t <= now + 31 * kDay;
    if (op == "next_year") return t >= now && t <= now + 365 * kDay;
    // this_week: Monday 00:00 UTC to the next Monday (1970-01-01 was a Thursday).
    const int64_t today = floor_day(now);
    const int64_t weekday = ((today / kDay) + 3) % 7;  // 0 = Monday
    const int64_t monday = today - weekday * kDay;
    return t >= monday && t < monday + 7 * kDay;
  }
  const auto parsed = parse_timestamp(operand.get<std::string>());
  const int64_t bound = parsed->unix_seconds;
  if (parsed->date_only) {
    // A date operand means the whole day.
    if (op == "equals") return t >= bound && t < bound + kDay;
    if (op == "before") return t < bound;
    if (op == "after") return t >= bound + kDay;
    if (op == "on_or_before") return t < bound + kDay;
    if (op == "on_or_after") return t >= bound;
    return false;
  }
  if (op == "equals") return t == bound;
  if (op == "before") return t < bound;
  if (op == "after") return t > bound;
  if (op == "on_or_before") return t <= bound;
  if (op == "on_or_after") return t >= bound;
  return false;
}

bool match_id_list(const Json& list, const std::string& op, const Json& operand) {
  const bool empty = !list.is_array() || list.empty();
  if (op == "is_empty") return empty;
  if (op == "is_not_empty") return !empty;
  const std::string wanted = *normalize_id(operand.get<std::string>());
  bool found = false;
  if (list.is_array()) {
    for (const Json& item : list) {
      if (util::string_or(item, "id") == wanted) found = true;
    }
  }
  return op == "contains" ? found : !found;
}

bool match_property(const Condition& c, const Json& value, int64_t now) {
  const std::string& type = c.property_type;
  const std::string& op = c.op;
  if (type == "title" || type == "rich_text" || type == "url" || type == "email" ||
      type == "phone_number") {
    return match_text(text_of(value, type), op, c.operand);
  }
  const Json& v = value.contains(type) ? value[type] : Json();
  if (type == "number") return match_number(v, op, c.operand);
  if (type == "checkbox") {
    const bool checked = v.is_boolean() && v.get<bool>();
    return op == "equals" ? checked == c.operand.get<bool>() : checked != c.operand.get<bool>();
  }
  if (type == "select" || type == "status") {
    const std::string name = v.is_object() ? util::string_or(v, "name") : std::string();
    if (op == "is_empty") return name.empty();
    if (op == "is_not_empty") return !name.empty();
    const bool same = lower(name) == lower(c.operand.get<std::string>());
    return op == "equals" ? same : !same;
  }
  if (type == "multi_select") {
    const bool empty = !v.is_array() || v.empty();
    if (op == "is_empty") return empty;
    if (op == "is_not_empty") return !empty;
    bool found = false;
    if (v.is_array()) {
      for (const Json& option : v) {
        if (lower(util::string_or(option, "name")) == lower(c.operand.get<std::string>())) {
          found = true;
        }
      }
    }
    return op == "contains" ? found : !found;
  }
  if (type == "date" || type == "created_time" || type == "last_edited_time") {
    return match_date(v, op, c.operand, now);
  }
  if (type == "people" || type == "relation") return match_id_list(v, op, c.operand);
  if (type == "created_by" || type == "last_edited_by") {
    return match_id_list(Json::array({v}), op, c.operand);
  }
  return false;
}

int compare_text(const std::string& a, const std::string& b) {
  const std::string la = lower(a), lb = lower(b);
  return la < lb ? -1 : (la > lb ? 1 : 0);
}

// A comparable form of one value: empty values report `empty`.
struct SortValue {
  bool empty = true;
  double number = 0;
  std::string text;
};

SortValue sort_value(const SortKey& key, const SortRow& row) {
  SortValue out;
  if (key.timestamp) {
    out.empty = false;
    out.number = static_cast<double>(key.property == "created_time" ? row.created : row.edited);
    return out;
  }
  const Json& value =
      row.properties->contains(key.property) ? (*row.properties)[key.property] : Json();
  const Json& v = value.contains(key.type) ? value[key.type] : Json();
  const std::string& type = key.type;
  if (type == "number") {
    if (v.is_number()) {
      out.empty = false;
      out.number = v.get<double>();
    }
  } else if (type == "checkbox") {
    out.empty = false;
    out.number = v.is_boolean() && v.get<bool>() ? 1 : 0;
  } else if (type == "select" || type == "status") {
    if (v.is_object()) {
      out.empty = false;
      out.number = 0;
      const Json& options = key.options;
      for (size_t i = 0; i < options.size(); ++i) {
        if (options[i]["name"] == v["name"]) out.number = static_cast<double>(i);
      }
    }
  } else if (type == "date" || type == "created_time" || type == "last_edited_time") {
    if (auto t = instant_of(v)) {
      out.empty = false;
      out.number = static_cast<double>(*t);
    }
  } else if (type == "multi_select" || type == "people") {
    if (v.is_array() && !v.empty()) {
      out.empty = false;
      for (const Json& item : v) out.text += util::string_or(item, "name") + ",";
    }
  } else if (type == "relation") {
    if (v.is_array() && !v.empty()) {
      out.empty = false;
      out.number = static_cast<double>(v.size());
    }
  } else {
    out.text = text_of(value, type);
    out.empty = out.text.empty();
  }
  return out;
}

bool numeric_sort(const std::string& type) {
  return type == "number" || type == "checkbox" || type == "select" || type == "status" ||
         type == "date" || type == "created_time" || type == "last_edited_time" ||
         type == "relation";
}

}  // namespace

const Json* find_property(const Json& schema, std::string_view name_or_id, std::string* name) {
  if (!schema.is_object()) return nullptr;
  for (const auto& [key, value] : schema.items()) {
    const std::string id = util::string_or(value, "id");
    if (key == name_or_id || id == name_or_id || percent_decode(id, false) == name_or_id) {
      if (name) *name = key;
      return &value;
    }
  }
  return nullptr;
}

util::Result<Condition> compile_filter(const Json& filter, const Json& schema) {
  if (filter.is_null()) return Condition{};
  return compile(filter, schema, 0);
}

bool matches(const Condition& c, const Json& properties, int64_t created, int64_t edited,
             int64_t now) {
  switch (c.kind) {
    case Condition::Kind::kAnd:
      return std::all_of(c.children.begin(), c.children.end(), [&](const Condition& child) {
        return matches(child, properties, created, edited, now);
      });
    case Condition::Kind::kOr:
      return std::any_of(c.children.begin(), c.children.end(), [&](const Condition& child) {
        return matches(child, properties, created, edited, now);
      });
    case Condition::Kind::kTimestamp: {
      const int64_t t = c.property == "created_time" ? created : edited;
      return match_date(Json(format_timestamp(t)), c.op, c.operand, now);
    }
    case Condition::Kind::kProperty: {
      const Json& value = properties.contains(c.property) ? properties[c.property] : Json();
      return match_property(c, value, now);
    }
  }
  return false;
}

util::Result<std::vector<SortKey>> compile_sorts(const Json& sorts, const Json& schema) {
  std::vector<SortKey> out;
  if (sorts.is_null()) return out;
  if (!sorts.is_array()) {
    return validation_error("body failed validation: body.sorts should be an array, instead was `" +
                            util::dump_json(sorts) + "`.");
  }
  for (size_t i = 0; i < sorts.size(); ++i) {
    const Json& sort = sorts[i];
    const std::string where = "body.sorts[" + std::to_string(i) + "]";
    SortKey key;
    const std::string direction = util::string_or(sort, "direction");
    if (direction != "ascending" && direction != "descending") {
      return validation_error("body failed validation: " + where +
                              ".direction should be `\"ascending\"` or `\"descending\"`, "
                              "instead was `" +
                              util::dump_json(sort.value("direction", Json())) + "`.");
    }
    key.descending = direction == "descending";
    if (const Json* ts = util::member(sort, "timestamp")) {
      const std::string name = ts->is_string() ? ts->get<std::string>() : std::string();
      if (name != "created_time" && name != "last_edited_time") {
        return validation_error("body failed validation: " + where +
                                ".timestamp should be `\"created_time\"` or "
                                "`\"last_edited_time\"`, instead was `" +
                                util::dump_json(*ts) + "`.");
      }
      key.timestamp = true;
      key.property = name;
      key.type = name;
    } else {
      const std::string property = util::string_or(sort, "property");
      if (property.empty()) {
        return validation_error("body failed validation: " + where +
                                " should have `property` or `timestamp`.");
      }
      const Json* prop_schema = find_property(schema, property, &key.property);
      if (!prop_schema) {
        return validation_error("Could not find sort property with name or id: " + property);
      }
      key.type = util::string_or(*prop_schema, "type");
      if (key.type == "select" || key.type == "status") {
        key.options = (*prop_schema)[key.type].value("options", Json::array());
      }
    }
    out.push_back(std::move(key));
  }
  return out;
}

int compare_rows(const SortRow& a, const SortRow& b, const std::vector<SortKey>& keys) {
  for (const SortKey& key : keys) {
    const SortValue va = sort_value(key, a), vb = sort_value(key, b);
    if (va.empty || vb.empty) {
      if (va.empty && vb.empty) continue;
      return va.empty ? 1 : -1;  // empty last, whatever the direction
    }
    int cmp = 0;
    if (numeric_sort(key.type)) {
      cmp = va.number < vb.number ? -1 : (va.number > vb.number ? 1 : 0);
    } else {
      cmp = compare_text(va.text, vb.text);
    }
    if (cmp != 0) return key.descending ? -cmp : cmp;
  }
  return 0;
}

}  // namespace notion_mcp::demo
