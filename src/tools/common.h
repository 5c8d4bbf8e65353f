// Plumbing every tool shares: the guard around a tool's body, schema literals, id arguments.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "tools/tool.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::tools {

// A tool's body. It takes its arguments by value so that they live in the coroutine frame.
using ToolBody = util::Task<ToolResult> (*)(ToolContext&, util::Json);

// Wraps a body as Tool::run: turns an unexpected exception (a Notion answer of an unexpected
// shape) into an error result instead of letting it cross the module boundary. (Demo results are
// labelled once, by the dispatcher.)
std::function<util::Task<ToolResult>(ToolContext&, const util::Json&)> guarded(ToolBody body);

// What an id argument names, which decides which id of a URL wins (see tools/ids.h).
enum class IdKind { kContainer, kPage, kBlock };

// Reads an id argument (an id or a Notion URL) as a dashed UUID.
util::Result<std::string> id_argument(const util::Json& arguments, std::string_view name,
                                      IdKind kind);

}  // namespace notion_mcp::tools
