// The seam between the TLS/HTTP transport (tls_server) and what the fake answers
// (fake_service): the server parses requests and writes replies; the handler decides them.
#pragma once

#include <string_view>

#include "http_parser.h"
#include "notion/http.h"

namespace notion_mcp::fake_notion {

struct Reply {
  notion::HttpResponse response;
  int delay_ms = 0;       // wait this long before writing (the slow fault)
  bool truncate = false;  // declare the full length, send half the body, then close
  bool close = false;     // close the connection after this reply
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;

  // Called from connection threads, possibly many at once.
  virtual Reply handle(const ParsedRequest& request) = 0;

  // The answer to a request the parser refused (400, 413, 431, ...); the server then closes.
  virtual Reply reject(int status, std::string_view message) = 0;

  virtual void connection_opened() {}
  virtual void connection_closed() {}
  // The client hung up while its reply was being delayed: it gave up on the request.
  virtual void reply_abandoned() {}
};

}  // namespace notion_mcp::fake_notion
