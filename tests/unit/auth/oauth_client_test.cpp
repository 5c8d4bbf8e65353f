// The OAuth client against the TLS fake: the authorize redirect, the code exchange with its
// redirect_uri and PKCE checks, rotating refresh tokens, revoke, and both error shapes. No
// error ever carries a secret.
#include "auth/oauth_client.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "auth/callback_request.h"
#include "auth/pkce.h"
#include "unit/auth/auth_test_support.h"

namespace notion_mcp::auth {
namespace {

using testing::FakeNotion;
using testing::kClientId;
using testing::kClientSecret;

constexpr std::string_view kRedirect = "http://127.0.0.1:8787/callback";

bool mentions(const util::Error& error, std::string_view secret) {
  return error.message.find(secret) != std::string::npos ||
         error.hint.find(secret) != std::string::npos;
}

class AuthOAuthClient : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    std::string error;
    fake_ = FakeNotion::start(&error);
    if (!fake_) GTEST_SKIP() << error;
    ASSERT_FALSE(
        fake_->oauth({{"client_id", kClientId}, {"client_secret", kClientSecret}}).is_null());
    endpoint_ = fake_->endpoint();
    auto notion = BlockingNotion::create(endpoint_, {}, std::chrono::milliseconds(20000));
    ASSERT_TRUE(notion) << notion.error().message;
    notion_ = std::move(notion).value();
  }

  ClientCredentials client(std::string_view secret = kClientSecret) const {
    return ClientCredentials{std::string(kClientId), util::Secret(secret)};
  }

  // The browser's part: GET the authorize URL and read the code from the redirect.
  util::Secret authorize(const Pkce& pkce, const std::string& state,
                         std::string_view redirect = kRedirect) {
    std::string url = authorize_url(endpoint_.base_url, kClientId, redirect, state, pkce.challenge);
    std::string location = fake_->authorize(url);
    EXPECT_EQ(location.rfind(std::string(redirect) + "?", 0), 0u) << "redirect to " << location;
    auto query = parse_query(location.substr(location.find('?') + 1));
    util::Secret code;
    bool state_back = false;
    if (query) {
      for (auto& [name, value] : *query) {
        if (name == "code") code = util::Secret(value);
        if (name == "state") state_back = value == state;
      }
    }
    EXPECT_TRUE(state_back) << "the state must come back unchanged";
    return code;
  }

  std::unique_ptr<FakeNotion> fake_;
  notion::ApiEndpoint endpoint_;
  std::unique_ptr<BlockingNotion> notion_;
};

TEST_F(AuthOAuthClient, ExchangesACodeAndTheAccessTokenWorks) {
  Pkce pkce = make_pkce();
  std::string state = make_state();
  util::Secret code = authorize(pkce, state);
  ASSERT_FALSE(code.empty());
  auto tokens = notion_->exchange_code(client(), code, kRedirect, pkce.verifier);
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_EQ(tokens->access_token.reveal().substr(0, 4), "ntn_");
  EXPECT_EQ(tokens->refresh_token.reveal().substr(0, 4), "nrt_");
  EXPECT_EQ(tokens->workspace_name, "Fake OAuth Workspace");
  EXPECT_FALSE(tokens->bot_id.empty());
  auto owner = notion_->users_me(tokens->access_token);
  ASSERT_TRUE(owner) << owner.error().message;
  EXPECT_FALSE(owner->bot_id.empty());

  // A code works once.
  auto again = notion_->exchange_code(client(), code, kRedirect, pkce.verifier);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "invalid_grant");
}

TEST_F(AuthOAuthClient, TheFakeChecksPkceAndTheRedirectUri) {
  Pkce pkce = make_pkce();
  Pkce other = make_pkce();
  auto wrong_verifier =
      notion_->exchange_code(client(), authorize(pkce, "s1"), kRedirect, other.verifier);
  ASSERT_FALSE(wrong_verifier);
  EXPECT_EQ(wrong_verifier.error().code, "invalid_grant");
  EXPECT_NE(wrong_verifier.error().message.find("authorization code"), std::string::npos);
  EXPECT_FALSE(mentions(wrong_verifier.error(), other.verifier.reveal()));

  auto wrong_redirect = notion_->exchange_code(client(), authorize(pkce, "s2"),
                                               "http://127.0.0.1:9999/callback", pkce.verifier);
  ASSERT_FALSE(wrong_redirect);
  EXPECT_EQ(wrong_redirect.error().code, "invalid_grant");
  EXPECT_NE(wrong_redirect.error().hint.find("--redirect-uri"), std::string::npos);
}

TEST_F(AuthOAuthClient, WrongClientSecretInBothErrorShapes) {
  for (const char* shape : {"rfc6749", "notion"}) {
    ASSERT_FALSE(fake_->oauth({{"error_shape", shape}}).is_null());
    Pkce pkce = make_pkce();
    std::string wrong = "secret_wrongClientSecret0123456789abcdefgh";
    auto tokens =
        notion_->exchange_code(client(wrong), authorize(pkce, "s"), kRedirect, pkce.verifier);
    ASSERT_FALSE(tokens) << shape;
    EXPECT_EQ(tokens.error().code, "invalid_client") << shape;
    EXPECT_EQ(tokens.error().status, 401);
    EXPECT_NE(tokens.error().hint.find("--client-id"), std::string::npos);
    EXPECT_FALSE(mentions(tokens.error(), wrong));
    EXPECT_FALSE(mentions(tokens.error(), kClientSecret));
  }
}

TEST_F(AuthOAuthClient, RefreshRotatesAndTheOldTokenDiesAtOnce) {
  for (const char* shape : {"rfc6749", "notion"}) {
    ASSERT_FALSE(fake_->oauth({{"error_shape", shape}}).is_null());
    Pkce pkce = make_pkce();
    auto first = notion_->exchange_code(client(), authorize(pkce, "s"), kRedirect, pkce.verifier);
    ASSERT_TRUE(first);
    auto second = notion_->refresh(client(), first->refresh_token);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_FALSE(second->refresh_token == first->refresh_token);
    EXPECT_FALSE(second->access_token == first->access_token);
    ASSERT_TRUE(notion_->users_me(second->access_token));

    auto stale = notion_->refresh(client(), first->refresh_token);
    ASSERT_FALSE(stale) << shape;
    EXPECT_EQ(stale.error().code, "invalid_grant") << shape;
    EXPECT_NE(stale.error().hint.find("notion-mcp login"), std::string::npos);
    EXPECT_NE(stale.error().hint.find("Nothing was deleted"), std::string::npos);
    EXPECT_FALSE(mentions(stale.error(), first->refresh_token.reveal()));
    // The rotated one still works.
    EXPECT_TRUE(notion_->refresh(client(), second->refresh_token));
  }
}

TEST_F(AuthOAuthClient, RevokeEndsTheWholeGrant) {
  Pkce pkce = make_pkce();
  auto tokens = notion_->exchange_code(client(), authorize(pkce, "s"), kRedirect, pkce.verifier);
  ASSERT_TRUE(tokens);
  ASSERT_TRUE(notion_->users_me(tokens->access_token));
  auto revoked = notion_->revoke(client(), tokens->refresh_token);
  ASSERT_TRUE(revoked) << revoked.error().message;
  auto refresh = notion_->refresh(client(), tokens->refresh_token);
  ASSERT_FALSE(refresh);
  EXPECT_EQ(refresh.error().code, "invalid_grant");
  auto me = notion_->users_me(tokens->access_token);
  ASSERT_FALSE(me);
  EXPECT_EQ(me.error().code, "unauthorized");
  // Revoking needs the client's own credentials.
  auto stranger =
      notion_->revoke(client("secret_notTheRightOne0123456789abcdef"), tokens->refresh_token);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, "invalid_client");
}

TEST_F(AuthOAuthClient, ExpiredAccessTokensGet401) {
  Pkce pkce = make_pkce();
  auto tokens = notion_->exchange_code(client(), authorize(pkce, "s"), kRedirect, pkce.verifier);
  ASSERT_TRUE(tokens);
  ASSERT_FALSE(fake_->oauth({{"expire_access_tokens", true}}).is_null());
  auto me = notion_->users_me(tokens->access_token);
  ASSERT_FALSE(me);
  EXPECT_EQ(me.error().status, 401);
  auto fresh = notion_->refresh(client(), tokens->refresh_token);
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(notion_->users_me(fresh->access_token));
}

TEST_F(AuthOAuthClient, DenialRedirectsWithAccessDenied) {
  ASSERT_FALSE(fake_->oauth({{"deny", true}}).is_null());
  Pkce pkce = make_pkce();
  std::string url = authorize_url(endpoint_.base_url, kClientId, kRedirect, "st", pkce.challenge);
  std::string location = fake_->authorize(url);
  EXPECT_EQ(location, std::string(kRedirect) + "?error=access_denied&state=st");
}

TEST(AuthOAuthRequests, BodiesHeadersAndUrls) {
  ASSERT_GE(sodium_init(), 0);
  util::Secret body = token_request_body(TokenCall::exchange, util::Secret("c\"o\\de"),
                                         "http://127.0.0.1:8787/callback", util::Secret("v"));
  auto parsed = util::parse_json(body.reveal());
  ASSERT_TRUE(parsed);
  EXPECT_EQ((*parsed)["grant_type"], "authorization_code");
  EXPECT_EQ((*parsed)["code"], "c\"o\\de");
  EXPECT_EQ((*parsed)["redirect_uri"], "http://127.0.0.1:8787/callback");
  EXPECT_EQ((*parsed)["code_verifier"], "v");
  auto refresh = util::parse_json(
      token_request_body(TokenCall::refresh, util::Secret("nrt_x\n"), {}, {}).reveal());
  ASSERT_TRUE(refresh);
  EXPECT_EQ((*refresh)["grant_type"], "refresh_token");
  EXPECT_EQ((*refresh)["refresh_token"], "nrt_x\n");
  auto revoke =
      util::parse_json(token_request_body(TokenCall::revoke, util::Secret("t"), {}, {}).reveal());
  ASSERT_TRUE(revoke);
  EXPECT_EQ(*revoke, (util::Json{{"token", "t"}}));

  // RFC 7617: "Basic " + base64("id:secret").
  EXPECT_EQ(basic_authorization({"Aladdin", util::Secret("open sesame")}).reveal(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");

  std::string url =
      authorize_url("https://api.notion.com", "id 1", "http://127.0.0.1:8787/cb", "st&x", "chal");
  EXPECT_EQ(url,
            "https://api.notion.com/v1/oauth/authorize?client_id=id%201&response_type=code"
            "&owner=user&redirect_uri=http%3A%2F%2F127.0.0.1%3A8787%2Fcb&state=st%26x"
            "&code_challenge=chal&code_challenge_method=S256");
}

TEST(AuthOAuthRequests, ErrorShapes) {
  util::Json rfc = {{"error", "invalid_grant"}, {"error_description", "bad nrt_"}};
  auto error = oauth_error(TokenCall::refresh, 400, &rfc);
  EXPECT_EQ(error.code, "invalid_grant");
  EXPECT_NE(error.hint.find("Run `notion-mcp login` again"), std::string::npos);
  util::Json notion = {{"object", "error"},
                       {"status", 400},
                       {"code", "invalid_grant"},
                       {"message", "Invalid refresh token."},
                       {"request_id", "abc-123"}};
  error = oauth_error(TokenCall::refresh, 400, &notion);
  EXPECT_EQ(error.code, "invalid_grant");
  EXPECT_EQ(error.request_id, "abc-123");
  EXPECT_NE(error.message.find("Invalid refresh token"), std::string::npos);
  // A secret-shaped string in a description is masked.
  util::Json leaky = {{"error", "invalid_request"},
                      {"error_description", "bad token nrt_abcdefghijklmnopqrstuvwxyz012345"}};
  error = oauth_error(TokenCall::exchange, 400, &leaky);
  EXPECT_EQ(error.message.find("nrt_abcdefghijklmnopqrstuvwxyz012345"), std::string::npos);
  // An odd code is not echoed.
  util::Json odd = {{"error", "<script>"}};
  error = oauth_error(TokenCall::exchange, 400, &odd);
  EXPECT_EQ(error.code, "oauth_error");
  EXPECT_EQ(error.message.find("<script>"), std::string::npos);
  // Server trouble and no body.
  EXPECT_EQ(oauth_error(TokenCall::refresh, 503, nullptr).code, "service_unavailable");
  EXPECT_EQ(oauth_error(TokenCall::exchange, 401, nullptr).code, "invalid_client");
  // A success without an access token is refused.
  util::Json empty = util::Json::object();
  EXPECT_FALSE(parse_token_response(empty));
}

}  // namespace
}  // namespace notion_mcp::auth
