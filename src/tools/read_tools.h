// The read tools (readOnlyHint): one factory per tool, each in its own file.
#pragma once

#include "tools/tool.h"

namespace notion_mcp::tools {

Tool make_search_tool();
Tool make_get_page_tool();
Tool make_get_blocks_tool();
Tool make_get_database_tool();
Tool make_get_data_source_tool();
Tool make_query_data_source_tool();
Tool make_list_comments_tool();
Tool make_list_users_tool();
Tool make_get_user_tool();
Tool make_get_self_tool();

// The output schema of every tool that returns one page of a list.
inline constexpr const char* kListOutputSchema =
    R"({"type":"object","properties":{"results":{"type":"array","items":{"type":"object"}},)"
    R"("next_cursor":{"type":"string"}}})";

}  // namespace notion_mcp::tools
