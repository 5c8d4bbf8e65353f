// Page property values as a model writes them. Notion's own shape ({"Status": {"status":
// {"name": "Done"}}}) passes through unchanged; plain values ({"Status": "Done", "Due":
// "2026-05-01", "Tags": ["a", "b"], "Owner": ["<user id>"]}) are converted by the data
// source's schema, so a model can write what get_page and query_data_source show it.
#pragma once

#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::tools {

// Whether converting `properties` needs the data source's schema (some value is plain).
bool needs_schema(const util::Json& properties);

// `properties` (an object) as Notion's property values. `schema` is the data source's
// `properties` object, or null when it is not needed or the page is not in a database (then
// only the title can be set, under "title"). Errors say which property is wrong and how.
util::Result<util::Json> property_values(const util::Json& properties, const util::Json* schema);

// A data source schema as a model writes it: {"Status": "select", "Due": "date"} (a type name),
// Notion's shape ({"Tags": {"multi_select": {"options": [{"name": "a"}]}}}, {"Old": {"name":
// "New"}} to rename), or null to remove a property (when `allow_removal`).
util::Result<util::Json> schema_input(const util::Json& properties, bool allow_removal);

// The name of the title property in `schema`; "title" (its id, which Notion accepts as a key)
// when there is no schema.
std::string title_property_name(const util::Json* schema);

// Every page id named by the relation values in `properties` (Notion's shape, as
// property_values returns it; an id given as a URL counts with each id it carries).
std::vector<std::string> relation_targets(const util::Json& properties);

}  // namespace notion_mcp::tools
