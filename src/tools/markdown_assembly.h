// Stitches a long page's Markdown together. GET /v1/pages/{id}/markdown cuts very long pages and
// lists the blocks it left out in unknown_block_ids; each can be fetched through the same endpoint.
// A block whose placeholder line is in the text (a tag line naming its id) is put in its place,
// with the placeholder's indentation; any other is appended at the end, in order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace notion_mcp::tools {

class MarkdownAssembly {
 public:
  MarkdownAssembly(std::string markdown, const util::Json& unknown_block_ids);

  // The missing block that comes first in the text, with the offset where its content will go.
  struct Next {
    std::string block_id;
    size_t position;
  };
  std::optional<Next> next() const;

  // Puts the fetched Markdown of `block_id` in place; its own unknown ids become pending.
  void fill(const std::string& block_id, std::string_view markdown,
            const util::Json& unknown_block_ids);
  // Gives up on a block that could not be fetched; its placeholder, if any, stays.
  void drop(const std::string& block_id);

  const std::string& markdown() const { return markdown_; }
  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::string id;
    bool in_place = false;  // a placeholder line [line_start, line_end) stands for it
    size_t line_start = 0;
    size_t line_end = 0;
  };
  void add_pending(const util::Json& ids, size_t from, size_t to);
  std::vector<Pending> pending_;
  std::string markdown_;
};

// The part of `text` to show: starts at `offset` (moved onto a UTF-8 boundary), at most
// `max_chars` bytes, preferring to end after a newline. `more` says whether text follows.
struct ContentWindow {
  size_t begin = 0;
  size_t end = 0;
  bool more = false;
};
ContentWindow content_window(std::string_view text, size_t offset, size_t max_chars);

}  // namespace notion_mcp::tools
