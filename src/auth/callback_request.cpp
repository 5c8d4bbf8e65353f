#include "auth/callback_request.h"

#include <sodium.h>

#include <algorithm>

#include "auth/pkce.h"

namespace notion_mcp::auth {
namespace {

constexpr size_t kMaxMethodLength = 16;
constexpr size_t kMaxCodeLength = 2048;
constexpr size_t kMaxErrorCodeLength = 64;

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

HeadParse invalid(int status, std::string why) {
  HeadParse out;
  out.status = HeadStatus::invalid;
  out.error_status = status;
  out.why = std::move(why);
  return out;
}

// The request line: METHOD SP origin-form-target SP HTTP/1.x
HeadParse parse_request_line(std::string_view line, RequestHead& head) {
  size_t first = line.find(' ');
  if (first == std::string_view::npos) return invalid(400, "the request line has no target");
  size_t second = line.find(' ', first + 1);
  if (second == std::string_view::npos) return invalid(400, "the request line has no version");
  std::string_view method = line.substr(0, first);
  std::string_view target = line.substr(first + 1, second - first - 1);
  std::string_view version = line.substr(second + 1);
  if (method.empty() || method.size() > kMaxMethodLength ||
      !std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return invalid(400, "the request method is not a plain word");
  }
  if (target.size() > kMaxRequestTargetBytes) return invalid(414, "the request target is too long");
  if (target.empty() || target[0] != '/') {
    return invalid(400, "the request target is not a path");
  }
  for (char c : target) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return invalid(400, "the request target has invalid characters");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    bool http = version.substr(0, 5) == "HTTP/";
    return invalid(http ? 505 : 400, http ? "the HTTP version is not 1.0 or 1.1"
                                          : "the request line does not end with HTTP/1.x");
  }
  head.method = std::string(method);
  size_t question = target.find('?');
  head.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) head.query = std::string(target.substr(question + 1));
  return HeadParse{};
}

// One header field "name: value"; its content is not needed, only its shape.
bool valid_header_line(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  std::string_view name = line.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), is_tchar)) return false;
  for (char c : line.substr(colon + 1)) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        sodium_memzero(out.data(), out.size());
        return std::nullopt;
      }
      c = static_cast<char>(high * 16 + low);
      i += 2;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      sodium_memzero(out.data(), out.size());
      return std::nullopt;
    }
    out.push_back(c);
  }
  return out;
}

bool plain_error_code(std::string_view code) {
  return !code.empty() && code.size() <= kMaxErrorCodeLength &&
         std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

struct Page {
  int status;
  std::string_view reason;
  std::string_view title;
  std::string_view body;
};

Page page_for(CallbackVerdict verdict) {
  switch (verdict) {
    case CallbackVerdict::success:
      return {200, "OK", "notion-mcp: logged in",
              "<p>notion-mcp is connected to Notion and the login is saved. Your terminal says "
              "where.</p><p>You can close this tab.</p>"};
    case CallbackVerdict::not_completed:
      return {500, "Internal Server Error", "notion-mcp: the login failed",
              "<p>Notion authorized notion-mcp, but the login could not be completed, so it is "
              "not saved. Your terminal says why and what to do.</p>"
              "<p>Then run <code>notion-mcp login</code> again.</p>"};
    case CallbackVerdict::denied:
      return {200, "OK", "notion-mcp: you declined",
              "<p>You declined to give notion-mcp access to Notion, so nothing was stored.</p>"
              "<p>If that was a mistake, run <code>notion-mcp login</code> again.</p>"};
    case CallbackVerdict::bad_state:
      return {400, "Bad Request", "notion-mcp: this login link is not valid",
              "<p>This callback does not belong to the login that is waiting for it (its "
              "<code>state</code> is missing or wrong), so it was refused. It may come from an "
              "old tab or a forged link.</p><p>Run <code>notion-mcp login</code> again.</p>"};
    case CallbackVerdict::bad_callback:
      return {400, "Bad Request", "notion-mcp: incomplete callback",
              "<p>The callback from Notion was incomplete, so the login stopped.</p>"
              "<p>Run <code>notion-mcp login</code> again.</p>"};
    case CallbackVerdict::provider_error:
      return {400, "Bad Request", "notion-mcp: Notion reported an error",
              "<p>Notion did not authorize notion-mcp. The terminal says why.</p>"
              "<p>Run <code>notion-mcp login</code> again.</p>"};
    case CallbackVerdict::not_found:
      return {404, "Not Found", "notion-mcp: not found",
              "<p>This address only serves notion-mcp's login callback.</p>"};
    case CallbackVerdict::method_not_allowed:
      return {405, "Method Not Allowed", "notion-mcp: method not allowed",
              "<p>The login callback only accepts GET.</p>"};
    case CallbackVerdict::bad_request:
      break;
  }
  return {400, "Bad Request", "notion-mcp: bad request",
          "<p>This address only serves notion-mcp's login callback.</p>"};
}

}  // namespace

HeadParse parse_request_head(std::string_view bytes) {
  HeadParse out;
  size_t pos = 0;
  size_t fields = 0;
  bool first_line = true;
  for (;;) {  // one line per turn; ends at the blank line, an error, or the end of the bytes
    size_t newline = bytes.find('\n', pos);
    if (newline == std::string_view::npos) {
      if (bytes.size() >= kMaxRequestHeadBytes) {
        return invalid(first_line ? 414 : 431, "the request head is too large");
      }
      if (first_line && bytes.size() - pos > kMaxRequestTargetBytes + 32) {
        return invalid(414, "the request line is too long");
      }
      out.status = HeadStatus::incomplete;
      return out;
    }
    if (newline + 1 > kMaxRequestHeadBytes) return invalid(431, "the request head is too large");
    std::string_view line = bytes.substr(pos, newline - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return invalid(400, "the request has a stray control character");
    }
    pos = newline + 1;
    if (first_line) {
      HeadParse line_parse = parse_request_line(line, out.head);
      if (line_parse.status == HeadStatus::invalid) return line_parse;
      first_line = false;
      continue;
    }
    if (line.empty()) {
      out.status = HeadStatus::complete;
      return out;
    }
    if (++fields > kMaxHeaderFields) return invalid(431, "the request has too many headers");
    if (!valid_header_line(line)) return invalid(400, "a header field is malformed");
  }
}

std::optional<QueryParameters> parse_query(std::string_view query) {
  QueryParameters parameters;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view piece = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (piece.empty()) continue;
    if (parameters.size() >= kMaxQueryParameters) {
      scrub(parameters);
      return std::nullopt;
    }
    size_t equals = piece.find('=');
    auto name = percent_decode(piece.substr(0, equals));
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view()
                                                                 : piece.substr(equals + 1));
    if (!name || !value) {
      if (value) sodium_memzero(value->data(), value->size());
      scrub(parameters);
      return std::nullopt;
    }
    parameters.emplace_back(std::move(*name), std::move(*value));
  }
  return parameters;
}

void scrub(QueryParameters& parameters) {
  for (auto& [name, value] : parameters) {
    sodium_memzero(name.data(), name.size());
    sodium_memzero(value.data(), value.size());
  }
  parameters.clear();
}

bool ends_login(CallbackVerdict verdict) {
  switch (verdict) {
    case CallbackVerdict::bad_request:
    case CallbackVerdict::not_found:
    case CallbackVerdict::method_not_allowed:
      return false;
    default:
      return true;
  }
}

CallbackResult classify_callback(const HeadParse& parse, std::string_view callback_path,
                                 std::string_view expected_state) {
  CallbackResult result;
  if (parse.status != HeadStatus::complete) {
    result.verdict = CallbackVerdict::bad_request;
    result.why = "a malformed request (" + parse.why + ")";
    return result;
  }
  if (parse.head.path != callback_path) {
    result.verdict = CallbackVerdict::not_found;
    result.why = "a request for another path";
    return result;
  }
  if (parse.head.method != "GET") {
    result.verdict = CallbackVerdict::method_not_allowed;
    result.why = "a " + parse.head.method + " request for the callback path";
    return result;
  }
  auto parameters = parse_query(parse.head.query);
  if (!parameters) {
    result.verdict = CallbackVerdict::bad_state;
    result.why = "the callback's query could not be decoded, so its state cannot be checked";
    return result;
  }
  auto count = [&](std::string_view name) {
    return std::count_if(parameters->begin(), parameters->end(),
                         [&](const auto& p) { return p.first == name; });
  };
  auto value = [&](std::string_view name) -> std::string_view {
    for (const auto& [n, v] : *parameters) {
      if (n == name) return v;
    }
    return {};
  };

  // The state first: nothing else in a callback that is not ours deserves a look.
  if (count("state") != 1 || !state_matches(expected_state, value("state"))) {
    result.verdict = CallbackVerdict::bad_state;
    result.why = count("state") == 0  ? "the callback has no state"
                 : count("state") > 1 ? "the callback has more than one state"
                                      : "the callback's state does not match this login";
  } else if (count("error") > 1 || count("code") > 1) {
    result.verdict = CallbackVerdict::bad_callback;
    result.why = "the callback repeats a parameter";
  } else if (count("error") == 1) {
    std::string_view error = value("error");
    if (error == "access_denied") {
      result.verdict = CallbackVerdict::denied;
      result.why = "you declined access in Notion";
    } else {
      result.verdict = CallbackVerdict::provider_error;
      result.error_code = plain_error_code(error) ? std::string(error) : "unknown";
      result.why = "Notion answered with the error " + result.error_code;
    }
  } else if (count("code") == 0 || value("code").empty() || value("code").size() > kMaxCodeLength) {
    result.verdict = CallbackVerdict::bad_callback;
    result.why = "the callback carries no usable authorization code";
  } else {
    result.verdict = CallbackVerdict::success;
    result.code = util::Secret(value("code"));
    result.why = "the authorization code arrived";
  }
  scrub(*parameters);
  return result;
}

std::string callback_response(CallbackVerdict verdict) {
  Page page = page_for(verdict);
  std::string html;
  html.reserve(1024);
  html += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  html += page.title;
  html +=
      "</title><style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;"
      "padding:0 1em;line-height:1.5}</style></head><body><h1>";
  html += page.title;
  html += "</h1>";
  html += page.body;
  html += "</body></html>\n";

  std::string response = "HTTP/1.1 " + std::to_string(page.status) + " ";
  response += page.reason;
  response +=
      "\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Content-Length: " +
      std::to_string(html.size()) +
      "\r\n"
      // The callback URL carries the code: keep it out of caches, referrers and frames.
      "Cache-Control: no-store\r\n"
      "Referrer-Policy: no-referrer\r\n"
      "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
      "frame-ancestors 'none'\r\n"
      "X-Content-Type-Options: nosniff\r\n"
      "X-Frame-Options: DENY\r\n"
      "Connection: close\r\n\r\n";
  response += html;
  return response;
}

}  // namespace notion_mcp::auth
