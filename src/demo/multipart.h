// multipart/form-data bodies (RFC 7578), as POST /v1/file_uploads/{id}/send receives them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace notion_mcp::demo {

struct FormPart {
  std::string name;          // the form field ("file", "part_number")
  std::string filename;      // empty when the part has none
  std::string content_type;  // empty when the part has none
  std::string_view data;     // points into the body
};

// Splits `body` by the boundary named in `content_type`. Errors (validation_error) say what is
// malformed.
util::Result<std::vector<FormPart>> parse_multipart(std::string_view content_type,
                                                    std::string_view body);

}  // namespace notion_mcp::demo
