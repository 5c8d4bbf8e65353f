#include "notion/error_mapping.h"

#include <gtest/gtest.h>

namespace notion_mcp::notion {
namespace {

util::Json notion_error(int status, std::string_view code, std::string_view message) {
  return util::Json{{"object", "error"},
                    {"status", status},
                    {"code", code},
                    {"message", message},
                    {"request_id", "0c3e7c1e-1b2a-4c5d-9e8f-123456789abc"}};
}

TEST(NotionErrorMapping, KeepsNotionCodeMessageStatusAndRequestId) {
  auto body = notion_error(404, "object_not_found", "Could not find page with ID: abc.");
  auto error = map_error_response("GET", 404, &body, {});
  EXPECT_EQ(error.code, "object_not_found");
  EXPECT_EQ(error.message, "Could not find page with ID: abc.");
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.request_id, "0c3e7c1e-1b2a-4c5d-9e8f-123456789abc");
  EXPECT_NE(error.hint.find("shared with the integration"), std::string::npos) << error.hint;
}

TEST(NotionErrorMapping, UnauthorizedTellsHowToLogIn) {
  auto body = notion_error(401, "unauthorized", "API token is invalid.");
  auto error = map_error_response("GET", 401, &body, {});
  EXPECT_EQ(error.code, "unauthorized");
  EXPECT_EQ(error.hint,
            "Notion rejected the token. Run `notion-mcp login` (or set NOTION_TOKEN to a valid "
            "internal integration token).");
}

TEST(NotionErrorMapping, EveryKnownCodeHasItsOwnHint) {
  std::string generic = hint_for("something_new", 400);
  for (std::string_view code :
       {"object_not_found", "validation_error", "unauthorized", "restricted_resource",
        "rate_limited", "conflict_error", "invalid_json", "invalid_request_url", "invalid_request",
        "invalid_grant", "missing_version", "internal_server_error", "service_overload",
        "network_error", "invalid_response", "cancelled", "write_may_have_committed"}) {
    std::string hint = hint_for(code);
    EXPECT_FALSE(hint.empty()) << code;
    EXPECT_NE(hint, generic) << code;
  }
  EXPECT_FALSE(generic.empty());
}

TEST(NotionErrorMapping, RedactsTokensInMessages) {
  auto body = notion_error(400, "validation_error",
                           "Bad value ntn_abcdefghijklmnopqrstuvwxyz0123456789ABCD in body");
  auto error = map_error_response("POST", 400, &body, {});
  EXPECT_EQ(error.message.find("ntn_abcdef"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("[REDACTED]"), std::string::npos);
}

TEST(NotionErrorMapping, NonJsonBodyUsesStatusAndNeverTheBody) {
  Headers headers = {{"Set-Cookie", "session=topsecret"}, {"X-Request-Id", "req-123"}};
  auto error = map_error_response("GET", 502, nullptr, headers);
  EXPECT_EQ(error.code, "bad_gateway");
  EXPECT_EQ(error.status, 502);
  EXPECT_EQ(error.request_id, "req-123");
  EXPECT_EQ(error.message.find("topsecret"), std::string::npos);

  auto odd = map_error_response("GET", 418, nullptr, {});
  EXPECT_EQ(odd.code, "invalid_response");
  EXPECT_EQ(odd.status, 418);
  EXPECT_NE(odd.message.find("418"), std::string::npos);
}

TEST(NotionErrorMapping, UnsafeCodeOrRequestIdIsReplaced) {
  util::Json body = {{"object", "error"},
                     {"code", "<script>alert(1)</script>"},
                     {"message", "x"},
                     {"request_id", "bad id with spaces and \n newline"}};
  auto error = map_error_response("GET", 404, &body, {});
  EXPECT_EQ(error.code, "object_not_found");
  EXPECT_TRUE(error.request_id.empty());
}

TEST(NotionErrorMapping, BlockedRateLimitSaysNotToRetry) {
  auto body = notion_error(429, "rate_limited", "Blocked.");
  body["additional_data"] = {{"rate_limit_reason", "public_api_request_blocked"}};
  auto error = map_error_response("GET", 429, &body, {});
  EXPECT_EQ(error.code, "rate_limited");
  EXPECT_NE(error.hint.find("do not retry"), std::string::npos) << error.hint;
}

TEST(NotionErrorMapping, WriteThatMayHaveCommittedSaysReRead) {
  auto body = notion_error(503, "service_unavailable", "Temporarily unavailable.");
  body["additional_data"] = {{"retry_guidance", "do_not_retry"},
                             {"committed_resource_id", "1f2e3d4c-5b6a-7980-1a2b-3c4d5e6f7a8b"}};
  auto error = map_error_response("POST", 503, &body, {});
  EXPECT_EQ(error.code, "write_may_have_committed");
  EXPECT_EQ(error.status, 503);
  EXPECT_NE(error.message.find("1f2e3d4c-5b6a-7980-1a2b-3c4d5e6f7a8b"), std::string::npos);
  EXPECT_NE(error.hint.find("Re-read the resource before retrying"), std::string::npos)
      << error.hint;

  // A read with the same answer is an ordinary transient error.
  auto read = map_error_response("GET", 503, &body, {});
  EXPECT_EQ(read.code, "service_unavailable");
  // Without retry_guidance a failed write is just the 503.
  auto plain = notion_error(503, "service_unavailable", "Temporarily unavailable.");
  EXPECT_EQ(map_error_response("PATCH", 503, &plain, {}).code, "service_unavailable");
}

TEST(NotionErrorMapping, InvalidResponseCarriesStatus) {
  auto error = invalid_response(200, "the body is not valid JSON");
  EXPECT_EQ(error.code, "invalid_response");
  EXPECT_EQ(error.status, 200);
  EXPECT_NE(error.message.find("HTTP 200"), std::string::npos);
  EXPECT_FALSE(error.hint.empty());
}

TEST(NotionErrorMapping, LongMessagesAreShortened) {
  auto body = notion_error(400, "validation_error", std::string(5000, 'x'));
  auto error = map_error_response("POST", 400, &body, {});
  EXPECT_LT(error.message.size(), 1100u);
}

}  // namespace
}  // namespace notion_mcp::notion
