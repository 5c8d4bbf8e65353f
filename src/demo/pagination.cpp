#include "demo/pagination.h"

#include <charconv>

#include "demo/api_errors.h"

namespace notion_mcp::demo {

namespace {

util::Result<size_t> check_page_size(int64_t value, std::string_view where) {
  const std::string field = std::string(where) + ".page_size";
  if (value > 100) {
    return validation_error(std::string(where) + " failed validation: " + field +
                            " should be less than or equal to `100`, instead was `" +
                            std::to_string(value) + "`.");
  }
  if (value < 1) {
    return validation_error(std::string(where) + " failed validation: " + field +
                            " should be greater than or equal to `1`, instead was `" +
                            std::to_string(value) + "`.");
  }
  return static_cast<size_t>(value);
}

}  // namespace

util::Result<PageRequest> page_request_from_query(const Query& query) {
  PageRequest out;
  if (auto size = query.get("page_size")) {
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(size->data(), size->data() + size->size(), value);
    if (ec != std::errc() || ptr != size->data() + size->size()) {
      return validation_error(
          "query failed validation: query.page_size should be a number, "
          "instead was `\"" +
          std::string(*size) + "\"`.");
    }
    auto checked = check_page_size(value, "query");
    if (!checked) return checked.error();
    out.page_size = *checked;
  }
  if (auto cursor = query.get("start_cursor")) out.start_cursor = std::string(*cursor);
  return out;
}

util::Result<PageRequest> page_request_from_body(const util::Json& body) {
  PageRequest out;
  if (const util::Json* size = util::member(body, "page_size"); size && !size->is_null()) {
    if (!size->is_number_integer()) {
      return validation_error(
          "body failed validation: body.page_size should be a number, instead was `" +
          util::dump_json(*size) + "`.");
    }
    auto checked = check_page_size(size->get<int64_t>(), "body");
    if (!checked) return checked.error();
    out.page_size = *checked;
  }
  if (const util::Json* cursor = util::member(body, "start_cursor"); cursor && !cursor->is_null()) {
    if (!cursor->is_string()) {
      return validation_error(
          "body failed validation: body.start_cursor should be a string, instead was `" +
          util::dump_json(*cursor) + "`.");
    }
    out.start_cursor = cursor->get<std::string>();
  }
  return out;
}

util::Result<Slice> slice(const PageRequest& request, size_t total,
                          const std::function<std::string(size_t)>& cursor_of,
                          std::string_view where) {
  Slice out;
  if (request.start_cursor) {
    size_t i = 0;
    while (i < total && cursor_of(i) != *request.start_cursor) ++i;
    if (i == total) {
      return validation_error(std::string(where) + " failed validation: " + std::string(where) +
                              ".start_cursor should be a cursor returned by an earlier "
                              "request for this list, instead was `\"" +
                              *request.start_cursor + "\"`.");
    }
    out.begin = i;
  }
  out.end = std::min(total, out.begin + request.page_size);
  if (out.end < total) out.next_cursor = cursor_of(out.end);
  return out;
}

util::Json list_json(util::Json results, const Slice& slice, std::string_view type) {
  util::Json out{
      {"object", "list"},
      {"results", std::move(results)},
      {"next_cursor", slice.next_cursor ? util::Json(*slice.next_cursor) : util::Json(nullptr)},
      {"has_more", slice.next_cursor.has_value()},
      {"type", std::string(type)}};
  out[std::string(type)] = util::Json::object();
  return out;
}

}  // namespace notion_mcp::demo
