// A Notion user object in the compact form the user tools share.
#pragma once

#include <string>

#include "util/json.h"

namespace notion_mcp::tools {

// {id, name, type, email?} and its one-line text "Name · person · email · id".
util::Json compact_user(const util::Json& user, std::string& line);

}  // namespace notion_mcp::tools
