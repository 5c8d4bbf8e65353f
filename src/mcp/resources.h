// Pages as MCP resources, for clients that attach context: one template, notion://page/{id},
// and resources/read answering with the page's Markdown. resources/list stays empty: the
// workspace is too large to list, and search finds pages.
#pragma once

#include <string>
#include <string_view>

#include "notion/client.h"
#include "util/cancel.h"
#include "util/json.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::mcp {

inline constexpr std::string_view kPageUriPrefix = "notion://page/";

// The result of resources/templates/list.
util::Json resource_templates();
// The result of resources/list.
util::Json resource_list();

// The page id (dashed, lowercase) of "notion://page/{id}"; {id} may also be a Notion URL.
util::Result<std::string> page_id_from_uri(std::string_view uri);

// The page's content as Markdown, its title as a heading, fenced as untrusted workspace content.
util::Task<util::Result<std::string>> read_page_resource(notion::Client& client, std::string id,
                                                         util::CancelToken cancel);

}  // namespace notion_mcp::mcp
