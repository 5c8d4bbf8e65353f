// People paste a database's URL where a data source id is expected (the browser shows databases,
// not data sources). When Notion says a data source id was not found, this looks the id up as a
// database and, when that database has a single data source, uses it.
#pragma once

#include <string>

#include "tools/tool.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::tools {

// Worth trying when a data source call failed with `error`: not found, or a validation error
// that names a database (a bad filter is a validation error too, and is not worth the request).
bool may_be_database_id(const util::Error& error);

// The id of the only data source of database `id`. Otherwise an error: `original` when `id` is
// not a database either, or one that lists the database's data sources to choose from.
util::Task<util::Result<std::string>> data_source_of_database(ToolContext& ctx, std::string id,
                                                              util::Error original);

}  // namespace notion_mcp::tools
