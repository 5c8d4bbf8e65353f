#include "audit/channel_sink.h"

#include "sandbox/ipc.h"

namespace notion_mcp::audit {

static_assert(kMaxLineBytes == sandbox::ipc::kMaxAuditLength,
              "audit lines must fit the broker's AUDIT message");

namespace {
constexpr int kWaitMs = 200;
}

Sink channel_sink(int channel, const util::Logger& logger) {
  return [channel, &logger](std::string line) {
    sandbox::ipc::Message message{0, sandbox::ipc::Audit{std::move(line)}};
    auto sent = sandbox::ipc::try_send_message(channel, message);
    if (sent.ok() && *sent) return;
    if (sent.ok()) {
      auto waited = sandbox::ipc::send_message(channel, message, -1, kWaitMs);
      if (waited.ok()) return;
      logger.warning("audit: a line was dropped: " + waited.error().message);
      return;
    }
    logger.warning("audit: a line was dropped: " + sent.error().message);
  };
}

}  // namespace notion_mcp::audit
