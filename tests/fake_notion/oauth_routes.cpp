#include "oauth_routes.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <strings.h>

#include <cctype>
#include <chrono>
#include <vector>

#include "notion_errors.h"

namespace notion_mcp::fake_notion {
namespace {

constexpr int64_t kCodeLifetimeMs = 10 * 60 * 1000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string random_text(size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<unsigned char> bytes(length);
  RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string out;
  for (unsigned char b : bytes) out.push_back(kAlphabet[b % 62]);
  return out;
}

// Written independently of src/auth/pkce.cpp (OpenSSL here, libsodium there), so the fake
// really checks the client's computation.
std::string s256(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  unsigned char encoded[64] = {};
  int n = EVP_EncodeBlock(encoded, digest, sizeof digest);
  std::string out(reinterpret_cast<char*>(encoded), static_cast<size_t>(n));
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

bool constant_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
               hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::map<std::string, std::string> query_of(std::string_view path) {
  std::map<std::string, std::string> out;
  size_t question = path.find('?');
  if (question == std::string_view::npos) return out;
  std::string_view query = path.substr(question + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    size_t equals = piece.find('=');
    out.emplace(url_decode(piece.substr(0, equals)),
                equals == std::string_view::npos ? "" : url_decode(piece.substr(equals + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// Redirects only to plain-HTTP loopback: the fake must never become an open redirect.
bool loopback_http(std::string_view uri) {
  for (std::string_view prefix : {"http://127.0.0.1:", "http://localhost:", "http://[::1]:"}) {
    if (uri.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

notion::HttpResponse redirect(const std::string& location) {
  notion::HttpResponse response;
  response.status = 302;
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.headers.emplace_back("Cache-Control", "no-store");
  response.body = "Redirecting to the application.\n";
  return response;
}

}  // namespace

notion::HttpResponse OAuthProvider::oauth_failure(int status, std::string_view error,
                                                  std::string_view description) const {
  if (settings_.error_shape == "notion") {
    return error_response(status, error == "invalid_client" ? "unauthorized" : error, description);
  }
  return json_response(status, {{"error", error}, {"error_description", description}});
}

bool OAuthProvider::client_authenticated(const notion::HttpRequest& request) const {
  std::string_view value = notion::find_header(request.headers, "Authorization");
  constexpr std::string_view kScheme = "Basic ";
  if (value.size() <= kScheme.size() || ::strncasecmp(value.data(), "Basic ", 6) != 0) {
    return false;
  }
  std::string_view encoded = value.substr(kScheme.size());
  std::vector<unsigned char> decoded(encoded.size() + 3);
  int n = EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(encoded.data()),
                          static_cast<int>(encoded.size()));
  if (n < 0) return false;
  // EVP_DecodeBlock counts padding bytes as zeros: drop them.
  size_t length = static_cast<size_t>(n);
  if (encoded.size() >= 1 && encoded.back() == '=') --length;
  if (encoded.size() >= 2 && encoded[encoded.size() - 2] == '=') --length;
  std::string_view text(reinterpret_cast<char*>(decoded.data()), length);
  std::string expected = settings_.client_id + ":" + settings_.client_secret;
  return constant_equal(text, expected);
}

util::Json OAuthProvider::issue(uint64_t grant) {
  const std::string& prefix = settings_.token_prefix;
  std::string access = (prefix.empty() ? "ntn_" : prefix + "at-") + random_text(46);
  std::string refresh = (prefix.empty() ? "nrt_" : prefix + "rt-") + random_text(46);
  access_tokens_[access] = Issued{grant, true};
  refresh_tokens_[refresh] = Issued{grant, true};
  return {{"access_token", access},
          {"token_type", "bearer"},
          {"refresh_token", refresh},
          {"bot_id", settings_.bot_id},
          {"workspace_id", settings_.workspace_id},
          {"workspace_name", settings_.workspace_name},
          {"workspace_icon", nullptr},
          {"owner", {{"type", "user"}, {"user", {{"object", "user"}, {"id", settings_.bot_id}}}}},
          {"duplicated_template_id", nullptr},
          {"request_id", new_request_id()}};
}

void OAuthProvider::end_grant(uint64_t grant) {
  for (auto* tokens : {&access_tokens_, &refresh_tokens_}) {
    for (auto& [token, issued] : *tokens) {
      if (issued.grant == grant) issued.live = false;
    }
  }
}

notion::HttpResponse OAuthProvider::authorize(const notion::HttpRequest& request) {
  std::lock_guard lock(mutex_);
  ++counters_.authorize;
  auto query = query_of(request.path);
  if (query["client_id"] != settings_.client_id) {
    return error_response(400, "invalid_request", "Unknown client_id.");
  }
  if (query["response_type"] != "code") {
    return error_response(400, "invalid_request", "response_type must be code.");
  }
  const std::string& redirect_uri = query["redirect_uri"];
  if (!loopback_http(redirect_uri)) {
    return error_response(400, "invalid_request", "redirect_uri is not a registered URI.");
  }
  if (query.count("code_challenge") && query["code_challenge_method"] != "S256") {
    return error_response(400, "invalid_request", "code_challenge_method must be S256.");
  }
  std::string location = redirect_uri + (redirect_uri.find('?') == std::string::npos ? "?" : "&");
  if (settings_.deny) {
    location += "error=access_denied";
  } else {
    std::string code = "fakecode_" + random_text(32);
    codes_[code] = Code{settings_.client_id, redirect_uri, query["code_challenge"],
                        now_ms() + kCodeLifetimeMs, false};
    location += "code=" + url_encode(code);
  }
  if (query.count("state")) location += "&state=" + url_encode(query["state"]);
  return redirect(location);
}

notion::HttpResponse OAuthProvider::token(const notion::HttpRequest& request) {
  std::lock_guard lock(mutex_);
  if (!client_authenticated(request)) {
    return oauth_failure(401, "invalid_client", "The client id or secret is wrong.");
  }
  std::string_view type = notion::find_header(request.headers, "Content-Type");
  if (type.substr(0, 16) != "application/json") {
    return oauth_failure(400, "invalid_request", "The body must be JSON.");
  }
  auto body = util::parse_json(request.body);
  if (!body || !body->is_object()) {
    return oauth_failure(400, "invalid_request", "The body must be a JSON object.");
  }
  std::string grant_type = util::string_or(*body, "grant_type");
  if (grant_type == "authorization_code") {
    auto it = codes_.find(util::string_or(*body, "code"));
    if (it == codes_.end() || it->second.used || it->second.expires_ms < now_ms()) {
      return oauth_failure(400, "invalid_grant", "The authorization code is invalid.");
    }
    Code& code = it->second;
    code.used = true;  // burned even when a check below fails, like a real server
    if (util::string_or(*body, "redirect_uri") != code.redirect_uri) {
      return oauth_failure(400, "invalid_grant", "redirect_uri does not match the authorization.");
    }
    if (!code.challenge.empty() &&
        !constant_equal(s256(util::string_or(*body, "code_verifier")), code.challenge)) {
      return oauth_failure(400, "invalid_grant", "code_verifier does not match code_challenge.");
    }
    ++counters_.exchanges;
    util::Json tokens = issue(next_grant_++);
    if (settings_.omit_refresh_token) tokens["refresh_token"] = nullptr;
    return json_response(200, tokens);
  }
  if (grant_type == "refresh_token") {
    auto it = refresh_tokens_.find(util::string_or(*body, "refresh_token"));
    if (it == refresh_tokens_.end() || !it->second.live) {
      ++counters_.refresh_failures;
      return oauth_failure(400, "invalid_grant", "The refresh token is invalid or was rotated.");
    }
    it->second.live = false;  // rotation: the old refresh token dies at once
    ++counters_.refreshes;
    return json_response(200, issue(it->second.grant));
  }
  return oauth_failure(400, "unsupported_grant_type", "grant_type is not supported.");
}

notion::HttpResponse OAuthProvider::revoke(const notion::HttpRequest& request) {
  std::lock_guard lock(mutex_);
  if (!client_authenticated(request)) {
    return oauth_failure(401, "invalid_client", "The client id or secret is wrong.");
  }
  auto body = util::parse_json(request.body);
  if (!body || !body->is_object() || !util::member(*body, "token")) {
    return oauth_failure(400, "invalid_request", "The body must be {\"token\": ...}.");
  }
  std::string token = util::string_or(*body, "token");
  for (auto* tokens : {&access_tokens_, &refresh_tokens_}) {
    if (auto it = tokens->find(token); it != tokens->end()) end_grant(it->second.grant);
  }
  ++counters_.revocations;
  return json_response(200, util::Json::object());
}

notion::HttpResponse OAuthProvider::control_get() {
  std::lock_guard lock(mutex_);
  auto live = [](const auto& tokens) {
    int count = 0;
    for (const auto& [token, issued] : tokens) count += issued.live ? 1 : 0;
    return count;
  };
  return json_response(200, {{"authorize_requests", counters_.authorize},
                             {"exchanges", counters_.exchanges},
                             {"refreshes", counters_.refreshes},
                             {"refresh_failures", counters_.refresh_failures},
                             {"revocations", counters_.revocations},
                             {"live_access_tokens", live(access_tokens_)},
                             {"live_refresh_tokens", live(refresh_tokens_)},
                             {"client_id", settings_.client_id},
                             {"deny", settings_.deny},
                             {"error_shape", settings_.error_shape}});
}

notion::HttpResponse OAuthProvider::control_post(const notion::HttpRequest& request) {
  auto patch = util::parse_json(request.body);
  if (!patch || !patch->is_object()) {
    return error_response(400, "invalid_json", "Send a JSON object.");
  }
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, value] : patch->items()) {
      if ((key == "client_id" || key == "client_secret" || key == "workspace_name" ||
           key == "seed_refresh_token" || key == "token_prefix") &&
          value.is_string()) {
        std::string text = value.get<std::string>();
        if (key == "client_id") settings_.client_id = text;
        if (key == "client_secret") settings_.client_secret = text;
        if (key == "workspace_name") settings_.workspace_name = text;
        if (key == "token_prefix") settings_.token_prefix = text;
        if (key == "seed_refresh_token") refresh_tokens_[text] = Issued{next_grant_++, true};
      } else if (key == "error_shape" && value.is_string() &&
                 (value == "rfc6749" || value == "notion")) {
        settings_.error_shape = value.get<std::string>();
      } else if (key == "deny" && value.is_boolean()) {
        settings_.deny = value.get<bool>();
      } else if (key == "omit_refresh_token" && value.is_boolean()) {
        settings_.omit_refresh_token = value.get<bool>();
      } else if (key == "expire_access_tokens" && value.is_boolean()) {
        if (value.get<bool>()) {
          for (auto& [token, issued] : access_tokens_) issued.live = false;
        }
      } else if (key == "revoke_all" && value.is_boolean()) {
        if (value.get<bool>()) {
          for (auto* tokens : {&access_tokens_, &refresh_tokens_}) {
            for (auto& [token, issued] : *tokens) issued.live = false;
          }
        }
      } else {
        return error_response(400, "validation_error", "Unknown or mistyped setting: " + key);
      }
    }
  }
  return control_get();
}

std::optional<bool> OAuthProvider::bearer_status(const notion::Headers& headers) const {
  std::string_view value = notion::find_header(headers, "Authorization");
  if (value.size() <= 7 || ::strncasecmp(value.data(), "Bearer ", 7) != 0) return std::nullopt;
  std::string_view presented = value.substr(7);
  std::lock_guard lock(mutex_);
  auto it = access_tokens_.find(presented);
  if (it == access_tokens_.end()) return std::nullopt;
  return it->second.live;
}

void add_oauth_routes(Router& router, OAuthProvider& provider) {
  router.add("GET", "/v1/oauth/authorize", RouteKind::kApi,
             [&provider](const notion::HttpRequest& r) { return provider.authorize(r); });
  router.add("POST", "/v1/oauth/token", RouteKind::kApi,
             [&provider](const notion::HttpRequest& r) { return provider.token(r); });
  router.add("POST", "/v1/oauth/revoke", RouteKind::kApi,
             [&provider](const notion::HttpRequest& r) { return provider.revoke(r); });
  router.add("GET", "/__fake/oauth", RouteKind::kControl,
             [&provider](const notion::HttpRequest&) { return provider.control_get(); });
  router.add("POST", "/__fake/oauth", RouteKind::kControl,
             [&provider](const notion::HttpRequest& r) { return provider.control_post(r); });
}

}  // namespace notion_mcp::fake_notion
