// The blast radius of one call, not just of its tool: some write tools destroy content when
// given certain arguments (edit_page_content with allow_deleting_content deletes the sub-pages
// a replace leaves out; update_data_source with {"Old": null} drops a column and its values in
// every row). The profile, the confirmation and the audit log go by this, so a destructive
// call costs what a destructive tool costs.
#pragma once

#include <string>

#include "policy/tool_rules.h"
#include "tools/tool.h"
#include "util/json.h"

namespace notion_mcp::policy {

struct CallKind {
  ToolKind kind = ToolKind::write;
  // For a write tool's destructive call: what it destroys, in a person's words; else empty.
  std::string destroys;
};

CallKind kind_of_call(const tools::Tool& tool, const util::Json& arguments);

}  // namespace notion_mcp::policy
