#include "notion_errors.h"

#include <openssl/rand.h>

#include <cstdio>

namespace notion_mcp::fake_notion {

std::string new_request_id() {
  unsigned char b[16] = {};
  if (RAND_bytes(b, sizeof b) != 1) {
    // Request ids only need to differ in practice; fall back to a fixed pattern.
    for (unsigned i = 0; i < sizeof b; ++i) b[i] = static_cast<unsigned char>(i * 37 + 11);
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return text;
}

notion::HttpResponse json_response(int status, const util::Json& body) {
  notion::HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  response.body = util::dump_json(body);
  return response;
}

notion::HttpResponse error_response(int status, std::string_view code, std::string_view message,
                                    const util::Json& additional_data) {
  // Ordered like Notion's own error bodies, which people compare by eye.
  nlohmann::ordered_json body = {{"object", "error"},
                                 {"status", status},
                                 {"code", code},
                                 {"message", message},
                                 {"request_id", new_request_id()}};
  if (!additional_data.is_null()) body["additional_data"] = additional_data;
  notion::HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  response.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return response;
}

}  // namespace notion_mcp::fake_notion
