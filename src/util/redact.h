// The redactor: every string that leaves the process (stdout, stderr, MCP messages, the audit
// log) passes through it. It masks anything shaped like a Notion credential.
#pragma once

#include <string>
#include <string_view>

namespace notion_mcp::util {

// Masks Notion token shapes (ntn_…, secret_…, nrt_…, and the value after "Bearer "/"Basic "),
// also right after a percent-escape ("%3Dntn_…" in a URL), replacing each with "[REDACTED]".
// Secrets of other shapes are not recognised: they must never reach output in the first place.
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
