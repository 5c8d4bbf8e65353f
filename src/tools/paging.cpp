#include "tools/paging.h"

#include <algorithm>
#include <cctype>

namespace notion_mcp::tools {

int page_size_of(const util::Json& arguments, int fallback) {
  const util::Json* size = util::member(arguments, "page_size");
  if (!size || !size->is_number()) return fallback;
  return static_cast<int>(std::clamp<double>(size->get<double>(), 1, 100));
}

std::string percent_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string paging_query(const util::Json& arguments, int fallback_page_size) {
  std::string query = "page_size=" + std::to_string(page_size_of(arguments, fallback_page_size));
  std::string cursor = util::string_or(arguments, "start_cursor");
  if (!cursor.empty()) query += "&start_cursor=" + percent_encode(cursor);
  return query;
}

void add_paging(util::Json& body, const util::Json& arguments, int fallback_page_size) {
  body["page_size"] = page_size_of(arguments, fallback_page_size);
  std::string cursor = util::string_or(arguments, "start_cursor");
  if (!cursor.empty()) body["start_cursor"] = cursor;
}

void add_next_cursor(const util::Json& response, util::Json& structured, std::string& text) {
  std::string cursor = util::string_or(response, "next_cursor");
  if (!util::bool_or(response, "has_more", false) || cursor.empty()) return;
  structured["next_cursor"] = cursor;
  text += "next_cursor: " + cursor + " (more results: call again with start_cursor set to it)\n";
}

}  // namespace notion_mcp::tools
