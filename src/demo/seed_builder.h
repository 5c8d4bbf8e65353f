// Helpers that keep the seed readable: deterministic ids and times, and a writer that appends
// blocks (written as inline Markdown) to a page or block.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "demo/markdown_inline.h"
#include "demo/store.h"

namespace notion_mcp::demo {

class SeedBuilder {
 public:
  explicit SeedBuilder(Store& store);

  Store& store() { return store_; }

  // Unix seconds `day` days after Monday 2025-06-02, at `minute` minutes past midnight UTC.
  static int64_t at(int day, int minute = 9 * 60);
  static Stamps stamps(int created_day, int edited_day, std::string_view author,
                       std::string_view editor = {});

  // Adds a page outside any database, not yet attached to its parent's content (the content
  // writer attaches it with child_page() where it belongs). An empty `id` is derived from the
  // title.
  std::string page(std::string id, Parent parent, std::string_view title, std::string_view emoji,
                   const Stamps& stamps);

  // Inline Notion-flavored Markdown -> rich text, with mentions resolved against the store.
  util::Json rich(std::string_view markdown) const;

  std::string next_block_id();

 private:
  Store& store_;
  MentionResolver resolver_;
  int block_counter_ = 0;
};

// Appends blocks to one container (a page or a block). Each method returns the new block id.
class BlockWriter {
 public:
  BlockWriter(SeedBuilder& builder, std::string container_id);

  std::string paragraph(std::string_view markdown, std::string_view color = "default");
  std::string heading(int level, std::string_view markdown, bool toggleable = false);
  std::string bullet(std::string_view markdown);
  std::string numbered(std::string_view markdown);
  std::string todo(std::string_view markdown, bool checked);
  std::string toggle(std::string_view markdown);
  std::string quote(std::string_view markdown);
  std::string callout(std::string_view emoji, std::string_view markdown,
                      std::string_view color = "gray_background");
  std::string code(std::string_view language, std::string_view text);
  std::string divider();
  std::string equation(std::string_view expression);
  std::string image(std::string_view url, std::string_view caption);
  std::string bookmark(std::string_view url);
  std::string table_of_contents();
  // A table whose first row is the header when `header_row`.
  std::string table(const std::vector<std::vector<std::string>>& rows, bool header_row);
  // A column list with `count` columns; write into them with under(columns(n)[i]).
  std::vector<std::string> columns(int count);
  // Attaches an existing child page or database at this point of the content.
  void child(std::string_view id);

  // A writer for the children of `block_id`.
  BlockWriter under(const std::string& block_id) const { return BlockWriter(builder_, block_id); }

 private:
  std::string add(std::string type, util::Json content);
  util::Json text_content(std::string_view markdown, std::string_view color = "default") const;

  SeedBuilder& builder_;
  std::string container_id_;
  Parent parent_;
  Stamps stamps_;
};

}  // namespace notion_mcp::demo
