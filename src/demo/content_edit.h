// Rewriting a page's content from Markdown (PATCH /v1/pages/{id}/markdown): find-and-replace
// edits on the rendered Markdown, and replacing the blocks while keeping child pages and
// databases that the new Markdown still references.
#pragma once

#include <string>
#include <vector>

#include "demo/block_input.h"
#include "demo/store.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

// Applies update_content edits ({old_str, new_str, replace_all_matches}) in order.
util::Result<std::string> apply_text_edits(std::string markdown, const util::Json& updates);

// The [begin, end) range of an ellipsis selection ("start text...end text") in `markdown`.
util::Result<std::pair<size_t, size_t>> find_selection(const std::string& markdown,
                                                       const std::string& selection);

// Replaces page `page_id`'s content with `blocks`. Child pages and databases the new content
// no longer references go to the trash when `allow_deleting`; otherwise the edit is refused.
util::Result<void> replace_page_content(Store& store, const std::string& page_id,
                                        std::vector<NewBlock> blocks, bool allow_deleting,
                                        const Stamps& stamps);

}  // namespace notion_mcp::demo
