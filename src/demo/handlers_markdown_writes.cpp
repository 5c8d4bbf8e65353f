// PATCH /v1/pages/{id}/markdown: update_content (find and replace), replace_content, and the
// deprecated insert_content / replace_content_range.
#include "demo/api_errors.h"
#include "demo/content_edit.h"
#include "demo/handlers.h"
#include "demo/markdown_parse.h"
#include "demo/markdown_render.h"
#include "demo/write_support.h"

namespace notion_mcp::demo {

using util::Json;

Reply update_page_markdown(Context& c) {
  auto id = path_id(c, 0, "page_id");
  if (!id) return id.error();
  Page* page = c.store.page(*id);
  if (!page) return not_found("page", *id);
  if (page->in_trash) return archived_error("page");
  const std::string type = util::string_or(c.body, "type");
  const Json operation = c.body.value(type, Json());
  if (type.empty() || !operation.is_object()) {
    return validation_error(
        "body failed validation: body.type should be `\"update_content\"` or "
        "`\"replace_content\"`, with the matching object beside it, instead was `" +
        util::dump_json(c.body.value("type", Json())) + "`.");
  }
  const bool allow_deleting = util::bool_or(operation, "allow_deleting_content", false);
  std::string current = render_full_markdown(c.store, *id);
  std::string updated;
  if (type == "update_content") {
    auto edited = apply_text_edits(current, operation.value("content_updates", Json()));
    if (!edited) return edited.error();
    updated = std::move(*edited);
  } else if (type == "replace_content") {
    const Json* new_str = util::member(operation, "new_str");
    if (!new_str || !new_str->is_string()) {
      return validation_error(
          "body failed validation: body.replace_content.new_str should be a "
          "string.");
    }
    updated = new_str->get<std::string>();
  } else if (type == "insert_content") {
    const std::string content = util::string_or(operation, "content");
    const std::string after = util::string_or(operation, "after");
    const std::string where = util::string_or(operation.value("position", Json::object()), "type");
    if (!after.empty()) {
      auto range = find_selection(current, after);
      if (!range) return range.error();
      size_t line_end = current.find('\n', range->second);
      if (line_end == std::string::npos) line_end = current.size();
      updated = current.substr(0, line_end) + "\n" + content + current.substr(line_end);
    } else if (where == "start") {
      updated = content + "\n" + current;
    } else {
      updated = current + (current.empty() ? "" : "\n") + content;
    }
  } else if (type == "replace_content_range") {
    auto range = find_selection(current, util::string_or(operation, "content_range"));
    if (!range) return range.error();
    updated = current.substr(0, range->first) + util::string_or(operation, "content") +
              current.substr(range->second);
  } else {
    return validation_error(
        "body failed validation: body.type should be one of "
        "`\"update_content\"`, `\"replace_content\"`, `\"insert_content\"`, "
        "`\"replace_content_range\"`, instead was `\"" +
        type + "\"`.");
  }
  auto replaced = replace_page_content(c.store, *id, parse_markdown(updated, c.store),
                                       allow_deleting, fresh_stamps(c));
  if (!replaced) return replaced.error();
  mark_edited(page->stamps, c);
  MarkdownResult rendered = render_page_markdown(c.store, *id, c.options.markdown_block_limit);
  return Json{{"object", "page_markdown"},
              {"id", *id},
              {"markdown", std::move(rendered.markdown)},
              {"truncated", rendered.truncated},
              {"unknown_block_ids", rendered.unknown_block_ids}};
}

}  // namespace notion_mcp::demo
