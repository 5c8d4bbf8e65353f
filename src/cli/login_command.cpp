#include "cli/login_command.h"

#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "auth/browser.h"
#include "auth/callback_listener.h"
#include "auth/oauth_client.h"
#include "auth/pkce.h"
#include "auth/prompt.h"
#include "auth/refresh.h"
#include "keychain/credential.h"

namespace notion_mcp::cli {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

std::string quoted_workspace(const std::string& name) {
  return name.empty() ? std::string("your workspace") : "workspace \"" + name + "\"";
}

// Saves `credential` where logins go for these settings and says so. NOTION_TOKEN, when set,
// still wins at resolution: the person is told.
int save_login(keychain::Settings& settings, const keychain::Credential& credential,
               const std::string& what) {
  auto key_file = prepare_new_file_key(settings);
  if (!key_file) {
    print_error(key_file.error());
    return kExitFailed;
  }
  auto store = keychain::login_store(settings);
  // Under the refresh lock, so a server refreshing the old login cannot overwrite the new one.
  auto lock =
      auth::RefreshLock::acquire(lock_dir_from_env(), settings.profile, std::chrono::seconds(60));
  if (!lock) {
    print_error(lock.error());
    print_err("Nothing was stored.\n");
    return kExitFailed;
  }
  if (auto saved = store->save(settings.profile, credential); !saved) {
    print_error(saved.error());
    print_err("Nothing was stored.\n");
    return kExitFailed;
  }
  std::string text = "Logged in: " + what + " for " + quoted_workspace(credential.workspace_name) +
                     " is saved in " + store->description() + " (profile " + settings.profile +
                     ").\n";
  if (!key_file->empty()) text += key_instructions(settings.credentials_file, *key_file);
  print_out(text);
  if (!settings.notion_token.empty()) {
    print_err(
        "Note: NOTION_TOKEN is set in this environment and takes precedence over the saved login "
        "until it is unset.\n");
  }
  return 0;
}

int login_with_token(const LoginOptions& options, keychain::Settings& settings,
                     const notion::ApiEndpoint& endpoint) {
  auto token = auth::read_secret(STDIN_FILENO,
                                 "Notion integration token (input hidden): ", "the Notion token");
  if (!token) {
    print_error(token.error());
    return kExitUsage;
  }
  auto notion = auth::BlockingNotion::create(endpoint);
  if (!notion) {
    print_error(notion.error());
    return kExitFailed;
  }
  auto owner = (*notion)->users_me(*token);
  if (!owner) {
    util::Error error = owner.error();
    error.message = "Notion did not accept the token: " + error.message;
    print_error(error);
    print_err("Nothing was stored.\n");
    return kExitFailed;
  }
  keychain::Credential credential;
  credential.kind = keychain::CredentialKind::integration_token;
  credential.token = std::move(token).value();
  credential.workspace_name = owner->workspace_name;
  credential.bot_id = owner->bot_id;
  (void)options;
  return save_login(settings, credential, "the integration token");
}

util::Result<util::Secret> client_secret() {
  util::Secret from_env = take_env_secret("NOTION_MCP_CLIENT_SECRET");
  if (!from_env.empty()) {
    if (!auth::plausible_secret(from_env.reveal())) {
      return util::make_error("invalid_input",
                              "NOTION_MCP_CLIENT_SECRET contains spaces or control characters.");
    }
    return from_env;
  }
  return auth::read_secret(
      STDIN_FILENO, "OAuth client secret of the connection (input hidden): ", "the client secret");
}

void describe_ignored(const auth::CallbackResult& result) {
  if (auth::ends_login(result.verdict)) return;
  print_err("Ignored " + result.why + " on the login listener; still waiting.\n");
}

int login_with_oauth(const LoginOptions& options, keychain::Settings& settings,
                     const notion::ApiEndpoint& endpoint) {
  std::string client_id = options.client_id;
  if (client_id.empty()) {
    if (const char* env = std::getenv("NOTION_MCP_CLIENT_ID"); env != nullptr) client_id = env;
  }
  if (client_id.empty()) {
    print_error(util::make_error(
        "usage", "An OAuth login needs the public connection's client id.",
        "Pass --client-id (from https://www.notion.so/profile/integrations), or use `notion-mcp "
        "login --token` for an internal integration token."));
    return kExitUsage;
  }
  auto redirect = auth::parse_redirect_uri(options.redirect_uri.empty() ? auth::kDefaultRedirectUri
                                                                        : options.redirect_uri);
  if (!redirect) {
    print_error(redirect.error());
    return kExitUsage;
  }
  auto secret = client_secret();
  if (!secret) {
    print_error(secret.error());
    return kExitUsage;
  }
  // Before the browser opens, so the redirect cannot arrive at a closed port.
  auto listener = auth::CallbackListener::bind(redirect->port);
  if (!listener) {
    print_error(listener.error());
    return kExitFailed;
  }
  auth::Pkce pkce = auth::make_pkce();
  std::string state = auth::make_state();
  std::string url =
      auth::authorize_url(endpoint.base_url, client_id, redirect->uri, state, pkce.challenge);

  bool opened = false;
  if (!options.no_browser) {
    auto browser = auth::open_in_browser(url);
    opened = browser.ok();
    if (!opened) print_err("Could not open a browser (" + browser.error().message + ").\n");
  }
  if (opened) {
    print_err(
        "Opened your browser to authorize notion-mcp in Notion. If nothing appeared, open "
        "this URL:\n  " +
        url + "\n");
  } else {
    print_err("Open this URL in a browser on this machine to authorize notion-mcp:\n");
    print_out(url + "\n");
  }
  print_err("Waiting up to " + std::to_string(options.timeout_seconds) +
            " seconds for Notion to send you back to " + redirect->uri + " ...\n");

  auth::ListenOptions listen;
  listen.timeout = std::chrono::seconds(options.timeout_seconds);
  listen.on_request = describe_ignored;
  auto callback = listener->wait(redirect->path, state, listen);
  if (!callback) {
    print_error(callback.error());
    return kExitFailed;
  }
  switch (callback->verdict) {
    case auth::CallbackVerdict::success:
      break;
    case auth::CallbackVerdict::denied:
      print_err(
          "You declined access in Notion, so nothing was stored. Run `notion-mcp login` "
          "again if that was a mistake.\n");
      return kExitFailed;
    case auth::CallbackVerdict::bad_state:
      print_error(util::make_error(
          "bad_state",
          "Refused a callback that does not belong to this login: " + callback->why +
              " (an old tab or a forged link).",
          "Nothing was stored. Run `notion-mcp login` again and use the page it opens."));
      return kExitFailed;
    default:
      print_error(util::make_error("login_failed", "The login stopped: " + callback->why + ".",
                                   "Nothing was stored. Run `notion-mcp login` again."));
      return kExitFailed;
  }

  print_err("Authorization received; exchanging it with Notion ...\n");
  auto notion = auth::BlockingNotion::create(endpoint);
  if (!notion) {
    print_error(notion.error());
    return kExitFailed;
  }
  auth::ClientCredentials client{client_id, *secret};
  auto tokens = (*notion)->exchange_code(client, callback->code, redirect->uri, pkce.verifier);
  if (!tokens) {
    print_error(tokens.error());
    print_err("Nothing was stored.\n");
    return kExitFailed;
  }

  keychain::Credential credential;
  credential.workspace_id = tokens->workspace_id;
  credential.workspace_name = tokens->workspace_name;
  credential.bot_id = tokens->bot_id;
  if (tokens->refresh_token.empty()) {
    // Notion sent no refresh token: the access token does not expire, so keep it like an
    // integration token.
    credential.kind = keychain::CredentialKind::integration_token;
    credential.token = std::move(tokens->access_token);
  } else {
    credential.kind = keychain::CredentialKind::oauth;
    credential.refresh_token = std::move(tokens->refresh_token);
    credential.client_id = client_id;
    credential.client_secret = std::move(secret).value();
  }
  return save_login(settings, credential, "the OAuth login");
}

}  // namespace

CLI::App* add_login_command(CLI::App& app, LoginOptions& options) {
  auto* login = app.add_subcommand(
      "login", "Log in to Notion (OAuth in the browser, or --token) and save the credential");
  login->add_flag("--token", options.token,
                  "Save an internal integration or personal token instead (read from a hidden "
                  "prompt, or from stdin when it is not a terminal)");
  login->add_option("--client-id", options.client_id,
                    "OAuth client id of your public connection (else NOTION_MCP_CLIENT_ID); the "
                    "secret comes from a hidden prompt, stdin or NOTION_MCP_CLIENT_SECRET");
  login->add_option("--redirect-uri", options.redirect_uri,
                    "Loopback redirect URI registered in the connection (default " +
                        std::string(auth::kDefaultRedirectUri) + ")");
  login->add_flag("--no-browser", options.no_browser,
                  "Print the authorization URL instead of opening a browser");
  login
      ->add_option("--timeout", options.timeout_seconds,
                   "Seconds to wait for the browser to come back")
      ->capture_default_str()
      ->check(CLI::Range(5, 3600));
  add_credential_flags(login, options.credentials);
  return login;
}

int run_login(const LoginOptions& options) {
  if (sodium_init() < 0) {
    print_err("notion-mcp: libsodium could not be initialised.\n");
    return kExitFailed;
  }
  keychain::Settings settings = settings_from(options.credentials);
  if (auto valid = keychain::validate_profile_name(settings.profile); !valid) {
    print_error(valid.error());
    return kExitUsage;
  }
  auto endpoint = endpoint_from_env();
  if (!endpoint) {
    print_error(endpoint.error());
    return kExitUsage;
  }
  if (options.token) {
    if (!options.client_id.empty()) {
      print_error(util::make_error("usage", "--token and --client-id do not go together.",
                                   "Use --token for an integration token, --client-id for OAuth."));
      return kExitUsage;
    }
    return login_with_token(options, settings, *endpoint);
  }
  return login_with_oauth(options, settings, *endpoint);
}

}  // namespace notion_mcp::cli
