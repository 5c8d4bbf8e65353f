// The one HTTP request the login's loopback listener cares about: a bounded parser for the
// request line and headers (whatever a local process or the browser sends is untrusted), the
// verdict on a callback (right path, right `state`, a code or an error), and the fixed pages
// the browser is shown. No page ever reflects anything from the request.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/secret.h"

namespace notion_mcp::auth {

inline constexpr size_t kMaxRequestHeadBytes = 8192;  // request line + headers
inline constexpr size_t kMaxRequestTargetBytes = 4096;
inline constexpr size_t kMaxHeaderFields = 64;
inline constexpr size_t kMaxQueryParameters = 32;

struct RequestHead {
  std::string method;  // "GET"
  std::string path;    // the target before '?', still percent-encoded
  std::string query;   // after '?', raw; empty when there is none
};

enum class HeadStatus {
  incomplete,  // the blank line that ends the headers has not arrived yet
  complete,
  invalid,  // not an HTTP/1.x request we accept: answer `error_status` and close
};

struct HeadParse {
  HeadStatus status = HeadStatus::incomplete;
  RequestHead head;
  int error_status = 0;  // 400, 405, 414, 431 or 505 when invalid
  std::string why;       // for the terminal, never for the page
};

// Parses the request head at the start of `bytes` (everything received so far). Bounded: more
// than kMaxRequestHeadBytes without the end of the headers is invalid (431), never a wait.
HeadParse parse_request_head(std::string_view bytes);

// One decoded query parameter. The value may hold the authorization code: scrub it after use.
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// Decodes an application/x-www-form-urlencoded query ('+' is a space, %XX escapes). nullopt
// for a bad escape, a NUL or control byte, or more than kMaxQueryParameters parameters.
std::optional<QueryParameters> parse_query(std::string_view query);

// Overwrites every value (and name) in place before the vector is freed.
void scrub(QueryParameters& parameters);

enum class CallbackVerdict {
  // Not for us: keep listening for the real callback.
  bad_request,         // malformed HTTP (400)
  not_found,           // another path, e.g. /favicon.ico (404)
  method_not_allowed,  // the callback path with another method (405)
  // The callback arrived: answer, close the listener and end the login.
  bad_state,       // `state` missing or wrong: a forged or stale redirect
  bad_callback,    // right state, but a malformed query, no code, or a parameter twice
  denied,          // error=access_denied: the person declined
  provider_error,  // another error from Notion
  success,         // right state and a code
  // The code arrived, but exchanging it or saving the login failed (see ListenOptions).
  not_completed,
};

// True for the verdicts that end the login (success or not).
bool ends_login(CallbackVerdict verdict);

struct CallbackResult {
  CallbackVerdict verdict = CallbackVerdict::bad_request;
  util::Secret code;       // success only
  std::string error_code;  // provider_error: Notion's `error`, when it is a plain word
  std::string why;         // a sentence for the terminal; never contains request bytes
};

// Judges one parsed request for the callback at `callback_path`, expecting `expected_state`.
// The state is compared in constant time and checked before anything else is looked at.
CallbackResult classify_callback(const HeadParse& parse, std::string_view callback_path,
                                 std::string_view expected_state);

// The complete HTTP response (status line, headers, fixed HTML page) for a verdict. Pages are
// constants: nothing from the request is reflected.
std::string callback_response(CallbackVerdict verdict);

}  // namespace notion_mcp::auth
