// Incremental, bounded HTTP/1.1 request parser for the fake Notion server: request line,
// headers, Content-Length and chunked bodies, Expect: 100-continue, pipelining. It never grows
// past its limits; a request that breaks them gets the status to answer with.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "notion/http.h"

namespace notion_mcp::fake_notion {

struct ParserLimits {
  size_t max_header_bytes = 64 * 1024;      // request line + headers + trailers
  size_t max_headers = 128;                 // header fields, trailers included
  size_t max_body_bytes = 8 * 1024 * 1024;  // decoded body
};

struct ParsedRequest {
  notion::HttpRequest request;  // path keeps its query
  int http_minor = 1;           // HTTP/1.<minor>
  bool keep_alive = true;       // what the client asked for (version default + Connection)
};

enum class ParseStatus {
  kNeedMore,  // feed more bytes
  kContinue,  // headers done and the client waits for "100 Continue"; call next() again
  kRequest,   // a complete request is in `out`
  kError,     // malformed or too large: answer error_status() and close the connection
};

class RequestParser {
 public:
  explicit RequestParser(ParserLimits limits = {});

  // Appends received bytes. Bytes after a complete request stay buffered (pipelining).
  void append(std::string_view data);

  // Advances as far as the buffered bytes allow.
  ParseStatus next(ParsedRequest& out);

  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

  // True while a request has started but is not complete (used to pick the read timeout).
  bool mid_request() const;

 private:
  enum class State {
    kRequestLine,
    kHeaders,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kFailed
  };

  // Returns the next line (without CR LF) or false when no full line is buffered.
  bool take_line(std::string_view& line);
  ParseStatus fail(int status, std::string message);
  ParseStatus parse_request_line(std::string_view line);
  ParseStatus parse_header_line(std::string_view line, bool trailer);
  ParseStatus finish_headers();
  ParseStatus finish_request(ParsedRequest& out);
  void reset_message();

  ParserLimits limits_;
  std::string buffer_;
  size_t pos_ = 0;  // first unconsumed byte in buffer_
  State state_ = State::kRequestLine;

  ParsedRequest current_;
  size_t header_bytes_ = 0;
  size_t header_count_ = 0;
  size_t body_remaining_ = 0;  // for kBody and kChunkData
  bool chunked_ = false;
  bool saw_content_length_ = false;
  bool expects_continue_ = false;
  size_t blank_lines_ = 0;  // tolerated empty lines before a request line

  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace notion_mcp::fake_notion
