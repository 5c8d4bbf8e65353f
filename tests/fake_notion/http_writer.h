// Serialises HTTP/1.1 responses: status line, headers, and a Content-Length that always matches
// the body (the truncation fault asks for a larger one on purpose).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "notion/http.h"

namespace notion_mcp::fake_notion {

// The standard reason phrase for `status` ("Too Many Requests"), or "Unknown".
std::string_view reason_phrase(int status);

// The status line and headers of `response`, ending with the blank line. Content-Length is
// `declared_length` when given, else the body size; Connection and Content-Length headers in
// `response.headers` are replaced by the server's own.
std::string serialize_head(const notion::HttpResponse& response, bool keep_alive,
                           std::optional<size_t> declared_length = std::nullopt);

// "HTTP/1.1 100 Continue" for clients that sent Expect: 100-continue.
std::string_view continue_line();

}  // namespace notion_mcp::fake_notion
