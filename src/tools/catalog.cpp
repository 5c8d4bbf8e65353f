// The tool catalog: every tool in the order tools/list shows it.
#include "tools/read_tools.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {

std::vector<Tool> all_tools() {
  std::vector<Tool> tools;
  tools.reserve(22);
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
  // Writes, then the destructive tools: grouped by blast radius.
  tools.push_back(make_create_page_tool());
  tools.push_back(make_update_page_tool());
  tools.push_back(make_edit_page_content_tool());
  tools.push_back(make_append_blocks_tool());
  tools.push_back(make_move_page_tool());
  tools.push_back(make_create_comment_tool());
  tools.push_back(make_create_database_tool());
  tools.push_back(make_update_data_source_tool());
  tools.push_back(make_upload_file_tool());
  tools.push_back(make_trash_page_tool());
  tools.push_back(make_restore_page_tool());
  tools.push_back(make_delete_block_tool());
  return tools;
}

}  // namespace notion_mcp::tools
