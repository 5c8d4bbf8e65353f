// edit_page_content: PATCH /v1/pages/{id}/markdown, either search-and-replace edits
// (update_content) or a whole new content (replace_content). Removing child pages or databases
// needs allow_deleting_content, which is passed to Notion; a replace is also checked here first,
// against the page's current Markdown, so that nothing is lost by a model's oversight.
#include <cctype>
#include <vector>

#include "tools/common.h"
#include "tools/errors.h"
#include "tools/ids.h"
#include "tools/page_resource.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

constexpr size_t kMaxEdits = 100;

struct ChildReference {
  std::string id;  // dashed
  std::string title;
};

// The child pages and databases the Markdown shows as <page url="...">Title</page> and
// <database url="...">Title</database> lines.
std::vector<ChildReference> child_references(std::string_view markdown) {
  std::vector<ChildReference> out;
  for (std::string_view tag : {"page", "database"}) {
    std::string open = "<" + std::string(tag) + " url=\"";
    std::string close = "</" + std::string(tag) + ">";
    for (size_t at = markdown.find(open); at != std::string_view::npos;
         at = markdown.find(open, at + 1)) {
      size_t url_begin = at + open.size();
      size_t url_end = markdown.find('"', url_begin);
      if (url_end == std::string_view::npos) break;
      auto id = parse_notion_id(markdown.substr(url_begin, url_end - url_begin));
      if (!id.ok()) continue;
      size_t title_begin = markdown.find('>', url_end);
      size_t title_end = markdown.find(close, url_end);
      std::string title;
      if (title_begin != std::string_view::npos && title_end != std::string_view::npos &&
          title_begin < title_end) {
        title = std::string(markdown.substr(title_begin + 1, title_end - title_begin - 1));
      }
      out.push_back({*id, std::move(title)});
    }
  }
  return out;
}

// Whether `text` names the id, dashed or as the 32 hex digits of a URL (any case).
bool mentions(std::string_view text, const std::string& dashed) {
  std::string lowered(text);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string hex;
  for (char c : dashed) {
    if (c != '-') hex.push_back(c);
  }
  return lowered.find(dashed) != std::string::npos || lowered.find(hex) != std::string::npos;
}

bool blank(std::string_view text) {
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Why replacing `current` with `replacement` would delete content; empty when it would not.
std::string deletion_problem(std::string_view current, std::string_view replacement) {
  if (blank(replacement) && !blank(current)) {
    return "The new content is empty: replacing would delete everything on the page.";
  }
  std::string lost;
  size_t count = 0;
  for (const ChildReference& child : child_references(current)) {
    if (mentions(replacement, child.id)) continue;
    if (!lost.empty()) lost += ", ";
    lost += "'" + child.title + "' (" + child.id + ")";
    ++count;
  }
  if (count == 0) return {};
  return "The new content leaves out " + std::to_string(count) +
         " sub-page(s) or database(s), which would be deleted: " + lost + ".";
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto id = id_argument(args, "page_id", IdKind::kPage);
  if (!id.ok()) co_return error_result(id.error());
  const Json* edits = util::member(args, "edits");
  const Json* replace = util::member(args, "replace");
  bool allow_deleting = util::bool_or(args, "allow_deleting_content", false);
  if ((edits != nullptr) == (replace != nullptr)) {
    co_return error_result(util::make_error(
        "validation_error",
        "Pass either edits (search and replace) or replace (the whole new "
        "content), not both and not neither.",
        "Prefer edits for small changes: each {old_str, new_str} must match the page's Markdown "
        "as get_page shows it."));
  }

  Json body = Json::object();
  size_t edit_count = 0;
  if (edits) {
    if (!edits->is_array() || edits->empty() || edits->size() > kMaxEdits) {
      co_return error_result(
          util::make_error("validation_error", "edits must hold 1 to 100 {old_str, new_str} edits.",
                           "Split a larger change into several calls, or use replace."));
    }
    edit_count = edits->size();
    Json updates = Json::array();
    for (const Json& edit : *edits) {
      if (util::string_or(edit, "old_str").empty()) {
        co_return error_result(util::make_error(
            "validation_error", "Every edit needs a non-empty old_str.",
            "Copy old_str exactly from the page's Markdown as get_page shows it."));
      }
      updates.push_back(edit);
    }
    body = {{"type", "update_content"}, {"update_content", {{"content_updates", updates}}}};
    if (allow_deleting) body["update_content"]["allow_deleting_content"] = true;
  } else {
    std::string replacement = replace->is_string() ? replace->get<std::string>() : "";
    if (!allow_deleting) {
      auto reading = read_page_markdown(ctx.notion, *id, ctx.cancel);
      auto current = co_await reading;
      if (!current.ok()) co_return error_result(current.error());
      std::string problem = deletion_problem(*current, replacement);
      if (!problem.empty()) {
        co_return error_result(util::make_error(
            "content_would_be_deleted", problem,
            "Keep their <page>/<database> lines in the new content (or use edits for a partial "
            "change); set allow_deleting_content to true only if deleting them is intended."));
      }
    }
    body = {{"type", "replace_content"}, {"replace_content", {{"new_str", replacement}}}};
    if (allow_deleting) body["replace_content"]["allow_deleting_content"] = true;
  }

  std::string path = "/v1/pages/" + *id + "/markdown";
  auto call =
      send_write(ctx, "PATCH", path, std::move(body), [path](const std::string&) { return path; });
  auto sent = co_await call;
  if (!sent.ok()) {
    co_return error_result(sent.error(),
                           "Read the page with get_page and copy old_str exactly from it.");
  }
  std::string markdown = util::string_or(sent->body, "markdown");
  ToolResult result;
  result.text =
      edits ? "edited page " + *id + ": " + std::to_string(edit_count) + " edit(s) applied\n"
            : "replaced the content of page " + *id + "\n";
  result.text += "characters: " + std::to_string(markdown.size()) +
                 " (the page's Markdown now; get_page reads it)\n";
  if (sent->recovered) result.text += kRecoveredNote;
  result.structured = {{"id", *id},
                       {"characters", markdown.size()},
                       {"truncated", util::bool_or(sent->body, "truncated", false)}};
  if (edits) result.structured["edits_applied"] = edit_count;
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_edit_page_content_tool() {
  Tool tool;
  tool.name = "edit_page_content";
  tool.title = "Edit page content";
  tool.description =
      "Edit a page's Markdown: edits [{old_str,new_str,replace_all_matches}] (old_str exactly as "
      "get_page shows it) or replace (all content). Deleting sub-pages needs "
      "allow_deleting_content.";
  tool.input_schema =
      R"({"type":"object","properties":{"page_id":{"type":"string"},"edits":{"type":"array",)"
      R"("items":{"type":"object","properties":{"old_str":{"type":"string"},)"
      R"("new_str":{"type":"string"},"replace_all_matches":{"type":"boolean"}},)"
      R"("required":["old_str","new_str"],"additionalProperties":false}},)"
      R"("replace":{"type":"string"},"allow_deleting_content":{"type":"boolean"}},)"
      R"("required":["page_id"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"id":{"type":"string"},"characters":{"type":"integer"},)"
      R"("truncated":{"type":"boolean"},"edits_applied":{"type":"integer"}}})";
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
