// libFuzzer entry point for the login listener's request parser: the bytes any local process
// (or a hostile page in the browser) can send to 127.0.0.1 while `notion-mcp login` waits.
// Properties: the parser stays within its bounds, a verdict of success needs the exact state,
// and the page sent back is always one of the fixed pages (nothing from the input reflected).
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "auth/callback_request.h"

using notion_mcp::auth::callback_response;
using notion_mcp::auth::CallbackVerdict;
using notion_mcp::auth::classify_callback;
using notion_mcp::auth::HeadStatus;
using notion_mcp::auth::kMaxRequestHeadBytes;
using notion_mcp::auth::parse_query;
using notion_mcp::auth::parse_request_head;

namespace {

constexpr std::string_view kState = "fuzzState0123456789abcdefghijklmnopqrstuvw";

const std::set<std::string>& fixed_pages() {
  static const std::set<std::string> pages = [] {
    std::set<std::string> all;
    for (auto verdict :
         {CallbackVerdict::bad_request, CallbackVerdict::not_found,
          CallbackVerdict::method_not_allowed, CallbackVerdict::bad_state,
          CallbackVerdict::bad_callback, CallbackVerdict::denied, CallbackVerdict::provider_error,
          CallbackVerdict::success, CallbackVerdict::not_completed}) {
      all.insert(callback_response(verdict));
    }
    return all;
  }();
  return pages;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parse = parse_request_head(input);
  switch (parse.status) {
    case HeadStatus::incomplete:
      // Only a head that is still short may be waited for.
      if (size >= kMaxRequestHeadBytes) std::abort();
      break;
    case HeadStatus::invalid:
      if (parse.error_status != 400 && parse.error_status != 414 && parse.error_status != 431 &&
          parse.error_status != 505) {
        std::abort();
      }
      break;
    case HeadStatus::complete:
      if (parse.head.path.empty() || parse.head.path[0] != '/') std::abort();
      if (parse.head.method.empty()) std::abort();
      (void)parse_query(parse.head.query);
      break;
  }
  auto result = classify_callback(parse, "/callback", kState);
  if (result.verdict == CallbackVerdict::success) {
    if (result.code.empty() || input.find(kState) == std::string_view::npos) std::abort();
  } else if (!result.code.empty()) {
    std::abort();
  }
  if (fixed_pages().count(callback_response(result.verdict)) != 1) std::abort();
  // Also as a query on its own (the parser's other entry point).
  (void)parse_query(input);
  return 0;
}
