#include "stats.h"

#include <gtest/gtest.h>

namespace notion_mcp::fake_notion {
namespace {

TEST(Stats, PathPrefixKeepsTwoSegmentsWithoutQuery) {
  EXPECT_EQ(path_prefix("/v1/pages/abc/markdown?x=1"), "/v1/pages");
  EXPECT_EQ(path_prefix("/v1/users?page_size=2"), "/v1/users");
  EXPECT_EQ(path_prefix("/v1/search"), "/v1/search");
  EXPECT_EQ(path_prefix("/"), "/");
}

TEST(Stats, CountsStatusesFaultsAndConcurrency) {
  Stats stats;
  stats.connection_opened();
  stats.connection_opened();
  stats.connection_closed();
  stats.request_finished("/v1/users/me", 200, FaultKind::kNone);
  stats.request_finished("/v1/search", 429, FaultKind::kRateLimited);
  stats.reply_abandoned();
  util::Json json = stats.to_json();
  EXPECT_EQ(json["abandoned_replies"], 1);
  EXPECT_EQ(json["total_requests"], 2);
  EXPECT_EQ(json["by_status"]["429"], 1);
  EXPECT_EQ(json["by_prefix"]["/v1/users"], 1);
  EXPECT_EQ(json["rate_limited"], 1);
  EXPECT_EQ(json["max_concurrent_connections"], 2);
  stats.reset();
  json = stats.to_json();
  EXPECT_EQ(json["total_requests"], 0);
  EXPECT_EQ(json["abandoned_replies"], 0);
  EXPECT_EQ(json["max_concurrent_connections"], 1);  // the one still open
}

}  // namespace
}  // namespace notion_mcp::fake_notion
