// Markdown → Notion blocks, for append_blocks (Notion's append endpoint takes blocks only):
// headings, paragraphs, bulleted, numbered and to-do lists, quotes, fenced code, dividers,
// images, pipe tables and $$ equations, nested by indentation (a tab or two or more spaces);
// inline **bold**, *italic*, ~~strikethrough~~, `code`, [links](url) and $equations$.
#pragma once

#include <string_view>
#include <vector>

#include "tools/block_chunks.h"
#include "util/json.h"

namespace notion_mcp::tools {

std::vector<BlockNode> markdown_blocks(std::string_view markdown);

// One line of inline Markdown as a rich text array (items of at most 2000 characters).
util::Json markdown_rich_text(std::string_view text);

// Several lines of inline Markdown as one rich text array, the line breaks kept as "\n" text.
util::Json markdown_rich_text_lines(std::string_view text);

}  // namespace notion_mcp::tools
