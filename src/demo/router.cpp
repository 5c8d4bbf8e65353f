#include "demo/router.h"

#include <array>

#include "demo/api_errors.h"

namespace notion_mcp::demo {

namespace {

struct Route {
  std::string_view method;
  std::string_view pattern;  // "/"-separated; ":" marks a parameter
  Handler handler;
};

// More specific patterns come first ("users/me" before "users/:").
constexpr std::array kRoutes = {
    Route{"POST", "v1/search", search},
    Route{"GET", "v1/pages/:", get_page},
    Route{"GET", "v1/pages/:/properties/:", get_page_property},
    Route{"GET", "v1/pages/:/markdown", get_page_markdown},
    Route{"GET", "v1/blocks/:", get_block},
    Route{"GET", "v1/blocks/:/children", get_block_children},
    Route{"GET", "v1/databases/:", get_database},
    Route{"GET", "v1/data_sources/:", get_data_source},
    Route{"POST", "v1/data_sources/:/query", query_data_source},
    Route{"GET", "v1/comments", list_comments},
    Route{"GET", "v1/comments/:", get_comment},
    Route{"GET", "v1/users", list_users},
    Route{"GET", "v1/users/me", get_self},
    Route{"GET", "v1/users/:", get_user},
    Route{"POST", "v1/pages", create_page},
    Route{"PATCH", "v1/pages/:", update_page},
    Route{"PATCH", "v1/pages/:/markdown", update_page_markdown},
    Route{"POST", "v1/pages/:/move", move_page},
    Route{"PATCH", "v1/blocks/:/children", append_block_children},
    Route{"PATCH", "v1/blocks/:", update_block},
    Route{"DELETE", "v1/blocks/:", delete_block},
    Route{"POST", "v1/comments", create_comment},
    Route{"POST", "v1/databases", create_database},
    Route{"PATCH", "v1/databases/:", update_database},
    Route{"PATCH", "v1/data_sources/:", update_data_source},
    Route{"POST", "v1/file_uploads", create_file_upload},
    Route{"POST", "v1/file_uploads/:/send", send_file_upload},
    Route{"POST", "v1/file_uploads/:/complete", complete_file_upload},
    Route{"GET", "v1/file_uploads/:", get_file_upload},
};

bool match(std::string_view pattern, const std::vector<std::string>& segments,
           std::vector<std::string>& params) {
  params.clear();
  size_t index = 0;
  while (!pattern.empty()) {
    const size_t slash = pattern.find('/');
    const std::string_view part = pattern.substr(0, slash);
    if (index >= segments.size()) return false;
    if (part == ":") {
      params.push_back(segments[index]);
    } else if (part != segments[index]) {
      return false;
    }
    ++index;
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return index == segments.size();
}

}  // namespace

util::Result<RouteMatch> route(std::string_view method, const std::vector<std::string>& segments) {
  std::vector<std::string> params;
  for (const Route& r : kRoutes) {
    if (r.method != method) continue;
    // "users/me" is listed before "users/:" and wins for GET.
    if (match(r.pattern, segments, params)) {
      return RouteMatch{r.handler, std::move(params), method == "POST" || method == "PATCH"};
    }
  }
  return invalid_request_url();
}

}  // namespace notion_mcp::demo
