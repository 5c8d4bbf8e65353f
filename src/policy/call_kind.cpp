#include "policy/call_kind.h"

namespace notion_mcp::policy {
namespace {

constexpr size_t kMaxNamesShown = 5;

// The properties an update_data_source call removes ({"Name": null}).
std::string removed_properties(const util::Json& arguments) {
  const util::Json* properties = util::member(arguments, "properties");
  if (properties == nullptr || !properties->is_object()) return {};
  std::string names;
  size_t count = 0;
  for (const auto& [name, value] : properties->items()) {
    if (!value.is_null()) continue;
    if (count++ < kMaxNamesShown) names += (names.empty() ? "\"" : ", \"") + name + "\"";
  }
  if (count == 0) return {};
  if (count > kMaxNamesShown) names += " and " + std::to_string(count - kMaxNamesShown) + " more";
  return "removes the database " + std::string(count == 1 ? "property " : "properties ") + names +
         " and " + (count == 1 ? "its value" : "their values") + " in every row";
}

}  // namespace

CallKind kind_of_call(const tools::Tool& tool, const util::Json& arguments) {
  ToolKind kind = kind_of(tool);
  if (kind != ToolKind::write || !arguments.is_object()) return {kind, {}};
  if (tool.name == "edit_page_content" &&
      util::bool_or(arguments, "allow_deleting_content", false)) {
    return {ToolKind::destructive,
            "allows deleting content: sub-pages and databases that the new content leaves out are "
            "deleted"};
  }
  if (tool.name == "update_data_source") {
    std::string removed = removed_properties(arguments);
    if (!removed.empty()) return {ToolKind::destructive, std::move(removed)};
  }
  return {kind, {}};
}

}  // namespace notion_mcp::policy
