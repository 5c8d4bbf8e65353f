// Cursor pagination shared by the list tools: page_size/start_cursor in, next_cursor out.
#pragma once

#include <string>
#include <string_view>

#include "util/json.h"

namespace notion_mcp::tools {

// The page size the caller asked for (1..100), else `fallback`.
int page_size_of(const util::Json& arguments, int fallback);

// "page_size=N" plus "&start_cursor=..." when given, for GET list endpoints (no leading '?').
std::string paging_query(const util::Json& arguments, int fallback_page_size);

// Adds page_size and start_cursor to a POST body (search, data source queries).
void add_paging(util::Json& body, const util::Json& arguments, int fallback_page_size);

// Percent-encodes one query-string value.
std::string percent_encode(std::string_view value);

// When Notion's list answer has more, records next_cursor in `structured` and adds a
// "next_cursor: ..." line to `text` telling the model how to read on.
void add_next_cursor(const util::Json& response, util::Json& structured, std::string& text);

}  // namespace notion_mcp::tools
