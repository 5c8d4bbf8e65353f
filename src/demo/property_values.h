// Page property values as integrations send them ({"Budget": {"number": 5}}) -> stored values,
// checked against the data source schema the way Notion checks them. Select and multi-select
// options that do not exist yet are added to the schema, as Notion does; dual relations are
// kept in sync on both sides.
#pragma once

#include "demo/store.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

// Merges `input` over `current` (a page's stored properties) and returns the result. `ds` is
// the page's data source, or nullptr for a page under a page (only its title can be set).
util::Result<util::Json> apply_property_values(const util::Json& input, const util::Json& current,
                                               Store& store, DataSource* ds);

// After `page`'s relation values changed from `before`, updates the synced property on the
// related pages.
void sync_dual_relations(Store& store, const Page& page, const util::Json& before);

}  // namespace notion_mcp::demo
