// Responses in Notion's shapes: JSON bodies with the right headers, and error objects
// {"object":"error","status","code","message","request_id","additional_data"?}.
#pragma once

#include <string>
#include <string_view>

#include "notion/http.h"
#include "util/json.h"

namespace notion_mcp::fake_notion {

// A fresh random UUID (v4), as Notion uses for request_id.
std::string new_request_id();

// A JSON response with Content-Type set.
notion::HttpResponse json_response(int status, const util::Json& body);

// A Notion error; `additional_data` is added when it is not null.
notion::HttpResponse error_response(int status, std::string_view code, std::string_view message,
                                    const util::Json& additional_data = nullptr);

}  // namespace notion_mcp::fake_notion
