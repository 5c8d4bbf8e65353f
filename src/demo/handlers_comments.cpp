// GET /v1/comments?block_id=..., GET /v1/comments/{id} and POST /v1/comments.
#include <optional>

#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/ids.h"
#include "demo/markdown_inline.h"
#include "demo/mentions.h"
#include "demo/pagination.h"
#include "demo/rich_text_input.h"
#include "demo/serialize.h"
#include "demo/write_support.h"

namespace notion_mcp::demo {

Reply list_comments(Context& c) {
  auto raw = c.query.get("block_id");
  if (!raw) {
    return validation_error(
        "query failed validation: query.block_id should be defined, instead was `undefined`.");
  }
  auto id = normalize_id(*raw);
  if (!id) {
    return validation_error(
        "query failed validation: query.block_id should be a valid uuid, "
        "instead was `\"" +
        std::string(*raw) + "\"`.");
  }
  if (!c.store.block(*id)) return not_found("block", *id);
  auto paging = page_request_from_query(c.query);
  if (!paging) return paging.error();
  std::vector<const Comment*> found;
  for (const Comment& comment : c.store.comments()) {
    if (comment.parent.id == *id) found.push_back(&comment);
  }
  auto window = slice(
      *paging, found.size(), [&](size_t i) { return found[i]->id; }, "query");
  if (!window) return window.error();
  util::Json results = util::Json::array();
  for (size_t i = window->begin; i < window->end; ++i) {
    results.push_back(comment_json(c.store, *found[i]));
  }
  return list_json(std::move(results), *window, "comment");
}

Reply get_comment(Context& c) {
  auto id = path_id(c, 0, "comment_id");
  if (!id) return id.error();
  for (const Comment& comment : c.store.comments()) {
    if (comment.id == *id) return comment_json(c.store, comment);
  }
  return not_found("comment", *id);
}

// POST /v1/comments: a new discussion on a page or block, or a reply in a discussion.

Reply create_comment(Context& c) {
  const util::Json* parent = util::member(c.body, "parent");
  const util::Json* discussion = util::member(c.body, "discussion_id");
  if ((parent != nullptr) == (discussion != nullptr)) {
    return validation_error(
        "body failed validation: provide exactly one of body.parent and "
        "body.discussion_id.");
  }
  util::Json rich;
  if (const util::Json* input = util::member(c.body, "rich_text")) {
    auto normalized = normalize_rich_text(*input, c.store, "body.rich_text");
    if (!normalized) return normalized.error();
    rich = std::move(*normalized);
  } else if (const util::Json* markdown = util::member(c.body, "markdown");
             markdown && markdown->is_string()) {
    rich = parse_inline(markdown->get<std::string>(), mention_resolver(c.store));
  }
  if (!rich.is_array() || rich.empty()) {
    return validation_error(
        "body failed validation: body.rich_text should be a non-empty rich "
        "text array.");
  }
  Comment comment;
  comment.id = c.store.next_id("comment");
  comment.rich_text = std::move(rich);
  comment.stamps = fresh_stamps(c);
  if (discussion) {
    const auto id =
        discussion->is_string() ? normalize_id(discussion->get<std::string>()) : std::nullopt;
    const Comment* first = nullptr;
    for (const Comment& existing : c.store.comments()) {
      if (id && existing.discussion_id == *id) {
        first = &existing;
        break;
      }
    }
    if (!first) return not_found("discussion", id ? *id : util::dump_json(*discussion));
    comment.parent = first->parent;
    comment.discussion_id = first->discussion_id;
  } else {
    std::optional<std::string> id;
    ParentKind kind = ParentKind::kPage;
    if (parent->contains("page_id")) {
      id = normalize_id(util::string_or(*parent, "page_id"));
      if (!id || !c.store.page(*id)) {
        return not_found("page", id ? *id : util::string_or(*parent, "page_id"));
      }
    } else if (parent->contains("block_id")) {
      kind = ParentKind::kBlock;
      id = normalize_id(util::string_or(*parent, "block_id"));
      if (!id || !c.store.block(*id)) {
        return not_found("block", id ? *id : util::string_or(*parent, "block_id"));
      }
      if (c.store.page(*id)) kind = ParentKind::kPage;
    } else {
      return validation_error(
          "body failed validation: body.parent should have page_id or "
          "block_id.");
    }
    comment.parent = Parent{kind, *id};
    comment.discussion_id = c.store.next_id("discussion");
  }
  return comment_json(c.store, c.store.add_comment(std::move(comment)));
}

}  // namespace notion_mcp::demo
