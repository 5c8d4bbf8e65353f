// JSON-RPC 2.0 message shapes and error codes, as MCP uses them.
#pragma once

#include <string>
#include <string_view>

#include "util/json.h"

namespace notion_mcp::mcp {

namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// Implementation-defined (-32000..-32099): a known request sent before initialize. MCP names no
// code for this; -32002 is the one LSP uses (ServerNotInitialized). Unknown methods stay -32601.
inline constexpr int kNotInitialized = -32002;
// MCP: resources/read of a resource that does not exist.
inline constexpr int kResourceNotFound = -32002;
}  // namespace error_code

// A classified incoming message. `id` is null for notifications and unknown ids.
struct Message {
  enum class Kind { request, notification, response } kind;
  util::Json id;  // string or integer; null when absent
  std::string method;
  util::Json params;  // object, or null when absent
};

util::Json make_result(const util::Json& id, util::Json result);
util::Json make_error(const util::Json& id, int code, std::string_view message,
                      const util::Json& data = nullptr);
util::Json make_notification(std::string_view method, util::Json params);
// A request from this server to the client (elicitation/create).
util::Json make_request(const util::Json& id, std::string_view method, util::Json params);

// Checks the envelope of a parsed message. On failure, returns a ready error response (with the
// id when it could be read, else null).
struct Classified {
  bool ok;
  Message message;
  util::Json error_response;
};
Classified classify(const util::Json& value);

}  // namespace notion_mcp::mcp
