#include "util/log.h"

#include <unistd.h>

#include <array>

#include "util/redact.h"

namespace notion_mcp::util {
namespace {
constexpr std::array<std::string_view, 8> kNames = {"debug", "info",     "notice", "warning",
                                                    "error", "critical", "alert",  "emergency"};
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) { return kNames[static_cast<size_t>(level)]; }

void Logger::log(LogLevel level, std::string_view message) const {
  bool to_stderr = level >= stderr_level_;
  bool to_client = client_sink_ && level >= client_level_;
  if (!to_stderr && !to_client) return;
  std::string clean = redact(message);
  if (to_stderr) {
    std::string line = "notion-mcp: ";
    line += log_level_name(level);
    line += ": ";
    line += clean;
    line += '\n';
    // One write per line so concurrent processes' lines do not interleave mid-line.
    (void)!::write(STDERR_FILENO, line.data(), line.size());
  }
  if (to_client) client_sink_(level, clean);
}

}  // namespace notion_mcp::util
