// The worker's end of the audit log: each line goes to the broker as an AUDIT message. The
// worker cannot open files; the broker appends the line to the log it opened before its jail.
#pragma once

#include "audit/record.h"
#include "util/log.h"

namespace notion_mcp::audit {

// Sends without blocking when the channel has room; otherwise waits briefly, then drops the
// line with a warning (a stuck broker must not stall tool calls).
Sink channel_sink(int channel, const util::Logger& logger);

}  // namespace notion_mcp::audit
