// Cursor pagination as Notion does it: start_cursor and page_size (1..100, default 100) from
// the query string (GET) or the body (POST); lists answer {object:"list", results, next_cursor,
// has_more, type, <type>:{}}. A cursor is the id of the first item of the next page.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "demo/request.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

struct PageRequest {
  std::optional<std::string> start_cursor;
  size_t page_size = 100;
};

util::Result<PageRequest> page_request_from_query(const Query& query);
util::Result<PageRequest> page_request_from_body(const util::Json& body);

struct Slice {
  size_t begin = 0;
  size_t end = 0;
  std::optional<std::string> next_cursor;
};

// Picks the items of one page out of `total`; `cursor_of(i)` is item i's cursor. An unknown
// start_cursor is a validation_error (`where` is "body" or "query", for the message).
util::Result<Slice> slice(const PageRequest& request, size_t total,
                          const std::function<std::string(size_t)>& cursor_of,
                          std::string_view where);

// The list envelope; `type` is "block", "page_or_data_source", "user", "comment", ...
util::Json list_json(util::Json results, const Slice& slice, std::string_view type);

}  // namespace notion_mcp::demo
