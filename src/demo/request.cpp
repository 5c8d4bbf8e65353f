#include "demo/request.h"

namespace notion_mcp::demo {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string_view> Query::get(std::string_view name) const {
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    if (it->first == name) return std::string_view(it->second);
  }
  return std::nullopt;
}

std::vector<std::string> Query::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : items_) {
    if (key == name) out.push_back(value);
  }
  return out;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

Target parse_target(std::string_view path) {
  Target out;
  const size_t question = path.find('?');
  std::string_view route = path.substr(0, question);
  size_t start = 0;
  while (start <= route.size()) {
    size_t slash = route.find('/', start);
    if (slash == std::string_view::npos) slash = route.size();
    if (slash > start)
      out.segments.push_back(percent_decode(route.substr(start, slash - start), false));
    start = slash + 1;
  }
  std::vector<std::pair<std::string, std::string>> items;
  if (question != std::string_view::npos) {
    std::string_view rest = path.substr(question + 1);
    while (!rest.empty()) {
      const size_t amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      if (!pair.empty()) {
        const size_t eq = pair.find('=');
        items.emplace_back(percent_decode(pair.substr(0, eq), true),
                           eq == std::string_view::npos
                               ? std::string()
                               : percent_decode(pair.substr(eq + 1), true));
      }
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  out.query = Query(std::move(items));
  return out;
}

}  // namespace notion_mcp::demo
