#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/ids.h"

namespace notion_mcp::demo {

util::Result<std::string> path_id(const Context& context, size_t index, std::string_view name) {
  const std::string& raw = context.params.at(index);
  auto id = normalize_id(raw);
  if (!id) return invalid_path_id(name, raw);
  return *id;
}

}  // namespace notion_mcp::demo
