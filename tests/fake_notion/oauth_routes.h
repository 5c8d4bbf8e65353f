// Notion's OAuth for a public connection, faked: the authorize redirect, the token endpoint
// (authorization code with redirect_uri and PKCE checks, and refresh with ROTATING refresh
// tokens: the old one dies at once), and revoke. Access tokens it issues are accepted by the
// fake's bearer check while they live; expired or revoked ones get 401.
//
// Control (no auth, not counted): GET /__fake/oauth → counters; POST /__fake/oauth with any of
//   {"client_id","client_secret","deny":bool,"error_shape":"rfc6749"|"notion",
//    "workspace_name","seed_refresh_token":"nrt_…","expire_access_tokens":true,
//    "revoke_all":true,"token_prefix":"cnry…","omit_refresh_token":bool}
// token_prefix makes issued tokens <prefix>at-… and <prefix>rt-… instead of ntn_…/nrt_…: a
// canary the redactor does not know, so a test that finds it in output found a real leak.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "notion/http.h"
#include "router.h"
#include "util/json.h"

namespace notion_mcp::fake_notion {

struct OAuthSettings {
  std::string client_id = "fake-oauth-client-id";
  std::string client_secret = "secret_fakeOAuthClientSecret0123456789abcdefghij";
  bool deny = false;                    // authorize redirects with error=access_denied
  std::string error_shape = "rfc6749";  // or "notion": {object:"error", code, message}
  std::string workspace_name = "Fake OAuth Workspace";
  std::string workspace_id = "7a1d0c51-0a4b-4a4e-9d1f-0c2b3a4d5e6f";
  std::string bot_id = "b07b07b0-7b07-4b07-8b07-b07b07b07b07";
  std::string token_prefix;         // empty: Notion's own shapes (ntn_, nrt_)
  bool omit_refresh_token = false;  // a code exchange answers refresh_token: null
};

class OAuthProvider {
 public:
  // Every handler may run on any connection thread.
  notion::HttpResponse authorize(const notion::HttpRequest& request);
  notion::HttpResponse token(const notion::HttpRequest& request);
  notion::HttpResponse revoke(const notion::HttpRequest& request);
  notion::HttpResponse control_get();
  notion::HttpResponse control_post(const notion::HttpRequest& request);

  // For the bearer check: nullopt when `headers` carry no token this provider issued; true
  // for a live one; false for an expired or revoked one.
  std::optional<bool> bearer_status(const notion::Headers& headers) const;

 private:
  struct Code {
    std::string client_id;
    std::string redirect_uri;
    std::string challenge;  // S256 challenge; empty when none was sent
    int64_t expires_ms = 0;
    bool used = false;
  };
  struct Issued {
    uint64_t grant = 0;
    bool live = true;
  };

  notion::HttpResponse oauth_failure(int status, std::string_view error,
                                     std::string_view description) const;
  bool client_authenticated(const notion::HttpRequest& request) const;
  util::Json issue(uint64_t grant);  // a new access + refresh token pair for `grant`
  void end_grant(uint64_t grant);

  mutable std::mutex mutex_;
  OAuthSettings settings_;
  std::map<std::string, Code, std::less<>> codes_;
  std::map<std::string, Issued, std::less<>> access_tokens_;
  std::map<std::string, Issued, std::less<>> refresh_tokens_;
  uint64_t next_grant_ = 1;
  struct Counters {
    int authorize = 0;
    int exchanges = 0;
    int refreshes = 0;
    int refresh_failures = 0;
    int revocations = 0;
  } counters_;
};

// Registers /v1/oauth/authorize, /v1/oauth/token, /v1/oauth/revoke and /__fake/oauth.
void add_oauth_routes(Router& router, OAuthProvider& provider);

}  // namespace notion_mcp::fake_notion
