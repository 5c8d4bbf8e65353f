// get_page: GET /v1/pages/{id} for metadata and properties, GET /v1/pages/{id}/markdown for the
// content, following unknown_block_ids through long pages, cut into windows of max_chars.
#include <algorithm>
#include <vector>

#include "tools/common.h"
#include "tools/errors.h"
#include "tools/markdown_assembly.h"
#include "tools/read_tools.h"
#include "tools/render.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr size_t kDefaultMaxChars = 20000;
// Each left-out part of a long page costs one request (a third of a second under the rate limit).
constexpr int kMaxPartRequests = 50;
constexpr int kMaxTotalPartRequests = 2000;

size_t size_argument(const Json& args, const char* name, size_t fallback) {
  const Json* value = util::member(args, name);
  if (!value || !value->is_number()) return fallback;
  double number = value->get<double>();
  return number < 0 ? 0 : static_cast<size_t>(number);
}

std::string page_metadata(const Json& page, Json& structured) {
  std::string text;
  structured["id"] = util::string_or(page, "id");
  structured["title"] = title_of(page);
  append_line(text, "title", structured["title"].get<std::string>());
  append_line(text, "id", structured["id"].get<std::string>());
  std::string url = util::string_or(page, "url");
  if (!url.empty()) structured["url"] = url;
  append_line(text, "url", url);
  if (const Json* parent = util::member(page, "parent")) {
    std::string parent_line = parent_text(*parent);
    if (!parent_line.empty()) structured["parent"] = parent_line;
    append_line(text, "parent", parent_line);
  }
  std::string edited = util::string_or(page, "last_edited_time");
  if (!edited.empty()) structured["last_edited"] = edited;
  append_line(text, "last_edited", short_time(edited));
  if (util::bool_or(page, "in_trash", false) || util::bool_or(page, "archived", false)) {
    structured["in_trash"] = true;
    text += "in_trash: true\n";
  }

  Json properties = Json::object();
  std::string property_lines;
  if (const Json* raw = util::member(page, "properties"); raw && raw->is_object()) {
    for (const auto& [name, property] : raw->items()) {
      if (util::string_or(property, "type") != "title") {
        append_line(property_lines, "  " + name, property_text(property));
      }
      properties[name] = flatten_property(property);
    }
  }
  structured["properties"] = std::move(properties);
  if (!property_lines.empty()) text += "properties:\n" + property_lines;
  return text;
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "page_id", IdKind::kPage);
  if (!id.ok()) co_return error_result(id.error());

  std::string page_path = "/v1/pages/" + *id;
  auto page_call = ctx.notion.get(page_path, ctx.cancel);
  auto page = co_await page_call;
  if (!page.ok()) {
    co_return error_result(page.error(), "For a database use get_database; search finds page ids.");
  }
  ToolResult result;
  Json structured = Json::object();
  result.text = page_metadata(*page, structured);

  if (!util::bool_or(args, "include_content", true)) {
    result.structured = std::move(structured);
    co_return result;
  }

  std::string markdown_path = page_path + "/markdown";
  auto first_call = ctx.notion.get(markdown_path, ctx.cancel);
  auto first = co_await first_call;
  if (!first.ok()) {
    co_return error_result(first.error(),
                           "Call get_page with include_content=false to read only the properties.");
  }
  MarkdownAssembly assembly(util::string_or(*first, "markdown"),
                            first->value("unknown_block_ids", Json::array()));

  size_t max_chars = std::max<size_t>(1, size_argument(args, "max_chars", kDefaultMaxChars));
  size_t offset = size_argument(args, "offset", 0);
  size_t window_end = offset + max_chars;
  int requests = 0;         // every part fetched in this call
  int window_requests = 0;  // parts that land inside the requested window
  std::vector<std::string> skipped;
  // Fill in left-out parts in text order until the requested window is complete. Parts before
  // `offset` are fetched again on every call (the API has no cursor into a page), so only the
  // parts inside the window count against the per-call bound; each call makes progress.
  while (auto next = assembly.next()) {
    if (next->position >= window_end) break;
    bool before_window = next->position < offset;
    if (!before_window && window_requests >= kMaxPartRequests) break;
    if (requests >= kMaxTotalPartRequests) {
      co_return error_result(util::make_error(
          "page_too_long",
          "The page has more than " + std::to_string(kMaxTotalPartRequests) +
              " separately stored parts before offset " + std::to_string(offset) + ".",
          "Read it in smaller pieces with get_blocks, which pages through the blocks directly."));
    }
    ++requests;
    if (!before_window) ++window_requests;
    if (ctx.report_progress) {
      ctx.report_progress(requests, requests + static_cast<double>(assembly.pending()),
                          "Reading part " + std::to_string(requests + 1) + " of a long page");
    }
    std::string part_path = "/v1/pages/" + next->block_id + "/markdown";
    auto part_call = ctx.notion.get(part_path, ctx.cancel);
    auto part = co_await part_call;
    if (!part.ok()) {
      if (part.error().code == "cancelled") co_return error_result(part.error());
      skipped.push_back(next->block_id);
      assembly.drop(next->block_id);
      continue;
    }
    assembly.fill(next->block_id, util::string_or(*part, "markdown"),
                  part->value("unknown_block_ids", Json::array()));
  }

  const std::string& markdown = assembly.markdown();
  if (offset > 0 && offset >= markdown.size() && assembly.pending() == 0) {
    co_return error_result(util::make_error(
        "validation_error",
        "offset " + std::to_string(offset) + " is past the end of the page's content (" +
            std::to_string(markdown.size()) + " characters).",
        "Use the next_offset of the previous answer, or omit offset to start at the beginning."));
  }
  ContentWindow window = content_window(markdown, offset, max_chars);
  std::string_view content(markdown.data() + window.begin, window.end - window.begin);
  structured["markdown"] = std::string(content);
  result.text += fence_untrusted(content);
  result.text += "\n";
  if (window.more || assembly.pending() > 0) {
    structured["next_offset"] = window.end;
    result.text +=
        "next_offset: " + std::to_string(window.end) +
        " (the content goes on: call get_page again with offset=" + std::to_string(window.end) +
        ")\n";
  }
  if (!skipped.empty()) {
    result.text += "note: " + std::to_string(skipped.size()) +
                   " part(s) of the page could not be read and are left out.\n";
  }
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_get_page_tool() {
  Tool tool;
  tool.name = "get_page";
  tool.title = "Get page";
  tool.description =
      "Read a page (id or URL): properties as plain values and content as Markdown. Content is "
      "cut at max_chars; pass the returned next_offset as offset to read on.";
  tool.input_schema =
      R"({"type":"object","properties":{"page_id":{"type":"string"},)"
      R"("include_content":{"type":"boolean","default":true},)"
      R"("max_chars":{"type":"integer","minimum":1000,"maximum":100000,"default":20000},)"
      R"("offset":{"type":"integer","minimum":0}},)"
      R"("required":["page_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
      R"("url":{"type":"string"},"parent":{"type":"string"},"last_edited":{"type":"string"},)"
      R"("in_trash":{"type":"boolean"},"properties":{"type":"object"},)"
      R"("markdown":{"type":"string"},"next_offset":{"type":"integer"}}})";
  tool.annotations.read_only = true;
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
