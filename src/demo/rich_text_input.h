// Rich text as integrations send it ({text:{content, link}}, annotations optional; mentions;
// equations) -> the full response shape, with Notion's limits (100 items, 2000 characters).
#pragma once

#include <string_view>

#include "demo/store.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

// `where` names the field for error messages, e.g. "body.children[0].paragraph.rich_text".
util::Result<util::Json> normalize_rich_text(const util::Json& input, const Store& store,
                                             std::string_view where);

}  // namespace notion_mcp::demo
