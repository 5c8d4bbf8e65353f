// Data source schemas as integrations send them: POST /v1/databases (initial_data_source) and
// PATCH /v1/data_sources/{id} (add, rename, retype or remove properties).
#pragma once

#include "demo/store.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

// A complete schema for a new data source `data_source_id`; it must have exactly one title.
util::Result<util::Json> schema_from_request(const util::Json& properties, const Store& store,
                                             std::string_view data_source_id);

// Applies a PATCH to `ds`'s schema and rewrites its rows' values for renamed and removed
// properties.
util::Result<void> update_schema(const util::Json& properties, Store& store, DataSource& ds);

}  // namespace notion_mcp::demo
