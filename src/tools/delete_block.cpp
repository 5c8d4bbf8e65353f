// delete_block: DELETE /v1/blocks/{id}. Notion moves the block to the trash (a child page or
// database block takes its page or database along).
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/render.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr size_t kMaxQuote = 80;

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "block_id", IdKind::kBlock);
  if (!id.ok()) co_return error_result(id.error());
  // DELETE is idempotent: the client retries it after a 5xx, so there is nothing to re-read.
  auto call = ctx.notion.del("/v1/blocks/" + *id, ctx.cancel);
  auto deleted = co_await call;
  if (!deleted.ok()) co_return error_result(deleted.error(), "get_blocks lists a page's blocks.");
  std::string type = util::string_or(*deleted, "type");
  std::string text = block_text(*deleted);
  if (text.size() > kMaxQuote) {
    size_t cut = kMaxQuote;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "…";
  }
  ToolResult result;
  result.text = "deleted block " + *id + " (" + type + (text.empty() ? "" : ": " + text) +
                "); it is in the trash\n";
  result.structured = {
      {"id", *id}, {"type", type}, {"in_trash", util::bool_or(*deleted, "in_trash", true)}};
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_delete_block_tool() {
  Tool tool;
  tool.name = "delete_block";
  tool.title = "Delete block";
  tool.description =
      "Delete a block (id, or a URL with #block). A child page or database block deletes that "
      "page or database. get_blocks lists block ids.";
  tool.input_schema = R"({"type":"object","properties":{"block_id":{"type":"string"}},)"
                      R"("required":["block_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"type":{"type":"string"},)"
      R"("in_trash":{"type":"boolean"}}})";
  tool.annotations.destructive = true;
  tool.annotations.idempotent = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
