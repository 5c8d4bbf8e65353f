// Turns Notion's error answers ({object:"error", status, code, message, request_id}) and our own
// failures into util::Error{code, message, hint}: Notion's code, its message (redacted), and a
// hint that tells a model or a person how to fix the call. Never a header, raw body or token.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notion/http.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::notion {

// What to do about an error with this code (Notion's codes and ours); never empty.
std::string hint_for(std::string_view code, int status = 0);

// The error for a non-2xx answer to `method`. `body` is the parsed body, or null when it was
// not JSON. A failed write that Notion may have saved anyway (5xx with
// additional_data.retry_guidance) becomes code "write_may_have_committed".
util::Error map_error_response(std::string_view method, int status, const util::Json* body,
                               const Headers& headers);

// The id of the resource a "write_may_have_committed" error says was saved (Notion's
// committed_resource_id), or "" when the error names none: the resource to re-read.
std::string committed_resource_id(const util::Error& error);

// The children an append saved, in order, as a "write_may_have_committed" error names them
// (Notion's committed_child_ids); empty when it names none.
std::vector<std::string> committed_child_ids(const util::Error& error);

// An answer we could not read (not JSON, cut short, wrong shape): code "invalid_response".
util::Error invalid_response(int status, std::string_view why);

// The error every cancelled wait or transfer returns.
util::Error cancelled_error();

}  // namespace notion_mcp::notion
