// Resolves <mention-page/database/user url="..."/> tags against the store, so that parsed
// Markdown carries Notion's mention items with their titles and names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "demo/markdown_inline.h"
#include "demo/store.h"

namespace notion_mcp::demo {

// The dashed id at the end of a Notion URL ("https://www.notion.so/Title-<32hex>"), or of a
// bare id; nullopt when there is none.
std::optional<std::string> id_from_url(std::string_view url);

// A resolver bound to `store` (which must outlive it).
MentionResolver mention_resolver(const Store& store);

}  // namespace notion_mcp::demo
