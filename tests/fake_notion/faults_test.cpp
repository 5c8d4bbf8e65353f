#include "faults.h"

#include <gtest/gtest.h>

namespace notion_mcp::fake_notion {
namespace {

notion::HttpRequest with_auth(std::string value) {
  notion::HttpRequest request;
  request.method = "GET";
  request.path = "/v1/users/me";
  request.headers.emplace_back("authorization", std::move(value));
  return request;
}

TEST(Faults, EveryNthRequestGetsTheFaultWithPrecedence) {
  FaultConfig config;
  config.rate_limit_every = 3;
  config.server_error_every = 2;
  EXPECT_EQ(decide_fault(config, 1).kind, FaultKind::kNone);
  EXPECT_EQ(decide_fault(config, 2).kind, FaultKind::kServerError);
  EXPECT_EQ(decide_fault(config, 3).kind, FaultKind::kRateLimited);
  EXPECT_EQ(decide_fault(config, 6).kind, FaultKind::kRateLimited);  // both hit: 429 wins
  config = {};
  config.truncate_every = 1;
  config.overload_every = 2;
  EXPECT_EQ(decide_fault(config, 1).kind, FaultKind::kTruncate);
  EXPECT_EQ(decide_fault(config, 2).kind, FaultKind::kOverloaded);
}

TEST(Faults, BearerMustMatchTheTokenWhenOneIsSet) {
  EXPECT_TRUE(bearer_accepted(with_auth("Bearer ntn_abc").headers, "ntn_abc"));
  EXPECT_TRUE(bearer_accepted(with_auth("bearer ntn_abc").headers, "ntn_abc"));
  EXPECT_FALSE(bearer_accepted(with_auth("Bearer ntn_abd").headers, "ntn_abc"));
  EXPECT_FALSE(bearer_accepted(with_auth("Bearer ntn_ab").headers, "ntn_abc"));
  EXPECT_FALSE(bearer_accepted(with_auth("Basic ntn_abc").headers, "ntn_abc"));
  EXPECT_FALSE(bearer_accepted({}, "ntn_abc"));
  EXPECT_TRUE(bearer_accepted(with_auth("Bearer anything").headers, ""));
  EXPECT_FALSE(bearer_accepted(with_auth("Bearer ").headers, ""));
  EXPECT_FALSE(bearer_accepted({}, ""));
}

TEST(Faults, PatchAcceptsFlagNamesAndIsAllOrNothing) {
  FaultConfig config;
  config.token = "ntn_secret";
  ASSERT_TRUE(apply_config_patch(
      util::Json{{"rate-limit-every", 3}, {"retry_after", 0}, {"rate_limit_reason", "x"}}, config));
  EXPECT_EQ(config.rate_limit_every, 3);
  EXPECT_EQ(config.retry_after, 0);
  EXPECT_EQ(config.rate_limit_reason, "x");

  auto bad_status =
      apply_config_patch(util::Json{{"slow_ms", 5}, {"server_error_status", 418}}, config);
  ASSERT_FALSE(bad_status);
  EXPECT_NE(bad_status.error().message.find("server_error_status"), std::string::npos);
  EXPECT_EQ(config.slow_ms, 0);  // nothing applied

  auto unknown = apply_config_patch(util::Json{{"rate_limit_evry", 1}}, config);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("rate_limit_evry"), std::string::npos);
  EXPECT_FALSE(apply_config_patch(util::Json{{"unauthorized", 1}}, config));
  EXPECT_FALSE(apply_config_patch(util::Json{{"truncate_every", -1}}, config));
  EXPECT_FALSE(apply_config_patch(util::Json::array(), config));

  ASSERT_TRUE(apply_config_patch(util::Json{{"reset", true}, {"overload_every", 4}}, config));
  EXPECT_EQ(config.rate_limit_every, 0);
  EXPECT_EQ(config.overload_every, 4);
  EXPECT_EQ(config.token, "ntn_secret");  // reset keeps the token
}

TEST(Faults, DescriptionNeverContainsTheToken) {
  FaultConfig config;
  config.token = "ntn_very_secret_value";
  std::string text = util::dump_json(config_to_json(config));
  EXPECT_EQ(text.find("ntn_very_secret_value"), std::string::npos);
  EXPECT_NE(text.find("\"token_required\":true"), std::string::npos);
}

TEST(Faults, InjectorCountsOnlyAuthorisedRequestsAndRestartsOnUpdate) {
  FaultConfig config;
  config.token = "t";
  config.rate_limit_every = 2;
  FaultInjector injector(config);
  EXPECT_EQ(injector.decide(with_auth("Bearer wrong"), true).kind, FaultKind::kUnauthorized);
  EXPECT_EQ(injector.decide(with_auth("Bearer t"), true).kind, FaultKind::kNone);
  EXPECT_EQ(injector.decide(with_auth("Bearer wrong"), false).kind, FaultKind::kRateLimited);
  EXPECT_EQ(injector.decide(with_auth("Bearer t"), true).kind, FaultKind::kNone);
  ASSERT_TRUE(injector.update(util::Json{{"retry_after", 2}}));
  EXPECT_EQ(injector.decide(with_auth("Bearer t"), true).kind, FaultKind::kNone);
  FaultDecision second = injector.decide(with_auth("Bearer t"), true);
  EXPECT_EQ(second.kind, FaultKind::kRateLimited);
  EXPECT_EQ(second.retry_after, 2);
  ASSERT_TRUE(injector.update(util::Json{{"unauthorized", true}}));
  EXPECT_EQ(injector.decide(with_auth("Bearer t"), false).kind, FaultKind::kUnauthorized);
}

}  // namespace
}  // namespace notion_mcp::fake_notion
