// Notion's OAuth endpoints for a public connection: exchange an authorization code, refresh
// (Notion rotates the refresh token on every refresh), revoke, and ask who a token belongs to.
// Requests go through the same transport as the API client (libcurl, in-memory CA, TLS always
// verified); the client id and secret travel as HTTP Basic, everything else as a JSON body.
// Errors in both shapes Notion uses (RFC 6749 `error`, or {object:"error", code}) become
// sentences that never contain a secret.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "notion/api_endpoint.h"
#include "notion/curl_library.h"
#include "notion/curl_transport.h"
#include "notion/http.h"
#include "util/cancel.h"
#include "util/event_loop.h"
#include "util/json.h"
#include "util/result.h"
#include "util/secret.h"
#include "util/task.h"

namespace notion_mcp::auth {

inline constexpr std::string_view kTokenPath = "/v1/oauth/token";
inline constexpr std::string_view kRevokePath = "/v1/oauth/revoke";
inline constexpr std::string_view kAuthorizePath = "/v1/oauth/authorize";

struct ClientCredentials {
  std::string client_id;
  util::Secret client_secret;
};

// What the token endpoint returned. `refresh_token` is empty when Notion sent null (a token
// that is not refreshed).
struct OAuthTokens {
  util::Secret access_token;
  util::Secret refresh_token;
  std::string workspace_id;
  std::string workspace_name;
  std::string bot_id;
};

// Who a token belongs to (GET /v1/users/me).
struct TokenOwner {
  std::string bot_id;
  std::string name;
  std::string workspace_name;
};

enum class TokenCall { exchange, refresh, revoke };

// "Basic base64(client_id:client_secret)".
util::Secret basic_authorization(const ClientCredentials& client);

// The JSON body of a token request; string values are escaped. Kept in a Secret.
util::Secret token_request_body(TokenCall call, const util::Secret& grant,
                                std::string_view redirect_uri, const util::Secret& code_verifier);

// The error for a non-2xx answer from an OAuth endpoint (`body` is the parsed body or null).
// invalid_grant on a refresh says to run `notion-mcp login` again and that nothing was deleted.
util::Error oauth_error(TokenCall call, int status, const util::Json* body);

// Reads a token endpoint answer; scrubs the tokens out of `body` as it goes.
util::Result<OAuthTokens> parse_token_response(util::Json& body);

// The authorize URL for the browser: <base>/v1/oauth/authorize?client_id&response_type=code
// &owner=user&redirect_uri&state&code_challenge&code_challenge_method=S256.
std::string authorize_url(std::string_view api_base, std::string_view client_id,
                          std::string_view redirect_uri, std::string_view state,
                          std::string_view code_challenge);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

class OAuthClient {
 public:
  explicit OAuthClient(notion::Transport& transport) : transport_(transport) {}

  util::Task<util::Result<OAuthTokens>> exchange_code(ClientCredentials client, util::Secret code,
                                                      std::string redirect_uri,
                                                      util::Secret code_verifier,
                                                      util::CancelToken cancel);
  util::Task<util::Result<OAuthTokens>> refresh(ClientCredentials client,
                                                util::Secret refresh_token,
                                                util::CancelToken cancel);
  util::Task<util::Result<void>> revoke(ClientCredentials client, util::Secret token,
                                        util::CancelToken cancel);

 private:
  util::Task<util::Result<notion::HttpResponse>> post(std::string path,
                                                      const ClientCredentials& client,
                                                      const util::Secret& body,
                                                      util::CancelToken cancel);
  notion::Transport& transport_;
};

// Blocking use for commands and the broker: its own event loop and libcurl transport to the
// endpoint. Each call waits at most `timeout`.
class BlockingNotion {
 public:
  // `curl` is loaded when null. Loads nothing else and opens no connection yet.
  static util::Result<std::unique_ptr<BlockingNotion>> create(
      const notion::ApiEndpoint& endpoint, std::shared_ptr<const notion::CurlLibrary> curl = {},
      std::chrono::milliseconds timeout = std::chrono::milliseconds(60000));

  util::Result<OAuthTokens> exchange_code(const ClientCredentials& client, const util::Secret& code,
                                          std::string_view redirect_uri,
                                          const util::Secret& code_verifier);
  util::Result<OAuthTokens> refresh(const ClientCredentials& client,
                                    const util::Secret& refresh_token);
  util::Result<void> revoke(const ClientCredentials& client, const util::Secret& token);
  // GET /v1/users/me with `token`: checks that it works and says whose it is.
  util::Result<TokenOwner> users_me(const util::Secret& token);

 private:
  BlockingNotion() = default;
  template <class T>
  util::Result<T> run(util::Task<util::Result<T>> task);

  std::chrono::milliseconds timeout_{60000};
  std::unique_ptr<util::EventLoop> loop_;
  std::unique_ptr<notion::CurlTransport> transport_;
};

}  // namespace notion_mcp::auth
