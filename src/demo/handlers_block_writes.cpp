// PATCH /v1/blocks/{id}/children (append), PATCH /v1/blocks/{id}, DELETE /v1/blocks/{id}.
#include <algorithm>

#include "demo/api_errors.h"
#include "demo/block_input.h"
#include "demo/handlers.h"
#include "demo/ids.h"
#include "demo/pagination.h"
#include "demo/serialize.h"
#include "demo/str_cat.h"
#include "demo/write_support.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

constexpr int kMaxNesting = 2;

util::Result<Block*> find_block(Context& c) {
  auto id = path_id(c, 0, "block_id");
  if (!id) return id.error();
  Block* block = c.store.block(*id);
  if (!block) return not_found("block", *id);
  return block;
}

// Where in `container`'s children the new blocks go: position {type: start|end|after_block}
// or the older `after: <block id>`.
util::Result<size_t> insert_position(const Context& c, const Block& container) {
  std::string after;
  if (const Json* position = util::member(c.body, "position"); position && !position->is_null()) {
    const std::string type = util::string_or(*position, "type");
    if (type == "start") return size_t{0};
    if (type == "end") return SIZE_MAX;
    if (type != "after_block") {
      return validation_error(
          "body failed validation: body.position.type should be "
          "`\"start\"`, `\"end\"` or `\"after_block\"`, instead was `" +
          util::dump_json(position->value("type", Json())) + "`.");
    }
    after = util::string_or(position->value("after_block", Json::object()), "id");
  } else if (const Json* legacy = util::member(c.body, "after"); legacy && legacy->is_string()) {
    after = legacy->get<std::string>();
  } else {
    return SIZE_MAX;
  }
  const auto id = normalize_id(after);
  const auto& kids = container.children;
  const auto it = id ? std::find(kids.begin(), kids.end(), *id) : kids.end();
  if (it == kids.end()) {
    return validation_error(cat({"body failed validation: the block to insert after (", after,
                                 ") is not a child of block ", container.id, "."}));
  }
  return static_cast<size_t>(it - kids.begin()) + 1;
}

void trash(Store& store, Block& block, bool value) {
  block.in_trash = value;
  if (Page* page = store.page(block.id)) page->in_trash = value;
  if (Database* db = store.database(block.id)) db->in_trash = value;
}

}  // namespace

Reply append_block_children(Context& c) {
  auto found = find_block(c);
  if (!found) return found.error();
  Block& container = **found;
  const bool is_page = container.type == "child_page";
  if (block_hidden(c.store, container)) return archived_error("block");
  if (!is_page && !supports_children(container.type, container.content)) {
    return validation_error(cat({"Block type ", container.type, " does not support children."}));
  }
  const Json* children = util::member(c.body, "children");
  if (!children) {
    return validation_error(
        "body failed validation: body.children should be defined, instead "
        "was `undefined`.");
  }
  auto blocks = parse_block_requests(*children, c.store, "body.children", kMaxNesting);
  if (!blocks) return blocks.error();
  if (count_blocks(*blocks) > 1000) {
    return validation_error("body failed validation: a request may create at most 1000 blocks.");
  }
  auto position = insert_position(c, container);
  if (!position) return position.error();
  const Parent parent{is_page ? ParentKind::kPage : ParentKind::kBlock, container.id};
  const auto ids = insert_blocks(c.store, parent, std::move(*blocks), *position, fresh_stamps(c));
  touch_page_of(c, container.id);
  Json results = Json::array();
  for (const std::string& id : ids) results.push_back(block_json(c.store, *c.store.block(id)));
  Slice all;
  all.end = ids.size();
  return list_json(std::move(results), all, "block");
}

Reply update_block(Context& c) {
  auto found = find_block(c);
  if (!found) return found.error();
  Block& block = **found;
  const Json* trash_flag = util::member(c.body, "in_trash");
  if (!trash_flag) trash_flag = util::member(c.body, "archived");
  if (trash_flag && !trash_flag->is_boolean()) {
    return validation_error(
        "body failed validation: body.in_trash should be a boolean, instead "
        "was `" +
        util::dump_json(*trash_flag) + "`.");
  }
  std::string type_key;
  for (const auto& [key, value] : c.body.items()) {
    if (key != "in_trash" && key != "archived" && key != "type") type_key = key;
  }
  if (!type_key.empty()) {
    if (type_key != block.type) {
      return validation_error(
          cat({"body failed validation: block ", block.id, " is a ", block.type,
               " block; update it with `", block.type, "`, not `", type_key, "`."}));
    }
    if (block_hidden(c.store, block) && !(trash_flag && !trash_flag->get<bool>())) {
      return archived_error("block");
    }
    if (block.type == "child_page" || block.type == "child_database") {
      return validation_error(
          "Update a page's title with PATCH /v1/pages/{id} and a database's "
          "with PATCH /v1/data_sources/{id}.");
    }
    auto content = update_block_content(block.type, block.content, c.body[type_key], c.store,
                                        "body." + type_key);
    if (!content) return content.error();
    block.content = std::move(*content);
  }
  if (trash_flag) trash(c.store, block, trash_flag->get<bool>());
  mark_edited(block.stamps, c);
  touch_page_of(c, block.id);
  return block_json(c.store, block);
}

Reply delete_block(Context& c) {
  auto found = find_block(c);
  if (!found) return found.error();
  Block& block = **found;
  trash(c.store, block, true);
  mark_edited(block.stamps, c);
  touch_page_of(c, block.parent.id);
  return block_json(c.store, block);
}

}  // namespace notion_mcp::demo
