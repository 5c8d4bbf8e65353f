#include "auth/oauth_client.h"

#include <sodium.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "notion/client.h"
#include "notion/connector.h"
#include "notion/error_mapping.h"
#include "util/redact.h"

namespace notion_mcp::auth {
namespace {

constexpr size_t kMaxDescriptionLength = 200;

void scrub_string(std::string& text) {
  sodium_memzero(text.data(), text.size());
  text.clear();
}

// JSON string escaping into a buffer reserved up front, so no copy is left behind by growth.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      out += "\\u00";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// Takes a string member out of `body` into a Secret and overwrites it in the tree.
util::Secret take_secret(util::Json& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return {};
  std::string& text = it->get_ref<std::string&>();
  util::Secret secret(text);
  scrub_string(text);
  return secret;
}

bool plain_code(std::string_view code) {
  return !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string short_description(std::string_view text) {
  std::string out = util::redact(text.substr(0, kMaxDescriptionLength));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string_view call_name(TokenCall call) {
  switch (call) {
    case TokenCall::exchange:
      return "exchanging the authorization code";
    case TokenCall::refresh:
      return "refreshing the access token";
    case TokenCall::revoke:
      return "revoking the token";
  }
  return "calling the OAuth endpoint";
}

util::Task<void> store_result_of(util::Task<util::Result<OAuthTokens>> task,
                                 std::optional<util::Result<OAuthTokens>>& out) {
  out.emplace(co_await std::move(task));
}
util::Task<void> store_result_of(util::Task<util::Result<void>> task,
                                 std::optional<util::Result<void>>& out) {
  out.emplace(co_await std::move(task));
}
util::Task<void> store_result_of(util::Task<util::Result<util::Json>> task,
                                 std::optional<util::Result<util::Json>>& out) {
  out.emplace(co_await std::move(task));
}

}  // namespace

util::Secret basic_authorization(const ClientCredentials& client) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  size_t plain_size = client.client_id.size() + 1 + client.client_secret.size();
  std::string plain;
  plain.reserve(plain_size);
  plain += client.client_id;
  plain += ':';
  plain += client.client_secret.reveal();
  std::string header;
  header.reserve(6 + sodium_base64_encoded_len(plain.size(), variant));
  header = "Basic ";
  header.resize(6 + sodium_base64_encoded_len(plain.size(), variant));
  sodium_bin2base64(header.data() + 6, header.size() - 6,
                    reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), variant);
  header.resize(6 + std::strlen(header.c_str() + 6));
  util::Secret secret(header);
  scrub_string(plain);
  scrub_string(header);
  return secret;
}

util::Secret token_request_body(TokenCall call, const util::Secret& grant,
                                std::string_view redirect_uri, const util::Secret& code_verifier) {
  std::string body;
  body.reserve(128 + 6 * (grant.size() + redirect_uri.size() + code_verifier.size()));
  switch (call) {
    case TokenCall::exchange:
      body += "{\"grant_type\":\"authorization_code\",\"code\":";
      append_json_string(body, grant.reveal());
      body += ",\"redirect_uri\":";
      append_json_string(body, redirect_uri);
      if (!code_verifier.empty()) {
        body += ",\"code_verifier\":";
        append_json_string(body, code_verifier.reveal());
      }
      body += "}";
      break;
    case TokenCall::refresh:
      body += "{\"grant_type\":\"refresh_token\",\"refresh_token\":";
      append_json_string(body, grant.reveal());
      body += "}";
      break;
    case TokenCall::revoke:
      body += "{\"token\":";
      append_json_string(body, grant.reveal());
      body += "}";
      break;
  }
  util::Secret secret(body);
  scrub_string(body);
  return secret;
}

util::Error oauth_error(TokenCall call, int status, const util::Json* body) {
  std::string code;
  std::string description;
  if (body != nullptr && body->is_object()) {
    if (const util::Json* error = util::member(*body, "error"); error && error->is_string()) {
      code = error->get<std::string>();  // RFC 6749
      description = util::string_or(*body, "error_description");
    } else if (util::string_or(*body, "object") == "error") {
      code = util::string_or(*body, "code");  // Notion's own shape
      description = util::string_or(*body, "message");
    }
  }
  if (!plain_code(code)) code.clear();
  std::string said =
      description.empty() ? "" : " Notion said: " + short_description(description) + ".";
  std::string what(call_name(call));
  util::Error error;
  error.status = status;
  if (body != nullptr && body->is_object()) {
    std::string request_id = util::string_or(*body, "request_id");
    if (request_id.size() <= 64) error.request_id = request_id;
  }

  if (code == "invalid_grant") {
    error.code = "invalid_grant";
    if (call == TokenCall::refresh) {
      error.message =
          "Notion no longer accepts the saved login (invalid_grant): its refresh token was "
          "revoked, expired or already used." +
          said;
      error.hint = "Run `notion-mcp login` again. Nothing was deleted.";
    } else {
      error.message =
          "Notion refused the authorization code (invalid_grant): it expired, was already used, "
          "or the redirect URI does not match the one registered." +
          said;
      error.hint =
          "Run `notion-mcp login` again; --redirect-uri must match the connection's redirect URI "
          "exactly.";
    }
    return error;
  }
  if (code == "invalid_client" || code == "unauthorized_client" ||
      (status == 401 && (code.empty() || code == "unauthorized"))) {
    error.code = "invalid_client";
    error.message = "Notion refused the client id or client secret while " + what + " (" +
                    (code.empty() ? std::to_string(status) : code) + ")." + said;
    error.hint =
        "Check --client-id and the client secret against your public connection's settings at "
        "https://www.notion.so/profile/integrations.";
    return error;
  }
  if (status == 429 || status == 529 || status >= 500) {
    error.code = status == 429 ? "rate_limited" : "service_unavailable";
    error.message = "Notion's OAuth endpoint is unavailable (HTTP " + std::to_string(status) +
                    ") while " + what + ".";
    error.hint = "Try again in a minute. Nothing was deleted.";
    return error;
  }
  error.code = code.empty() ? "oauth_error" : code;
  error.message = "Notion answered HTTP " + std::to_string(status) +
                  (code.empty() ? "" : " (" + code + ")") + " while " + what + "." + said;
  error.hint = call == TokenCall::refresh ? "Run `notion-mcp login` again if it persists. Nothing "
                                            "was deleted."
                                          : "Run `notion-mcp login` again.";
  return error;
}

util::Result<OAuthTokens> parse_token_response(util::Json& body) {
  OAuthTokens tokens;
  if (!body.is_object()) {
    return util::make_error("invalid_response",
                            "Notion's token endpoint answered with no JSON "
                            "object.");
  }
  tokens.access_token = take_secret(body, "access_token");
  tokens.refresh_token = take_secret(body, "refresh_token");
  if (tokens.access_token.empty()) {
    return util::make_error("invalid_response",
                            "Notion's token endpoint answered without an access token.",
                            "Try `notion-mcp login` again; if it persists, Notion may be having "
                            "problems.");
  }
  tokens.workspace_id = util::string_or(body, "workspace_id");
  tokens.workspace_name = util::string_or(body, "workspace_name");
  tokens.bot_id = util::string_or(body, "bot_id");
  return tokens;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string authorize_url(std::string_view api_base, std::string_view client_id,
                          std::string_view redirect_uri, std::string_view state,
                          std::string_view code_challenge) {
  std::string url(api_base);
  url += kAuthorizePath;
  url += "?client_id=" + url_encode(client_id);
  url += "&response_type=code&owner=user";
  url += "&redirect_uri=" + url_encode(redirect_uri);
  url += "&state=" + url_encode(state);
  url += "&code_challenge=" + url_encode(code_challenge);
  url += "&code_challenge_method=S256";
  return url;
}

util::Task<util::Result<notion::HttpResponse>> OAuthClient::post(std::string path,
                                                                 const ClientCredentials& client,
                                                                 const util::Secret& body,
                                                                 util::CancelToken cancel) {
  notion::HttpRequest request;
  request.method = "POST";
  request.path = std::move(path);
  util::Secret authorization = basic_authorization(client);
  request.headers.emplace_back("Authorization", std::string(authorization.reveal()));
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("Notion-Version", std::string(notion::kNotionVersion));
  request.body = std::string(body.reveal());
  util::Result<notion::HttpResponse> outcome =
      co_await util::CallbackAwaitable<util::Result<notion::HttpResponse>>(
          [&](std::function<void(util::Result<notion::HttpResponse>)> complete) {
            transport_.start(std::move(request), cancel, std::move(complete));
          });
  if (!outcome.ok()) {
    util::Error error = std::move(outcome).error();
    error.message = util::redact(error.message);
    if (error.hint.empty()) error.hint = notion::hint_for(error.code, error.status);
    co_return error;
  }
  co_return std::move(outcome).value();
}

util::Task<util::Result<OAuthTokens>> OAuthClient::exchange_code(ClientCredentials client,
                                                                 util::Secret code,
                                                                 std::string redirect_uri,
                                                                 util::Secret code_verifier,
                                                                 util::CancelToken cancel) {
  util::Secret body = token_request_body(TokenCall::exchange, code, redirect_uri, code_verifier);
  auto response = co_await post(std::string(kTokenPath), client, body, cancel);
  if (!response.ok()) co_return response.error();
  auto parsed = util::parse_small_json(response->body);
  scrub_string(response->body);
  if (response->status < 200 || response->status >= 300) {
    co_return oauth_error(TokenCall::exchange, response->status, parsed.ok() ? &*parsed : nullptr);
  }
  if (!parsed.ok()) {
    co_return util::make_error("invalid_response",
                               "Notion's token endpoint answered with something that is not JSON.");
  }
  co_return parse_token_response(*parsed);
}

util::Task<util::Result<OAuthTokens>> OAuthClient::refresh(ClientCredentials client,
                                                           util::Secret refresh_token,
                                                           util::CancelToken cancel) {
  util::Secret body = token_request_body(TokenCall::refresh, refresh_token, {}, {});
  auto response = co_await post(std::string(kTokenPath), client, body, cancel);
  if (!response.ok()) co_return response.error();
  auto parsed = util::parse_small_json(response->body);
  scrub_string(response->body);
  if (response->status < 200 || response->status >= 300) {
    co_return oauth_error(TokenCall::refresh, response->status, parsed.ok() ? &*parsed : nullptr);
  }
  if (!parsed.ok()) {
    co_return util::make_error("invalid_response",
                               "Notion's token endpoint answered with something that is not JSON.");
  }
  co_return parse_token_response(*parsed);
}

util::Task<util::Result<void>> OAuthClient::revoke(ClientCredentials client, util::Secret token,
                                                   util::CancelToken cancel) {
  util::Secret body = token_request_body(TokenCall::revoke, token, {}, {});
  auto response = co_await post(std::string(kRevokePath), client, body, cancel);
  if (!response.ok()) co_return response.error();
  if (response->status >= 200 && response->status < 300) co_return util::Result<void>();
  auto parsed = util::parse_small_json(response->body);
  co_return oauth_error(TokenCall::revoke, response->status, parsed.ok() ? &*parsed : nullptr);
}

util::Result<std::unique_ptr<BlockingNotion>> BlockingNotion::create(
    const notion::ApiEndpoint& endpoint, std::shared_ptr<const notion::CurlLibrary> curl,
    std::chrono::milliseconds timeout) {
  if (!curl) {
    auto loaded = notion::CurlLibrary::load();
    if (!loaded) return loaded.error();
    curl = std::move(loaded).value();
  }
  auto blocking = std::unique_ptr<BlockingNotion>(new BlockingNotion());
  blocking->timeout_ = timeout;
  blocking->loop_ = std::make_unique<util::EventLoop>();
  notion::CurlTransportOptions options;
  options.base_url = endpoint.base_url;
  options.ca_pem = endpoint.ca_pem;
  options.pinned_address = endpoint.pinned_address;
  options.total_timeout = timeout;
  options.library = std::move(curl);
  auto transport = notion::CurlTransport::create(*blocking->loop_, std::move(options));
  if (!transport) return transport.error();
  blocking->transport_ = std::move(transport).value();
  return blocking;
}

template <class T>
util::Result<T> BlockingNotion::run(util::Task<util::Result<T>> task) {
  std::optional<util::Result<T>> out;
  // The transport's own timeout ends the transfer first; the margin only guards against a bug.
  bool done = util::run_to_completion(*loop_, store_result_of(std::move(task), out),
                                      timeout_ + std::chrono::milliseconds(5000));
  if (!done || !out) {
    return util::make_error("network_error", "Notion did not answer in time.",
                            "Check the network connection and try again.");
  }
  return std::move(*out);
}

// users_me.cpp runs a Notion API call through the same loop.
template util::Result<util::Json> BlockingNotion::run(util::Task<util::Result<util::Json>>);

util::Result<OAuthTokens> BlockingNotion::exchange_code(const ClientCredentials& client,
                                                        const util::Secret& code,
                                                        std::string_view redirect_uri,
                                                        const util::Secret& code_verifier) {
  OAuthClient oauth(*transport_);
  return run(oauth.exchange_code(client, code, std::string(redirect_uri), code_verifier, {}));
}

util::Result<OAuthTokens> BlockingNotion::refresh(const ClientCredentials& client,
                                                  const util::Secret& refresh_token) {
  OAuthClient oauth(*transport_);
  return run(oauth.refresh(client, refresh_token, {}));
}

util::Result<void> BlockingNotion::revoke(const ClientCredentials& client,
                                          const util::Secret& token) {
  OAuthClient oauth(*transport_);
  return run(oauth.revoke(client, token, {}));
}

}  // namespace notion_mcp::auth
