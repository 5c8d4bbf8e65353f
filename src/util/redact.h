// The redactor: every string that leaves the process (stdout, stderr, MCP messages, the audit
// log) passes through it. It masks anything shaped like a Notion credential.
#pragma once

#include <string>
#include <string_view>

namespace notion_mcp::util {

// Masks Notion token shapes (ntn_…, secret_…, nrt_…, and the value after "Bearer "/"Basic ")
// and any of the extra known secret values, replacing each with "[REDACTED]".
std::string redact(std::string_view text);

// True when `text` contains something redact() would mask.
bool looks_like_secret(std::string_view text);

}  // namespace notion_mcp::util

#include <nlohmann/json.hpp>

namespace notion_mcp::util {

// Redacts every string (values and keys) inside a JSON tree in place. Working on the tree, not
// on serialised text, means JSON escapes ("\n" before a token) cannot hide a secret.
void redact_json(nlohmann::json& value);

}  // namespace notion_mcp::util
