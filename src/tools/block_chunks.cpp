#include "tools/block_chunks.h"

#include <algorithm>

namespace notion_mcp::tools {

namespace {

using util::Json;

std::string type_of(const Json& block) { return util::string_or(block, "type"); }

// Levels of children a block must be created with: a table needs its rows, a column list its
// columns and each column some content. Deferring those would make Notion refuse the block.
int required_depth(const BlockNode& node) {
  std::string type = type_of(node.block);
  if (type == "column_list") return 2;
  if (type == "table" || type == "column") return 1;
  return 0;
}

size_t subtree_size(const BlockNode& node, size_t cap) {
  size_t total = 1;
  for (const BlockNode& child : node.children) {
    if (total >= cap) break;
    total += subtree_size(child, cap - total);
  }
  return total;
}

// The request JSON for `node` at `level`, taking blocks from `budget`; children that do not fit
// are recorded in `deferred` under `path`.
Json build(const BlockNode& node, int level, size_t& budget, std::vector<size_t>& path,
           std::vector<Deferred>& deferred) {
  if (budget > 0) --budget;
  Json out = node.block;
  if (node.children.empty()) return out;
  size_t limit = std::min(node.children.size(), kMaxChildren);
  bool nest = level < kMaxNesting;
  for (size_t k = 0; nest && k < limit; ++k) {
    nest = level + 1 + required_depth(node.children[k]) <= kMaxNesting;
  }
  size_t included = 0;
  if (nest) {
    Json kids = Json::array();
    for (size_t k = 0; k < limit && budget > 0; ++k) {
      path.push_back(k);
      kids.push_back(build(node.children[k], level + 1, budget, path, deferred));
      path.pop_back();
      ++included;
    }
    std::string type = type_of(out);
    if (!kids.empty()) out[type]["children"] = std::move(kids);
  }
  if (included < node.children.size()) deferred.push_back({path, &node, included});
  return out;
}

void count_into(const std::vector<BlockNode>& nodes, size_t begin, size_t& requests) {
  while (begin < nodes.size()) {
    Chunk chunk = plan_chunk(nodes, begin);
    ++requests;
    for (const Deferred& d : chunk.deferred) {
      count_into(d.node->children, d.from, requests);
    }
    begin = chunk.end;
  }
}

}  // namespace

util::Result<std::vector<BlockNode>> block_nodes(const Json& blocks) {
  if (!blocks.is_array()) {
    return util::make_error("validation_error", "blocks must be an array of block objects.",
                            "Pass Notion block objects, or use markdown instead.");
  }
  std::vector<BlockNode> out;
  out.reserve(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Json& block = blocks[i];
    std::string type = type_of(block);
    if (type.empty() && block.is_object()) {
      // {"paragraph": {...}} without "type": the one key that is not bookkeeping names it.
      for (const auto& [key, value] : block.items()) {
        if (key != "object" && key != "children" && value.is_object()) type = key;
      }
    }
    if (!block.is_object() || type.empty() || !block.contains(type) || !block[type].is_object()) {
      return util::make_error("validation_error",
                              "blocks[" + std::to_string(i) +
                                  "] is not a block object such as {\"type\": "
                                  "\"paragraph\", \"paragraph\": {\"rich_text\": [...]}}.",
                              "Fix that block, or pass the content as markdown instead.");
    }
    BlockNode node;
    node.block = {{"type", type}, {type, block[type]}};
    Json children = Json::array();
    if (const Json* inner = util::member(block[type], "children")) children = *inner;
    if (const Json* beside = util::member(block, "children")) children = *beside;
    node.block[type].erase("children");
    if (!children.empty()) {
      auto nested = block_nodes(children);
      if (!nested.ok()) return nested.error();
      node.children = std::move(nested).value();
    }
    out.push_back(std::move(node));
  }
  return out;
}

size_t count_blocks(const std::vector<BlockNode>& nodes) {
  size_t total = 0;
  for (const BlockNode& node : nodes) total += 1 + count_blocks(node.children);
  return total;
}

Chunk plan_chunk(const std::vector<BlockNode>& nodes, size_t begin) {
  Chunk chunk;
  size_t budget = kMaxBlocksPerRequest;
  size_t bytes = 2;
  std::vector<size_t> path;
  size_t j = begin;
  for (; j < nodes.size() && j - begin < kMaxChildren && budget > 0; ++j) {
    const BlockNode& node = nodes[j];
    // A block whose subtree would not fit starts the next request instead (unless it is first:
    // then its children are split up).
    if (j > begin && subtree_size(node, budget + 1) > budget) break;
    size_t saved_budget = budget;
    size_t saved_deferred = chunk.deferred.size();
    path.assign(1, j - begin);
    Json built = build(node, 0, budget, path, chunk.deferred);
    size_t size = util::dump_json(built).size() + 1;
    if (j > begin && bytes + size > kMaxRequestBytes) {
      budget = saved_budget;
      chunk.deferred.resize(saved_deferred);
      break;
    }
    bytes += size;
    chunk.children.push_back(std::move(built));
  }
  chunk.end = j;
  return chunk;
}

size_t count_requests(const std::vector<BlockNode>& nodes) {
  size_t requests = 0;
  count_into(nodes, 0, requests);
  return requests;
}

}  // namespace notion_mcp::tools
