// Data source query filters and sorts, validated against the data source schema the way
// Notion does (unknown property, filter type that does not match the property, bad operand),
// then evaluated on a page's property values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

struct Condition {
  enum class Kind { kAnd, kOr, kProperty, kTimestamp };
  Kind kind = Kind::kAnd;
  std::vector<Condition> children;  // and / or
  std::string property;             // schema name (property) or "created_time"/"last_edited_time"
  std::string property_type;        // schema type, or the timestamp name
  std::string op;                   // "contains", "greater_than", ...
  util::Json operand;
};

// The schema entry for `name_or_id` (a property name, or its id raw or percent-decoded), or
// nullptr. `name` receives the property's name.
const util::Json* find_property(const util::Json& schema, std::string_view name_or_id,
                                std::string* name = nullptr);

// A null or absent filter compiles to "match everything" (an empty and).
util::Result<Condition> compile_filter(const util::Json& filter, const util::Json& schema);

// `properties` are the page's values including computed ones; `created`/`edited` its times;
// `now` (Unix seconds) anchors relative date filters such as past_week.
bool matches(const Condition& condition, const util::Json& properties, int64_t created,
             int64_t edited, int64_t now);

struct SortKey {
  bool timestamp = false;  // created_time / last_edited_time of the page itself
  std::string property;    // schema name, or the timestamp name
  std::string type;        // schema type, or the timestamp name
  bool descending = false;
  util::Json options;  // select/status option order
};

util::Result<std::vector<SortKey>> compile_sorts(const util::Json& sorts, const util::Json& schema);

struct SortRow {
  const util::Json* properties;
  int64_t created;
  int64_t edited;
};

// Negative, zero or positive like strcmp, by the sort keys in order; empty values sort last in
// both directions, as in Notion.
int compare_rows(const SortRow& a, const SortRow& b, const std::vector<SortKey>& keys);

}  // namespace notion_mcp::demo
