// Notion's error answers: {"object":"error","status","code","message","request_id"}. Handlers
// return them as util::Error values (code, message, status); the workspace renders the body.
#pragma once

#include <string>
#include <string_view>

#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

util::Error api_error(int status, std::string code, std::string message);

// 404 object_not_found in Notion's words; `kind` is "page", "block", "database", "data source",
// "user" or "comment".
util::Error not_found(std::string_view kind, std::string_view id);

// 400 validation_error.
util::Error validation_error(std::string message);

// 400 invalid_request_url ("Invalid request URL.").
util::Error invalid_request_url();

// 400 invalid_json ("Error parsing JSON body.").
util::Error invalid_json();

// 400 validation_error for a malformed id in the path: `name` is e.g. "page_id".
util::Error invalid_path_id(std::string_view name, std::string_view value);

// The JSON error body Notion sends for `error`.
util::Json error_body(const util::Error& error, std::string_view request_id);

}  // namespace notion_mcp::demo
