// The tool catalog: every tool in the order tools/list shows it.
#include "tools/read_tools.h"

namespace notion_mcp::tools {

std::vector<Tool> all_tools() {
  std::vector<Tool> tools;
  tools.reserve(10);
  tools.push_back(make_search_tool());
  tools.push_back(make_get_page_tool());
  tools.push_back(make_get_blocks_tool());
  tools.push_back(make_get_database_tool());
  tools.push_back(make_get_data_source_tool());
  tools.push_back(make_query_data_source_tool());
  tools.push_back(make_list_comments_tool());
  tools.push_back(make_list_users_tool());
  tools.push_back(make_get_user_tool());
  tools.push_back(make_get_self_tool());
  return tools;
}

}  // namespace notion_mcp::tools
