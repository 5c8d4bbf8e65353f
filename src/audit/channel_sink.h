// The worker's end of the audit log: each line goes to the broker as an AUDIT message. The
// worker cannot open files; the broker appends the line to the log it opened before its jail.
#pragma once

#include <chrono>
#include <string>

#include "audit/record.h"
#include "util/log.h"

namespace notion_mcp::audit {

// Sends without blocking when the channel has room; otherwise waits briefly, then drops the
// line with a warning that counts the drops (a stuck broker must not stall tool calls). The
// next line that gets through is preceded by a lost_lines_line, so the log shows its gap.
Sink channel_sink(int channel, const util::Logger& logger);

// {"time": ..., "lost_lines": count}: how `audit` learns that lines are missing.
std::string lost_lines_line(std::chrono::system_clock::time_point time, size_t count);

}  // namespace notion_mcp::audit
