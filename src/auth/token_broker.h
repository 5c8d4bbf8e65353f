// The broker's access tokens. An integration token is handed out as it is. An OAuth login is
// refreshed at start (access tokens are never stored) and again, once per token, when the
// worker reports that Notion answered 401; each refresh goes through refresh_locked so that
// several servers sharing one login take turns. Tokens carry a generation number so a late
// report about an old token gets the current one instead of another refresh.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "auth/refresh.h"
#include "keychain/store.h"
#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::auth {

struct AccessToken {
  uint32_t generation = 0;
  util::Secret token;
};

class TokenBroker {
 public:
  // No credential: every request answers with `missing` (the resolution's sentence).
  static TokenBroker without_credential(util::Error missing);
  // `credential` as resolved from `store`; `context.store` must point at `store`. For an
  // integration token the context is not used.
  TokenBroker(std::unique_ptr<keychain::CredentialStore> store, keychain::Credential credential,
              RefreshContext context);

  bool is_oauth() const;

  // The first access token: an OAuth login is refreshed now. Errors are kept and answered to
  // every token request until a later refresh succeeds.
  util::Result<void> start();

  // The current token, or the reason there is none. An OAuth login whose refresh failed for a
  // passing reason (not invalid_grant) is refreshed again, at most every retry_spacing.
  util::Result<AccessToken> token();

  // Notion refused token `generation`. An older generation gets the current token; the current
  // one is refreshed (OAuth) once. A static token cannot be renewed: the error says so.
  util::Result<AccessToken> rejected(uint32_t generation);

  // A warning for stderr from the last refresh (the rotated token could not be saved); empty
  // when there is none. Reading it clears it.
  std::string take_warning();

 private:
  TokenBroker() = default;
  util::Result<void> refresh();

  std::unique_ptr<keychain::CredentialStore> store_;
  std::optional<keychain::Credential> credential_;
  RefreshContext context_;
  AccessToken current_;
  std::optional<util::Error> failure_;  // why there is no current token
  // When the current token came from a refresh that a rejection asked for.
  std::optional<std::chrono::steady_clock::time_point> refreshed_on_rejection_;
  std::optional<std::chrono::steady_clock::time_point> last_attempt_;  // of a refresh
  bool unsaved_ = false;       // the last rotated refresh token is only in memory
  util::Secret stale_stored_;  // what the store held then (see refresh_locked)
  std::string warning_;
};

}  // namespace notion_mcp::auth
