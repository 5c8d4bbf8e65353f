// The HTTP seam between the Notion client and whatever answers it: libcurl against
// api.notion.com (or the loopback test server), or the in-process demo workspace.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/cancel.h"
#include "util/result.h"

namespace notion_mcp::notion {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; empty when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string path;    // "/v1/pages/abc?filter_properties=x": path and query, no host
  Headers headers;
  std::string body;  // empty for GET/DELETE
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names as received; use find_header
  std::string body;
};

class Transport {
 public:
  using Completion = std::function<void(util::Result<HttpResponse>)>;
  virtual ~Transport() = default;

  // Starts `request`. `done` runs exactly once, later, from the event loop (never from inside
  // start). When `cancel` fires first, the transfer is aborted and `done` gets an Error with
  // code "cancelled". Network failures give code "network_error" with a sentence saying why.
  virtual void start(HttpRequest request, const util::CancelToken& cancel, Completion done) = 0;
};

}  // namespace notion_mcp::notion
