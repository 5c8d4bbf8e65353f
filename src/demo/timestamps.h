// ISO 8601 times as Notion writes them ("2026-03-11T09:30:00.000Z") and reads them (dates,
// date-times with offsets), converted to and from Unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace notion_mcp::demo {

// "2026-03-11T09:30:00.000Z" for `unix_seconds` (UTC).
std::string format_timestamp(int64_t unix_seconds);

// Unix seconds at midnight UTC of a calendar date.
int64_t days_from_civil(int year, unsigned month, unsigned day);

struct ParsedTime {
  int64_t unix_seconds = 0;
  bool date_only = false;  // "2026-03-11" without a time of day
};

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with optional "Z" or "+HH:MM"/"-HH:MM".
// A time without a zone is taken as UTC. nullopt when the text is not such a time.
std::optional<ParsedTime> parse_timestamp(std::string_view text);

}  // namespace notion_mcp::demo
