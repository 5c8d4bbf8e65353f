// Where a tool call touches the workspace, as data: which argument names hold ids of which kind
// of object, and which tools need no scope check (users) or have their results filtered
// instead (search). The dispatcher checks every id a call names; a call under --scope that
// names none is refused, so a new tool is confined until this table knows it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/object_index.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::policy {

struct ScopeRule {
  bool check_arguments = true;    // every id argument must be inside the scope
  bool targets_optional = false;  // a call that names no id is fine (it touches no page)
  bool filter_results = false;    // results outside the scope are dropped (search, query)
};

// The rule for a tool by name (the default: arguments checked, at least one required).
ScopeRule scope_rule(std::string_view tool_name);

// One id a call names.
struct ScopeTarget {
  std::string argument;  // "page_id", "parent.page_id", ...
  ObjectRef ref;
};

// Every id the arguments name, by the table of argument names. A URL gives every id it carries
// (its path's, a side peek's ?p= page, a #block), since tools pick among them by context.
// An error names an argument whose value is not an id or URL.
util::Result<std::vector<ScopeTarget>> scope_targets(const util::Json& arguments);

// Whether a tool's input schema (JSON text) has at least one argument the table knows (a
// catalog check).
bool names_scope_argument(std::string_view input_schema);

}  // namespace notion_mcp::policy
