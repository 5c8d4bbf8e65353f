#include "demo/block_input.h"

#include <algorithm>
#include <set>

#include "demo/api_errors.h"
#include "demo/file_objects.h"
#include "demo/rich_text_input.h"
#include "demo/str_cat.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

constexpr size_t kMaxArray = 100;

bool is_text_block(std::string_view type) {
  return type == "paragraph" || type == "bulleted_list_item" || type == "numbered_list_item" ||
         type == "to_do" || type == "toggle" || type == "quote" || type == "callout" ||
         type == "heading_1" || type == "heading_2" || type == "heading_3" || type == "heading_4";
}

bool is_media(std::string_view type) {
  return type == "image" || type == "file" || type == "pdf" || type == "audio" || type == "video";
}

const std::set<std::string, std::less<>>& known_types() {
  static const std::set<std::string, std::less<>> types = {"paragraph",
                                                           "bulleted_list_item",
                                                           "numbered_list_item",
                                                           "to_do",
                                                           "toggle",
                                                           "quote",
                                                           "callout",
                                                           "heading_1",
                                                           "heading_2",
                                                           "heading_3",
                                                           "heading_4",
                                                           "code",
                                                           "divider",
                                                           "equation",
                                                           "image",
                                                           "file",
                                                           "pdf",
                                                           "audio",
                                                           "video",
                                                           "bookmark",
                                                           "embed",
                                                           "table_of_contents",
                                                           "table",
                                                           "table_row",
                                                           "column_list",
                                                           "column"};
  return types;
}

util::Error invalid(std::string_view where, std::string_view should, const Json& got) {
  return validation_error(cat({"body failed validation: ", where, " should be ", should,
                               ", instead was `", util::dump_json(got), "`."}));
}

// Copies the allowed scalar fields of `in` over `out`, checking their types.
util::Result<void> copy_field(Json& out, const Json& in, const char* key, Json::value_t kind,
                              std::string_view where, std::string_view description) {
  const Json* value = util::member(in, key);
  if (!value) return {};
  const bool ok = value->type() == kind ||
                  (kind == Json::value_t::number_float && value->is_number()) ||
                  (kind == Json::value_t::number_integer && value->is_number_integer());
  if (!ok) return invalid(cat({where, ".", key}), description, *value);
  out[key] = *value;
  return {};
}

util::Result<Json> normalize_content(const std::string& type, const Json& in, const Json& base,
                                     const Store& store, const std::string& where) {
  Json out = base;
  if (!in.is_object()) return invalid(where, "an object", in);
  if (is_text_block(type) || type == "code") {
    if (const Json* rich = util::member(in, "rich_text")) {
      auto normalized = normalize_rich_text(*rich, store, where + ".rich_text");
      if (!normalized) return normalized.error();
      out["rich_text"] = std::move(*normalized);
    } else if (!out.contains("rich_text")) {
      return invalid(where + ".rich_text", "defined", Json("undefined"));
    }
    if (type != "code") {
      if (!out.contains("color")) {
        out["color"] = type == "callout" ? "gray_background" : "default";
      }
      if (auto r = copy_field(out, in, "color", Json::value_t::string, where, "a color"); !r) {
        return r.error();
      }
    }
  }
  if (type.rfind("heading_", 0) == 0) {
    if (!out.contains("is_toggleable")) out["is_toggleable"] = false;
    if (auto r = copy_field(out, in, "is_toggleable", Json::value_t::boolean, where, "a boolean");
        !r) {
      return r.error();
    }
  } else if (type == "to_do") {
    if (!out.contains("checked")) out["checked"] = false;
    if (auto r = copy_field(out, in, "checked", Json::value_t::boolean, where, "a boolean"); !r) {
      return r.error();
    }
  } else if (type == "callout") {
    if (const Json* icon = util::member(in, "icon")) {
      if (!icon->is_null() &&
          !(icon->is_object() && (icon->contains("emoji") || icon->contains("external")))) {
        return invalid(where + ".icon", "an emoji or external file object", *icon);
      }
      out["icon"] = *icon;
    } else if (!out.contains("icon")) {
      out["icon"] = Json{{"type", "emoji"}, {"emoji", "💡"}};
    }
  } else if (type == "code") {
    if (!out.contains("language")) out["language"] = "plain text";
    if (auto r = copy_field(out, in, "language", Json::value_t::string, where, "a language name");
        !r) {
      return r.error();
    }
  } else if (type == "equation") {
    if (auto r = copy_field(out, in, "expression", Json::value_t::string, where, "a string"); !r) {
      return r.error();
    }
    if (util::string_or(out, "expression").empty()) {
      return invalid(where + ".expression", "a non-empty string", in.value("expression", Json()));
    }
  } else if (is_media(type)) {
    // An external URL or a finished file upload; a stored Notion-hosted file stays as it is.
    if (in.contains("external") || in.contains("file_upload")) {
      auto file = file_object_input(in, store, where);
      if (!file) return file.error();
      out.erase("external");
      out.erase("file");
      const std::string source = (*file)["type"];
      out["type"] = source;
      out[source] = (*file)[source];
      if (type == "file" || type == "pdf") {
        out["name"] = file->value("name", Json(""));
      }
    } else if (!out.contains("type")) {
      return invalid(where, "an object with `external` or `file_upload`", in);
    }
    if (const Json* name = util::member(in, "name"); name && (type == "file" || type == "pdf")) {
      if (!name->is_string()) return invalid(where + ".name", "a string", *name);
      out["name"] = *name;
    }
  } else if (type == "bookmark" || type == "embed") {
    if (auto r = copy_field(out, in, "url", Json::value_t::string, where, "a URL"); !r) {
      return r.error();
    }
    if (util::string_or(out, "url").empty()) {
      return invalid(where + ".url", "a URL", in.value("url", Json()));
    }
  } else if (type == "table_of_contents") {
    if (!out.contains("color")) out["color"] = "default";
    if (auto r = copy_field(out, in, "color", Json::value_t::string, where, "a color"); !r) {
      return r.error();
    }
  } else if (type == "table") {
    if (auto r = copy_field(out, in, "table_width", Json::value_t::number_integer, where,
                            "a positive integer");
        !r) {
      return r.error();
    }
    if (!out.contains("table_width") || out["table_width"].get<int64_t>() < 1) {
      return invalid(where + ".table_width", "a positive integer", in.value("table_width", Json()));
    }
    for (const char* flag : {"has_column_header", "has_row_header"}) {
      if (!out.contains(flag)) out[flag] = false;
      if (auto r = copy_field(out, in, flag, Json::value_t::boolean, where, "a boolean"); !r) {
        return r.error();
      }
    }
  } else if (type == "table_row") {
    const Json* cells = util::member(in, "cells");
    if (!cells || !cells->is_array()) {
      return invalid(where + ".cells", "an array of rich text arrays", cells ? *cells : Json());
    }
    Json normalized = Json::array();
    for (size_t i = 0; i < cells->size(); ++i) {
      auto cell =
          normalize_rich_text((*cells)[i], store, cat({where, ".cells[", std::to_string(i), "]"}));
      if (!cell) return cell.error();
      normalized.push_back(std::move(*cell));
    }
    out["cells"] = std::move(normalized);
  }
  if (type == "code" || is_media(type) || type == "bookmark" || type == "embed") {
    if (const Json* caption = util::member(in, "caption")) {
      auto normalized = normalize_rich_text(*caption, store, where + ".caption");
      if (!normalized) return normalized.error();
      out["caption"] = std::move(*normalized);
    } else if (!out.contains("caption")) {
      out["caption"] = Json::array();
    }
  }
  return out;
}

util::Result<std::vector<NewBlock>> parse_level(const Json& children, const Store& store,
                                                const std::string& where, int nesting_left) {
  if (!children.is_array()) return invalid(where, "an array", children);
  if (children.size() > kMaxArray) {
    return validation_error(
        cat({"body failed validation: ", where, ".length should be ≤ `100`, instead was `",
             std::to_string(children.size()), "`."}));
  }
  std::vector<NewBlock> out;
  for (size_t i = 0; i < children.size(); ++i) {
    const Json& request = children[i];
    const std::string at = cat({where, "[", std::to_string(i), "]"});
    if (!request.is_object()) return invalid(at, "an object", request);
    std::string type = util::string_or(request, "type");
    if (type.empty()) {
      for (const auto& [key, value] : request.items()) {
        if (known_types().count(key)) type = key;
      }
    }
    if (type == "child_page" || type == "child_database") {
      return validation_error(cat({"body failed validation: ", at, " is a ", type,
                                   " block. Create pages with POST /v1/pages and databases with "
                                   "POST /v1/databases instead."}));
    }
    if (!known_types().count(type)) {
      return validation_error(cat({"body failed validation: ", at,
                                   ".type should be a block type "
                                   "the demo workspace supports (paragraph, heading_1, ..., "
                                   "to_do, toggle, code, table, ...), instead was `",
                                   util::dump_json(request.value("type", Json(type))), "`."}));
    }
    const Json* body = util::member(request, type);
    if (!body) return invalid(at + "." + type, "defined", Json("undefined"));
    NewBlock block;
    block.type = type;
    auto content = normalize_content(type, *body, Json::object(), store, at + "." + type);
    if (!content) return content.error();
    block.content = std::move(*content);
    block.content.erase("children");
    // Children may sit beside the type object or inside it.
    const Json* kids = util::member(request, "children");
    std::string kids_where = at + ".children";
    if (!kids) {
      kids = util::member(*body, "children");
      kids_where = at + "." + type + ".children";
    }
    if (kids && !kids->empty()) {
      if (!supports_children(type, block.content)) {
        return validation_error(cat({"body failed validation: ", at, " is a ", type,
                                     " block, which cannot have children."}));
      }
      if (nesting_left <= 0) {
        return validation_error(cat({"body failed validation: ", kids_where,
                                     " nests too deep; a request may nest blocks at most two "
                                     "levels. Append the deeper blocks with a second request."}));
      }
      auto nested = parse_level(*kids, store, kids_where, nesting_left - 1);
      if (!nested) return nested.error();
      block.children = std::move(*nested);
    }
    if (type == "table") {
      const auto width = block.content["table_width"].get<size_t>();
      for (const NewBlock& row : block.children) {
        if (row.type != "table_row" || row.content["cells"].size() != width) {
          return validation_error(
              cat({"body failed validation: ", at, " children must be table_row blocks with ",
                   std::to_string(width), " cells each."}));
        }
      }
    }
    if (type == "column_list") {
      if (block.children.size() < 2 ||
          std::any_of(block.children.begin(), block.children.end(),
                      [](const NewBlock& c) { return c.type != "column"; })) {
        return validation_error(cat(
            {"body failed validation: ", at, " needs at least two column blocks as children."}));
      }
    }
    out.push_back(std::move(block));
  }
  return out;
}

}  // namespace

bool supports_children(std::string_view type, const Json& content) {
  if (type.rfind("heading_", 0) == 0) return util::bool_or(content, "is_toggleable", false);
  return type == "paragraph" || type == "bulleted_list_item" || type == "numbered_list_item" ||
         type == "to_do" || type == "toggle" || type == "quote" || type == "callout" ||
         type == "column_list" || type == "column" || type == "table";
}

util::Result<std::vector<NewBlock>> parse_block_requests(const Json& children, const Store& store,
                                                         std::string_view where, int max_nesting) {
  return parse_level(children, store, std::string(where), max_nesting);
}

util::Result<Json> update_block_content(const std::string& type, const Json& current,
                                        const Json& update, const Store& store,
                                        std::string_view where) {
  if (!known_types().count(type)) {
    return validation_error(cat({"body failed validation: blocks of type ", type,
                                 " cannot be updated through this endpoint."}));
  }
  return normalize_content(type, update, current, store, std::string(where));
}

size_t count_blocks(const std::vector<NewBlock>& blocks) {
  size_t total = 0;
  for (const NewBlock& block : blocks) total += 1 + count_blocks(block.children);
  return total;
}

std::vector<std::string> insert_blocks(Store& store, const Parent& parent,
                                       std::vector<NewBlock> blocks, size_t position,
                                       const Stamps& stamps) {
  std::vector<std::string> ids;
  for (NewBlock& nb : blocks) {
    const size_t at = position == SIZE_MAX ? SIZE_MAX : position + ids.size();
    if (!nb.existing_id.empty()) {
      store.reparent(nb.existing_id, parent, at);
      ids.push_back(nb.existing_id);
      continue;
    }
    Block block;
    block.id = store.next_id("block");
    block.type = std::move(nb.type);
    block.parent = parent;
    block.content = std::move(nb.content);
    block.stamps = stamps;
    const std::string id = store.add_block(std::move(block), at).id;
    ids.push_back(id);
    insert_blocks(store, Parent{ParentKind::kBlock, id}, std::move(nb.children), SIZE_MAX, stamps);
  }
  return ids;
}

}  // namespace notion_mcp::demo
