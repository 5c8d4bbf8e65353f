// A page's whole content as Notion-flavored Markdown, stitched together from the parts that
// GET /v1/pages/{id}/markdown leaves out of long pages (as get_page does). Used for
// resources/read of notion://page/{id} and by edit_page_content to see what a replace removes.
#pragma once

#include <string>

#include "notion/client.h"
#include "util/cancel.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::tools {

// At most this many left-out parts are fetched; the rest stay as their placeholders.
inline constexpr int kMaxPageParts = 50;

util::Task<util::Result<std::string>> read_page_markdown(notion::Client& client, std::string id,
                                                         util::CancelToken cancel);

}  // namespace notion_mcp::tools
