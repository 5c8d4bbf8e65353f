// Method + path -> handler. An unknown path, or a known path with a method Notion does not
// offer there, is Notion's 400 invalid_request_url.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "demo/handlers.h"
#include "util/result.h"

namespace notion_mcp::demo {

struct RouteMatch {
  Handler handler = nullptr;
  std::vector<std::string> params;
  bool takes_body = false;  // POST and PATCH routes read a JSON body
};

util::Result<RouteMatch> route(std::string_view method, const std::vector<std::string>& segments);

}  // namespace notion_mcp::demo
