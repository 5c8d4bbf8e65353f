#include "notion/error_mapping.h"

#include <array>
#include <utility>

#include "notion/retry_policy.h"
#include "util/redact.h"

namespace notion_mcp::notion {
namespace {

// Notion's messages are short; anything longer is not worth a model's tokens.
constexpr size_t kMaxMessage = 1000;
constexpr size_t kMaxRequestId = 100;

struct HintEntry {
  std::string_view code;
  std::string_view hint;
};

constexpr std::string_view kTransientHint =
    "Notion had a temporary problem. Try again in a little while.";

constexpr std::array<HintEntry, 26> kHints = {{
    {"object_not_found",
     "Check the id, and make sure the page or database is shared with the integration (in Notion: "
     "the page's ••• menu → Connections → add the integration). Pages the integration cannot see "
     "look as if they did not exist."},
    {"validation_error",
     "Fix the arguments as the message says (property names and value types must match the page "
     "or data source schema), then try again."},
    {"unauthorized",
     "Notion rejected the token. Run `notion-mcp login` (or set NOTION_TOKEN to a valid internal "
     "integration token)."},
    {"restricted_resource",
     "The integration may not do this. Share the page with the integration (••• menu → "
     "Connections), or enable the missing capability (read, update or insert content, comments, "
     "user information) in the integration's settings."},
    {"rate_limited",
     "Notion's rate limit was reached and the retries ran out. Wait a minute, then make fewer "
     "requests at once."},
    {"conflict_error",
     "The data changed while this request ran. Re-read the page or block, then make the change "
     "again."},
    {"invalid_json",
     "Notion could not parse the request body. This is a bug in notion-mcp; please report it."},
    {"invalid_request_url",
     "The id or path is malformed. Pass a Notion id (32 hexadecimal characters, dashes optional) "
     "or a notion.so URL."},
    {"invalid_request",
     "Notion does not support this request. Change the arguments as the message says."},
    {"invalid_grant", "The authorization is invalid or has expired. Run `notion-mcp login` again."},
    {"missing_version",
     "The Notion-Version header was missing. This is a bug in notion-mcp; please report it."},
    {"internal_server_error", kTransientHint},
    {"bad_gateway", kTransientHint},
    {"service_unavailable", kTransientHint},
    {"database_connection_unavailable", kTransientHint},
    {"gateway_timeout", kTransientHint},
    {"service_overload",
     "Notion is overloaded. Wait a little, then try again with fewer requests at once."},
    {"write_may_have_committed",
     "Re-read the resource before retrying: Notion may already have saved this change, and "
     "repeating it could apply it twice."},
    {"network_error",
     "Check the network connection (and NOTION_MCP_API_URL, if set), then try again."},
    {"invalid_response",
     "Notion's answer could not be read. Try again; if it keeps happening, check "
     "NOTION_MCP_API_URL or Notion's status page."},
    {"cancelled", "The request was cancelled before it finished; nothing more to do."},
    {"request_blocked",
     "Notion has blocked API requests from this integration; do not retry. Check the "
     "integration's settings in Notion or contact Notion support."},
    {"request_too_large",
     "The request was too large. Send fewer blocks or shorter text per call (at most 100 blocks "
     "and 500 KB)."},
    {"not_found", "Check the path; this endpoint does not exist."},
    {"tls_error",
     "The server's certificate could not be verified. For a test server set NOTION_MCP_CA_FILE "
     "to the CA that signed it; otherwise check the system clock and any TLS-intercepting "
     "proxy or antivirus."},
    {"response_too_large",
     "Ask for less at once: use a smaller page_size, or read long pages in parts."},
}};

// Codes for answers whose body was not a Notion error object (e.g. an HTML page from a proxy).
std::string_view code_for_status(int status) {
  switch (status) {
    case 400:
      return "invalid_request";
    case 401:
      return "unauthorized";
    case 403:
      return "restricted_resource";
    case 404:
      return "object_not_found";
    case 409:
      return "conflict_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limited";
    case 500:
      return "internal_server_error";
    case 502:
      return "bad_gateway";
    case 503:
      return "service_unavailable";
    case 504:
      return "gateway_timeout";
    case 529:
      return "service_overload";
    default:
      return "invalid_response";
  }
}

bool is_safe_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// An append sends at most 100 children; a longer list is not one of ours.
constexpr size_t kMaxCommittedChildren = 100;
// How it names the children an append saved (committed_child_ids reads them); last in the message.
constexpr std::string_view kChildrenMarker = " (committed child ids ";

// How a write_may_have_committed message names the saved resource (committed_resource_id reads it).
constexpr std::string_view kCommittedMarker = " (committed resource id ";

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestId) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string clean_message(std::string_view message) {
  std::string out = util::redact(message.substr(0, kMaxMessage));
  if (message.size() > kMaxMessage) out += "…";
  return out;
}

const util::Json* additional_data(const util::Json* body) {
  if (body == nullptr) return nullptr;
  const util::Json* extra = util::member(*body, "additional_data");
  return extra != nullptr && extra->is_object() ? extra : nullptr;
}

}  // namespace

std::string hint_for(std::string_view code, int status) {
  for (const auto& entry : kHints) {
    if (entry.code == code) return std::string(entry.hint);
  }
  if (status >= 500) return std::string(kTransientHint);
  return "Check the arguments against the message and try again.";
}

util::Error map_error_response(std::string_view method, int status, const util::Json* body,
                               const Headers& headers) {
  const bool notion_error =
      body != nullptr && body->is_object() && util::string_or(*body, "object") == "error";
  util::Error error;
  error.status = status;

  std::string code = notion_error ? util::string_or(*body, "code") : std::string();
  if (!is_safe_code(code)) code = std::string(code_for_status(status));
  error.code = code;

  std::string request_id = notion_error ? util::string_or(*body, "request_id") : std::string();
  if (!is_safe_request_id(request_id))
    request_id = std::string(find_header(headers, "x-request-id"));
  if (is_safe_request_id(request_id)) error.request_id = request_id;

  std::string message = notion_error ? util::string_or(*body, "message") : std::string();
  if (message.empty()) {
    message = notion_error ? "Notion answered HTTP " + std::to_string(status) + " (" + code + ")."
                           : "Notion answered HTTP " + std::to_string(status) +
                                 " with a body that is not a Notion error.";
  }
  error.message = clean_message(message);
  error.hint = hint_for(code, status);

  if (code == "rate_limited" && rate_limit_reason(body) == "public_api_request_blocked") {
    error.hint = hint_for("request_blocked");
  }

  // A write that failed with a 5xx may still have been saved; Notion says so with retry_guidance.
  const util::Json* extra = additional_data(body);
  if (status >= 500 && !is_idempotent(method) && extra != nullptr &&
      extra->contains("retry_guidance")) {
    std::string committed = util::string_or(*extra, "committed_resource_id");
    if (committed.empty()) committed = util::string_or(*body, "committed_resource_id");
    error.code = "write_may_have_committed";
    error.message = "Notion answered HTTP " + std::to_string(status) +
                    " to this write, but the change may already have been saved";
    if (is_safe_request_id(committed)) {
      error.message += std::string(kCommittedMarker) + committed + ")";
    }
    error.message +=
        ". Notion said: " + clean_message(util::string_or(*body, "message", "(no message)"));
    error.hint = hint_for("write_may_have_committed");
    // The children an append saved, in order: ids only, all or none.
    std::string children;
    if (const util::Json* list = util::member(*extra, "committed_child_ids");
        list && list->is_array() && !list->empty() && list->size() <= kMaxCommittedChildren) {
      for (const util::Json& child : *list) {
        std::string id = child.is_string() ? child.get<std::string>() : std::string();
        if (!is_safe_request_id(id)) {
          children.clear();
          break;
        }
        children += (children.empty() ? "" : " ") + id;
      }
    }
    if (!children.empty()) error.message += std::string(kChildrenMarker) + children + ")";
  }
  return error;
}

std::string committed_resource_id(const util::Error& error) {
  if (error.code != "write_may_have_committed") return {};
  size_t at = error.message.find(kCommittedMarker);
  if (at == std::string::npos) return {};
  at += kCommittedMarker.size();
  size_t end = error.message.find(')', at);
  if (end == std::string::npos) return {};
  std::string id = error.message.substr(at, end - at);
  return is_safe_request_id(id) ? id : std::string();
}

std::vector<std::string> committed_child_ids(const util::Error& error) {
  std::vector<std::string> ids;
  if (error.code != "write_may_have_committed") return ids;
  size_t at = error.message.rfind(kChildrenMarker);
  if (at == std::string::npos || error.message.back() != ')') return ids;
  std::string_view list(error.message);
  list = list.substr(at + kChildrenMarker.size());
  list.remove_suffix(1);
  while (!list.empty() && ids.size() < kMaxCommittedChildren) {
    size_t space = list.find(' ');
    std::string_view id = list.substr(0, space);
    if (!is_safe_request_id(id)) return {};
    ids.emplace_back(id);
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  return ids;
}

util::Error invalid_response(int status, std::string_view why) {
  util::Error error;
  error.code = "invalid_response";
  error.status = status;
  error.message = status > 0 ? "Notion's answer (HTTP " + std::to_string(status) +
                                   ") could not be read: " + std::string(why)
                             : "Notion's answer could not be read: " + std::string(why);
  if (!error.message.empty() && error.message.back() != '.') error.message += '.';
  error.message = util::redact(error.message);
  error.hint = hint_for("invalid_response");
  return error;
}

util::Error cancelled_error() {
  return util::make_error("cancelled", "The request was cancelled.", hint_for("cancelled"));
}

}  // namespace notion_mcp::notion
