// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) for
// the code that checks text without parsing JSON: the credential store and the audit viewer.
#pragma once

#include <cstddef>
#include <string_view>

namespace notion_mcp::util {

// The length (1-4) of the well-formed UTF-8 sequence at `text[at]`, or 0 when there is none.
size_t utf8_sequence_length(std::string_view text, size_t at);

// Whether all of `text` is well-formed UTF-8.
bool valid_utf8(std::string_view text);

}  // namespace notion_mcp::util
