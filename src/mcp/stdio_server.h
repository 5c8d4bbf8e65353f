// MCP's stdio transport on the event loop: reads stdin without blocking the loop, writes
// stdout through a queue, and shuts down promptly on EOF, SIGTERM or SIGINT.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "mcp/dispatcher.h"
#include "mcp/framing.h"
#include "util/event_loop.h"
#include "util/log.h"

namespace notion_mcp::mcp {

struct StdioOptions {
  int input_fd = 0;
  int output_fd = 1;
  size_t max_message_bytes = 4 * 1024 * 1024;
  // At end of input, calls already running may still finish and be answered for this long
  // (so `printf ... | notion-mcp` works); then they are cancelled. Both limits together stay
  // well inside the 100 ms exit bar, with room for a loaded machine.
  std::chrono::milliseconds finish_limit{15};
  // On shutdown, how long to let cancelled calls unwind and queued output drain.
  std::chrono::milliseconds drain_limit{20};
};

class StdioServer {
 public:
  StdioServer(util::EventLoop& loop, util::Logger& logger, StdioOptions options);
  StdioServer(const StdioServer&) = delete;
  StdioServer& operator=(const StdioServer&) = delete;
  ~StdioServer();

  // Sends one message: a line of JSON text from the dispatcher (which redacted it), without
  // its newline. When nothing is queued, the line itself becomes the queue (no copy).
  void send(std::string line);

  // Serves `dispatcher` until EOF or a termination signal. Returns the process exit status.
  int serve(Dispatcher& dispatcher);

 private:
  void flush();
  void begin_shutdown(Dispatcher& dispatcher, const char* why, bool let_calls_finish);

  util::EventLoop& loop_;
  util::Logger& logger_;
  StdioOptions options_;
  std::string output_;
  size_t output_offset_ = 0;
  bool output_broken_ = false;
  bool shutting_down_ = false;
  int signal_fd_ = -1;
  int saved_output_flags_ = -1;
};

}  // namespace notion_mcp::mcp
