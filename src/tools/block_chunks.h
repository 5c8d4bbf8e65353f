// New blocks as a tree, and how append_blocks splits that tree into requests Notion accepts:
// at most 100 blocks in any children array, 1000 blocks and about 500 KB per request, and two
// levels of nesting below the blocks being appended. Whatever does not fit is deferred: it is
// appended by later requests to the blocks the earlier ones created, so the order is kept.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::tools {

struct BlockNode {
  util::Json block;  // {"type": t, t: {...}} without children
  std::vector<BlockNode> children;
};

// Block objects in Notion's request shape (children inside the type object or beside it) as
// nodes. Errors name the block that is not a block object.
util::Result<std::vector<BlockNode>> block_nodes(const util::Json& blocks);

// Blocks in the tree, all levels.
size_t count_blocks(const std::vector<BlockNode>& nodes);

// Children that one request leaves for later: node->children[from...] go under the block
// created for the node at `path` (its index among the request's top-level blocks, then child
// indices within the request).
struct Deferred {
  std::vector<size_t> path;
  const BlockNode* node = nullptr;
  size_t from = 0;
};

// One request: nodes[begin, end) with the children that fit.
struct Chunk {
  util::Json children = util::Json::array();
  size_t end = 0;
  std::vector<Deferred> deferred;
};

inline constexpr size_t kMaxChildren = 100;  // per children array
inline constexpr size_t kMaxBlocksPerRequest = 1000;
inline constexpr size_t kMaxRequestBytes = 450000;  // Notion's limit is 500 KB
inline constexpr int kMaxNesting = 2;               // levels of children below the top level

// The request that starts at nodes[begin] (begin < nodes.size()); `end` > begin always.
Chunk plan_chunk(const std::vector<BlockNode>& nodes, size_t begin);

// How many append requests the whole tree takes (follow-ups included).
size_t count_requests(const std::vector<BlockNode>& nodes);

}  // namespace notion_mcp::tools
