// What `serve` does with credentials, as one step: resolve the credential for the profile
// (NOTION_TOKEN, the encrypted file, the keyring), build the TokenBroker, and, for an OAuth
// login, load libcurl and refresh once. The broker calls it after the worker is forked (so the
// worker never holds a refresh token or client secret, and tools/list does not wait for a
// keyring or a network round trip) and before it confines itself, so that the first keyring
// and lock access happen unconfined. Afterwards the broker's Landlock rules must still allow
// the lock directory and the credentials file's directory: see writable_dirs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/token_broker.h"
#include "keychain/resolve.h"
#include "notion/api_endpoint.h"
#include "util/log.h"

namespace notion_mcp::auth {

struct BrokerCredentialOptions {
  keychain::Settings settings;
  const notion::ApiEndpoint* endpoint = nullptr;
  std::string lock_dir;
  // Tests: replaces the Secret Service store (as keychain::resolve does).
  std::unique_ptr<keychain::CredentialStore> secret_service;
};

struct BrokerCredentials {
  std::unique_ptr<TokenBroker> broker;
  // Directories a confined broker must still be able to write for later refreshes: the lock
  // directory (created here) and, for an OAuth login kept in the encrypted file, that file's
  // directory (its atomic rename happens there). Empty for a static token.
  std::vector<std::string> writable_dirs;
};

// Never fails: a missing or unreadable credential becomes a TokenBroker that answers every
// token request with the reason (logged once to stderr here, for the person reading it).
BrokerCredentials make_token_broker(BrokerCredentialOptions options, const util::Logger& logger);

}  // namespace notion_mcp::auth
