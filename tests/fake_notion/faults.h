// Fault injection for the fake Notion: which faults are switched on (from flags, or changed at
// run time through POST /__fake/config) and, per /v1/ request, which fault to answer with.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "notion/http.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::fake_notion {

// Names match the command-line flags ("rate-limit-every" ⇔ rate_limit_every). A counter of 0
// switches that fault off. "Every Nth" counts authorised /v1/ requests since start or since
// the last configuration change.
struct FaultConfig {
  std::string token;  // required bearer; empty accepts any non-empty bearer
  bool unauthorized = false;
  int rate_limit_every = 0;
  int retry_after = 1;            // seconds, for 429 and 529
  std::string rate_limit_reason;  // additional_data.rate_limit_reason when not empty
  int overload_every = 0;
  int server_error_every = 0;
  int server_error_status = 500;  // 500, 502, 503 or 504
  bool retry_guidance = false;    // 503 on writes: perform the write, then say so
  int truncate_every = 0;
  int slow_ms = 0;
};

// Checks ranges (counters >= 0, a known 5xx status, bounded delays).
util::Result<void> validate_config(const FaultConfig& config);

// Applies a JSON object of settings to `config`, all or nothing. "reset": true first restores
// every fault to off (the token stays). Unknown names and wrong types are errors.
util::Result<void> apply_config_patch(const util::Json& patch, FaultConfig& config);

// The settings as JSON; the token itself is never included, only "token_required".
util::Json config_to_json(const FaultConfig& config);

// True when `headers` carry "Authorization: Bearer X" with a non-empty X that equals `token`
// (any X when `token` is empty). Compared in constant time.
bool bearer_accepted(const notion::Headers& headers, const std::string& token);

enum class FaultKind { kNone, kUnauthorized, kRateLimited, kOverloaded, kServerError, kTruncate };

struct FaultDecision {
  FaultKind kind = FaultKind::kNone;
  int slow_ms = 0;
  int retry_after = 1;
  std::string rate_limit_reason;
  int server_error_status = 500;
  bool retry_guidance = false;
};

// The fault for the `sequence`-th (1-based) authorised request. Precedence when several counters
// hit the same request: rate limit, overload, server error, truncation.
FaultDecision decide_fault(const FaultConfig& config, uint64_t sequence);

// Thread-safe holder of the live configuration and the request counter.
class FaultInjector {
 public:
  explicit FaultInjector(FaultConfig initial) : config_(std::move(initial)) {}

  // Decides for one /v1/ request: 401 when unauthorised (the bearer is checked when
  // `check_bearer`), otherwise the counters' verdict.
  FaultDecision decide(const notion::HttpRequest& request, bool check_bearer);

  // Applies a settings patch, restarts the "every Nth" counting, returns the new settings.
  util::Result<util::Json> update(const util::Json& patch);

  util::Json describe() const;

 private:
  mutable std::mutex mutex_;
  FaultConfig config_;
  uint64_t sequence_ = 0;
};

}  // namespace notion_mcp::fake_notion
