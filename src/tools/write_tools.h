// The write tools (readOnlyHint false, destructiveHint false) and the destructive ones
// (destructiveHint true): one factory per tool, each in its own file.
#pragma once

#include "tools/tool.h"

namespace notion_mcp::tools {

Tool make_create_page_tool();
Tool make_update_page_tool();
Tool make_edit_page_content_tool();
Tool make_append_blocks_tool();
Tool make_move_page_tool();
Tool make_create_comment_tool();
Tool make_create_database_tool();
Tool make_update_data_source_tool();
Tool make_upload_file_tool();

Tool make_trash_page_tool();
Tool make_restore_page_tool();
Tool make_delete_block_tool();

}  // namespace notion_mcp::tools
