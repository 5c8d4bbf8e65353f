// Framing for MCP's stdio transport: one JSON-RPC message per line. Lines longer than the cap
// are discarded (the stream resynchronises at the next newline) and reported once.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace notion_mcp::mcp {

class LineReader {
 public:
  struct Handlers {
    std::function<void(std::string_view line)> on_line;
    // Called once per oversized line, as soon as it passes the cap.
    std::function<void(size_t limit)> on_oversized;
  };

  LineReader(size_t max_line_bytes, Handlers handlers)
      : max_line_bytes_(max_line_bytes), handlers_(std::move(handlers)) {}

  // Feeds bytes as they arrive; calls the handlers for each complete line.
  void feed(std::string_view bytes);
  // End of input: a final line without a newline still counts.
  void finish();

  size_t buffered() const { return buffer_.size(); }

 private:
  void emit(std::string_view line);
  size_t max_line_bytes_;
  Handlers handlers_;
  std::string buffer_;
  bool discarding_ = false;
};

}  // namespace notion_mcp::mcp
