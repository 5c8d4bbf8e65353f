// GET /v1/blocks/{id} and GET /v1/blocks/{id}/children.
#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/pagination.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

namespace {

util::Result<const Block*> find_block(const Context& c) {
  auto id = path_id(c, 0, "block_id");
  if (!id) return id.error();
  if (const Block* block = c.store.block(*id)) return block;
  return not_found("block", *id);
}

}  // namespace

Reply get_block(Context& c) {
  auto block = find_block(c);
  if (!block) return block.error();
  return block_json(c.store, **block);
}

Reply get_block_children(Context& c) {
  auto block = find_block(c);
  if (!block) return block.error();
  auto paging = page_request_from_query(c.query);
  if (!paging) return paging.error();
  std::vector<const Block*> visible;
  for (const std::string& id : (*block)->children) {
    const Block* child = c.store.block(id);
    if (child && !block_hidden(c.store, *child)) visible.push_back(child);
  }
  auto window = slice(
      *paging, visible.size(), [&](size_t i) { return visible[i]->id; }, "query");
  if (!window) return window.error();
  util::Json results = util::Json::array();
  for (size_t i = window->begin; i < window->end; ++i) {
    results.push_back(block_json(c.store, *visible[i]));
  }
  return list_json(std::move(results), *window, "block");
}

}  // namespace notion_mcp::demo
