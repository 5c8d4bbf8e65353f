// Traffic counters for the fake Notion, served as JSON by GET /__fake/stats so tests can check
// what the client really sent (how many requests, which statuses, how much concurrency).
// Control requests (/__fake/...) are not counted.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "faults.h"
#include "util/json.h"

namespace notion_mcp::fake_notion {

// The first two path segments without the query: "/v1/pages/abc?x=1" → "/v1/pages".
std::string path_prefix(std::string_view path);

class Stats {
 public:
  void connection_opened();
  void connection_closed();
  // A delayed reply whose client hung up before it was written.
  void reply_abandoned();

  // `fault` is what the fake injected (kNone for a normal answer).
  void request_finished(std::string_view path, int status, FaultKind fault);

  util::Json to_json() const;

  // Zeroes the counters; the maxima restart from the current concurrency.
  void reset();

 private:
  mutable std::mutex mutex_;
  uint64_t total_requests_ = 0;
  std::map<int, uint64_t> by_status_;
  std::map<std::string, uint64_t, std::less<>> by_prefix_;
  uint64_t rate_limited_ = 0;
  uint64_t overloaded_ = 0;
  uint64_t server_errors_ = 0;
  uint64_t truncated_ = 0;
  uint64_t unauthorized_ = 0;
  int connections_ = 0;
  int max_connections_ = 0;
  uint64_t connections_total_ = 0;
  uint64_t abandoned_replies_ = 0;
};

}  // namespace notion_mcp::fake_notion
