#include "audit/channel_sink.h"

#include <memory>

#include "sandbox/ipc.h"

namespace notion_mcp::audit {

static_assert(kMaxLineBytes == sandbox::ipc::kMaxAuditLength,
              "audit lines must fit the broker's AUDIT message");

namespace {
constexpr int kWaitMs = 200;

// Sends one line: at once when the channel has room, else after waiting briefly for it.
util::Result<void> send_line(int channel, std::string line) {
  sandbox::ipc::Message message{0, sandbox::ipc::Audit{std::move(line)}};
  auto sent = sandbox::ipc::try_send_message(channel, message);
  if (!sent.ok()) return sent.error();
  if (*sent) return {};
  return sandbox::ipc::send_message(channel, message, -1, kWaitMs);
}
}  // namespace

std::string lost_lines_line(std::chrono::system_clock::time_point time, size_t count) {
  util::Json gap{{"time", format_time(time)}, {"lost_lines", count}};
  return util::dump_json(gap);
}

Sink channel_sink(int channel, const util::Logger& logger) {
  // Lines dropped since the broker last took one: this sink's own state, not a global.
  auto dropped = std::make_shared<size_t>(0);
  return [channel, &logger, dropped](std::string line) {
    if (*dropped > 0 &&
        send_line(channel, lost_lines_line(std::chrono::system_clock::now(), *dropped)).ok()) {
      *dropped = 0;  // the log now says how many lines it misses, where they went missing
    }
    auto sent = send_line(channel, std::move(line));
    if (sent.ok()) return;
    ++*dropped;
    logger.warning("audit: a line was dropped (" + std::to_string(*dropped) +
                   " since the log last took one): " + sent.error().message +
                   ". The audit log is incomplete; the gap is noted in it once the log keeps up "
                   "again.");
  };
}

}  // namespace notion_mcp::audit
