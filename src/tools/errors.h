// One shape for every failed tool call: "Notion error (code): message Hint: how to fix the call",
// with structuredContent {"error": {"code", "message", "hint"}}.
#pragma once

#include <string>
#include <string_view>

#include "tools/tool.h"
#include "util/result.h"

namespace notion_mcp::tools {

// `extra_hint`, when given, replaces a missing hint or is added after the client's hint: the tool
// knows best what the model should try next (for example "use search to find the page's id").
ToolResult error_result(const util::Error& error, std::string_view extra_hint = {});

// A hint for Notion's error codes when the error carries none.
std::string default_hint(std::string_view code);

}  // namespace notion_mcp::tools
