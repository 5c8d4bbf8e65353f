// create_comment: POST /v1/comments, a new discussion on a page (or on a block, when the URL
// points at one) or a reply in an existing discussion. The text is inline Markdown.
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/ids.h"
#include "tools/markdown_blocks.h"
#include "tools/render.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

std::string comment_path(const std::string& id) { return id.empty() ? "" : "/v1/comments/" + id; }

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  std::string text = util::string_or(args, "text");
  if (text.empty()) {
    co_return error_result(util::make_error("validation_error", "text must not be empty.",
                                            "Pass the comment's text (inline Markdown)."));
  }
  const bool on_page = util::member(args, "page_id") != nullptr;
  const bool reply = util::member(args, "discussion_id") != nullptr;
  if (on_page == reply) {
    co_return error_result(util::make_error(
        "validation_error", "Pass either page_id (a new comment) or discussion_id (a reply).",
        "list_comments shows the discussion_id of existing comments."));
  }
  Json body{{"rich_text", markdown_rich_text_lines(text)}};
  util::Result<WriteResponse> sent = util::make_error("internal_error", "not sent");
  std::string target;
  if (reply) {
    std::string discussion = util::string_or(args, "discussion_id");
    std::string id = dashed_uuid(discussion);
    body["discussion_id"] = id.empty() ? discussion : id;
    target = "discussion " + body["discussion_id"].get<std::string>();
    auto call = send_write(ctx, "POST", "/v1/comments", body, comment_path);
    sent = co_await call;
  } else {
    auto page = id_argument(args, "page_id", IdKind::kPage);
    auto block = id_argument(args, "page_id", IdKind::kBlock);
    if (!page.ok()) co_return error_result(page.error());
    // A URL with #<block id> comments on that block; otherwise on the page.
    bool on_block = block.ok() && *block != *page;
    body["parent"] = on_block ? Json{{"block_id", *block}} : Json{{"page_id", *page}};
    target = (on_block ? "block " + *block : "page " + *page);
    auto call = send_write(ctx, "POST", "/v1/comments", body, comment_path);
    sent = co_await call;
    if (!sent.ok() && !on_block && sent.error().code == "object_not_found") {
      // An id from get_blocks: comment on that block.
      body["parent"] = {{"block_id", *page}};
      target = "block " + *page;
      auto retry = send_write(ctx, "POST", "/v1/comments", body, comment_path);
      auto second = co_await retry;
      if (second.ok()) sent = std::move(second);
    }
  }
  if (!sent.ok()) co_return error_result(sent.error());
  ToolResult result;
  std::string id = util::string_or(sent->body, "id");
  std::string discussion = util::string_or(sent->body, "discussion_id");
  result.text = "added comment " + id + " to " + target + "\n";
  append_line(result.text, "discussion_id", discussion);
  if (sent->recovered) result.text += kRecoveredNote;
  result.structured = {{"id", id}, {"discussion_id", discussion}};
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_create_comment_tool() {
  Tool tool;
  tool.name = "create_comment";
  tool.title = "Add comment";
  tool.description =
      "Comment on a page (page_id: id or URL; a URL with #block comments on that block) or reply "
      "in a discussion (discussion_id from list_comments). text is inline Markdown.";
  tool.input_schema =
      R"({"type":"object","properties":{"page_id":{"type":"string"},)"
      R"("discussion_id":{"type":"string"},"text":{"type":"string","minLength":1}},)"
      R"("required":["text"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"discussion_id":{"type":"string"}}})";
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
