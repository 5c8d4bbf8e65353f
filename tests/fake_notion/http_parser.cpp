#include "http_parser.h"

#include <strings.h>

#include <algorithm>
#include <utility>

namespace notion_mcp::fake_notion {
namespace {

constexpr size_t kMaxChunkLine = 1024;  // chunk size + extensions
constexpr size_t kMaxBlankLines = 4;    // RFC 9112 2.2: ignore a few stray CRLFs
constexpr size_t kCompactAfter = 64 * 1024;

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// True when the comma-separated list `value` contains `token` (case-insensitive).
bool list_contains(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// Parses a decimal Content-Length; false on anything but digits or on overflow.
bool parse_decimal(std::string_view s, size_t& out) {
  if (s.empty() || s.size() > 18) return false;
  size_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  out = value;
  return true;
}

bool parse_hex(std::string_view s, size_t& out) {
  if (s.empty() || s.size() > 15) return false;
  size_t value = 0;
  for (char c : s) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    value = value * 16 + static_cast<size_t>(digit);
  }
  out = value;
  return true;
}

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

}  // namespace

RequestParser::RequestParser(ParserLimits limits) : limits_(limits) {}

void RequestParser::append(std::string_view data) { buffer_.append(data); }

bool RequestParser::mid_request() const {
  return state_ != State::kRequestLine || pos_ < buffer_.size();
}

bool RequestParser::take_line(std::string_view& line) {
  size_t newline = buffer_.find('\n', pos_);
  if (newline == std::string::npos) return false;
  line = std::string_view(buffer_).substr(pos_, newline - pos_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (state_ == State::kRequestLine || state_ == State::kHeaders || state_ == State::kTrailers) {
    header_bytes_ += newline + 1 - pos_;
  }
  pos_ = newline + 1;
  return true;
}

ParseStatus RequestParser::fail(int status, std::string message) {
  state_ = State::kFailed;
  error_status_ = status;
  error_message_ = std::move(message);
  return ParseStatus::kError;
}

void RequestParser::reset_message() {
  current_ = ParsedRequest{};
  header_bytes_ = 0;
  header_count_ = 0;
  body_remaining_ = 0;
  chunked_ = false;
  saw_content_length_ = false;
  expects_continue_ = false;
  blank_lines_ = 0;
}

ParseStatus RequestParser::parse_request_line(std::string_view line) {
  size_t first = line.find(' ');
  size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return fail(400, "The request line must be 'METHOD /path HTTP/1.1'.");
  }
  std::string_view method = line.substr(0, first);
  std::string_view target = line.substr(first + 1, second - first - 1);
  std::string_view version = line.substr(second + 1);
  if (!is_token(method)) return fail(400, "The request method is not a valid token.");
  if (target.empty() || target.front() != '/' || has_control_chars(target)) {
    return fail(400, "The request target must be an origin-form path starting with '/'.");
  }
  if (version == "HTTP/1.1") {
    current_.http_minor = 1;
  } else if (version == "HTTP/1.0") {
    current_.http_minor = 0;
  } else if (version.substr(0, 5) == "HTTP/") {
    return fail(505, "Only HTTP/1.0 and HTTP/1.1 are supported.");
  } else {
    return fail(400, "The request line does not end with an HTTP version.");
  }
  current_.request.method = std::string(method);
  current_.request.path = std::string(target);
  current_.keep_alive = current_.http_minor == 1;
  return ParseStatus::kNeedMore;
}

ParseStatus RequestParser::parse_header_line(std::string_view line, bool trailer) {
  if (++header_count_ > limits_.max_headers) {
    return fail(431, "The request has too many header fields.");
  }
  if (line.front() == ' ' || line.front() == '\t') {
    return fail(400, "Obsolete header line folding is not accepted.");
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return fail(400, "A header line has no ':'.");
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  if (!is_token(name)) return fail(400, "A header name is not a valid token.");
  if (has_control_chars(value)) return fail(400, "A header value contains control characters.");
  if (trailer) return ParseStatus::kNeedMore;  // trailers are counted, not kept

  if (iequals(name, "Content-Length")) {
    size_t length = 0;
    if (!parse_decimal(value, length)) {
      // Too many digits means too large; anything else is malformed.
      bool digits = !value.empty() && std::all_of(value.begin(), value.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; });
      return digits ? fail(413, "The request body is larger than the server accepts.")
                    : fail(400, "Content-Length is not a decimal number.");
    }
    if (saw_content_length_ && length != body_remaining_) {
      return fail(400, "The request has conflicting Content-Length headers.");
    }
    saw_content_length_ = true;
    body_remaining_ = length;
  } else if (iequals(name, "Transfer-Encoding")) {
    if (chunked_ || !iequals(value, "chunked")) {
      return fail(501, "Only 'Transfer-Encoding: chunked' is supported.");
    }
    chunked_ = true;
  } else if (iequals(name, "Connection")) {
    if (list_contains(value, "close")) {
      current_.keep_alive = false;
    } else if (list_contains(value, "keep-alive")) {
      current_.keep_alive = true;
    }
  } else if (iequals(name, "Expect")) {
    if (!iequals(value, "100-continue"))
      return fail(417, "Only 'Expect: 100-continue' is supported.");
    expects_continue_ = true;
  }
  current_.request.headers.emplace_back(std::string(name), std::string(value));
  return ParseStatus::kNeedMore;
}

ParseStatus RequestParser::finish_headers() {
  if (chunked_) {
    // Both framings at once is the classic request-smuggling shape: refuse it.
    if (saw_content_length_) {
      return fail(400, "A request must not carry both Content-Length and Transfer-Encoding.");
    }
    if (current_.http_minor == 0) return fail(400, "HTTP/1.0 has no chunked transfer coding.");
    state_ = State::kChunkSize;
  } else if (body_remaining_ > 0) {
    if (body_remaining_ > limits_.max_body_bytes) {
      return fail(413, "The request body is larger than the server accepts.");
    }
    current_.request.body.reserve(body_remaining_);
    state_ = State::kBody;
  } else {
    return ParseStatus::kRequest;
  }
  return expects_continue_ ? ParseStatus::kContinue : ParseStatus::kNeedMore;
}

ParseStatus RequestParser::finish_request(ParsedRequest& out) {
  out = std::move(current_);
  buffer_.erase(0, pos_);
  pos_ = 0;
  state_ = State::kRequestLine;
  reset_message();
  return ParseStatus::kRequest;
}

ParseStatus RequestParser::next(ParsedRequest& out) {
  // Each turn consumes buffered bytes or returns, so the loop ends with the buffer.
  for (;;) {
    std::string_view line;
    switch (state_) {
      case State::kFailed:
        return ParseStatus::kError;

      case State::kRequestLine:
      case State::kHeaders:
      case State::kTrailers: {
        bool got = take_line(line);
        size_t pending = got ? 0 : buffer_.size() - pos_;
        if (header_bytes_ + pending > limits_.max_header_bytes) {
          return state_ == State::kRequestLine
                     ? fail(414, "The request line is longer than the server accepts.")
                     : fail(431, "The request headers are larger than the server accepts.");
        }
        if (!got) return ParseStatus::kNeedMore;
        if (state_ == State::kRequestLine) {
          if (line.empty()) {
            if (++blank_lines_ > kMaxBlankLines) return fail(400, "Too many empty lines.");
            header_bytes_ = 0;
            continue;
          }
          if (parse_request_line(line) == ParseStatus::kError) return ParseStatus::kError;
          state_ = State::kHeaders;
        } else if (line.empty()) {
          if (state_ == State::kTrailers) return finish_request(out);
          ParseStatus status = finish_headers();
          if (status == ParseStatus::kRequest) return finish_request(out);
          if (status != ParseStatus::kNeedMore) return status;  // kContinue or kError
        } else if (parse_header_line(line, state_ == State::kTrailers) == ParseStatus::kError) {
          return ParseStatus::kError;
        }
        continue;
      }

      case State::kBody:
      case State::kChunkData: {
        size_t available = std::min(body_remaining_, buffer_.size() - pos_);
        current_.request.body.append(buffer_, pos_, available);
        pos_ += available;
        body_remaining_ -= available;
        if (pos_ > kCompactAfter && pos_ * 2 > buffer_.size()) {
          buffer_.erase(0, pos_);
          pos_ = 0;
        }
        if (body_remaining_ > 0) return ParseStatus::kNeedMore;
        if (state_ == State::kBody) return finish_request(out);
        state_ = State::kChunkDataEnd;
        continue;
      }

      case State::kChunkSize: {
        if (!take_line(line)) {
          if (buffer_.size() - pos_ > kMaxChunkLine)
            return fail(400, "A chunk size line is too long.");
          return ParseStatus::kNeedMore;
        }
        if (line.size() > kMaxChunkLine) return fail(400, "A chunk size line is too long.");
        std::string_view size_text = trim(line.substr(0, line.find(';')));
        size_t size = 0;
        if (!parse_hex(size_text, size)) return fail(400, "A chunk size is not a hex number.");
        if (size > limits_.max_body_bytes - current_.request.body.size()) {
          return fail(413, "The request body is larger than the server accepts.");
        }
        if (size == 0) {
          state_ = State::kTrailers;
        } else {
          body_remaining_ = size;
          state_ = State::kChunkData;
        }
        continue;
      }

      case State::kChunkDataEnd: {
        if (!take_line(line)) {
          if (buffer_.size() - pos_ >= 2) return fail(400, "A chunk is longer than its size.");
          return ParseStatus::kNeedMore;
        }
        if (!line.empty()) return fail(400, "A chunk is longer than its size.");
        state_ = State::kChunkSize;
        continue;
      }
    }
  }
}

}  // namespace notion_mcp::fake_notion
