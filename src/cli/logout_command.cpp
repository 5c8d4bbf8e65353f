#include "cli/logout_command.h"

#include "auth/oauth_client.h"
#include "auth/refresh.h"
#include "keychain/credential.h"

namespace notion_mcp::cli {
namespace {

constexpr int kExitFailed = 1;

// Notion no longer knows the token: there is nothing left to revoke.
bool already_dead(const util::Error& error) {
  return error.code == "invalid_grant" || error.code == "invalid_token";
}

}  // namespace

CLI::App* add_logout_command(CLI::App& app, LogoutOptions& options) {
  auto* logout = app.add_subcommand(
      "logout", "Revoke the OAuth login at Notion and delete the saved credential");
  logout->add_flag("--local-only", options.keep_remote,
                   "Only delete the saved credential; do not revoke it at Notion (needed to "
                   "delete it when Notion cannot be reached)");
  add_credential_flags(logout, options.credentials);
  return logout;
}

int run_logout(const LogoutOptions& options) {
  int exit_status = 0;
  auto started = begin_credential_command(options.credentials, exit_status);
  if (!started) return exit_status;
  keychain::Settings settings = std::move(*started);
  auto store = keychain::login_store(settings);
  // Under the refresh lock, so a server cannot rotate the token between revoke and delete.
  auto lock =
      auth::RefreshLock::acquire(lock_dir_from_env(), settings.profile, std::chrono::seconds(60));
  if (!lock) {
    print_error(lock.error());
    return kExitFailed;
  }
  auto loaded = store->load(settings.profile);
  if (!loaded) {
    print_error(loaded.error());
    return kExitFailed;
  }
  std::string where = store->description() + " (profile " + settings.profile + ")";
  if (!loaded->has_value()) {
    print_out("Nothing is saved in " + where + "; nothing to do.\n");
    if (!settings.notion_token.empty()) {
      print_err(
          "NOTION_TOKEN is set in this environment; notion-mcp cannot remove it: unset it "
          "yourself.\n");
    }
    return 0;
  }
  const keychain::Credential& credential = **loaded;
  // An OAuth login, or an OAuth access token that Notion gave without a refresh token (kept
  // with the client id and secret, so it can be revoked like one).
  const bool revocable = credential.kind == keychain::CredentialKind::oauth ||
                         (!credential.client_id.empty() && !credential.client_secret.empty());
  const util::Secret& grant = credential.kind == keychain::CredentialKind::oauth
                                  ? credential.refresh_token
                                  : credential.token;
  std::string report;
  if (revocable && !options.keep_remote) {
    auto endpoint = endpoint_from_env();
    util::Result<void> revoked = endpoint ? util::Result<void>() : endpoint.error();
    if (revoked) {
      auto notion = auth::BlockingNotion::create(*endpoint);
      if (!notion) {
        revoked = notion.error();
      } else {
        revoked = (*notion)->revoke(
            auth::ClientCredentials{credential.client_id, credential.client_secret}, grant);
      }
    }
    if (revoked) {
      report += "Revoked the OAuth login at Notion. ";
    } else if (already_dead(revoked.error())) {
      report += "Notion no longer accepted the OAuth login, so there was nothing to revoke. ";
    } else {
      // Deleting it now would leave a live login at Notion that nobody can revoke any more.
      print_error(util::make_error(
          revoked.error().code, "Could not revoke the login at Notion: " + revoked.error().message,
          "The saved credential in " + where +
              " was kept, so you can try again later. To delete it without revoking, run "
              "`notion-mcp logout --local-only` and remove notion-mcp's access in Notion "
              "(Settings > Connections) yourself."));
      return kExitFailed;
    }
  } else if (revocable) {
    report +=
        "Did not revoke the login at Notion (--local-only): it stays valid there until you "
        "remove notion-mcp's access in Notion (Settings > Connections). ";
  } else {
    report +=
        "An integration token cannot be revoked through the API; revoke or rotate it at "
        "https://www.notion.so/profile/integrations if it leaked. ";
  }
  if (auto removed = store->remove(settings.profile); !removed) {
    print_error(removed.error());
    print_out(report + "The saved credential in " + where + " could NOT be deleted.\n");
    return kExitFailed;
  }
  print_out(report + "Deleted the saved credential from " + where + ".\n");
  if (!settings.notion_token.empty()) {
    print_err(
        "NOTION_TOKEN is still set in this environment and still works; unset it "
        "yourself.\n");
  }
  return 0;
}

}  // namespace notion_mcp::cli
