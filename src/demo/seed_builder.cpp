#include "demo/seed_builder.h"

#include "demo/ids.h"
#include "demo/mentions.h"
#include "demo/rich_text.h"
#include "demo/timestamps.h"

namespace notion_mcp::demo {

using util::Json;

SeedBuilder::SeedBuilder(Store& store) : store_(store), resolver_(mention_resolver(store)) {}

int64_t SeedBuilder::at(int day, int minute) {
  return days_from_civil(2025, 6, 2) + static_cast<int64_t>(day) * 86400 + minute * 60;
}

Stamps SeedBuilder::stamps(int created_day, int edited_day, std::string_view author,
                           std::string_view editor) {
  Stamps out;
  // Spread times over the working day so that sorting by time is never a tie.
  out.created_time = at(created_day, 9 * 60 + (created_day * 37) % 480);
  out.last_edited_time = at(edited_day, 9 * 60 + (edited_day * 53 + created_day) % 480);
  if (out.last_edited_time < out.created_time) out.last_edited_time = out.created_time;
  out.created_by = std::string(author);
  out.last_edited_by = std::string(editor.empty() ? author : editor);
  return out;
}

std::string SeedBuilder::page(std::string id, Parent parent, std::string_view title,
                              std::string_view emoji, const Stamps& stamps) {
  Page page;
  page.id = id.empty() ? derived_id("seed/page/" + std::string(title)) : std::move(id);
  page.parent = std::move(parent);
  page.properties["title"] = Json{{"id", "title"}, {"type", "title"}, {"title", rich(title)}};
  if (!emoji.empty()) page.icon = Json{{"type", "emoji"}, {"emoji", std::string(emoji)}};
  page.stamps = stamps;
  return store_.add_page(std::move(page), /*attach=*/false).id;
}

Json SeedBuilder::rich(std::string_view markdown) const {
  return parse_inline(markdown, resolver_);
}

std::string SeedBuilder::next_block_id() {
  return derived_id("seed/block/" + std::to_string(++block_counter_));
}

BlockWriter::BlockWriter(SeedBuilder& builder, std::string container_id)
    : builder_(builder), container_id_(std::move(container_id)) {
  Store& store = builder_.store();
  const bool is_page = store.page(container_id_) != nullptr;
  parent_ = Parent{is_page ? ParentKind::kPage : ParentKind::kBlock, container_id_};
  if (const Page* page = store.page(container_id_)) {
    stamps_ = page->stamps;
  } else if (const Block* block = store.block(container_id_)) {
    stamps_ = block->stamps;
  }
}

std::string BlockWriter::add(std::string type, Json content) {
  Block block;
  block.id = builder_.next_block_id();
  block.type = std::move(type);
  block.parent = parent_;
  block.content = std::move(content);
  block.stamps = stamps_;
  return builder_.store().add_block(std::move(block)).id;
}

Json BlockWriter::text_content(std::string_view markdown, std::string_view color) const {
  Json out(Json::value_t::object);
  auto& object = *out.get_ptr<Json::object_t*>();
  object.emplace("rich_text", builder_.rich(markdown));
  object.emplace("color", std::string(color));
  return out;
}

std::string BlockWriter::paragraph(std::string_view markdown, std::string_view color) {
  return add("paragraph", text_content(markdown, color));
}

std::string BlockWriter::heading(int level, std::string_view markdown, bool toggleable) {
  Json content = text_content(markdown);
  content["is_toggleable"] = toggleable;
  return add("heading_" + std::to_string(level), std::move(content));
}

std::string BlockWriter::bullet(std::string_view markdown) {
  return add("bulleted_list_item", text_content(markdown));
}

std::string BlockWriter::numbered(std::string_view markdown) {
  return add("numbered_list_item", text_content(markdown));
}

std::string BlockWriter::todo(std::string_view markdown, bool checked) {
  Json content = text_content(markdown);
  content["checked"] = checked;
  return add("to_do", std::move(content));
}

std::string BlockWriter::toggle(std::string_view markdown) {
  return add("toggle", text_content(markdown));
}

std::string BlockWriter::quote(std::string_view markdown) {
  return add("quote", text_content(markdown));
}

std::string BlockWriter::callout(std::string_view emoji, std::string_view markdown,
                                 std::string_view color) {
  Json content = text_content(markdown, color);
  content["icon"] = Json{{"type", "emoji"}, {"emoji", std::string(emoji)}};
  return add("callout", std::move(content));
}

std::string BlockWriter::code(std::string_view language, std::string_view text) {
  return add("code", Json{{"rich_text", plain_rich_text(text)},
                          {"caption", Json::array()},
                          {"language", std::string(language)}});
}

std::string BlockWriter::divider() { return add("divider", Json::object()); }

std::string BlockWriter::equation(std::string_view expression) {
  return add("equation", Json{{"expression", std::string(expression)}});
}

std::string BlockWriter::image(std::string_view url, std::string_view caption) {
  return add("image", Json{{"type", "external"},
                           {"external", {{"url", std::string(url)}}},
                           {"caption", builder_.rich(caption)}});
}

std::string BlockWriter::bookmark(std::string_view url) {
  return add("bookmark", Json{{"url", std::string(url)}, {"caption", Json::array()}});
}

std::string BlockWriter::table_of_contents() {
  return add("table_of_contents", Json{{"color", "default"}});
}

std::string BlockWriter::table(const std::vector<std::vector<std::string>>& rows, bool header_row) {
  const size_t width = rows.empty() ? 0 : rows.front().size();
  const std::string id = add(
      "table",
      Json{{"table_width", width}, {"has_column_header", header_row}, {"has_row_header", false}});
  BlockWriter cells = under(id);
  for (const auto& row : rows) {
    Json json_cells = Json::array();
    for (const std::string& cell : row) json_cells.push_back(builder_.rich(cell));
    cells.add("table_row", Json{{"cells", json_cells}});
  }
  return id;
}

std::vector<std::string> BlockWriter::columns(int count) {
  const std::string list = add("column_list", Json::object());
  BlockWriter inside = under(list);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(inside.add("column", Json{{"width_ratio", 1.0 / count}}));
  }
  return out;
}

void BlockWriter::child(std::string_view id) { builder_.store().attach_block(id); }

}  // namespace notion_mcp::demo
