#include "mcp/framing.h"

namespace notion_mcp::mcp {

void LineReader::emit(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // Blank lines between messages are harmless; skip them rather than answer with errors.
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  handlers_.on_line(line);
}

void LineReader::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t newline = bytes.find('\n');
    std::string_view chunk = bytes.substr(0, newline);
    if (discarding_) {
      if (newline == std::string_view::npos) return;  // still inside the oversized line
      discarding_ = false;
    } else if (buffer_.size() + chunk.size() > max_line_bytes_) {
      buffer_.clear();
      buffer_.shrink_to_fit();  // give the memory back: the cap exists to bound it
      handlers_.on_oversized(max_line_bytes_);
      discarding_ = newline == std::string_view::npos;
    } else if (newline == std::string_view::npos) {
      buffer_.append(chunk);
    } else if (buffer_.empty()) {
      emit(chunk);  // the common case: a whole line in one read, no copy
    } else {
      buffer_.append(chunk);
      std::string line = std::move(buffer_);
      buffer_.clear();
      emit(line);
    }
    if (newline == std::string_view::npos) return;
    bytes.remove_prefix(newline + 1);
  }
}

void LineReader::finish() {
  if (!discarding_ && !buffer_.empty()) {
    std::string line = std::move(buffer_);
    buffer_.clear();
    emit(line);
  }
  discarding_ = false;
}

}  // namespace notion_mcp::mcp
