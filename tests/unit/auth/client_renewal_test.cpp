// The Notion client's 401 hook, end to end over TLS: a refused token is renewed once through
// ClientOptions::token_rejected and the call repeated; a second refusal fails with the reason.
#include <gtest/gtest.h>
#include <sodium.h>

#include "auth/oauth_client.h"
#include "auth/pkce.h"
#include "notion/client.h"
#include "notion/curl_transport.h"
#include "unit/auth/auth_test_support.h"

namespace notion_mcp::auth {
namespace {

using testing::FakeNotion;

util::Task<void> store_json(util::Task<util::Result<util::Json>> task,
                            std::optional<util::Result<util::Json>>* out) {
  out->emplace(co_await std::move(task));
}

class AuthClientRenewal : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    std::string error;
    fake_ = FakeNotion::start(&error);
    if (!fake_) GTEST_SKIP() << error;
    ASSERT_FALSE(fake_->oauth({{"seed_refresh_token", std::string(kRefresh)}}).is_null());
    auto endpoint = fake_->endpoint();
    auto blocking = BlockingNotion::create(endpoint);
    ASSERT_TRUE(blocking);
    oauth_ = std::move(blocking).value();
    ClientCredentials client{"fake-oauth-client-id",
                             util::Secret("secret_fakeOAuthClientSecret0123456789abcdefghij")};
    refresh_ = [this, client]() -> util::Result<util::Secret> {
      auto tokens = oauth_->refresh(client, refresh_token_);
      if (!tokens) return tokens.error();
      refresh_token_ = tokens->refresh_token;
      return tokens->access_token;
    };
    auto first = refresh_();
    ASSERT_TRUE(first) << first.error().message;
    token_ = *first;
    notion::CurlTransportOptions options;
    options.base_url = endpoint.base_url;
    options.ca_pem = endpoint.ca_pem;
    auto transport = notion::CurlTransport::create(loop_, options);
    ASSERT_TRUE(transport);
    transport_ = std::move(transport).value();
  }

  util::Result<util::Json> get_self(notion::ClientOptions options) {
    notion::Client client(
        loop_, *transport_, [this] { return util::Result<util::Secret>(token_); }, options);
    std::optional<util::Result<util::Json>> out;
    EXPECT_TRUE(util::run_to_completion(loop_, store_json(client.get("/v1/users/me", {}), &out)));
    if (!out) return util::make_error("test", "no result");
    return std::move(*out);
  }

  static constexpr std::string_view kRefresh = "nrt_authRenewalSeed0123456789abcdefghijklmn";
  std::unique_ptr<FakeNotion> fake_;
  std::unique_ptr<BlockingNotion> oauth_;
  util::Secret refresh_token_{kRefresh};
  util::Secret token_;
  std::function<util::Result<util::Secret>()> refresh_;
  util::EventLoop loop_;
  std::unique_ptr<notion::CurlTransport> transport_;
};

TEST_F(AuthClientRenewal, ARefusedTokenIsRenewedOnceAndTheCallRepeated) {
  ASSERT_TRUE(get_self({}));
  ASSERT_FALSE(fake_->oauth({{"expire_access_tokens", true}}).is_null());
  int renewals = 0;
  notion::ClientOptions options;
  options.token_rejected = [&](const util::Secret& rejected) -> util::Result<util::Secret> {
    ++renewals;
    EXPECT_TRUE(rejected == token_);
    auto fresh = refresh_();
    if (fresh) token_ = *fresh;
    return fresh;
  };
  auto answer = get_self(options);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(renewals, 1);
}

TEST_F(AuthClientRenewal, WithoutRenewalOrWhenItFailsTheCallFailsWithTheReason) {
  ASSERT_FALSE(fake_->oauth({{"expire_access_tokens", true}}).is_null());
  auto plain = get_self({});
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, "unauthorized");

  int renewals = 0;
  notion::ClientOptions options;
  options.token_rejected = [&](const util::Secret&) -> util::Result<util::Secret> {
    ++renewals;
    return util::make_error("invalid_grant", "Notion no longer accepts the saved login.",
                            "Run `notion-mcp login` again. Nothing was deleted.");
  };
  auto failed = get_self(options);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "unauthorized");
  EXPECT_NE(failed.error().message.find("no longer accepts"), std::string::npos);
  EXPECT_NE(failed.error().hint.find("notion-mcp login"), std::string::npos);
  EXPECT_EQ(renewals, 1);

  // A renewed token that is refused too is not renewed again.
  renewals = 0;
  options.token_rejected = [&](const util::Secret&) -> util::Result<util::Secret> {
    ++renewals;
    return token_;  // the same, still refused
  };
  EXPECT_FALSE(get_self(options));
  EXPECT_EQ(renewals, 1);
}

}  // namespace
}  // namespace notion_mcp::auth
