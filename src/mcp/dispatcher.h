// Routes JSON-RPC messages to MCP methods: lifecycle, ping, logging, tools. Tool calls run as
// concurrent coroutines; notifications/cancelled aborts one, and its answer is never sent.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "mcp/jsonrpc.h"
#include "mcp/session.h"
#include "mcp/tool_registry.h"
#include "notion/client.h"
#include "util/cancel.h"
#include "util/event_loop.h"
#include "util/json.h"
#include "util/log.h"

namespace notion_mcp::mcp {

class Dispatcher {
 public:
  using Send = std::function<void(util::Json message)>;

  Dispatcher(util::EventLoop& loop, notion::Client& notion, const ToolRegistry& tools,
             util::Logger& logger, ServerIdentity identity, Send send);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;
  ~Dispatcher();

  // One line of input: parsed, checked and answered (errors included).
  void handle_line(std::string_view line);
  // A line that passed the size cap (already discarded by the framing).
  void handle_oversized(size_t limit);

  // Cancels every call in flight; their answers are dropped. Used on shutdown.
  void cancel_all();
  size_t in_flight() const { return calls_.size(); }
  const Session& session() const { return session_; }

 private:
  struct Call {
    util::CancelSource cancel;
    bool cancelled = false;
  };

  void handle_request(const Message& message);
  void handle_notification(const Message& message);
  void call_tool(const util::Json& id, const util::Json& params);
  util::Task<void> run_tool(util::Json id, std::string key, const tools::Tool* tool,
                            util::Json arguments, util::Json progress_token);
  void set_log_level(const util::Json& id, const util::Json& params);

  util::EventLoop& loop_;
  notion::Client& notion_;
  const ToolRegistry& tools_;
  util::Logger& logger_;
  Session session_;
  Send send_;
  std::map<std::string, Call> calls_;  // key: the request id as JSON text
};

}  // namespace notion_mcp::mcp
