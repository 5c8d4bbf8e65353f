#include "cli/login_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>

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
  return name.empty() ? std::string("your workspace") : "workspace \"" + printable(name) + "\"";
}

// Where this login will be saved, checked before anything is asked of Notion. A key file it
// generated for a new credentials file is removed again unless the login is saved.
class LoginTarget {
 public:
  static util::Result<std::unique_ptr<LoginTarget>> prepare(keychain::Settings& settings) {
    std::unique_ptr<LoginTarget> target(new LoginTarget(settings));
    auto key_file = prepare_new_file_key(settings);
    if (!key_file) return key_file.error();
    target->new_key_file_ = *key_file;
    target->store_ = keychain::login_store(settings);
    if (auto ready = target->store_->check_writable(settings.profile); !ready) {
      return with_headless_hint(ready.error());
    }
    // A lock that another process holds for minutes would only fail the save at the end.
    auto lock =
        auth::RefreshLock::acquire(lock_dir_from_env(), settings.profile, std::chrono::seconds(5));
    if (!lock) return lock.error();
    return target;
  }
  LoginTarget(const LoginTarget&) = delete;
  LoginTarget& operator=(const LoginTarget&) = delete;
  ~LoginTarget() {
    struct stat st {};
    if (!saved_ && !new_key_file_.empty() && ::stat(settings_.credentials_file.c_str(), &st) != 0) {
      ::unlink(new_key_file_.c_str());
    }
  }

  // Saves under the refresh lock, so a server refreshing an old login of this profile cannot
  // overwrite the new one, then says where. NOTION_TOKEN, when set, still wins at resolution:
  // the person is told.
  util::Result<void> save(const keychain::Credential& credential, const std::string& what) {
    auto lock = auth::RefreshLock::acquire(lock_dir_from_env(), settings_.profile,
                                           std::chrono::seconds(60));
    if (!lock) return lock.error();
    if (auto done = store_->save(settings_.profile, credential); !done) {
      return with_headless_hint(done.error());
    }
    saved_ = true;
    std::string text = "Logged in: " + what + " for " +
                       quoted_workspace(credential.workspace_name) + " is saved in " +
                       store_->description() + " (profile " + settings_.profile + ").\n";
    if (!new_key_file_.empty()) text += key_instructions(settings_.credentials_file, new_key_file_);
    print_out(text);
    if (!settings_.notion_token.empty()) {
      print_err(
          "Note: NOTION_TOKEN is set in this environment and takes precedence over the saved "
          "login until it is unset.\n");
    }
    return {};
  }

 private:
  explicit LoginTarget(const keychain::Settings& settings) : settings_(settings) {}

  // A keyring that cannot be reached: the encrypted file is the way out on a headless machine.
  static util::Error with_headless_hint(util::Error error) {
    if (error.code == "no_dbus_session" || error.code == "no_secret_service") {
      error.hint =
          "Or save the login in an encrypted file instead: notion-mcp login --credentials-file "
          "PATH (its key is written to PATH.key).";
    }
    return error;
  }

  const keychain::Settings& settings_;
  std::unique_ptr<keychain::CredentialStore> store_;
  std::string new_key_file_;
  bool saved_ = false;
};

int login_with_token(keychain::Settings& settings, const notion::ApiEndpoint& endpoint) {
  auto target = LoginTarget::prepare(settings);
  if (!target) {
    print_error(target.error());
    print_err("Nothing was stored.\n");
    return kExitFailed;
  }
  auto token = auth::read_secret(STDIN_FILENO,
                                 "Notion integration token (input hidden): ", "the Notion token",
                                 "Pipe it on stdin, e.g. `notion-mcp login --token < token-file`.");
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
    // Only a 401 says anything about the token; anything else is about reaching Notion.
    error.message = (error.code == "unauthorized" ? "Notion did not accept the token: "
                                                  : "Could not check the token with Notion: ") +
                    error.message;
    print_error(error);
    print_err("Nothing was stored.\n");
    return kExitFailed;
  }
  keychain::Credential credential;
  credential.kind = keychain::CredentialKind::integration_token;
  credential.token = std::move(token).value();
  credential.workspace_name = owner->workspace_name;
  credential.bot_id = owner->bot_id;
  if (auto saved = (*target)->save(credential, "the integration token"); !saved) {
    print_error(saved.error());
    print_err("Nothing was stored.\n");
    return kExitFailed;
  }
  return 0;
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
      STDIN_FILENO, "OAuth client secret of the connection (input hidden): ", "the client secret",
      "Pipe the client secret on stdin, or set NOTION_MCP_CLIENT_SECRET.");
}

void describe_ignored(const auth::CallbackResult& result) {
  if (auth::ends_login(result.verdict)) return;
  print_err("Ignored " + result.why + " on the login listener; still waiting.\n");
}

// What Notion's token endpoint answered, as a credential to keep. Without a refresh token the
// access token does not expire, so it is kept like an integration token, with the client id
// and secret so that `logout` can still revoke it.
keychain::Credential credential_from(auth::OAuthTokens& tokens, const std::string& client_id,
                                     const util::Secret& secret) {
  keychain::Credential credential;
  credential.workspace_id = tokens.workspace_id;
  credential.workspace_name = tokens.workspace_name;
  credential.bot_id = tokens.bot_id;
  credential.client_id = client_id;
  credential.client_secret = secret;
  if (tokens.refresh_token.empty()) {
    credential.kind = keychain::CredentialKind::integration_token;
    credential.token = std::move(tokens.access_token);
  } else {
    credential.kind = keychain::CredentialKind::oauth;
    credential.refresh_token = std::move(tokens.refresh_token);
  }
  return credential;
}

// Exchanges the code and saves the login while the browser waits for its page. When the save
// fails, the new grant is revoked at once: nobody should be left with a live login they
// cannot see. Returns whether the login is saved.
bool complete_login(auth::CallbackResult& callback, LoginTarget& target,
                    const notion::ApiEndpoint& endpoint, const auth::ClientCredentials& client,
                    const auth::LoopbackRedirect& redirect, const auth::Pkce& pkce) {
  print_err("Authorization received; exchanging it with Notion ...\n");
  auto notion = auth::BlockingNotion::create(endpoint);
  if (!notion) {
    print_error(notion.error());
    return false;
  }
  auto tokens = (*notion)->exchange_code(client, callback.code, redirect.uri, pkce.verifier);
  callback.code = util::Secret();
  if (!tokens) {
    print_error(tokens.error());
    print_err("Nothing was stored.\n");
    return false;
  }
  keychain::Credential credential =
      credential_from(*tokens, client.client_id, client.client_secret);
  auto saved = target.save(credential, "the OAuth login");
  if (saved) return true;
  print_error(saved.error());
  const util::Secret& grant = credential.kind == keychain::CredentialKind::oauth
                                  ? credential.refresh_token
                                  : credential.token;
  auto revoked = (*notion)->revoke(client, grant);
  if (revoked) {
    print_err(
        "Nothing was stored, and the new login was revoked at Notion again, so no access is "
        "left behind. Fix the problem above and run `notion-mcp login` again.\n");
  } else {
    print_err("Nothing was stored, and the new login could not be revoked at Notion either (" +
              revoked.error().message +
              "). Remove notion-mcp's access in Notion (Settings > Connections) to be sure.\n");
  }
  return false;
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
  // Before the browser: a login that cannot be saved must fail before anyone approves it.
  auto target = LoginTarget::prepare(settings);
  if (!target) {
    print_error(target.error());
    print_err("Nothing was asked of Notion and nothing was stored.\n");
    return kExitFailed;
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

  auth::ClientCredentials client{client_id, *secret};
  auth::ListenOptions listen;
  listen.timeout = std::chrono::seconds(options.timeout_seconds);
  listen.on_request = describe_ignored;
  listen.complete = [&](auth::CallbackResult& callback) {
    return complete_login(callback, **target, endpoint, client, *redirect, pkce);
  };
  auto callback = listener->wait(redirect->path, state, listen);
  if (!callback) {
    print_error(callback.error());
    return kExitFailed;
  }
  switch (callback->verdict) {
    case auth::CallbackVerdict::success:
      return 0;
    case auth::CallbackVerdict::not_completed:
      return kExitFailed;  // complete_login said why
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
  int exit_status = 0;
  auto started = begin_credential_command(options.credentials, exit_status);
  if (!started) return exit_status;
  keychain::Settings settings = std::move(*started);
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
    return login_with_token(settings, *endpoint);
  }
  return login_with_oauth(options, settings, *endpoint);
}

}  // namespace notion_mcp::cli
