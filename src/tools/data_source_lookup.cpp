#include "tools/data_source_lookup.h"

#include <cctype>

#include "tools/render.h"

namespace notion_mcp::tools {

bool may_be_database_id(const util::Error& error) {
  if (error.code == "object_not_found") return true;
  if (error.code != "validation_error") return false;
  std::string message = error.message;
  for (char& c : message) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return message.find("database") != std::string::npos;
}

util::Task<util::Result<std::string>> data_source_of_database(ToolContext& ctx, std::string id,
                                                              util::Error original) {
  std::string path = "/v1/databases/" + id;
  auto call = ctx.notion.get(path, ctx.cancel);
  auto database = co_await call;
  if (!database.ok()) co_return original;
  const util::Json* sources = util::member(*database, "data_sources");
  if (!sources || !sources->is_array() || sources->empty()) {
    co_return util::make_error("validation_error",
                               "Database " + id +
                                   " has no data source that this integration can "
                                   "read.",
                               "Share the database with the integration, or pick another one.");
  }
  if (sources->size() == 1) co_return util::string_or((*sources)[0], "id");
  std::string list;
  for (const util::Json& source : *sources) {
    if (!list.empty()) list += ", ";
    list += util::string_or(source, "name") + " (" + util::string_or(source, "id") + ")";
  }
  std::string message = "'";
  message += title_of(*database);
  message += "' is a database with several data sources: " + list + ".";
  co_return util::make_error("validation_error", std::move(message),
                             "Pass one of these data source ids as data_source_id.");
}

}  // namespace notion_mcp::tools
