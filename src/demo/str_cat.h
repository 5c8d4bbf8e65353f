// String concatenation without `"literal" + std::string&&`, which trips a GCC 12 -Wrestrict
// false positive in optimised builds.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace notion_mcp::demo {

inline std::string cat(std::initializer_list<std::string_view> parts) {
  size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
  return out;
}

}  // namespace notion_mcp::demo
