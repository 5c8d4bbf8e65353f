// A block's children, read and appended: listing every child (following next_cursor), and one
// append request that is read back, never repeated, when Notion saved it despite an error.
#pragma once

#include <string>
#include <vector>

#include "tools/tool.h"
#include "util/json.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::tools {

struct ChildList {
  std::vector<std::string> ids;
  std::vector<std::string> types;
};

// Every child of `parent_id` in order (up to 20,000).
util::Task<util::Result<ChildList>> list_children(ToolContext& ctx, std::string parent_id);

struct Appended {
  std::vector<std::string> ids;  // the new top-level blocks, in order
  bool recovered = false;        // Notion reported an error after saving; ids were read back
};

// PATCH /v1/blocks/{parent_id}/children with `children` (at the end, or after block `after`).
// After a write_may_have_committed error the new blocks are the ids Notion names
// (committed_child_ids); without them they are looked for among the parent's children (right
// after `after`, or the last ones, with the types sent). If they cannot be, the error is
// returned.
util::Task<util::Result<Appended>> append_children(ToolContext& ctx, std::string parent_id,
                                                   util::Json children, std::string after);

}  // namespace notion_mcp::tools
