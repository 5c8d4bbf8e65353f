// `notion-mcp audit`: reads the audit log (and its rotated predecessor) and prints what was read,
// written and destroyed, for the periodic review a person does of what the assistant did.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace notion_mcp::audit {

struct SummaryOptions {
  std::optional<std::chrono::system_clock::time_point> since;  // older lines are skipped
  bool writes_only = false;  // only the changes (writes and destructive calls)
};

// "90s", "30m", "24h", "7d", "2w".
util::Result<std::chrono::seconds> parse_duration(std::string_view text);

// The time of an audit line ("2026-02-20T10:44:01.123Z"); nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_time(std::string_view text);

// The summary of `lines` (oldest first), in plain text. `source` names the log in the heading.
std::string summarize(const std::vector<std::string>& lines, const SummaryOptions& options,
                      std::string_view source);

}  // namespace notion_mcp::audit
