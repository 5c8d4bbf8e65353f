#include "demo/multipart.h"

#include <cctype>

#include "demo/api_errors.h"

namespace notion_mcp::demo {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The value of `name=` among "; "-separated parameters, unquoted; empty when absent.
std::string parameter(std::string_view header, std::string_view name) {
  size_t start = 0;
  while (start < header.size()) {
    size_t semicolon = header.find(';', start);
    std::string_view part = trim(header.substr(start, semicolon - start));
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && lower(trim(part.substr(0, eq))) == name) {
      std::string_view value = trim(part.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
    if (semicolon == std::string_view::npos) break;
    start = semicolon + 1;
  }
  return {};
}

util::Error malformed(std::string_view why) {
  return validation_error("The multipart/form-data body could not be read: " + std::string(why) +
                          ".");
}

}  // namespace

util::Result<std::vector<FormPart>> parse_multipart(std::string_view content_type,
                                                    std::string_view body) {
  const std::string boundary = parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) return malformed("the boundary is missing");
  const std::string delimiter = "--" + boundary;
  size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return malformed("the boundary does not occur in the body");
  std::vector<FormPart> parts;
  for (int guard = 0; guard < 1000; ++guard) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") return malformed("a delimiter is not followed by CRLF");
    at += 2;
    const size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return malformed("a part's headers do not end");
    FormPart part;
    for (size_t line = at; line < headers_end;) {
      size_t end = body.find("\r\n", line);
      if (end == std::string_view::npos || end > headers_end) end = headers_end;
      std::string_view header = body.substr(line, end - line);
      const size_t colon = header.find(':');
      if (colon != std::string_view::npos) {
        const std::string name = lower(trim(header.substr(0, colon)));
        const std::string_view value = trim(header.substr(colon + 1));
        if (name == "content-disposition") {
          part.name = parameter(value, "name");
          part.filename = parameter(value, "filename");
        } else if (name == "content-type") {
          part.content_type = std::string(value);
        }
      }
      line = end + 2;
    }
    const size_t data_begin = headers_end + 4;
    const size_t next = body.find("\r\n" + delimiter, data_begin);
    if (next == std::string_view::npos) return malformed("the last part is not closed");
    part.data = body.substr(data_begin, next - data_begin);
    parts.push_back(std::move(part));
    at = next + 2;
  }
  return malformed("it has too many parts");
}

}  // namespace notion_mcp::demo
