// One audit log line per tool call: when, which client, which tool and kind, the arguments
// (secrets redacted, long content shortened), the objects it named, Notion's request ids, the
// outcome and the duration. Built in the worker; the broker only appends it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "util/json.h"

namespace notion_mcp::audit {

// The longest line the broker accepts (sandbox/ipc.h kMaxAuditLength): lines are shrunk to fit.
inline constexpr size_t kMaxLineBytes = 16384;

struct Target {
  std::string argument;  // "page_id", "parent.page_id"
  std::string id;
  std::string title;  // when known; may be empty
};

struct Record {
  std::chrono::system_clock::time_point time;
  std::string client;    // clientInfo.name
  std::string tool;      // a tool name, or "resources/read"
  std::string kind;      // read | write | destructive
  util::Json arguments;  // as the client sent them; shortened and redacted here
  std::vector<Target> targets;
  std::string result_id;  // the id of what a write created or changed, when it says
  std::vector<std::string> request_ids;
  std::string outcome;  // ok | error | refused | declined | cancelled
  std::string detail;   // an error code or the rule that refused; short
  std::chrono::milliseconds duration{0};
  bool demo = false;
};

// Receives finished lines (no newline): the broker channel, or a file with --sandbox=off.
using Sink = std::function<void(std::string line)>;

// Strings cut to `max_string` characters (noting the original length), arrays to a few items,
// nesting to a few levels, and any member whose name says it is a secret replaced.
util::Json shorten_arguments(const util::Json& arguments, size_t max_string = 200);

// The record as one compact JSON object, redacted, at most kMaxLineBytes.
std::string format_line(const Record& record);

// RFC 3339 UTC with milliseconds: 2026-02-20T10:44:01.123Z.
std::string format_time(std::chrono::system_clock::time_point time);

}  // namespace notion_mcp::audit
