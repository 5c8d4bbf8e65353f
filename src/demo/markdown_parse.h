// Notion-flavored Markdown -> blocks, the inverse of markdown_render: tab-indented nesting,
// headings, lists, to-dos, quotes, <details> toggles, <callout>, code fences, $$ equations,
// <table>, <columns>, dividers, images, and <page>/<database> references to existing
// children. Never fails: anything it does not recognise becomes a paragraph.
#pragma once

#include <string_view>
#include <vector>

#include "demo/block_input.h"
#include "demo/store.h"

namespace notion_mcp::demo {

std::vector<NewBlock> parse_markdown(std::string_view markdown, const Store& store);

}  // namespace notion_mcp::demo
