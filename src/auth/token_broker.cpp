#include "auth/token_broker.h"

#include <utility>

namespace notion_mcp::auth {
namespace {

// A token that Notion refuses this soon after it was refreshed will not be helped by another
// refresh; this also stops a worker that reports every token from making the broker spin.
constexpr auto kMinRefreshSpacing = std::chrono::seconds(10);

util::Error static_token_refused() {
  return util::make_error(
      "unauthorized",
      "Notion refused the integration token (401): it was revoked, or the integration was "
      "removed from the workspace.",
      "Create or copy a valid token at https://www.notion.so/profile/integrations, then run "
      "`notion-mcp login --token` again (or update NOTION_TOKEN).");
}

}  // namespace

TokenBroker TokenBroker::without_credential(util::Error missing) {
  TokenBroker broker;
  broker.failure_ = std::move(missing);
  return broker;
}

TokenBroker::TokenBroker(std::unique_ptr<keychain::CredentialStore> store,
                         keychain::Credential credential, RefreshContext context)
    : store_(std::move(store)), credential_(std::move(credential)), context_(std::move(context)) {
  context_.store = store_.get();
}

bool TokenBroker::is_oauth() const {
  return credential_ && credential_->kind == keychain::CredentialKind::oauth;
}

util::Result<void> TokenBroker::start() {
  if (!credential_) return *failure_;
  if (!is_oauth()) {
    current_ = AccessToken{1, credential_->token};
    failure_.reset();
    return {};
  }
  return refresh();
}

util::Result<AccessToken> TokenBroker::token() {
  // A refresh that failed for a passing reason (no network yet) is tried again now and then;
  // a dead login (invalid_grant) is not.
  auto now = std::chrono::steady_clock::now();
  if (current_.token.empty() && is_oauth() && failure_ && failure_->code != "invalid_grant" &&
      (!last_attempt_ || now - *last_attempt_ >= context_.retry_spacing)) {
    (void)refresh();
  }
  if (current_.generation == 0 || current_.token.empty()) {
    if (failure_) return *failure_;
    return util::make_error("unauthorized", "No Notion credentials are configured.",
                            "Run `notion-mcp login`, or set NOTION_TOKEN.");
  }
  return current_;
}

util::Result<AccessToken> TokenBroker::rejected(uint32_t generation) {
  if (!credential_) return *failure_;
  if (generation != 0 && generation < current_.generation && !current_.token.empty()) {
    return current_;  // another call already got a newer token
  }
  auto now = std::chrono::steady_clock::now();
  if (refreshed_on_rejection_ && now - *refreshed_on_rejection_ < kMinRefreshSpacing) {
    return util::make_error("unauthorized",
                            "Notion refused the access token that was just refreshed.",
                            "Run `notion-mcp login` again. Nothing was deleted.");
  }
  auto refreshed = refresh();
  if (!refreshed) return refreshed.error();
  refreshed_on_rejection_ = now;
  return current_;
}

util::Result<void> TokenBroker::refresh() {
  if (!is_oauth() && !store_->writable()) {
    // NOTION_TOKEN: re-reading the environment would give the same token.
    failure_ = static_token_refused();
    return *failure_;
  }
  last_attempt_ = std::chrono::steady_clock::now();
  auto outcome =
      refresh_locked(context_, &*credential_, unsaved_, unsaved_ ? &stale_stored_ : nullptr);
  if (!outcome) {
    failure_ = outcome.error();
    return outcome.error();
  }
  bool same_static = !is_oauth() &&
                     outcome->credential.kind == keychain::CredentialKind::integration_token &&
                     outcome->access_token == current_.token && current_.generation != 0;
  if (same_static) {
    failure_ = static_token_refused();
    return *failure_;
  }
  unsaved_ = !outcome->warning.empty();
  stale_stored_ = std::move(outcome->stale_stored);
  warning_ = std::move(outcome->warning);
  credential_ = std::move(outcome->credential);
  current_ = AccessToken{current_.generation + 1, std::move(outcome->access_token)};
  refreshed_on_rejection_.reset();
  failure_.reset();
  return {};
}

std::string TokenBroker::take_warning() { return std::exchange(warning_, std::string()); }

}  // namespace notion_mcp::auth
