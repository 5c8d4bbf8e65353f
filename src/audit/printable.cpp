#include "audit/printable.h"

#include "util/utf8.h"

namespace notion_mcp::audit {
namespace {

char32_t code_point(std::string_view sequence) {
  auto byte = [&](size_t i) {
    return static_cast<char32_t>(static_cast<unsigned char>(sequence[i]));
  };
  switch (sequence.size()) {
    case 1:
      return byte(0);
    case 2:
      return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3:
      return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    default:
      return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
             (byte(3) & 0x3F);
  }
}

bool hidden(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    size_t length = util::utf8_sequence_length(text, at);
    if (length == 0) {
      out.push_back('?');
      ++at;
      continue;
    }
    std::string_view sequence = text.substr(at, length);
    if (!hidden(code_point(sequence))) out.append(sequence);
    at += length;
  }
  return out;
}

}  // namespace notion_mcp::audit
