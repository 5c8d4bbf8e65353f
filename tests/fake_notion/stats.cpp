#include "stats.h"

#include <algorithm>

namespace notion_mcp::fake_notion {

std::string path_prefix(std::string_view path) {
  path = path.substr(0, path.find('?'));
  size_t end = 0;
  for (int segment = 0; segment < 2; ++segment) {
    size_t slash = path.find('/', end + 1);
    if (slash == std::string_view::npos) return std::string(path);
    end = slash;
  }
  return std::string(path.substr(0, end));
}

void Stats::connection_opened() {
  std::lock_guard lock(mutex_);
  ++connections_;
  ++connections_total_;
  max_connections_ = std::max(max_connections_, connections_);
}

void Stats::connection_closed() {
  std::lock_guard lock(mutex_);
  --connections_;
}

void Stats::reply_abandoned() {
  std::lock_guard lock(mutex_);
  ++abandoned_replies_;
}

void Stats::request_finished(std::string_view path, int status, FaultKind fault) {
  std::string prefix = path_prefix(path);
  std::lock_guard lock(mutex_);
  ++total_requests_;
  ++by_status_[status];
  ++by_prefix_[prefix];
  switch (fault) {
    case FaultKind::kRateLimited:
      ++rate_limited_;
      break;
    case FaultKind::kOverloaded:
      ++overloaded_;
      break;
    case FaultKind::kServerError:
      ++server_errors_;
      break;
    case FaultKind::kTruncate:
      ++truncated_;
      break;
    case FaultKind::kUnauthorized:
      ++unauthorized_;
      break;
    case FaultKind::kNone:
      break;
  }
}

util::Json Stats::to_json() const {
  std::lock_guard lock(mutex_);
  util::Json statuses = util::Json::object();
  for (const auto& [status, count] : by_status_) statuses[std::to_string(status)] = count;
  util::Json prefixes = util::Json::object();
  for (const auto& [prefix, count] : by_prefix_) prefixes[prefix] = count;
  return {{"total_requests", total_requests_},
          {"by_status", statuses},
          {"by_prefix", prefixes},
          {"rate_limited", rate_limited_},
          {"overloaded", overloaded_},
          {"server_errors", server_errors_},
          {"truncated", truncated_},
          {"unauthorized", unauthorized_},
          {"connections", connections_},
          {"max_concurrent_connections", max_connections_},
          {"connections_total", connections_total_},
          {"abandoned_replies", abandoned_replies_}};
}

void Stats::reset() {
  std::lock_guard lock(mutex_);
  total_requests_ = 0;
  by_status_.clear();
  by_prefix_.clear();
  rate_limited_ = overloaded_ = server_errors_ = truncated_ = unauthorized_ = 0;
  connections_total_ = 0;
  abandoned_replies_ = 0;
  max_connections_ = connections_;
}

}  // namespace notion_mcp::fake_notion
