// Refreshing an OAuth login when several servers share it. Notion rotates the refresh token on
// every refresh and the old one dies at once, and each server holds its access token in memory
// only. So every refresh runs under one exclusive cross-process lock (flock), re-reads the
// store after taking it (another server may have rotated the token meanwhile), refreshes with
// the refresh token stored *now*, and saves and verifies the new one before the lock is
// released. Four servers starting together therefore refresh one after another, each with the
// token the previous one stored, and all of them end up with a working access token.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "auth/oauth_client.h"
#include "keychain/store.h"
#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::auth {

// Where refresh locks live: $XDG_RUNTIME_DIR/notion-mcp (per user, in memory), else
// $XDG_STATE_HOME/notion-mcp, else $HOME/.local/state/notion-mcp. Empty inputs are unset.
std::string lock_directory(std::string_view runtime_dir, std::string_view state_home,
                           std::string_view home);

// An exclusive flock on <directory>/refresh-<profile>.lock, released on destruction.
class RefreshLock {
 public:
  // Creates the directory (0700) and the file (0600) when missing, then waits up to `timeout`
  // for the lock. Errors say which path and why.
  static util::Result<RefreshLock> acquire(const std::string& directory, std::string_view profile,
                                           std::chrono::milliseconds timeout);
  RefreshLock(RefreshLock&& other) noexcept;
  RefreshLock& operator=(RefreshLock&& other) noexcept;
  RefreshLock(const RefreshLock&) = delete;
  RefreshLock& operator=(const RefreshLock&) = delete;
  ~RefreshLock();

  const std::string& path() const { return path_; }

 private:
  RefreshLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// The refresh call itself, so tests and callers can supply their own transport.
using RefreshCall = std::function<util::Result<OAuthTokens>(const ClientCredentials& client,
                                                            const util::Secret& refresh_token)>;

struct RefreshContext {
  keychain::CredentialStore* store = nullptr;  // where the login is kept (writable)
  std::string profile = "default";
  std::string lock_dir;
  std::chrono::milliseconds lock_timeout{60000};
  RefreshCall call;
  // TokenBroker: a first refresh that failed for a passing reason is tried again on demand,
  // at most this often.
  std::chrono::milliseconds retry_spacing{30000};
};

struct RefreshOutcome {
  util::Secret access_token;
  keychain::Credential credential;  // what is stored now (the rotated refresh token)
  // Not empty when the new refresh token could not be saved: the access token works, but the
  // login will need `notion-mcp login` again once this process ends.
  std::string warning;
  // With a warning: the (dead) refresh token the store still held, to tell it apart later
  // from a new login saved meanwhile. Pass it back as `stored_when_unsaved`.
  util::Secret stale_stored;
};

// Takes the lock, re-reads the stored credential, and:
//  - an integration token stored there (the person ran `login --token` meanwhile): returns it;
//  - an OAuth login: refreshes with the stored refresh token, saves the rotated one (store,
//    then read back and compare), and returns the new access token.
// `in_memory` is what the caller holds: it is used instead of the store only when the caller's
// own last save failed (`unsaved`), so a rotated token that only this process knows is not lost
// - unless the store no longer holds `stored_when_unsaved` (the stale token it kept when that
// save failed): then someone logged in again meanwhile, and the new login wins.
// invalid_grant ends with "run `notion-mcp login` again"; nothing is ever deleted here.
util::Result<RefreshOutcome> refresh_locked(const RefreshContext& context,
                                            const keychain::Credential* in_memory = nullptr,
                                            bool unsaved = false,
                                            const util::Secret* stored_when_unsaved = nullptr);

}  // namespace notion_mcp::auth
