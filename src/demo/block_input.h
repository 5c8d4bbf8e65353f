// Blocks as integrations send them (POST /v1/pages children, PATCH /v1/blocks/{id}/children)
// and as the Markdown parser produces them: validated against Notion's rules (known types,
// 100 per array, two levels of nesting per request, which types take children), then
// inserted into the store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "demo/store.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

struct NewBlock {
  std::string type;
  util::Json content = util::Json::object();  // response shape, without children
  std::vector<NewBlock> children;
  // For "child_page"/"child_database" references from Markdown: the existing page or database
  // to place here (pages are created with POST /v1/pages, never as blocks).
  std::string existing_id;
};

// Validates an array of block request objects. `max_nesting` is how many levels of children
// below the top level the request may carry (Notion allows 2 per request).
util::Result<std::vector<NewBlock>> parse_block_requests(const util::Json& children,
                                                         const Store& store, std::string_view where,
                                                         int max_nesting);

// Validates the type object of an existing block being updated (PATCH /v1/blocks/{id}),
// merging `update` into `current`.
util::Result<util::Json> update_block_content(const std::string& type, const util::Json& current,
                                              const util::Json& update, const Store& store,
                                              std::string_view where);

// Whether a block of `type` (with `content`) can have children.
bool supports_children(std::string_view type, const util::Json& content);

// Creates `blocks` under `parent` (a page or block) starting at index `position` of its
// children; returns the ids of the top-level blocks. References re-attach existing pages.
std::vector<std::string> insert_blocks(Store& store, const Parent& parent,
                                       std::vector<NewBlock> blocks, size_t position,
                                       const Stamps& stamps);

size_t count_blocks(const std::vector<NewBlock>& blocks);

}  // namespace notion_mcp::demo
