#include "auth/broker_credentials.h"

#include "auth/oauth_client.h"
#include "keychain/credential.h"
#include "keychain/encrypted_file.h"

namespace notion_mcp::auth {
namespace {

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

BrokerCredentials make_token_broker(BrokerCredentialOptions options, const util::Logger& logger) {
  BrokerCredentials out;
  auto resolution = keychain::resolve(options.settings, std::move(options.secret_service));
  if (!resolution) {
    logger.warning(resolution.error().message + " " + resolution.error().hint);
    out.broker = std::make_unique<TokenBroker>(TokenBroker::without_credential(resolution.error()));
    return out;
  }
  if (!resolution->found()) {
    util::Error error = resolution->not_found_error();
    logger.warning("no Notion credentials: " + error.message +
                   " Tools will answer with an explanation until then.");
    out.broker = std::make_unique<TokenBroker>(TokenBroker::without_credential(error));
    return out;
  }
  logger.info("credentials: " + resolution->store->description() + ", profile " +
              resolution->profile);
  const bool oauth = resolution->credential->kind == keychain::CredentialKind::oauth;
  const bool writable = resolution->store->writable();

  RefreshContext context;
  context.profile = resolution->profile;
  context.lock_dir = options.lock_dir;
  if (oauth) {
    // libcurl is loaded in the broker only for an OAuth login: a static token never needs it.
    std::shared_ptr<BlockingNotion> notion;
    if (options.endpoint != nullptr) {
      auto created = BlockingNotion::create(*options.endpoint);
      if (created) notion = std::move(created).value();
      if (!created) logger.warning("cannot refresh the OAuth login: " + created.error().message);
    }
    context.call = [notion](const ClientCredentials& client,
                            const util::Secret& refresh_token) -> util::Result<OAuthTokens> {
      if (!notion) {
        return util::make_error("network_error", "libcurl is not available to refresh the login.");
      }
      return notion->refresh(client, refresh_token);
    };
  }
  if (writable) {
    // The lock directory must exist before the broker's Landlock rules are made.
    auto lock =
        RefreshLock::acquire(options.lock_dir, resolution->profile, std::chrono::milliseconds(0));
    if (lock || lock.error().code == "lock_timeout") out.writable_dirs.push_back(options.lock_dir);
    auto* file = dynamic_cast<keychain::EncryptedFileStore*>(resolution->store.get());
    if (oauth && file != nullptr) out.writable_dirs.push_back(directory_of(file->path()));
  }

  out.broker = std::make_unique<TokenBroker>(
      std::move(resolution->store), std::move(*resolution->credential), std::move(context));
  if (auto started = out.broker->start(); !started) {
    logger.warning("the Notion login could not be renewed: " + started.error().message + " " +
                   started.error().hint);
  }
  if (std::string warning = out.broker->take_warning(); !warning.empty()) logger.warning(warning);
  return out;
}

}  // namespace notion_mcp::auth
