// The parts of an incoming request the handlers need: path segments and the decoded query.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace notion_mcp::demo {

class Query {
 public:
  Query() = default;
  explicit Query(std::vector<std::pair<std::string, std::string>> items)
      : items_(std::move(items)) {}

  // The last value given for `name`, if any.
  std::optional<std::string_view> get(std::string_view name) const;
  // Every value given for `name` (for repeated parameters like filter_properties).
  std::vector<std::string> all(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Target {
  std::vector<std::string> segments;  // "/v1/pages/abc" -> {"v1", "pages", "abc"}, decoded
  Query query;
};

// Splits "/v1/pages/abc?x=1" and percent-decodes each part ('+' is a space in the query).
Target parse_target(std::string_view path);

std::string percent_decode(std::string_view text, bool plus_is_space);

}  // namespace notion_mcp::demo
