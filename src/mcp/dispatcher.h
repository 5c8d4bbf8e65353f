// Routes JSON-RPC messages to MCP methods: lifecycle, ping, logging, tools, resources. Tool calls
// run as concurrent coroutines; notifications/cancelled aborts one, and its answer is never sent.
// Each call passes the policy (tool rules, scope, confirmation by elicitation) before it runs,
// and leaves one audit record. Requests this server sends to the client (elicitation/create)
// carry their own ids; the client's answers are routed back to the waiting call.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/record.h"
#include "mcp/jsonrpc.h"
#include "mcp/session.h"
#include "mcp/tool_registry.h"
#include "notion/client.h"
#include "policy/guard.h"
#include "util/cancel.h"
#include "util/event_loop.h"
#include "util/json.h"
#include "util/log.h"
#include "util/result.h"

namespace notion_mcp::mcp {

struct DispatcherOptions {
  // The policy every call passes; null: every tool in the registry, no scope, no confirmation.
  policy::Guard* guard = nullptr;
  // Where audit lines go; empty: no audit log.
  audit::Sink audit;
  // How long a confirmation question may wait for the person.
  std::chrono::milliseconds confirm_timeout{std::chrono::minutes(5)};
  // upload_file: the --upload-root directories and how a file is read (see tools::ToolContext).
  std::vector<std::string> upload_roots;
  std::function<util::Result<std::string>(const std::string& path)> read_upload;
};

class Dispatcher {
 public:
  // Receives each outgoing message as one line of JSON text (no newline), already redacted:
  // every message leaves through this class, so secrets are removed in one place.
  using Send = std::function<void(std::string line)>;

  Dispatcher(util::EventLoop& loop, notion::Client& notion, const ToolRegistry& tools,
             util::Logger& logger, ServerIdentity identity, Send send,
             DispatcherOptions options = {});
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
  // Requests sent to the client that still wait for an answer.
  size_t awaiting_client() const { return outgoing_.size(); }
  const Session& session() const { return session_; }

  // Sends `method` to the client and waits for its answer: the result, an error from the client
  // (code "client_error"), "timeout" after `timeout`, or "cancelled". On timeout or
  // cancellation the client is told with notifications/cancelled.
  util::Task<util::Result<util::Json>> request_client(std::string method, util::Json params,
                                                      std::chrono::milliseconds timeout,
                                                      util::CancelToken cancel);

 private:
  struct Call {
    util::CancelSource cancel;
    bool cancelled = false;
  };
  struct Outgoing {
    util::Json id;
    std::function<void(util::Result<util::Json>)> complete;
    util::EventLoop::TimerId timer = 0;
  };
  // The policy's verdict on asking the person.
  struct Confirmation {
    bool approved = false;
    std::string outcome;  // for the audit log: refused | declined | cancelled
    std::string detail;
    std::string message;  // the refusal for the model
  };

  // Redacts and serializes `message`, then sends it.
  void send(util::Json message);
  void send_tools_list(const util::Json& id, const util::Json& params);
  void handle_request(const Message& message);
  void handle_notification(const Message& message);
  void handle_response(const util::Json& id, const util::Json& message);
  void call_tool(const util::Json& id, const util::Json& params);
  util::Task<void> run_tool(util::Json id, std::string key, const tools::Tool* tool,
                            util::Json arguments, util::Json progress_token);
  util::Task<Confirmation> confirm(const tools::Tool& tool, const util::Json& arguments,
                                   notion::Client& client, util::CancelToken cancel);
  void read_resource(const util::Json& id, const util::Json& params);
  util::Task<void> run_resource_read(util::Json id, std::string key, std::string uri,
                                     std::string page_id);
  void set_log_level(const util::Json& id, const util::Json& params);
  void finish_outgoing(const std::string& key, util::Result<util::Json> value,
                       std::string_view tell_client);
  void write_audit(audit::Record record);
  std::vector<audit::Target> audit_targets(const util::Json& arguments) const;

  util::EventLoop& loop_;
  notion::Client& notion_;
  const ToolRegistry& tools_;
  util::Logger& logger_;
  Session session_;
  Send send_;
  DispatcherOptions options_;
  std::map<std::string, Call> calls_;         // key: the request id as JSON text
  std::map<std::string, Outgoing> outgoing_;  // key: our request id as JSON text
  int64_t next_outgoing_id_ = 1;
};

}  // namespace notion_mcp::mcp
