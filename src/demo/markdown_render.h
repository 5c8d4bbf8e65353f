// Blocks -> Notion-flavored Markdown, as GET /v1/pages/{id}/markdown returns it. At most
// `block_limit` blocks are rendered per answer; the blocks left out are listed (in document
// order, whole top-level blocks where possible) so that a caller can fetch them with the same
// endpoint. As with Notion, fetching a listed child page id returns that page's own content:
// a caller rebuilding the page should render such ids as references.
#pragma once

#include <string>
#include <vector>

#include "demo/store.h"

namespace notion_mcp::demo {

struct MarkdownResult {
  std::string markdown;
  bool truncated = false;
  std::vector<std::string> unknown_block_ids;
};

// The content of page `page_id` (its child blocks).
MarkdownResult render_page_markdown(const Store& store, std::string_view page_id,
                                    size_t block_limit);

// One block and its subtree (a child page renders as its <page> reference).
MarkdownResult render_block_markdown(const Store& store, std::string_view block_id,
                                     size_t block_limit);

// The whole content of a page without any limit, for edits that rewrite Markdown.
std::string render_full_markdown(const Store& store, std::string_view page_id);

// "yellow_background" -> "yellow_bg", the spelling the Markdown format uses.
std::string markdown_color(std::string_view color);

}  // namespace notion_mcp::demo
