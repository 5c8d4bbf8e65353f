// A small route table for the endpoints the fake answers itself (control endpoints now, OAuth
// later), checked before a request falls through to the demo workspace.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "notion/http.h"

namespace notion_mcp::fake_notion {

enum class RouteKind {
  kControl,  // /__fake/...: never counted in stats, never faulted, no auth
  kApi,      // Notion endpoints answered by the fake itself: counted and faulted, own auth
};

using RouteHandler = std::function<notion::HttpResponse(const notion::HttpRequest&)>;

struct Route {
  std::string method;
  std::string path;  // exact path, matched without the query
  RouteKind kind;
  RouteHandler handler;
};

class Router {
 public:
  void add(std::string method, std::string path, RouteKind kind, RouteHandler handler);

  // The route for `method` and `path` (query ignored), or null. `path_known` is set when some
  // route has this path, so a wrong method can be answered with 405.
  const Route* find(std::string_view method, std::string_view path, bool& path_known) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace notion_mcp::fake_notion
