#include "faults.h"

#include <openssl/crypto.h>
#include <strings.h>

#include <algorithm>
#include <utility>

namespace notion_mcp::fake_notion {
namespace {

constexpr int kMaxEvery = 1'000'000;
constexpr int kMaxRetryAfter = 3600;
constexpr int kMaxSlowMs = 120'000;  // bounded so a misconfigured test still ends

constexpr const char* kKnownSettings =
    "reset, token, unauthorized, rate_limit_every, retry_after, rate_limit_reason, "
    "overload_every, server_error_every, server_error_status, retry_guidance, truncate_every, "
    "slow_ms";

util::Error config_error(std::string message) {
  return util::make_error("invalid_config", std::move(message),
                          std::string("Known settings: ") + kKnownSettings + ".");
}

util::Result<void> read_int(const util::Json& value, const std::string& name, int& out) {
  if (!value.is_number_integer()) return config_error("'" + name + "' must be an integer.");
  auto number = value.get<int64_t>();
  if (number < 0 || number > kMaxEvery) {
    return config_error("'" + name + "' must be between 0 and " + std::to_string(kMaxEvery) + ".");
  }
  out = static_cast<int>(number);
  return {};
}

util::Result<void> read_bool(const util::Json& value, const std::string& name, bool& out) {
  if (!value.is_boolean()) return config_error("'" + name + "' must be true or false.");
  out = value.get<bool>();
  return {};
}

util::Result<void> read_string(const util::Json& value, const std::string& name, std::string& out) {
  if (value.is_null()) {
    out.clear();
    return {};
  }
  if (!value.is_string()) return config_error("'" + name + "' must be a string or null.");
  out = value.get<std::string>();
  return {};
}

}  // namespace

util::Result<void> validate_config(const FaultConfig& c) {
  for (int every : {c.rate_limit_every, c.overload_every, c.server_error_every, c.truncate_every}) {
    if (every < 0 || every > kMaxEvery) {
      return config_error("Fault counters must be between 0 (off) and " +
                          std::to_string(kMaxEvery) + ".");
    }
  }
  if (c.retry_after < 0 || c.retry_after > kMaxRetryAfter) {
    return config_error("retry_after must be between 0 and " + std::to_string(kMaxRetryAfter) +
                        " seconds.");
  }
  if (c.slow_ms < 0 || c.slow_ms > kMaxSlowMs) {
    return config_error("slow_ms must be between 0 and " + std::to_string(kMaxSlowMs) + ".");
  }
  if (c.server_error_status != 500 && c.server_error_status != 502 &&
      c.server_error_status != 503 && c.server_error_status != 504) {
    return config_error("server_error_status must be 500, 502, 503 or 504.");
  }
  return {};
}

util::Result<void> apply_config_patch(const util::Json& patch, FaultConfig& config) {
  if (!patch.is_object()) return config_error("The configuration must be a JSON object.");
  FaultConfig next = config;
  if (const util::Json* reset = util::member(patch, "reset")) {
    if (!reset->is_boolean()) return config_error("'reset' must be true or false.");
    if (reset->get<bool>()) {
      next = FaultConfig{};
      next.token = config.token;
    }
  }
  for (const auto& [raw_name, value] : patch.items()) {
    std::string name = raw_name;
    std::replace(name.begin(), name.end(), '-', '_');
    util::Result<void> status;
    if (name == "reset") {
      continue;
    } else if (name == "token") {
      status = read_string(value, name, next.token);
    } else if (name == "unauthorized") {
      status = read_bool(value, name, next.unauthorized);
    } else if (name == "rate_limit_every") {
      status = read_int(value, name, next.rate_limit_every);
    } else if (name == "retry_after") {
      status = read_int(value, name, next.retry_after);
    } else if (name == "rate_limit_reason") {
      status = read_string(value, name, next.rate_limit_reason);
    } else if (name == "overload_every") {
      status = read_int(value, name, next.overload_every);
    } else if (name == "server_error_every") {
      status = read_int(value, name, next.server_error_every);
    } else if (name == "server_error_status") {
      status = read_int(value, name, next.server_error_status);
    } else if (name == "retry_guidance") {
      status = read_bool(value, name, next.retry_guidance);
    } else if (name == "truncate_every") {
      status = read_int(value, name, next.truncate_every);
    } else if (name == "slow_ms") {
      status = read_int(value, name, next.slow_ms);
    } else {
      return config_error("Unknown setting '" + raw_name + "'.");
    }
    if (!status) return status;
  }
  if (auto valid = validate_config(next); !valid) return valid;
  config = std::move(next);
  return {};
}

util::Json config_to_json(const FaultConfig& c) {
  return {{"token_required", !c.token.empty()},
          {"unauthorized", c.unauthorized},
          {"rate_limit_every", c.rate_limit_every},
          {"retry_after", c.retry_after},
          {"rate_limit_reason", c.rate_limit_reason},
          {"overload_every", c.overload_every},
          {"server_error_every", c.server_error_every},
          {"server_error_status", c.server_error_status},
          {"retry_guidance", c.retry_guidance},
          {"truncate_every", c.truncate_every},
          {"slow_ms", c.slow_ms}};
}

bool bearer_accepted(const notion::Headers& headers, const std::string& token) {
  std::string_view value = notion::find_header(headers, "Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size() ||
      ::strncasecmp(value.data(), kScheme.data(), kScheme.size()) != 0) {
    return false;
  }
  std::string_view presented = value.substr(kScheme.size());
  if (token.empty()) return true;
  return presented.size() == token.size() &&
         CRYPTO_memcmp(presented.data(), token.data(), token.size()) == 0;
}

FaultDecision decide_fault(const FaultConfig& c, uint64_t sequence) {
  FaultDecision decision;
  decision.slow_ms = c.slow_ms;
  decision.retry_after = c.retry_after;
  decision.rate_limit_reason = c.rate_limit_reason;
  decision.server_error_status = c.server_error_status;
  decision.retry_guidance = c.retry_guidance;
  auto hits = [sequence](int every) {
    return every > 0 && sequence % static_cast<uint64_t>(every) == 0;
  };
  if (hits(c.rate_limit_every)) {
    decision.kind = FaultKind::kRateLimited;
  } else if (hits(c.overload_every)) {
    decision.kind = FaultKind::kOverloaded;
  } else if (hits(c.server_error_every)) {
    decision.kind = FaultKind::kServerError;
  } else if (hits(c.truncate_every)) {
    decision.kind = FaultKind::kTruncate;
  }
  return decision;
}

FaultDecision FaultInjector::decide(const notion::HttpRequest& request, bool check_bearer) {
  std::lock_guard lock(mutex_);
  if (config_.unauthorized || (check_bearer && !bearer_accepted(request.headers, config_.token))) {
    FaultDecision decision;
    decision.kind = FaultKind::kUnauthorized;
    decision.slow_ms = config_.slow_ms;
    return decision;
  }
  return decide_fault(config_, ++sequence_);
}

util::Result<util::Json> FaultInjector::update(const util::Json& patch) {
  std::lock_guard lock(mutex_);
  if (auto applied = apply_config_patch(patch, config_); !applied) return applied.error();
  sequence_ = 0;
  return config_to_json(config_);
}

util::Json FaultInjector::describe() const {
  std::lock_guard lock(mutex_);
  return config_to_json(config_);
}

}  // namespace notion_mcp::fake_notion
