#include "cli/status_command.h"

#include "auth/oauth_client.h"
#include "auth/refresh.h"
#include "keychain/credential.h"

namespace notion_mcp::cli {
namespace {

constexpr int kExitFailed = 1;

std::string indent(const std::string& lines) {
  std::string out;
  size_t start = 0;
  while (start < lines.size()) {
    size_t end = lines.find('\n', start);
    if (end == std::string::npos) end = lines.size();
    out += "  " + lines.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

// Asks Notion whether the credential works now. An OAuth login is refreshed for that (under the
// shared lock, saving the rotated refresh token), exactly as a server would at start.
util::Result<auth::TokenOwner> check(keychain::Resolution& resolution,
                                     const keychain::Settings& settings) {
  auto endpoint = endpoint_from_env();
  if (!endpoint) return endpoint.error();
  auto notion = auth::BlockingNotion::create(*endpoint);
  if (!notion) return notion.error();
  util::Secret access = resolution.credential->token;
  if (resolution.credential->kind == keychain::CredentialKind::oauth) {
    auth::RefreshContext context;
    context.store = resolution.store.get();
    context.profile = settings.profile;
    context.lock_dir = lock_dir_from_env();
    auth::BlockingNotion* client = notion->get();
    context.call = [client](const auth::ClientCredentials& c, const util::Secret& refresh) {
      return client->refresh(c, refresh);
    };
    auto refreshed = auth::refresh_locked(context);
    if (!refreshed) return refreshed.error();
    if (!refreshed->warning.empty()) print_err("Warning: " + refreshed->warning + "\n");
    access = std::move(refreshed->access_token);
  }
  return (*notion)->users_me(access);
}

}  // namespace

CLI::App* add_status_command(CLI::App& app, StatusOptions& options) {
  auto* status = app.add_subcommand(
      "status", "Show which credential is used (profile, store, workspace) and whether it works");
  status->add_flag("--offline", options.offline, "Do not ask Notion whether the token works");
  add_credential_flags(status, options.credentials);
  return status;
}

int run_status(const StatusOptions& options) {
  int exit_status = 0;
  auto started = begin_credential_command(options.credentials, exit_status);
  if (!started) return exit_status;
  keychain::Settings settings = std::move(*started);
  auto resolution = keychain::resolve(settings);
  if (!resolution) {
    print_out("Profile:    " + settings.profile + "\n");
    print_error(resolution.error());
    return kExitFailed;
  }
  std::string text = "Profile:    " + settings.profile + "\n";
  if (!resolution->found()) {
    text += "Credential: none\nTried:\n" + indent(keychain::describe_chain(*resolution));
    print_out(text);
    util::Error error = resolution->not_found_error();
    print_err("  " + error.hint + "\n");
    return kExitFailed;
  }
  const keychain::Credential& credential = *resolution->credential;
  bool oauth = credential.kind == keychain::CredentialKind::oauth;
  text +=
      "Credential: " +
      (oauth ? "OAuth login (public connection, client id " + printable(credential.client_id) + ")"
             : std::string("integration token")) +
      "\n";
  text += "Store:      " + resolution->store->description() + "\n";
  text += "Workspace:  " +
          (credential.workspace_name.empty() ? std::string("(not recorded)")
                                             : printable(credential.workspace_name)) +
          "\n";
  text += "Tried:\n" + indent(keychain::describe_chain(*resolution));
  if (options.offline) {
    print_out(text + "Token:      not checked (--offline)\n");
    return 0;
  }
  auto owner = check(*resolution, settings);
  if (!owner) {
    print_out(text + "Token:      does not work now: " + owner.error().message + "\n");
    if (!owner.error().hint.empty()) print_err("  " + owner.error().hint + "\n");
    return kExitFailed;
  }
  std::string who = owner->name.empty() ? "" : " as \"" + printable(owner->name) + "\"";
  std::string where = owner->workspace_name.empty()
                          ? ""
                          : " in workspace \"" + printable(owner->workspace_name) + "\"";
  print_out(text + "Token:      works (Notion answered" + who + where + ")\n");
  return 0;
}

}  // namespace notion_mcp::cli
