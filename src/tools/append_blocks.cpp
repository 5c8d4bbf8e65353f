// append_blocks: PATCH /v1/blocks/{id}/children with Markdown (converted to blocks here: the
// append endpoint takes blocks only) or block objects. The tree is split into requests Notion
// accepts (tools/block_chunks.h); deeper or overflowing children follow in later requests to
// the blocks just created, found by reading those blocks' children. Progress per request.
#include <deque>
#include <map>

#include "tools/block_children.h"
#include "tools/block_chunks.h"
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/markdown_blocks.h"
#include "tools/render.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

// Blocks still to append: list[begin...] under `parent_id`, after block `after` ("" = at end).
struct Work {
  std::string parent_id;
  const std::vector<BlockNode>* list;
  size_t begin;
  std::string after;
};

util::Error partial_error(util::Error error, size_t appended, size_t total) {
  if (appended > 0) {
    error.message = "Appended " + std::to_string(appended) + " of " + std::to_string(total) +
                    " blocks, then: " + error.message;
    error.hint += (error.hint.empty() ? "" : " ") +
                  std::string(
                      "The blocks appended so far stay; get_blocks shows them. Append "
                      "only the rest.");
  }
  return error;
}

size_t subtree_count(const Json& block) {
  size_t total = 1;
  std::string type = util::string_or(block, "type");
  if (const Json* body = util::member(block, type)) {
    if (const Json* kids = util::member(*body, "children"); kids && kids->is_array()) {
      for (const Json& kid : *kids) total += subtree_count(kid);
    }
  }
  return total;
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "block_id", IdKind::kBlock);
  if (!id.ok()) co_return error_result(id.error());
  const Json* markdown = util::member(args, "markdown");
  const Json* blocks = util::member(args, "blocks");
  if ((markdown != nullptr) == (blocks != nullptr)) {
    co_return error_result(util::make_error(
        "validation_error", "Pass either markdown or blocks, not both and not neither.",
        "markdown is simplest; blocks takes Notion block objects."));
  }
  std::vector<BlockNode> nodes;
  if (markdown) {
    nodes = markdown_blocks(markdown->is_string() ? markdown->get<std::string>() : "");
  } else {
    auto parsed = block_nodes(*blocks);
    if (!parsed.ok()) co_return error_result(parsed.error());
    nodes = std::move(parsed).value();
  }
  if (nodes.empty()) {
    co_return error_result(util::make_error("validation_error", "There is nothing to append.",
                                            "Pass the content to add."));
  }
  std::string after;
  if (util::member(args, "after_block_id")) {
    auto after_id = id_argument(args, "after_block_id", IdKind::kBlock);
    if (!after_id.ok()) co_return error_result(after_id.error());
    after = *after_id;
  }

  const size_t total_blocks = count_blocks(nodes);
  const size_t total_requests = count_requests(nodes);
  std::deque<Work> queue;
  queue.push_back({*id, &nodes, 0, after});
  std::vector<std::string> top_ids;
  std::map<std::string, std::vector<std::string>> children_cache;
  size_t requests = 0;
  size_t appended = 0;
  bool recovered = false;

  while (!queue.empty()) {
    Work work = queue.front();
    queue.pop_front();
    const bool top_level = work.list == &nodes;
    for (size_t i = work.begin; i < work.list->size();) {
      Chunk chunk = plan_chunk(*work.list, i);
      ++requests;
      if (ctx.report_progress) {
        ctx.report_progress(static_cast<double>(requests - 1), static_cast<double>(total_requests),
                            "Appending blocks: request " + std::to_string(requests) + " of " +
                                std::to_string(total_requests));
      }
      auto call = append_children(ctx, work.parent_id, chunk.children, work.after);
      auto response = co_await call;
      if (!response.ok()) {
        co_return error_result(partial_error(response.error(), appended, total_blocks));
      }
      recovered = recovered || response->recovered;
      std::vector<std::string> ids = std::move(response->ids);
      if (ids.size() != chunk.children.size()) {
        co_return error_result(partial_error(
            util::make_error("invalid_response",
                             "Notion created " + std::to_string(ids.size()) +
                                 " blocks instead of " + std::to_string(chunk.children.size()) +
                                 ".",
                             "Check the result with get_blocks before appending again."),
            appended, total_blocks));
      }
      for (const Json& sent : chunk.children) appended += subtree_count(sent);
      if (top_level) top_ids.insert(top_ids.end(), ids.begin(), ids.end());

      // Children that did not fit go under the blocks just created: find each one's id by
      // walking down from the top-level result through the created children.
      for (const Deferred& deferred : chunk.deferred) {
        std::string target = ids[deferred.path[0]];
        for (size_t level = 1; level < deferred.path.size(); ++level) {
          auto cached = children_cache.find(target);
          if (cached == children_cache.end()) {
            auto listing = list_children(ctx, target);
            auto listed = co_await listing;
            if (!listed.ok()) {
              co_return error_result(partial_error(listed.error(), appended, total_blocks));
            }
            cached = children_cache.emplace(target, std::move(listed->ids)).first;
          }
          size_t index = deferred.path[level];
          if (index >= cached->second.size()) {
            co_return error_result(partial_error(
                util::make_error("invalid_response",
                                 "A block created by the previous request has fewer children "
                                 "than were sent.",
                                 "Check the result with get_blocks before appending again."),
                appended, total_blocks));
          }
          target = cached->second[index];
        }
        queue.push_back({target, &deferred.node->children, deferred.from, ""});
      }
      if (!work.after.empty()) work.after = ids.back();
      i = chunk.end;
    }
  }
  if (ctx.report_progress) {
    ctx.report_progress(static_cast<double>(requests), static_cast<double>(total_requests),
                        "Appended " + std::to_string(appended) + " blocks");
  }

  ToolResult result;
  result.text = "appended " + std::to_string(appended) + " block(s) (" +
                std::to_string(top_ids.size()) + " at the top level) to " + *id + " in " +
                std::to_string(requests) + " request(s)\n";
  append_line(result.text, "first_block_id", top_ids.front());
  append_line(result.text, "last_block_id", top_ids.back());
  if (recovered) result.text += kRecoveredNote;
  Json block_ids = Json::array();
  for (const std::string& block_id : top_ids) block_ids.push_back(block_id);
  result.structured = {{"block_id", *id},
                       {"appended", appended},
                       {"requests", requests},
                       {"block_ids", std::move(block_ids)}};
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_append_blocks_tool() {
  Tool tool;
  tool.name = "append_blocks";
  tool.title = "Append blocks";
  tool.description =
      "Add content to the end of a page or block (or after after_block_id): markdown, or blocks "
      "as Notion block objects. Any length and nesting; it is sent in several requests.";
  tool.input_schema =
      R"({"type":"object","properties":{"block_id":{"type":"string"},"markdown":{"type":"string"},)"
      R"("blocks":{"type":"array","items":{"type":"object"}},"after_block_id":{"type":"string"}},)"
      R"("required":["block_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"block_id":{"type":"string"},"appended":{"type":"integer"},)"
      R"("requests":{"type":"integer"},"block_ids":{"type":"array","items":{"type":"string"}}}})";
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
