#include "router.h"

#include <utility>

namespace notion_mcp::fake_notion {

void Router::add(std::string method, std::string path, RouteKind kind, RouteHandler handler) {
  routes_.push_back(Route{std::move(method), std::move(path), kind, std::move(handler)});
}

const Route* Router::find(std::string_view method, std::string_view path, bool& path_known) const {
  path = path.substr(0, path.find('?'));
  path_known = false;
  for (const Route& route : routes_) {
    if (route.path != path) continue;
    path_known = true;
    if (route.method == method) return &route;
  }
  return nullptr;
}

}  // namespace notion_mcp::fake_notion
