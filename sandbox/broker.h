// The broker's side of the channel: a small blocking loop that treats the worker as hostile.
// It answers CONNECT with a socket connected to the one allowed endpoint (resolved here, never
// in the worker), hands TOKEN, TOKEN_REJECTED, OPEN_UPLOAD and AUDIT to the caller's handlers,
// forwards
// SIGTERM/SIGINT/SIGHUP to the worker, and ends when the worker ends, with its exit status.
// A malformed message ends the worker.
#pragma once

#include <signal.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox/ipc.h"
#include "sandbox/spawn.h"
#include "sandbox/unique_fd.h"
#include "util/log.h"
#include "util/result.h"

namespace notion_mcp::sandbox {

struct Endpoint {
  std::string host;  // "api.notion.com", or a loopback address in tests
  uint16_t port = 443;
};

struct BrokerHandlers {
  // The current access token; an error becomes a FailureCode::unauthorized answer.
  std::function<util::Result<ipc::TokenGrant>()> token;
  // Notion refused token `generation`: refresh once (unless another refresh already replaced
  // it) and answer with the new token or an error.
  std::function<util::Result<ipc::TokenGrant>(uint32_t generation)> token_rejected;
  // A read-only descriptor for an upload path (the handler checks it against --upload-root);
  // an error with code "refused" becomes FailureCode::refused, any other FailureCode::internal.
  // Without a handler, uploads are refused.
  std::function<util::Result<UniqueFd>(const std::string& path)> open_upload;
  // One validated audit JSON line (no newline) to append to the log.
  std::function<void(std::string_view line)> audit;
  // The worker's jail is in place; `layers` as in active_layer_bits().
  std::function<void(uint32_t layers)> ready;
};

struct BrokerOptions {
  Endpoint endpoint;
  int connect_timeout_ms = 10000;
  int reply_timeout_ms = 5000;  // a worker that does not take its answer is stuck: stopped
  int stop_grace_ms = 3000;     // after SIGTERM or end of file, before SIGKILL
  int max_runtime_ms = -1;      // kill the worker after this long (sandbox-check); -1: never
  const util::Logger* logger = nullptr;
};

// SIGTERM, SIGINT and SIGHUP: what stops the broker (and, forwarded, the worker).
sigset_t stop_signal_set();

// Blocks SIGTERM, SIGINT and SIGHUP, which run_broker reads from a signalfd and forwards. Call
// it before spawn_worker (the worker unblocks them): a signal that arrives while the broker is
// still starting then waits for it instead of killing it, across an exec too.
void block_stop_signals();

// Whether a CONNECT asks for exactly the allowed endpoint (host compared case-insensitively).
bool endpoint_allowed(const ipc::Connect& request, const Endpoint& endpoint);

// Resolves `endpoint` (getaddrinfo) and connects to the first address that answers within
// `timeout_ms`; the socket is blocking and close-on-exec.
util::Result<UniqueFd> connect_endpoint(const Endpoint& endpoint, int timeout_ms);

// The answer to one request: a reply (none for READY and AUDIT) and the descriptor to pass.
struct Answer {
  std::optional<ipc::Message> reply;
  UniqueFd descriptor;
};
Answer handle_request(const ipc::Message& request, const BrokerOptions& options,
                      const BrokerHandlers& handlers);

struct BrokerOutcome {
  int exit_code = 0;    // what the broker should exit with: the worker's own status
  int wait_status = 0;  // the worker's raw wait status
  std::string reason;   // a sentence for stderr when the worker did not end normally
};

// Serves `worker` until it has exited and been reaped.
BrokerOutcome run_broker(WorkerProcess& worker, const BrokerOptions& options,
                         const BrokerHandlers& handlers);

// Exit status when the worker broke the protocol and was stopped.
inline constexpr int kExitProtocolViolation = 70;

// The worker's side of one request: sends `request` and waits for the answer with its id.
util::Result<ipc::Received> call_broker(int channel, const ipc::Message& request, int timeout_ms);

}  // namespace notion_mcp::sandbox
